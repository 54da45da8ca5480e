/** `retort heads` and `retort branches`: the graph's heads and branch points, in Alembic's order. */
import type { RevisionGraph } from "../core/graph.ts";
import { branchPointRevisions, headRevisions } from "../core/history.ts";

/** The heads (with resolveDependencies, dependencies count as down revisions). */
export function heads(graph: RevisionGraph, options: { resolveDependencies?: boolean | undefined } = {}): string[] {
  return headRevisions(graph, { resolveDependencies: options.resolveDependencies ?? false });
}

/** The branch points: revisions with more than one child. */
export function branches(graph: RevisionGraph): string[] {
  return branchPointRevisions(graph);
}
