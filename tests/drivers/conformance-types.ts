/**
 * The type table of the engine conformance suite: the same SQL returns the
 * same JavaScript values on every engine (README "Query results").
 * conformance.ts registers it for each engine.
 */
import { expect, test } from "bun:test";
import type { Engine } from "../../src/drivers/engine.ts";

/** [what, SQL expression, the value every engine must return]. */
export const TYPE_CASES: readonly (readonly [string, string, unknown])[] = [
  ["int2", "7::int2", 7],
  ["int4", "(-2147483647 - 1)::int4", -2147483648],
  ["int8 as an exact string", "1::int8", "1"],
  ["int8 above 2^53", "9007199254740993::int8", "9007199254740993"],
  ["int8 at its minimum", "(-9223372036854775807 - 1)::int8", "-9223372036854775808"],
  ["count(*) (an int8)", "(SELECT count(*) FROM (VALUES (1), (2)) v)", "2"],
  ["oid", "'pg_class'::regclass::oid", 1259],
  ["float8", "1.5::float8", 1.5],
  ["float4", "0.1::float4", 0.1],
  ["float8 infinity", "'-Infinity'::float8", -Infinity],
  ["numeric as an exact string", "1.50::numeric(10,2)", "1.50"],
  ["numeric beyond float precision", "12345678901234567890.123456789::numeric", "12345678901234567890.123456789"],
  ["bool", "true", true],
  ["bool false", "1 = 2", false],
  ["text", "'it''s'::text", "it's"],
  ["varchar", "'ab'::varchar(5)", "ab"],
  ["char, padded", "'ab'::char(3)", "ab "],
  ["json", `'{"a": [1, 2.5, null], "b": "x"}'::json`, { a: [1, 2.5, null], b: "x" }],
  ["jsonb", `'{"b": true, "a": {"c": "d"}}'::jsonb`, { a: { c: "d" }, b: true }],
  ["jsonb null", "'null'::jsonb", null],
  ["int4[]", "'{1,2}'::int4[]", [1, 2]],
  ["empty int4[]", "'{}'::int4[]", []],
  ["int4[][]", "'{{1,2},{3,4}}'::int4[]", [[1, 2], [3, 4]]],
  ["int4[] with explicit bounds", "'[0:1]={5,6}'::int4[]", [5, 6]],
  ["int8[] above 2^53 with NULL", "ARRAY[9007199254740993, NULL, -1]::int8[]", ["9007199254740993", null, "-1"]],
  [
    "text[] with NULL, quotes, commas, backslashes, braces and the word NULL",
    `ARRAY['a', NULL, 'say "hi"', 'x,y', 'b\\c', '{}', 'NULL', '', ' sp ']::text[]`,
    ["a", null, 'say "hi"', "x,y", "b\\c", "{}", "NULL", "", " sp "],
  ],
  ["varchar[]", "ARRAY['a', 'b']::varchar[]", ["a", "b"]],
  ["bool[]", "ARRAY[true, false, NULL]", [true, false, null]],
  ["numeric[]", "ARRAY[1.10, 2]::numeric[]", ["1.10", "2"]],
  ["float8[]", "ARRAY[1.5, 'NaN']::float8[]", [1.5, NaN]],
  ["jsonb[]", `ARRAY['{"a": 1}', '[2]']::jsonb[]`, [{ a: 1 }, [2]]],
  ["uuid[]", "ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11']::uuid[]", ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]],
  ["date[]", "ARRAY['2024-02-29']::date[]", ["2024-02-29"]],
  ["timestamptz[]", "ARRAY['2024-02-29 12:00:00+00']::timestamptz[]", [new Date("2024-02-29T12:00:00.000Z")]],
  ["bytea[]", "ARRAY['\\x01'::bytea, NULL]", [new Uint8Array([1]), null]],
  ["timestamptz", "'2024-02-29 12:34:56.789+02'::timestamptz", new Date("2024-02-29T10:34:56.789Z")],
  ["timestamptz, microseconds cut to milliseconds", "'2024-02-29 12:34:56.789999+00'::timestamptz", new Date("2024-02-29T12:34:56.789Z")],
  ["timestamp without time zone, read as UTC", "'2024-02-29 12:34:56'::timestamp", new Date("2024-02-29T12:34:56.000Z")],
  ["timestamp in year 50", "'0050-01-01 00:00:00'::timestamp", new Date("0050-01-01T00:00:00.000Z")],
  ["timestamp BC", "'0044-03-15 12:00:00 BC'::timestamp", new Date("-000043-03-15T12:00:00.000Z")],
  ["timestamptz infinity", "'infinity'::timestamptz", Infinity],
  ["date", "'2024-02-29'::date", "2024-02-29"],
  ["time", "'12:34:56'::time", "12:34:56"],
  ["interval", "'1 day 2 hours'::interval", "1 day 02:00:00"],
  ["uuid", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"],
  ["bytea", "'\\x00ff10'::bytea", new Uint8Array([0, 255, 16])],
  ["empty bytea", "''::bytea", new Uint8Array([])],
  ["inet", "'10.0.0.1/8'::inet", "10.0.0.1/8"],
  ["NULL int8", "NULL::int8", null],
  ["NULL text", "NULL::text", null],
  ["NULL of unknown type", "NULL", null],
];

