/** CLI definition of `retort heads [-v] [--resolve-dependencies]`. */
import { defineCommand } from "citty";
import { formatHeads, revisionJson } from "../../core/format.ts";
import { headRevisions } from "../../core/history.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "heads", description: "Show the current available heads in the revision files" },
  args: {
    resolveDependencies: { type: "boolean", description: "treat dependency versions as down revisions" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const graph = await ctx.graph();
    const ids = headRevisions(graph, { resolveDependencies: args.resolveDependencies ?? false });
    ctx.output.result({
      text: formatHeads(graph, ids, { verbose: ctx.globals.verbose }),
      json: () => ({ heads: ids.map((id) => revisionJson(graph, id)) }),
    });
  },
});
