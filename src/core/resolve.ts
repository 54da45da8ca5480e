/**
 * Revision identifiers, resolved the way Alembic's RevisionMap does:
 * `head`, `heads`, `base`, full ids, unique prefixes, branch labels,
 * `label@head`, `rev@head`, `label@base`, `label@heads`, `label@rev`,
 * `-N` / `label@-N` (walked down from the heads) and symbol-relative forms
 * (`head-1`, `rev+2`, `label@rev+1`). Forms relative to the database's
 * current heads (`+N`, `-N`, `label@+N`) are resolved by target.ts, which
 * the planners call with the current heads as the origin.
 */
import { MultipleHeadsError, ResolutionError } from "../errors.ts";
import { ancestors, lineage } from "./closure.ts";
import type { RevisionGraph } from "./graph.ts";

/** Alembic's relative syntax: `[label@][symbol]+N` or `[label@][symbol]-N`. */
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

/** A parsed relative identifier. */
export interface Relative {
  readonly label: string | null;
  readonly symbol: string | null;
  readonly steps: number;
  /** the signed number as typed, e.g. "+2" */
  readonly text: string;
}

/** Parses `[label@][symbol]±N`; null when the identifier is not relative. */
export function parseRelative(identifier: string): Relative | null {
  const m = RELATIVE.exec(identifier);
  if (!m) return null;
  return { label: m[1] ?? null, symbol: m[2] ?? null, steps: Number.parseInt(m[3]!, 10), text: m[3]! };
}

/** The message Alembic gives when `head` (or `label@head`) names several revisions. */
export function multipleHeadsError(argument: string, heads: readonly string[]): MultipleHeadsError {
  const at = argument.indexOf("@");
  const message = at > 0
    ? `Multiple head revisions are present for given argument '${argument}'; please specify a specific target revision, or '${argument.slice(0, at)}@heads' for all heads on that branch (heads: ${heads.join(", ")})`
    : `Multiple head revisions are present for given argument '${argument}'; please specify a specific target revision, '<branchname>@${argument}' to narrow to a specific head, or 'heads' for all heads`;
  return new MultipleHeadsError(message, argument, heads);
}

function unknown(ident: string): ResolutionError {
  const hint = ident.length < 4 ? "; please ensure at least four characters are present for partial revision identifier matches" : "";
  return new ResolutionError(`Can't locate revision identified by '${ident}'${hint}`, ident);
}

/** Alembic's _resolve_revision_number: splits `label@rest` and expands `head`/`heads`/`base` to ids. */
export function resolveNumber(g: RevisionGraph, id: string): { idents: string[]; label: string | null } {
  let label: string | null = null;
  let rest = id;
  const at = id.indexOf("@");
  if (at >= 0) {
    label = id.slice(0, at);
    rest = id.slice(at + 1);
    if (label === "") throw unknown(id);
  }
  if (rest === "heads") {
    if (label === null) return { idents: [...g.realHeads], label };
    return { idents: g.idsAt(filterForLineage(g, indicesOf(g, g.heads), label)), label };
  }
  if (rest === "head") {
    const head = currentHead(g, label);
    return { idents: head === null ? [] : [g.idAt(head)], label };
  }
  if (rest === "base") return { idents: [], label };
  return { idents: [rest], label };
}

function indicesOf(g: RevisionGraph, ids: readonly string[]): number[] {
  return ids.map((id) => g.mustIndex(id));
}

/** The revision a branch label (or a revision id or prefix used as a label) names. */
export function resolveBranch(g: RevisionGraph, label: string): number {
  const direct = g.links.labelOwner.get(label) ?? g.indexOf(label);
  if (direct !== undefined) return direct;
  try {
    return revisionForIdent(g, label, null);
  } catch (err) {
    if (err instanceof ResolutionError) throw new ResolutionError(`No such branch: '${label}'`, label);
    throw err;
  }
}

