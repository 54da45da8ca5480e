/**
 * `retort diff`: drift. The live database (the resolved --url) against what
 * its revision history says it should be: the revisions it is at, replayed
 * in a scratch PGlite. The result is the SQL that would bring the live
 * database back to the history; the CLI exits 1 when there is any. Prints
 * nothing and never writes to the live database.
 */
import type { SchemaModel } from "../autogenerate/model.ts";
import { liveModel, replayedSide, revisionTexts, timed, type Timings, type VersionTableOptions } from "../autogenerate/compare.ts";
import { describeChange } from "../autogenerate/describe.ts";
import { filterModel, withBookkeeping, type ObjectFilter } from "../autogenerate/filter.ts";
import { extensionsIn } from "../autogenerate/scratch.ts";
import { compareModels, type Comparison } from "../autogenerate/summary.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import type { CacheStore } from "../cache/store.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { formatTimings, notCompared } from "./autogenerate.ts";

/** Options of `diff`. */
export interface DiffOptions extends VersionTableOptions {
  /** the live database (may carry a password; only its redacted form is ever shown) */
  readonly url: string;
  readonly revisions: readonly LoadedRevision[];
  /** which objects to compare (--include/--exclude, [autogenerate] in retort.toml); default: all */
  readonly filter?: ObjectFilter | undefined;
  readonly engineOptions?: EngineOptions | undefined;
  /** an engine that is already open: used instead of opening `url`, and left open */
  readonly engine?: Engine | undefined;
  /** the snapshot cache for the replayed side (default: none, the history is replayed) */
  readonly cache?: CacheStore | undefined;
  /** info lines for stderr: one "Detected …" line per difference */
  readonly log?: ((line: string) => void) | undefined;
  /** warnings for stderr: objects that are not compared */
  readonly warn?: ((line: string) => void) | undefined;
  readonly debug?: ((line: string) => void) | undefined;
}

/** What diff found. */
export interface DiffResult {
  readonly differences: boolean;
  /** the database compared, password redacted */
  readonly url: string;
  /** the revisions it is at, which were replayed to compare against ([] = base: an empty database) */
  readonly heads: readonly string[];
  /** SQL that turns the live database into what its history says (empty when there is no drift) */
  readonly sql: string;
  /** the changes from history to live, as "Detected …" lines: what someone did by hand */
  readonly drift: readonly string[];
  readonly comparison: Comparison;
  readonly timings: Timings;
}

/** Compare the live database with its replayed history. */
export async function diffDatabase(options: DiffOptions): Promise<DiffResult> {
  const timings: Timings = {};
  const live = await liveModel(options.url, { ...options, timings });
  options.debug?.(`Replaying to ${live.heads.join(", ") || "base"} in a scratch PGlite database`);
  const history = await replayedSide(options.revisions, {
    targets: live.heads,
    extensions: extensionsIn(revisionTexts(options.revisions)),
    timings,
    cache: options.cache,
    versionTable: options.versionTable,
    versionTableSchema: options.versionTableSchema,
    debug: options.debug,
  });
  const filter = withBookkeeping(options.filter ?? { include: [], exclude: [] }, options);
  let current: SchemaModel;
  try {
    current = filterModel(await history.reconcile(live.model), filter);
  } finally {
    await history.close();
  }
  const expected = filterModel(history.model, filter);
  for (const line of notCompared(current, expected)) options.warn?.(line);
  // fix-up SQL goes from live to history; the drift lines describe history → live
  const comparison = await timed(timings, "diff", async () => compareModels(current, expected));
  const drift = comparison.downgrade.flatMap(describeChange);
  for (const line of drift) options.log?.(line);
  options.debug?.(`Timings: ${formatTimings(timings)}`);
  return { differences: comparison.upgrade.length > 0, url: live.displayUrl, heads: live.heads, sql: comparison.upgradeSql, drift, comparison, timings };
}
