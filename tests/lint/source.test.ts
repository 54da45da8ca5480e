/** Statements of a revision with their file lines, through PostgreSQL's parser; syntax errors become statements, not crashes. */
import { describe, expect, test } from "bun:test";
import { parseSql, PgSyntaxError } from "../../src/lint/pg-parser.ts";
import { revisionStatements, statementsOf } from "../../src/lint/source.ts";
import type { LoadedRevision } from "../../src/revisions/types.ts";

describe("statementsOf", () => {
  test("each statement keeps its line in the file, its text and the comments above it", async () => {
    const sql = "-- first\nCREATE TABLE a (id bigint);\n\n/* block */ -- two\nCREATE INDEX i\n  ON a (id);\nSELECT 'é;ü' AS x; SELECT 2";
    const statements = await statementsOf(sql, 10);
    expect(statements.map((s) => [s.line, s.sql, s.leadingComments])).toEqual([
      [11, "CREATE TABLE a (id bigint)", "-- first"],
      [14, "CREATE INDEX i\n  ON a (id)", "-- two"],
      [16, "SELECT 'é;ü' AS x", ""],
      [16, "SELECT 2", ""],
    ]);
    expect(Object.keys(statements[1]!.node!)).toEqual(["IndexStmt"]);
  });

  test("a syntax error is a statement with PostgreSQL's message at its line; the others still parse", async () => {
    const statements = await statementsOf("CREATE TABLE a (id bigint);\nALTER TABLE a\n  ADD COLUMN;\nCREATE INDEX i ON a (id);", 5);
    expect(statements.map((s) => [s.line, s.node === null, s.syntaxError ?? null])).toEqual([
      [5, false, null],
      [7, true, 'syntax error at or near ";"'.replace(' at or near ";"', " at end of input")],
      [8, false, null],
    ]);
  });

  test("the parser is PostgreSQL 18's and reports errors as PgSyntaxError", async () => {
    expect((await parseSql("SELECT 1")).version).toBeGreaterThanOrEqual(180000);
    expect(parseSql("SELEC 1")).rejects.toBeInstanceOf(PgSyntaxError);
  });
});

describe("revisionStatements", () => {
  const base = { id: "aaa", downRevisions: [], branchLabels: [], dependsOn: [], message: "m", createDate: null, doc: "", transaction: true, downgrade: null };

  test("a TypeScript revision is linted through the SQL it renders offline", async () => {
    const rev: LoadedRevision = {
      ...base,
      path: "/nowhere/aaa_x.ts",
      format: "ts",
      upgrade: { kind: "ts", fn: async (op) => { await op.createIndex("i", "users", ["email"]); await op.execute("SELECT 1"); } },
    };
    const sql = await revisionStatements(rev, "// retort-lint: none\nexport async function upgrade(op) {}\n");
    expect(sql.statements.map((s) => [s.line, s.sql])).toEqual([[2, "CREATE INDEX i ON users (email)"], [2, "SELECT 1"]]);
  });

  test("a TypeScript revision that reads the database cannot be rendered: a render error, not a crash", async () => {
    const rev: LoadedRevision = { ...base, path: "/nowhere/aaa_x.ts", format: "ts", upgrade: { kind: "ts", fn: async (op) => { await op.query("SELECT 1"); } } };
    expect((await revisionStatements(rev, "")).renderError).toContain("op.query");
  });
});
