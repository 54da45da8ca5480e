/**
 * History rows written by real runs, on both engines: every transaction mode,
 * failures, changed files, adoption, --sql scripts and concurrent deployers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TOOL_VERSION } from "../../src/cli/version.ts";
import { downgrade } from "../../src/commands/downgrade.ts";
import { stamp } from "../../src/commands/stamp.ts";
import { upgrade } from "../../src/commands/upgrade.ts";
import { validate } from "../../src/commands/validate.ts";
import { introspect } from "../../src/autogenerate/introspect.ts";
import { RevisionGraph } from "../../src/core/graph.ts";
import { openEngine } from "../../src/drivers/open.ts";
import { AppliedRevisionChangedError, ConfigError, MigrationError, ResolutionError } from "../../src/errors.ts";
import { revisionChecksum } from "../../src/history/checksum.ts";
import { readHistory, type StoredHistoryRow } from "../../src/history/table.ts";
import type { LoadedRevision } from "../../src/revisions/types.ts";
import { readHeads } from "../../src/runtime/version-table.ts";
import { sqlRev } from "../runtime/fixtures.ts";
import { engineKinds, openTestEngine, type TestEngine } from "../runtime/engines.ts";

/** The login name as the system knows it (Bun's os.userInfo() says "unknown" when $USER is unset). */
const LOGIN = Bun.spawnSync(["id", "-un"]).stdout.toString().trim();

const A = "aaaa00000001";
const B = "bbbb00000002";
const C = "cccc00000003";
const D = "dddd00000004";

/** a -> b -> c (Transaction: false) -> d */
function chain(overrides: Partial<Record<string, LoadedRevision>> = {}): LoadedRevision[] {
  const revs = [
    sqlRev(A, null, "CREATE TABLE ta (id int);", "DROP TABLE ta;"),
    sqlRev(B, A, "CREATE TABLE tb (id int);\nINSERT INTO tb VALUES (1);", "DROP TABLE tb;"),
    sqlRev(C, B, "CREATE INDEX CONCURRENTLY tb_id ON tb (id);", "DROP INDEX tb_id;", { transaction: false }),
    sqlRev(D, C, "CREATE TABLE td (id int);", "DROP TABLE td;"),
  ];
  return revs.map((r) => overrides[r.id] ?? r);
}

