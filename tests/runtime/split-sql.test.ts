import { describe, expect, test } from "bun:test";
import { lineAndColumn, splitStatements, terminate } from "../../src/runtime/split-sql.ts";

describe("splitting SQL into statements", () => {
  const cases: [string, string, string[]][] = [
    ["plain statements", "select 1; select 2;", ["select 1", "select 2"]],
    ["a last statement without ;", "select 1;\nselect 2", ["select 1", "select 2"]],
    ["semicolons inside strings", "insert into t values ('a;b', 'it''s;');", ["insert into t values ('a;b', 'it''s;')"]],
    ["escaped quotes in E strings", "select E'a\\';b'; select 2", ["select E'a\\';b'", "select 2"]],
    ["quoted identifiers", 'create table "we;ird" (id int); select 1', ['create table "we;ird" (id int)', "select 1"]],
    ["dollar-quoted bodies", "create function f() returns int as $$ select 1; $$ language sql; select 2", ["create function f() returns int as $$ select 1; $$ language sql", "select 2"]],
    ["tagged dollar quotes", "do $body$ begin perform 1; end $body$; select 2", ["do $body$ begin perform 1; end $body$", "select 2"]],
    ["line and block comments", "-- a; b\nselect 1; /* x; /* nested; */ y */ select 2;", ["select 1", "select 2"]],
    ["comment-only stretches are not statements", "select 1;\n-- just a note;\n", ["select 1"]],
    ["BEGIN ATOMIC bodies", "create function f() returns int begin atomic select 1; select case when true then 2 end; end; select 3", ["create function f() returns int begin atomic select 1; select case when true then 2 end; end", "select 3"]],
    ["positional parameters are not dollar quotes", "select $1; select 2", ["select $1", "select 2"]],
  ];
  for (const [name, sql, expected] of cases) {
    test(`handles ${name}`, () => {
      expect(splitStatements(sql).map((s) => s.text)).toEqual(expected);
    });
  }

  test("offsets point at each statement's first character", () => {
    const sql = "  select 1;\n\n  -- c\n  select 2";
    const [a, b] = splitStatements(sql);
    expect(sql.slice(a!.start, a!.end)).toBe("select 1");
    expect(sql.slice(b!.start, b!.end)).toBe("select 2");
    expect([a!.terminated, b!.terminated]).toEqual([true, false]);
  });

  test("terminate adds a ; before a trailing comment, and nothing when one is there", () => {
    expect(terminate("select 1 -- note")).toBe("select 1; -- note");
    expect(terminate("select 1; -- note")).toBe("select 1; -- note");
    expect(terminate("-- only a comment")).toBe("-- only a comment");
  });

  test("lineAndColumn counts from 1", () => {
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn("ab", 0)).toEqual({ line: 1, column: 1 });
  });
});
