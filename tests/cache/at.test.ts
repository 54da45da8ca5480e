import { describe, expect, test } from "bun:test";
import { headsBefore, openCachedDatabase } from "../../src/cache/at.ts";
import { cacheHistory } from "../../src/cache/build.ts";
import { CacheStore } from "../../src/cache/store.ts";
import { RevisionGraph } from "../../src/core/graph.ts";
import type { RevisionMeta } from "../../src/core/types.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";
import { chainId, scratchDir, writeChain } from "./helpers.ts";

const rev = (id: string, down: string[] = [], dependsOn: string[] = []): RevisionMeta => ({
  id, downRevisions: down, branchLabels: [], dependsOn, message: id, createDate: null, path: `${id}.sql`, doc: "",
});

describe("the state before a revision", () => {
  const cases: { name: string; revisions: RevisionMeta[]; of: string; heads: string[] }[] = [
    { name: "a base", revisions: [rev("a"), rev("b", ["a"])], of: "a", heads: [] },
    { name: "a chain", revisions: [rev("a"), rev("b", ["a"]), rev("c", ["b"])], of: "c", heads: ["b"] },
    { name: "a merge", revisions: [rev("a"), rev("b", ["a"]), rev("c", ["a"]), rev("m", ["b", "c"])], of: "m", heads: ["b", "c"] },
    { name: "a revision with a dependency on another branch", revisions: [rev("x"), rev("y"), rev("z", ["y"], ["x"])], of: "z", heads: ["x", "y"] },
    { name: "a dependency already below the parent", revisions: [rev("a"), rev("b", ["a"]), rev("c", ["b"], ["a"])], of: "c", heads: ["b"] },
    { name: "a sibling branch is not part of it", revisions: [rev("a"), rev("b", ["a"]), rev("c", ["a"])], of: "c", heads: ["a"] },
  ];
  for (const c of cases) {
    test(`of ${c.name}: ${c.heads.join(", ") || "empty"}`, () => {
      expect(headsBefore(RevisionGraph.build(c.revisions), c.of)).toEqual(c.heads);
    });
  }
});

test("openCachedDatabase gives a database at a revision's parent, and an empty one for a base", async () => {
  const dir = writeChain(3);
  const revisions = await loadRevisionsFromDir(dir);
  const graph = RevisionGraph.build(revisions);
  const history = cacheHistory(graph, revisions);
  const store = new CacheStore(scratchDir("cache"), 1 << 30);
  const atParent = await openCachedDatabase(store, history, headsBefore(graph, chainId(3)));
  const empty = await openCachedDatabase(store, history, headsBefore(graph, chainId(1)));
  try {
    const tables = (db: typeof empty) => db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1").then((rows) => rows.map((r) => r.t));
    expect(await tables(atParent)).toEqual(["alembic_version", "t1", "t2"]);
    expect(await atParent.query("SELECT version_num FROM alembic_version")).toEqual([{ version_num: chainId(2) }]);
    expect(await tables(empty)).toEqual([]);
  } finally {
    await atParent.close();
    await empty.close();
  }
}, 60_000);
