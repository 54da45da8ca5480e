/**
 * A PGlite data dir at any revision, through the cache: look the key up;
 * on a miss start from the nearest ancestor that is cached (else an empty
 * database), upgrade the rest of the way, shut down cleanly and store the
 * result with its introspected catalog. Moving head by one revision costs
 * one revision, not the history.
 */
import { ancestors } from "../core/closure.ts";
import type { RevisionGraph } from "../core/graph.ts";
import { planUpgrade } from "../core/plan.ts";
import { PgliteUnsupportedError } from "../errors.ts";
import { pgliteVersion } from "../embedded/snapshot.ts";
import { extensionsIn, unsupportedExtensionsIn } from "../drivers/pglite-extensions.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { migrate } from "../runtime/migrate.ts";
import { versionTableName } from "../runtime/version-table.ts";
import { qualify } from "../ops/quote.ts";
import { revisionContent } from "./content.ts";
import { buildEntry, type Snapshot } from "./entry.ts";
import { CACHE_FORMAT, databaseKey, revisionKeys } from "./key.ts";
import type { CacheStore } from "./store.ts";
import type { VersionTableOptions } from "../runtime/version-table.ts";

export type { Snapshot } from "./entry.ts";

/** A revision history ready for cache look-ups: graph, contents and per-revision keys, computed once. */
export interface CacheHistory extends VersionTableOptions {
  readonly graph: RevisionGraph;
  readonly revisions: ReadonlyMap<string, LoadedRevision>;
  readonly contents: readonly string[];
  readonly keys: readonly string[];
}

/** Index a revision list (file-name order, as loaded) for the cache. */
export function cacheHistory(
  graph: RevisionGraph,
  revisions: readonly LoadedRevision[],
  table: VersionTableOptions = {},
): CacheHistory {
  const byId = new Map(revisions.map((r) => [r.id, r]));
  const contents = graph.revisions.map((meta) => revisionContent(byId.get(meta.id)!));
  return { graph, revisions: byId, contents, keys: revisionKeys(graph, contents), ...table };
}

/** The key of a database at `heads` (ids) of this history. */
export function keyAt(history: CacheHistory, heads: readonly string[]): string {
  const table = versionTableName(history.versionTable, history.versionTableSchema);
  return databaseKey(
    history.keys,
    heads.map((id) => history.graph.mustIndex(id)),
    { pgliteVersion: pgliteVersion(), format: CACHE_FORMAT, versionTable: qualify(table.schema, table.name) },
  );
}

const inProcess = new Map<string, Promise<Snapshot>>();

/**
 * The data dir at `heads` (revision ids, e.g. a resolved "head"; not empty),
 * from the cache or built and stored. Memoised per process and key: fifty
 * databases at the same revision read and check the entry once.
 */
export function snapshotAt(store: CacheStore, history: CacheHistory, heads: readonly string[], log?: (line: string) => void): Promise<Snapshot> {
  const sorted = [...new Set(heads)].sort();
  if (sorted.length === 0) throw new Error("snapshotAt: no revision given (base is an empty database, which needs no cache)");
  const key = keyAt(history, sorted);
  return memoised(store, key, () => lookUpOrBuild(store, history, sorted, key, log));
}

/** One look-up or build per store and key in this process. */
export function memoised(store: CacheStore, key: string, make: () => Promise<Snapshot>): Promise<Snapshot> {
  const memo = `${store.dir}\0${key}`;
  let pending = inProcess.get(memo);
  if (pending === undefined) {
    pending = make();
    inProcess.set(memo, pending);
    pending.catch(() => inProcess.delete(memo));
  }
  return pending;
}

/** Forget what this process has read (after `cache clear`, or in tests that damage entries). */
export function forgetInProcess(): void {
  inProcess.clear();
}

async function lookUpOrBuild(store: CacheStore, history: CacheHistory, heads: readonly string[], key: string, log?: (line: string) => void): Promise<Snapshot> {
  const hit = await store.read(key);
  if (hit) return { key, heads, manifest: hit.manifest, tar: hit.tar, source: { kind: "hit" } };
  const { graph } = history;
  const needed = ancestors(graph, heads.map((id) => graph.mustIndex(id)));
  checkExtensions(history, needed);
  const start = await nearestCachedAncestor(store, history, needed, heads);
  const texts: string[] = [];
  for (let i = 0; i < needed.length; i++) if (needed[i]) texts.push(history.contents[i]!);
  log?.(`Building the cached database at ${heads.join(", ")} from ${start?.id ?? "an empty database"}`);
  let steps = 0;
  const snapshot = await buildEntry(store, {
    key,
    revisions: heads,
    extensions: extensionsIn(texts),
    start: start?.tar ?? null,
    catalog: { versionTable: history.versionTable, versionTableSchema: history.versionTableSchema },
    async fill(engine) {
      for (const head of heads) {
        const result = await migrate({
          url: "pglite:memory",
          engine,
          revisions: history.revisions,
          versionTable: history.versionTable,
          versionTableSchema: history.versionTableSchema,
          plan: (current) => planUpgrade(graph, current, head),
          log: () => {},
          // a scratch database keeps no history (README "History table")
          recordHistory: false,
        });
        steps += result.steps.length;
      }
    },
  });
  return { ...snapshot, source: { kind: "built", from: start ? [start.id] : [], steps } };
}

/** The latest revision (in topological order) below `heads` whose own database is cached and intact. */
async function nearestCachedAncestor(store: CacheStore, history: CacheHistory, needed: Uint8Array, heads: readonly string[]): Promise<{ id: string; tar: Uint8Array } | null> {
  const { graph } = history;
  const order = graph.links.order;
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const id = graph.idAt(i);
    if (!needed[i] || heads.includes(id)) continue;
    const candidate = keyAt(history, [id]);
    if (!store.has(candidate)) continue;
    const entry = await store.read(candidate);
    if (entry) return { id, tar: entry.tar };
  }
  return null;
}

/** Refuse, before anything runs, revisions (flagged in `needed`) that create an extension PGlite does not ship. */
export function checkExtensions(history: CacheHistory, needed: Uint8Array): void {
  for (const i of history.graph.links.order) {
    if (!needed[i]) continue;
    const [extension] = unsupportedExtensionsIn(history.contents[i]!);
    if (extension !== undefined) {
      const meta = history.graph.revisions[i]!;
      throw new PgliteUnsupportedError(meta.id, meta.path, extension);
    }
  }
}
