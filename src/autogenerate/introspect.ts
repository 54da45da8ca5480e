/**
 * Introspection: read a database's schema from the catalogs into the
 * normalised model. Works on anything with a `query` method (both engines),
 * reads only, and leaves the session's search_path as it found it.
 */
import { DEFAULT_HISTORY_TABLE } from "../history/table.ts";
import type { Row } from "../drivers/engine.ts";
import { qualify } from "../ops/quote.ts";
import { assembleModel, type CatalogRows } from "./assemble.ts";
import { catalogQuery } from "./catalog-queries.ts";
import type { SchemaModel } from "./model.ts";
import type { VersionTableOptions } from "../runtime/version-table.ts";

/** The one thing introspection needs from an engine. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** Which tables are retort's own, so they are left out: the version table (Alembic's alembic_version by default) and the history table beside it. */
export type IntrospectOptions = VersionTableOptions;

/** Read the schema of the database behind `db`. */
export async function introspect(db: Queryable, options: IntrospectOptions = {}): Promise<SchemaModel> {
  return modelFromCatalog(await readCatalog(db, options));
}

/** The model from readCatalog's text (pure): what the snapshot cache keeps beside a cached database. */
export function modelFromCatalog(catalog: string): SchemaModel {
  return assembleModel(JSON.parse(catalog) as CatalogRows);
}

/** Tells whose catalog text a cache holds: a change to the catalog query makes old texts unusable. */
export const CATALOG_VERSION: string = Bun.hash(catalogQuery).toString(16);

/** The catalog rows introspection assembles the model from, as the JSON text the catalog query returns. */
export async function readCatalog(db: Queryable, options: IntrospectOptions = {}): Promise<string> {
  const versionTable = qualify(options.versionTableSchema ?? null, options.versionTable ?? "alembic_version");
  // resolved before the search_path is emptied: an unqualified version table lives on the caller's path
  const historyTable = qualify(options.versionTableSchema ?? null, options.historyTable ?? DEFAULT_HISTORY_TABLE);
  const [found] = await db.query<{ oid: string | null; history: string | null; path: string }>(
    "SELECT pg_catalog.to_regclass($1)::oid::text AS oid, pg_catalog.to_regclass($2)::oid::text AS history, pg_catalog.current_setting('search_path') AS path",
    [versionTable, historyTable],
  );
  const excluded = found?.oid ?? "0";
  const excludedHistory = found?.history ?? "0";
  await db.query("SELECT pg_catalog.set_config('search_path', '', false)");
  try {
    const [row] = await db.query<{ model: string }>(catalogQuery, [excluded, excludedHistory]);
    return row?.model ?? "{}";
  } finally {
    await db.query("SELECT pg_catalog.set_config('search_path', $1, false)", [found?.path ?? "\"$user\", public"]);
  }
}
