/**
 * Which revisions a traversal covers (Alembic's _collect_upgrade_revisions /
 * _collect_downgrade_revisions), and their order (iterateRevisions).
 */
import { ResolutionError } from "../errors.ts";
import { ancestors, descendants, members, type Marks } from "./closure.ts";
import type { RevisionGraph } from "./graph.ts";
import { getRevisions, parseRelative, resolveBranch, revisionForIdent, walk } from "./resolve.ts";
import { parseDowngradeTarget, parseUpgradeTarget } from "./target.ts";
import { topologicalSort } from "./toposort.ts";

/** One end of a range: an identifier as typed, or concrete revision indices (e.g. the current heads). */
export type RangeEnd = string | readonly number[];

/** Options of an upward traversal. */
export interface UpgradeRangeOptions {
  /** include the lower revisions themselves */
  readonly inclusive: boolean;
  /** also take revisions on other branches the upper end needs (upgrade); else only those above the lower end */
  readonly implicitBase: boolean;
  /** relative ends stop at the first or last revision instead of failing (history) */
  readonly clampRelative?: boolean;
}

/** Raised as Alembic's RangeNotAncestorError: the lower end is not below the upper end. */
export class RangeNotAncestor extends Error {
  constructor(readonly lower: RangeEnd, readonly upper: RangeEnd) {
    super("range not ancestor");
  }
}

/** The revisions between lower (exclusive unless inclusive) and upper, plus the upper revisions (the sort's heads). */
export function collectUpgrade(g: RevisionGraph, upper: RangeEnd, lower: RangeEnd, opts: UpgradeRangeOptions): { todo: Marks; heads: number[] } {
  const walkDown = typeof lower === "string" ? relativeBelow(lower) : null;
  let lowerRevs = typeof lower === "string" ? (walkDown ? [] : getRevisions(g, lower)) : [...lower];
  let targets = typeof upper === "string" ? parseUpgradeTarget(g, lowerRevs, upper, opts.clampRelative ?? false) : [...upper];
  if (walkDown) lowerRevs = walkDownFrom(g, targets, walkDown.label, walkDown.steps, lower as string);

  if (typeof lower === "string" && lower.includes("@")) {
    targets = onBranchOf(g, lower.slice(0, lower.indexOf("@")), targets);
  }
  const required = ancestors(g, targets);
  if (!opts.implicitBase && lowerRevs.some((r) => !required[r])) throw new RangeNotAncestor(lower, upper);

  const current = ancestors(g, lowerRevs);
  const todo = new Uint8Array(g.size);
  for (let i = 0; i < todo.length; i++) if (required[i] && !current[i]) todo[i] = 1;
  if (opts.inclusive) for (const r of lowerRevs) todo[r] = 1;
  if (lowerRevs.length > 0 && !opts.implicitBase) {
    const above = descendants(g, lowerRevs, false);
    for (let i = 0; i < todo.length; i++) if (!above[i]) todo[i] = 0;
  }
  return { todo, heads: targets };
}

/** `-N` / `label@-N` as the lower end of a range. */
function relativeBelow(lower: string): { label: string | null; steps: number } | null {
  const rel = parseRelative(lower);
  return rel !== null && rel.symbol === null && rel.steps < 0 ? { label: rel.label, steps: -rel.steps } : null;
}

/**
 * A relative lower end counts down from the upper end (`history -r -3:current`
 * shows the last three revisions below the current ones), stopping at the
 * base rather than failing; Alembic does this only when some walk overshoots.
 */
function walkDownFrom(g: RevisionGraph, uppers: readonly number[], label: string | null, steps: number, lower: string): number[] {
  const starts = label === null ? uppers : uppers.filter((h) => g.labelsByIndex[h]!.includes(label));
  const out: number[] = [];
  for (const h of starts) {
    let cur: number | null = h;
    for (let k = 0; k < steps && cur !== null; k++) cur = walk(g, cur, -1, null, lower) ?? null;
    if (cur !== null && !out.includes(cur)) out.push(cur);
  }
  return out;
}

/**
 * Alembic keeps only targets on the lower end's branch (`label@...`); a
 * revision id used as the label stands for its branch, and when it has no
 * single label, for its lineage.
 */
function onBranchOf(g: RevisionGraph, branch: string, targets: readonly number[]): number[] {
  if (!g.links.labelOwner.has(branch)) {
    const rev = revisionForIdent(g, branch, null);
    const labels = g.labelsByIndex[rev]!;
    if (labels.length === 1) branch = labels[0]!;
    else {
      const related = new Set([...members(descendants(g, [rev], false)), ...members(ancestors(g, [rev], false))]);
      return targets.filter((t) => related.has(t));
    }
  }
  return targets.filter((t) => g.labelsByIndex[t]!.includes(branch));
}

/**
 * What a downgrade from the current heads to `target` removes: the active
 * descendants of the roots (the target's children; the target itself too when inclusive).
 */
export function collectDowngrade(g: RevisionGraph, current: readonly number[], target: string, opts: { inclusive?: boolean } = {}): { todo: Marks; heads: number[] } {
  const { label, target: t, inclusive } = parseDowngradeTarget(g, current, target);
  let roots = t === null ? g.bases.map((b) => g.mustIndex(b)) : inclusive || opts.inclusive ? [t] : [...g.links.next[t]!];
  if (label !== null && roots.length > 1) {
    const onBranch = ancestors(g, [resolveBranch(g, label)], false);
    roots = roots.filter((r) => onBranch[r]);
    if (roots.length === 0) throw notADowngradeTarget(target);
  }
  const todo = descendants(g, roots);
  const active = ancestors(g, current);
  let any = false;
  for (let i = 0; i < todo.length; i++) {
    if (todo[i] && !active[i]) todo[i] = 0;
    if (todo[i]) any = true;
  }
  // nothing to drop is fine only when the target is a current head (Alembic's
  // rule): a revision applied only as another one's dependency has no child
  // on the way to a head, so "downgrading" to it would do nothing and report
  // success while the database is not at it
  if (t !== null && !any && !current.includes(t)) throw notADowngradeTarget(target);
  return { todo, heads: [...current] };
}

/** Alembic's message when a downgrade target is not below the current heads. */
export function notADowngradeTarget(target: string): ResolutionError {
  return new ResolutionError(`Destination ${target} is not a valid downgrade target from current head(s)`, target);
}

/** Upward traversal in Alembic's order, newest first. */
export function iterateUp(g: RevisionGraph, upper: RangeEnd, lower: RangeEnd, opts: UpgradeRangeOptions): number[] {
  const { todo, heads } = collectUpgrade(g, upper, lower, opts);
  return topologicalSort(g, todo, heads);
}

/** Downward traversal in Alembic's order, newest first (the order downgrades run in). */
export function iterateDown(g: RevisionGraph, current: readonly number[], target: string, opts: { inclusive?: boolean } = {}): number[] {
  const { todo, heads } = collectDowngrade(g, current, target, opts);
  return topologicalSort(g, todo, heads);
}
