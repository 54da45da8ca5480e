/** CLI definition of `retort heads [-v] [--resolve-dependencies]`. */
import { defineCommand } from "citty";
import { formatHeads, revisionJson } from "../../core/format.ts";
import { heads } from "../../commands/heads.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "heads", description: "Show the current available heads in the revision files" },
  args: {
    resolveDependencies: { type: "boolean", description: "treat dependency versions as down revisions" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const graph = await ctx.graph();
    const ids = heads(graph, { resolveDependencies: args.resolveDependencies });
    ctx.output.result({
      text: formatHeads(graph, ids, { verbose: ctx.globals.verbose }),
      json: () => ({ heads: ids.map((id) => revisionJson(graph, id)) }),
    });
  },
});
