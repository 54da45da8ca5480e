import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHistoryTableSql, historyTableExists, historyTableName, insertHistorySql, readHistory, type HistoryRow } from "../../src/history/table.ts";
import { versionTableName } from "../../src/runtime/version-table.ts";
import { engineKinds, openTestEngine, type TestEngine } from "../runtime/engines.ts";

const row = (revision: string, extra: Partial<HistoryRow> = {}): HistoryRow => ({
  runId: "4b1f0a34-5d1e-4a57-9d6c-0a5f7f3c2e11",
  revision,
  kind: "upgrade",
  headsBefore: [],
  headsAfter: [revision],
  checksum: "ab".repeat(32),
  startedAt: new Date("2026-12-07T10:04:11.250Z"),
  durationMs: 84.5,
  success: true,
  sqlstate: null,
  error: null,
  osUser: "deploy",
  host: "web-1",
  retortVersion: "0.2.0",
  ...extra,
});

test("the history table sits in the version table's schema and cannot share its name", () => {
  expect(historyTableName(undefined, versionTableName(undefined, "ops"))).toEqual({ name: "retort_history", schema: "ops" });
  expect(() => historyTableName("alembic_version", versionTableName())).toThrow("cannot have the version table's name");
  expect(() => historyTableName("x".repeat(64), versionTableName())).toThrow("63 bytes");
});

test("rows are rendered as one multi-row INSERT, quoted", () => {
  const sql = insertHistorySql({ name: "h", schema: "My Schema" }, [row("a"), row("b", { error: "it's broken", success: false, sqlstate: "42P01", headsBefore: ["x", "y"] })]);
  expect(sql.match(/INSERT INTO/g)?.length).toBe(1);
  expect(sql).toContain('INSERT INTO "My Schema".h (');
  expect(sql).toContain('"e":"it\'\'s broken"');
  expect(sql).toContain('"b":"x y"');
  expect(insertHistorySql({ name: "h", schema: null }, [])).toBe("");
});

for (const kind of engineKinds) {
  describe(`history table on ${kind}`, () => {
    let t: TestEngine;
    beforeAll(async () => void (t = await openTestEngine(kind)));
    afterAll(async () => await t.close());

    test("reading a database without the table returns nothing and creates nothing", async () => {
      await t.freshSchema();
      const table = { name: "retort_history", schema: null };
      expect(await readHistory(t.engine, table)).toEqual([]);
      expect(await historyTableExists(t.engine, table)).toBe(false);
    });

    test("a view named like the history table is not taken for it", async () => {
      const schema = await t.freshSchema();
      const table = { name: "retort_history", schema };
      await t.engine.execute("CREATE VIEW retort_history AS SELECT 1 AS id");
      await expect(historyTableExists(t.engine, table)).rejects.toThrow(`${schema}.retort_history exists but is not retort's history table (it is not a table)`);
      await t.engine.execute("DROP VIEW retort_history");
      await t.engine.execute(createHistoryTableSql(table));
      expect(await historyTableExists(t.engine, table)).toBe(true);
    });

    test("rows written in bulk read back newest first; latestPerRevision keeps the newest successful row of each", async () => {
      const schema = await t.freshSchema();
      const table = { name: "retort_history", schema };
      await t.engine.execute(createHistoryTableSql(table));
      const hostile = "it's \\ \"quoted\" $$ \n\u001b[31m ümlaut";
      await t.engine.execute(
        insertHistorySql(table, [row("a"), row("b"), row("a", { kind: "downgrade", headsAfter: [] }), row("a", { success: false, sqlstate: "42P01", error: hostile, startedAt: null, durationMs: null, runId: "0b1f0a34-5d1e-4a57-9d6c-0a5f7f3c2e11" })]),
      );
      const all = await readHistory(t.engine, table);
      expect(all.map((r) => [r.revision, r.kind, r.success])).toEqual([
        ["a", "upgrade", false],
        ["a", "downgrade", true],
        ["b", "upgrade", true],
        ["a", "upgrade", true],
      ]);
      const first = all[3]!;
      expect(first.startedAt.toISOString()).toBe("2026-12-07T10:04:11.250Z");
      expect(first.durationMs).toBe(84.5);
      expect(first.dbUser.length).toBeGreaterThan(0);
      expect(all[0]!.sqlstate).toBe("42P01");
      expect(all[0]!.error).toBe(hostile);
      expect(all[0]!.runId).toBe("0b1f0a34-5d1e-4a57-9d6c-0a5f7f3c2e11");
      expect(all[0]!.durationMs).toBeNull();
      expect(all[1]!.headsAfter).toEqual([]);
      const latest = await readHistory(t.engine, table, { latestPerRevision: true });
      expect(latest.map((r) => [r.revision, r.kind])).toEqual([
        ["a", "downgrade"],
        ["b", "upgrade"],
      ]);
      expect((await readHistory(t.engine, table, { revision: "b" })).length).toBe(1);
      expect((await readHistory(t.engine, table, { limit: 2 })).length).toBe(2);
    });
  });
}
