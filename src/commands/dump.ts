/**
 * `retort dump`: the schema the revisions build (at head, or at `-r REV`),
 * as SQL in dependency order: the revisions are replayed in a scratch
 * PGlite and autogenerate renders what turns a new, empty database into
 * that schema, so no host pg_dump (of the right version) is needed. Prints
 * nothing; returns the SQL.
 */
import { replayedSide, revisionTexts, timed, type Timings } from "../autogenerate/compare.ts";
import { freshDatabaseModel } from "../autogenerate/model.ts";
import { extensionsIn } from "../autogenerate/scratch.ts";
import { diffModels } from "../autogenerate/diff.ts";
import { renderChanges } from "../autogenerate/render.ts";
import { RevisionGraph } from "../core/graph.ts";
import { planUpgrade } from "../core/plan.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { notCompared } from "./autogenerate.ts";

/** Options of `dump`. */
export interface DumpOptions {
  /** every revision, in file-name order */
  readonly revisions: readonly LoadedRevision[];
  /** the revision to dump the schema at (any identifier `upgrade` takes); default: every head */
  readonly revision?: string | undefined;
  /** warnings for stderr: objects the dump cannot write */
  readonly warn?: ((line: string) => void) | undefined;
}

/** What dump produced. */
export interface DumpResult {
  /** the revisions the schema is at ([] for base) */
  readonly heads: readonly string[];
  /** the statements that build the schema in an empty database, each ending with `;` */
  readonly sql: string;
  readonly timings: Timings;
}

/** Replay the revisions to the target and render the schema they build. */
export async function dumpSchema(options: DumpOptions): Promise<DumpResult> {
  const timings: Timings = {};
  const graph = RevisionGraph.build(options.revisions);
  const target = options.revision ?? "heads";
  // planned here too, so a bad -r fails before a scratch database starts, and the heads it ends at are known
  const steps = graph.heads.length === 0 ? [] : planUpgrade(graph, [], target);
  const heads = steps.at(-1)?.to ?? [];
  const side = await replayedSide(options.revisions, {
    targets: steps.length === 0 ? [] : [target],
    extensions: extensionsIn(revisionTexts(options.revisions)),
    timings,
  });
  await side.close();
  for (const line of notCompared(side.model)) options.warn?.(line.replace("Not compared", "Not dumped"));
  const sql = await timed(timings, "render", async () => renderChanges(diffModels(freshDatabaseModel(), side.model)));
  return { heads, sql, timings };
}
