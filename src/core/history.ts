/**
 * The revision lists behind `history`, `heads`, `branches` and `current`,
 * in Alembic's order (history walks from the heads down).
 */
import { MultipleHeadsError, ResolutionError, UsageError } from "../errors.ts";
import { iterateUp, RangeNotAncestor, type RangeEnd } from "./collect.ts";
import type { RevisionGraph } from "./graph.ts";
import { allCurrent, multipleHeadsError } from "./resolve.ts";

/** One end of a history range: an identifier, or concrete revision ids (the caller's answer for `current`). */
export type HistoryEnd = string | readonly string[];

/** A `history -r` range; a missing end means `base` / `heads`. */
export interface HistoryRange {
  readonly base?: HistoryEnd | null;
  readonly head?: HistoryEnd | null;
}

/** Splits `start:end` (either side may be empty); `current` on either side is for the caller to replace. */
export function parseHistoryRange(text: string): { base: string | null; head: string | null } {
  const parts = text.trim().split(":");
  if (parts.length !== 2) throw new UsageError("History range requires [start]:[end], [start]:, or :[end]");
  return { base: parts[0] || null, head: parts[1] || null };
}

function toEnd(g: RevisionGraph, end: HistoryEnd): RangeEnd {
  return typeof end === "string" ? end.trim() : end.map((id) => g.mustIndex(id));
}

function show(end: HistoryEnd): string {
  return typeof end === "string" ? end : end.join(", ");
}

/** Revision ids of `history [-r base:head]`, newest first, exactly as Alembic lists them. */
export function historyRevisions(graph: RevisionGraph, range: HistoryRange = {}): string[] {
  const base = range.base ?? "base";
  const head = range.head ?? "heads";
  try {
    const order = iterateUp(graph, toEnd(graph, head), toEnd(graph, base), { inclusive: true, implicitBase: false, clampRelative: true });
    return graph.idsAt(order);
  } catch (err) {
    if (err instanceof RangeNotAncestor) {
      throw new ResolutionError(
        `Requested range ${show(base)}:${show(head)} does not refer to ancestor/descendant revisions along the same branch`,
        `${show(base)}:${show(head)}`,
      );
    }
    if (err instanceof MultipleHeadsError && typeof head === "string" && err.identifier === "head" && head !== "head") {
      throw multipleHeadsError(head, err.candidates);
    }
    throw err;
  }
}

/** Revision ids of `heads`: the versioned heads, or with resolveDependencies the heads nothing depends on. */
export function headRevisions(graph: RevisionGraph, options: { resolveDependencies?: boolean } = {}): string[] {
  return [...(options.resolveDependencies ? graph.realHeads : graph.heads)];
}

/** Revision ids of `branches`: the branch points, in history order. */
export function branchPointRevisions(graph: RevisionGraph): string[] {
  if (graph.branchPoints.length === 0) return [];
  return historyRevisions(graph).filter((id) => graph.isBranchPoint(id));
}

/**
 * Revision ids `current` shows for the version table's rows: everything the
 * rows imply, reduced to the revisions with no versioned child in that set
 * (so a dependency a row implies shows too), in file order.
 */
export function currentRevisions(graph: RevisionGraph, rows: readonly string[]): string[] {
  return graph.idsAt(allCurrent(graph, rows.map((id) => graph.mustIndex(id))));
}
