import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MigrationError, RevisionFileError } from "../../src/errors.ts";
import { migrate, currentHeads } from "../../src/runtime/migrate.ts";
import { runOnline } from "../../src/runtime/runner.ts";
import { readHeads, versionTableExists } from "../../src/runtime/version-table.ts";
import { openTestEngine, engineKinds, type TestEngine } from "./engines.ts";
import { downChain, revMap, sqlRev, step, tsRev, upChain } from "./fixtures.ts";

const five = ["a1", "a2", "a3", "a4", "a5"].map((id, i, all) =>
  sqlRev(id, all[i - 1] ?? null, `CREATE TABLE t_${id} (id int);\nINSERT INTO log VALUES ('${id}');`, `DROP TABLE t_${id};`),
);

for (const kind of engineKinds) {
  describe(`the runner on ${kind}`, () => {
    let t: TestEngine;
    let lines: string[];
    beforeAll(async () => {
      t = await openTestEngine(kind);
    });
    afterAll(() => t.close());

    async function fresh() {
      const schema = await t.freshSchema();
      await t.engine.execute("CREATE TABLE log (id text)");
      lines = [];
      return { schema, table: { name: "alembic_version", schema } };
    }
    const log = (line: string) => lines.push(line);
    const tables = async (schema: string) =>
      (await t.engine.query<{ n: string }>("select table_name as n from information_schema.tables where table_schema = $1 order by 1", [schema])).map((r) => r.n);

    test("an upgrade from an empty database creates Alembic's version table and records the head", async () => {
      const { schema, table } = await fresh();
      const result = await runOnline(t.engine, { steps: upChain(five.slice(0, 3)), revisions: revMap(...five), table, startingHeads: [], log });
      expect(result.heads).toEqual(["a3"]);
      expect(await readHeads(t.engine, table)).toEqual(["a3"]);
      expect(await tables(schema)).toEqual(["alembic_version", "log", "t_a1", "t_a2", "t_a3"]);
      const [column] = await t.engine.query<{ type: string; max: number; nullable: string }>(
        "select data_type as type, character_maximum_length as max, is_nullable as nullable from information_schema.columns where table_schema = $1 and table_name = 'alembic_version'",
        [schema],
      );
      expect(column).toEqual({ type: "character varying", max: 32, nullable: "NO" });
      const [pk] = await t.engine.query<{ name: string }>(
        "select constraint_name as name from information_schema.table_constraints where table_schema = $1 and constraint_type = 'PRIMARY KEY'",
        [schema],
      );
      expect(pk?.name).toBe("alembic_version_pkc");
      expect(lines.map((l) => l.replace(/ \([\d.]+ m?s\)$/, ""))).toEqual([
        "Running upgrade  -> a1, rev a1",
        "Done upgrade  -> a1",
        "Running upgrade a1 -> a2, rev a2",
        "Done upgrade a1 -> a2",
        "Running upgrade a2 -> a3, rev a3",
        "Done upgrade a2 -> a3",
      ]);
      expect(result.steps.map((s) => [s.kind, s.revision, s.durationMs >= 0])).toEqual([
        ["upgrade", "a1", true],
        ["upgrade", "a2", true],
        ["upgrade", "a3", true],
      ]);
    });

    test("a downgrade to base runs each downgrade section and leaves the version table empty", async () => {
      const { schema, table } = await fresh();
      const revisions = revMap(...five);
      await runOnline(t.engine, { steps: upChain(five), revisions, table, startingHeads: [], log });
      const result = await runOnline(t.engine, { steps: downChain(five), revisions, table, startingHeads: ["a5"], log });
      expect(result.heads).toEqual([]);
      expect(await readHeads(t.engine, table)).toEqual([]);
      expect(await tables(schema)).toEqual(["alembic_version", "log"]);
      expect(lines.at(-2)).toBe("Running downgrade a1 -> , rev a1");
      expect(lines.at(-1)).toStartWith("Done downgrade a1 ->  (");
    });

    test("branches and a merge keep one version row per head", async () => {
      const { table } = await fresh();
      const base = sqlRev("b0", null, "CREATE TABLE b0 ();", "DROP TABLE b0;");
      const left = sqlRev("bl", "b0", "CREATE TABLE bl ();", "DROP TABLE bl;");
      const right = sqlRev("br", "b0", "CREATE TABLE br ();", "DROP TABLE br;");
      const merge = sqlRev("bm", ["bl", "br"], "", "");
      const revisions = revMap(base, left, right, merge);
      const upToBranches = [
        step("up", base, [], ["b0"], [{ kind: "insert", version: "b0" }]),
        step("up", left, ["b0"], ["bl"], [{ kind: "update", from: "b0", to: "bl" }]),
        step("up", right, ["b0"], ["br"], [{ kind: "insert", version: "br" }]),
      ];
      expect((await runOnline(t.engine, { steps: upToBranches, revisions, table, startingHeads: [], log })).heads).toEqual(["bl", "br"]);
      expect(await readHeads(t.engine, table)).toEqual(["bl", "br"]);
      const mergeStep = step("up", merge, ["bl", "br"], ["bm"], [{ kind: "delete", version: "br" }, { kind: "update", from: "bl", to: "bm" }]);
      await runOnline(t.engine, { steps: [mergeStep], revisions, table, startingHeads: ["bl", "br"], log });
      expect(await readHeads(t.engine, table)).toEqual(["bm"]);
      // Alembic's line as the step starts, then the duration when it ends
      expect(lines.at(-2)).toBe("Running upgrade bl, br -> bm, rev bm");
      expect(lines.at(-1)).toMatch(/^Done upgrade bl, br -> bm \(\d+(\.\d)? m?s\)$/);
      const unmerge = step("down", merge, ["bm"], ["bl", "br"], [{ kind: "update", from: "bm", to: "bl" }, { kind: "insert", version: "br" }]);
      await runOnline(t.engine, { steps: [unmerge], revisions, table, startingHeads: ["bm"], log });
      expect(await readHeads(t.engine, table)).toEqual(["bl", "br"]);
    });

    test("stamp steps and --purge change only the version table", async () => {
      const { schema, table } = await fresh();
      const revisions = revMap(...five);
      const stamp = { ...step("up", five[2]!, [], ["a3"], [{ kind: "insert", version: "a3" }]), run: null };
      const result = await runOnline(t.engine, { steps: [stamp], revisions, table, startingHeads: [], log });
      expect(result.steps[0]?.kind).toBe("stamp");
      expect(lines[0]).toBe("Running stamp_revision  -> a3");
      expect(lines[1]).toStartWith("Done stamp_revision  -> a3 (");
      expect(await tables(schema)).toEqual(["alembic_version", "log"]);
      await t.engine.execute(`INSERT INTO ${schema}.alembic_version VALUES ('zz')`);
      const purge = { ...step("up", five[0]!, [], ["a1"], [{ kind: "insert", version: "a1" }]), run: null };
      expect((await runOnline(t.engine, { steps: [purge], revisions, table, startingHeads: ["a3", "zz"], purge: true, log })).heads).toEqual(["a1"]);
      expect(await readHeads(t.engine, table)).toEqual(["a1"]);
    });

    test("a version table Alembic created and stamped is continued as it is", async () => {
      const { schema, table } = await fresh();
      // Alembic 1.8's own DDL and stamp, as it sends them
      await t.engine.execute(
        `CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\nINSERT INTO alembic_version (version_num) VALUES ('a2');\nCREATE TABLE t_a1 (id int); CREATE TABLE t_a2 (id int);`,
      );
      const heads = await readHeads(t.engine, table);
      expect(heads).toEqual(["a2"]);
      await runOnline(t.engine, { steps: upChain(five).slice(2), revisions: revMap(...five), table, startingHeads: heads, log });
      expect(await readHeads(t.engine, table)).toEqual(["a5"]);
      expect(await tables(schema)).toContain("t_a5");
    });

    for (const mode of ["per-run", "per-migration"] as const) {
      test(`a statement failing in the 3rd of 5 revisions (${mode}) rolls back and names revision, file line and statement`, async () => {
        const { schema, table } = await fresh();
        const bad = sqlRev("a3", "a2", "CREATE TABLE t_a3 (id int);\n\nINSERT INTO t_a3 VALUES (1);\nSELECT * FROM missing_table;\nCREATE TABLE never (id int);");
        const revs = [five[0]!, five[1]!, bad, five[3]!, five[4]!];
        const error = await runOnline(t.engine, {
          steps: upChain(revs),
          revisions: revMap(...revs),
          table,
          startingHeads: [],
          transactionPerMigration: mode === "per-migration",
          log,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationError);
        const e = error as MigrationError;
        expect(e.exitCode).toBe(1);
        expect(e.revision).toBe("a3");
        expect(e.file).toBe("migrations/versions/a3_rev.sql");
        expect(e.statement).toBe("SELECT * FROM missing_table");
        expect(e.pg?.code).toBe("42P01");
        expect(e.message).toContain("Running upgrade a2 -> a3, rev a3 failed (migrations/versions/a3_rev.sql:13)");
        expect(e.message).toContain("   13 | SELECT * FROM missing_table\n                      ^");
        expect(e.message).toContain('ERROR 42P01: relation "missing_table" does not exist');
        // per run, even the version table's creation is rolled back: the database is exactly as before
        const expected = mode === "per-run" ? { heads: [], tables: ["log"], log: [] } : { heads: ["a2"], tables: ["alembic_version", "log", "t_a1", "t_a2"], log: ["a1", "a2"] };
        expect(await readHeads(t.engine, table)).toEqual(expected.heads);
        expect(await tables(schema)).toEqual(expected.tables);
        expect((await t.engine.query<{ id: string }>("select id from log order by id")).map((r) => r.id)).toEqual(expected.log);
        expect(e.message).toContain(`back at ${expected.heads[0] ?? "<base>"}`);
      });
    }

    test("a failure PostgreSQL reports without a position is located without replaying anything", async () => {
      const { table } = await fresh();
      const first = sqlRev("u1", null, "CREATE TABLE u (id int PRIMARY KEY);\nINSERT INTO u VALUES (1);");
      const second = sqlRev("u2", "u1", "INSERT INTO u VALUES (2);\n-- a comment\nINSERT INTO u VALUES (1);\nINSERT INTO u VALUES (3);");
      const error = (await runOnline(t.engine, { steps: upChain([first, second]), revisions: revMap(first, second), table, startingHeads: [], log }).catch(
        (e: unknown) => e,
      )) as MigrationError;
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.pg?.code).toBe("23505");
      expect(error.pg?.detail).toBe("Key (id)=(1) already exists.");
      expect(error.statement).toBe("INSERT INTO u VALUES (1)");
      expect(error.message).toContain("(migrations/versions/u2_rev.sql:12)");
      expect(error.message).toContain("DETAIL: Key (id)=(1) already exists.");
      expect(await readHeads(t.engine, table)).toEqual([]);
      expect(await t.engine.query("select to_regclass('u') as r")).toEqual([{ r: null }]);
    });

    test("a revision with transaction=false runs outside a transaction after committing what came before", async () => {
      const { schema, table } = await fresh();
      const first = sqlRev("c1", null, "CREATE TABLE big (id int);");
      const concurrent = sqlRev("c2", "c1", "CREATE INDEX CONCURRENTLY big_id ON big (id);\nCREATE INDEX CONCURRENTLY big_id2 ON big (id);", null, { transaction: false });
      const third = sqlRev("c3", "c2", "CREATE TABLE after_concurrent (id int);");
      const result = await runOnline(t.engine, { steps: upChain([first, concurrent, third]), revisions: revMap(first, concurrent, third), table, startingHeads: [], log });
      expect(result.heads).toEqual(["c3"]);
      const indexes = await t.engine.query<{ n: string }>("select indexname as n from pg_indexes where schemaname = $1 order by 1", [schema]);
      expect(indexes.map((r) => r.n)).toEqual(["alembic_version_pkc", "big_id", "big_id2"]);
    });

    test("a failing revision with transaction=false keeps the revisions before it and its version row unwritten", async () => {
      const { table } = await fresh();
      const revs = [
        five[0]!,
        five[1]!,
        sqlRev("a3", "a2", "CREATE TABLE t_a3 (id int);\nCREATE INDEX CONCURRENTLY ON nope (id);", null, { transaction: false }),
        five[3]!,
      ];
      const error = (await runOnline(t.engine, { steps: upChain(revs), revisions: revMap(...revs), table, startingHeads: [], log }).catch((e: unknown) => e)) as MigrationError;
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.statement).toBe("CREATE INDEX CONCURRENTLY ON nope (id)");
      expect(error.message).toContain("a3_rev.sql:11)");
      expect(await readHeads(t.engine, table)).toEqual(["a2"]);
      expect(error.message).toContain("alembic_version is still at a2");
    });

    test("a TypeScript revision runs its upgrade() with an op over the online sink", async () => {
      const { schema, table } = await fresh();
      const rev = tsRev("ts1", null, async (op) => {
        await op.execute("CREATE TABLE from_ts (id int)");
        await op.execute("INSERT INTO from_ts VALUES ($1)", [42]);
        const rows = await op.query<{ id: number }>("SELECT id FROM from_ts");
        await op.execute(`INSERT INTO log VALUES ('${rows[0]?.id}')`);
      });
      await runOnline(t.engine, { steps: upChain([rev]), revisions: revMap(rev), table, startingHeads: [], log });
      expect(await t.engine.query(`select id from ${schema}.log`)).toEqual([{ id: "42" }]);
    });

    test("a failing statement in a TypeScript revision is named with its position marked", async () => {
      const { table } = await fresh();
      const rev = tsRev("ts2", null, async (op) => {
        await op.execute("CREATE TABLE ok_ts (id int)");
        await op.execute("SELECT nosuchcolumn FROM ok_ts");
      });
      const error = (await runOnline(t.engine, { steps: upChain([rev]), revisions: revMap(rev), table, startingHeads: [], log }).catch((e: unknown) => e)) as MigrationError;
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.file).toBe("migrations/versions/ts2_rev.ts");
      expect(error.statement).toBe("SELECT nosuchcolumn FROM ok_ts");
      expect(error.message).toContain("  SELECT nosuchcolumn FROM ok_ts\n         ^");
      expect(await t.engine.query("select to_regclass('ok_ts') as r")).toEqual([{ r: null }]);
    });

    test("a downgrade through a revision without a downgrade section fails before anything runs (exit 2)", async () => {
      const { table } = await fresh();
      const noDown = sqlRev("n1", null, "CREATE TABLE n1 ();");
      const withDown = sqlRev("n2", "n1", "CREATE TABLE n2 ();", "DROP TABLE n2;");
      await runOnline(t.engine, { steps: upChain([noDown, withDown]), revisions: revMap(noDown, withDown), table, startingHeads: [], log });
      const error = await runOnline(t.engine, { steps: downChain([noDown, withDown]), revisions: revMap(noDown, withDown), table, startingHeads: ["n2"], log }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RevisionFileError);
      expect((error as RevisionFileError).exitCode).toBe(2);
      expect((error as Error).message).toContain("n1 has no downgrade section");
      expect(await readHeads(t.engine, table)).toEqual(["n2"]);
      expect(await t.engine.query("select to_regclass('n2') is not null as r")).toEqual([{ r: true }]);
    });

    test("reading the current heads never creates the version table", async () => {
      const { table, schema } = await fresh();
      expect(await currentHeads({ url: t.url, engine: t.engine, versionTableSchema: schema })).toEqual([]);
      expect(await versionTableExists(t.engine, table)).toBe(false);
    });

    test("migrate reads the heads under the lock, plans from them and reports previous and new heads", async () => {
      const { schema } = await fresh();
      const revisions = revMap(...five);
      const seen: (readonly string[])[] = [];
      const plan = (heads: readonly string[]) => (seen.push(heads), heads.length === 0 ? upChain(five.slice(0, 2)) : upChain(five).slice(2));
      const first = await migrate({ url: t.url, engine: t.engine, revisions, plan, versionTableSchema: schema, log });
      const second = await migrate({ url: t.url, engine: t.engine, revisions, plan, versionTableSchema: schema, log });
      expect(seen).toEqual([[], ["a2"]]);
      expect([first.previousHeads, first.heads, second.previousHeads, second.heads]).toEqual([[], ["a2"], ["a2"], ["a5"]]);
      expect(second.steps.map((s) => s.revision)).toEqual(["a3", "a4", "a5"]);
    });
  });
}
