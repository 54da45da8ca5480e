/** The SQL text helpers: parentheses, safe type changes, PostgreSQL 15 view text, enum placement, scanning for extensions. */
import { describe, expect, test } from "bun:test";
import { enumPlacements, isOrderedSubset, onlyValidation } from "../../src/autogenerate/plan.ts";
import { retiredName } from "../../src/autogenerate/render-types.ts";
import { extensionsIn } from "../../src/drivers/pglite-extensions.ts";
import { isSafeTypeChange, unqualifySingleRelation, unwrapParens } from "../../src/autogenerate/sql-text.ts";

describe("unwrapParens", () => {
  test.each([
    ["(a * 2)", "a * 2"],
    ["((a * 2))", "(a * 2)"],
    ["(a) + (b)", "(a) + (b)"],
    ["a * 2", "a * 2"],
    ["('(' || name)", "'(' || name"],
    ["(lower((\")\")::text))", 'lower((")")::text)'],
  ])("%s becomes %s", (input, expected) => {
    expect(unwrapParens(input)).toBe(expected);
  });
});

describe("isSafeTypeChange", () => {
  test.each([
    ["character varying(20)", "character varying(40)", true],
    ["character varying(40)", "character varying(20)", false],
    ["character varying(20)", "text", true],
    ["character varying(20)", "character varying", true],
    ["text", "character varying", true],
    ["text", "character varying(10)", false],
    ["numeric(10,2)", "numeric(12,2)", true],
    ["numeric(10,2)", "numeric(12,3)", false],
    ["numeric(10,2)", "numeric", true],
    ["timestamp(0) with time zone", "timestamp(3) with time zone", true],
    ["timestamp(3) with time zone", "timestamp with time zone", true],
    ["timestamp(3) without time zone", "timestamp(3) with time zone", false],
    ["character varying(20)[]", "character varying(30)[]", true],
    ["integer", "bigint", false],
    ["cidr", "inet", true],
  ] as const)("%s → %s is safe: %p", (from, to, safe) => {
    expect(isSafeTypeChange(from, to)).toBe(safe);
  });
});

describe("unqualifySingleRelation (PostgreSQL 15 view text as 16+ prints it)", () => {
  test.each([
    ["SELECT t.id,\n    t.name\n   FROM public.t\n  WHERE t.name <> 'x.t.'::text", "SELECT id,\n    name\n   FROM public.t\n  WHERE name <> 'x.t.'::text"],
    ["SELECT x.id\n   FROM public.t x\n  WHERE x.id > (( SELECT max(t.id) AS max\n           FROM public.t\n          WHERE t.parent = x.id))", "SELECT id\n   FROM public.t x\n  WHERE id > (( SELECT max(t.id) AS max\n           FROM public.t\n          WHERE t.parent = x.id))"],
    ["SELECT \"T\".id\n   FROM public.t \"T\"", "SELECT id\n   FROM public.t \"T\""],
    ["SELECT r.id\n   FROM public.f(3) r(id, name)", "SELECT id\n   FROM public.f(3) r(id, name)"],
    ["SELECT t.id,\n    to_jsonb(t.*) AS whole\n   FROM public.t", "SELECT id,\n    to_jsonb(t.*) AS whole\n   FROM public.t"],
    ["SELECT s.id\n   FROM ( SELECT t.id\n           FROM public.t) s", "SELECT id\n   FROM ( SELECT t.id\n           FROM public.t) s"],
  ])("%p", (input, expected) => {
    expect(unqualifySingleRelation(input)).toBe(expected);
  });

  test.each([
    ["a join", "SELECT o.id,\n    c.name\n   FROM public.orders o\n     JOIN public.customers c ON c.id = o.customer_id"],
    ["a comma list", "SELECT a.id,\n    b.id\n   FROM public.a,\n    public.b"],
    ["a set operation", "SELECT t.id\n   FROM public.t\nUNION\n SELECT u.id\n   FROM public.u"],
  ])("leaves %s alone", (_, input) => {
    expect(unqualifySingleRelation(input)).toBe(input);
  });
});

describe("enum helpers", () => {
  test("new labels go after their predecessor, or before the first old label when they lead", () => {
    expect(enumPlacements(["b", "d"], ["a", "b", "c", "d", "e"])).toEqual([
      { value: "a", before: "b" },
      { value: "c", after: "b" },
      { value: "e", after: "d" },
    ]);
  });

  test.each([
    [["a", "b"], ["a", "x", "b"], true],
    [["a", "b"], ["b", "a"], false],
    [["a", "b"], ["a"], false],
  ] as const)("%p inside %p in order: %p", (inner, outer, expected) => {
    expect(isOrderedSubset(inner, outer)).toBe(expected);
  });

  test("the temporary name of a rebuilt enum stays within 63 bytes", () => {
    expect(retiredName("mood")).toBe("mood__retort_old");
    expect(Buffer.byteLength(retiredName("x".repeat(63)))).toBeLessThanOrEqual(63);
  });
});

test("validation-only differences are recognised", () => {
  expect(onlyValidation("CHECK ((a > 0)) NOT VALID", "CHECK ((a > 0))")).toBe(true);
  expect(onlyValidation("CHECK ((a > 0))", "CHECK ((a > 0)) NOT VALID")).toBe(false);
  expect(onlyValidation("CHECK ((a > 1)) NOT VALID", "CHECK ((a > 0))")).toBe(false);
});

test("the extensions PGlite must load are found in CREATE EXTENSION statements", () => {
  expect(extensionsIn(['CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\ncreate extension citext with schema public;', "CREATE EXTENSION postgis; -- not in PGlite"])).toEqual([
    "citext",
    "uuid-ossp",
  ]);
});
