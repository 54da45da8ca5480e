/**
 * Upgrade, downgrade and stamp plans: the steps in the order Alembic runs
 * them, each with the "Running upgrade a -> b" ids and the alembic_version
 * changes that bring the table from the heads before the step to the heads
 * after it, so the runtime only applies them.
 */
import { MultipleHeadsError, ResolutionError, UsageError } from "../errors.ts";
import { ancestors, descendants, lineage } from "./closure.ts";
import { collectDowngrade, collectUpgrade } from "./collect.ts";
import type { RevisionGraph } from "./graph.ts";
import { filterForLineage, getRevisions, multipleHeadsError, parseRelative } from "./resolve.ts";
import { parseUpgradeTarget } from "./target.ts";
import { topologicalSort } from "./toposort.ts";
import type { PlannedStep } from "./types.ts";
import { VersionRows } from "./versions.ts";

/**
 * Checks the database's current heads: each must be a known revision, and
 * none may be an ancestor of another (the table would contradict itself).
 */
export function currentIndices(g: RevisionGraph, currentHeads: readonly string[]): number[] {
  const out: number[] = [];
  for (const id of currentHeads) {
    const i = g.indexOf(id);
    if (i === undefined) {
      throw new ResolutionError(`Can't locate revision identified by '${id}', which the version table lists as current; restore its file or fix the table with 'stamp --purge'`, id);
    }
    if (!out.includes(i)) out.push(i);
  }
  if (out.length > 1) {
    for (const i of out) {
      const above = descendants(g, [i]);
      const later = out.find((j) => j !== i && above[j]);
      if (later !== undefined) {
        throw new ResolutionError(
          `The version table lists both ${g.idAt(i)} and ${g.idAt(later)}, but ${g.idAt(i)} is an ancestor of ${g.idAt(later)}; fix the table with 'stamp --purge ${g.idAt(later)}'`,
          g.idAt(i),
          [g.idAt(i), g.idAt(later)],
        );
      }
    }
  }
  return out;
}

/** The steps of `upgrade <target>` from the current heads (relative targets count from them). */
export function planUpgrade(graph: RevisionGraph, currentHeads: readonly string[], target: string): PlannedStep[] {
  const g = graph;
  const current = currentIndices(g, currentHeads);
  const { todo, heads } = withTargetMessages(target, () => collectUpgrade(g, target.trim(), current, { inclusive: false, implicitBase: true }));
  const order = topologicalSort(g, todo, heads).reverse();
  const rows = new VersionRows(g, current);
  return order.map((r) => {
    const meta = g.revisions[r]!;
    return {
      direction: "up",
      run: meta.id,
      revision: meta.id,
      from: [...meta.downRevisions],
      to: [meta.id],
      message: meta.message,
      versionChanges: rows.upgrade(r),
    };
  });
}

/**
 * Whether a `from:to` range that upgrades nothing names its ends the wrong
 * way round: `to` is below the heads `from` stands for (`head:base`, `b:a`),
 * not at them (`head:head`, an empty range). Ask only when planUpgrade from
 * those heads to `to` returned no step.
 */
export function rangeIsReversed(graph: RevisionGraph, heads: readonly string[], to: string): boolean {
  const current = currentIndices(graph, heads);
  const targets = parseUpgradeTarget(graph, current, to.trim());
  return targets.length === 0 ? current.length > 0 : targets.some((t) => !current.includes(t));
}

function withTargetMessages<T>(target: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    // Alembic reports a multiple-heads problem in terms of the destination as typed
    if (err instanceof MultipleHeadsError && err.identifier === "head" && target.trim() !== "head") {
      throw multipleHeadsError(target.trim(), err.candidates);
    }
    throw err;
  }
}

/** The steps of `downgrade <target>` from the current heads; other branches stay untouched. */
export function planDowngrade(graph: RevisionGraph, currentHeads: readonly string[], target: string): PlannedStep[] {
  const g = graph;
  const current = currentIndices(g, currentHeads);
  const { todo, heads } = withTargetMessages(target, () => collectDowngrade(g, current, target.trim()));
  const order = topologicalSort(g, todo, heads);
  const rows = new VersionRows(g, current);
  return order.map((r) => {
    const meta = g.revisions[r]!;
    return {
      direction: "down",
      run: meta.id,
      revision: meta.id,
      from: [meta.id],
      to: [...meta.downRevisions],
      message: meta.message,
      versionChanges: rows.downgrade(r),
    };
  });
}

