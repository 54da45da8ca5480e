/**
 * What `validate`, `log` and `current -v` share: the history and version
 * table names and the URL as shown; reading goes through
 * src/runtime/read-database.ts.
 */
import { redactUrl } from "../config/url.ts";
import { historyTableName } from "../history/table.ts";
import { versionTableName, type VersionTableName } from "../runtime/version-table.ts";
import type { VersionTableOptions } from "../runtime/version-table.ts";
import type { ReadDatabaseOptions } from "../runtime/read-database.ts";

/** Where the history is read from. */
export interface HistoryReadOptions extends VersionTableOptions, ReadDatabaseOptions {}

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

/** The URL as results show it. */
export function shownUrl(options: HistoryReadOptions): string {
  return redactUrl(options.url);
}
