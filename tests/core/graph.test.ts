import { describe, expect, test } from "bun:test";
import { GraphError, ResolutionError } from "../../src/errors.ts";
import { RevisionGraph } from "../../src/core/graph.ts";
import { graphOf, rev, shapes } from "./shapes.ts";

describe("building a graph", () => {
  const invalid: [string, Parameters<typeof RevisionGraph.build>[0], RegExp, string[]][] = [
    ["a duplicate revision id names both files", [rev("a"), rev("b", "a"), { ...rev("a"), path: "versions/a_copy.sql" }], /Revision a is present more than once: versions\/a\.sql and versions\/a_copy\.sql/, ["a"]],
    ["a missing parent names the revision and its file", [rev("a"), rev("b", "zzz")], /Revision zzz referenced from b \(versions\/b\.sql\) is not present/, ["b"]],
    ["a dependency on nothing names the revision", [rev("a"), rev("b", "a", { deps: ["nope"] })], /b \(versions\/b\.sql\) depends on 'nope', which names no revision or branch label/, ["b"]],
    ["an ambiguous dependency prefix lists the candidates", [rev("abcd1"), rev("abcd2"), rev("c", [], { deps: ["abcd"] })], /depends on 'abcd', which is the start of several revisions \(abcd1, abcd2\)/, ["c"]],
    ["a revision revising itself is a self-loop", [rev("a", "a")], /Self-loop is detected in revisions \(a\)/, ["a"]],
    ["a revision depending on itself is a dependency self-loop", [rev("a", [], { deps: ["a"] })], /Dependency self-loop is detected in revisions \(a\)/, ["a"]],
    ["a revision depending on its own label is a dependency self-loop", [rev("a", [], { deps: ["mine"], labels: ["mine"] })], /Dependency self-loop/, ["a"]],
    ["a cycle of down revisions names its members and files", [rev("a", "c"), rev("b", "a"), rev("c", "b"), rev("d"), rev("e", "d")], /^Cycle is detected in revisions \(a, b, c\); check .* in versions\/a\.sql, versions\/b\.sql, versions\/c\.sql$/, ["a", "b", "c"]],
    ["a cycle reports only its members, not what sits above it", [rev("a"), rev("b", ["a", "d"]), rev("c", "b"), rev("d", "c"), rev("e", "d")], /Cycle is detected in revisions \(b, c, d\)/, ["b", "c", "d"]],
    ["a cycle through a dependency is a dependency cycle", [rev("a", [], { deps: ["c"] }), rev("b", "a"), rev("c", "b")], /^Dependency cycle is detected in revisions \(a, b, c\)/, ["a", "b", "c"]],
    ["a branch label used twice names both revisions", [rev("a"), rev("b", "a", { labels: ["x"] }), rev("c"), rev("e", "c", { labels: ["x"] })], /Branch name 'x' in revision e \(versions\/e\.sql\) already used by revision b \(versions\/b\.sql\)/, ["e", "b"]],
    ["a branch label equal to a revision id is refused", [rev("a"), rev("b", "a", { labels: ["a"] })], /Branch name 'a' in revision b .* is also the id of revision a/, ["b", "a"]],
    ["a branch label with '@' is refused", [rev("a", [], { labels: ["x@y"] })], /Branch name 'x@y' in revision a .* not usable/, ["a"]],
    ["a revision id with '@' is refused", [rev("a@b")], /'@' is not allowed in revision identifier 'a@b'/, ["a@b"]],
    ["a revision id with '-' is refused", [rev("a-b")], /'-' is not allowed in revision identifier 'a-b'/, ["a-b"]],
    ["a reserved revision id is refused", [rev("head")], /'head' is a reserved name/, ["head"]],
    ["an empty revision id is refused", [rev("")], /the revision id is empty/, []],
    ["a parent listed twice is refused", [rev("a"), rev("b", ["a", "a"])], /lists down revision a twice/, ["b"]],
  ];
  test.each(invalid)("%s", (_name, revisions, message, named) => {
    let caught: unknown;
    try {
      RevisionGraph.build(revisions);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GraphError);
    const err = caught as GraphError;
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain("\n");
    expect([...err.revisions]).toEqual(named);
  });

  test("an empty list of revisions is a valid, empty graph", () => {
    const g = graphOf([]);
    expect([g.size, g.heads.length, g.bases.length]).toEqual([0, 0, 0]);
  });

  test("dependencies may name a branch label or a unique prefix of four or more characters", () => {
    const g = graphOf([rev("aaaa1111"), rev("bbbb2222", [], { labels: ["lbl"] }), rev("c", [], { deps: ["aaaa", "lbl"] })]);
    expect(g.resolvedDependsOn("c")).toEqual(["aaaa1111", "bbbb2222"]);
  });
});

