/**
 * The lists behind history, heads, branches and current: ranges (incl.
 * relative ends and the caller's `current`), and their errors.
 */
import { describe, expect, test } from "bun:test";
import { MultipleHeadsError, ResolutionError, UsageError } from "../../src/errors.ts";
import { branchPointRevisions, currentRevisions, headRevisions, historyRevisions, parseHistoryRange } from "../../src/core/history.ts";
import { goldenProject } from "./golden-project.ts";
import { graphOf, rev, shapes } from "./shapes.ts";

const g = graphOf(goldenProject);
const chain = graphOf([rev("a"), rev("b", "a"), rev("c", "b"), rev("d", "c"), rev("e", "d")]);

describe("history ranges", () => {
  const cases: [string, ReturnType<typeof graphOf>, Parameters<typeof historyRevisions>[1], string[]][] = [
    ["everything, newest first", chain, {}, ["e", "d", "c", "b", "a"]],
    ["start: lists the start and what is above it", chain, { base: "c" }, ["e", "d", "c"]],
    [":end lists the end and what is below it", chain, { head: "b" }, ["b", "a"]],
    ["start:end is inclusive at both ends", chain, { base: "b", head: "d" }, ["d", "c", "b"]],
    ["-N: lists the last N+1 revisions", chain, { base: "-2" }, ["e", "d", "c"]],
    ["-N: longer than the history lists everything (Alembic fails when the walk lands on the base)", chain, { base: "-9" }, ["e", "d", "c", "b", "a"]],
    ["-N:end counts down from the end", chain, { base: "-1", head: "c" }, ["c", "b"]],
    ["rev+N past the head stops at the head, as Alembic's history does", chain, { head: "c+9" }, ["e", "d", "c", "b", "a"]],
    ["current rows as the start", chain, { base: ["c"] }, ["e", "d", "c"]],
    ["current rows as the end", chain, { head: ["b"] }, ["b", "a"]],
    ["no current rows as the end lists nothing", chain, { head: [] }, []],
    ["label@base: keeps to that branch", graphOf(shapes.labeledBranch), { base: "ebranch@base" }, ["f", "someothername", "e", "d"]],
    ["a lower end reached only through a dependency lists just itself (Alembic asserts here)", g, { base: "dadf", head: "tenant@head" }, ["dadf308f3867"]],
  ];
  test.each(cases)("%s", (_name, graph, range, expected) => {
    expect(historyRevisions(graph, range)).toEqual(expected);
  });

  test("a start above the end is not a range, in Alembic's words", () => {
    let caught: unknown;
    try {
      historyRevisions(chain, { base: "d", head: "b" });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ResolutionError);
    expect((caught as Error).message).toBe("Requested range d:b does not refer to ancestor/descendant revisions along the same branch");
  });

  test("head as the end with several heads names the argument", () => {
    expect(() => historyRevisions(g, { head: "head" })).toThrow(MultipleHeadsError);
  });

  test("an unknown current row is named", () => {
    expect(() => historyRevisions(chain, { base: ["zzzz"] })).toThrow("Can't locate revision identified by 'zzzz'");
  });
});

describe("parsing -r", () => {
  const cases: [string, { base: string | null; head: string | null }][] = [
    ["a:b", { base: "a", head: "b" }],
    ["a:", { base: "a", head: null }],
    [":b", { base: null, head: "b" }],
    [" -3:current ", { base: "-3", head: "current" }],
  ];
  test.each(cases)("%p splits into start and end", (text, expected) => {
    expect(parseHistoryRange(text)).toEqual(expected);
  });

  test.each(["abc", "a:b:c"])("%p is refused with Alembic's message", (text) => {
    expect(() => parseHistoryRange(text)).toThrow(UsageError);
    expect(() => parseHistoryRange(text)).toThrow("History range requires [start]:[end], [start]:, or :[end]");
  });
});

describe("heads, branches and current", () => {
  test("heads are the versioned heads, or with dependencies resolved the real ones", () => {
    expect(headRevisions(g)).toEqual(["4d5e6f708192", "6f708192a3b4", "8192a3b4c5d6"]);
    expect(headRevisions(g, { resolveDependencies: true })).toEqual(["4d5e6f708192", "6f708192a3b4"]);
  });

  test("branches lists the branch points in history order", () => {
    // Alembic 1.8.1 lists this history as d1cb1, d2cb1, cb1, b1, d3cb2, d1d2cb2, d1cb2, d2cb2, cb2, b2, a
    expect(branchPointRevisions(graphOf(shapes.multipleBranch))).toEqual(["cb1", "cb2", "a"]);
    expect(branchPointRevisions(chain)).toEqual([]);
  });

  test("current shows what the rows imply, reduced to branch tips, in file order", () => {
    expect(currentRevisions(g, ["2b3c4d5e6f70", "3c4d5e6f7081", "6f708192a3b4"])).toEqual(["2b3c4d5e6f70", "3c4d5e6f7081", "6f708192a3b4", "8192a3b4c5d6"]);
    expect(currentRevisions(g, [])).toEqual([]);
  });
});
