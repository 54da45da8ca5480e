/**
 * Conformance cases for what retort's safety rests on, run against every
 * engine: rollback after a failed COMMIT, error positions past characters
 * outside the BMP, and (engines with several sessions, i.e. PostgreSQL) the
 * advisory lock excluding a second session, the lost-connection guard,
 * lock_timeout reset once the lock is taken, and cancel().
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Engine } from "../../src/drivers/engine.ts";
import { ConnectionError, StatementError } from "../../src/errors.ts";
import { positionToIndex } from "../../src/runtime/failure.ts";

/** What an engine offers beyond one session. */
export interface SafetyOptions {
  /** several sessions on one database (PostgreSQL): `open` may be called again for a second session */
  readonly sessions: boolean;
}

/** Register the safety conformance tests for one engine; `open` opens a session (called once, or more with sessions). */
export function engineSafetyConformance(name: string, open: () => Promise<Engine>, options: SafetyOptions): void {
  describe(`the ${name} engine's safety guarantees`, () => {
    let engine: Engine;
    const others: Engine[] = [];
    const table = () => `safe_${crypto.randomUUID().slice(0, 8)}`;
    const second = async () => {
      const other = await open();
      others.push(other);
      return other;
    };
    const pidOf = async (e: Engine) => Number((await e.query<{ pid: number }>("select pg_backend_pid() as pid"))[0]?.pid);
    beforeAll(async () => {
      engine = await open();
    });
    afterAll(async () => {
      for (const other of others) await other.close().catch(() => {});
      await engine.close();
    });

    test("a COMMIT that fails (deferred constraint) leaves nothing behind and the session usable", async () => {
      const parent = table();
      const child = table();
      await engine.execute(`CREATE TABLE ${parent} (id int PRIMARY KEY)`);
      await engine.execute("BEGIN");
      await engine.execute(`CREATE TABLE ${child} (parent int REFERENCES ${parent} DEFERRABLE INITIALLY DEFERRED); INSERT INTO ${child} VALUES (42)`);
      const error = await engine.execute("COMMIT").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StatementError);
      expect((error as StatementError).pg?.code).toBe("23503");
      expect(await engine.query(`SELECT to_regclass('${child}') IS NULL AS gone`)).toEqual([{ gone: true }]);
      // not left inside an aborted transaction: the next statement runs, and a new transaction can begin
      expect(await engine.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await engine.execute("BEGIN");
      expect(await engine.query("SELECT 2 AS two")).toEqual([{ two: 2 }]);
      await engine.execute("COMMIT");
    });

    test("error positions count characters, so one after characters outside the BMP maps to the right place", async () => {
      const sql = "SELECT '😀 emoji 𝔘𝔫𝔦𝔠𝔬𝔡𝔢' AS a,\n  no_such_column_here";
      const error = (await engine.execute(sql).catch((e: unknown) => e)) as StatementError;
      expect(error).toBeInstanceOf(StatementError);
      expect(error.pg?.code).toBe("42703");
      const position = error.pg?.position as number;
      // the server counts 8 supplementary-plane characters as 8, JavaScript as 16 code units
      expect(position).toBe([...sql.slice(0, sql.indexOf("no_such"))].length + 1);
      expect(sql.slice(positionToIndex(sql, position))).toBe("no_such_column_here");
    });

    test("a statement failing with a code that means 'cannot log in' at connect time (3D000) is the statement's error, and the session goes on", async () => {
      const error = await engine.execute("DROP DATABASE no_such_database_for_retort").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StatementError);
      expect((error as StatementError).pg?.code).toBe("3D000");
      expect((error as StatementError).exitCode).toBe(1);
      expect(await engine.query("SELECT 5 AS five")).toEqual([{ five: 5 }]);
    });

    if (!options.sessions) return;

    test("a session holding the advisory lock excludes a second session until it releases it", async () => {
      const key = BigInt.asIntN(64, BigInt(`0x${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`));
      const other = await second();
      expect(await engine.tryAdvisoryLock(key, 0)).toBe(true);
      expect(await other.tryAdvisoryLock(key, 0)).toBe(false);
      const started = performance.now();
      expect(await other.tryAdvisoryLock(key, 200)).toBe(false);
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      await engine.advisoryUnlock(key);
      expect(await other.tryAdvisoryLock(key, 0)).toBe(true);
      await other.advisoryUnlock(key);
    });

    test("lock_timeout is back to the session's own value once a waited-for lock is taken", async () => {
      const key = 777_000_001n;
      const other = await second();
      const before = await other.query("SHOW lock_timeout");
      expect(await engine.tryAdvisoryLock(key, 0)).toBe(true);
      setTimeout(() => void engine.advisoryUnlock(key).catch(() => {}), 50);
      expect(await other.tryAdvisoryLock(key, 250)).toBe(true);
      expect(await other.query("SHOW lock_timeout")).toEqual(before);
      // a migration's own lock waits are not cut short: a table lock held longer than the lock wait was allowed is waited for
      const t = table();
      await engine.execute(`CREATE TABLE ${t} (id int)`);
      await engine.execute("BEGIN");
      await engine.execute(`LOCK TABLE ${t} IN ACCESS EXCLUSIVE MODE`);
      setTimeout(() => void engine.execute("COMMIT").catch(() => {}), 500);
      await other.execute(`INSERT INTO ${t} VALUES (1)`);
      expect(await other.query(`SELECT count(*)::int AS n FROM ${t}`)).toEqual([{ n: 1 }]);
      await other.advisoryUnlock(key);
    });

    test("the longest lock wait retort accepts (--lock-timeout 2147483.647) is one PostgreSQL accepts", async () => {
      const key = 777_000_002n;
      const other = await second();
      expect(await engine.tryAdvisoryLock(key, 0)).toBe(true);
      setTimeout(() => void engine.advisoryUnlock(key).catch(() => {}), 50);
      expect(await other.tryAdvisoryLock(key, 2147483.647 * 1000)).toBe(true);
      await other.advisoryUnlock(key);
    });

    test("a session ended by the server makes every later call fail at once with a ConnectionError, never reconnecting", async () => {
      const victim = await second();
      const pid = await pidOf(victim);
      await engine.query("SELECT pg_terminate_backend($1)", [pid]);
      await waitFor(async () => (await engine.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).length === 0);
      await Bun.sleep(50);
      // the guard must report the loss, not silently open a new session (which would hold neither lock nor transaction)
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const error = await victim.query("SELECT pg_backend_pid() AS pid").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as ConnectionError).exitCode).toBe(3);
        expect((error as Error).message).toStartWith("lost the connection to ");
        expect(performance.now() - started).toBeLessThan(1000);
      }
      await victim.close();
    });

    test("a session ended while a statement runs fails that statement at once", async () => {
      const victim = await second();
      const pid = await pidOf(victim);
      const running = victim.query("SELECT pg_sleep(30)").catch((e: unknown) => e);
      await waitFor(async () => (await engine.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [pid])).length > 0);
      const started = performance.now();
      await engine.query("SELECT pg_terminate_backend($1)", [pid]);
      const error = await running;
      expect(error).toBeInstanceOf(ConnectionError);
      expect(performance.now() - started).toBeLessThan(2000);
      const closing = performance.now();
      await victim.close();
      // postgres.js alone waits for the dead query until end()'s timeout (5 s)
      expect(performance.now() - closing).toBeLessThan(2000);
    });

    test("cancel() stops the running statement (57014) and the session goes on", async () => {
      const other = await second();
      const running = other.query("SELECT pg_sleep(30)").catch((e: unknown) => e);
      expect(await pidOfActive(engine)).toBeGreaterThan(0);
      const started = performance.now();
      await other.cancel();
      const error = (await running) as StatementError;
      expect(error).toBeInstanceOf(StatementError);
      expect(error.pg?.code).toBe("57014");
      expect(performance.now() - started).toBeLessThan(2000);
      expect(await other.query("SELECT 3 AS three")).toEqual([{ three: 3 }]);
      // with nothing running, cancel() is a no-op
      await other.cancel();
      expect(await other.query("SELECT 4 AS four")).toEqual([{ four: 4 }]);
    });

    /** The pid of another session of this database that is running pg_sleep. */
    async function pidOfActive(watcher: Engine): Promise<number> {
      let pid = 0;
      await waitFor(async () => {
        const rows = await watcher.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT pg_sleep%'",
        );
        pid = Number(rows[0]?.pid ?? 0);
        return pid > 0;
      });
      return pid;
    }
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await Bun.sleep(20);
  }
}
