/**
 * Validates a list of revisions and links them into index-based adjacency
 * lists: the raw material of RevisionGraph. Indices are positions in the
 * input (file-name order), so every list built here is in file order and
 * every later choice between equal candidates is deterministic.
 */
import { GraphError } from "../errors.ts";
import type { RevisionMeta } from "./types.ts";

/** Names that identifiers reserve (`head`, `heads`, `base`, `current`); no revision or label may use them. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(["head", "heads", "base", "current"]);

type Lists = readonly (readonly number[])[];

/** The linked form of a validated revision list. Every list holds indices into `metas`. */
export interface Linked {
  readonly metas: readonly RevisionMeta[];
  readonly index: ReadonlyMap<string, number>;
  /** branch label → index of the revision that declares it */
  readonly labelOwner: ReadonlyMap<string, number>;
  /** own branch labels per revision, deduplicated, as written */
  readonly ownLabels: readonly (readonly string[])[];
  /** versioned parents (Alembic's _versioned_down_revisions), as written */
  readonly down: Lists;
  /** resolved dependencies (_resolved_dependencies), as written, deduplicated */
  readonly deps: Lists;
  /** dependencies minus those already implied by a versioned ancestor (_normalized_resolved_dependencies) */
  readonly normDeps: Lists;
  /** down + normDeps (_normalized_down_revisions) */
  readonly normDown: Lists;
  /** down + deps (_all_down_revisions) */
  readonly allDown: Lists;
  /** versioned children (nextrev) */
  readonly next: Lists;
  /** children through parents or dependencies (_all_nextrev) */
  readonly allNext: Lists;
  /** a topological order: every revision after its parents and dependencies */
  readonly order: readonly number[];
}

const ILLEGAL_ID_CHARS = /[@+\-:,\s]/;

function where(meta: RevisionMeta): string {
  return `${meta.id} (${meta.path})`;
}

/** Validates the revisions (ids, labels, parents, dependencies, cycles) and links them; throws GraphError. */
export function link(revisions: readonly RevisionMeta[]): Linked {
  const metas = revisions;
  const n = metas.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const meta = metas[i]!;
    checkId(meta);
    const seen = index.get(meta.id);
    if (seen !== undefined) {
      throw new GraphError(
        `Revision ${meta.id} is present more than once: ${metas[seen]!.path} and ${meta.path}; give one of them a new revision id`,
        [meta.id],
      );
    }
    index.set(meta.id, i);
  }

  const { labelOwner, ownLabels } = collectLabels(metas, index);
  const down = metas.map((meta) => linkParents(meta, index));
  const deps = metas.map((meta) => linkDependencies(meta, metas, index, labelOwner));
  const allDown = down.map((parents, i) => joined(parents, deps[i]!));

  const anyDeps = deps.some((d) => d.length > 0);
  const next = childLists(n, down);
  const allNext = anyDeps ? childLists(n, allDown) : next;
  const versionedOrder = checkCycles(metas, down, next, "Cycle");
  const order = anyDeps ? checkCycles(metas, allDown, allNext, "Dependency cycle") : versionedOrder;

  const normDeps = anyDeps ? normalizeDependencies(n, down, deps, order) : deps;
  const normDown = down.map((parents, i) => joined(parents, normDeps[i]!));
  return { metas, index, labelOwner, ownLabels, down, deps, normDeps, normDown, allDown, next, allNext, order };
}

/** Why the graph cannot hold a revision with this id (identifier syntax, reserved names), or undefined. */
export function graphIdProblem(id: string): string | undefined {
  if (id === "") return "the revision id is empty";
  const bad = id.match(ILLEGAL_ID_CHARS);
  if (bad) return `${/\s/.test(bad[0]) ? "whitespace" : `'${bad[0]}'`} is not allowed in revision identifier '${id}'`;
  if (RESERVED_NAMES.has(id)) return `'${id}' is a reserved name and cannot be a revision id`;
  return undefined;
}

function checkId(meta: RevisionMeta): void {
  const problem = graphIdProblem(meta.id);
  if (problem !== undefined) throw new GraphError(`${meta.path}: ${problem}`, meta.id === "" ? [] : [meta.id]);
}

function collectLabels(metas: readonly RevisionMeta[], index: ReadonlyMap<string, number>) {
  const labelOwner = new Map<string, number>();
  const ownLabels: (readonly string[])[] = [];
  metas.forEach((meta, i) => {
    const labels = meta.branchLabels.length === 0 ? NONE : dedupe(meta.branchLabels);
    for (const label of labels) {
      if (label === "" || label.includes("@") || /\s/.test(label) || RESERVED_NAMES.has(label)) {
        throw new GraphError(`Branch name '${label}' in revision ${where(meta)} is not usable; branch names cannot be empty, contain '@' or whitespace, or be head, heads, base or current`, [meta.id]);
      }
      const asRevision = index.get(label);
      if (asRevision !== undefined) {
        throw new GraphError(`Branch name '${label}' in revision ${where(meta)} is also the id of revision ${where(metas[asRevision]!)}; rename the branch`, [meta.id, label]);
      }
      const owner = labelOwner.get(label);
      if (owner !== undefined) {
        const other = metas[owner]!;
        throw new GraphError(`Branch name '${label}' in revision ${where(meta)} already used by revision ${where(other)}`, [meta.id, other.id]);
      }
      labelOwner.set(label, i);
    }
    ownLabels.push(labels);
  });
  return { labelOwner, ownLabels };
}

