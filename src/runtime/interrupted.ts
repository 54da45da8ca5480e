/**
 * The in-progress marker of `Transaction: false` revisions: a table
 * `retort_interrupted` beside the version table, created with one row before
 * such a revision starts and dropped in the same implicit transaction as its
 * version row is written (so it exists only while one runs, and never shows
 * up as drift). A row found at the start of
 * a run means a process died in the middle of one: some of its statements
 * may be applied without its version row, and nothing runs until the user
 * checks and resolves it (`stamp`, or `--resolve-interrupted`).
 */
import type { Engine } from "../drivers/engine.ts";
import { UnresolvedInterruptionError } from "../errors.ts";
import { qualify, quoteLiteral } from "../ops/quote.ts";
import type { VersionTableName } from "./version-table.ts";

/** The marker table's name (in the version table's schema). */
export const INTERRUPTED_TABLE = "retort_interrupted";

function markerTable(table: VersionTableName): string {
  return qualify(table.schema, INTERRUPTED_TABLE);
}

/** Create the marker table if needed and record `revision` as running (two statements, autocommit). */
export function markSql(table: VersionTableName, revision: string, description: string): string {
  const t = markerTable(table);
  return (
    `CREATE TABLE IF NOT EXISTS ${t} (revision varchar(32) NOT NULL, description text NOT NULL, started_at timestamptz NOT NULL DEFAULT now());\n` +
    `INSERT INTO ${t} (revision, description) VALUES (${quoteLiteral(revision)}, ${quoteLiteral(description)})`
  );
}

/** Remove the marker (sent with the version row; a run starts only when there is none, so one runs at a time). */
export function unmarkSql(table: VersionTableName): string {
  return `DROP TABLE IF EXISTS ${markerTable(table)}`;
}

/**
 * Refuse to run while a marker is there, naming the revision and what to
 * check; with `resolve` (stamp, --resolve-interrupted) delete the markers instead.
 */
export async function checkInterrupted(engine: Engine, table: VersionTableName, resolve: boolean): Promise<void> {
  const t = markerTable(table);
  const [exists] = await engine.query<{ oid: unknown }>("select to_regclass($1)::oid as oid", [t]);
  if (exists === undefined || exists.oid === null || exists.oid === undefined) return;
  if (resolve) {
    await engine.execute(unmarkSql(table));
    return;
  }
  const rows = await engine.query<{ revision: string; description: string; started: string }>(
    `SELECT revision, description, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS started FROM ${t} ORDER BY started_at`,
  );
  const first = rows[0];
  if (first === undefined) return;
  throw new UnresolvedInterruptionError(
    `revision ${first.revision} (${first.description}) was interrupted at ${first.started} while it ran outside a transaction (Transaction: false): ` +
      `some of its statements may be applied without its version row. Check the database against the revision, then record the state it is in with ` +
      `\`retort stamp <revision>\`, or rerun with --resolve-interrupted; nothing was run`,
    first.revision,
  );
}