/** Alembic's _revision_for_ident: an exact id or label, else a unique prefix; checked against a branch. */
export function revisionForIdent(g: RevisionGraph, ident: string, checkBranch: string | null): number {
  const branch = checkBranch === null ? null : resolveBranch(g, checkBranch);
  let rev = g.indexOf(ident) ?? g.links.labelOwner.get(ident);
  if (rev === undefined) {
    if (ident === "") throw unknown(ident);
    let candidates: number[] = [];
    g.revisions.forEach((m, i) => { if (m.id.length > 3 && m.id.startsWith(ident)) candidates.push(i); });
    if (branch !== null) {
      const marks = lineage(g, [branch]);
      candidates = candidates.filter((c) => marks[c]);
    }
    if (candidates.length === 0) throw unknown(ident);
    if (candidates.length > 1) {
      const ids = g.idsAt(candidates);
      const shown = ids.slice(0, 10).map((x) => `'${x}'`).join(", ") + (ids.length > 10 ? `, ... (${ids.length} in all)` : "");
      throw new ResolutionError(`Multiple revisions start with '${ident}': ${shown}; give more characters of the revision id`, ident, ids);
    }
    rev = candidates[0]!;
  }
  if (branch !== null && !lineage(g, [branch])[rev]) {
    throw new ResolutionError(`Revision ${g.idAt(rev)} is not a member of branch '${checkBranch}'`, ident);
  }
  return rev;
}

/** Keeps the targets that share lineage (are ancestors or descendants) with what checkAgainst names. */
export function filterForLineage(g: RevisionGraph, targets: readonly number[], checkAgainst: string, withDeps = false): number[] {
  const { idents, label } = resolveNumber(g, checkAgainst);
  const shares = [...(label === null ? [] : [label]), ...idents];
  if (shares.length === 0) return [...targets];
  const marks = lineage(g, shares.map((s) => revisionForIdent(g, s, null)), withDeps);
  return targets.filter((t) => marks[t]);
}

/** The single head (of a branch, when labelled); MultipleHeadsError when there are several; null when empty. */
export function currentHead(g: RevisionGraph, label: string | null): number | null {
  let heads = indicesOf(g, g.heads);
  if (label !== null) heads = filterForLineage(g, heads, label);
  if (heads.length > 1) throw multipleHeadsError(label === null ? "head" : `${label}@head`, g.idsAt(heads));
  return heads[0] ?? null;
}

/**
 * Alembic's get_revisions for one identifier, as indices; `base` gives [].
 * `-N` and `label@-N` walk down from the heads; `rev+N`, `head-N` walk from that revision.
 */
export function getRevisions(g: RevisionGraph, id: string): number[] {
  const rel = parseRelative(id);
  if (rel !== null) {
    if (rel.symbol === null && rel.steps < 0) {
      let heads = indicesOf(g, g.realHeads);
      if (rel.label !== null) heads = heads.filter((h) => g.labelsByIndex[h]!.includes(rel.label!));
      // heads whose branch is too short are skipped; all of them too short is an error
      const reached = heads.map((h) => walk(g, h, rel.steps, null, id));
      if (reached.length > 0 && reached.every((r) => r === undefined)) throw didNotProduce(rel, id);
      return [...new Set(reached.filter((r): r is number => typeof r === "number"))];
    }
    if (rel.symbol !== null) {
      const start = getRevision(g, rel.label === null ? rel.symbol : `${rel.label}@${rel.symbol}`);
      const r = walk(g, start, rel.steps, rel.steps > 0 ? rel.label : null, id);
      if (r === undefined) throw walkedTooFar(id);
      return r === null ? [] : [r];
    }
    throw new ResolutionError(`Relative revision '${id}' is relative to the database's current revision; use it with upgrade or downgrade`, id);
  }
  const { idents, label } = resolveNumber(g, id);
  return idents.map((ident) => revisionForIdent(g, ident, label));
}

