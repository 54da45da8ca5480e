import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { InterruptedError, MigrationError, UnresolvedInterruptionError } from "../../src/errors.ts";
import { markSql } from "../../src/runtime/interrupted.ts";
import { runOnline } from "../../src/runtime/runner.ts";
import { readHeads } from "../../src/runtime/version-table.ts";
import { engineKinds, openTestEngine, type TestEngine } from "./engines.ts";
import { revMap, sqlRev, step, tsRev, upChain } from "./fixtures.ts";

for (const kind of engineKinds) {
  describe(`failures and interruptions on ${kind}`, () => {
    let t: TestEngine;
    beforeAll(async () => {
      t = await openTestEngine(kind);
    });
    afterAll(() => t.close());
    const log = () => {};
    const fresh = async () => ({ name: "alembic_version", schema: await t.freshSchema() });

    test("a statement that cannot run in a transaction says to mark the revision Transaction: false; step durations come rounded to 0.1 ms", async () => {
      const table = await fresh();
      const plain = sqlRev("c1", null, "CREATE TABLE c1 (id int);");
      const done = await runOnline(t.engine, { steps: upChain([plain]), revisions: revMap(plain), table, startingHeads: [], log });
      const ms = done.steps[0]!.durationMs;
      expect(Math.round(ms * 10) / 10).toBe(ms);
      const concurrent = sqlRev("c2", "c1", "CREATE INDEX CONCURRENTLY c1_idx ON c1 (id);");
      const error = (await runOnline(t.engine, { steps: upChain([plain, concurrent]).slice(1), revisions: revMap(plain, concurrent), table, startingHeads: ["c1"], log }).catch(
        (e: unknown) => e,
      )) as MigrationError;
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.pg?.code).toBe("25001");
      expect(error.message).toContain("mark the revision with `-- Transaction: false`");
    });

    for (const mode of ["per-run", "per-migration"] as const) {
      test(`locating a failure without a position runs nothing twice: a sequence advances once (${mode})`, async () => {
        const table = await fresh();
        const setup = sqlRev("s1", null, "CREATE SEQUENCE s;\nCREATE TABLE u (id int PRIMARY KEY);\nINSERT INTO u VALUES (1);");
        await runOnline(t.engine, { steps: upChain([setup]), revisions: revMap(setup), table, startingHeads: [], log });
        const bumps = sqlRev("s2", "s1", "SELECT nextval('s');\nINSERT INTO u VALUES (2);\n\nINSERT INTO u VALUES (1);\nINSERT INTO u VALUES (3);");
        const error = (await runOnline(t.engine, {
          steps: upChain([setup, bumps]).slice(1),
          revisions: revMap(setup, bumps),
          table,
          startingHeads: ["s1"],
          transactionPerMigration: mode === "per-migration",
          log,
        }).catch((e: unknown) => e)) as MigrationError;
        expect(error).toBeInstanceOf(MigrationError);
        expect(error.pg?.code).toBe("23505");
        expect(error.statement).toBe("INSERT INTO u VALUES (1)");
        expect(error.message).toContain("(migrations/versions/s2_rev.sql:13)");
        // sequences are not rolled back: one run of the revision moved it by exactly one
        expect(await t.engine.query<{ v: string }>("select last_value::text as v from s")).toEqual([{ v: "1" }]);
        expect(await readHeads(t.engine, table)).toEqual(["s1"]);
        expect(await t.engine.query<{ n: number }>("select count(*)::int as n from u")).toEqual([{ n: 1 }]);
      });
    }

    test("an abort between two statements of a revision rolls the run back and throws InterruptedError (exit 130)", async () => {
      const table = await fresh();
      const controller = new AbortController();
      let ranAfterAbort = false;
      const first = sqlRev("i1", null, "CREATE TABLE i1 (id int);");
      const second = tsRev("i2", "i1", async (op) => {
        await op.execute("CREATE TABLE i2a (id int)");
        controller.abort("SIGINT");
        await op.execute("CREATE TABLE i2b (id int)");
        ranAfterAbort = true;
      });
      const error = await runOnline(t.engine, { steps: upChain([first, second]), revisions: revMap(first, second), table, startingHeads: [], log, signal: controller.signal }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InterruptedError);
      expect(ranAfterAbort).toBe(false);
      expect((error as InterruptedError).exitCode).toBe(130);
      expect((error as InterruptedError).signal).toBe("SIGINT");
      expect((error as Error).message).toBe("interrupted during revision i2 (upgrade i1 -> i2, rev i2); rolled back; alembic_version is at <base>");
      expect(await t.engine.query("select to_regclass('i1') as a, to_regclass('i2a') as b")).toEqual([{ a: null, b: null }]);
      expect(await readHeads(t.engine, table)).toEqual([]);
    });

    test("SIGTERM between revisions in per-migration mode keeps what was committed and says where alembic_version is (exit 143)", async () => {
      const table = await fresh();
      const controller = new AbortController();
      const revs = [sqlRev("j1", null, "CREATE TABLE j1 (id int);"), sqlRev("j2", "j1", "CREATE TABLE j2 (id int);\nCREATE TABLE j2b (id int);"), sqlRev("j3", "j2", "CREATE TABLE j3 (id int);")];
      const error = await runOnline(t.engine, {
        steps: upChain(revs),
        revisions: revMap(...revs),
        table,
        startingHeads: [],
        transactionPerMigration: true,
        // the first step's Done line comes once it is committed
        log: (line) => {
          if (line.startsWith("Done ")) controller.abort("SIGTERM");
        },
        signal: controller.signal,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InterruptedError);
      expect((error as InterruptedError).exitCode).toBe(143);
      expect((error as Error).message).toBe("interrupted during revision j2 (upgrade j1 -> j2, rev j2); rolled back; alembic_version is at j1");
      expect(await readHeads(t.engine, table)).toEqual(["j1"]);
      expect(await t.engine.query("select to_regclass('j2') as a")).toEqual([{ a: null }]);
    });

    test("a marker left by an interrupted Transaction: false revision stops every run before anything runs; a stamp clears it", async () => {
      const table = await fresh();
      const rev = sqlRev("m1", null, "CREATE TABLE m1 (id int);");
      await t.engine.execute(markSql(table, "m0", "upgrade  -> m0, index"));
      const refused = await runOnline(t.engine, { steps: upChain([rev]), revisions: revMap(rev), table, startingHeads: [], log }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UnresolvedInterruptionError);
      expect((refused as UnresolvedInterruptionError).exitCode).toBe(2);
      expect((refused as Error).message).toContain("revision m0 (upgrade  -> m0, index) was interrupted at ");
      expect(await t.engine.query("select to_regclass('m1') as a, to_regclass('alembic_version') as v")).toEqual([{ a: null, v: null }]);
      // even with nothing to do
      expect(await runOnline(t.engine, { steps: [], revisions: revMap(rev), table, startingHeads: [], log }).catch((e: unknown) => e)).toBeInstanceOf(UnresolvedInterruptionError);
      const stamp = { ...step("up", rev, [], ["m1"], [{ kind: "insert", version: "m1" }]), run: null };
      await runOnline(t.engine, { steps: [stamp], revisions: revMap(rev), table, startingHeads: [], log, resolveInterrupted: true });
      expect(await t.engine.query("select to_regclass('retort_interrupted') as r")).toEqual([{ r: null }]);
      expect(await readHeads(t.engine, table)).toEqual(["m1"]);
    });
  });
}
