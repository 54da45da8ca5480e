import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openEngine } from "../../src/drivers/open.ts";
import type { Engine } from "../../src/drivers/engine.ts";
import { LockTimeoutError } from "../../src/errors.ts";
import { acquireMigrationLock, migrationLockKey } from "../../src/runtime/lock.ts";
import { readHeads } from "../../src/runtime/version-table.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const up = await postgresAvailable();
const table = { name: "alembic_version", schema: null };
const bun = process.execPath;
const worker = join(import.meta.dir, "upgrade-worker.ts");

describe("the migration lock", () => {
  test("keys differ per resolved version table and are stable", () => {
    const resolved = { name: "alembic_version", schema: "public" };
    expect(migrationLockKey(resolved)).toBe(migrationLockKey({ name: "alembic_version", schema: "public" }));
    expect(migrationLockKey(resolved)).not.toBe(migrationLockKey({ name: "alembic_version", schema: "other" }));
    expect(migrationLockKey(resolved)).not.toBe(migrationLockKey({ name: "Alembic_version", schema: "public" }));
  });

  test("on PGlite is the directory lock taken at open, and says so (in verbose output)", async () => {
    const engine = await openEngine("pglite:memory");
    try {
      const debug: string[] = [];
      const release = await acquireMigrationLock(engine, { table, timeoutSeconds: 1, log: () => {}, debug: (l) => debug.push(l) });
      await release();
      expect(debug).toEqual(["Migration lock on pglite:memory: the directory lock this process took when it opened the database, held until it closes (pglite:memory is private to this process)"]);
    } finally {
      await engine.close();
    }
  });
});

describe.if(up)("the migration lock on PostgreSQL", () => {
  let db: TempDatabase;
  let holder: Engine;
  beforeAll(async () => {
    db = await createTempDatabase("retort_lock");
    holder = await openEngine(db.url);
  });
  afterAll(async () => {
    await holder.close();
    await db.drop();
  });

  test("a second run waits, says who holds the lock, and times out with exit 3 naming the holder", async () => {
    const release = await acquireMigrationLock(holder, { table, timeoutSeconds: 5, log: () => {} });
    const [{ pid }] = (await holder.query<{ pid: number }>("select pg_backend_pid() as pid")) as [{ pid: number }];
    const waiter = await openEngine(db.url);
    try {
      const lines: string[] = [];
      const started = performance.now();
      const error = await acquireMigrationLock(waiter, { table, timeoutSeconds: 1, log: (l) => lines.push(l) }).catch((e: unknown) => e);
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
      expect(error).toBeInstanceOf(LockTimeoutError);
      expect((error as LockTimeoutError).exitCode).toBe(3);
      expect((error as Error).message).toContain(`held by pid ${pid} (application_name 'retort'`);
      expect((error as Error).message).toContain("connected since");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toStartWith(`Waiting up to 1 s for the migration lock on ${db.url}, held by pid ${pid}`);
    } finally {
      await release();
      await waiter.close();
    }
  });

  test("a waiting run takes the lock as soon as it is released", async () => {
    const release = await acquireMigrationLock(holder, { table, timeoutSeconds: 5, log: () => {} });
    const waiter = await openEngine(db.url);
    try {
      const lines: string[] = [];
      setTimeout(() => void release(), 300);
      const releaseWaiter = await acquireMigrationLock(waiter, { table, timeoutSeconds: 10, log: (l) => lines.push(l) });
      await releaseWaiter();
      expect(lines[1]).toMatch(/^Took the migration lock after 0\.\d s$/);
    } finally {
      await waiter.close();
    }
  });

  test("8 processes running upgrade head at once apply each revision exactly once", async () => {
    const target = await createTempDatabase("retort_conc");
    try {
      const setup = await openEngine(target.url);
      await setup.execute("CREATE TABLE applied (id text, pid int)");
      const procs = Array.from({ length: 8 }, () => Bun.spawn([bun, worker, target.url], { stdout: "pipe", stderr: "pipe" }));
      const codes = await Promise.all(procs.map((p) => p.exited));
      const outputs = await Promise.all(procs.map((p) => new Response(p.stdout).text()));
      expect(codes).toEqual(Array(8).fill(0));
      const applied = await setup.query<{ id: string; n: number }>("select id, count(*)::int as n from applied group by id order by id");
      expect(applied).toEqual(["w1", "w2", "w3", "w4", "w5"].map((id) => ({ id, n: 1 })));
      const steps = outputs.map((o) => (JSON.parse(o) as { steps: unknown[]; heads: string[] }));
      expect(steps.reduce((sum, r) => sum + r.steps.length, 0)).toBe(5);
      expect(steps.every((r) => r.heads.join() === "w5")).toBe(true);
      expect(await readHeads(setup, table)).toEqual(["w5"]);
      await setup.close();
    } finally {
      await target.drop();
    }
  });

  test("a run killed in the middle of a slow revision leaves the database as before, and a rerun completes", async () => {
    const target = await createTempDatabase("retort_kill");
    try {
      const watch = await openEngine(target.url);
      await watch.execute("CREATE TABLE applied (id text, pid int)");
      const proc = Bun.spawn([bun, worker, target.url, "slow"], { stdout: "pipe", stderr: "pipe" });
      const deadline = Date.now() + 20_000;
      // wait until the third revision is sleeping inside the run's transaction
      for (;;) {
        const rows = await watch.query("select 1 from pg_stat_activity where application_name = 'retort' and query like '%pg_sleep(30)%' and state = 'active'");
        if (rows.length > 0 || Date.now() > deadline) break;
        await Bun.sleep(50);
      }
      proc.kill("SIGKILL");
      expect(await proc.exited).not.toBe(0);
      // once the server has noticed the dead client, its transaction is gone: nothing of the run remains
      while ((await watch.query("select 1 from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")).length > 0 && Date.now() < deadline + 15_000) {
        await Bun.sleep(50);
      }
      expect(await watch.query("select count(*)::int as n from applied")).toEqual([{ n: 0 }]);
      expect(await watch.query("select to_regclass('t_w1') as t, to_regclass('alembic_version') as v")).toEqual([{ t: null, v: null }]);
      const rerun = Bun.spawn([bun, worker, target.url], { stdout: "pipe", stderr: "pipe" });
      expect(await rerun.exited).toBe(0);
      const applied = await watch.query<{ id: string }>("select id from applied order by id");
      expect(applied.map((r) => r.id)).toEqual(["w1", "w2", "w3", "w4", "w5"]);
      expect(await readHeads(watch, table)).toEqual(["w5"]);
      await watch.close();
    } finally {
      await target.drop();
    }
  });
});
