/**
 * Snapshot cache keys, computed from content (pure): a revision's key hashes
 * its own text with the keys of its parents and dependencies, so it changes
 * when anything on its ancestry changes and never when another branch does.
 * A database key adds the PGlite version, the cache format and the version
 * table to the keys of the revisions the database is at.
 */
import type { RevisionGraph } from "../core/graph.ts";

/** Bump when the layout or meaning of cache entries changes: old entries are then never matched. */
export const CACHE_FORMAT = 2;

/** What besides the revisions decides what a cached database holds. */
export interface KeyContext {
  /** the PGlite version that built it (a data dir only fits the PostgreSQL build that made it) */
  readonly pgliteVersion: string;
  /** CACHE_FORMAT, a parameter so tests can show it matters */
  readonly format: number;
  /** the version table, schema-qualified as written (it is part of the cached database) */
  readonly versionTable: string;
}

/** A hex SHA-256 of the parts, each length-prefixed so no two part lists collide. */
export function digest(parts: readonly string[]): string {
  const hasher = new Bun.CryptoHasher("sha256");
  for (const part of parts) hasher.update(`${part.length}:${part}\n`);
  return hasher.digest("hex");
}

/**
 * One key per revision index: sha256(id, content digest, keys of its parents
 * and dependencies in the order written). `contents[i]` is revision i's text.
 */
export function revisionKeys(graph: RevisionGraph, contents: readonly string[]): string[] {
  const keys: string[] = new Array(graph.size);
  const { order, down, deps } = graph.links;
  for (const i of order) {
    const parents = down[i]!.map((p) => keys[p]!);
    const dependencies = deps[i]!.map((d) => keys[d]!);
    keys[i] = digest([graph.idAt(i), digest([contents[i] ?? ""]), `parents ${parents.length}`, ...parents, `deps ${dependencies.length}`, ...dependencies]);
  }
  return keys;
}

/** The key of a database at `heads` (revision indices; [] = empty database at base). */
export function databaseKey(revisionKeyList: readonly string[], heads: readonly number[], context: KeyContext): string {
  const headKeys = [...new Set(heads)].map((h) => revisionKeyList[h]!).sort();
  return digest([`retort-cache ${context.format}`, `pglite ${context.pgliteVersion}`, `table ${context.versionTable}`, ...headKeys]).slice(0, 32);
}
