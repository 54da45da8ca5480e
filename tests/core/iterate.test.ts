/**
 * Traversal order, ported from Alembic's tests/test_revision.py
 * (DownIterateTest and subclasses): same shapes, same arguments, same
 * expected order; each case also checks that the order respects every edge.
 */
import { describe, expect, test } from "bun:test";
import { iterateDown, iterateUp } from "../../src/core/collect.ts";
import type { RevisionGraph } from "../../src/core/graph.ts";
import { getRevisions } from "../../src/core/resolve.ts";
import { graphOf, respectsEdges, shapes } from "./shapes.ts";

type End = string | readonly string[] | null;
interface Case {
  readonly name: string;
  readonly shape: keyof typeof shapes;
  readonly upper: End;
  readonly lower: End;
  readonly expected: readonly string[];
  readonly inclusive?: boolean;
  readonly implicitBase?: boolean;
  readonly down?: boolean;
}

function iterate(g: RevisionGraph, c: Case): string[] {
  const end = (e: End, fallback: string) => (e === null ? fallback : typeof e === "string" ? e : e.map((id) => g.mustIndex(id)));
  const inclusive = c.inclusive ?? true;
  if (c.down) {
    const current = typeof c.upper === "string" ? getRevisions(g, c.upper) : (c.upper ?? []).map((id) => g.mustIndex(id));
    return g.idsAt(iterateDown(g, current, typeof c.lower === "string" ? c.lower : "base", { inclusive }));
  }
  return g.idsAt(iterateUp(g, end(c.upper, "heads"), end(c.lower, "base"), { inclusive, implicitBase: c.implicitBase ?? false }));
}

