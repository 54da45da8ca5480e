/**
 * Temporary databases on the real PostgreSQL server for tests. Each test
 * makes its own database and drops it afterwards, so files run in parallel.
 */
import postgres from "postgres";

/** Admin URL of the test server; override with RETORT_TEST_PG_URL. */
export const adminUrl = process.env.RETORT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let reachable: Promise<boolean> | undefined;

/** Whether the server answers; in CI (CI=true) an unreachable server is a failure, not a skip. */
export function postgresAvailable(): Promise<boolean> {
  reachable ??= (async () => {
    const sql = postgres(adminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch (error) {
      if (process.env.CI === "true") throw new Error(`PostgreSQL at ${adminUrl} is required in CI: ${String(error)}`);
      console.warn(`skipping PostgreSQL tests: ${adminUrl} unreachable (${String(error)})`);
      return false;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
  return reachable;
}

/** A fresh database: its URL and a drop() that removes it (terminating leftover sessions). */
export interface TempDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Create a database with a random name on the test server. */
export async function createTempDatabase(prefix = "retort_test"): Promise<TempDatabase> {
  const name = `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}
