/**
 * A PGlite data dir at any revision, through the cache: look the key up;
 * on a miss start from the nearest ancestor that is cached (else an empty
 * database), upgrade the rest of the way, shut down cleanly and store the
 * result. Moving head by one revision costs one revision, not the history.
 */
import { rmSync } from "node:fs";
import { ancestors } from "../core/closure.ts";
import type { RevisionGraph } from "../core/graph.ts";
import { planUpgrade } from "../core/plan.ts";
import { PgliteUnsupportedError } from "../errors.ts";
import { ephemeralDataDir } from "../embedded/ephemeral.ts";
import { dataDirEntries, pgliteVersion } from "../embedded/snapshot.ts";
import { writeTar } from "../embedded/tar.ts";
import { materialiseSnapshot } from "../embedded/unpack.ts";
import { openPglite } from "../drivers/pglite.ts";
import { contribModules, extensionsIn, unsupportedExtensionsIn } from "../autogenerate/scratch.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { migrate } from "../runtime/migrate.ts";
import { versionTableName } from "../runtime/version-table.ts";
import { qualify } from "../ops/quote.ts";
import { revisionContent } from "./content.ts";
import { CACHE_FORMAT, databaseKey, revisionKeys } from "./key.ts";
import type { CacheStore, EntryManifest } from "./store.ts";

/** A revision history ready for cache look-ups: graph, contents and per-revision keys, computed once. */
export interface CacheHistory {
  readonly graph: RevisionGraph;
  readonly revisions: ReadonlyMap<string, LoadedRevision>;
  readonly contents: readonly string[];
  readonly keys: readonly string[];
  readonly versionTable?: string | undefined;
  readonly versionTableSchema?: string | null | undefined;
}

/** Index a revision list (file-name order, as loaded) for the cache. */
export function cacheHistory(
  graph: RevisionGraph,
  revisions: readonly LoadedRevision[],
  table: { versionTable?: string | undefined; versionTableSchema?: string | null | undefined } = {},
): CacheHistory {
  const byId = new Map(revisions.map((r) => [r.id, r]));
  const contents = graph.revisions.map((meta) => revisionContent(byId.get(meta.id)!));
  return { graph, revisions: byId, contents, keys: revisionKeys(graph, contents), ...table };
}

/** A cached database: what revisions it is at, and its data dir. */
export interface Snapshot {
  readonly key: string;
  /** the target revision ids it was built for ([] = empty database) */
  readonly heads: readonly string[];
  readonly manifest: EntryManifest;
  readonly tar: Uint8Array;
  /** how it was obtained: read from the cache, or built (from which cached revision, or null: from empty) */
  readonly source: { readonly kind: "hit" } | { readonly kind: "built"; readonly from: readonly string[]; readonly steps: number };
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
 * The data dir at `heads` (revision ids, e.g. a resolved "head"), from the
 * cache or built and stored. Memoised per process and key: fifty databases
 * at the same revision read and check the entry once.
 */
export function snapshotAt(store: CacheStore, history: CacheHistory, heads: readonly string[], log?: (line: string) => void): Promise<Snapshot> {
  const sorted = [...new Set(heads)].sort();
  const key = keyAt(history, sorted);
  const memo = `${store.dir}\0${key}`;
  let pending = inProcess.get(memo);
  if (pending === undefined) {
    pending = lookUpOrBuild(store, history, sorted, key, log);
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
  // the nearest cached ancestor: the latest one in topological order whose own entry is there
  let start: { ids: string[]; tar: Uint8Array | null; extensions: readonly string[] } = { ids: [], tar: null, extensions: [] };
  const order = graph.links.order;
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    if (!needed[i] || heads.includes(graph.idAt(i))) continue;
    const candidate = keyAt(history, [graph.idAt(i)]);
    if (!store.has(candidate)) continue;
    const entry = await store.read(candidate);
    if (entry) {
      start = { ids: [graph.idAt(i)], tar: entry.tar, extensions: entry.manifest.extensions };
      break;
    }
  }
  const texts: string[] = [];
  for (let i = 0; i < needed.length; i++) if (needed[i]) texts.push(history.contents[i]!);
  const extensions = extensionsIn(texts);
  const dir = ephemeralDataDir();
  let steps = 0;
  try {
    if (start.tar) await materialiseSnapshot(start.tar, dir);
    log?.(`Building the cached database at ${heads.join(", ") || "base"} from ${start.ids.join(", ") || "an empty database"}`);
    const engine = await openPglite(dir, `pglite:memory (building ${heads.join(", ") || "base"})`, {
      pglite: { extensions: await contribModules(extensions) },
    });
    try {
      for (const head of heads) {
        const result = await migrate({
          url: "pglite:memory",
          engine,
          revisions: history.revisions,
          versionTable: history.versionTable,
          versionTableSchema: history.versionTableSchema,
          plan: (current) => planUpgrade(graph, current, head),
          log: () => {},
        });
        steps += result.steps.length;
      }
    } finally {
      await engine.close(); // a clean shutdown: no recovery at the next open
    }
    const tar = writeTar(dataDirEntries(dir));
    const manifest = store.write({ key, revisions: heads, extensions, pgliteVersion: pgliteVersion(), format: CACHE_FORMAT }, tar);
    return { key, heads, manifest, tar, source: { kind: "built", from: start.ids, steps } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Refuse, before anything runs, a history that creates an extension PGlite does not ship. */
function checkExtensions(history: CacheHistory, needed: Uint8Array): void {
  for (const i of history.graph.links.order) {
    if (!needed[i]) continue;
    const [extension] = unsupportedExtensionsIn(history.contents[i]!);
    if (extension !== undefined) {
      const meta = history.graph.revisions[i]!;
      throw new PgliteUnsupportedError(meta.id, meta.path, extension);
    }
  }
}
