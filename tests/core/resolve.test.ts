/**
 * Identifier resolution: every form Alembic accepts, and every error, with
 * Alembic's wording where Alembic has one (cases from test_revision.py's
 * LabeledBranchTest and APITest).
 */
import { describe, expect, test } from "bun:test";
import { MultipleHeadsError, ResolutionError } from "../../src/errors.ts";
import { resolveRevision, resolveRevisions, resolveStartingHeads } from "../../src/core/resolve.ts";
import { graphOf, rev, shapes } from "./shapes.ts";

const labeled = graphOf(shapes.labeledBranch);
const branchy = graphOf([rev("a"), rev("b", "a"), rev("c1", "b"), rev("c2", "b")]);
const linear = graphOf([rev("ae1027a6acf"), rev("1975ea83b712", "ae1027a6acf"), rev("27c6a30d7c24", "1975ea83b712")]);

describe("identifiers that resolve", () => {
  const cases: [string, ReturnType<typeof graphOf>, string, string[]][] = [
    ["head is the single head", linear, "head", ["27c6a30d7c24"]],
    ["heads lists every head in file order", branchy, "heads", ["c1", "c2"]],
    ["base names no revision", labeled, "base", []],
    ["a full id names itself", linear, "1975ea83b712", ["1975ea83b712"]],
    ["a unique prefix names its revision", linear, "1975", ["1975ea83b712"]],
    ["a short id that exists matches exactly", labeled, "e", ["e"]],
    ["a branch label alone names the revision that declares it", labeled, "ebranch", ["e"]],
    ["label@head is the head of that branch", labeled, "ebranch@head", ["f"]],
    ["label@heads is the heads of that branch", labeled, "abranch@heads", ["c"]],
    ["label@base names no revision", labeled, "abranch@base", []],
    ["label@rev names rev when it is on the branch", labeled, "ebranch@d", ["d"]],
    ["label@label names the declaring revision", labeled, "ebranch@ebranch", ["e"]],
    ["label@prefix resolves the prefix within the branch", labeled, "ebranch@some", ["someothername"]],
    ["the same prefix resolves differently on another branch", labeled, "abranch@some", ["somelongername"]],
    ["a revision id works as a branch name", labeled, "e@d", ["d"]],
    ["a revision prefix works as a branch name", labeled, "someoth@d", ["d"]],
    ["rev@head is the head above rev", branchy, "c2@head", ["c2"]],
    ["-1 walks one down from each head", linear, "-1", ["1975ea83b712"]],
    ["-N walking onto the base gives nothing", linear, "-3", []],
    ["label@-N walks down from that branch's head", labeled, "ebranch@-2", ["e"]],
    ["head-1 walks down from the head", linear, "head-1", ["1975ea83b712"]],
    ["rev+1 walks up from rev", linear, "ae10+1", ["1975ea83b712"]],
    ["rev-1 walks down from rev", linear, "27c6-1", ["1975ea83b712"]],
    ["label@rev+1 walks up along the branch", labeled, "ebranch@e+1", ["someothername"]],
    ["surrounding spaces are ignored", linear, " head ", ["27c6a30d7c24"]],
  ];
  test.each(cases)("%s", (_name, g, identifier, expected) => {
    expect(resolveRevisions(g, identifier)).toEqual(expected);
  });

  test("resolveRevision gives one id, or null for base", () => {
    expect(resolveRevision(labeled, "ebranch@head")).toBe("f");
    expect(resolveRevision(labeled, "base")).toBeNull();
  });

  test("the starting heads of an offline range come from any identifier", () => {
    expect(resolveStartingHeads(branchy, "base")).toEqual([]);
    expect(resolveStartingHeads(branchy, "heads")).toEqual(["c1", "c2"]);
    expect(resolveStartingHeads(linear, "1975")).toEqual(["1975ea83b712"]);
  });
});

