/**
 * Dependency order for change nodes. Edges come from both models:
 *  1. what a change creates or alters needs its dependencies in B created
 *     or altered first;
 *  2. what a change drops (or invalidates) needs its dependents in A
 *     dropped (or moved off it) first;
 *  3. an object is dropped before it is created again;
 *  4. a name (relation, type, constraint) is freed before it is taken;
 *  5. a column's default goes before the column changes (identity).
 * Among ready changes, drops come first, then alterations, then creations,
 * each by kind rank and then in key order, so the output is deterministic.
 * Pure.
 */
import type { ChangeNode } from "./build.ts";
import { dependenciesOf, dependentsOf, type ObjectGraph } from "./objects.ts";

/** Ordered nodes, the nodes left over when a cycle stopped the sort, and the cycles themselves. */
export interface OrderResult {
  readonly ordered: ChangeNode[];
  readonly stuck: ChangeNode[];
  /** strongly connected groups of the stuck nodes: the changes that wait for each other */
  readonly cycles: ChangeNode[][];
}

/** Sort nodes for A → B. */
export function orderNodes(nodes: readonly ChangeNode[], a: ObjectGraph, b: ObjectGraph): OrderResult {
  const index = (pick: (n: ChangeNode) => Iterable<string>) => {
    const map = new Map<string, ChangeNode[]>();
    for (const n of nodes) for (const key of pick(n)) (map.get(key) ?? map.set(key, []).get(key)!).push(n);
    return map;
  };
  const producers = index((n) => [...n.creates, ...n.alters, ...n.invalidates]);
  const creators = index((n) => n.creates);
  const droppers = index((n) => [...n.drops, ...n.invalidates]);
  const alterers = index((n) => n.alters);
  const freers = index((n) => n.freesNames);

  const successors = new Map<ChangeNode, Set<ChangeNode>>(nodes.map((n) => [n, new Set()]));
  const indegree = new Map<ChangeNode, number>(nodes.map((n) => [n, 0]));
  const edge = (from: ChangeNode, to: ChangeNode) => {
    if (from === to) return;
    const set = successors.get(from)!;
    if (set.has(to)) return;
    set.add(to);
    indegree.set(to, indegree.get(to)! + 1);
  };
  const each = (map: Map<string, ChangeNode[]>, key: string, fn: (n: ChangeNode) => void) => map.get(key)?.forEach(fn);

  for (const n of nodes) {
    // 1. dependencies in B first
    for (const key of [...n.creates, ...n.alters, ...n.invalidates]) {
      for (const dep of dependenciesOf(b, key)) each(producers, dep, (p) => edge(p, n));
    }
    for (const key of n.after) {
      each(producers, key, (p) => edge(p, n));
      for (const dep of dependenciesOf(b, key)) each(producers, dep, (p) => edge(p, n));
    }
    // 2. dependents in A out of the way first
    for (const key of n.drops) {
      for (const dependent of dependentsOf(a, key)) {
        each(droppers, dependent, (p) => edge(p, n));
        each(alterers, dependent, (p) => edge(p, n));
      }
    }
    for (const key of n.invalidates) {
      for (const dependent of dependentsOf(a, key)) each(droppers, dependent, (p) => edge(p, n));
    }
    // 3. dropped before created again
    for (const key of n.drops) each(creators, key, (p) => edge(n, p));
    // 4. names freed before taken
    for (const name of n.takesNames) each(freers, name, (p) => edge(p, n));
    // 5. a default dropped before its column changes
    for (const key of n.drops) {
      if (key.startsWith("default:")) each(alterers, `column:${key.slice("default:".length)}`, (p) => edge(n, p));
    }
  }

  const ready = nodes.filter((n) => indegree.get(n) === 0);
  const ordered: ChangeNode[] = [];
  while (ready.length > 0) {
    let best = 0;
    for (let i = 1; i < ready.length; i++) if (before(ready[i]!, ready[best]!)) best = i;
    const [n] = ready.splice(best, 1);
    ordered.push(n!);
    for (const next of successors.get(n!)!) {
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) ready.push(next);
    }
  }
  const placed = new Set(ordered);
  const stuck = nodes.filter((n) => !placed.has(n));
  return { ordered, stuck, cycles: stuck.length === 0 ? [] : stronglyConnected(stuck, successors) };
}

/** Tarjan's strongly connected components of `nodes`, keeping those with more than one node. */
function stronglyConnected(nodes: readonly ChangeNode[], successors: ReadonlyMap<ChangeNode, ReadonlySet<ChangeNode>>): ChangeNode[][] {
  const inSet = new Set(nodes);
  const index = new Map<ChangeNode, number>();
  const low = new Map<ChangeNode, number>();
  const stack: ChangeNode[] = [];
  const onStack = new Set<ChangeNode>();
  const out: ChangeNode[][] = [];
  let counter = 0;
  const visit = (v: ChangeNode) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of successors.get(v) ?? []) {
      if (!inSet.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: ChangeNode[] = [];
      let w: ChangeNode;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group);
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

/** Preferred order among ready nodes: phase, kind rank, then construction order (key order). */
export function before(x: ChangeNode, y: ChangeNode): boolean {
  return x.phase !== y.phase ? x.phase < y.phase : x.rank !== y.rank ? x.rank < y.rank : x.seq < y.seq;
}
