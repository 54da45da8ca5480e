/** Include/exclude patterns: which (schema, name) pairs a filter keeps, and what filtering a model takes along. */
import { describe, expect, test } from "bun:test";
import { compileFilter, filterModel, withBookkeeping, type ObjectFilter } from "../../src/autogenerate/filter.ts";
import { parseConfig } from "../../src/config/config.ts";
import { ConfigError, UsageError } from "../../src/errors.ts";
import { col, enumType, fn, index, model, pk, sequence, table, trigger, view } from "./model-builder.ts";

const f = (exclude: string[], include: string[] = []): ObjectFilter => ({ include, exclude });

const objectCases: [what: string, filter: ObjectFilter, schema: string, name: string, kept: boolean][] = [
  ["no patterns keep everything", f([]), "public", "orders", true],
  ["schema.* excludes every object of that schema", f(["extra.*"]), "extra", "notes", false],
  ["schema.* leaves other schemas alone", f(["extra.*"]), "public", "notes", true],
  ["a bare name means that name in any schema", f(["notes"]), "extra", "notes", false],
  ["a bare name in public too", f(["notes"]), "public", "notes", false],
  ["a bare name is the whole name, not a prefix", f(["notes"]), "public", "notes_2", true],
  ["* matches any run of characters", f(["tmp_*"]), "public", "tmp_import_2024", false],
  ["* matches the empty run", f(["tmp_*"]), "public", "tmp_", false],
  ["? matches exactly one character", f(["public.t?"]), "public", "t1", false],
  ["? does not match two", f(["public.t?"]), "public", "t12", true],
  ["globs in the schema part", f(["tenant_*.audit"]), "tenant_42", "audit", false],
  ["the schema part must match", f(["tenant_*.audit"]), "public", "audit", true],
  ["names are case-sensitive, as spelled in the database", f(["Notes"]), "public", "notes", true],
  ["regex characters in names are literal", f(["public.a+b"]), "public", "aab", true],
  ["regex characters match themselves", f(["public.a+b"]), "public", "a+b", false],
  ["the first dot splits: the rest is the name", f(["s.a.b"]), "s", "a.b", false],
  ["includes keep only what they match", f([], ["public.*"]), "extra", "notes", false],
  ["includes keep what they match", f([], ["public.*"]), "public", "notes", true],
  ["an exclude wins over an include", f(["public.tmp_*"], ["public.*"]), "public", "tmp_x", false],
];

const schemaCases: [what: string, filter: ObjectFilter, schema: string, kept: boolean][] = [
  ["schema.* leaves the schema itself out", f(["extra.*"]), "extra", false],
  ["schema.name leaves the schema in", f(["extra.notes"]), "extra", true],
  ["a bare name never leaves a schema out", f(["*"]), "extra", true],
  ["an include of schema.* keeps that schema", f([], ["app.*"]), "app", true],
  ["an include of schema.* drops the others", f([], ["app.*"]), "public", false],
  ["an include of a bare name keeps every schema", f([], ["orders"]), "public", true],
];

describe("compileFilter", () => {
  for (const [what, filter, schema, name, kept] of objectCases) {
    test(what, () => expect(compileFilter(filter).object(schema, name)).toBe(kept));
  }
  for (const [what, filter, schema, kept] of schemaCases) {
    test(what, () => expect(compileFilter(filter).schema(schema)).toBe(kept));
  }
  test("an empty schema or name part is a usage error naming the pattern", () => {
    for (const bad of ["", ".x", "x.", "."]) expect(() => compileFilter(f([bad]))).toThrow(UsageError);
    expect(() => compileFilter(f(["extra."]))).toThrow("bad object pattern 'extra.'");
  });
});

