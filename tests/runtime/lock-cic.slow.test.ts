/**
 * Two deployers at once while the lock's holder builds an index CONCURRENTLY:
 * the waiting one must hold no snapshot, or the index build waits for it
 * while it waits for the lock (a deadlock PostgreSQL breaks with 40P01).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine } from "../../src/drivers/open.ts";
import { tempDir } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";
import { startCli, waitUntil } from "../helpers/project.ts";

const up = await postgresAvailable();

describe.if(up)("two deployers and CREATE INDEX CONCURRENTLY", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase("retort_lock_cic");
  });
  afterAll(async () => {
    await db.drop();
  });

  test("the second run waits for the lock without blocking the index build; both exit 0 and the index is built once", async () => {
    const cwd = tempDir("cic-");
    const dir = join(cwd, "migrations", "versions");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "aaaa00000001_t.sql"), "-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: t\n\n-- migrate:upgrade\nCREATE TABLE t (id int);\nINSERT INTO t SELECT generate_series(1, 1000);\n\n-- migrate:downgrade\nDROP TABLE t;\n");
    writeFileSync(
      join(dir, "bbbb00000002_idx.sql"),
      "-- Revision ID: bbbb00000002\n-- Revises: aaaa00000001\n-- Message: idx\n-- Transaction: false\n\n-- migrate:upgrade\nSELECT pg_sleep(1.5);\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);\n\n-- migrate:downgrade\nDROP INDEX t_id_idx;\n",
    );
    const args = ["upgrade", "head", "--url", db.url, "--no-lint"];
    const first = startCli(args, cwd);
    const watch = await openEngine(db.url);
    try {
      // the first run sleeps before the index build; start the second one now, so it waits for the lock meanwhile
      await waitUntil(async () => (await watch.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(1.5)%' AND state = 'active'")).length > 0);
      const second = startCli(args, cwd);
      const [a, b] = await Promise.all([first.done, second.done]);
      expect({ code: a.code, stderr: a.stderr }).toMatchObject({ code: 0 });
      expect({ code: b.code, stderr: b.stderr }).toMatchObject({ code: 0 });
      expect([a, b].filter((r) => r.stderr.includes("Running upgrade aaaa00000001 -> bbbb00000002"))).toHaveLength(1);
      expect(await watch.query<{ v: string }>("SELECT version_num AS v FROM alembic_version")).toEqual([{ v: "bbbb00000002" }]);
      expect(await watch.query<{ valid: boolean }>("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 't_id_idx'::regclass")).toEqual([{ valid: true }]);
    } finally {
      await watch.close();
    }
  }, 60_000);
});
