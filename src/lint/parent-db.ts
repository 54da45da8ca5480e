/**
 * The database at a revision's parent, for lint: for now the revisions are
 * replayed into a scratch PGlite with the runner (the one place to switch to
 * a snapshot cache later), plus the step that brings such a database from a
 * revision's parent to the revision itself.
 */
import { ancestors, members } from "../core/closure.ts";
import type { RevisionGraph } from "../core/graph.ts";
import { planUpgrade } from "../core/plan.ts";
import type { Engine } from "../drivers/engine.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { migrate } from "../runtime/migrate.ts";
import { openScratch } from "../autogenerate/scratch.ts";
import { extensionsIn, revisionTexts } from "../drivers/pglite-extensions.ts";

/** A scratch database with every revision below `revisionId` applied (its parents and their dependencies), not the revision itself. */
export function openAtRevision(revisions: readonly LoadedRevision[], graph: RevisionGraph, revisionId: string): Promise<Engine> {
  return openAtHeads(revisions, graph, parentTargets(graph, revisionId));
}

/** A scratch database with `heads` and everything below them applied (no heads: an empty database at base). */
export async function openAtHeads(revisions: readonly LoadedRevision[], graph: RevisionGraph, heads: readonly string[]): Promise<Engine> {
  const engine = await openScratch(extensionsIn(revisionTexts(revisions)));
  try {
    const byId = new Map(revisions.map((r) => [r.id, r]));
    for (const target of heads) await upgradeTo(engine, byId, graph, target);
    return engine;
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/** Apply the revisions up to and including `target` that the scratch database does not have yet. */
export async function upgradeTo(engine: Engine, byId: ReadonlyMap<string, LoadedRevision>, graph: RevisionGraph, target: string): Promise<void> {
  await migrate({ url: "pglite:memory", engine, revisions: byId, plan: (current) => planUpgrade(graph, current, target), log: () => {}, recordHistory: false });
}

/** The revisions `revisionId` stands on: its parents and resolved dependencies. */
export function parentTargets(graph: RevisionGraph, revisionId: string): string[] {
  const meta = graph.get(revisionId);
  return [...new Set([...meta.downRevisions, ...graph.resolvedDependsOn(revisionId)])];
}

/** The ids applied in a database at `revisionId`'s parent (every ancestor, dependencies included, but not the revision). */
export function stateBelow(graph: RevisionGraph, revisionId: string): Set<string> {
  return stateAt(graph, parentTargets(graph, revisionId));
}

/** The ids applied in a database at `heads` (the heads and every ancestor, dependencies included). */
export function stateAt(graph: RevisionGraph, heads: readonly string[]): Set<string> {
  const marks = ancestors(graph, heads.map((id) => graph.mustIndex(id)));
  return new Set(graph.idsAt(members(marks)));
}
