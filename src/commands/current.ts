/** `retort current`: the revisions alembic_version holds. Read-only: never creates the table. */
import type { RevisionGraph } from "../core/graph.ts";
import { redactUrl } from "../config/url.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { currentHeads } from "../runtime/migrate.ts";

/** Options of current (and of history -i, which needs the same heads). */
export interface CurrentOptions {
  readonly url: string;
  readonly versionTable?: string | undefined;
  readonly versionTableSchema?: string | null | undefined;
  /** when given, each row says whether it is a head of the graph and whether the graph knows it */
  readonly graph?: RevisionGraph | undefined;
  readonly engineOptions?: EngineOptions | undefined;
  readonly engine?: Engine | undefined;
  /** stderr notes (a pglite:<dir> that holds no database) */
  readonly log?: ((line: string) => void) | undefined;
}

/** One row of alembic_version. */
export interface CurrentEntry {
  readonly revision: string;
  /** the graph has a revision with this id */
  readonly known: boolean;
  /** it is one of the graph's heads (Alembic prints "(head)") */
  readonly isHead: boolean;
}

/** What current found. */
export interface CurrentResult {
  /** the database URL, password redacted */
  readonly url: string;
  /** the ids in alembic_version, sorted */
  readonly heads: string[];
  readonly entries: CurrentEntry[];
}

/** Read the current heads. */
export async function current(options: CurrentOptions): Promise<CurrentResult> {
  const heads = await currentHeads(options);
  const graphHeads = new Set(options.graph?.heads ?? []);
  const entries = heads.map((revision) => ({
    revision,
    known: options.graph === undefined ? true : options.graph.has(revision),
    isHead: graphHeads.has(revision),
  }));
  return { url: redactUrl(options.url), heads, entries };
}
