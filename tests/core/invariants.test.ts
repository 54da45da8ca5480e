/**
 * Properties that must hold on any legal graph, checked on seeded random
 * graphs (branches, merges, dependencies, labels): orders respect every
 * edge, each revision runs once, and after every step the alembic_version
 * rows are exactly the applied revisions nothing applied revises or depends on.
 */
import { describe, expect, test } from "bun:test";
import type { RevisionGraph } from "../../src/core/graph.ts";
import { historyRevisions } from "../../src/core/history.ts";
import { planDowngrade, planStamp, planUpgrade } from "../../src/core/plan.ts";
import type { PlannedStep } from "../../src/core/types.ts";
import { graphOf, prng, randomGraph, respectsEdges } from "./shapes.ts";

/** The applied set a version table implies. */
function closure(g: RevisionGraph, rows: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const stack = [...rows];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...g.idsAt(g.links.allDown[g.mustIndex(id)]!));
  }
  return out;
}

/** The rows a consistent table holds for an applied set. */
function tips(g: RevisionGraph, applied: ReadonlySet<string>): string[] {
  return [...applied].filter((id) => !g.dependents(id).some((c) => applied.has(c))).sort();
}

/** Applies the steps, checking the rows against the applied set after each; returns the final rows. */
function replay(g: RevisionGraph, start: readonly string[], steps: readonly PlannedStep[]): string[] {
  const rows = new Set(start);
  const applied = closure(g, start);
  for (const step of steps) {
    if (step.run !== null) {
      if (step.direction === "up") {
        expect(applied.has(step.revision)).toBe(false);
        for (const p of g.idsAt(g.links.allDown[g.mustIndex(step.revision)]!)) expect(applied.has(p)).toBe(true);
        applied.add(step.revision);
      } else {
        expect(applied.has(step.revision)).toBe(true);
        for (const c of g.dependents(step.revision)) expect(applied.has(c)).toBe(false);
        applied.delete(step.revision);
      }
    }
    for (const c of step.versionChanges) {
      if (c.kind === "insert") {
        expect(rows.has(c.version)).toBe(false);
        rows.add(c.version);
      } else if (c.kind === "delete") {
        expect(rows.delete(c.version)).toBe(true);
      } else {
        expect(rows.delete(c.from)).toBe(true);
        expect(rows.has(c.to)).toBe(false);
        rows.add(c.to);
      }
    }
    if (step.run !== null) expect([...rows].sort()).toEqual(tips(g, applied));
  }
  return [...rows].sort();
}

function randomState(g: RevisionGraph, rnd: () => number): string[] {
  const picks = g.revisions.filter(() => rnd() < 0.15).map((m) => m.id);
  return tips(g, closure(g, picks));
}

const seeds = Array.from({ length: 40 }, (_, i) => i + 1);

describe("on random graphs", () => {
  test.each(seeds)("seed %i: history lists every revision once, newest first", (seed) => {
    const g = graphOf(randomGraph(seed, 40));
    const order = historyRevisions(g);
    expect([...order].sort()).toEqual(g.revisions.map((m) => m.id).sort());
    expect(respectsEdges(g, order)).toBe(true);
  });

  test.each(seeds)("seed %i: upgrade heads then downgrade base keep the table consistent", (seed) => {
    const g = graphOf(randomGraph(seed, 40));
    const up = planUpgrade(g, [], "heads");
    expect(up.length).toBe(g.size);
    expect(respectsEdges(g, up.map((s) => s.revision).reverse())).toBe(true);
    const top = replay(g, [], up);
    expect(top).toEqual([...g.realHeads].sort());
    const down = planDowngrade(g, top, "base");
    expect(down.length).toBe(g.size);
    expect(respectsEdges(g, down.map((s) => s.revision))).toBe(true);
    expect(replay(g, top, down)).toEqual([]);
  });

  test.each(seeds)("seed %i: from a partial state, upgrades, downgrades and stamps stay consistent", (seed) => {
    const g = graphOf(randomGraph(seed, 40));
    const rnd = prng(seed * 7919);
    for (let round = 0; round < 5; round++) {
      const start = randomState(g, rnd);
      const up = planUpgrade(g, start, "heads");
      expect(replay(g, start, up)).toEqual([...g.realHeads].sort());

      const target = g.revisions[Math.floor(rnd() * g.size)]!.id;
      const applied = closure(g, start);
      const childApplied = g.revisions.some((r) => r.downRevisions.includes(target) && applied.has(r.id));
      if (applied.has(target) && !start.includes(target) && !childApplied) {
        // applied only as another revision's dependency: nothing to drop, and not a downgrade target (as in Alembic)
        expect(() => planDowngrade(g, start, target)).toThrow(/is not a valid downgrade target/);
      } else if (applied.has(target)) {
        const down = planDowngrade(g, start, target);
        const after = closure(g, replay(g, start, down));
        expect(after.has(target)).toBe(true);
        // only the target's descendants were removed
        for (const s of down) expect(closure(g, [s.revision]).has(target)).toBe(true);
        expect(after.size + down.length).toBe(applied.size);
      }

      const stamped = replay(g, start, planStamp(g, start, [target]));
      expect(closure(g, stamped).has(target)).toBe(true);
      expect(stamped).toEqual(tips(g, closure(g, stamped)));
    }
  });
});
