/**
 * Text exactly as Alembic prints it (script/base.py Script.log_entry and
 * _head_only, command.py history/heads/branches/show/current), plus one
 * JSON-friendly object per revision for --json. Every function returns the
 * complete stdout text, trailing newline included; "" when there is nothing.
 * Where Alembic prints a set (branch labels, "Branches into"), the order
 * here is file order, so output is stable.
 */
import type { RevisionGraph } from "./graph.ts";

interface LineOptions {
  readonly includeBranches?: boolean;
  readonly includeDoc?: boolean;
  readonly includeParents?: boolean;
  readonly treeIndicators?: boolean;
  readonly current?: boolean;
}

function downText(g: RevisionGraph, id: string): string {
  const down = g.get(id).downRevisions;
  return down.length === 0 ? "<base>" : down.join(", ");
}

/** Alembic's Script._head_only: the one-line form used by history, heads, branches and current. */
function headOnly(g: RevisionGraph, id: string, o: LineOptions): string {
  // one index lookup, then the graph's arrays: this runs once per revision in `history`
  const i = g.mustIndex(id);
  const meta = g.revisions[i]!;
  const { next, allNext, down } = g.links;
  let text = id;
  if (o.includeParents) {
    const d = meta.downRevisions.length === 0 ? "<base>" : meta.downRevisions.join(", ");
    text = meta.dependsOn.length > 0 ? `${d} (${meta.dependsOn.join(", ")}) -> ${text}` : `${d} -> ${text}`;
  }
  const labels = g.labelsByIndex[i]!;
  if (o.includeBranches && labels.length > 0) text += ` (${labels.join(", ")})`;
  const realHead = allNext[i]!.length === 0;
  if (realHead) text += " (head)";
  else if (next[i]!.length === 0) text += " (effective head)";
  if (o.current) text += " (current)";
  if (o.treeIndicators ?? true) {
    if (next[i]!.length > 1) text += " (branchpoint)";
    if (down[i]!.length > 1) text += " (mergepoint)";
  }
  if (o.includeDoc) text += `, ${meta.message}`;
  return text;
}

/** Alembic's Script.log_entry: the verbose block of `history -v`, `show`, `heads -v`, `current -v`. */
export function formatLogEntry(graph: RevisionGraph, id: string, options: { current?: boolean } = {}): string {
  const g = graph;
  const meta = g.get(id);
  let entry = `Rev: ${id}${g.isHead(id) ? " (head)" : ""}${g.isBranchPoint(id) ? " (branchpoint)" : ""}${g.isMergePoint(id) ? " (mergepoint)" : ""}${options.current ? " (current)" : ""}\n`;
  entry += g.isMergePoint(id) ? `Merges: ${downText(g, id)}\n` : `Parent: ${downText(g, id)}\n`;
  if (meta.dependsOn.length > 0) entry += `Also depends on: ${meta.dependsOn.join(", ")}\n`;
  if (g.isBranchPoint(id)) entry += `Branches into: ${g.children(id).join(", ")}\n`;
  const labels = g.branchLabels(id);
  if (labels.length > 0) entry += `Branch names: ${labels.join(", ")}\n`;
  entry += `Path: ${meta.path}\n`;
  const doc = meta.doc.trim();
  const lines = doc === "" ? [] : doc.split(/\r\n|\r|\n/);
  entry += `\n${lines.map((line) => `    ${line}`).join("\n")}\n`;
  return entry;
}

/** `history` output for the given revisions (from historyRevisions); `current` marks rows with "(current)" (history -i). */
export function formatHistory(graph: RevisionGraph, ids: readonly string[], options: { verbose?: boolean; current?: readonly string[] } = {}): string {
  const current = options.current ? new Set(options.current) : null;
  return ids
    .map((id) => {
      const isCurrent = current?.has(id) ?? false;
      return options.verbose
        ? `${formatLogEntry(graph, id, { current: isCurrent })}\n`
        : `${headOnly(graph, id, { includeBranches: true, includeDoc: true, includeParents: true, current: isCurrent })}\n`;
    })
    .join("");
}

