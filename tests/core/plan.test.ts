/**
 * Upgrade, downgrade and stamp plans: step order and alembic_version
 * bookkeeping compared with what Alembic 1.8.1 writes in --sql mode, the
 * relative forms, the errors, and the graphs on which Alembic itself crashes.
 */
import { describe, expect, test } from "bun:test";
import { MultipleHeadsError, ResolutionError, UsageError } from "../../src/errors.ts";
import { planDowngrade, planStamp, planUpgrade } from "../../src/core/plan.ts";
import { resolveStartingHeads } from "../../src/core/resolve.ts";
import type { PlannedStep } from "../../src/core/types.ts";
import { sqlGoldens } from "./alembic-sql-goldens.ts";
import { goldenProject } from "./golden-project.ts";
import { graphOf, rev, shapes } from "./shapes.ts";

/** The plan written the way Alembic's --sql output shows it. */
function asSql(steps: readonly PlannedStep[]): string[] {
  return steps.flatMap((s) => [
    `-- Running ${s.run === null ? "stamp_revision" : s.direction === "up" ? "upgrade" : "downgrade"} ${s.from.join(", ")} -> ${s.to.join(", ")}`,
    ...s.versionChanges.map((c) =>
      c.kind === "insert"
        ? `INSERT INTO alembic_version (version_num) VALUES ('${c.version}');`
        : c.kind === "delete"
          ? `DELETE FROM alembic_version WHERE alembic_version.version_num = '${c.version}';`
          : `UPDATE alembic_version SET version_num='${c.to}' WHERE alembic_version.version_num = '${c.from}';`,
    ),
  ]);
}

/** Short form: "id:change,change" per step, e.g. "c:-b1,b2>c". */
function brief(steps: readonly PlannedStep[]): string[] {
  return steps.map((s) => `${s.revision}:${s.versionChanges.map((c) => (c.kind === "insert" ? `+${c.version}` : c.kind === "delete" ? `-${c.version}` : `${c.from}>${c.to}`)).join(",")}`);
}

/** The rows after applying every step's changes to the starting rows. */
function rowsAfter(start: readonly string[], steps: readonly PlannedStep[]): string[] {
  const rows = new Set(start);
  for (const s of steps) {
    for (const c of s.versionChanges) {
      if (c.kind === "insert") rows.add(c.version);
      else if (c.kind === "delete") rows.delete(c.version);
      else {
        rows.delete(c.from);
        rows.add(c.to);
      }
    }
  }
  return [...rows].sort();
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
}

describe("plans match Alembic's --sql output", () => {
  const g = graphOf(goldenProject);
  test.each(sqlGoldens.map(([cmd, from, to, expected]) => [`${cmd} --sql ${from}:${to}`, cmd, from, to, expected] as const))("%s", (_name, cmd, from, to, expected) => {
    const current = resolveStartingHeads(g, from);
    const steps = cmd === "upgrade" ? planUpgrade(g, current, to) : cmd === "downgrade" ? planDowngrade(g, current, to) : planStamp(g, current, [to]);
    expect(asSql(steps)).toEqual(expected);
  });
});

