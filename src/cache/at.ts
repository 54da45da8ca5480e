/**
 * Databases at a point of the revision graph, for commands that need one
 * (databaseAt, verify, lint): the heads of the state just before a
 * revision, and a fresh in-process PGlite at any set of heads from the cache.
 */
import { openScratch } from "../autogenerate/scratch.ts";
import { ancestors, members } from "../core/closure.ts";
import type { RevisionGraph } from "../core/graph.ts";
import type { Engine } from "../drivers/engine.ts";
import { snapshotAt, type CacheHistory } from "./build.ts";
import { openSnapshot } from "./entry.ts";
import type { CacheStore } from "./store.ts";

/**
 * The heads of the state just before `id` runs: its ancestors (parents and
 * dependencies, transitively) without it, reduced to those nothing else in
 * the set builds on. [] for a base revision without dependencies.
 */
export function headsBefore(graph: RevisionGraph, id: string): string[] {
  const i = graph.mustIndex(id);
  const marks = ancestors(graph, [i]);
  marks[i] = 0;
  const below = members(marks);
  const inner = new Set<number>();
  for (const j of below) for (const d of graph.links.allDown[j]!) inner.add(d);
  return below.filter((j) => !inner.has(j)).map((j) => graph.idAt(j)).sort();
}

/**
 * A fresh, independent in-process PGlite at `heads` (revision ids; [] = an
 * empty database), read from the snapshot cache or built into it first.
 * `extensions`: contrib extensions to load besides those the revisions
 * create. Close it when done; its files go with it.
 */
export async function openCachedDatabase(
  store: CacheStore,
  history: CacheHistory,
  heads: readonly string[],
  options: { readonly extensions?: readonly string[]; readonly displayUrl?: string; readonly log?: (line: string) => void } = {},
): Promise<Engine> {
  if (heads.length === 0) return openScratch(options.extensions ?? []);
  const snapshot = await snapshotAt(store, history, heads, options.log);
  return openSnapshot(snapshot, options.displayUrl ?? `pglite:memory (at ${[...heads].sort().join(", ")})`, options.extensions ?? []);
}
