/**
 * Making one cache entry: open PGlite on a scratch directory (empty, or
 * unpacked from a starting data dir), let the caller fill it, read its
 * catalog for autogenerate, shut down cleanly (no recovery at the next
 * open) and store the directory as a tar. Also reading an entry's catalog
 * back, re-reading it from the database when the catalog query changed.
 */
import { rmSync } from "node:fs";
import { CATALOG_VERSION, readCatalog, type IntrospectOptions } from "../autogenerate/introspect.ts";
import { contribModules } from "../autogenerate/scratch.ts";
import type { Engine } from "../drivers/engine.ts";
import { openPglite } from "../drivers/pglite.ts";
import { ephemeralDataDir } from "../embedded/ephemeral.ts";
import { START_PARAMS } from "../embedded/pglite.ts";
import { dataDirEntries, pgliteVersion } from "../embedded/snapshot.ts";
import { writeTar } from "../embedded/tar.ts";
import { materialiseSnapshot } from "../embedded/unpack.ts";
import { CACHE_FORMAT } from "./key.ts";
import { openDataDirTar } from "./open.ts";
import type { CacheStore, EntryManifest } from "./store.ts";

/** A cached database: its key, manifest and data dir. */
export interface Snapshot {
  readonly key: string;
  /** the revision ids it is at ([] for a declarative schema) */
  readonly heads: readonly string[];
  readonly manifest: EntryManifest;
  readonly tar: Uint8Array;
  /** read from the cache, or built (from which cached revision; [] = from an empty database, in how many steps) */
  readonly source: { readonly kind: "hit" } | { readonly kind: "built"; readonly from: readonly string[]; readonly steps: number };
}

/** What buildEntry needs. */
export interface EntryRecipe {
  readonly key: string;
  readonly revisions: readonly string[];
  readonly label?: string;
  readonly extensions: readonly string[];
  /** a data dir tar to start from, or null for an empty database */
  readonly start: Uint8Array | null;
  /** how to read the catalog (which version table to leave out) */
  readonly catalog: IntrospectOptions;
  fill(engine: Engine): Promise<void>;
}

/**
 * PGlite's start parameters for databases that become cache entries: old WAL
 * segments are deleted at checkpoints instead of being kept as future ones,
 * which only made every entry (and every database opened from it) 16 MB per
 * kept segment bigger.
 */
export const BUILD_START_PARAMS: readonly string[] = [...START_PARAMS, "-c", "wal_recycle=off"];

/** The name of an entry's catalog file for the current catalog query. */
export const catalogFile = (): string => `catalog-${CATALOG_VERSION}.json`;

/** Build and store one entry (see the module comment). */
export async function buildEntry(store: CacheStore, recipe: EntryRecipe): Promise<Omit<Snapshot, "source">> {
  const dir = ephemeralDataDir();
  try {
    if (recipe.start) await materialiseSnapshot(recipe.start, dir);
    const engine = await openPglite(dir, `pglite:memory (building a cached database)`, {
      pglite: { extensions: await contribModules(recipe.extensions), startParams: [...BUILD_START_PARAMS] },
    });
    let catalog: string;
    try {
      await recipe.fill(engine);
      catalog = await readCatalog(engine, recipe.catalog);
    } finally {
      await engine.close();
    }
    const tar = writeTar(dataDirEntries(dir));
    const manifest = store.write(
      { key: recipe.key, revisions: recipe.revisions, extensions: recipe.extensions, pgliteVersion: pgliteVersion(), format: CACHE_FORMAT, ...(recipe.label ? { label: recipe.label } : {}) },
      tar,
      { [catalogFile()]: catalog },
    );
    return { key: recipe.key, heads: recipe.revisions, manifest, tar };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A snapshot's catalog text: from its entry, else read from a database opened on it (and kept for next time). */
export async function snapshotCatalog(store: CacheStore, snapshot: Snapshot, options: IntrospectOptions, open: () => Promise<Engine>): Promise<string> {
  const kept = store.readExtra(snapshot.key, catalogFile());
  if (kept !== null) {
    try {
      JSON.parse(kept);
      return kept;
    } catch {
      // damaged: read it again
    }
  }
  const catalog = await readCatalog(await open(), options);
  store.writeExtra(snapshot.key, catalogFile(), catalog);
  return catalog;
}

/** Open a database from a snapshot. */
export function openSnapshot(snapshot: Snapshot, displayUrl: string, extraExtensions: readonly string[] = []): Promise<Engine> {
  const extensions = [...new Set([...snapshot.manifest.extensions, ...extraExtensions])].sort();
  return openDataDirTar(snapshot.tar, extensions, displayUrl);
}