/** Register the type table for one engine (called from engineConformance). */
export function typeConformance(engine: () => Engine): void {
  test.each(TYPE_CASES.map(([what, sql, expected]) => [what, sql, expected] as const))("returns %s as the table says", async (_what, sql, expected) => {
    const [row] = await engine().query<{ v: unknown }>(`SELECT ${sql} AS v`);
    expect(row?.v).toEqual(expected);
    if (expected instanceof Uint8Array) expect(Object.getPrototypeOf(row?.v)).toBe(Uint8Array.prototype);
  });

  test("returns the same instant for a timestamptz whatever the session's time zone", async () => {
    await engine().execute("SET TimeZone = 'Asia/Kolkata'");
    try {
      const [row] = await engine().query<{ v: unknown; shown: string }>("SELECT '2024-02-29 12:00:00+00'::timestamptz AS v, '2024-02-29 12:00:00+00'::timestamptz::text AS shown");
      expect(row).toEqual({ v: new Date("2024-02-29T12:00:00.000Z"), shown: "2024-02-29 17:30:00+05:30" });
    } finally {
      await engine().execute("RESET TimeZone");
    }
  });

  test("returns arrays of user-defined types (enums) as PostgreSQL's text, and as arrays once cast to text[]", async () => {
    const type = `mood_${crypto.randomUUID().slice(0, 6)}`;
    await engine().execute(`CREATE TYPE ${type} AS ENUM ('ok', 'meh')`);
    const [row] = await engine().query(`SELECT ARRAY['ok', 'meh']::${type}[] AS raw, ARRAY['ok', 'meh']::${type}[]::text[] AS cast, 'ok'::${type} AS one`);
    expect(row).toEqual({ raw: "{ok,meh}", cast: ["ok", "meh"], one: "ok" });
  });

  test("takes back as parameters the values it returns (int8 strings, Dates, bytes)", async () => {
    const [row] = await engine().query<Record<string, unknown>>("SELECT $1::int8 AS big, $2::timestamptz AS at, $3::bytea AS bytes, $4::numeric AS exact", [
      "9007199254740993",
      new Date("2024-02-29T12:00:00.000Z"),
      new Uint8Array([1, 2]),
      "0.10",
    ]);
    expect(row).toEqual({ big: "9007199254740993", at: new Date("2024-02-29T12:00:00.000Z"), bytes: new Uint8Array([1, 2]), exact: "0.10" });
  });

  test("takes back as parameters the arrays it returns (NULLs, quotes, backslashes, int8, nested)", async () => {
    const text = ["a", null, 'say "hi"', "b\\c", "x,y", "{}", "NULL", ""];
    const [row] = await engine().query<Record<string, unknown>>(
      "SELECT $1::int8[] AS big, $2::text[] AS words, 2 = ANY($3::int4[]) AS found, $4::int4[] AS grid, $5::timestamptz[] AS times, $6::jsonb[] AS docs",
      [["9007199254740993", null], text, [1, 2], [[1, 2], [3, 4]], [new Date("2024-02-29T12:00:00.000Z")], [{ a: 1 }]],
    );
    expect(row).toEqual({
      big: ["9007199254740993", null],
      words: text,
      found: true,
      grid: [[1, 2], [3, 4]],
      times: [new Date("2024-02-29T12:00:00.000Z")],
      docs: [{ a: 1 }],
    });
  });
}
