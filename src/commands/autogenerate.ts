/**
 * `retort revision --autogenerate -m MSG`: replay the revisions to head in a
 * scratch PGlite (or read a live database at head with --against), load the
 * declarative schema into another, and write a SQL revision whose upgrade
 * turns head into the declared schema and whose downgrade turns it back.
 * Nothing to change: nothing is written. Prints nothing; returns what it did.
 */
import { RevisionGraph } from "../core/graph.ts";
import type { EngineOptions } from "../drivers/engine.ts";
import { declaredSide, liveModel, replayedSide, requireAtHeads, revisionTexts, timed, type Timings, type VersionTableOptions } from "../autogenerate/compare.ts";
import type { SchemaModel } from "../autogenerate/model.ts";
import { filterModel, withBookkeeping, type ObjectFilter } from "../autogenerate/filter.ts";
import { extensionsIn } from "../autogenerate/scratch.ts";
import { readSchemaFiles } from "../autogenerate/schema-source.ts";
import { compareModels, type Comparison } from "../autogenerate/summary.ts";
import type { CacheStore } from "../cache/store.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { newRevisionSpec, renderRevisionFile, writeRevisionFile, type NewRevisionRequest } from "./revision.ts";

/** Inputs shared by autogenerate and check. */
export interface SchemaCompareOptions extends VersionTableOptions {
  /** every revision, in file-name order */
  readonly revisions: readonly LoadedRevision[];
  /** the declarative schema: a .sql file or a directory of them (see resolveSchemaPath) */
  readonly schemaPath: string;
  /** compare this live database (which must be at head) instead of replaying the revisions */
  readonly against?: string | undefined;
  /** which objects to compare (--include/--exclude, [autogenerate] in retort.toml); default: all */
  readonly filter?: ObjectFilter | undefined;
  readonly engineOptions?: EngineOptions | undefined;
  /** the snapshot cache for both scratch sides (default: none, everything is replayed) */
  readonly cache?: CacheStore | undefined;
  /** info lines for stderr: "Detected …" summary lines */
  readonly log?: ((line: string) => void) | undefined;
  /** warnings for stderr: destructive steps */
  readonly warn?: ((line: string) => void) | undefined;
  /** verbose-only lines: progress and timings */
  readonly debug?: ((line: string) => void) | undefined;
}

/** Options of `revision --autogenerate`. */
export interface AutogenerateOptions extends SchemaCompareOptions {
  /** where the new revision file goes */
  readonly revisionsDir: string;
  /** -m, --rev-id, --head, --splice, --branch-label, --depends-on as for a plain revision */
  readonly request: NewRevisionRequest;
  readonly now?: Date | undefined;
}

/** What autogenerate did. */
export interface AutogenerateResult {
  /** the file written, or null when the schema already matches */
  readonly path: string | null;
  readonly revision: string | null;
  readonly comparison: Comparison;
  /** phase durations in milliseconds */
  readonly timings: Timings;
}

/** The two models to compare: head (replayed or live) and declared, head's equivalent definitions reconciled with declared's. */
export async function headAndDeclared(options: SchemaCompareOptions, timings: Timings): Promise<{ head: SchemaModel; declared: SchemaModel }> {
  const files = readSchemaFiles(options.schemaPath);
  const extensions = extensionsIn([...files.map((f) => f.text), ...revisionTexts(options.revisions)]);
  let head: SchemaModel;
  if (options.against !== undefined) {
    const live = await liveModel(options.against, { ...options, timings });
    requireAtHeads(options.revisions, live.heads, live.displayUrl);
    head = live.model;
    options.debug?.(`Read ${live.displayUrl} at ${live.heads.join(", ") || "base"}`);
  } else {
    options.debug?.(`Replaying ${options.revisions.length} revision(s) in a scratch PGlite database`);
    const replayed = await replayedSide(options.revisions, { extensions, timings, cache: options.cache, versionTable: options.versionTable, versionTableSchema: options.versionTableSchema, debug: options.debug });
    await replayed.close();
    head = replayed.model;
  }
  options.debug?.(`Loading the declared schema from ${options.schemaPath}`);
  const declared = await declaredSide(files, { extensions, timings, cache: options.cache, label: `schema ${options.schemaPath}`, debug: options.debug });
  try {
    const filter = withBookkeeping(options.filter ?? { include: [], exclude: [] }, options);
    return { head: filterModel(await declared.reconcile(head), filter), declared: filterModel(declared.model, filter) };
  } finally {
    await declared.close();
  }
}

/** Compare head with the declared schema and report the findings through the option callbacks. */
export async function compareWithSchema(options: SchemaCompareOptions, timings: Timings): Promise<Comparison> {
  const { head, declared } = await headAndDeclared(options, timings);
  for (const line of notCompared(head, declared)) options.warn?.(line);
  const comparison = await timed(timings, "diff", async () => compareModels(head, declared));
  for (const line of comparison.summary) options.log?.(line);
  for (const line of comparison.destructive) options.warn?.(`Destructive: ${line}`);
  options.debug?.(`Timings: ${formatTimings(timings)}`);
  return comparison;
}

/** `revision --autogenerate`. */
export async function autogenerateRevision(options: AutogenerateOptions): Promise<AutogenerateResult> {
  // decide parents and id before the slow part: a bad --head fails at once
  const spec = newRevisionSpec(RevisionGraph.build(options.revisions), options.request);
  const timings: Timings = {};
  const comparison = await compareWithSchema(options, timings);
  if (comparison.upgrade.length === 0) {
    options.log?.("No changes in schema detected; no revision written.");
    return { path: null, revision: null, comparison, timings };
  }
  const autocommit = comparison.upgradeNeedsAutocommit || comparison.downgradeNeedsAutocommit;
  const file = renderRevisionFile(
    options.revisionsDir,
    spec,
    "sql",
    {
      ...(autocommit ? { transaction: false } : {}),
      upgradeSql: section(comparison.upgradeSql, autocommit),
      downgradeSql: section(comparison.downgradeSql, autocommit),
    },
    options.now,
  );
  const path = writeRevisionFile(file);
  return { path, revision: spec.id, comparison, timings };
}

/** A revision section as Alembic frames autogenerated commands. */
function section(sql: string, autocommit: boolean): string {
  const lines = ["-- ### commands auto generated by retort - please adjust! ###"];
  if (autocommit) lines.push("-- Transaction: false above, because PostgreSQL cannot use an enum value in the transaction that adds it.");
  return `${lines.join("\n")}\n${sql}\n-- ### end retort commands ###`;
}

/** One warning per object kind autogenerate found but does not compare, so silence is never mistaken for agreement. */
export function notCompared(...models: SchemaModel[]): string[] {
  const found = [...new Set(models.flatMap((m) => m.unsupported))].sort();
  return found.length === 0 ? [] : [`Not compared (retort does not handle these yet; change them by hand): ${found.join(", ")}`];
}

/** "scratchStart 2410 ms, replay 120 ms, …" */
export function formatTimings(timings: Timings): string {
  return Object.entries(timings)
    .map(([name, ms]) => `${name} ${Math.round(ms)} ms`)
    .join(", ");
}
