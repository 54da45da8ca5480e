/** PostgreSQL databases made by databaseAt's templates in a test file: listed by name prefix, and dropped after the file. */
import { afterAll } from "bun:test";
import postgres from "postgres";
import { adminUrl } from "../helpers/postgres.ts";

/** Databases on the server whose name starts with prefix. */
export async function databasesLike(prefix: string): Promise<string[]> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql.unsafe("SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1", [`${prefix.replaceAll("_", "\\_")}%`]);
    return rows.map((r) => String(r.datname));
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Project tags (projectTag) whose templates and clones are dropped after the calling test file; push to it. */
export function dropTemplatesAfterAll(hasPostgres: boolean): string[] {
  const tags: string[] = [];
  afterAll(async () => {
    if (!hasPostgres) return;
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      for (const tag of tags) {
        for (const name of [...(await databasesLike(`retort_tpl_${tag}`)), ...(await databasesLike(`retort_db_${tag}`))]) {
          await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        }
      }
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
  return tags;
}
