/**
 * Alembic's RevisionMap._topological_sort, reproduced step for step because
 * its order is the order migrations run in and history is listed in: walk
 * down from the heads depth-first along each branch, but emit a revision
 * only once no other pending head still has it as an ancestor, so branches
 * finish at their branch point before the walk continues below it.
 */
import type { Marks } from "./closure.ts";
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
  // Alembic keeps each frontier entry's ancestor set; only "is c below frontier[j]" is ever
  // asked, so answer that with a walk that stops at revisions older than c (O(n·merges) -> local)
  const below = reachability(g);
  const out: number[] = [];

  let idx = 0;
  for (;;) {
    if (frontier.length === 0) {
      if (remaining === 0) break;
      restart(g, pending, frontier, onFrontier);
      idx = 0;
    }
    const candidate = frontier[idx]!;
    let blocker = -1;
    for (let j = 0; j < frontier.length; j++) {
      if (j !== idx && below(frontier[j]!, candidate)) { blocker = j; break; }
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
      idx = Math.max(idx - 1, 0);
    } else {
      frontier[idx] = toAdd[0]!;
      for (const r of toAdd) onFrontier[r] = 1;
      for (const r of toAdd.slice(1)) frontier.push(r);
    }
  }
  return out;
}

/** `below(top, c)`: c is top or one of its ancestors (through dependencies too). */
function reachability(g: RevisionGraph): (top: number, c: number) => boolean {
  const { allDown, order } = g.links;
  const rank = new Int32Array(g.size);
  for (let k = 0; k < order.length; k++) rank[order[k]!] = k;
  const seen = new Uint32Array(g.size);
  let stamp = 0;
  const stack: number[] = [];
  return (top, c) => {
    if (top === c) return true;
    const floor = rank[c]!;
    if (rank[top]! < floor) return false;
    stamp++;
    stack.length = 0;
    stack.push(top);
    seen[top] = stamp;
    while (stack.length > 0) {
      for (const p of allDown[stack.pop()!]!) {
        if (p === c) return true;
        // parents come before children in `order`: nothing ranked below c can lead to c
        if (seen[p] !== stamp && rank[p]! > floor) { seen[p] = stamp; stack.push(p); }
      }
    }
    return false;
  };
}

/** Puts the pending revisions that no other pending revision is above onto the frontier, in file order. */
function restart(g: RevisionGraph, pending: Marks, frontier: number[], onFrontier: Uint8Array): void {
  for (let i = 0; i < pending.length; i++) {
    if (pending[i] && !g.links.allNext[i]!.some((c) => pending[c])) {
      frontier.push(i);
      onFrontier[i] = 1;
    }
  }
}
