/** CLI definition of `retort history [-r RANGE] [-v] [-i]`. */
import { defineCommand } from "citty";
import { formatHistory, revisionJson } from "../../core/format.ts";
import { history } from "../../commands/history.ts";
import type { CliContext } from "../context.ts";
import { lockTimeoutArgs } from "./shared.ts";

export default defineCommand({
  meta: { name: "history", description: "List revisions in chronological order (newest first)" },
  args: {
    revRange: { type: "string", alias: "r", valueHint: "RANGE", description: "range, e.g. base:head, -3:, ae10:current" },
    indicateCurrent: { type: "boolean", alias: "i", description: "mark the revisions the database is at (reads it)" },
    ...lockTimeoutArgs,
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    ctx.lockTimeoutSeconds(args.lockTimeout); // a bad value is exit 2 with or without -i
    const graph = await ctx.graph();
    const { revisions: ids, current: currentIds } = await history({
      graph,
      range: args.revRange,
      indicateCurrent: args.indicateCurrent,
      database: () => ctx.databaseReadOptions(args),
    });
    ctx.output.result({
      text: formatHistory(graph, ids, { verbose: ctx.globals.verbose, ...(currentIds ? { current: currentIds } : {}) }),
      json: () => ({ revisions: ids.map((id) => revisionJson(graph, id, currentIds ? { current: currentIds } : {})) }),
    });
  },
});
