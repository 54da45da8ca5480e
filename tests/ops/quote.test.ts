import { describe, expect, test } from "bun:test";
import { UsageError } from "../../src/errors.ts";
import { qualify, quoteIdent, quoteLiteral, quoteString } from "../../src/ops/quote.ts";

describe("quoteIdent", () => {
  const cases: [string, string][] = [
    ["account", "account"],
    ["_private", "_private"],
    ["col_2", "col_2"],
    ["Account", '"Account"'],
    ["camelCase", '"camelCase"'],
    ["2fast", '"2fast"'],
    ["with space", '"with space"'],
    ["dollar$sign", '"dollar$sign"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ["żółw", '"żółw"'],
    ["naïve_ünïcode", '"naïve_ünïcode"'],
    ["user", '"user"'],
    ["select", '"select"'],
    ["order", '"order"'],
    ["table", '"table"'],
    ["int", '"int"'], // column-name keyword: PostgreSQL's quote_ident quotes it too
    ["left", '"left"'], // type/function-name keyword
    ["name", "name"], // unreserved keyword: safe bare
    ["comment", "comment"],
    ["version_num", "version_num"],
  ];
  test.each(cases)("writes %p as %s", (name, expected) => {
    expect(quoteIdent(name)).toBe(expected);
  });

  test.each([[""], ["a\0b"]])("refuses %p, which PostgreSQL cannot store as a name", (name) => {
    expect(() => quoteIdent(name)).toThrow(UsageError);
  });
});

describe("qualify", () => {
  test("prefixes the schema when there is one and quotes each part on its own", () => {
    expect(qualify("Sales", "order")).toBe('"Sales"."order"');
    expect(qualify("public", "account")).toBe("public.account");
  });

  test("writes just the name without a schema", () => {
    expect(qualify(undefined, "account")).toBe("account");
    expect(qualify(null, "Account")).toBe('"Account"');
  });
});

describe("quoteLiteral", () => {
  const cases: [string, unknown, string][] = [
    ["null", null, "NULL"],
    ["a plain string", "hello", "'hello'"],
    ["the empty string", "", "''"],
    ["embedded single quotes by doubling them", "it's 'quoted'", "'it''s ''quoted'''"],
    ["double quotes untouched", 'say "hi"', "'say \"hi\"'"],
    ["unicode as is", "żółw 🐢", "'żółw 🐢'"],
    ["a backslash with E'' and doubled backslashes", "C:\\temp", "E'C:\\\\temp'"],
    ["a backslash next to a quote", "a\\'b", "E'a\\\\''b'"],
    ["a string that looks like a placeholder", "$1", "'$1'"],
    ["integers", 42, "42"],
    ["negative decimals", -1.5, "-1.5"],
    ["large numbers in exponent form", 1e21, "1e+21"],
    ["NaN quoted", Number.NaN, "'NaN'"],
    ["Infinity quoted", Number.POSITIVE_INFINITY, "'Infinity'"],
    ["-Infinity quoted", Number.NEGATIVE_INFINITY, "'-Infinity'"],
    ["bigints beyond 2^53", 12345678901234567890n, "12345678901234567890"],
    ["true", true, "TRUE"],
    ["false", false, "FALSE"],
    ["a Date as ISO UTC text", new Date(Date.UTC(2026, 1, 11, 14, 5, 9, 120)), "'2026-02-11T14:05:09.120Z'"],
    ["an empty array", [], "'{}'"],
    ["a text array, every element double-quoted", ["a", "", "NULL", "x,y"], `'{"a","","NULL","x,y"}'`],
    ["a numeric array with nulls", [1, null, 2.5], "'{1,NULL,2.5}'"],
    ["a two-dimensional array", [[1, 2], [3, 4]], "'{{1,2},{3,4}}'"],
    ["array elements with quotes and backslashes", ['q"uote', "back\\slash", "it's"], `E'{"q\\\\"uote","back\\\\\\\\slash","it''s"}'`],
    ["a boolean array", [true, false], "'{true,false}'"],
    ["an object as JSON", { a: 1, b: [true, null], c: "it's" }, `'{"a":1,"b":[true,null],"c":"it''s"}'`],
    ["JSON with an escaped character", { path: "a\\b" }, `E'{"path":"a\\\\\\\\b"}'`],
    ["an object with toJSON", { toJSON: () => ({ x: 1 }) }, `'{"x":1}'`],
    ["bytes as bytea hex", new Uint8Array([0, 1, 171, 255]), "E'\\\\x0001abff'"],
    ["empty bytes", new Uint8Array([]), "E'\\\\x'"],
    ["a Buffer slice, honouring its offset", Buffer.from([9, 8, 7, 6]).subarray(1, 3), "E'\\\\x0807'"],
  ];
  test.each(cases)("writes %s", (_name, value, expected) => {
    expect(quoteLiteral(value)).toBe(expected);
  });

  const refused: [string, unknown][] = [
    ["undefined", undefined],
    ["a function", () => 1],
    ["a symbol", Symbol("x")],
    ["a Map", new Map()],
    ["an invalid Date", new Date(Number.NaN)],
    ["a string with NUL", "a\0b"],
    ["an array holding a function", [() => 1]],
    ["JSON holding a bigint", { n: 1n }],
  ];
  test.each(refused)("refuses %s with a UsageError", (_name, value) => {
    expect(() => quoteLiteral(value)).toThrow(UsageError);
  });

  test("quoteString uses E'' only when a backslash is present", () => {
    expect(quoteString("plain")).toBe("'plain'");
    expect(quoteString("\\")).toBe("E'\\\\'");
  });
});
