/**
 * --allow-changed values as full revision ids, resolved like any revision
 * argument (src/core/resolve.ts: ids, unique prefixes, branch labels,
 * `head`), with the README's rule that a prefix has at least 4 characters;
 * a revision whose file vanished (the graph no longer knows it) is found
 * among the vanished ids by the same rules. A value that names no revision,
 * names several, or is too short a prefix is a ResolutionError (exit 2)
 * naming the value.
 */
import type { RevisionGraph } from "../core/graph.ts";
import { parseRelative, resolveRevisions } from "../core/resolve.ts";
import { ResolutionError } from "../errors.ts";

/** The shortest prefix --allow-changed takes (README "validate, allow-changed, adoption"). */
export const MIN_ALLOW_CHANGED_PREFIX = 4;

/** Each value's full ids (in the order given); `vanished`: applied revisions the history names whose file is gone. */
export function resolveAllowChanged(graph: RevisionGraph, values: readonly string[], vanished: readonly string[] = []): Map<string, string[]> {
  return new Map(values.map((value) => [value, resolveOne(graph, value, vanished)]));
}

function resolveOne(graph: RevisionGraph, value: string, vanished: readonly string[]): string[] {
  const refuse = (why: string, candidates: readonly string[] = []) => new ResolutionError(`--allow-changed ${value}: ${why}`, value, candidates);
  if (vanished.includes(value)) return [value];
  const exact = graph.indexOf(value) !== undefined || graph.links.labelOwner.has(value);
  const symbolic = value.includes("@") || parseRelative(value) !== null || ["head", "heads", "base"].includes(value);
  if (!exact && !symbolic && value.length < MIN_ALLOW_CHANGED_PREFIX) {
    throw refuse(`a revision id prefix needs at least ${MIN_ALLOW_CHANGED_PREFIX} characters; give more of the id`);
  }
  const fromVanished = exact || symbolic ? [] : vanished.filter((id) => id.startsWith(value));
  let ids: string[];
  try {
    ids = resolveRevisions(graph, value);
  } catch (error) {
    if (!(error instanceof ResolutionError)) throw error;
    if (fromVanished.length === 0 || error.candidates.length > 0) throw refuse(error.message, error.candidates);
    ids = [];
  }
  const all = [...new Set([...ids, ...fromVanished])];
  if (all.length === 0) throw refuse("names no revision; give the id of an applied revision whose file changed or vanished");
  if (fromVanished.length > 0 && all.length > 1) {
    throw refuse(`Multiple revisions start with '${value}': ${all.map((id) => `'${id}'`).join(", ")}; give more characters of the revision id`, all);
  }
  return all;
}
