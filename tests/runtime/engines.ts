/**
 * The engines runtime tests run on: one shared PGlite per test file (its init
 * costs seconds), and a temporary PostgreSQL database when the server is
 * there. Each test gets a fresh schema (search_path + version_table_schema).
 */
import { openEngine } from "../../src/drivers/open.ts";
import type { Engine } from "../../src/drivers/engine.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

/** An open engine and a way to give each test its own schema. */
export interface TestEngine {
  readonly kind: "pglite" | "postgres";
  readonly engine: Engine;
  readonly url: string;
  /** create a schema, put it first on search_path, return its name */
  freshSchema(): Promise<string>;
  close(): Promise<void>;
}

/** Engine kinds to run on: PGlite always, PostgreSQL when reachable (always in CI). */
export const engineKinds: readonly ("pglite" | "postgres")[] = (await postgresAvailable()) ? ["pglite", "postgres"] : ["pglite"];

let counter = 0;

/** Open a test engine of `kind`. */
export async function openTestEngine(kind: "pglite" | "postgres"): Promise<TestEngine> {
  let db: TempDatabase | undefined;
  const url = kind === "pglite" ? "pglite:memory" : (db = await createTempDatabase("retort_rt")).url;
  const engine = await openEngine(url);
  return {
    kind,
    engine,
    url,
    async freshSchema() {
      const name = `t${++counter}_${crypto.randomUUID().slice(0, 6)}`;
      await engine.execute(`CREATE SCHEMA ${name}; SET search_path TO ${name}`);
      return name;
    },
    async close() {
      await engine.close();
      await db?.drop();
    },
  };
}
