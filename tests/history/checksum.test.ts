import { describe, expect, test } from "bun:test";
import { checksumOf, revisionChecksum, type ChecksumHeader } from "../../src/history/checksum.ts";
import { parseSqlRevision } from "../../src/revisions/sql-file.ts";
import { fromTsModule } from "../../src/revisions/ts-module.ts";
import { sqlTokens } from "../../src/runtime/split-sql.ts";

const header: ChecksumHeader = { downRevisions: ["a1"], dependsOn: [], branchLabels: [], transaction: true };
const sum = (upgrade: string, downgrade: string | null = "DROP TABLE t;", h: ChecksumHeader = header) => checksumOf(h, { kind: "sql", upgrade, downgrade });

const base = `CREATE TABLE t (
    id int PRIMARY KEY,
    note text DEFAULT 'a  b -- not a comment'
);
CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1 /* kept */ $body$ LANGUAGE sql;`;

describe("checksum: formatting that cannot change behaviour is normalised away", () => {
  const same: [string, string][] = [
    ["a comment-only edit (--)", base.replace("PRIMARY KEY,", "PRIMARY KEY, -- the key")],
    ["a new block comment", `/* header\n * note */\n${base}`],
    ["a nested block comment", base.replace("CREATE FUNCTION", "/* a /* b */ c */ CREATE FUNCTION")],
    ["CRLF line endings", base.replaceAll("\n", "\r\n")],
    ["trailing whitespace", base.replaceAll("\n", "   \n")],
    ["blank lines", base.replace(";\n", ";\n\n\n")],
    ["re-indentation", base.replaceAll("    ", "\t")],
    ["spaces around punctuation", base.replace("t (", "t(")],
    ["a comment between tokens in place of a space", base.replace("CREATE TABLE", "CREATE/**/TABLE")],
  ];
  for (const [name, edited] of same) {
    test(`${name} keeps the checksum`, () => expect(sum(edited)).toBe(sum(base)));
  }
});

describe("checksum: any token change trips it", () => {
  const different: [string, string][] = [
    ["a changed keyword case", base.replace("PRIMARY KEY", "primary key")],
    ["a changed identifier", base.replace("note", "notes")],
    ["a changed string literal", base.replace("'a  b", "'a b")],
    ["a comment-like text inside a string", base.replace("-- not a comment", "-- not a remark")],
    ["a change inside a dollar quote", base.replace("SELECT 1", "SELECT 2")],
    ["a comment inside a dollar quote (it is the function body)", base.replace("/* kept */", "/* changed */")],
    ["a changed quoted identifier", base.replace("TABLE t", 'TABLE "T"')],
    ["a number split by a space", base.replace("int PRIMARY", "int8 PRIMARY")],
    ["an added statement", `${base}\nSELECT 1;`],
  ];
  for (const [name, edited] of different) {
    test(`${name} changes the checksum`, () => expect(sum(edited)).not.toBe(sum(base)));
  }
  test("a changed downgrade changes it; no downgrade differs from an empty one", () => {
    expect(sum(base, "DROP TABLE t CASCADE;")).not.toBe(sum(base));
    expect(sum(base, null)).not.toBe(sum(base, ""));
  });
  const headers: [string, Partial<ChecksumHeader>][] = [
    ["Revises", { downRevisions: ["b2"] }],
    ["Depends On", { dependsOn: ["c3"] }],
    ["Branch Labels", { branchLabels: ["x"] }],
    ["Transaction", { transaction: false }],
  ];
  for (const [name, change] of headers) {
    test(`a changed ${name} header changes it`, () => expect(sum(base, null, { ...header, ...change })).not.toBe(sum(base, null)));
  }
});

describe("sqlTokens", () => {
  const cases: [string, string[]][] = [
    ["SELECT 1.5e3, x;", ["SELECT", "1.5e3", ",", "x", ";"]],
    ["select E'a\\'b' -- c\n", ["select", "E'a\\'b'"]],
    ['"a""b".c', ['"a""b"', ".", "c"]],
    ["$$ -- no $$ $f$x$f$", ["$$ -- no $$", "$f$x$f$"]],
    ["a/* x /* y */ z */b", ["a", "b"]],
    ["x'1F'", ["x'1F'"]],
  ];
  for (const [sql, tokens] of cases) test(`${JSON.stringify(sql)}`, () => expect(sqlTokens(sql)).toEqual(tokens));
});

describe("revisionChecksum", () => {
  const file = (body: string, extra = "") =>
    `-- Revision ID: ab12cd34ef56\n-- Revises: \n-- Message: one${extra}\n\n-- migrate:upgrade\n${body}\n\n-- migrate:downgrade\nDROP TABLE t;\n`;
  test("SQL files: message and create date are not part of it; the header fields that define the graph are", async () => {
    const a = await revisionChecksum(parseSqlRevision("ab12cd34ef56_x.sql", file("CREATE TABLE t (id int);")));
    const b = await revisionChecksum(parseSqlRevision("ab12cd34ef56_x.sql", file("CREATE TABLE t (id int); -- note", "\n-- Create Date: 2026-01-01")));
    const c = await revisionChecksum(parseSqlRevision("ab12cd34ef56_x.sql", file("CREATE TABLE t (id int);", "\n-- Transaction: false")));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });
  test("TypeScript revisions: the SQL they render, so a reformatted file keeps it; op.query falls back to the source", async () => {
    const ns = (sql: string, fn?: (op: any) => Promise<void>) => ({
      revision: "ab12cd34ef56",
      downRevision: null,
      upgrade: fn ?? (async (op: any) => op.execute(sql)),
    });
    const a = await revisionChecksum(fromTsModule("ab12cd34ef56_x.ts", ns("CREATE TABLE t (id int)"), "src a"));
    const b = await revisionChecksum(fromTsModule("ab12cd34ef56_x.ts", ns("CREATE TABLE t (\n  id int\n)"), "src b"));
    const c = await revisionChecksum(fromTsModule("ab12cd34ef56_x.ts", ns("CREATE TABLE t (id bigint)"), "src a"));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    const reads = async (op: any) => void (await op.query("SELECT 1"));
    const d = await revisionChecksum(fromTsModule("ab12cd34ef56_x.ts", ns("", reads), "line one\r\n\r\nline two  \n"));
    const e = await revisionChecksum(fromTsModule("ab12cd34ef56_x.ts", ns("", reads), "line one\nline two\n"));
    const f = await revisionChecksum(fromTsModule("ab12cd34ef56_x.ts", ns("", reads), "line one\nline 2\n"));
    expect(e).toBe(d);
    expect(f).not.toBe(d);
  });
});
