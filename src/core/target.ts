/**
 * Upgrade and downgrade targets, resolved against the database's current
 * heads the way Alembic's _parse_upgrade_target / _parse_downgrade_target do
 * (`+N`, `-N`, `label@+N`, `label@-N` are relative to the current heads).
 * Where Alembic asserts or guesses (several current heads on the branch,
 * `downgrade -1` from several heads), these refuse with a message that says
 * how to be specific.
 */
import { MultipleHeadsError, ResolutionError } from "../errors.ts";
import { ancestors, members } from "./closure.ts";
import type { RevisionGraph } from "./graph.ts";
import {
  allCurrent,
  didNotProduce,
  filterForLineage,
  getRevision,
  getRevisions,
  parseRelative,
  walk,
  walkedTooFar,
} from "./resolve.ts";

/** The revisions an upgrade should reach (base gives none); clamp stops relative walks at the ends instead of failing (history). */
export function parseUpgradeTarget(g: RevisionGraph, current: readonly number[], target: string, clamp = false): number[] {
  const rel = parseRelative(target);
  if (rel === null) return getRevisions(g, target);
  if (rel.steps <= 0) {
    if (rel.symbol === null) throw didNotProduce(rel, target);
    const start = getRevision(g, rel.label === null ? rel.symbol : `${rel.label}@${rel.symbol}`);
    const r = walk(g, start, rel.steps, null, target, clamp);
    if (r === undefined) throw walkedTooFar(target);
    return r === null ? [] : [r];
  }
  if (rel.symbol !== null) {
    const r = walk(g, getRevision(g, rel.symbol), rel.steps, rel.label, target, clamp);
    if (r === undefined) throw walkedTooFar(target);
    return r === null ? [] : [r];
  }
  // relative to the current heads
  let starts: (number | null)[] = current.length === 0 ? [null] : [...current];
  if (rel.label !== null && current.length > 0) {
    starts = filterForLineage(g, current, rel.label);
    if (starts.length === 0) {
      // the branch has no current head: start from the tip of what is applied on it
      const onBranch = filterForLineage(g, members(ancestors(g, current)), rel.label);
      const below = new Set(onBranch.flatMap((r) => g.links.normDown[r]!));
      starts = onBranch.filter((r) => !below.has(r));
      if (starts.length === 0) starts = [null];
    }
  }
  if (starts.length > 1) {
    const ids = g.idsAt(starts as number[]);
    throw new MultipleHeadsError(
      `Ambiguous upgrade from multiple current revisions (${ids.join(", ")}); use '<branchname>@${rel.text}' or a revision id`,
      target,
      ids,
    );
  }
  const r = walk(g, starts[0]!, rel.steps, rel.label, target, clamp);
  if (r === undefined || (r === null && !clamp)) throw didNotProduce(rel, target);
  return r === null ? [] : [r];
}

/** A downgrade target: the revision to end at (null for base) and the branch the downgrade is confined to. */
export interface DowngradeTarget {
  readonly label: string | null;
  readonly target: number | null;
  /** remove the target itself too (a relative step down from a merge point) */
  readonly inclusive?: boolean;
}

/** Where a downgrade should end, relative forms counted from the current heads. */
export function parseDowngradeTarget(g: RevisionGraph, current: readonly number[], target: string): DowngradeTarget {
  const rel = parseRelative(target);
  if (rel === null) {
    const at = target.lastIndexOf("@");
    // Alembic resolves only the part after '@'; resolving the whole keeps
    // label@head on its branch and checks label@rev membership
    return { label: at > 0 ? target.slice(0, at) : null, target: getRevision(g, target) };
  }
  if (rel.steps >= 0) {
    if (rel.symbol === null) throw didNotProduce(rel, target);
    const r = walk(g, getRevision(g, rel.symbol), rel.steps, rel.label, target);
    if (r === undefined) throw walkedTooFar(target);
    return { label: rel.label, target: r };
  }
  let label = rel.label;
  let symbol = rel.symbol;
  if (symbol === null) {
    if (label !== null) {
      let onBranch = filterForLineage(g, current, label);
      if (onBranch.length === 0) onBranch = filterForLineage(g, allCurrent(g, current), label);
      if (onBranch.length === 0) {
        throw new ResolutionError(`No current revision is on branch '${label}', so '${target}' has nothing to downgrade`, target);
      }
      if (onBranch.length > 1) {
        const ids = g.idsAt(onBranch);
        throw new MultipleHeadsError(
          `Several current revisions are on branch '${label}' (${ids.join(", ")}); use '<revision>@${rel.text}' with one of them`,
          target,
          ids,
        );
      }
      symbol = g.idAt(onBranch[0]!);
    } else {
      if (current.length === 0) throw didNotProduce(rel, target);
      const unique = [...new Set(current)];
      if (unique.length > 1) {
        const ids = g.idsAt(unique);
        throw new MultipleHeadsError(
          `downgrade ${target} from multiple heads (${ids.join(", ")}) is ambiguous; use '<branchname>@${rel.text}' or '<revision>@${rel.text}', e.g. '${ids[0]}@${rel.text}'`,
          target,
          ids,
        );
      }
      symbol = g.idAt(unique[0]!);
      // confine the downgrade to the branch of the head it walks from
      label = symbol;
    }
  }
  const start = getRevision(g, label === null ? symbol : `${label}@${symbol}`);
  // Walk all but the last step; when that lands on a merge point, the last
  // step down is ambiguous as a target but not as an action: undo the merge
  // itself (Alembic stops with "Ambiguous walk").
  const before = walk(g, start, rel.steps + 1, null, target);
  if (typeof before === "number" && g.links.down[before]!.length > 1) return { label, target: before, inclusive: true };
  const r = before === undefined ? undefined : walk(g, before, -1, null, target);
  if (r === undefined) throw rel.symbol === null ? didNotProduce(rel, target) : walkedTooFar(target);
  return { label, target: r };
}
