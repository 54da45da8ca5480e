/**
 * Shared pieces of the autogenerate tests: a database that can be emptied
 * between cases (cheaper than a new one), schema loading, and models
 * compared the way the round-trip property means "equal".
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../../src/drivers/engine.ts";
import { openEngine } from "../../src/drivers/open.ts";
import { introspect } from "../../src/autogenerate/introspect.ts";
import type { SchemaModel } from "../../src/autogenerate/model.ts";
import { openScratch } from "../../src/autogenerate/scratch.ts";
import { loadSchemaFiles } from "../../src/autogenerate/schema-source.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

/** The realistic fixture schemas, by name. */
export const FIXTURES = ["pagila", "chinook", "northwind"] as const;

/** The text of tests/fixtures/schemas/<name>.sql. */
export function fixture(name: string): string {
  return readFileSync(join(import.meta.dir, "..", "fixtures", "schemas", `${name}.sql`), "utf8");
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

const RESET = `DO $reset$
DECLARE r record;
BEGIN
  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname !~ '^pg_' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION %I CASCADE', r.extname);
  END LOOP;
  CREATE SCHEMA public;
  COMMENT ON SCHEMA public IS 'standard public schema';
END
$reset$`;

/** Open a test database of `kind`: a scratch PGlite, or a temporary database on the PostgreSQL server. */
export async function openTestDatabase(kind: "pglite" | "postgres"): Promise<TestDatabase> {
  let temp: TempDatabase | undefined;
  const engine = kind === "pglite" ? await openScratch(FIXTURE_EXTENSIONS) : await openEngine((temp = await createTempDatabase("retort_ag")).url);
  const db: TestDatabase = {
    kind,
    engine,
    async reset() {
      await engine.execute(RESET);
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
