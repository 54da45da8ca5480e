/**
 * Alembic's RevisionMap._topological_sort, reproduced step for step because
 * its order is the order migrations run in and history is listed in: walk
 * down from the heads depth-first along each branch, but emit a revision
 * only once no other pending head still has it as an ancestor, so branches
 * finish at their branch point before the walk continues below it.
 */
import { ancestors, type Marks } from "./closure.ts";
import type { RevisionGraph } from "./graph.ts";

/** Orders `todo` newest first (every revision before its parents and dependencies), starting from `heads`. */
export function topologicalSort(g: RevisionGraph, todo: Marks, heads: readonly number[]): number[] {
  const { normDown, normDeps, down } = g.links;
  const pending = Uint8Array.from(todo);
  let remaining = 0;
  for (let i = 0; i < pending.length; i++) remaining += pending[i]!;

  const frontier = [...new Set(heads.filter((h) => pending[h]))].sort((a, b) => a - b);
  const onFrontier = new Uint8Array(g.size);
  for (const h of frontier) onFrontier[h] = 1;
  const below: Marks[] = frontier.map((h) => ancestors(g, [h]));
  const out: number[] = [];

  let idx = 0;
  for (;;) {
    if (frontier.length === 0) {
      // Alembic asserts here when some revisions are not below the heads it
      // was given (e.g. a range whose lower end is only linked through a
      // dependency); continue from the topmost of those instead
      if (remaining === 0) break;
      restart(g, pending, frontier, below, onFrontier);
      idx = 0;
    }
    const candidate = frontier[idx]!;
    // another pending head still needs this revision: finish that one first
    let blocker = -1;
    for (let j = 0; j < below.length; j++) {
      if (j !== idx && below[j]![candidate] === 1) { blocker = j; break; }
    }
    if (blocker >= 0) {
      idx = blocker;
      continue;
    }
    if (pending[candidate]) {
      out.push(candidate);
      pending[candidate] = 0;
      remaining--;
    }
    const toAdd: number[] = [];
    for (const r of normDown[candidate]!) if (pending[r] && !onFrontier[r]) toAdd.push(r);
    onFrontier[candidate] = 0;
    if (toAdd.length === 0) {
      frontier.splice(idx, 1);
      below.splice(idx, 1);
      idx = Math.max(idx - 1, 0);
    } else if (normDeps[candidate]!.length === 0 && down[candidate]!.length === 1) {
      // plain step down a line: the ancestor set only loses the candidate
      frontier[idx] = toAdd[0]!;
      onFrontier[toAdd[0]!] = 1;
      below[idx]![candidate] = 0;
    } else {
      frontier[idx] = toAdd[0]!;
      below[idx] = ancestors(g, [toAdd[0]!]);
      for (const r of toAdd) onFrontier[r] = 1;
      for (const r of toAdd.slice(1)) {
        frontier.push(r);
        below.push(ancestors(g, [r]));
      }
    }
  }
  return out;
}

/** Puts the pending revisions that no other pending revision is above onto the frontier, in file order. */
function restart(g: RevisionGraph, pending: Marks, frontier: number[], below: Marks[], onFrontier: Uint8Array): void {
  for (let i = 0; i < pending.length; i++) {
    if (pending[i] && !g.links.allNext[i]!.some((c) => pending[c])) {
      frontier.push(i);
      below.push(ancestors(g, [i]));
      onFrontier[i] = 1;
    }
  }
}
