/**
 * The declarative schema (check, revision --autogenerate) through the cache:
 * a database with the schema files loaded, keyed by their text, the
 * extensions loaded with them, the PGlite version and the cache format.
 */
import { basename } from "node:path";
import { loadSchemaFiles, type SchemaFile } from "../autogenerate/schema-source.ts";
import { pgliteVersion } from "../embedded/snapshot.ts";
import { memoised } from "./build.ts";
import { buildEntry, type Snapshot } from "./entry.ts";
import { CACHE_FORMAT, digest } from "./key.ts";
import type { CacheStore } from "./store.ts";

/** The key of a database holding these schema files. */
export function declaredKey(files: readonly SchemaFile[], extensions: readonly string[]): string {
  const parts = [`retort-schema ${CACHE_FORMAT}`, `pglite ${pgliteVersion()}`, `extensions ${extensions.join(",")}`];
  for (const file of files) parts.push(basename(file.path), file.text);
  return digest(parts).slice(0, 32);
}

/** A database with the schema loaded, from the cache or built and stored. */
export function declaredSnapshot(store: CacheStore, files: readonly SchemaFile[], extensions: readonly string[], label: string, log?: (line: string) => void): Promise<Snapshot> {
  const key = declaredKey(files, extensions);
  return memoised(store, key, async () => {
    const hit = await store.read(key);
    if (hit) return { key, heads: [], manifest: hit.manifest, tar: hit.tar, source: { kind: "hit" } };
    log?.(`Building the cached database of the ${label}`);
    const built = await buildEntry(store, {
      key,
      revisions: [],
      label,
      extensions,
      start: null,
      catalog: {},
      fill: (engine) => loadSchemaFiles(engine, files),
    });
    return { ...built, source: { kind: "built", from: [], steps: 0 } };
  });
}
