/** `validate` over several databases: one whose applied file changed fails (exit 1) and is named; the others pass. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { writeSqlRevision } from "../helpers/project.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const available = await postgresAvailable();


describe.if(available)("validate over a fleet", () => {
  const dbs: TempDatabase[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) dbs.push(await createTempDatabase("retort_fleet_validate"));
  });
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  test("a target whose applied file changed fails with exit 1 and names the revision; a comment-only edit passes", async () => {
    const cwd = tempDir("fleet-validate-");
    const dir = join(cwd, "versions");
    mkdirSync(dir);
    writeSqlRevision(dir, "aaaa00000001", "", "CREATE TABLE t (id int);");
    const urls = dbs.flatMap((db) => ["--url", db.url]);
    expect((await runCli(["upgrade", "head", "--dir", "versions", ...urls, "--no-lint"], { cwd })).code).toBe(0);
    writeSqlRevision(dir, "aaaa00000001", "", "-- a comment\nCREATE TABLE t (id int);");
    const clean = await runCli(["validate", "--dir", "versions", ...urls], { cwd });
    expect({ code: clean.code, stderr: clean.stderr }).toMatchObject({ code: 0 });
    writeSqlRevision(dir, "aaaa00000001", "", "CREATE TABLE t (id bigint);");
    const changed = await runCli(["validate", "--dir", "versions", ...urls, "--json"], { cwd });
    expect(changed.code).toBe(1);
    const doc = JSON.parse(changed.stdout) as { targets: { status: string; error: { message: string } | null }[] };
    expect(doc.targets.map((t) => t.status)).toEqual(["failed", "failed"]);
    for (const t of doc.targets) expect(t.error?.message).toContain("aaaa00000001");
  }, 60_000);
});

describe.if(available)("lint over a fleet", () => {
  const dbs: TempDatabase[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) dbs.push(await createTempDatabase("retort_fleet_lint"));
  });
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  test("each target is judged by its own pending revisions: an index without CONCURRENTLY on an existing table fails the target behind it", async () => {
    const cwd = tempDir("fleet-lint-");
    const dir = join(cwd, "versions");
    mkdirSync(dir);
    writeSqlRevision(dir, "aaaa00000001", "", "CREATE TABLE items (id bigint PRIMARY KEY, name text);");
    writeSqlRevision(dir, "bbbb00000002", "aaaa00000001", "CREATE INDEX items_name_idx ON items (name);");
    // the first database is at head already; the second still has the index to build
    expect((await runCli(["upgrade", "head", "--dir", "versions", "--url", dbs[0]!.url, "--no-lint"], { cwd })).code).toBe(0);
    expect((await runCli(["upgrade", "aaaa00000001", "--dir", "versions", "--url", dbs[1]!.url, "--no-lint"], { cwd })).code).toBe(0);
    const run = await runCli(["lint", "--dir", "versions", "--url", dbs[0]!.url, "--url", dbs[1]!.url, "--json"], { cwd });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as { targets: { status: string; error: { message: string } | null }[] };
    expect(doc.targets.map((t) => t.status)).toEqual(["ok", "failed"]);
    expect(doc.targets[1]!.error?.message).toContain("bbbb00000002");
    expect(run.stderr).toContain("require-concurrent-index-creation");
  }, 60_000);
});

describe.if(available)("--tenant-query", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase("retort_tenant_query");
  });
  afterAll(async () => {
    await db.drop();
  });

  test("runs read-only: a query that writes fails its target and changes nothing", async () => {
    const { openEngine } = await import("../../src/drivers/open.ts");
    const engine = await openEngine(db.url);
    try {
      await engine.execute("CREATE TABLE users (id int); INSERT INTO users VALUES (1)");
      const cwd = tempDir("tenant-query-");
      mkdirSync(join(cwd, "versions"));
      writeSqlRevision(join(cwd, "versions"), "aaaa00000001", "", "SELECT 1;");
      const deleting = await runCli(["current", "--dir", "versions", "--url", db.url, "--tenant-query", "delete from users returning 'public'"], { cwd });
      expect(deleting.stdout + deleting.stderr).toContain("read-only");
      const dropping = await runCli(["current", "--dir", "versions", "--url", db.url, "--tenant-query", "select 'public'; drop table users"], { cwd });
      expect(dropping.stdout + dropping.stderr).toContain("read-only");
      expect(await engine.query<{ n: number }>("SELECT count(*)::int AS n FROM users")).toEqual([{ n: 1 }]);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
