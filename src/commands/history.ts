/** `retort history`: the revisions of a range, newest first, and (with -i, or `current` in the range) the ones the database is at. */
import type { RevisionGraph } from "../core/graph.ts";
import { historyRevisions, parseHistoryRange, type HistoryEnd } from "../core/history.ts";
import { current, type CurrentOptions } from "./current.ts";

/** Options of history; `database` is called (and read) only when the range says `current` or indicateCurrent is set. */
export interface HistoryOptions {
  readonly graph: RevisionGraph;
  /** Alembic's `-r` range, e.g. `base:head`, `-3:`, `ae10:current` */
  readonly range?: string | undefined;
  readonly indicateCurrent?: boolean | undefined;
  readonly database?: (() => Omit<CurrentOptions, "graph">) | undefined;
}

/** What history lists. */
export interface HistoryResult {
  /** revision ids, newest first */
  readonly revisions: string[];
  /** the database's heads, when they were read */
  readonly current?: string[];
}

/** List the revisions of the range (every revision without one). */
export async function history(options: HistoryOptions): Promise<HistoryResult> {
  const { graph } = options;
  const range = options.range === undefined ? { base: null, head: null } : parseHistoryRange(options.range);
  const needsDatabase = options.indicateCurrent === true || range.base === "current" || range.head === "current";
  let heads: string[] | undefined;
  if (needsDatabase) {
    if (options.database === undefined) throw new TypeError("history needs a database to read the current revisions");
    heads = (await current({ ...options.database(), graph })).heads;
  }
  const end = (value: string | null): HistoryEnd | null => (value === "current" ? (heads ?? []) : value);
  const revisions = historyRevisions(graph, { base: end(range.base), head: end(range.head) });
  return options.indicateCurrent && heads !== undefined ? { revisions, current: heads } : { revisions };
}
