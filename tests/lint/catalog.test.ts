/** The catalog as a fleet's lint uses it: a tenant's view of its own schema, and one key per content whatever the server's order. */
import { describe, expect, test } from "bun:test";
import { catalogKey, catalogOfSchema, type Catalog, type CatalogTable } from "../../src/lint/catalog.ts";

const table = (columns: string[], indexes: (string | null)[][] = []): CatalogTable => ({
  columns: new Map(columns.map((c) => [c, { type: "text", notNull: false }])),
  indexes,
  dependents: [],
  columnDependents: new Map(),
});

const catalog: Catalog = {
  tables: new Map([
    ["acme.items", table(["id", "name"], [["id"], ["name"]])],
    ["globex.items", table(["id"])],
    ["public.shared", table(["id"])],
  ]),
  indexes: new Map([["acme.items_pkey", "acme.items"], ["globex.items_pkey", "globex.items"]]),
  enums: new Map([["acme.mood", ["ok"]]]),
  views: new Set(["acme.v", "public.w"]),
};

describe("catalogOfSchema", () => {
  test("the tenant's objects as public.*, no other schema", () => {
    const mine = catalogOfSchema(catalog, "acme");
    expect([...mine.tables.keys()]).toEqual(["public.items"]);
    expect([...mine.indexes]).toEqual([["public.items_pkey", "public.items"]]);
    expect([...mine.enums.keys()]).toEqual(["public.mood"]);
    expect([...mine.views]).toEqual(["public.v"]);
  });
});

describe("catalogKey", () => {
  test("equal for the same content listed in another order, different for different content", () => {
    const reordered: Catalog = {
      tables: new Map([...catalog.tables].reverse().map(([k, t]) => [k, { ...t, indexes: [...t.indexes].reverse() }])),
      indexes: new Map([...catalog.indexes].reverse()),
      enums: catalog.enums,
      views: new Set([...catalog.views].reverse()),
    };
    expect(catalogKey(reordered)).toBe(catalogKey(catalog));
    expect(catalogKey(catalogOfSchema(catalog, "acme"))).not.toBe(catalogKey(catalogOfSchema(catalog, "globex")));
  });
});
