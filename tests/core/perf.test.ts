/**
 * Large histories stay fast: building, validating, resolving heads and
 * listing history must be well under 100 ms in-process, with no deep
 * recursion (a 10,000-revision chain would overflow a recursive walk).
 */
import { describe, expect, test } from "bun:test";
import { RevisionGraph } from "../../src/core/graph.ts";
import { historyRevisions } from "../../src/core/history.ts";
import { planDowngrade, planUpgrade } from "../../src/core/plan.ts";
import { resolveRevisions } from "../../src/core/resolve.ts";
import type { RevisionMeta } from "../../src/core/types.ts";
import { rev } from "./shapes.ts";

function hexId(i: number): string {
  // spread like real ids, so prefix lookups have to work for it
  return ((i * 2654435761) >>> 0).toString(16).padStart(8, "0") + i.toString(16).padStart(4, "0");
}

function chain(n: number): RevisionMeta[] {
  return Array.from({ length: n }, (_, i) => rev(hexId(i), i === 0 ? [] : [hexId(i - 1)]));
}

/** 200 rounds of: branch into two lines of four, merge them; a dependency across rounds now and then. */
function branchy(rounds: number): RevisionMeta[] {
  const out: RevisionMeta[] = [rev("t0")];
  let trunk = "t0";
  for (let r = 0; r < rounds; r++) {
    let left = trunk;
    let right = trunk;
    for (let k = 0; k < 4; k++) {
      out.push(rev(`l${r}_${k}`, left, { deps: k === 2 && r > 0 ? [`t${r - 1}`] : [] }));
      left = `l${r}_${k}`;
      out.push(rev(`r${r}_${k}`, right));
      right = `r${r}_${k}`;
    }
    trunk = `t${r + 1}`;
    out.push(rev(trunk, [left, right], { labels: r % 10 === 0 ? [`label${r}`] : [] }));
  }
  return out;
}

/** The best of a few runs, so a busy machine does not fail the test by accident. */
function bestOf(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

describe("large histories", () => {
  const long = chain(10_000);
  const wide = branchy(200);

  test("a 10,000-revision chain builds, resolves and lists history in well under 100 ms", () => {
    let order: string[] = [];
    const ms = bestOf(3, () => {
      const g = RevisionGraph.build(long);
      expect(resolveRevisions(g, "heads")).toEqual([hexId(9999)]);
      expect(resolveRevisions(g, hexId(5000).slice(0, 12))).toEqual([hexId(5000)]);
      order = historyRevisions(g);
    });
    expect(order.length).toBe(10_000);
    expect(order[0]).toBe(hexId(9999));
    expect(ms).toBeLessThan(100);
  });

  test("a 10,000-revision chain plans a full upgrade and downgrade without deep recursion", () => {
    const g = RevisionGraph.build(long);
    const ms = bestOf(3, () => {
      expect(planUpgrade(g, [], "head").length).toBe(10_000);
      expect(planDowngrade(g, [hexId(9999)], "base").length).toBe(10_000);
    });
    expect(ms).toBeLessThan(200);
  });

  test("a 1,801-revision graph with 200 branch points and merges builds and lists history in well under 100 ms", () => {
    let order: string[] = [];
    const ms = bestOf(3, () => {
      const g = RevisionGraph.build(wide);
      expect(resolveRevisions(g, "heads")).toEqual(["t200"]);
      expect(resolveRevisions(g, "label100@head")).toEqual(["t200"]);
      order = historyRevisions(g);
    });
    expect(order.length).toBe(wide.length);
    expect(ms).toBeLessThan(100);
  });
});
