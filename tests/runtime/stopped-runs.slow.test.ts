/**
 * Runs stopped from outside, on PostgreSQL, through the CLI as a user runs
 * it: Ctrl-C / SIGTERM (exit 130 / 143) and a backend terminated by the
 * server (exit 3). Each must stop at once, leave nothing running or locked
 * on the server, and say where alembic_version is.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Engine } from "../../src/drivers/engine.ts";
import { openEngine } from "../../src/drivers/open.ts";
import { migrationLockKey } from "../../src/runtime/lock.ts";
import { readHeads, versionTableName } from "../../src/runtime/version-table.ts";
import { runCli } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";
import { startCli, waitUntil, writeProject } from "../helpers/project.ts";

const up = await postgresAvailable();
const table = versionTableName(undefined, null);

/** a1 creates account (balance 100); a2 adds 10 and sleeps 30 s, so it can be stopped mid-revision. */
const revisions = (slow: string) => [
  { id: "a1", revises: null, upgrade: "CREATE TABLE account (balance int);\nINSERT INTO account VALUES (100);" },
  { id: "a2", revises: "a1", upgrade: `CREATE TABLE t2 (id int);\nUPDATE account SET balance = balance + 10;\n${slow}` },
];

describe.if(up)("runs stopped from outside on PostgreSQL", () => {
  let db: TempDatabase;
  let watch: Engine;
  let cwd: string;
  beforeAll(async () => {
    db = await createTempDatabase("retort_stop");
    watch = await openEngine(db.url);
    cwd = writeProject(revisions("SELECT pg_sleep(30);"));
    const setup = await runCli(["upgrade", "a1", "--url", db.url], { cwd });
    expect({ code: setup.code, stderr: setup.stderr }).toMatchObject({ code: 0 });
  });
  afterAll(async () => {
    await watch.close();
    await db.drop();
  });

  /** Wait until a retort session runs the statement matching `like`; returns its pid. */
  async function sessionRunning(like: string): Promise<number> {
    let pid = 0;
    await waitUntil(async () => {
      const rows = await watch.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'retort' AND state = 'active' AND query LIKE $1",
        [like],
      );
      pid = Number(rows[0]?.pid ?? 0);
      return pid > 0;
    });
    return pid;
  }

  /** The database is exactly as a1 left it: nothing of a2, no session of retort, no advisory lock. */
  async function expectUntouched(): Promise<void> {
    expect(await watch.query("SELECT balance, to_regclass('t2') AS t2 FROM account")).toEqual([{ balance: 100, t2: null }]);
    expect(await readHeads(watch, table)).toEqual(["a1"]);
    const locks = "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
    expect(await watch.query(locks)).toEqual([{ n: 0 }]);
  }

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    test(`${signal} during a slow revision cancels it on the server, rolls back and exits ${code} at once`, async () => {
      const run = startCli(["upgrade", "head", "--url", db.url], cwd);
      await sessionRunning("%pg_sleep(30)%");
      const started = performance.now();
      run.proc.kill(signal);
      const result = await run.done;
      // the statement sleeps 30 s; cancelled, the run ends in a fraction of a second (margin for a busy machine)
      expect(performance.now() - started).toBeLessThan(5000);
      expect(result.code).toBe(code);
      expect(result.stderr).toContain(`FAILED: interrupted during revision a2 (upgrade a1 -> a2, a2); rolled back; alembic_version is at a1\n`);
      // the statement was cancelled, not left running on the server
      expect(await watch.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND state = 'active' AND pid <> pg_backend_pid()")).toEqual([{ n: 0 }]);
      await expectUntouched();
      // the lock is free: a run that will not wait at all goes through
      const again = await runCli(["stamp", "a1", "--url", db.url, "--lock-timeout", "0"], { cwd });
      expect(again.code).toBe(0);
    });
  }

  test("Ctrl-C while waiting for the migration lock stops the wait at once (exit 130)", async () => {
    const key = migrationLockKey({ schema: "public", name: "alembic_version" });
    expect(await watch.tryAdvisoryLock(key, 0)).toBe(true);
    try {
      const run = startCli(["upgrade", "head", "--url", db.url], cwd);
      // the wait polls pg_try_advisory_lock (it holds no snapshot in between): wait for the second poll
      await waitUntil(
        async () =>
          (
            await watch.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'retort' AND query LIKE '%pg_try_advisory_lock%' AND pid <> pg_backend_pid()",
            )
          )[0]!.n > 0,
      );
      await Bun.sleep(200);
      const started = performance.now();
      run.proc.kill("SIGINT");
      const result = await run.done;
      expect(performance.now() - started).toBeLessThan(5000);
      expect(result.code).toBe(130);
      expect(result.stderr).toContain("FAILED: interrupted during the wait for the migration lock; no revision ran; alembic_version is at a1\n");
    } finally {
      await watch.advisoryUnlock(key);
    }
    await expectUntouched();
  });

  test("a second Ctrl-C exits at once even when the statement ignores the cancel request", async () => {
    // a statement that swallows every cancel: only a second signal gets the user out
    const stubborn = writeProject(
      // a cancel that lands between two sleeps (outside the inner block) is caught by the outer one
      revisions(
        "DO $$ BEGIN LOOP BEGIN LOOP BEGIN PERFORM pg_sleep(30); EXCEPTION WHEN query_canceled THEN NULL; END; END LOOP; EXCEPTION WHEN query_canceled THEN NULL; END; END LOOP; END $$;",
      ),
    );
    const run = startCli(["upgrade", "head", "--url", db.url], stubborn);
    const pid = await sessionRunning("%LOOP%");
    try {
      run.proc.kill("SIGINT");
      await Bun.sleep(300);
      const started = performance.now();
      run.proc.kill("SIGINT");
      const result = await run.done;
      // the first signal's cancel requests go on for ~5 s; the second does not wait for them
      expect(performance.now() - started).toBeLessThan(2000);
      expect(result.code).toBe(130);
      expect(result.stderr).toContain("SIGINT again: exiting at once");
    } finally {
      await watch.query("SELECT pg_terminate_backend($1)", [pid]);
    }
    await waitUntil(async () => (await watch.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).length === 0);
    await expectUntouched();
  });

  test("a backend terminated mid-revision exits 3 at once, says so, and leaves alembic_version as committed (10 runs)", async () => {
    for (let i = 0; i < 10; i++) {
      const run = startCli(["upgrade", "head", "--url", db.url], cwd);
      const pid = await sessionRunning("%pg_sleep(30)%");
      const started = performance.now();
      await watch.query("SELECT pg_terminate_backend($1)", [pid]);
      const result = await run.done;
      expect(performance.now() - started).toBeLessThan(3000);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(
        /FAILED: lost the connection to postgres:\/\/\S+ during revision a2 \(upgrade a1 -> a2, a2\): .+; the server rolled back what was not committed; alembic_version is at a1\n$/,
      );
      await expectUntouched();
    }
  }, 60_000);

  test("with one transaction per revision, the message names what was committed before the lost one", async () => {
    const three = writeProject([
      ...revisions("SELECT 1;"),
      { id: "a3", revises: "a2", upgrade: "SELECT pg_sleep(30);" },
    ]);
    const run = startCli(["upgrade", "head", "--url", db.url, "--transaction-per-migration"], three);
    const pid = await sessionRunning("%pg_sleep(30)%");
    await watch.query("SELECT pg_terminate_backend($1)", [pid]);
    const result = await run.done;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("during revision a3 (upgrade a2 -> a3, a3)");
    expect(result.stderr).toContain("the server rolled back what was not committed; alembic_version is at a2\n");
    expect(await readHeads(watch, table)).toEqual(["a2"]);
    expect(await watch.query("SELECT balance FROM account")).toEqual([{ balance: 110 }]);
    // back to a1 for the other tests
    await watch.execute("DROP TABLE t2; UPDATE account SET balance = 100; UPDATE alembic_version SET version_num = 'a1'");
  });
});
