/**
 * The engine conformance suite: every engine (PGlite, PostgreSQL) must pass
 * the same tests. Call it from one test file per engine with a way to open it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Engine } from "../../src/drivers/engine.ts";
import { StatementError } from "../../src/errors.ts";
import { typeConformance } from "./conformance-types.ts";

/** Register the conformance tests for one engine; `open` is called once for the whole suite. */
export function engineConformance(name: string, open: () => Promise<Engine>, done: (engine: Engine) => Promise<void> = (e) => e.close()): void {
  describe(`the ${name} engine`, () => {
    let engine: Engine;
    let n = 0;
    const table = () => `conf_${++n}_${crypto.randomUUID().slice(0, 6)}`;
    beforeAll(async () => {
      engine = await open();
    });
    afterAll(() => done(engine));

    test("runs several statements in one execute and reads rows back", async () => {
      const t = table();
      await engine.execute(`CREATE TABLE ${t} (id int, name text); INSERT INTO ${t} VALUES (1, 'a'); INSERT INTO ${t} VALUES (2, 'b');`);
      expect(await engine.query(`SELECT id, name FROM ${t} ORDER BY id`)).toEqual([
        { id: 1, name: "a" },
        { id: 2, name: "b" },
      ]);
    });

    test("binds parameters in execute and query", async () => {
      const t = table();
      await engine.execute(`CREATE TABLE ${t} (id int, name text)`);
      await engine.execute(`INSERT INTO ${t} VALUES ($1, $2)`, [7, "it's"]);
      expect(await engine.query(`SELECT name FROM ${t} WHERE id = $1`, [7])).toEqual([{ name: "it's" }]);
    });

    test("BEGIN and COMMIT sent through execute make one transaction (the runner's sink sends them so)", async () => {
      const t = table();
      await engine.execute("BEGIN");
      await engine.execute(`CREATE TABLE ${t} (id int)`);
      await engine.execute("COMMIT");
      expect(await engine.query(`SELECT to_regclass('${t}') IS NOT NULL AS present`)).toEqual([{ present: true }]);
    });

    test("ROLLBACK sent through execute undoes the transaction", async () => {
      const t = table();
      await engine.execute("BEGIN");
      await engine.execute(`CREATE TABLE ${t} (id int)`);
      await engine.execute("ROLLBACK");
      expect(await engine.query(`SELECT to_regclass('${t}') IS NOT NULL AS present`)).toEqual([{ present: false }]);
    });

    test("reports a failed statement as a StatementError with PostgreSQL's code, position and the statement", async () => {
      const sql = "SELECT 1;\nSELECT * FROM no_such_table_here";
      const error = await engine.execute(sql).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StatementError);
      const e = error as StatementError;
      expect(e.exitCode).toBe(1);
      expect(e.pg?.code).toBe("42P01");
      expect(e.pg?.position).toBe(25);
      expect(e.statement).toBe(sql);
      expect(e.message).toBe('ERROR 42P01: relation "no_such_table_here" does not exist');
    });

    test("carries DETAIL and HINT of an error", async () => {
      const t = table();
      await engine.execute(`CREATE TABLE ${t} (id int PRIMARY KEY); INSERT INTO ${t} VALUES (1)`);
      const error = (await engine.execute(`INSERT INTO ${t} VALUES (1)`).catch((e: unknown) => e)) as StatementError;
      expect(error.pg?.code).toBe("23505");
      expect(error.pg?.detail).toBe("Key (id)=(1) already exists.");
      const hinted = (await engine.execute("SELECT round(1.5::float8, 1)").catch((e: unknown) => e)) as StatementError;
      expect(hinted.pg?.hint).toContain("explicit type casts");
    });

    test("keeps working after a failed statement", async () => {
      await engine.execute("SELECT * FROM nope_again").catch(() => {});
      expect(await engine.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    });

    test("takes and releases an advisory lock", async () => {
      expect(await engine.tryAdvisoryLock(123456789n, 1000)).toBe(true);
      await engine.advisoryUnlock(123456789n);
      expect(await engine.tryAdvisoryLock(-5n, 0)).toBe(true);
      await engine.advisoryUnlock(-5n);
    });

    test("shows a URL without a password", () => {
      expect(engine.displayUrl).not.toMatch(/:[^@/*]+@/);
    });

    describe("query results", () => typeConformance(() => engine));
  });
}