describe("filterModel", () => {
  const m = model({
    schemas: ["public", "extra"],
    enums: [enumType("mood", ["a"]), { ...enumType("scratch_mood", ["x"]), schema: "extra" }],
    sequences: [sequence("notes_id_seq", { ownedBy: { table: "notes", column: "id" } }), sequence("free_seq")],
    tables: [table("orders", [col("id", "integer")], [pk("orders_pkey", "id")]), table("notes", [col("id", "integer")]), table("scratch", [col("id", "integer")], [], { schema: "extra" })],
    indexes: [index("orders", "orders_id", "id"), index("notes", "notes_id", "id"), index("orders", "tmp_orders_idx", "id")],
    views: [view("order_ids", " SELECT id FROM public.orders;")],
    functions: [fn("touch", "trigger", "BEGIN RETURN NEW; END"), fn("tmp_fn", "integer", "BEGIN RETURN 1; END")],
    triggers: [trigger("notes", "notes_touch", "touch"), trigger("orders", "orders_touch", "touch")],
  });
  const names = (x: readonly { schema: string; name: string }[]) => x.map((o) => `${o.schema}.${o.name}`);

  test("no patterns: the same model", () => expect(filterModel(m, f([]))).toBe(m));

  test("an excluded table takes its indexes, triggers and owned sequences along", () => {
    const out = filterModel(m, f(["notes"]));
    expect(names(out.tables)).toEqual(["public.orders", "extra.scratch"]);
    expect(out.indexes.map((i) => i.name)).toEqual(["orders_id", "tmp_orders_idx"]);
    expect(out.triggers.map((t) => t.name)).toEqual(["orders_touch"]);
    expect(names(out.sequences)).toEqual(["public.free_seq"]);
    expect(names(out.functions)).toEqual(["public.touch", "public.tmp_fn"]);
  });

  test("schema.* takes the schema and everything in it", () => {
    const out = filterModel(m, f(["extra.*"]));
    expect(out.schemas.map((s) => s.name)).toEqual(["public"]);
    expect(names(out.tables)).toEqual(["public.orders", "public.notes"]);
    expect(names(out.enums)).toEqual(["public.mood"]);
  });

  test("patterns match views, functions, indexes, enums and sequences by their own names", () => {
    const out = filterModel(m, f(["tmp_*", "order_ids", "mood", "free_seq"]));
    expect(out.indexes.map((i) => i.name)).toEqual(["orders_id", "notes_id"]);
    expect(names(out.functions)).toEqual(["public.touch"]);
    expect(out.views).toEqual([]);
    expect(names(out.enums)).toEqual(["extra.scratch_mood"]);
    expect(names(out.sequences)).toEqual(["public.notes_id_seq"]);
  });

  test("objects that are not compared are not warned about once left out", () => {
    const withUnsupported = { ...m, unsupported: ["partitioned table extra.events", "policy p on public.orders", "aggregate public.tmp_sum"] };
    expect(filterModel(withUnsupported, f(["extra.*", "tmp_*"])).unsupported).toEqual(["policy p on public.orders"]);
    expect(filterModel(withUnsupported, f([], ["extra.*"])).unsupported).toEqual(["partitioned table extra.events"]);
  });

  test("includes keep only what they match, and what goes with it", () => {
    const out = filterModel(m, f([], ["public.orders", "notes"]));
    expect(names(out.tables)).toEqual(["public.orders", "public.notes"]);
    expect(out.indexes.map((i) => i.name)).toEqual(["orders_id", "notes_id", "tmp_orders_idx"]);
    expect(names(out.sequences)).toEqual(["public.notes_id_seq"]);
    expect(out.triggers.map((t) => t.name)).toEqual(["notes_touch", "orders_touch"]);
    expect(out.functions).toEqual([]);
    expect(filterModel(m, f(["tmp_*", "notes_id_seq"], ["public.orders", "notes"])).indexes.map((i) => i.name)).toEqual(["orders_id", "notes_id"]);
    expect(filterModel(m, f(["notes_id_seq"], ["notes"])).sequences).toEqual([]);
  });
});

describe("withBookkeeping", () => {
  test("adds the version table (in any schema unless one is configured) and the history table", () => {
    expect(withBookkeeping(f(["x"], ["y"]), {})).toEqual({ include: ["y"], exclude: ["x", "alembic_version", "retort_history"] });
    expect(withBookkeeping(f([]), { versionTable: "versions", versionTableSchema: "ops" }).exclude).toEqual(["ops.versions", "retort_history"]);
    expect(withBookkeeping(f([]), { versionTable: "v*" }).exclude).toEqual(["v?", "retort_history"]);
  });
});

describe("[autogenerate] in retort.toml", () => {
  test("include and exclude are lists of patterns", () => {
    expect(parseConfig("/p/retort.toml", `[autogenerate]\nexclude = ["extra.*", "tmp_*"]\ninclude = ["public.*"]\n`).autogenerate).toEqual({
      include: ["public.*"],
      exclude: ["extra.*", "tmp_*"],
    });
  });
  test("anything else is a config error naming the key", () => {
    expect(() => parseConfig("/p/retort.toml", `[autogenerate]\nexclude = "extra.*"\n`)).toThrow(ConfigError);
    expect(() => parseConfig("/p/retort.toml", `[autogenerate]\nexclude = "extra.*"\n`)).toThrow("'autogenerate.exclude' must be a list of patterns");
    expect(() => parseConfig("/p/retort.toml", `[autogenerate]\nignore = []\n`)).toThrow("unknown key 'autogenerate.ignore'");
    expect(() => parseConfig("/p/retort.toml", `autogenerate = 1\n`)).toThrow("'autogenerate' must be a table");
  });
});

describe("retort init's retort.toml", () => {
  test("names [autogenerate], and uncommented it parses", async () => {
    const { renderInitialConfig } = await import("../../src/commands/init.ts");
    const text = renderInitialConfig("migrations/versions");
    expect(text).toContain("# [autogenerate]\n");
    const uncommented = text.replace(/^# (\[autogenerate\]|exclude = |include = )/gm, "$1");
    expect(parseConfig("/p/retort.toml", uncommented).autogenerate).toEqual({ include: [], exclude: ["extra.*", "tmp_*"] });
  });
});
