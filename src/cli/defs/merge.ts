/** CLI definition of `retort merge REVISIONS...`. */
import { defineCommand } from "citty";
import { newRevisionSpec, renderRevisionFile, writeRevisionFile } from "../../commands/revision.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { splitList } from "./shared.ts";

export default defineCommand({
  meta: { name: "merge", description: "Merge two or more heads into one revision" },
  args: {
    revisions: { type: "positional", required: false, valueHint: "REVISION...", description: "revisions to merge (e.g. heads, or ids)" },
    message: { type: "string", alias: "m", description: "message of the merge revision" },
    branchLabel: { type: "string", valueHint: "LABEL", description: "branch label of the merge revision" },
    revId: { type: "string", description: "use this revision id instead of a random one" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const revisions = args._.length > 0 ? args._ : [];
    if (revisions.length === 0) throw new UsageError("merge needs the revisions to merge, e.g. `retort merge heads -m \"merge\"`");
    await ctx.requireRevisionsOnDisk("retort merge");
    const graph = await ctx.graph();
    const spec = newRevisionSpec(graph, {
      message: args.message ?? null,
      revId: args.revId,
      head: revisions,
      branchLabels: splitList(args.branchLabel),
    });
    const path = writeRevisionFile(renderRevisionFile(ctx.revisionsDir(), spec, "sql"));
    ctx.output.result({ text: `  Generating ${path} ...  done`, json: { ...spec, path } });
  },
});
