import { describe, expect, test } from "bun:test";
import { UsageError } from "../../src/errors.ts";
import { inlineParams } from "../../src/ops/quote.ts";

describe("inlineParams", () => {
  const cases: [string, string, unknown[], string][] = [
    ["replaces each placeholder by its literal", "SELECT $1, $2, $3", ["a", 2, null], "SELECT 'a', 2, NULL"],
    ["uses a parameter as often as it is referenced", "SELECT $1 WHERE x = $1", [7], "SELECT 7 WHERE x = 7"],
    ["handles placeholders of two digits", "SELECT $10, $1", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "SELECT 10, 1"],
    ["keeps casts after a placeholder", "SELECT $1::int", ["5"], "SELECT '5'::int"],
    ["leaves $1 inside a string literal", "SELECT '$1', $1", ["x"], "SELECT '$1', 'x'"],
    ["leaves $1 inside a string with doubled quotes", "SELECT 'it''s $1', $1", ["x"], "SELECT 'it''s $1', 'x'"],
    ["leaves $1 inside an E'' string with an escaped quote", "SELECT E'\\' $1', $1", ["x"], "SELECT E'\\' $1', 'x'"],
    ["treats a backslash in a standard string as an ordinary character", "SELECT 'a\\', $1", ["x"], "SELECT 'a\\', 'x'"],
    ["leaves $1 inside a quoted identifier", 'SELECT "$1" FROM t WHERE a = $1', [1], 'SELECT "$1" FROM t WHERE a = 1'],
    ["leaves $1 inside a dollar-quoted body", "DO $$ BEGIN PERFORM $1; END $$; SELECT $1", [1], "DO $$ BEGIN PERFORM $1; END $$; SELECT 1"],
    ["leaves $1 inside a tagged dollar quote holding $$", "SELECT $fn$ $$ $1 $$ $fn$, $1", [1], "SELECT $fn$ $$ $1 $$ $fn$, 1"],
    ["leaves $1 inside a line comment", "SELECT $1 -- not $1\n, 2", [1], "SELECT 1 -- not $1\n, 2"],
    ["leaves $1 inside nested block comments", "SELECT /* a /* $1 */ $1 */ $1", [1], "SELECT /* a /* $1 */ $1 */ 1"],
    ["does not take a$1 (an identifier) for a placeholder", "SELECT a$1, $1 FROM t", [1], "SELECT a$1, 1 FROM t"],
    ["does not let a plain e before a quote change the lexing", "SELECT name'x', $1", [1], "SELECT name'x', 1"],
    ["parenthesizes negative numbers so `-$1` does not become a comment", "SELECT 10-$1", [-5], "SELECT 10-(-5)"],
    ["writes strings with backslashes as E''", "SELECT $1", ["a\\b"], "SELECT E'a\\\\b'"],
    ["writes arrays and JSON", "SELECT $1, $2", [["a", "b"], { k: 1 }], `SELECT '{"a","b"}', '{"k":1}'`],
    ["leaves SQL without placeholders alone", "SELECT 1", [], "SELECT 1"],
    ["does not take é$1 (a non-ASCII identifier) for a placeholder", "SELECT é$1, $1 FROM t", [1], "SELECT é$1, 1 FROM t"],
    ["leaves $1 inside a U&'' string", "SELECT U&'$1', $1", [1], "SELECT U&'$1', 1"],
    ["leaves $1 inside a B'' or X'' string", "SELECT B'$1', X'$1', $1", [1], "SELECT B'$1', X'$1', 1"],
  ];
  test.each(cases)("%s", (_name, sql, params, expected) => {
    expect(inlineParams(sql, params)).toBe(expected);
  });

  test.each([
    ["$2 when one parameter is given", "SELECT $1, $2", [1], /\$2 has no value: 1 parameter/],
    ["$0", "SELECT $0", [1], /\$0 has no value/],
    ["an undefined parameter", "SELECT $1", [undefined], /parameter \$1 is undefined/],
    ["a value that has no literal", "SELECT $1", [Symbol("s")], /parameter \$1: cannot write/],
  ])("refuses %s, naming the statement", (_name, sql, params, message) => {
    expect(() => inlineParams(sql, params)).toThrow(UsageError);
    expect(() => inlineParams(sql, params)).toThrow(message);
    expect(() => inlineParams(sql, params)).toThrow(sql);
  });
});
