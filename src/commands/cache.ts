/**
 * `retort cache` and `retort cache clear`: what the snapshot cache holds
 * (revision, key, size, last use) and emptying it. Prints nothing.
 */
import { forgetInProcess } from "../cache/build.ts";
import type { CacheStore } from "../cache/store.ts";

/** One entry as listed. */
export interface CacheEntryResult {
  /** the revisions the cached database is at, comma-separated, or what else it holds ("schema /p/schema.sql") */
  readonly revision: string;
  readonly key: string;
  readonly sizeBytes: number;
  /** ISO 8601 */
  readonly lastUsed: string;
  readonly createdAt: string;
  readonly pgliteVersion: string;
}

/** What `retort cache` reports. */
export interface CacheListResult {
  readonly dir: string;
  readonly maxBytes: number;
  readonly totalBytes: number;
  /** most recently used first */
  readonly entries: readonly CacheEntryResult[];
}

/** List the cache's entries. */
export function listCache(store: CacheStore): CacheListResult {
  const entries = store.list().map((e) => ({
    revision: e.revisions.length > 0 ? e.revisions.join(",") : (e.label ?? "base"),
    key: e.key,
    sizeBytes: e.size,
    lastUsed: e.lastUsed.toISOString(),
    createdAt: e.createdAt,
    pgliteVersion: e.pgliteVersion,
  }));
  return { dir: store.dir, maxBytes: store.maxBytes, totalBytes: entries.reduce((s, e) => s + e.sizeBytes, 0), entries };
}

/** Empty the cache; returns how many entries went. */
export function clearCache(store: CacheStore): { dir: string; removed: number } {
  const removed = store.clear();
  forgetInProcess();
  return { dir: store.dir, removed };
}