for (const kind of engineKinds) {
  describe(`history rows on ${kind}`, () => {
    let t: TestEngine;
    beforeAll(async () => void (t = await openTestEngine(kind)));
    afterAll(async () => await t.close());

    async function setup(revs: LoadedRevision[] = chain()) {
      const schema = await t.freshSchema();
      const lines: string[] = [];
      const options = (r: LoadedRevision[] = revs, extra: Record<string, unknown> = {}) => ({
        url: t.url,
        engine: t.engine,
        graph: RevisionGraph.build(r),
        revisions: new Map(r.map((x) => [x.id, x])),
        versionTableSchema: schema,
        log: (line: string) => lines.push(line),
        ...extra,
      });
      const rows = async (): Promise<StoredHistoryRow[]> => (await readHistory(t.engine, { name: "retort_history", schema })).reverse();
      const heads = () => readHeads(t.engine, { name: "alembic_version", schema });
      return { schema, options, rows, heads, lines };
    }

    for (const perMigration of [false, true]) {
      const mode = perMigration ? "one transaction per revision" : "one transaction per run";
      test(`upgrade, downgrade and stamp write one row per step (${mode})`, async () => {
        const started = Date.now();
        const s = await setup();
        await upgrade({ ...s.options(), target: "head", transactionPerMigration: perMigration });
        let rows = await s.rows();
        expect(rows.map((r) => [r.kind, r.revision, r.headsBefore, r.headsAfter, r.success])).toEqual([
          ["upgrade", A, [], [A], true],
          ["upgrade", B, [A], [B], true],
          ["upgrade", C, [B], [C], true],
          ["upgrade", D, [C], [D], true],
        ]);
        const revs = chain();
        for (const [i, row] of rows.entries()) expect(row.checksum).toBe(await revisionChecksum(revs[i]!));
        expect(new Set(rows.map((r) => r.runId)).size).toBe(1);
        const first = rows[0]!;
        expect(first.osUser).toBe(LOGIN);
        expect(first.host).not.toBeNull();
        expect(first.retortVersion).toBe(TOOL_VERSION);
        expect(first.dbUser).toBe(kind === "postgres" ? "postgres" : "postgres");
        expect(first.startedAt.getTime()).toBeGreaterThanOrEqual(started - 1000);
        expect(first.durationMs).toBeGreaterThanOrEqual(0);

        await downgrade({ ...s.options(), target: "base", transactionPerMigration: perMigration });
        await stamp({ ...s.options(), targets: ["head"], transactionPerMigration: perMigration });
        rows = await s.rows();
        expect(rows.slice(4).map((r) => [r.kind, r.revision, r.headsBefore, r.headsAfter])).toEqual([
          ["downgrade", D, [D], [C]],
          ["downgrade", C, [C], [B]],
          ["downgrade", B, [B], [A]],
          ["downgrade", A, [A], []],
          ["stamp", D, [], [D]],
        ]);
        expect(new Set(rows.map((r) => r.runId)).size).toBe(3);
        expect(rows.at(-1)!.headsAfter).toEqual(await s.heads());
      });

      test(`a failing revision leaves its failure row and nothing else of its transaction (${mode})`, async () => {
        const bad = sqlRev(B, A, "CREATE TABLE tb (id int);\nINSERT INTO no_such_table VALUES (1);", "DROP TABLE tb;");
        const s = await setup(chain({ [B]: bad }));
        const error = await upgrade({ ...s.options(), target: "head", transactionPerMigration: perMigration }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationError);
        const rows = await s.rows();
        const expected = [...(perMigration ? [["upgrade", A, true, null]] : []), ["upgrade", B, false, "42P01"]];
        expect(rows.map((r) => [r.kind, r.revision, r.success, r.sqlstate])).toEqual(expected);
        expect(rows.at(-1)!.error).toContain("no_such_table");
        expect(rows.at(-1)!.headsAfter).toEqual(perMigration ? [A] : []);
        expect(await s.heads()).toEqual(perMigration ? [A] : []);
      });
    }

    test("a failing Transaction: false revision: what came before it is committed with its rows, then its failure row", async () => {
      const bad = sqlRev(C, B, "CREATE INDEX CONCURRENTLY tb_id ON no_such_table (id);", "DROP INDEX tb_id;", { transaction: false });
      const s = await setup(chain({ [C]: bad }));
      expect(await upgrade({ ...s.options(), target: "head" }).catch((e: unknown) => e)).toBeInstanceOf(MigrationError);
      const rows = await s.rows();
      expect(rows.map((r) => [r.revision, r.success, r.sqlstate])).toEqual([
        [A, true, null],
        [B, true, null],
        [C, false, "42P01"],
      ]);
      expect(await s.heads()).toEqual([B]);
    });

    test("a user's own table named retort_history stops upgrade and stamp (exit 2, naming it and --history-table) and is left as it was", async () => {
      const s = await setup();
      await t.engine.execute("CREATE TABLE retort_history (id serial PRIMARY KEY, note text); INSERT INTO retort_history (note) VALUES ('mine')");
      for (const run of [() => upgrade({ ...s.options(), target: "head" }), () => stamp({ ...s.options(), targets: ["head"] })]) {
        const error = await run().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).exitCode).toBe(2);
        expect((error as Error).message).toMatch(/^t\w+\.retort_history exists but is not retort's history table \(it has no run_id, revision, kind and 12 more columns\); .*--history-table NAME or history_table in retort\.toml$/);
      }
      const tables = await t.engine.query<{ relname: string }>("SELECT relname::text AS relname FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r'", [s.schema]);
      expect(tables.map((r) => r.relname)).toEqual(["retort_history"]);
      expect(await t.engine.query("SELECT id, note FROM retort_history")).toEqual([{ id: 1, note: "mine" }]);
      // another name for retort's table and the run goes ahead beside the user's
      await upgrade({ ...s.options(), target: "head", historyTable: "retort_runs" });
      expect(await s.heads()).toEqual([D]);
    });

    test("a changed applied file stops upgrade (exit 2) and trips validate; comment-only and whitespace-only edits do not", async () => {
      const s = await setup();
      await upgrade({ ...s.options(), target: B });
      const original = chain()[1]!;
      const script = (sql: string) => ({ ...original, upgrade: { kind: "sql" as const, sql, line: 10 } });
      const cosmetic = script("-- creates tb\nCREATE TABLE tb (\n  id int\n);\r\n\r\n\r\nINSERT INTO tb VALUES (1);   /* seed */");
      const changed = script("CREATE TABLE tb (id bigint);\nINSERT INTO tb VALUES (1);");

      const cosmeticRun = await upgrade({ ...s.options(chain({ [B]: cosmetic })), target: C });
      expect(cosmeticRun.steps.map((x) => x.revision)).toEqual([C]);
      expect((await validate(s.options(chain({ [B]: cosmetic })))).ok).toBe(true);

      const error = await upgrade({ ...s.options(chain({ [B]: changed })), target: "head" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppliedRevisionChangedError);
      const message = (error as AppliedRevisionChangedError).message;
      expect((error as AppliedRevisionChangedError).exitCode).toBe(2);
      expect(message).toContain(`revision ${B} (${original.path}) changed since it was applied`);
      expect(message).toContain(`by ${LOGIN}@`);
      expect(message).toContain(`checksum then ${(await revisionChecksum(original)).slice(0, 12)}, now ${(await revisionChecksum(changed)).slice(0, 12)}`);
      expect(await s.heads()).toEqual([C]);
      const found = await validate(s.options(chain({ [B]: changed })));
      expect(found.ok).toBe(false);
      expect(found.problems.map((p) => [p.revision, p.problem])).toEqual([[B, "changed"]]);

      // accepted: an accept row with the new checksum, then the run goes on, and later runs are clean
      await upgrade({ ...s.options(chain({ [B]: changed }), { allowChanged: [B] }), target: "head" });
      const rows = await s.rows();
      const accept = rows.find((r) => r.kind === "accept")!;
      expect(accept.revision).toBe(B);
      expect(accept.checksum).toBe(await revisionChecksum(changed));
      expect(accept.runId).toBe(rows.at(-1)!.runId);
      expect(await s.heads()).toEqual([D]);
      expect((await validate(s.options(chain({ [B]: changed })))).ok).toBe(true);
    });

    test("introspection (check, diff, autogenerate) leaves the history table and its identity sequence out", async () => {
      const s = await setup();
      await upgrade({ ...s.options(), target: A });
      const model = await introspect(t.engine, { versionTableSchema: s.schema });
      // (the engine is shared: other tests' schemas are in the model too)
      expect(model.tables.filter((x) => x.schema === s.schema).map((x) => x.name)).toEqual(["ta"]);
      expect(model.sequences.filter((x) => x.schema === s.schema)).toEqual([]);
      expect(JSON.stringify(model.dependencies)).not.toContain(`${s.schema}.retort_history`);
    });

    test("--allow-changed resolves like a revision argument: unknown, too short or ambiguous stops the run (exit 2) before anything runs", async () => {
      const s = await setup();
      await upgrade({ ...s.options(), target: A });
      const before = await s.rows();
      for (const [value, message] of [
        ["zzzz9", "--allow-changed zzzz9: Can't locate revision identified by 'zzzz9'"],
        ["bb", "--allow-changed bb: a revision id prefix needs at least 4 characters"],
        ["base", "--allow-changed base: names no revision"],
      ]) {
        const error = await upgrade({ ...s.options(chain(), { allowChanged: [value] }), target: "head" }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ResolutionError);
        expect((error as ResolutionError).exitCode).toBe(2);
        expect((error as Error).message).toStartWith(message!);
      }
      expect(await s.heads()).toEqual([A]);
      expect(await s.rows()).toEqual(before);
      // a unique prefix of 4 is the revision itself
      await upgrade({ ...s.options(chain(), { allowChanged: ["bbbb"] }), target: "head" });
      expect(s.lines).toContain(`--allow-changed bbbb: revision ${B} has no changed or vanished file; nothing to accept`);
    });

    test("--allow-changed accepts a vanished applied file by a prefix of its id", async () => {
      const s = await setup();
      await upgrade({ ...s.options(), target: "head" });
      // taken down without retort (Alembic, say), then its file deleted: the history still says it is applied
      await downgrade({ ...s.options(chain(), { recordHistory: false }), target: C });
      const without = chain().slice(0, 3);
      expect(await upgrade({ ...s.options(without), target: C }).catch((e: unknown) => e)).toBeInstanceOf(AppliedRevisionChangedError);
      await upgrade({ ...s.options(without, { allowChanged: ["dddd"] }), target: C });
      expect((await s.rows()).at(-1)).toMatchObject({ kind: "accept", revision: D, checksum: null });
      expect((await validate(s.options(without))).ok).toBe(true);
    });

    test("a vanished applied file is named the same way", async () => {
      const s = await setup();
      await upgrade({ ...s.options(), target: "head" });
      const without = chain().slice(0, 3);
      const error = await downgrade({ ...s.options(without), target: "base" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppliedRevisionChangedError);
      expect((error as Error).message).toContain(`revision ${D} was applied`);
      expect((error as Error).message).toContain("no revision file defines it any more");
      expect((await validate(s.options(without))).problems.map((p) => [p.revision, p.problem])).toEqual([[D, "missing"]]);
    });

    test("a database without a history table is adopted: one baseline row per head, checks start there", async () => {
      const s = await setup();
      await upgrade({ ...s.options(chain(), { recordHistory: false }), target: B });
      expect(await s.rows()).toEqual([]);
      const unknown = await validate(s.options());
      expect([unknown.ok, unknown.historyExists]).toEqual([true, false]);
      // a file changed before adoption is not known to have changed
      const edited = { ...chain()[0]!, upgrade: { kind: "sql" as const, sql: "CREATE TABLE ta (id bigint);", line: 10 } };
      await upgrade({ ...s.options(chain({ [A]: edited })), target: "head" });
      const rows = await s.rows();
      expect(rows.map((r) => [r.kind, r.revision, r.checksum === null])).toEqual([
        ["baseline", B, true],
        ["upgrade", C, false],
        ["upgrade", D, false],
      ]);
      expect(rows[0]!.headsBefore).toEqual([B]);
      expect((await validate(s.options(chain({ [A]: edited })))).ok).toBe(true);
    });

    test("a --sql script carries the table and the rows, and applying it records them", async () => {
      const s = await setup();
      for (const perMigration of [false, true]) {
        const result = await upgrade({ ...s.options(), target: "head", sql: true, transactionPerMigration: perMigration });
        const script = result.sql ?? "";
        expect(script).toContain(`CREATE TABLE IF NOT EXISTS ${s.schema}.retort_history (`);
        expect(script.match(/INSERT INTO \w+\.retort_history/g)?.length).toBe(perMigration ? 4 : 3);
        if (!perMigration) {
          await t.engine.execute(script.replace(/CREATE INDEX CONCURRENTLY/g, "CREATE INDEX"));
          const rows = await s.rows();
          expect(rows.map((r) => [r.kind, r.revision, r.osUser, r.durationMs])).toEqual([
            ["upgrade", A, null, null],
            ["upgrade", B, null, null],
            ["upgrade", C, null, null],
            ["upgrade", D, null, null],
          ]);
        }
      }
    });
  });
}

if (engineKinds.includes("postgres")) {
  test("concurrent deployers on PostgreSQL produce one history row per applied step", async () => {
    const t = await openTestEngine("postgres");
    const other = await openEngine(t.url);
    try {
      // without the CREATE INDEX CONCURRENTLY revision: it waits for every open transaction, the waiting deployer's lock call too
      const revs = [...chain().slice(0, 2), sqlRev(C, B, "CREATE INDEX tb_id ON tb (id);", "DROP INDEX tb_id;", { transaction: false }), chain()[3]!];
      const options = (engine: typeof t.engine) => ({
        url: t.url,
        engine,
        graph: RevisionGraph.build(revs),
        revisions: new Map(revs.map((x) => [x.id, x])),
        log: () => {},
      });
      await Promise.all([upgrade({ ...options(t.engine), target: "head" }), upgrade({ ...options(other), target: "head" })]);
      const rows = await readHistory(t.engine, { name: "retort_history", schema: null });
      expect(rows.map((r) => r.revision).sort()).toEqual([A, B, C, D]);
      expect(new Set(rows.map((r) => r.runId)).size).toBe(1);
    } finally {
      await other.close();
      await t.close();
    }
  });
}
