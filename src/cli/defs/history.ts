/** CLI definition of `retort history [-r RANGE] [-v] [-i]`. */
import { defineCommand } from "citty";
import { formatHistory, revisionJson } from "../../core/format.ts";
import { historyRevisions, parseHistoryRange, type HistoryEnd } from "../../core/history.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "history", description: "List revisions in chronological order (newest first)" },
  args: {
    revRange: { type: "string", alias: "r", description: "range, e.g. base:head, -3:, ae10:current" },
    indicateCurrent: { type: "boolean", alias: "i", description: "mark the revisions the database is at (reads it)" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const graph = await ctx.graph();
    const range = args.revRange === undefined ? { base: null, head: null } : parseHistoryRange(args.revRange);
    const needsDatabase = args.indicateCurrent || range.base === "current" || range.head === "current";
    const heads = needsDatabase ? (await (await import("../../commands/current.ts")).current({ ...ctx.databaseReadOptions(), graph })).heads : [];
    const end = (value: string | null): HistoryEnd | null => (value === "current" ? heads : value);
    const ids = historyRevisions(graph, { base: end(range.base), head: end(range.head) });
    const currentIds = args.indicateCurrent ? heads : undefined;
    ctx.output.result({
      text: formatHistory(graph, ids, { verbose: ctx.globals.verbose, ...(currentIds ? { current: currentIds } : {}) }),
      json: () => ({ revisions: ids.map((id) => revisionJson(graph, id, currentIds ? { current: currentIds } : {})) }),
    });
  },
});