/** `heads` / `heads -v` output for the given revisions (from headRevisions). */
export function formatHeads(graph: RevisionGraph, ids: readonly string[], options: { verbose?: boolean } = {}): string {
  return ids
    .map((id) => (options.verbose ? formatLogEntry(graph, id) : headOnly(graph, id, { includeBranches: true, treeIndicators: false })) + "\n")
    .join("");
}

/** `branches` / `branches -v` output for the given branch points (from branchPointRevisions). */
export function formatBranches(graph: RevisionGraph, ids: readonly string[], options: { verbose?: boolean } = {}): string {
  const verbose = options.verbose ?? false;
  return ids
    .map((id) => {
      const head = verbose ? formatLogEntry(graph, id) : headOnly(graph, id, { includeBranches: true });
      const pad = " ".repeat(id.length);
      const children = graph
        .children(id)
        .map((child) => `${pad} -> ${headOnly(graph, child, { includeBranches: true, includeDoc: verbose })}`)
        .join("\n");
      return `${head}\n${children}\n\n`;
    })
    .join("");
}

/** `current` / `current -v` lines for the given revisions (from currentRevisions); the -v header line is the caller's. */
export function formatCurrent(graph: RevisionGraph, ids: readonly string[], options: { verbose?: boolean } = {}): string {
  return ids.map((id) => (options.verbose ? formatLogEntry(graph, id) : headOnly(graph, id, {})) + "\n").join("");
}

/** `show` output: the verbose block of each revision. */
export function formatShow(graph: RevisionGraph, ids: readonly string[]): string {
  return ids.map((id) => `${formatLogEntry(graph, id)}\n`).join("");
}

/**
 * One revision for --json output. Shape (stable; keys camelCase):
 * ```
 * { id: string, downRevisions: string[], dependsOn: string[] (as written),
 *   resolvedDependsOn: string[] (revision ids), branchLabels: string[] (declared here),
 *   effectiveBranchLabels: string[] (declared here or inherited along the branch),
 *   nextRevisions: string[] (revisions that revise this one), message: string,
 *   createDate: string | null, path: string, doc: string,
 *   isHead: boolean (nothing revises it), isRealHead: boolean (nothing revises or depends on it),
 *   isBase: boolean, isBranchPoint: boolean, isMergePoint: boolean,
 *   isCurrent?: boolean (present when the caller knows the current rows) }
 * ```
 */
export interface RevisionJson {
  readonly id: string;
  readonly downRevisions: readonly string[];
  readonly dependsOn: readonly string[];
  readonly resolvedDependsOn: readonly string[];
  readonly branchLabels: readonly string[];
  readonly effectiveBranchLabels: readonly string[];
  readonly nextRevisions: readonly string[];
  readonly message: string;
  readonly createDate: string | null;
  readonly path: string;
  readonly doc: string;
  readonly isHead: boolean;
  readonly isRealHead: boolean;
  readonly isBase: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
  readonly isCurrent?: boolean;
}

/** The --json object for one revision; pass the current rows to get isCurrent. */
export function revisionJson(graph: RevisionGraph, id: string, options: { current?: readonly string[] } = {}): RevisionJson {
  const meta = graph.get(id);
  return {
    id,
    downRevisions: [...meta.downRevisions],
    dependsOn: [...meta.dependsOn],
    resolvedDependsOn: graph.resolvedDependsOn(id),
    branchLabels: [...new Set(meta.branchLabels)],
    effectiveBranchLabels: [...graph.branchLabels(id)],
    nextRevisions: graph.children(id),
    message: meta.message,
    createDate: meta.createDate,
    path: meta.path,
    doc: meta.doc,
    isHead: graph.isHead(id),
    isRealHead: graph.isRealHead(id),
    isBase: graph.isBase(id),
    isBranchPoint: graph.isBranchPoint(id),
    isMergePoint: graph.isMergePoint(id),
    ...(options.current ? { isCurrent: options.current.includes(id) } : {}),
  };
}
