import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openEngine } from "../../src/drivers/open.ts";
import { StatementError } from "../../src/errors.ts";
import { resolveVersionTable } from "../../src/runtime/lock.ts";
import { runOnline } from "../../src/runtime/runner.ts";
import { checkedVersionChangeSql, readHeads, versionTableName } from "../../src/runtime/version-table.ts";
import { runCli } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";
import { startCli, writeProject } from "../helpers/project.ts";
import { engineKinds, openTestEngine, type TestEngine } from "./engines.ts";
import { revMap, sqlRev, step } from "./fixtures.ts";

const up = await postgresAvailable();

describe("version-row changes run online are checked to touch exactly one row", () => {
  test("an UPDATE or DELETE renders as a statement that raises Alembic's message otherwise; an INSERT is left to the primary key", () => {
    const table = versionTableName(undefined, "public");
    const update = checkedVersionChangeSql(table, { kind: "update", from: "a1", to: "a2" });
    expect(update).toContain("UPDATE public.alembic_version SET version_num='a2' WHERE public.alembic_version.version_num = 'a1';");
    expect(update).toContain("'Online migration expected to match one row when updating ''a1'' to ''a2'' in ''public.alembic_version''; ' || matched || ' found'");
    expect(update).toMatch(/^DO \$retort\$\n[^]*\n\$retort\$$/);
    expect(checkedVersionChangeSql(table, { kind: "delete", version: "a1" })).toContain("when deleting ''a1'' in ''public.alembic_version''");
    expect(checkedVersionChangeSql(table, { kind: "insert", version: "a1" })).toBe(
      "INSERT INTO public.alembic_version (version_num) VALUES ('a1') RETURNING public.alembic_version.version_num",
    );
    // a table name containing the dollar tag gets another tag
    expect(checkedVersionChangeSql(versionTableName("v$retort$", null), { kind: "delete", version: "a" })).toStartWith("DO $retort1$");
  });

  for (const kind of engineKinds) {
    describe(`on ${kind}`, () => {
      let t: TestEngine;
      beforeAll(async () => {
        t = await openTestEngine(kind);
      });
      afterAll(() => t.close());

      for (const perMigration of [false, true]) {
        test(`a run whose version row is not there any more rolls back (${perMigration ? "one transaction per revision" : "one transaction per run"})`, async () => {
          const schema = await t.freshSchema();
          const table = versionTableName(undefined, schema);
          await t.engine.execute(
            `CREATE TABLE ${schema}.account (balance int); INSERT INTO ${schema}.account VALUES (100);
             CREATE TABLE ${schema}.alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY); INSERT INTO ${schema}.alembic_version VALUES ('zz')`,
          );
          const a1 = sqlRev("a1", null, "SELECT 1");
          const a2 = sqlRev("a2", "a1", `UPDATE ${schema}.account SET balance = balance + 10`);
          // the plan believes the table is at a1 (another process moved it on meanwhile)
          const error = await runOnline(t.engine, {
            steps: [step("up", a2, ["a1"], ["a2"], [{ kind: "update", from: "a1", to: "a2" }])],
            revisions: revMap(a1, a2),
            table,
            startingHeads: ["a1"],
            transactionPerMigration: perMigration,
            log: () => {},
          }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(Error);
          expect((error as { exitCode?: number }).exitCode).toBe(1);
          expect((error as Error).message).toContain(
            `Online migration expected to match one row when updating 'a1' to 'a2' in '${schema}.alembic_version'; 0 found`,
          );
          expect(await t.engine.query(`SELECT balance FROM ${schema}.account`)).toEqual([{ balance: 100 }]);
          expect(await readHeads(t.engine, table)).toEqual(["zz"]);
        });
      }

      test("a DELETE of a row that is not there raises too", async () => {
        const schema = await t.freshSchema();
        const table = versionTableName(undefined, schema);
        await t.engine.execute(`CREATE TABLE ${schema}.alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)`);
        const error = await t.engine.execute(checkedVersionChangeSql(table, { kind: "delete", version: "gone" })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StatementError);
        expect((error as StatementError).pg?.code).toBe("P0001");
        expect((error as Error).message).toContain(`when deleting 'gone' in '${schema}.alembic_version'; 0 found`);
        await t.engine.execute(`INSERT INTO ${schema}.alembic_version VALUES ('here')`);
        await t.engine.execute(checkedVersionChangeSql(table, { kind: "delete", version: "here" }));
        expect(await readHeads(t.engine, table)).toEqual([]);
      });
    });
  }
});

describe.if(up)("the migration lock key on PostgreSQL", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase("retort_key");
  });
  afterAll(() => db.drop());

  test("every spelling of one version table resolves to the same schema and table", async () => {
    const engine = await openEngine(db.url);
    try {
      const bare = await resolveVersionTable(engine, versionTableName(undefined, null));
      expect(bare).toEqual({ schema: "public", name: "alembic_version" });
      expect(await resolveVersionTable(engine, versionTableName(undefined, "public"))).toEqual(bare);
      // a table that exists further down search_path is where a bare name resolves to
      await engine.execute("CREATE SCHEMA IF NOT EXISTS later; CREATE TABLE later.alembic_version (version_num varchar(32)); SET search_path = nothing_here, public, later");
      expect(await resolveVersionTable(engine, versionTableName(undefined, null))).toEqual({ schema: "later", name: "alembic_version" });
      await engine.execute("SET search_path = other_first, public; CREATE SCHEMA other_first");
      expect(await resolveVersionTable(engine, versionTableName(undefined, null))).toEqual({ schema: "other_first", name: "alembic_version" });
    } finally {
      await engine.close();
    }
  });

  test("runs naming the version table two ways, racing, apply each revision once", async () => {
    const cwd = writeProject([
      { id: "a1", revises: null, upgrade: "CREATE TABLE account (balance int);\nINSERT INTO account VALUES (100);" },
      { id: "a2", revises: "a1", upgrade: "UPDATE account SET balance = balance + 10;\nSELECT pg_sleep(0.2);" },
      { id: "a3", revises: "a2", upgrade: "UPDATE account SET balance = balance + 1;" },
    ]);
    expect((await runCli(["upgrade", "a1", "--url", db.url], { cwd })).code).toBe(0);
    const spellings = [[], ["--version-table-schema", "public"], [], ["--version-table-schema", "public"]];
    const runs = spellings.map((extra) => startCli(["upgrade", "head", "--url", db.url, ...extra], cwd));
    const results = await Promise.all(runs.map((r) => r.done));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const engine = await openEngine(db.url);
    try {
      expect(await engine.query("SELECT balance FROM account")).toEqual([{ balance: 111 }]);
      expect(await readHeads(engine, versionTableName(undefined, null))).toEqual(["a3"]);
    } finally {
      await engine.close();
    }
    // exactly one run did the work; the others found nothing to do once they had the lock
    expect(results.filter((r) => r.stderr.includes("Running upgrade a1 -> a2")).length).toBe(1);
  });
});
