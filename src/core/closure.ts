/**
 * Ancestor and descendant sets over the graph's index lists, as flag arrays
 * (iterative, so a 10,000-revision chain cannot overflow the stack).
 */
import type { RevisionGraph } from "./graph.ts";

/** A set of revision indices: flags[i] === 1 when revision i is a member. */
export type Marks = Uint8Array;

function mark(n: number, starts: Iterable<number>, edges: readonly (readonly number[])[]): Marks {
  const marks = new Uint8Array(n);
  const stack: number[] = [];
  for (const s of starts) {
    if (marks[s]) continue;
    marks[s] = 1;
    stack.push(s);
    while (stack.length > 0) {
      for (const e of edges[stack.pop()!]!) {
        if (!marks[e]) { marks[e] = 1; stack.push(e); }
      }
    }
  }
  return marks;
}

/** The starts and everything below them (through dependencies too when withDeps). */
export function ancestors(g: RevisionGraph, starts: Iterable<number>, withDeps = true): Marks {
  return mark(g.size, starts, withDeps ? g.links.allDown : g.links.down);
}

/** The starts and everything above them (through dependents too when withDeps). */
export function descendants(g: RevisionGraph, starts: Iterable<number>, withDeps = true): Marks {
  return mark(g.size, starts, withDeps ? g.links.allNext : g.links.next);
}

/** Revisions that are an ancestor or a descendant of one of the starts (Alembic's "shares lineage"). */
export function lineage(g: RevisionGraph, starts: readonly number[], withDeps = false): Marks {
  const up = descendants(g, starts, withDeps);
  const down = ancestors(g, starts, withDeps);
  for (let i = 0; i < up.length; i++) if (down[i]) up[i] = 1;
  return up;
}

/** The member indices of a mark set, in file order. */
export function members(marks: Marks): number[] {
  const out: number[] = [];
  for (let i = 0; i < marks.length; i++) if (marks[i]) out.push(i);
  return out;
}