function linkParents(meta: RevisionMeta, index: ReadonlyMap<string, number>): readonly number[] {
  if (meta.downRevisions.length === 0) return NONE;
  const parents: number[] = [];
  for (const id of meta.downRevisions) {
    if (id === meta.id) throw new GraphError(`Self-loop is detected in revisions (${meta.id}): ${meta.path} revises itself`, [meta.id]);
    const parent = index.get(id);
    if (parent === undefined) {
      throw new GraphError(`Revision ${id} referenced from ${where(meta)} is not present; fix its down revision or restore the missing file`, [meta.id]);
    }
    if (parents.includes(parent)) throw new GraphError(`Revision ${where(meta)} lists down revision ${id} twice`, [meta.id]);
    parents.push(parent);
  }
  return parents;
}

function linkDependencies(
  meta: RevisionMeta,
  metas: readonly RevisionMeta[],
  index: ReadonlyMap<string, number>,
  labelOwner: ReadonlyMap<string, number>,
): readonly number[] {
  if (meta.dependsOn.length === 0) return NONE;
  const deps: number[] = [];
  for (const name of meta.dependsOn) {
    const dep = index.get(name) ?? labelOwner.get(name) ?? dependencyByPrefix(meta, name, metas);
    if (metas[dep]!.id === meta.id) {
      throw new GraphError(`Dependency self-loop is detected in revisions (${meta.id}): ${meta.path} depends on itself`, [meta.id]);
    }
    if (!deps.includes(dep)) deps.push(dep);
  }
  return deps;
}

/** A dependency may name a unique prefix of a revision id (at least four characters long ids, as in Alembic). */
function dependencyByPrefix(meta: RevisionMeta, name: string, metas: readonly RevisionMeta[]): number {
  const matches: number[] = [];
  if (name !== "") metas.forEach((m, i) => { if (m.id.length > 3 && m.id.startsWith(name)) matches.push(i); });
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new GraphError(`Revision ${where(meta)} depends on '${name}', which names no revision or branch label; fix its dependencies`, [meta.id]);
  }
  const names = matches.map((i) => metas[i]!.id).join(", ");
  throw new GraphError(`Revision ${where(meta)} depends on '${name}', which is the start of several revisions (${names}); write the full revision id`, [meta.id]);
}

function childLists(n: number, parents: Lists): (readonly number[])[] {
  const children: number[][] = new Array(n);
  // children are pushed in increasing index order, so each list is in file order
  for (let child = 0; child < n; child++) {
    for (const p of parents[child]!) (children[p] ??= []).push(child);
  }
  const out: (readonly number[])[] = children;
  for (let i = 0; i < n; i++) out[i] ??= NONE;
  return out;
}

/** Kahn's algorithm; on failure names the revisions that sit on a cycle. Returns a topological order. */
function checkCycles(metas: readonly RevisionMeta[], parents: Lists, children: Lists, kind: string): number[] {
  const n = metas.length;
  const pending = parents.map((ps) => ps.length);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) order.push(i);
  for (let k = 0; k < order.length; k++) {
    for (const c of children[order[k]!]!) {
      if (--pending[c]! === 0) order.push(c);
    }
  }
  if (order.length === n) return order;

  // What is left is the cycles plus everything above them; peel off the
  // revisions with no child left in the set, which leaves the cycles proper.
  const left = new Uint8Array(n);
  const outDegree = new Int32Array(n);
  for (let i = 0; i < n; i++) if (pending[i]! > 0) left[i] = 1;
  const peel: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!left[i]) continue;
    for (const c of children[i]!) if (left[c]) outDegree[i]!++;
    if (outDegree[i] === 0) peel.push(i);
  }
  while (peel.length > 0) {
    const i = peel.pop()!;
    left[i] = 0;
    for (const p of parents[i]!) if (left[p] && --outDegree[p]! === 0) peel.push(p);
  }
  const onCycle = metas.filter((_, i) => left[i]);
  const ids = onCycle.map((m) => m.id).sort();
  const files = onCycle.map((m) => m.path).join(", ");
  throw new GraphError(`${kind} is detected in revisions (${ids.join(", ")}); check the down revisions and dependencies in ${files}`, ids);
}

/**
 * Alembic drops from a revision's dependencies those that a versioned
 * ancestor already depends on. The inherited sets are shared along plain
 * chains so that long histories stay linear.
 */
function normalizeDependencies(n: number, down: Lists, deps: Lists, order: readonly number[]): (readonly number[])[] {
  const inherited: (ReadonlySet<number> | null)[] = new Array(n).fill(null);
  const normDeps: (readonly number[])[] = new Array(n).fill(NONE);
  for (const i of order) {
    let acc: Set<number> | null = null;
    let shared: ReadonlySet<number> | null = null;
    for (const p of down[i]!) {
      const fromParent = inherited[p]!;
      const parentDeps = deps[p]!;
      if (acc === null && shared === null && parentDeps.length === 0) {
        shared = fromParent;
        continue;
      }
      acc ??= new Set(shared ?? []);
      if (fromParent) for (const d of fromParent) acc.add(d);
      for (const d of parentDeps) acc.add(d);
    }
    const set: ReadonlySet<number> | null = acc ?? shared;
    inherited[i] = set;
    const own = deps[i]!;
    normDeps[i] = own.length === 0 || set === null ? own : own.filter((d) => !set.has(d));
  }
  return normDeps;
}

const NONE: readonly never[] = [];

/** Parents followed by extra revisions not already among them (shares the parents list when nothing is added). */
function joined(parents: readonly number[], extra: readonly number[]): readonly number[] {
  if (extra.length === 0) return parents;
  const out = [...parents];
  for (const e of extra) if (!out.includes(e)) out.push(e);
  return out;
}

/** Removes repeated values, keeping the first occurrence. */
export function dedupe<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