describe("graph members", () => {
  test("heads, bases, branch points and merge points are listed in file order", () => {
    const g = graphOf(shapes.multipleBranch);
    expect(g.heads).toEqual(["d1cb1", "d2cb1", "d3cb2", "d1d2cb2"]);
    expect(g.bases).toEqual(["a"]);
    expect(g.branchPoints).toEqual(["a", "cb1", "cb2"]);
    expect(g.mergePoints).toEqual(["d1d2cb2"]);
    expect(g.children("cb2")).toEqual(["d1cb2", "d2cb2", "d3cb2"]);
    expect(g.size).toBe(11);
  });

  test("the heads of Alembic's cross-dependency shape are the versioned heads", () => {
    expect(graphOf(shapes.crossDependencyOne).heads).toEqual(["b1a", "b1b", "d2", "b3"]);
    expect(graphOf(shapes.crossDependencyTwo).heads).toEqual(["c1", "d2", "d3"]);
  });

  test("a head something depends on is an effective head, not a real head", () => {
    const g = graphOf(shapes.crossDependencyOne);
    // b3 is revised by nothing but nothing depends on it either; a3 has dependents
    expect(g.realHeads).toEqual(["b1a", "b1b", "d2", "b3"]);
    const g2 = graphOf([rev("x"), rev("y", [], { deps: ["x"] })]);
    expect(g2.heads).toEqual(["x", "y"]);
    expect(g2.realHeads).toEqual(["y"]);
    expect([g2.isHead("x"), g2.isRealHead("x")]).toEqual([true, false]);
    expect(g2.dependents("x")).toEqual(["y"]);
    expect(g2.realBases).toEqual(["x"]);
  });

  test("dependencies already implied by an ancestor's dependencies are normalized away (Alembic's NormalizedDownRevTest)", () => {
    const g = graphOf(shapes.normalizedDownRev);
    const norm = (id: string) => g.idsAt(g.links.normDown[g.mustIndex(id)]!);
    const all = (id: string) => g.idsAt(g.links.allDown[g.mustIndex(id)]!);
    expect(all("b4")).toEqual(["b3", "a3"]);
    expect(norm("b4")).toEqual(["b3"]);
    expect(all("b5")).toEqual(["b4"]);
    expect(norm("b5")).toEqual(["b4"]);
  });

  test("get returns the revision and throws a ResolutionError for an unknown id", () => {
    const g = graphOf(shapes.linear);
    expect(g.get("b").downRevisions).toEqual(["a"]);
    expect(g.has("b")).toBe(true);
    expect(g.has("zz")).toBe(false);
    expect(() => g.get("zz")).toThrow(ResolutionError);
  });
});

describe("branch labels", () => {
  const cases: [string, Parameters<typeof graphOf>[0], Record<string, string[]>][] = [
    ["a label reaches every revision above it, and down a plain line to its base", shapes.labeledBranch, { a: ["abranch"], c: ["abranch"], d: ["ebranch"], e: ["ebranch"], f: ["ebranch"] }],
    [
      "a label in the middle of a plain line also reaches down to the base",
      [rev("a"), rev("b", "a"), rev("c", "b", { labels: ["x"] }), rev("d", "c")],
      { a: ["x"], b: ["x"], c: ["x"], d: ["x"] },
    ],
    [
      "walking down stops before a branch point",
      [rev("a"), rev("b1", "a"), rev("c1", "b1", { labels: ["x"] }), rev("b2", "a")],
      { a: [], b1: ["x"], c1: ["x"], b2: [] },
    ],
    [
      "a label whose branch splits further up does not walk down",
      [rev("a"), rev("b", "a", { labels: ["x"] }), rev("c1", "b"), rev("c2", "b")],
      { a: [], b: ["x"], c1: ["x"], c2: ["x"] },
    ],
    [
      "labels follow merges and are listed in the order of the revisions that declare them",
      [rev("a", [], { labels: ["first"] }), rev("b1", "a"), rev("b2", "a", { labels: ["second"] }), rev("m", ["b2", "b1"])],
      { a: ["first"], b1: ["first"], b2: ["first", "second"], m: ["first", "second"] },
    ],
  ];
  test.each(cases)("%s", (_name, revisions, expected) => {
    const g = graphOf(revisions);
    for (const [id, labels] of Object.entries(expected)) expect([id, [...g.branchLabels(id)]]).toEqual([id, labels]);
  });

  test("the owner of a label is the revision that declares it", () => {
    const g = graphOf(shapes.labeledBranch);
    expect([g.labelOwner("ebranch"), g.labelOwner("nope")]).toEqual(["e", undefined]);
  });
});
