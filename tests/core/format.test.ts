/**
 * Text output compared byte for byte with Alembic 1.8.1 (alembic-goldens.ts),
 * plus the --json object.
 */
import { describe, expect, test } from "bun:test";
import { formatBranches, formatCurrent, formatHeads, formatHistory, formatLogEntry, formatShow, revisionJson } from "../../src/core/format.ts";
import { RevisionGraph } from "../../src/core/graph.ts";
import { branchPointRevisions, currentRevisions, headRevisions, historyRevisions } from "../../src/core/history.ts";
import { resolveRevisions } from "../../src/core/resolve.ts";
import { goldens } from "./alembic-goldens.ts";
import { goldenCurrent, goldenProject } from "./golden-project.ts";
import { graphOf, rev } from "./shapes.ts";

const g = RevisionGraph.build(goldenProject);
const cur = goldenCurrent;

const render: Record<string, () => string> = {
  "history": () => formatHistory(g, historyRevisions(g)),
  "history -v": () => formatHistory(g, historyRevisions(g), { verbose: true }),
  "history -r 1a2b:": () => formatHistory(g, historyRevisions(g, { base: "1a2b" })),
  "history -r :3c4d": () => formatHistory(g, historyRevisions(g, { head: "3c4d" })),
  "history -r reports@base:": () => formatHistory(g, historyRevisions(g, { base: "reports@base" })),
  "history -r tenant@base:": () => formatHistory(g, historyRevisions(g, { base: "tenant@base" })),
  "history -v -r 5e6f:6f70": () => formatHistory(g, historyRevisions(g, { base: "5e6f", head: "6f70" }), { verbose: true }),
  "history -i": () => formatHistory(g, historyRevisions(g), { current: cur }),
  "history -r current:": () => formatHistory(g, historyRevisions(g, { base: cur })),
  "heads": () => formatHeads(g, headRevisions(g)),
  "heads -v": () => formatHeads(g, headRevisions(g), { verbose: true }),
  "heads --resolve-dependencies": () => formatHeads(g, headRevisions(g, { resolveDependencies: true })),
  "branches": () => formatBranches(g, branchPointRevisions(g)),
  "branches -v": () => formatBranches(g, branchPointRevisions(g), { verbose: true }),
  "show 5e6f": () => formatShow(g, resolveRevisions(g, "5e6f")),
  "show heads": () => formatShow(g, resolveRevisions(g, "heads")),
  "current": () => formatCurrent(g, currentRevisions(g, cur)),
  "current -v": () => formatCurrent(g, currentRevisions(g, cur), { verbose: true }),
};

describe("text output is Alembic's", () => {
  test.each(goldens.map((gold) => [gold.command, gold] as const))("%s", (_command, gold) => {
    const fn = render[gold.name];
    expect(fn).toBeDefined();
    expect(fn!()).toBe(gold.expected);
  });

  test("every golden has a renderer and every renderer a golden", () => {
    expect(Object.keys(render).sort()).toEqual(goldens.map((x) => x.name).sort());
  });
});

describe("formatting details", () => {
  test("a revision without a docstring ends its verbose block with an empty line", () => {
    const small = graphOf([rev("a")]);
    expect(formatLogEntry(small, "a")).toBe("Rev: a (head)\nParent: <base>\nPath: versions/a.sql\n\n\n");
  });

  test("the verbose block marks the current revision", () => {
    expect(formatLogEntry(g, "3c4d5e6f7081", { current: true }).split("\n")[0]).toBe("Rev: 3c4d5e6f7081 (current)");
  });

  test("nothing to list prints nothing", () => {
    expect([formatHistory(g, []), formatHeads(g, []), formatBranches(g, []), formatCurrent(g, []), formatShow(g, [])]).toEqual(["", "", "", "", ""]);
  });

  test("a one-line entry with an empty message keeps Alembic's trailing comma", () => {
    const small = graphOf([rev("a", [], { message: "" })]);
    expect(formatHistory(small, ["a"])).toBe("<base> -> a (head), \n");
  });
});

describe("the --json object", () => {
  test("describes a revision with camelCase keys", () => {
    expect(revisionJson(g, "6f708192a3b4", { current: cur })).toEqual({
      id: "6f708192a3b4",
      downRevisions: ["5e6f708192a3"],
      dependsOn: ["lookup"],
      resolvedDependsOn: ["8192a3b4c5d6"],
      branchLabels: [],
      effectiveBranchLabels: ["tenant"],
      nextRevisions: [],
      message: "tenant users",
      createDate: "2026-02-11 14:05:09",
      path: "migrations/versions/09_6f70.py",
      doc: goldenProject[8]!.doc,
      isHead: true,
      isRealHead: true,
      isBase: false,
      isBranchPoint: false,
      isMergePoint: false,
      isCurrent: true,
    });
  });

  test("leaves isCurrent out when the current rows are unknown", () => {
    const json = revisionJson(g, "0ee619f3516b");
    expect("isCurrent" in json).toBe(false);
    expect([json.isBranchPoint, json.nextRevisions]).toEqual([true, ["1a2b3c4d5e6f", "3c4d5e6f7081"]]);
  });

  test("serializes to JSON and back unchanged", () => {
    const json = revisionJson(g, "8192a3b4c5d6");
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect([json.isHead, json.isRealHead]).toEqual([true, false]);
  });
});
