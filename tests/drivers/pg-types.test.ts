import { describe, expect, test } from "bun:test";
import { parseArray, parseBytea, parseTimestamp, RESULT_PARSERS } from "../../src/drivers/pg-types.ts";

describe("array text forms", () => {
  const int = RESULT_PARSERS[23];
  test.each([
    ["{}", undefined, []],
    ["{1,2,NULL}", int, [1, 2, null]],
    ['{"NULL",NULL,""}', undefined, ["NULL", null, ""]],
    ['{"a\\"b","c\\\\d","e,f","{g}"}', undefined, ['a"b', "c\\d", "e,f", "{g}"]],
    ["{{1,2},{3,4}}", int, [[1, 2], [3, 4]]],
    ["[1:2][1:1]={{1},{2}}", int, [[1], [2]]],
    ['{{"x y",NULL},{z,""}}', undefined, [["x y", null], ["z", ""]]],
  ] as const)("%s", (text, element, expected) => {
    expect(parseArray(text, element)).toEqual(expected as unknown as unknown[]);
  });
});

describe("timestamps", () => {
  test.each([
    ["2024-02-29 12:34:56", "2024-02-29T12:34:56.000Z"],
    ["2024-02-29 12:34:56.5", "2024-02-29T12:34:56.500Z"],
    ["2024-02-29 12:34:56.57", "2024-02-29T12:34:56.570Z"],
    ["2024-02-29 12:34:56.999999+00", "2024-02-29T12:34:56.999Z"],
    ["2024-02-29 12:00:00-08", "2024-02-29T20:00:00.000Z"],
    ["2024-02-29 12:00:00+05:30", "2024-02-29T06:30:00.000Z"],
    ["1900-01-01 00:00:00+00:53:28", "1899-12-31T23:06:32.000Z"],
    ["0001-01-01 00:00:00 BC", "0000-01-01T00:00:00.000Z"],
    ["12345-01-01 00:00:00", "+012345-01-01T00:00:00.000Z"],
  ])("%s is %s", (text, iso) => {
    expect((parseTimestamp(text) as Date).toISOString()).toBe(iso);
  });

  test("infinities are numbers", () => {
    expect(parseTimestamp("infinity")).toBe(Infinity);
    expect(parseTimestamp("-infinity")).toBe(-Infinity);
  });
});

test("bytea hex is a plain Uint8Array", () => {
  const bytes = parseBytea("\\x00ff");
  expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
  expect([...bytes]).toEqual([0, 255]);
});
