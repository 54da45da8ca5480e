import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseSqlRevision } from "../../src/revisions/sql-file.ts";
import { importTsRevision } from "../../src/revisions/ts-import.ts";
import {
  formatCreateDate,
  type NewSqlRevision,
  type NewTsRevision,
  renderSqlRevision,
  renderTsRevision,
  revisionFileName,
  revisionSlug,
} from "../../src/revisions/writer.ts";

describe("revisionSlug", () => {
  // Expected values are what Alembic 1.8's ScriptDirectory._rev_path computes.
  test.each([
    ["create sample_table", "create_sample_table"],
    ["create base platform tables", "create_base_platform_tables"],
    ["seed initial focus groups/dimensions/weights data", "seed_initial_focus_groups_dimensions_"],
    ["Fix: issue #42 (urgent!)", "fix_issue_42_urgent"],
    ["Add   Übersicht für Straße – naïve café", "add_übersicht_für_straße_naïve_café"],
    ["数据 表格 创建", "数据_表格_创建"],
    ["", ""],
    ["   ", ""],
    ["a".repeat(50), `${"a".repeat(40)}_`],
    [`${"x".repeat(39)} yy`, `${"x".repeat(39)}_`],
  ])("%p -> %p", (message, slug) => {
    expect(revisionSlug(message)).toBe(slug);
  });

  test("honours a configured truncate length", () => {
    expect(revisionSlug("one two three", 8)).toBe("one_two_");
  });
});

describe("revisionFileName", () => {
  test.each([
    ["ffa7dce781be", "create sample_table", "sql", "ffa7dce781be_create_sample_table.sql"],
    ["0ee619f3516b", "seed initial focus groups/dimensions/weights data", "ts", "0ee619f3516b_seed_initial_focus_groups_dimensions_.ts"],
    ["abc", "", "sql", "abc_.sql"],
  ] as const)("%s + %p -> %s", (id, message, ext, name) => {
    expect(revisionFileName(id, message, ext)).toBe(name);
  });
});

describe("formatCreateDate", () => {
  test("writes local time without microseconds, zero-padded", () => {
    expect(formatCreateDate(new Date(2026, 1, 3, 4, 5, 9, 123))).toBe("2026-02-03 04:05:09");
  });
});

const BASE: NewSqlRevision = {
  id: "0ee619f3516b",
  downRevisions: ["dadf308f3867"],
  message: "seed initial focus groups/dimensions/weights data",
  createDate: "2026-02-11 14:05:09",
};

describe("renderSqlRevision", () => {
  test("writes the README's SQL form", () => {
    expect(renderSqlRevision({ ...BASE, upgradeSql: "INSERT INTO t VALUES (1);", downgradeSql: "DELETE FROM t;" })).toBe(
      [
        "-- Revision ID: 0ee619f3516b",
        "-- Revises: dadf308f3867",
        "-- Create Date: 2026-02-11 14:05:09",
        "-- Message: seed initial focus groups/dimensions/weights data",
        "",
        "-- migrate:upgrade",
        "INSERT INTO t VALUES (1);",
        "",
        "-- migrate:downgrade",
        "DELETE FROM t;",
        "",
      ].join("\n"),
    );
  });

  const cases: [name: string, rev: NewSqlRevision][] = [
    ["a plain revision", { ...BASE, upgradeSql: "CREATE TABLE t (id int);\nCREATE INDEX ix ON t (id);", downgradeSql: "DROP TABLE t;" }],
    ["a base without create date", { ...BASE, downRevisions: [], createDate: null }],
    ["a merge", { ...BASE, downRevisions: ["a1", "b2", "c3"], upgradeSql: "", downgradeSql: "" }],
    ["labels, dependencies and no transaction", { ...BASE, branchLabels: ["platform", "seed"], dependsOn: ["ffa7dce781be"], transaction: false, upgradeSql: "CREATE INDEX CONCURRENTLY ix ON t (a);" }],
    ["an irreversible revision", { ...BASE, upgradeSql: "DROP TABLE legacy;", downgradeSql: null }],
    ["SQL with comments that are not markers", { ...BASE, upgradeSql: "-- migrate later? no:\nSELECT 1; -- Message: not a header", downgradeSql: "-- nothing" }],
  ];

  test.each(cases)("round-trips %s through parseSqlRevision", (_name, rev) => {
    const path = `v/${revisionFileName(rev.id, rev.message, "sql")}`;
    const parsed = parseSqlRevision(path, renderSqlRevision(rev));
    expect(parsed).toMatchObject({
      id: rev.id,
      downRevisions: rev.downRevisions,
      branchLabels: rev.branchLabels ?? [],
      dependsOn: rev.dependsOn ?? [],
      message: rev.message,
      createDate: rev.createDate,
      transaction: rev.transaction ?? true,
      format: "sql",
    });
    expect(parsed.upgrade).toMatchObject({ kind: "sql", sql: rev.upgradeSql ?? "" });
    if (rev.downgradeSql === null) expect(parsed.downgrade).toBeNull();
    else expect(parsed.downgrade).toMatchObject({ kind: "sql", sql: rev.downgradeSql ?? "" });
    expect(parsed.doc.split("\n\n")[0]).toBe(rev.message);
  });

  test("puts a multi-line message on one header line", () => {
    const parsed = parseSqlRevision("0ee619f3516b.sql", renderSqlRevision({ ...BASE, message: "first line\n  second line" }));
    expect(parsed.message).toBe("first line second line");
  });

  test("writes notes as comment lines below the header, which parse back into the docstring", () => {
    const text = renderSqlRevision({ ...BASE, notes: ["Why this exists.", "", "More."] });
    expect(text).toContain("-- Message: seed initial focus groups/dimensions/weights data\n--\n-- Why this exists.\n--\n-- More.\n\n-- migrate:upgrade");
    expect(parseSqlRevision("0ee619f3516b.sql", text).doc).toContain("Why this exists.\n\nMore.");
  });

  test("keeps leading indentation and drops only blank lines around a section body", () => {
    const text = renderSqlRevision({ ...BASE, upgradeSql: "\n\n  SELECT 1;\n\n" });
    expect(text).toContain("-- migrate:upgrade\n  SELECT 1;\n\n-- migrate:downgrade\n");
  });
});