/**
 * The steps of `stamp <targets...>`: no script runs, only alembic_version
 * changes. Each target takes the place of the current heads that share its
 * lineage (moving them up or down onto it), or becomes a new branch head;
 * `base` / `label@base` delete the heads of that lineage. With several
 * targets the table ends at all of them (a target below another one adds no
 * row; Alembic can leave both, or drop one). `stamp --purge` empties the
 * table before it plans (the runner's purge), so it plans from no heads.
 */
export function planStamp(graph: RevisionGraph, currentHeads: readonly string[], targets: readonly string[]): PlannedStep[] {
  const g = graph;
  const steps: PlannedStep[] = [];
  const rows = new VersionRows(
    g,
    currentHeads.map((id) => {
      const i = g.indexOf(id);
      if (i === undefined) {
        throw new ResolutionError(`Can't locate revision identified by '${id}', which the version table lists as current; use 'stamp --purge' to replace the table's rows`, id);
      }
      return i;
    }),
  );

  const stampStep = (from: readonly number[], to: number | null, up: boolean): void => {
    const changes = rows.stamp(from, to);
    if (changes.length === 0) return;
    const fromIds = g.idsAt(from);
    const toIds = to === null ? [] : [g.idAt(to)];
    steps.push({ direction: up ? "up" : "down", run: null, revision: toIds[0] ?? fromIds[0]!, from: fromIds, to: toIds, message: "", versionChanges: changes });
  };

  for (const target of targets) {
    // `-1` would resolve to head-1 (as show does); for stamp that silently moves the table the wrong way
    const rel = parseRelative(target.trim());
    if (rel !== null && rel.symbol === null) {
      throw new ResolutionError(
        `Relative revision '${target}' is relative to the database's current revision; stamp needs an absolute one (an id, head-1, label@head)`,
        target,
      );
    }
  }
  const resolved = [...new Set((targets.length === 0 ? ["base"] : targets).map((t) => t.trim()))].map((target) => ({ target, dests: stampDestinations(g, target) }));
  const baseLike = resolved.filter((r) => r.dests.length === 0);
  if (baseLike.length > 0) {
    if (baseLike.length < resolved.length) {
      // Alembic silently ignores the base targets here; say so instead
      throw new UsageError(`Cannot stamp ${baseLike.map((r) => `'${r.target}'`).join(", ")} together with revisions; run one stamp for the base target(s) and another for the revisions`);
    }
    for (const { target } of baseLike) {
      for (const head of filterForLineage(g, rows.heads, target, true)) stampStep([head], null, false);
    }
    return steps;
  }

  // A destination that another destination already implies is not a row of
  // its own; the current heads on its lineage move to the one implying it.
  const all = [...new Set(resolved.flatMap((r) => r.dests))];
  const belowOf = new Map(all.map((d) => [d, ancestors(g, [d])]));
  const owner = new Map<number, number>();
  for (const d of all) owner.set(d, all.find((e) => e !== d && belowOf.get(e)![d]) ?? d);
  const assigned = new Map<number, number[]>();
  const lineages = all.map((d) => lineage(g, [d], true));
  for (const row of rows.heads) {
    const at = lineages.findIndex((marks) => marks[row]);
    if (at < 0) continue;
    let dest = all[at]!;
    while (owner.get(dest) !== dest) dest = owner.get(dest)!;
    assigned.set(dest, [...(assigned.get(dest) ?? []), row]);
  }
  for (const dest of all) {
    if (owner.get(dest) !== dest) continue;
    const moved = (assigned.get(dest) ?? []).filter((r) => r !== dest);
    if (rows.has(dest)) {
      // already a row: the other heads that belong here are dropped
      for (const r of moved) stampStep([r], null, false);
      continue;
    }
    const above = descendants(g, [dest]);
    stampStep(moved, dest, !moved.some((h) => above[h]));
  }
  return steps;
}

function stampDestinations(g: RevisionGraph, target: string): number[] {
  try {
    return getRevisions(g, target);
  } catch (err) {
    if (err instanceof MultipleHeadsError) {
      throw new MultipleHeadsError(
        `Multiple heads are present; please specify a single target revision (or 'heads' to stamp all of them): ${err.candidates.join(", ")}`,
        target,
        err.candidates,
      );
    }
    throw err;
  }
}