describe("identifiers that fail", () => {
  const multipleHeadsAdvice =
    "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads";
  const cases: [string, ReturnType<typeof graphOf>, string, typeof ResolutionError, string, string[]][] = [
    ["head with several heads gives Alembic's advice", branchy, "head", MultipleHeadsError, multipleHeadsAdvice, ["c1", "c2"]],
    ["an unknown id says it cannot be located", linear, "deadbeef", ResolutionError, "Can't locate revision identified by 'deadbeef'", []],
    ["a short unknown id asks for four characters", linear, "zz", ResolutionError, "Can't locate revision identified by 'zz'; please ensure at least four characters are present for partial revision identifier matches", []],
    ["an unknown id on a branch is not located", labeled, "abranch@qprstuv", ResolutionError, "Can't locate revision identified by 'qprstuv'", []],
    ["a revision off the branch is not a member", labeled, "ebranch@b", ResolutionError, "Revision b is not a member of branch 'ebranch'", []],
    ["another revision off another branch is not a member", labeled, "abranch@d", ResolutionError, "Revision d is not a member of branch 'abranch'", []],
    ["an unknown branch is no such branch", labeled, "x@d", ResolutionError, "No such branch: 'x'", []],
    ["label@head with several heads on the branch names them", graphOf([rev("a", [], { labels: ["l"] }), rev("b1", "a"), rev("b2", "a")]), "l@head", MultipleHeadsError,
      "Multiple head revisions are present for given argument 'l@head'; please specify a specific target revision, or 'l@heads' for all heads on that branch (heads: b1, b2)", ["b1", "b2"]],
    ["walking up past the head walks too far", linear, "27c6+1", ResolutionError, "Relative revision '27c6+1' walked too far: there are not that many revisions in that direction", []],
    ["walking down past the base walks too far", linear, "ae10-2", ResolutionError, "Relative revision 'ae10-2' walked too far: there are not that many revisions in that direction", []],
    ["-N longer than every branch does not produce N", linear, "-4", ResolutionError, "Relative revision -4 didn't produce 4 migrations", []],
    ["walking up from a branch point is ambiguous", branchy, "b+1", ResolutionError, "Ambiguous walk for 'b+1': b is a branch point (c1, c2); use '<branchname>@+N' or name the target revision", ["c1", "c2"]],
    ["walking down from a merge point is ambiguous", graphOf(shapes.diamond), "c-1", ResolutionError, "Ambiguous walk for 'c-1': c is a merge point of b1, b2; name the target revision instead", ["b1", "b2"]],
    ["+N needs the database's current revision", linear, "+1", ResolutionError, "Relative revision '+1' is relative to the database's current revision; use it with upgrade or downgrade", []],
    ["an empty identifier is not located", linear, "", ResolutionError, "Can't locate revision identified by ''; please ensure at least four characters are present for partial revision identifier matches", []],
  ];
  test.each(cases)("%s", (_name, g, identifier, kind, message, candidates) => {
    let caught: unknown;
    try {
      resolveRevisions(g, identifier);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(kind);
    const err = caught as ResolutionError;
    expect(err.message).toBe(message);
    expect(err.exitCode).toBe(2);
    expect([...err.candidates]).toEqual(candidates);
  });

  test("an ambiguous prefix lists every candidate", () => {
    const g = graphOf([rev("abcd1111"), rev("abcd2222"), rev("abcd3333"), rev("ffff0000")]);
    let caught: unknown;
    try {
      resolveRevisions(g, "abcd");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ResolutionError);
    expect((caught as ResolutionError).message).toBe("Multiple revisions start with 'abcd': 'abcd1111', 'abcd2222', 'abcd3333'; give more characters of the revision id");
    expect([...(caught as ResolutionError).candidates]).toEqual(["abcd1111", "abcd2222", "abcd3333"]);
  });

  test("resolveRevision refuses an identifier that names several revisions", () => {
    expect(() => resolveRevision(branchy, "heads")).toThrow(MultipleHeadsError);
  });
});