const cases: Case[] = [
  { name: "DiamondTest.test_iterate_simple_diamond", shape: "diamond", upper: "d", lower: "a", expected: ["d", "c", "b1", "b2", "a"] },
  { name: "LabeledBranchTest.test_iterate_head_to_named_base (ebranch)", shape: "labeledBranch", upper: "heads", lower: "ebranch@base", expected: ["f", "someothername", "e", "d"] },
  { name: "LabeledBranchTest.test_iterate_head_to_named_base (abranch)", shape: "labeledBranch", upper: "heads", lower: "abranch@base", expected: ["c", "somelongername", "b", "a"] },
  { name: "LabeledBranchTest.test_iterate_named_head_to_base", shape: "labeledBranch", upper: "ebranch@head", lower: "base", expected: ["f", "someothername", "e", "d"] },
  { name: "LabeledBranchTest.test_iterate_named_head_to_heads", shape: "labeledBranch", upper: "heads", lower: "ebranch@head", expected: ["f"] },
  { name: "LabeledBranchTest.test_iterate_named_rev_to_heads", shape: "labeledBranch", upper: "heads", lower: "ebranch@d", expected: ["f", "someothername", "e", "d"] },
  { name: "LabeledBranchTest.test_iterate_head_to_version_specific_base (e@base)", shape: "labeledBranch", upper: "heads", lower: "e@base", expected: ["f", "someothername", "e", "d"] },
  { name: "LabeledBranchTest.test_iterate_head_to_version_specific_base (c@base)", shape: "labeledBranch", upper: "heads", lower: "c@base", expected: ["c", "somelongername", "b", "a"] },
  { name: "LabeledBranchTest.test_branch_w_down_relative", shape: "labeledBranch", upper: "heads", lower: "ebranch@-2", expected: ["f", "someothername", "e"] },
  { name: "LabeledBranchTest.test_branch_w_up_relative", shape: "labeledBranch", upper: "ebranch@+2", lower: "base", expected: ["e", "d"] },
  { name: "LongShortBranchTest.test_iterate_full", shape: "longShortBranch", upper: "heads", lower: "base", expected: ["b2", "d11", "d12", "c1", "b1", "a"] },
  { name: "MultipleBranchTest.test_iterate_from_merge_point", shape: "multipleBranch", upper: "d1d2cb2", lower: "a", expected: ["d1d2cb2", "d1cb2", "d2cb2", "cb2", "b2", "a"] },
  { name: "MultipleBranchTest.test_iterate_multiple_heads", shape: "multipleBranch", upper: ["d2cb2", "d3cb2"], lower: "a", expected: ["d2cb2", "d3cb2", "cb2", "b2", "a"] },
  { name: "MultipleBranchTest.test_iterate_single_branch", shape: "multipleBranch", upper: "d3cb2", lower: "a", expected: ["d3cb2", "cb2", "b2", "a"] },
  { name: "MultipleBranchTest.test_iterate_single_branch_to_base", shape: "multipleBranch", upper: "d3cb2", lower: "base", expected: ["d3cb2", "cb2", "b2", "a"] },
  { name: "MultipleBranchTest.test_iterate_multiple_branch_to_base", shape: "multipleBranch", upper: ["d3cb2", "cb1"], lower: "base", expected: ["cb1", "b1", "d3cb2", "cb2", "b2", "a"] },
  { name: "MultipleBranchTest.test_iterate_multiple_heads_single_base", shape: "multipleBranch", upper: ["d1cb1", "d2cb2", "d3cb2"], lower: "b2", expected: ["d2cb2", "d3cb2", "cb2", "b2"] },
  { name: "MultipleBranchEffectiveHead.test_other_downgrade", shape: "multipleBranchEffectiveHead", upper: ["x2", "y2"], lower: "x@-1", expected: ["x2"], inclusive: false, down: true },
  { name: "MultipleBranchEffectiveHead.test_use_all_current", shape: "multipleBranchEffectiveHead", upper: ["x1", "y2"], lower: "x@-1", expected: ["y2", "x1"], inclusive: false, down: true },
  { name: "MultipleBranchEffectiveHead.test_effective_head", shape: "multipleBranchEffectiveHead", upper: "y2", lower: "x@-1", expected: ["y2", "x1"], inclusive: false, down: true },
  { name: "BranchTravellingTest.test_iterate_one_branch_both_to_merge", shape: "branchTravelling", upper: "merge", lower: "db1", expected: ["merge", "e2b1", "db1", "e2b2", "db2", "cb2", "b2"], implicitBase: true },
  {
    name: "BranchTravellingTest.test_three_branches_end_in_single_branch",
    shape: "branchTravelling", upper: ["merge", "fe1b1"], lower: "a3",
    expected: ["fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3"],
  },
  {
    name: "BranchTravellingTest.test_two_branches_to_root",
    shape: "branchTravelling", upper: "merge", lower: "a1",
    expected: ["merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"],
  },
  { name: "BranchTravellingTest.test_two_branches_end_in_branch", shape: "branchTravelling", upper: "merge", lower: "b1", expected: ["merge", "e2b1", "db1", "cb1", "b1"] },
  {
    name: "BranchTravellingTest.test_two_branches_end_behind_branch",
    shape: "branchTravelling", upper: "merge", lower: "a2",
    expected: ["merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2"],
  },
  {
    name: "BranchTravellingTest.test_three_branches_to_root",
    shape: "branchTravelling", upper: ["merge", "fe1b1"], lower: "a1",
    expected: ["fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"],
  },
  {
    name: "BranchTravellingTest.test_three_branches_end_multiple_bases",
    shape: "branchTravelling", upper: ["merge", "fe1b1"], lower: ["cb1", "cb2"],
    expected: ["fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "e2b2", "db2", "cb2"],
  },
  {
    name: "BranchTravellingTest.test_three_branches_end_multiple_bases_exclusive",
    shape: "branchTravelling", upper: ["merge", "fe1b1"], lower: ["cb1", "cb2"], inclusive: false,
    expected: ["fe1b1", "e1b1", "merge", "e2b1", "db1", "e2b2", "db2"],
  },
  {
    name: "BranchTravellingTest.test_three_branches_end_multiple_bases_exclusive_blank",
    shape: "branchTravelling", upper: ["e2b1", "b2", "fe1b1"], lower: [], inclusive: false,
    expected: ["b2", "fe1b1", "e1b1", "e2b1", "db1", "cb1", "b1", "a3", "a2", "a1"],
  },
  { name: "BranchTravellingTest.test_iterate_to_symbolic_base", shape: "branchTravelling", upper: ["fe1b1"], lower: "base", inclusive: false, expected: ["fe1b1", "e1b1", "db1", "cb1", "b1", "a3", "a2", "a1"] },
  {
    name: "MultipleBaseTest.test_heads_to_base",
    shape: "multipleBase", upper: "heads", lower: "base",
    expected: ["b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2", "c2", "b2", "a2", "base2"],
  },
  {
    name: "MultipleBaseTest.test_heads_to_revs_plus_implicit_base_exclusive",
    shape: "multipleBase", upper: "heads", lower: ["c2"], inclusive: false, implicitBase: true,
    expected: ["b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2"],
  },
  { name: "MultipleBaseTest.test_heads_to_revs_base_exclusive", shape: "multipleBase", upper: "heads", lower: ["c2"], inclusive: false, expected: ["mergeb3d2", "d2"] },
  {
    name: "MultipleBaseTest.test_heads_to_revs_plus_implicit_base_inclusive",
    shape: "multipleBase", upper: "heads", lower: ["c2"], implicitBase: true,
    expected: ["b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2", "c2"],
  },
  { name: "MultipleBaseTest.test_specific_path_one", shape: "multipleBase", upper: "b3", lower: "base3", expected: ["b3", "a3", "base3"] },
  { name: "MultipleBaseTest.test_specific_path_two_implicit_base", shape: "multipleBase", upper: ["b3", "b2"], lower: "base3", inclusive: false, implicitBase: true, expected: ["b2", "a2", "base2", "b3", "a3"] },
  {
    name: "MultipleBaseCrossDependencyTestOne.test_heads_to_base",
    shape: "crossDependencyOne", upper: "heads", lower: "base",
    expected: ["b1a", "a1a", "b1b", "a1b", "base1", "d2", "c2", "b2", "a2", "base2", "b3", "a3", "base3"],
  },
  {
    name: "MultipleBaseCrossDependencyTestOne.test_heads_to_base_downgrade",
    shape: "crossDependencyOne", upper: "heads", lower: "base", down: true,
    expected: ["b1a", "a1a", "b1b", "a1b", "base1", "d2", "c2", "b2", "a2", "base2", "b3", "a3", "base3"],
  },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_head2_upgrade", shape: "crossDependencyOne", upper: "b_2@head", lower: "base", expected: ["d2", "c2", "b2", "a2", "base2", "a3", "base3"] },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_head2_downgrade", shape: "crossDependencyOne", upper: "b_2@head", lower: "b_2@base", down: true, expected: ["d2", "c2", "b2", "a2", "base2"] },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_head3_upgrade", shape: "crossDependencyOne", upper: "b_3@head", lower: "base", expected: ["b3", "a3", "base3"] },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_head3_downgrade", shape: "crossDependencyOne", upper: "b_3@head", lower: "base", down: true, expected: ["b3", "a3", "base3"] },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_head1_upgrade", shape: "crossDependencyOne", upper: "b1b@head", lower: "base", expected: ["b1b", "a1b", "base1", "a3", "base3"] },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_head1_downgrade", shape: "crossDependencyOne", upper: "b1b@head", lower: "b1b@base", down: true, expected: ["b1b", "a1b", "base1"] },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_base2_upgrade", shape: "crossDependencyOne", upper: "heads", lower: "b_2@base", expected: ["d2", "c2", "b2", "a2", "base2", "a3", "base3"] },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_base2_downgrade", shape: "crossDependencyOne", upper: "heads", lower: "b_2@base", down: true, expected: ["d2", "c2", "b2", "a2", "base2"] },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_base3_upgrade", shape: "crossDependencyOne", upper: "heads", lower: "b_3@base", expected: ["b3", "a3", "base3"] },
  { name: "MultipleBaseCrossDependencyTestOne.test_we_need_base3_downgrade", shape: "crossDependencyOne", upper: "heads", lower: "b_3@base", down: true, expected: ["b1b", "d2", "c2", "b3", "a3", "base3"] },
  {
    name: "MultipleBaseCrossDependencyTestTwo.test_heads_to_base",
    shape: "crossDependencyTwo", upper: "heads", lower: "base",
    expected: ["c1", "b1", "a1", "d2", "c2", "d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"],
  },
  { name: "MultipleBaseCrossDependencyTestTwo.test_we_need_head2", shape: "crossDependencyTwo", upper: "b_2@head", lower: "base", expected: ["d2", "c2", "b2", "a2", "base2", "base1"] },
  { name: "MultipleBaseCrossDependencyTestTwo.test_we_need_head3", shape: "crossDependencyTwo", upper: "b_3@head", lower: "base", expected: ["d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"] },
  { name: "MultipleBaseCrossDependencyTestTwo.test_we_need_head1", shape: "crossDependencyTwo", upper: "b_1@head", lower: "base", expected: ["c1", "b1", "a1", "base1"] },
  { name: "MultipleBaseCrossDependencyTestTwo.test_we_need_base1", shape: "crossDependencyTwo", upper: "heads", lower: "b_1@base", expected: ["c1", "b1", "a1", "base1"] },
  { name: "MultipleBaseCrossDependencyTestTwo.test_we_need_base2", shape: "crossDependencyTwo", upper: "heads", lower: "b_2@base", expected: ["d2", "c2", "b2", "a2", "base2", "base1"] },
  { name: "MultipleBaseCrossDependencyTestTwo.test_we_need_base3", shape: "crossDependencyTwo", upper: "heads", lower: "b_3@base", expected: ["d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"] },
  { name: "MultipleBaseCrossDependencyTestThree.test_traverse_no_parent_but_a_dep", shape: "crossDependencyThree", upper: "heads", lower: "base", expected: ["b1", "c3", "c2", "a1", "base1"] },
  { name: "NormalizedDownRevTest.test_branch_traversal", shape: "normalizedDownRev", upper: "b4", lower: "b1@base", down: true, expected: ["b4", "b3", "b2", "b1"] },
  { name: "NormalizedDownRevTest.test_all_traversal", shape: "normalizedDownRev", upper: "heads", lower: "base", down: true, expected: ["b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"] },
  { name: "NormalizedDownRevTest.test_partial_traversal", shape: "normalizedDownRev", upper: "heads", lower: "a2", down: true, expected: ["b5", "b4", "b3", "b2", "a3", "a2"] },
  { name: "NormalizedDownRevTest.test_partial_traversal_implicit_base_two", shape: "normalizedDownRev", upper: "b5", lower: ["b1"], implicitBase: true, expected: ["b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"] },
  // not in Alembic's suite; expected order captured from Alembic 1.8.1's RevisionMap.iterate_revisions("heads", "base")
  { name: "merge of merges (captured from Alembic 1.8.1)", shape: "mergeOfMerges", upper: "heads", lower: "base", expected: ["z", "m2", "m1", "b1", "c", "b3", "b2", "a"] },
];

