/** CLI definition of `retort branches [-v]`. */
import { defineCommand } from "citty";
import { formatBranches, revisionJson } from "../../core/format.ts";
import { branches } from "../../commands/heads.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "branches", description: "Show the branch points in the revision files" },
  args: {},
  async run({ data }) {
    const ctx = data as CliContext;
    const graph = await ctx.graph();
    const ids = branches(graph);
    ctx.output.result({
      text: formatBranches(graph, ids, { verbose: ctx.globals.verbose }),
      json: { branchPoints: ids.map((id) => revisionJson(graph, id)) },
    });
  },
});
