/**
 * The schema catalog lint decides with, read from the database at a
 * revision's parent: tables and their columns (with PostgreSQL's own type
 * names), the leading columns of every index, enum labels, and which objects
 * depend on each table or column. The shapes are plain data; rules are pure.
 */
import type { Engine } from "../drivers/engine.ts";

/** A column: its type as format_type() prints it (`character varying(10)`, `integer`). */
export interface CatalogColumn {
  readonly type: string;
  readonly notNull: boolean;
}

/** A pre-existing table, keyed `schema.table`. */
export interface CatalogTable {
  readonly columns: ReadonlyMap<string, CatalogColumn>;
  /** each index's key columns in order (expressions as null) */
  readonly indexes: readonly (readonly (string | null)[])[];
  /** objects that depend on the table (views, other tables' foreign keys), as words */
  readonly dependents: readonly string[];
  /** objects that depend on one column (views, indexes and constraints spanning other columns) */
  readonly columnDependents: ReadonlyMap<string, readonly string[]>;
}

/** The schema at a revision's parent. */
export interface Catalog {
  readonly tables: ReadonlyMap<string, CatalogTable>;
  /** index `schema.name` → its table `schema.table` */
  readonly indexes: ReadonlyMap<string, string>;
  /** enum `schema.name` → labels */
  readonly enums: ReadonlyMap<string, readonly string[]>;
  /** views and materialized views `schema.name` */
  readonly views: ReadonlySet<string>;
}

/** A catalog with nothing in it (the parent of a base revision). */
export const EMPTY_CATALOG: Catalog = { tables: new Map(), indexes: new Map(), enums: new Map(), views: new Set() };

const USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";

const QUERY = `
SELECT json_build_object(
  'columns', (SELECT coalesce(json_agg(json_build_object('t', n.nspname || '.' || c.relname, 'c', a.attname,
      'type', format_type(a.atttypid, a.atttypmod), 'nn', a.attnotnull) ORDER BY c.oid, a.attnum), '[]')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_SCHEMAS} AND NOT (n.nspname = $1 AND c.relname = $2)),
  'indexes', (SELECT coalesce(json_agg(json_build_object('i', n.nspname || '.' || ic.relname, 't', n.nspname || '.' || c.relname,
      'cols', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(att, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.att WHERE k.ord <= i.indnkeyatts))), '[]')
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS}),
  'enums', (SELECT coalesce(json_agg(json_build_object('e', n.nspname || '.' || t.typname,
      'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))), '[]')
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' AND ${USER_SCHEMAS}),
  'views', (SELECT coalesce(json_agg(n.nspname || '.' || c.relname), '[]') FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMAS}),
  'deps', (SELECT coalesce(json_agg(json_build_object('t', rn.nspname || '.' || rc.relname, 'col', ra.attname, 'what', d.what)), '[]')
    FROM (
      SELECT dep.refobjid, dep.refobjsubid, 'view ' || vn.nspname || '.' || v.relname AS what
        FROM pg_depend dep JOIN pg_rewrite r ON dep.classid = 'pg_rewrite'::regclass AND r.oid = dep.objid
        JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
        WHERE dep.refclassid = 'pg_class'::regclass AND v.oid <> dep.refobjid
      UNION
      SELECT con.confrelid, 0, 'foreign key ' || con.conname || ' of ' || cn.nspname || '.' || cc.relname
        FROM pg_constraint con JOIN pg_class cc ON cc.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
        WHERE con.contype = 'f' AND con.confrelid <> con.conrelid
      UNION
      SELECT con.conrelid, k.att, 'constraint ' || con.conname
        FROM pg_constraint con, unnest(con.conkey) k(att) WHERE array_length(con.conkey, 1) > 1
    ) d JOIN pg_class rc ON rc.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
    LEFT JOIN pg_attribute ra ON ra.attrelid = rc.oid AND ra.attnum = d.refobjsubid AND d.refobjsubid > 0
    WHERE rc.relkind IN ('r', 'p') AND ${USER_SCHEMAS.replaceAll("n.nspname", "rn.nspname")})
) AS catalog`;

