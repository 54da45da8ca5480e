/**
 * Shared pieces of the autogenerate tests: a database that can be emptied
 * between cases (cheaper than a new one), schema loading, and models
 * compared the way the round-trip property means "equal".
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../../src/drivers/engine.ts";
import { openEngine } from "../../src/drivers/open.ts";
import { introspect } from "../../src/autogenerate/introspect.ts";
import type { SchemaModel } from "../../src/autogenerate/model.ts";
import { openScratch } from "../../src/autogenerate/scratch.ts";
import { loadSchemaFiles } from "../../src/autogenerate/schema-source.ts";
import { tempDir } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

/** The realistic fixture schemas, by name. */
export const FIXTURES = ["pagila", "chinook", "northwind"] as const;

/** The text of tests/fixtures/schemas/<name>.sql. */
export function fixture(name: string): string {
  return readFileSync(join(import.meta.dir, "..", "fixtures", "schemas", `${name}.sql`), "utf8");
}

/** A new revision directory holding one base revision (cccc00000001) whose upgrade is `sql`. */
export function oneRevision(sql: string): string {
  const dir = join(tempDir("revisions-"), "versions");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cccc00000001_fixture.sql"), `-- Revision ID: cccc00000001\n-- Revises:\n-- Create Date: 2026-01-01 00:00:00\n-- Message: fixture\n\n-- migrate:upgrade\n${sql}\n`);
  return dir;
}

/** Every PGlite extension a fixture uses (PGlite loads extensions when it starts). */
export const FIXTURE_EXTENSIONS = ["btree_gist", "citext", "hstore", "ltree", "pg_trgm", "pgcrypto", "uuid-ossp"];

/** A database the tests load schemas into, emptied between cases. */
export interface TestDatabase {
  readonly kind: "pglite" | "postgres";
  readonly engine: Engine;
  /** drop every schema and extension, leaving an empty public schema as a new database has */
  reset(): Promise<void>;
  /** reset, then run `sql` */
  load(sql: string, path?: string): Promise<void>;
  model(): Promise<SchemaModel>;
  close(): Promise<void>;
}

/** Engine kinds to run on: PGlite always, PostgreSQL when reachable (always in CI). */
export const engineKinds: readonly ("pglite" | "postgres")[] = (await postgresAvailable()) ? ["pglite", "postgres"] : ["pglite"];

const USER_OBJECTS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'`;
const NOT_MEMBER = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

/**
 * Drop every user object, then the extensions, then the schemas, so that
 * no CASCADE reaches into an extension: PGlite keeps extension libraries
 * loaded, and dropping an extension together with objects that use it
 * (an ltree GiST index) fails with "cache lookup failed for function".
 */
async function emptyDatabase(engine: Engine): Promise<void> {
  const drop = async (sql: string) => {
    for (const row of await engine.query<{ stmt: string }>(sql)) await engine.execute(row.stmt);
  };
  await drop(`SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, n.nspname, c.relname) AS stmt
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ${USER_OBJECTS} AND ${NOT_MEMBER("pg_class", "c.oid")} ORDER BY c.relkind DESC`);
  await drop(`SELECT format('DROP ROUTINE IF EXISTS %I.%I(%s) CASCADE', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS stmt
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_OBJECTS} AND ${NOT_MEMBER("pg_proc", "p.oid")}`);
  await drop(`SELECT format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname, t.typname) AS stmt
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0 OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
      AND ${USER_OBJECTS} AND ${NOT_MEMBER("pg_type", "t.oid")}`);
  await drop("SELECT format('DROP EXTENSION %I', extname) AS stmt FROM pg_extension WHERE extname <> 'plpgsql'");
  await drop(`SELECT format('DROP SCHEMA %I CASCADE', n.nspname) AS stmt FROM pg_namespace n WHERE ${USER_OBJECTS} AND n.nspname <> 'public'`);
  await engine.execute("CREATE SCHEMA IF NOT EXISTS public; COMMENT ON SCHEMA public IS 'standard public schema'");
}

/** Open a test database of `kind`: a scratch PGlite, or a temporary database on the PostgreSQL server. */
export async function openTestDatabase(kind: "pglite" | "postgres"): Promise<TestDatabase> {
  let temp: TempDatabase | undefined;
  const engine = kind === "pglite" ? await openScratch(FIXTURE_EXTENSIONS) : await openEngine((temp = await createTempDatabase("retort_ag")).url);
  const db: TestDatabase = {
    kind,
    engine,
    async reset() {
      await emptyDatabase(engine);
    },
    async load(sql, path = "schema.sql") {
      await db.reset();
      await loadSchemaFiles(engine, [{ path, text: sql }]);
    },
    model: () => introspect(engine),
    async close() {
      await engine.close();
      await temp?.drop();
    },
  };
  return db;
}

/** A model as the round-trip property compares it: column order and the dependency graph do not count. */
export function comparable(model: SchemaModel): unknown {
  return {
    ...model,
    dependencies: undefined,
    tables: model.tables.map((t) => ({ ...t, columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) })),
  };
}
