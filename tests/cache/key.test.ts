import { describe, expect, test } from "bun:test";
import { RevisionGraph } from "../../src/core/graph.ts";
import type { RevisionMeta } from "../../src/core/types.ts";
import { CACHE_FORMAT, databaseKey, revisionKeys, type KeyContext } from "../../src/cache/key.ts";

const rev = (id: string, down: string[] = [], dependsOn: string[] = []): RevisionMeta => ({
  id, downRevisions: down, branchLabels: [], dependsOn, message: id, createDate: null, path: `${id}.sql`, doc: "",
});

/** Named shapes: a list of revisions in file order. */
const SHAPES: Record<string, RevisionMeta[]> = {
  linear: [rev("a"), rev("b", ["a"]), rev("c", ["b"])],
  branches: [rev("a"), rev("b", ["a"]), rev("c", ["a"])],
  merge: [rev("a"), rev("b", ["a"]), rev("c", ["a"]), rev("m", ["b", "c"])],
  dependency: [rev("x"), rev("y"), rev("z", ["y"], ["x"])],
};

/** Keys of every revision, with the content of `changed` (if any) edited. */
function keysOf(shape: string, changed?: string): Record<string, string> {
  const metas = SHAPES[shape]!;
  const graph = RevisionGraph.build(metas);
  const contents = metas.map((m) => `CREATE TABLE ${m.id} ();${m.id === changed ? " -- edited" : ""}`);
  const keys = revisionKeys(graph, contents);
  return Object.fromEntries(metas.map((m) => [m.id, keys[graph.mustIndex(m.id)]!]));
}

describe("revision keys", () => {
  const cases: { shape: string; edit: string; changes: string[]; stays: string[] }[] = [
    { shape: "linear", edit: "a", changes: ["a", "b", "c"], stays: [] },
    { shape: "linear", edit: "c", changes: ["c"], stays: ["a", "b"] },
    { shape: "branches", edit: "b", changes: ["b"], stays: ["a", "c"] },
    { shape: "merge", edit: "c", changes: ["c", "m"], stays: ["a", "b"] },
    { shape: "dependency", edit: "x", changes: ["x", "z"], stays: ["y"] },
    { shape: "dependency", edit: "y", changes: ["y", "z"], stays: ["x"] },
  ];
  for (const c of cases) {
    test(`${c.shape}: editing ${c.edit} changes ${c.changes.join(", ")} and leaves ${c.stays.join(", ") || "nothing"} alone`, () => {
      const before = keysOf(c.shape);
      const after = keysOf(c.shape, c.edit);
      for (const id of c.changes) expect(after[id]).not.toBe(before[id]);
      for (const id of c.stays) expect(after[id]).toBe(before[id]);
    });
  }

  test("adding a revision on another branch changes no existing key", () => {
    const graph = RevisionGraph.build(SHAPES.linear!);
    const bigger = RevisionGraph.build([...SHAPES.linear!, rev("d", ["a"])]);
    const text = (g: RevisionGraph) => g.revisions.map((m) => `-- ${m.id}`);
    const before = revisionKeys(graph, text(graph));
    const after = revisionKeys(bigger, text(bigger));
    for (const id of ["a", "b", "c"]) expect(after[bigger.mustIndex(id)]).toBe(before[graph.mustIndex(id)]!);
  });

  test("removing a parent (re-pointing c at a) changes c's key", () => {
    const chain = RevisionGraph.build(SHAPES.linear!);
    const skipped = RevisionGraph.build([rev("a"), rev("b", ["a"]), rev("c", ["a"])]);
    const same = ["x", "y", "z"];
    expect(revisionKeys(skipped, same)[2]).not.toBe(revisionKeys(chain, same)[2]!);
  });
});

describe("database keys", () => {
  const context: KeyContext = { pgliteVersion: "0.5.16", format: CACHE_FORMAT, versionTable: "alembic_version" };
  const keys = ["k0", "k1", "k2"];
  const cases: { name: string; other: () => string; equal: boolean }[] = [
    { name: "the same heads in another order", other: () => databaseKey(keys, [2, 1], context), equal: true },
    { name: "another PGlite version", other: () => databaseKey(keys, [1, 2], { ...context, pgliteVersion: "0.6.0" }), equal: false },
    { name: "another cache format", other: () => databaseKey(keys, [1, 2], { ...context, format: CACHE_FORMAT + 1 }), equal: false },
    { name: "another version table", other: () => databaseKey(keys, [1, 2], { ...context, versionTable: "app.alembic_version" }), equal: false },
    { name: "fewer heads", other: () => databaseKey(keys, [1], context), equal: false },
  ];
  for (const c of cases) {
    test(`${c.name} gives ${c.equal ? "the same" : "another"} key`, () => {
      const base = databaseKey(keys, [1, 2], context);
      expect(base).toMatch(/^[0-9a-f]{32}$/);
      if (c.equal) expect(c.other()).toBe(base);
      else expect(c.other()).not.toBe(base);
    });
  }
});