interface Raw {
  columns: { t: string; c: string; type: string; nn: boolean }[];
  indexes: { i: string; t: string; cols: (string | null)[] | null }[];
  enums: { e: string; labels: string[] | null }[];
  views: string[];
  deps: { t: string; col: string | null; what: string }[];
}

/** Read the catalog of `engine`'s database, leaving out the version table. */
export async function readCatalog(engine: Engine, versionTable: { schema: string; name: string } = { schema: "public", name: "alembic_version" }): Promise<Catalog> {
  const rows = await engine.query<{ catalog: unknown }>(QUERY, [versionTable.schema, versionTable.name]);
  const value = rows[0]?.catalog;
  return catalogFromRaw((typeof value === "string" ? JSON.parse(value) : value) as Raw);
}

function catalogFromRaw(raw: Raw): Catalog {
  const tables = new Map<string, { columns: Map<string, CatalogColumn>; indexes: (string | null)[][]; dependents: string[]; columnDependents: Map<string, string[]> }>();
  for (const col of raw.columns) {
    let table = tables.get(col.t);
    if (!table) tables.set(col.t, (table = { columns: new Map(), indexes: [], dependents: [], columnDependents: new Map() }));
    table.columns.set(col.c, { type: col.type, notNull: col.nn });
  }
  const indexes = new Map<string, string>();
  for (const index of raw.indexes) {
    indexes.set(index.i, index.t);
    tables.get(index.t)?.indexes.push(index.cols ?? []);
  }
  for (const dep of raw.deps) {
    const table = tables.get(dep.t);
    if (!table) continue;
    if (dep.col === null) table.dependents.push(dep.what);
    else table.columnDependents.set(dep.col, [...(table.columnDependents.get(dep.col) ?? []), dep.what]);
  }
  const enums = new Map(raw.enums.map((e) => [e.e, e.labels ?? []]));
  return { tables, indexes, enums, views: new Set(raw.views) };
}

/**
 * The catalog as a tenant's revisions see it: they run with search_path set
 * to `schema` alone (README "Fleets"), while the rules resolve unqualified
 * names in `public` (README "Lint"). So the tenant schema's objects become
 * `public.*`, and the other schemas, which an unqualified name never reaches,
 * are left out.
 */
export function catalogOfSchema(catalog: Catalog, schema: string): Catalog {
  const prefix = `${schema}.`;
  const mine = (key: string) => key.startsWith(prefix);
  const rename = (key: string) => `public.${key.slice(prefix.length)}`;
  return {
    tables: new Map([...catalog.tables].filter(([key]) => mine(key)).map(([key, table]) => [rename(key), table])),
    indexes: new Map([...catalog.indexes].filter(([key, table]) => mine(key) && mine(table)).map(([key, table]) => [rename(key), rename(table)])),
    enums: new Map([...catalog.enums].filter(([key]) => mine(key)).map(([key, labels]) => [rename(key), labels])),
    views: new Set([...catalog.views].filter(mine).map(rename)),
  };
}

/**
 * `catalog` with only the tables, indexes, enums and views that `start` (the
 * database a run starts from) also has, by name: what an earlier revision of
 * the same run created is left out, so the rules take it as new and exempt,
 * as upgrade's pre-flight does with the catalog it reads before the run
 * (README "Lint"). What is kept is `catalog`'s own (columns as they are now).
 */
export function existingAtStart(catalog: Catalog, start: Catalog): Catalog {
  return {
    tables: new Map([...catalog.tables].filter(([key]) => start.tables.has(key))),
    indexes: new Map([...catalog.indexes].filter(([key]) => start.indexes.has(key))),
    enums: new Map([...catalog.enums].filter(([key]) => start.enums.has(key))),
    views: new Set([...catalog.views].filter((key) => start.views.has(key))),
  };
}

/** One string per catalog content, whatever order the server listed things in: databases with equal keys lint alike. */
export function catalogKey(catalog: Catalog): string {
  const sorted = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([
    sorted(catalog.tables).map(([key, t]) => [key, [...t.columns], t.indexes.map((i) => JSON.stringify(i)).sort(), [...t.dependents].sort(), sorted(t.columnDependents).map(([c, d]) => [c, [...d].sort()])]),
    sorted(catalog.indexes),
    sorted(catalog.enums),
    [...catalog.views].sort(),
  ]);
}
