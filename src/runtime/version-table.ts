/**
 * Alembic's version table: its DDL and the row changes, rendered exactly as
 * Alembic renders them (so --sql scripts read the same), plus reading the
 * current heads. A database Alembic created is used as it is.
 */
import type { VersionChange } from "../core/types.ts";
import type { Engine } from "../drivers/engine.ts";
import { ConfigError } from "../errors.ts";
import { qualify, quoteIdent, quoteLiteral } from "../ops/quote.ts";

/** Alembic's default table name. */
export const DEFAULT_VERSION_TABLE = "alembic_version";

/** Which version table: name and optional schema (null: the search_path decides, as in Alembic). */
export interface VersionTableName {
  readonly name: string;
  readonly schema: string | null;
}

/** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Why `name` cannot name the version table or its schema, or undefined.
 * PostgreSQL would silently cut a longer name, so retort and the server
 * would disagree on which table is meant.
 */
export function versionTableNameProblem(name: string, what: string): string | undefined {
  if (name === "") return `${what} is empty`;
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > MAX_IDENTIFIER_BYTES) return `${what} is ${bytes} bytes long; PostgreSQL names are at most ${MAX_IDENTIFIER_BYTES} bytes`;
  return undefined;
}

/** The version table from config values, with Alembic's default name; a name PostgreSQL would cut is a ConfigError (exit 2). */
export function versionTableName(name?: string | null, schema?: string | null): VersionTableName {
  const problem = versionTableNameProblem(name ?? DEFAULT_VERSION_TABLE, "the version table name") ?? (schema == null ? undefined : versionTableNameProblem(schema, "the version table schema"));
  if (problem !== undefined) throw new ConfigError(problem);
  return { name: name ?? DEFAULT_VERSION_TABLE, schema: schema ?? null };
}

/** Alembic's CREATE TABLE, byte for byte (including SQLAlchemy's trailing space after the comma). */
export function createVersionTableSql(table: VersionTableName): string {
  return (
    `CREATE TABLE ${qualify(table.schema, table.name)} (\n` +
    `    version_num VARCHAR(32) NOT NULL, \n` +
    `    CONSTRAINT ${quoteIdent(`${table.name}_pkc`)} PRIMARY KEY (version_num)\n` +
    `)`
  );
}

/** DROP TABLE, which Alembic's offline downgrade to base emits at the end. */
export function dropVersionTableSql(table: VersionTableName): string {
  return `DROP TABLE ${qualify(table.schema, table.name)}`;
}

/** One VersionChange as the statement Alembic emits for it. */
export function versionChangeSql(table: VersionTableName, change: VersionChange): string {
  const t = qualify(table.schema, table.name);
  switch (change.kind) {
    case "insert":
      return `INSERT INTO ${t} (version_num) VALUES (${quoteLiteral(change.version)}) RETURNING ${t}.version_num`;
    case "update":
      return `UPDATE ${t} SET version_num=${quoteLiteral(change.to)} WHERE ${t}.version_num = ${quoteLiteral(change.from)}`;
    case "delete":
      return `DELETE FROM ${t} WHERE ${t}.version_num = ${quoteLiteral(change.version)}`;
  }
}

/**
 * One VersionChange as run online: an UPDATE or DELETE that did not touch
 * exactly one row raises (Alembic: "Online migration expected to match one
 * row ..."), so a run whose heads another process changed meanwhile (a run
 * naming the table another way, Alembic itself) fails and rolls back instead
 * of recording a state that is not there. Inserts are checked by the primary key.
 */
export function checkedVersionChangeSql(table: VersionTableName, change: VersionChange): string {
  const statement = versionChangeSql(table, change);
  if (change.kind === "insert") return statement;
  const where = `in ${quoted(qualify(table.schema, table.name))}`;
  const what =
    change.kind === "update"
      ? `updating ${quoted(change.from)} to ${quoted(change.to)} ${where}`
      : `deleting ${quoted(change.version)} ${where}`;
  const message = quoteLiteral(`Online migration expected to match one row when ${what}; `);
  const hint = quoteLiteral(
    "another process changed the version table during this run (a run that named the table another way, or Alembic); " +
      "nothing of this transaction was committed: check `retort current` and run again",
  );
  const body =
    `\nDECLARE matched bigint;\nBEGIN\n  ${statement};\n  GET DIAGNOSTICS matched = ROW_COUNT;\n` +
    `  IF matched <> 1 THEN\n    RAISE EXCEPTION USING MESSAGE = ${message} || matched || ' found', HINT = ${hint};\n  END IF;\nEND\n`;
  let tag = "$retort$";
  for (let n = 1; body.includes(tag); n++) tag = `$retort${n}$`;
  return `DO ${tag}${body}${tag}`;
}

/** Alembic's quoting of a value inside its message: 'value'. */
function quoted(value: string): string {
  return `'${value}'`;
}

/** DELETE of every row, for stamp --purge. */
export function purgeVersionTableSql(table: VersionTableName): string {
  return `DELETE FROM ${qualify(table.schema, table.name)}`;
}

/** Whether the version table exists (read-only; resolved through search_path when no schema is set). */
export async function versionTableExists(engine: Engine, table: VersionTableName): Promise<boolean> {
  const [row] = await engine.query<{ oid: unknown }>("select to_regclass($1)::oid as oid", [qualify(table.schema, table.name)]);
  return row !== undefined && row.oid !== null && row.oid !== undefined;
}

/** The current heads (version_num rows, sorted); [] when the table does not exist. Never writes. */
export async function readHeads(engine: Engine, table: VersionTableName): Promise<string[]> {
  if (!(await versionTableExists(engine, table))) return [];
  const rows = await engine.query<{ version_num: string }>(`SELECT version_num FROM ${qualify(table.schema, table.name)}`);
  return rows.map((r) => r.version_num).sort();
}

/** Where the version table is, and the history table beside it: what every command that reads or writes them takes. */
export interface VersionTableOptions {
  /** version_table / --version-table (default alembic_version) */
  readonly versionTable?: string | undefined;
  /** version_table_schema / --version-table-schema (default: none, the search_path decides) */
  readonly versionTableSchema?: string | null | undefined;
  /** history_table / --history-table (default retort_history), in the version table's schema */
  readonly historyTable?: string | undefined;
}
