/**
 * Effective branch labels, as Alembic's RevisionMap._add_branches computes
 * them: a label applies to the revision that declares it, to every revision
 * above it, and (when the branch above it is a plain line) to the revisions
 * below it down to the nearest branch point or merge point.
 */
import type { Linked } from "./link.ts";

/**
 * Labels per revision index, ordered by the file order of the revisions that
 * declare them (Alembic keeps them in a set; a fixed order keeps output stable).
 */
export function effectiveLabels(l: Linked): readonly (readonly string[])[] {
  const n = l.metas.length;
  const declared: number[] = [];
  for (let i = 0; i < n; i++) if (l.ownLabels[i]!.length > 0) declared.push(i);
  if (declared.length === 0) return new Array<readonly string[]>(n).fill(EMPTY_LABELS);

  // owners[i]: the declaring revisions whose labels reach i (shared along chains)
  const owners: (readonly number[])[] = new Array(n).fill(EMPTY);
  for (const i of l.order) {
    let acc: readonly number[] = l.ownLabels[i]!.length > 0 ? [i] : EMPTY;
    for (const p of l.down[i]!) acc = union(acc, owners[p]!);
    owners[i] = acc;
  }

  const blocked = (i: number) => l.allNext[i]!.length > 1 || l.down[i]!.length > 1;
  // plainAbove[i]: i and every revision above it form a line with no
  // branch point or merge point, so Alembic's walk back down reaches i
  const plainAbove = new Uint8Array(n);
  for (let k = l.order.length - 1; k >= 0; k--) {
    const i = l.order[k]!;
    const children = l.next[i]!;
    plainAbove[i] = !blocked(i) && (children.length === 0 || plainAbove[children[0]!] === 1) ? 1 : 0;
  }
  const extra: number[][] = Array.from({ length: n }, () => []);
  for (const owner of declared) {
    if (!plainAbove[owner]) continue;
    let p = l.down[owner]![0];
    while (p !== undefined && !blocked(p)) {
      extra[p]!.push(owner);
      p = l.down[p]![0];
    }
  }

  // revisions sharing one owner list share one label list
  const cache = new Map<readonly number[], readonly string[]>();
  return owners.map((os, i) => {
    const all = extra[i]!.length > 0 ? union(os, extra[i]!) : os;
    let labels = cache.get(all);
    if (labels === undefined) {
      labels = all.length === 0 ? EMPTY_LABELS : all.flatMap((o) => l.ownLabels[o]!);
      cache.set(all, labels);
    }
    return labels;
  });
}

const EMPTY: readonly number[] = [];
const EMPTY_LABELS: readonly string[] = [];

/** Sorted union of two sorted index lists; returns an input unchanged when it already holds the other. */
function union(a: readonly number[], b: readonly number[]): readonly number[] {
  if (b.length === 0 || a === b) return a;
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x < y)) { out.push(x!); i++; }
    else if (x === undefined || y < x) { out.push(y); j++; }
    else { out.push(x); i++; j++; }
  }
  if (out.length === a.length) return a;
  if (out.length === b.length) return b;
  return out;
}