describe("renderTsRevision", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "writer-"));
  });

  test("writes a module shaped like Alembic's script template", () => {
    expect(renderTsRevision({ ...BASE, downRevisions: [], createDate: null, upgradeCode: 'await op.execute("SELECT 1");', opImport: "../../src/ops/op.ts" })).toBe(
      [
        "/**",
        " * seed initial focus groups/dimensions/weights data",
        " *",
        " * Revision ID: 0ee619f3516b",
        " * Revises:",
        " */",
        'import type { Op } from "../../src/ops/op.ts";',
        "",
        "// revision identifiers, used by retort (and named like Alembic's).",
        'export const revision = "0ee619f3516b";',
        "export const downRevision: string | string[] | null = null;",
        "export const branchLabels: string[] = [];",
        "export const dependsOn: string[] = [];",
        'export const message = "seed initial focus groups/dimensions/weights data";',
        "export const transaction = true;",
        "",
        "export async function upgrade(op: Op): Promise<void> {",
        '  await op.execute("SELECT 1");',
        "}",
        "",
        "export async function downgrade(op: Op): Promise<void> {",
        "}",
        "",
      ].join("\n"),
    );
  });

  const cases: [name: string, rev: NewTsRevision][] = [
    ["a plain revision", { ...BASE, upgradeCode: "await op.execute(`CREATE TABLE t ()`);", downgradeCode: "await op.execute(`DROP TABLE t`);" }],
    ["a merge with labels, dependencies and no transaction", { ...BASE, downRevisions: ["a1", "b2"], branchLabels: ["x"], dependsOn: ["c3"], transaction: false }],
    ["an irreversible revision with quotes and */ in its message", { ...BASE, message: 'drop "legacy" */ tables', downgradeCode: null }],
  ];

  test.each(cases)("round-trips %s through import and fromTsModule", async (name, rev) => {
    // One file per case: import() caches modules by path.
    const file = join(dir, revisionFileName(rev.id, name.slice(0, 20), "ts"));
    const text = renderTsRevision(rev);
    writeFileSync(file, text);
    const loaded = await importTsRevision(file, text);
    expect(loaded).toMatchObject({
      id: rev.id,
      downRevisions: rev.downRevisions,
      branchLabels: rev.branchLabels ?? [],
      dependsOn: rev.dependsOn ?? [],
      message: rev.message,
      createDate: rev.createDate,
      transaction: rev.transaction ?? true,
      format: "ts",
    });
    expect(loaded.downgrade === null).toBe(rev.downgradeCode === null);
    expect(loaded.doc.split("\n\n")[0]).toBe(rev.message);
    expect(loaded.doc).toContain(`Revision ID: ${rev.id}`);
    const executed: string[] = [];
    if (loaded.upgrade.kind !== "ts") throw new Error("expected a ts upgrade");
    await loaded.upgrade.fn({ execute: async (sql: string) => void executed.push(sql) } as never);
    expect(executed).toEqual(rev.upgradeCode ? ["CREATE TABLE t ()"] : []);
  });
});