/** Alembic's get_revision: one revision or null for base; MultipleHeadsError when the identifier names several. */
export function getRevision(g: RevisionGraph, id: string): number | null {
  const revs = getRevisions(g, id);
  if (revs.length > 1) throw multipleHeadsError(id, g.idsAt(revs));
  return revs[0] ?? null;
}

/** "Relative revision +2 didn't produce 2 migrations", Alembic's wording. */
export function didNotProduce(rel: Relative, identifier: string): ResolutionError {
  return new ResolutionError(`Relative revision ${rel.text} didn't produce ${Math.abs(rel.steps)} migrations`, identifier);
}

/** A relative walk that ran past a base or a head. */
export function walkedTooFar(identifier: string): ResolutionError {
  return new ResolutionError(`Relative revision '${identifier}' walked too far: there are not that many revisions in that direction`, identifier);
}

/**
 * Alembic's _walk: `steps` up (>0) or down (<0) from `start` (null: below the
 * bases). Returns the revision reached, null for base, or undefined when the
 * walk runs past the end (with clamp, where it stopped instead). Walking up,
 * `label` keeps to that branch's lineage.
 */
export function walk(g: RevisionGraph, start: number | null, steps: number, label: string | null, identifier: string, clamp = false): number | null | undefined {
  const onBranch = label === null ? null : lineage(g, [resolveBranch(g, label)]);
  let cur = start;
  for (let k = 0; k < Math.abs(steps); k++) {
    let options: readonly number[];
    if (steps > 0) {
      options = cur === null ? indicesOf(g, g.bases) : g.links.next[cur]!;
      if (onBranch !== null) options = options.filter((o) => onBranch[o]);
    } else {
      if (cur === null) return clamp ? null : undefined;
      options = g.links.down[cur]!;
      if (options.length === 0) { cur = null; continue; }
    }
    if (options.length === 0) return clamp ? cur : undefined;
    if (options.length > 1) {
      const from = cur === null ? "" : g.idAt(cur);
      const ids = g.idsAt(options);
      const detail = steps < 0
        ? `${from} is a merge point of ${ids.join(", ")}; name the target revision instead`
        : cur === null
          ? `there are several bases (${ids.join(", ")}); use '<branchname>@${identifier.replace(/^.*@/, "")}' or name the target revision`
          : `${from} is a branch point (${ids.join(", ")}); use '<branchname>@+N' or name the target revision`;
      throw new ResolutionError(`Ambiguous walk for '${identifier}': ${detail}`, identifier, ids);
    }
    cur = options[0]!;
  }
  return cur;
}

/** Alembic's get_all_current: the closure of the given rows, reduced to the revisions with no versioned child in it. */
export function allCurrent(g: RevisionGraph, rows: readonly number[]): number[] {
  const closure = ancestors(g, rows);
  const out: number[] = [];
  for (let i = 0; i < closure.length; i++) {
    if (closure[i] && !g.links.next[i]!.some((c) => closure[c])) out.push(i);
  }
  return out;
}

/** Resolves an identifier to revision ids (`base` gives []); throws ResolutionError / MultipleHeadsError. */
export function resolveRevisions(graph: RevisionGraph, identifier: string): string[] {
  return graph.idsAt(getRevisions(graph, identifier.trim()));
}

/** Resolves an identifier that must name at most one revision: its id, or null for base. */
export function resolveRevision(graph: RevisionGraph, identifier: string): string | null {
  const r = getRevision(graph, identifier.trim());
  return r === null ? null : graph.idAt(r);
}

/**
 * The head set an offline `--sql from:to` run starts from: `from` resolved
 * like any identifier (`base` gives no heads; `heads` gives all of them).
 */
export function resolveStartingHeads(graph: RevisionGraph, from: string): string[] {
  const ids = resolveRevisions(graph, from);
  return [...new Set(ids)];
}
