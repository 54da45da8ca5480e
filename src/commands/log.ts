/**
 * `retort log [-n N] [--revision REV]`: the history table, newest first, one
 * line per row. Read-only: a database without the table has no history.
 */
import { appliedBy, formatTimestamp } from "../history/compare.ts";
import { wasInterrupted } from "../history/rows.ts";
import { historyTableExists, readHistory, type StoredHistoryRow } from "../history/table.ts";
import { formatDuration } from "../runtime/runner.ts";
import { historyTables, shownUrl, type HistoryReadOptions } from "./history-db.ts";
import { readDatabase } from "../runtime/read-database.ts";

/** Options of log. */
export interface LogOptions extends HistoryReadOptions {
  /** at most this many rows (newest first) */
  readonly limit?: number | undefined;
  /** only the rows of this revision (a full id) */
  readonly revision?: string | undefined;
}

/** One row for --json (dates as ISO 8601 strings). */
export interface LogEntry extends Omit<StoredHistoryRow, "startedAt"> {
  readonly startedAt: string;
}

/** What log found. --json shape: `{ url, historyExists, rows: LogEntry[] }`. */
export interface LogResult {
  readonly url: string;
  readonly historyExists: boolean;
  readonly rows: LogEntry[];
  /** the rows as read */
  readonly stored: readonly StoredHistoryRow[];
}

/** Read the history, newest first. */
export async function log(options: LogOptions): Promise<LogResult> {
  const tables = historyTables(options);
  const { exists, rows } = await readDatabase(
    options,
    async (engine) => {
      if (!(await historyTableExists(engine, tables.history))) return { exists: false, rows: [] as StoredHistoryRow[] };
      return { exists: true, rows: await readHistory(engine, tables.history, { limit: options.limit, revision: options.revision }) };
    },
    () => ({ exists: false, rows: [] as StoredHistoryRow[] }),
  );
  return { url: shownUrl(options), historyExists: exists, rows: rows.map((r) => ({ ...r, startedAt: r.startedAt.toISOString() })), stored: rows };
}

/**
 * One row as a line: `2026-12-07 10:04:11  upgrade  ffa7dce781be -> dadf308f3867  84 ms  ok  deploy@web-1  retort 0.2.0`
 * (UTC; baseline and accept rows name their revision). A failed step names
 * its revision, "failed" or "interrupted", and where alembic_version was
 * left (its heads_after: the rollback undid the step, so no arrow), and
 * ends with its SQLSTATE and message (README "log, current -v").
 */
export function formatLogLine(row: StoredHistoryRow): string {
  const heads = (ids: readonly string[]) => (ids.length === 0 ? "<base>" : ids.join(", "));
  const what =
    row.kind === "baseline" || row.kind === "accept"
      ? `${row.revision}${row.kind === "accept" ? ` (checksum ${row.checksum === null ? "unknown" : row.checksum.slice(0, 12)})` : ""}`
      : row.success
        ? `${heads(row.headsBefore)} -> ${heads(row.headsAfter)}`
        : `${row.revision} ${wasInterrupted(row) ? "interrupted" : "failed"} (alembic_version left at ${heads(row.headsAfter)})`;
  const duration = row.durationMs === null ? "-" : formatDuration(row.durationMs);
  const who = row.osUser !== null ? `${row.osUser}${row.host !== null ? `@${row.host}` : ""}` : appliedBy(row);
  const status = row.success ? "ok" : "FAILED";
  const failure = row.success ? "" : `  ${row.sqlstate ?? "-----"} ${(row.error ?? "").replace(/\s+/g, " ")}`.trimEnd();
  return `${formatTimestamp(row.startedAt)}  ${row.kind}  ${what}  ${duration}  ${status}  ${who}  retort ${row.retortVersion}${failure}`;
}
