import { describe, expect, test } from "bun:test";
import { branches, heads, history, show } from "../../src/index.ts";
import { graphOf, rev } from "../core/shapes.ts";

const graph = graphOf([rev("a"), rev("b1", "a"), rev("b2", "a"), rev("m", ["b1", "b2"]), rev("x", [], { labels: ["other"] })]);

describe("the listing commands through the programmatic API", () => {
  test("history lists a range newest first without touching a database", async () => {
    expect((await history({ graph })).revisions).toEqual(["m", "b1", "b2", "x", "a"]);
    expect((await history({ graph, range: "a:b1" })).revisions).toEqual(["b1", "a"]);
    await expect(history({ graph, indicateCurrent: true })).rejects.toThrow(/needs a database/);
  });

  test("heads, branches and show answer from the graph", async () => {
    expect(heads(graph)).toEqual(["m", "x"]);
    expect(branches(graph)).toEqual(["a"]);
    expect(await show(graph, "other@head")).toEqual(["x"]);
  });

  test("history -i and show current read the database", async () => {
    const url = "pglite:memory";
    const { openEngine } = await import("../../src/index.ts");
    const engine = await openEngine(url);
    try {
      await engine.execute("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY); INSERT INTO alembic_version VALUES ('b1')");
      const listed = await history({ graph, indicateCurrent: true, database: () => ({ url, engine }) });
      expect(listed.current).toEqual(["b1"]);
      expect(await show(graph, "current", { url, engine })).toEqual(["b1"]);
    } finally {
      await engine.close();
    }
  });
});