describe("traversal order matches Alembic's", () => {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const g = graphOf(shapes[c.shape]);
    const order = iterate(g, c);
    expect(order).toEqual([...c.expected]);
    expect(respectsEdges(g, order)).toBe(true);
  });
});

describe("traversal errors", () => {
  test("a lower end that is not below the upper end is refused (MultipleBranchTest.test_same_branch_wrong_direction)", () => {
    const g = graphOf(shapes.multipleBranch);
    expect(() => iterateUp(g, "b1", "d1cb1", { inclusive: false, implicitBase: false })).toThrow("range not ancestor");
  });

  test("revisions on distinct branches are not a range (MultipleBranchTest.test_distinct_branches)", () => {
    const g = graphOf(shapes.multipleBranch);
    expect(() => iterateUp(g, "d2cb2", "b1", { inclusive: false, implicitBase: false })).toThrow("range not ancestor");
  });

  test("an empty map iterates to nothing (EmptyMapTest)", () => {
    const g = graphOf([]);
    expect(iterateUp(g, "heads", "base", { inclusive: true, implicitBase: false })).toEqual([]);
  });

  test("duplicate targets are tolerated (APITest.test_iterate_tolerates_dupe_targets)", () => {
    const g = graphOf(shapes.linear);
    const c = g.mustIndex("c");
    expect(g.idsAt(iterateUp(g, [c, c], "a", { inclusive: false, implicitBase: false }))).toEqual(["c", "b"]);
  });
});
