/**
 * Read-only database access shared by `validate`, `log` and `current -v`:
 * open the engine without creating anything (a pglite directory that holds
 * no database is simply empty), read, close.
 */
import { redactUrl } from "../config/url.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { DatabaseMissingError, openEngine } from "../drivers/open.ts";
import { historyTableName } from "../history/table.ts";
import { versionTableName, type VersionTableName } from "../runtime/version-table.ts";
import type { VersionTableOptions } from "../runtime/version-table.ts";

/** Where the history is read from. */
export interface HistoryReadOptions extends VersionTableOptions {
  readonly url: string;
  readonly engineOptions?: EngineOptions | undefined;
  /** an open engine to use instead of opening `url` (left open) */
  readonly engine?: Engine | undefined;
  /** stderr notes: a pglite:<dir> that holds no database */
  readonly log?: ((line: string) => void) | undefined;
}

/** The tables a read uses. */
export interface HistoryTables {
  readonly versions: VersionTableName;
  readonly history: VersionTableName;
}

/** Resolve the table names (ConfigError for names PostgreSQL would cut). */
export function historyTables(options: HistoryReadOptions): HistoryTables {
  const versions = versionTableName(options.versionTable, options.versionTableSchema);
  return { versions, history: historyTableName(options.historyTable, versions) };
}

/** Run `read` on a read-only engine; `missing` is the answer for a database that does not exist yet. */
export async function readDatabase<T>(options: HistoryReadOptions, read: (engine: Engine) => Promise<T>, missing: () => T): Promise<T> {
  let engine: Engine;
  try {
    engine = options.engine ?? (await openEngine(options.url, { ...options.engineOptions, create: false }));
  } catch (error) {
    if (error instanceof DatabaseMissingError) {
      options.log?.(`there is no database at ${error.displayUrl} (nothing was created there)`);
      return missing();
    }
    throw error;
  }
  try {
    return await read(engine);
  } finally {
    if (options.engine === undefined) await engine.close().catch(() => {});
  }
}

/** The URL as results show it. */
export function shownUrl(options: HistoryReadOptions): string {
  return redactUrl(options.url);
}
