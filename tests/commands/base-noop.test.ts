/**
 * `downgrade base` and `stamp base` on a database that holds no version
 * table have nothing to do: they exit 0 and create nothing (not the version
 * table, not a pglite directory), even for a role that may not create tables.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { runCli, tempDir } from "../helpers/cli.ts";
import { adminUrl, createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const up = await postgresAvailable();

function project(): string {
  const cwd = tempDir("base-noop-");
  mkdirSync(join(cwd, "migrations/versions"), { recursive: true });
  writeFileSync(join(cwd, "migrations/versions/aaaa00000001_one.sql"), "-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: one\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
  return cwd;
}

const COMMANDS = [
  ["downgrade", "base"],
  ["stamp", "base"],
  ["stamp", "base", "--purge"],
];

describe("downgrade base / stamp base with nothing to do", () => {
  test("on a pglite: directory that does not exist: exit 0, no directory made", async () => {
    const cwd = project();
    for (const command of COMMANDS) {
      const run = await runCli([...command, "--url", "pglite:db"], { cwd });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(existsSync(join(cwd, "db"))).toBe(false);
    }
  }, 30_000);

  describe.if(up)("on PostgreSQL", () => {
    let db: TempDatabase;
    let admin: postgres.Sql;
    const role = `retort_nocreate_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    beforeAll(async () => {
      db = await createTempDatabase("retort_base");
      admin = postgres(db.url, { max: 1, onnotice: () => {} });
      // PostgreSQL 15 grants no CREATE on schema public to other roles; say so for older servers too
      await admin.unsafe(`CREATE ROLE ${role} LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    });
    afterAll(async () => {
      await admin.end({ timeout: 1 });
      await db.drop();
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`DROP ROLE IF EXISTS ${role}`).finally(() => sql.end({ timeout: 1 }));
    });

    test("exit 0 and the version table still does not exist, also for a role without CREATE", async () => {
      const cwd = project();
      const asRole = new URL(db.url);
      asRole.username = role;
      for (const url of [db.url, asRole.toString()]) {
        for (const command of COMMANDS) {
          const run = await runCli([...command, "--url", url], { cwd });
          expect(run.stderr).toBe("");
          expect(run.code).toBe(0);
          const [row] = await admin`select to_regclass('public.alembic_version') is null as missing`;
          expect(row?.missing).toBe(true);
        }
      }
    }, 30_000);
  });
});
