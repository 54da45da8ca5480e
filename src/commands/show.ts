/** `retort show REV`: the revisions an identifier denotes; `current` reads them from the database, as Alembic's show does. */
import type { RevisionGraph } from "../core/graph.ts";
import { resolveRevisions } from "../core/resolve.ts";
import { ResolutionError } from "../errors.ts";
import { current, type CurrentOptions } from "./current.ts";

/** The ids `rev` denotes; `database` is read only for `current`. */
export async function show(graph: RevisionGraph, rev: string, database?: Omit<CurrentOptions, "graph">): Promise<string[]> {
  if (rev !== "current") return resolveRevisions(graph, rev);
  if (database === undefined) throw new TypeError("show current needs a database");
  const result = await current({ ...database, graph });
  const unknown = result.entries.filter((e) => !e.known).map((e) => e.revision);
  if (unknown.length > 0) throw new ResolutionError(`Can't locate revision identified by '${unknown.join(", ")}', which the version table lists as current`, unknown[0]!);
  return result.heads;
}