describe("upgrade", () => {
  test("a step carries what the runner and the log need", () => {
    const g = graphOf(shapes.linear);
    expect(planUpgrade(g, ["a"], "head")).toEqual([
      { direction: "up", run: "b", revision: "b", from: ["a"], to: ["b"], message: "msg b", versionChanges: [{ kind: "update", from: "a", to: "b" }] },
      { direction: "up", run: "c", revision: "c", from: ["b"], to: ["c"], message: "msg c", versionChanges: [{ kind: "update", from: "b", to: "c" }] },
    ]);
  });

  // expected orders and changes captured from Alembic 1.8.1 (_upgrade_revs + HeadMaintainer)
  const cases: [string, keyof typeof shapes, string[], string, string[]][] = [
    ["a diamond from nothing", "diamond", [], "heads", ["a:+a", "b2:a>b2", "b1:+b1", "c:-b1,b2>c", "d:c>d"]],
    ["a merge of merges from nothing", "mergeOfMerges", [], "heads", ["a:+a", "b2:a>b2", "b3:+b3", "c:b3>c", "b1:+b1", "m1:-b1,b2>m1", "m2:-m1,c>m2", "z:m2>z"]],
    ["a merge of merges from two branch heads", "mergeOfMerges", ["b1", "c"], "heads", ["b2:+b2", "m1:-b1,b2>m1", "m2:-m1,c>m2", "z:m2>z"]],
    ["one branch of several, by label", "crossDependencyOne", [], "b_2@head", ["base3:+base3", "a3:base3>a3", "base2:+base2", "a2:base2>a2", "b2:a2>b2", "c2:-b2,a3>c2", "d2:c2>d2"]],
    ["a target below the current heads does nothing", "linear", ["c"], "a", []],
    ["base does nothing", "linear", ["b"], "base", []],
  ];
  test.each(cases)("%s", (_name, shape, current, target, expected) => {
    expect(brief(planUpgrade(graphOf(shapes[shape]), current, target))).toEqual(expected);
  });

  const relative: [string, ReturnType<typeof graphOf>, string[], string, string[]][] = [
    ["+1 goes one step up from the current head", graphOf(shapes.linear), ["a"], "+1", ["b"]],
    ["+2 goes two steps up", graphOf(shapes.linear), ["a"], "+2", ["b", "c"]],
    ["+1 from nothing applies the base", graphOf(shapes.linear), [], "+1", ["a"]],
    ["label@+1 picks the current head on that branch", graphOf(shapes.labeledBranch), ["b", "e"], "ebranch@+1", ["someothername"]],
    ["label@+1 starts a branch that has nothing applied yet", graphOf(shapes.labeledBranch), ["b"], "ebranch@+1", ["d"]],
    ["rev+1 is relative to that revision", graphOf(shapes.linear), [], "a+1", ["a", "b"]],
    ["head-1 is one below the head", graphOf(shapes.linear), [], "head-1", ["a", "b"]],
  ];
  test.each(relative)("%s", (_name, g, current, target, expected) => {
    expect(planUpgrade(g, current, target).map((s) => s.revision)).toEqual(expected);
  });

  test("head with several heads refuses with Alembic's advice", () => {
    const err = thrown(() => planUpgrade(graphOf(shapes.diamond.slice(0, 3)), [], "head"));
    expect(err).toBeInstanceOf(MultipleHeadsError);
    expect(err.message).toBe(
      "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    );
  });

  test("head-1 with several heads names the argument as typed", () => {
    expect(thrown(() => planUpgrade(graphOf(shapes.diamond.slice(0, 3)), [], "head-1")).message).toStartWith("Multiple head revisions are present for given argument 'head-1';");
  });

  test("+1 from several current heads asks for a branch", () => {
    const err = thrown(() => planUpgrade(graphOf(shapes.labeledBranch), ["b", "e"], "+1"));
    expect(err).toBeInstanceOf(MultipleHeadsError);
    expect(err.message).toBe("Ambiguous upgrade from multiple current revisions (b, e); use '<branchname>@+1' or a revision id");
  });

  test("+N past the head did not produce N migrations", () => {
    expect(thrown(() => planUpgrade(graphOf(shapes.linear), ["b"], "+2")).message).toBe("Relative revision +2 didn't produce 2 migrations");
  });

  test("-N is not an upgrade", () => {
    expect(thrown(() => planUpgrade(graphOf(shapes.linear), ["b"], "-1")).message).toBe("Relative revision -1 didn't produce 1 migrations");
  });
});

describe("downgrade", () => {
  const cases: [string, keyof typeof shapes, string[], string, string[]][] = [
    // captured from Alembic 1.8.1
    ["a diamond to base", "diamond", ["d"], "base", ["d:d>c", "c:+b1,c>b2", "b1:-b1", "b2:b2>a", "a:-a"]],
    ["a diamond to one side of it", "diamond", ["d"], "b1", ["d:d>c", "c:+b1,c>b2"]],
    ["one branch leaves the other untouched", "multipleBranch", ["d1cb1", "d2cb1", "d3cb2", "d1d2cb2"], "cb1", ["d1cb1:-d1cb1", "d2cb1:d2cb1>cb1"]],
    ["label@base removes only that branch's line and what depends on it", "crossDependencyOne", ["b1a", "b1b", "d2", "b3"], "b_3@base", ["b1b:b1b>a1b", "d2:d2>c2", "c2:c2>b2", "b3:b3>a3", "a3:a3>base3", "base3:-base3"]],
    ["a dependency's branch goes back to a row of its own", "multipleBranchEffectiveHead", ["y2", "x2"], "y1", ["y2:y2>y1"]],
    ["-1 walks down from the single head", "linear", ["c"], "-1", ["c:c>b"]],
    ["-1 from a merge point undoes the merge", "diamond", ["c"], "-1", ["c:+b1,c>b2"]],
    ["label@-1 picks the current head on that branch; x1 stays implied by y2", "multipleBranchEffectiveHead", ["x2", "y2"], "x@-1", ["x2:-x2"]],
    ["rev@-1 confines the walk to that revision's branch", "multipleBranch", ["d1cb1", "d3cb2"], "d3cb2@-1", ["d3cb2:d3cb2>cb2"]],
    ["a target that is a current head does nothing", "linear", ["c"], "c", []],
  ];
  test.each(cases)("%s", (_name, shape, current, target, expected) => {
    expect(brief(planDowngrade(graphOf(shapes[shape]), current, target))).toEqual(expected);
  });

  test("steps run the downgrade of each revision and log its parents", () => {
    const [step] = planDowngrade(graphOf(shapes.diamond), ["c"], "-1");
    expect(step).toEqual({
      direction: "down", run: "c", revision: "c", from: ["c"], to: ["b1", "b2"], message: "msg c",
      versionChanges: [{ kind: "insert", version: "b1" }, { kind: "update", from: "c", to: "b2" }],
    });
  });

  test("-1 with several heads refuses instead of picking one", () => {
    const err = thrown(() => planDowngrade(graphOf(shapes.multipleBranch), ["d1cb1", "d3cb2"], "-1"));
    expect(err).toBeInstanceOf(MultipleHeadsError);
    expect(err.message).toBe("downgrade -1 from multiple heads (d1cb1, d3cb2) is ambiguous; use '<branchname>@-1' or '<revision>@-1', e.g. 'd1cb1@-1'");
    expect([...(err as MultipleHeadsError).candidates]).toEqual(["d1cb1", "d3cb2"]);
  });

  test("label@-1 with several current heads on the branch refuses", () => {
    const g = graphOf([rev("a", [], { labels: ["l"] }), rev("b1", "a"), rev("b2", "a")]);
    expect(thrown(() => planDowngrade(g, ["b1", "b2"], "l@-1")).message).toBe("Several current revisions are on branch 'l' (b1, b2); use '<revision>@-1' with one of them");
  });

  test("-2 through a merge point asks for the target revision", () => {
    expect(thrown(() => planDowngrade(graphOf(shapes.diamond), ["d"], "-3")).message).toBe("Ambiguous walk for '-3': c is a merge point of b1, b2; name the target revision instead");
  });

  test("a target above the current heads is not a valid downgrade target", () => {
    const err = thrown(() => planDowngrade(graphOf(shapes.linear), ["a"], "c"));
    expect(err).toBeInstanceOf(ResolutionError);
    expect(err.message).toBe("Destination c is not a valid downgrade target from current head(s)");
  });

  test("a target applied only as another branch's dependency is not a valid downgrade target", () => {
    // x is applied because b depends on it, but no current head descends from x through Revises
    const g = graphOf([rev("a", []), rev("x", [], { labels: ["other"] }), rev("b", "a", { deps: ["x"] })]);
    const err = thrown(() => planDowngrade(g, ["b"], "x"));
    expect(err).toBeInstanceOf(ResolutionError);
    expect(err.message).toBe("Destination x is not a valid downgrade target from current head(s)");
    // a (partly) applied revision of b's own line is one
    expect(planDowngrade(g, ["b"], "a").map((s) => s.revision)).toEqual(["b"]);
  });

    test("-N past the base did not produce N migrations", () => {
    expect(thrown(() => planDowngrade(graphOf(shapes.linear), ["b"], "-3")).message).toBe("Relative revision -3 didn't produce 3 migrations");
  });

  test("+N is not a downgrade", () => {
    expect(thrown(() => planDowngrade(graphOf(shapes.linear), ["b"], "+1")).message).toBe("Relative revision +1 didn't produce 1 migrations");
  });
});

describe("current heads are checked", () => {
  test("a current head that no file defines is named", () => {
    const err = thrown(() => planUpgrade(graphOf(shapes.linear), ["gone"], "head"));
    expect(err).toBeInstanceOf(ResolutionError);
    expect(err.message).toBe("Can't locate revision identified by 'gone', which the version table lists as current; restore its file or fix the table with 'stamp --purge'");
  });

  test("current heads where one is below another are refused", () => {
    expect(thrown(() => planDowngrade(graphOf(shapes.linear), ["a", "c"], "base")).message).toBe(
      "The version table lists both a and c, but a is an ancestor of c; fix the table with 'stamp --purge c'",
    );
  });
});

describe("graphs Alembic crashes on are planned correctly", () => {
  // Alembic 1.8.1 raises KeyError in HeadMaintainer on `upgrade heads` here:
  // f depends on b, which is already below its parent d.
  const g = graphOf([rev("a"), rev("b", "a"), rev("c", "b"), rev("d", "c"), rev("e", "c"), rev("f", ["d", "e"], { deps: ["b"] })]);

  test("a merge that also depends on an ancestor of its parents upgrades", () => {
    const steps = planUpgrade(g, [], "heads");
    expect(brief(steps)).toEqual(["a:+a", "b:a>b", "c:b>c", "e:c>e", "d:+d", "f:-d,e>f"]);
    expect(rowsAfter([], steps)).toEqual(["f"]);
  });

  test("and downgrades back to nothing, leaving the table consistent at each step", () => {
    const steps = planDowngrade(g, ["f"], "base");
    expect(brief(steps)).toEqual(["f:+d,f>e", "d:-d", "e:e>c", "c:c>b", "b:b>a", "a:-a"]);
    expect(rowsAfter(["f"], steps)).toEqual([]);
  });

  // a merge whose parent is also another branch's dependency (expected steps captured from Alembic 1.8.1)
  test("a merge whose parent another branch depends on upgrades and downgrades", () => {
    const h = graphOf([rev("a"), rev("b1", "a"), rev("b2", "a"), rev("m", ["b1", "b2"]), rev("x"), rev("y", "x", { deps: ["b1"] })]);
    const up = planUpgrade(h, [], "heads");
    expect(brief(up)).toEqual(["a:+a", "b2:a>b2", "b1:+b1", "x:+x", "y:-x,b1>y", "m:b2>m"]);
    // b1 stays: y, on the other branch, depends on it
    const down = planDowngrade(h, ["m", "y"], "b2");
    expect(brief(down)).toEqual(["m:m>b2"]);
    expect(rowsAfter(["m", "y"], down)).toEqual(["b2", "y"]);
    const all = planDowngrade(h, ["m", "y"], "base");
    expect(brief(all)).toEqual(["m:m>b2", "y:+x,y>b1", "x:-x", "b1:-b1", "b2:b2>a", "a:-a"]);
  });
});

describe("stamp", () => {
  const g = graphOf(goldenProject);
  const cases: [string, string[], string[], string[]][] = [
    ["up a line updates the row", ["1a2b3c4d5e6f"], ["2b3c4d5e6f70"], ["2b3c4d5e6f70:1a2b3c4d5e6f>2b3c4d5e6f70"]],
    ["down to a branch point merges the rows above it", ["2b3c4d5e6f70", "3c4d5e6f7081"], ["0ee619f3516b"], ["0ee619f3516b:-2b3c4d5e6f70,3c4d5e6f7081>0ee619f3516b"]],
    ["a revision on no current branch is a new row", ["2b3c4d5e6f70"], ["3c4d5e6f7081"], ["3c4d5e6f7081:+3c4d5e6f7081"]],
    ["a revision that is already a row does nothing", ["2b3c4d5e6f70"], ["2b3c4d5e6f70"], []],
    ["base deletes every row", ["2b3c4d5e6f70", "3c4d5e6f7081"], ["base"], ["2b3c4d5e6f70:-2b3c4d5e6f70", "3c4d5e6f7081:-3c4d5e6f7081"]],
    ["label@base deletes the rows on that branch's lineage only", ["2b3c4d5e6f70", "8192a3b4c5d6"], ["lookup@base"], ["8192a3b4c5d6:-8192a3b4c5d6"]],
    ["heads stamps every head", [], ["heads"], ["4d5e6f708192:+4d5e6f708192", "6f708192a3b4:+6f708192a3b4"]],
    ["several targets each find their rows", ["1a2b3c4d5e6f"], ["2b3c", "3c4d"], ["2b3c4d5e6f70:1a2b3c4d5e6f>2b3c4d5e6f70", "3c4d5e6f7081:+3c4d5e6f7081"]],
    ["a target below another target adds nothing", [], ["0ee6", "2b3c"], ["2b3c4d5e6f70:+2b3c4d5e6f70"]],
    ["the same target twice counts once", [], ["2b3c", "2b3c4d5e6f70"], ["2b3c4d5e6f70:+2b3c4d5e6f70"]],
  ];
  test.each(cases)("%s", (_name, current, targets, expected) => {
    expect(brief(planStamp(g, current, targets))).toEqual(expected);
  });

  test("stamp steps run nothing and log like Alembic's stamp_revision", () => {
    expect(planStamp(g, ["4d5e6f708192"], ["0ee6"])).toEqual([
      { direction: "down", run: null, revision: "0ee619f3516b", from: ["4d5e6f708192"], to: ["0ee619f3516b"], message: "", versionChanges: [{ kind: "update", from: "4d5e6f708192", to: "0ee619f3516b" }] },
    ]);
  });

  test("head with several heads asks for a single target or heads", () => {
    const err = thrown(() => planStamp(g, [], ["head"]));
    expect(err).toBeInstanceOf(MultipleHeadsError);
    expect(err.message).toBe("Multiple heads are present; please specify a single target revision (or 'heads' to stamp all of them): 4d5e6f708192, 6f708192a3b4, 8192a3b4c5d6");
  });

  for (const target of ["-1", "+1", "feat@-1"]) {
    test(`a target relative to the database (${target}) is refused instead of counted from the heads`, () => {
      const err = thrown(() => planStamp(g, ["0ee619f3516b"], [target]));
      expect(err).toBeInstanceOf(ResolutionError);
      expect(err.message).toContain(`Relative revision '${target}' is relative to the database's current revision`);
    });
  }

  test("base mixed with revisions is refused rather than ignored", () => {
    const err = thrown(() => planStamp(g, [], ["base", "2b3c"]));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe("Cannot stamp 'base' together with revisions; run one stamp for the base target(s) and another for the revisions");
  });

  test("an unknown current row needs --purge", () => {
    expect(thrown(() => planStamp(g, ["gone"], ["2b3c"])).message).toBe(
      "Can't locate revision identified by 'gone', which the version table lists as current; use 'stamp --purge' to replace the table's rows",
    );
  });
});
