/**
 * Named graph shapes for the core tests, most of them the catalogue of
 * Alembic's tests/test_revision.py (same ids, same file order), plus helpers.
 */
import { RevisionGraph } from "../../src/core/graph.ts";
import type { RevisionMeta } from "../../src/core/types.ts";

/** A compact revision: id, down revisions, and optional dependencies / branch labels. */
export function rev(id: string, down: string | readonly string[] = [], extra: { deps?: readonly string[]; labels?: readonly string[]; message?: string } = {}): RevisionMeta {
  return {
    id,
    downRevisions: typeof down === "string" ? [down] : down,
    branchLabels: extra.labels ?? [],
    dependsOn: extra.deps ?? [],
    message: extra.message ?? `msg ${id}`,
    createDate: null,
    path: `versions/${id}.sql`,
    doc: "",
  };
}

/** Builds a graph from compact revisions. */
export function graphOf(revisions: readonly RevisionMeta[]): RevisionGraph {
  return RevisionGraph.build(revisions);
}

/**
 * True when a newest-first order lists every revision before each of its
 * parents and dependencies that are also in the order.
 */
export function respectsEdges(g: RevisionGraph, newestFirst: readonly string[]): boolean {
  const at = new Map(newestFirst.map((id, i) => [id, i]));
  return newestFirst.every((id, i) => g.idsAt(g.links.allDown[g.mustIndex(id)]!).every((p) => (at.get(p) ?? Infinity) > i));
}

/** The catalogue. */
export const shapes = {
  linear: [rev("a"), rev("b", "a"), rev("c", "b")],
  diamond: [rev("a"), rev("b1", "a"), rev("b2", "a"), rev("c", ["b1", "b2"]), rev("d", "c")],
  labeledBranch: [
    rev("a", [], { labels: ["abranch"] }),
    rev("b", "a"),
    rev("somelongername", "b"),
    rev("c", "somelongername"),
    rev("d"),
    rev("e", "d", { labels: ["ebranch"] }),
    rev("someothername", "e"),
    rev("f", "someothername"),
  ],
  longShortBranch: [rev("a"), rev("b1", "a"), rev("b2", "a"), rev("c1", "b1"), rev("d11", "c1"), rev("d12", "c1")],
  multipleBranch: [
    rev("a"), rev("b1", "a"), rev("b2", "a"), rev("cb1", "b1"), rev("cb2", "b2"),
    rev("d1cb1", "cb1"), rev("d2cb1", "cb1"), rev("d1cb2", "cb2"), rev("d2cb2", "cb2"), rev("d3cb2", "cb2"),
    rev("d1d2cb2", ["d1cb2", "d2cb2"]),
  ],
  multipleBranchEffectiveHead: [
    rev("y1", [], { labels: ["y"] }),
    rev("x1", [], { labels: ["x"] }),
    rev("y2", "y1", { deps: ["x1"] }),
    rev("x2", "x1"),
  ],
  branchTravelling: [
    rev("a1"), rev("a2", "a1"), rev("a3", "a2"), rev("b1", "a3"), rev("b2", "a3"), rev("cb1", "b1"), rev("cb2", "b2"),
    rev("db1", "cb1"), rev("db2", "cb2"), rev("e1b1", "db1"), rev("fe1b1", "e1b1"), rev("e2b1", "db1"), rev("e2b2", "db2"),
    rev("merge", ["e2b1", "e2b2"]),
  ],
  multipleBase: [
    rev("base1"), rev("base2"), rev("base3"), rev("a1a", "base1"), rev("a1b", "base1"), rev("a2", "base2"), rev("a3", "base3"),
    rev("b1a", "a1a"), rev("b1b", "a1b"), rev("b2", "a2"), rev("b3", "a3"), rev("c2", "b2"), rev("d2", "c2"),
    rev("mergeb3d2", ["b3", "d2"]),
  ],
  crossDependencyOne: [
    rev("base1", [], { labels: ["b_1"] }), rev("a1a", "base1"), rev("a1b", "base1"), rev("b1a", "a1a"),
    rev("b1b", "a1b", { deps: ["a3"] }),
    rev("base2", [], { labels: ["b_2"] }), rev("a2", "base2"), rev("b2", "a2"), rev("c2", "b2", { deps: ["a3"] }), rev("d2", "c2"),
    rev("base3", [], { labels: ["b_3"] }), rev("a3", "base3"), rev("b3", "a3"),
  ],
  crossDependencyTwo: [
    rev("base1", [], { labels: ["b_1"] }), rev("a1", "base1"), rev("b1", "a1"), rev("c1", "b1"),
    rev("base2", [], { deps: ["b_1"], labels: ["b_2"] }), rev("a2", "base2"), rev("b2", "a2"), rev("c2", "b2"), rev("d2", "c2"),
    rev("base3", [], { labels: ["b_3"] }), rev("a3", "base3"), rev("b3", "a3"), rev("c3", "b3", { deps: ["b2"] }), rev("d3", "c3"),
  ],
  crossDependencyThree: [rev("base1"), rev("a1", "base1"), rev("b1", "a1"), rev("c2", [], { deps: ["a1"] }), rev("c3", "c2")],
  normalizedDownRev: [
    rev("a1"), rev("a2", "a1"), rev("a3", "a2"), rev("b1"), rev("b2", "b1", { deps: ["a3"] }), rev("b3", "b2"),
    rev("b4", "b3", { deps: ["a3"] }), rev("b5", "b4", { deps: ["b4"] }),
  ],
  mergeOfMerges: [
    rev("a"), rev("b1", "a"), rev("b2", "a"), rev("b3", "a"), rev("m1", ["b1", "b2"]), rev("c", "b3"),
    rev("m2", ["m1", "c"]), rev("z", "m2"),
  ],
} satisfies Record<string, readonly RevisionMeta[]>;

/** A small deterministic PRNG (tests must not depend on Math.random). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

/** A random legal graph: bases, children, merges, dependencies and labels, in file order. */
export function randomGraph(seed: number, size: number): RevisionMeta[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: RevisionMeta[] = [];
  const heads = new Set<string>();
  for (let i = 0; i < size; i++) {
    const id = `r${i.toString(16).padStart(4, "0")}${Math.floor(rnd() * 0xfff).toString(16).padStart(3, "0")}`;
    const x = rnd();
    let down: string[] = [];
    if (i > 0 && x >= 0.1) {
      if (x < 0.8) down = [rnd() < 0.7 ? pick([...heads]) : pick(out).id];
      else {
        const a = pick([...heads]);
        const b = pick(out).id;
        down = a === b ? [a] : [a, b];
      }
    }
    const deps = i > 0 && rnd() < 0.15 ? [pick(out).id] : [];
    const labels = rnd() < 0.1 ? [`l${i}`] : [];
    for (const d of down) heads.delete(d);
    heads.add(id);
    out.push(rev(id, down, { deps, labels }));
  }
  return out;
}
