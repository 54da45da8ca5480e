/**
 * One upgrade/downgrade/stamp run from start to end: open the engine, take
 * the migration lock, read the heads afresh under it, plan, validate, run,
 * release, close. Offline (--sql) it renders the script and connects to nothing.
 */
import type { PlannedStep } from "../core/types.ts";
import { redactUrl } from "../config/url.ts";
import { DEFAULT_LOCK_TIMEOUT_SECONDS, type Engine, type EngineOptions } from "../drivers/engine.ts";
import { DatabaseMissingError, openEngine } from "../drivers/open.ts";
import { contribModules, extensionsIn, revisionTexts, unsupportedExtensionsIn } from "../drivers/pglite-extensions.ts";
import { parseDatabaseUrl } from "../config/url.ts";
import { PgliteUnsupportedError } from "../errors.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { RevisionGraph } from "../core/graph.ts";
import { offlineHistory, onlineHistory } from "../history/run.ts";
import { historyTableName } from "../history/table.ts";
import { acquireMigrationLock } from "./lock.ts";
import { renderScript, runOnline, validateSteps, type StepResult } from "./runner.ts";
import { explainStop, interruptedBeforeStart, type RunProgress } from "./stopped.ts";
import { readHeads, versionTableName } from "./version-table.ts";
import type { VersionTableOptions } from "./version-table.ts";
import { readDatabase, type ReadDatabaseOptions } from "./read-database.ts";

export { DEFAULT_LOCK_TIMEOUT_SECONDS } from "../drivers/engine.ts";

/** Everything a migration run needs; commands fill it from their own options. */
export interface MigrateOptions extends VersionTableOptions {
  /** the resolved database URL (may carry a password; it is never printed) */
  readonly url: string;
  readonly revisions: ReadonlyMap<string, LoadedRevision>;
  /** the steps to run given the heads in the version table (called once, under the lock) */
  readonly plan: (currentHeads: readonly string[]) => readonly PlannedStep[];
  /** --sql: render the script instead of connecting */
  readonly sql?: boolean | undefined;
  /** --sql with `from:to`: the heads the script starts from (default: none) */
  readonly startingHeads?: readonly string[] | undefined;
  readonly transactionPerMigration?: boolean | undefined;
  readonly lockTimeoutSeconds?: number | undefined;
  /** stamp --purge */
  readonly purge?: boolean | undefined;
  /** the graph (built from `revisions` when absent): which applied revisions the pre-run check compares */
  readonly graph?: RevisionGraph | undefined;
  /** false: write no history rows (benchmarks measure the runner without them) */
  readonly recordHistory?: boolean | undefined;
  /** upgrade/downgrade: compare applied revisions with their files before running anything */
  readonly checkApplied?: boolean | undefined;
  /** --allow-changed: applied revisions whose changed (or vanished) file is accepted */
  readonly allowChanged?: readonly string[] | undefined;
  /** clear the marker of an interrupted `Transaction: false` revision instead of refusing (stamp, --resolve-interrupted) */
  readonly resolveInterrupted?: boolean | undefined;
  /** stderr lines: one per step, lock waits */
  readonly log: (line: string) => void;
  /** a terminal's live line for a long step (text in place, null clears it) */
  readonly live?: ((text: string | null) => void) | undefined;
  /** verbose-only stderr lines */
  readonly debug?: ((line: string) => void) | undefined;
  readonly engineOptions?: EngineOptions | undefined;
  /** an engine that is already open (tests, programmatic use): used instead of opening `url`, and left open */
  readonly engine?: Engine | undefined;
  /**
   * Stops the run when aborted (reason "SIGINT" or "SIGTERM"): the running
   * statement is cancelled, the transaction rolled back, and the run fails
   * with an InterruptedError saying where alembic_version is.
   */
  readonly signal?: AbortSignal | undefined;
}

/** What a run did. */
export interface MigrateResult {
  /** the database URL, password redacted */
  readonly url: string;
  /** heads before the run */
  readonly previousHeads: string[];
  /** heads after the run */
  readonly heads: string[];
  readonly steps: StepResult[];
  /** the script, in --sql mode */
  readonly sql?: string;
}

/** Run (or render) a migration; see MigrateOptions. */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const table = versionTableName(options.versionTable, options.versionTableSchema);
  const url = redactUrl(options.url);
  const historyTable = historyTableName(options.historyTable, table);
  const recordHistory = options.recordHistory !== false;
  if (options.sql) {
    const startingHeads = [...(options.startingHeads ?? [])].sort();
    const steps = options.plan(startingHeads);
    const history = recordHistory ? await offlineHistory(historyTable, steps, options.revisions) : undefined;
    const run = await renderScript({ ...common(options), table, steps, startingHeads, history });
    return { url, previousHeads: startingHeads, heads: run.heads, steps: run.steps, sql: run.script };
  }
  const signal = options.signal;
  if (signal?.aborted) throw interruptedBeforeStart(signal);
  const progress: RunProgress = { phase: "open", step: undefined };
  // a pglite:<dir> is locked as it opens, waiting up to the same timeout as the migration lock
  if (options.engine === undefined) options.debug?.(`Opening ${url}`);
  const onPglite = options.engine === undefined ? parseDatabaseUrl(options.url).kind === "pglite" : options.engine.kind === "pglite";
  const engine =
    options.engine ??
    (await openEngine(options.url, {
      lockTimeoutSeconds: options.lockTimeoutSeconds,
      log: options.log,
      ...options.engineOptions,
      ...(onPglite ? await pgliteExtensionOptions(options.revisions, options.engineOptions) : {}),
    }));
  const cancel = () => void engine.cancel().catch(() => {});
  signal?.addEventListener("abort", cancel);
  try {
    signal?.throwIfAborted();
    progress.phase = "lock";
    const release = await acquireMigrationLock(engine, {
      table,
      timeoutSeconds: options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS,
      log: options.log,
      ...(options.debug ? { debug: options.debug } : {}),
    });
    try {
      signal?.throwIfAborted();
      progress.phase = "run";
      // read under the lock: another process may have migrated while we waited
      const previousHeads = await readHeads(engine, table);
      const plan = () => options.plan(previousHeads);
      // the pre-run check (changed or vanished applied revisions stop the run here, exit 2) and the history rows to write
      const { steps, history } = recordHistory
        ? await onlineHistory(
            {
              engine,
              table: historyTable,
              heads: previousHeads,
              graph: options.graph ?? RevisionGraph.build([...options.revisions.values()]),
              revisions: options.revisions,
              check: options.checkApplied === true,
              allowChanged: options.allowChanged,
              log: options.log,
            },
            plan,
          )
        : { steps: plan(), history: undefined };
      validateSteps(steps, options.revisions);
      if (onPglite) refuseUnsupportedExtensions(steps, options.revisions);
      const run = await runOnline(engine, {
        ...common(options),
        table,
        steps,
        startingHeads: previousHeads,
        history,
        ...(signal ? { signal } : {}),
        onStep: (step) => (progress.step = step),
      });
      return { url, previousHeads, heads: run.heads, steps: run.steps };
    } finally {
      await release().catch(() => {});
    }
  } catch (error) {
    throw await explainStop(error, {
      progress,
      signal,
      table,
      revisions: options.revisions,
      readHeads: (fresh) => (fresh ? headsOnFreshConnection(options, table) : readHeads(engine, table)),
    });
  } finally {
    signal?.removeEventListener("abort", cancel);
    if (options.engine === undefined) await engine.close().catch(() => {});
  }
}

/** The heads read on a connection of their own (the run's session is gone). */
async function headsOnFreshConnection(options: MigrateOptions, table: ReturnType<typeof versionTableName>): Promise<string[]> {
  const engine = await openEngine(options.url, { ...options.engineOptions, create: false });
  try {
    return await readHeads(engine, table);
  } finally {
    await engine.close().catch(() => {});
  }
}

function common(options: MigrateOptions) {
  return {
    revisions: options.revisions,
    log: options.log,
    live: options.live,
    transactionPerMigration: options.transactionPerMigration === true,
    purge: options.purge === true,
    resolveInterrupted: options.resolveInterrupted === true,
  };
}

/** Options for reading the current heads (read-only: never creates the version table). */
export interface ReadHeadsOptions extends VersionTableOptions, ReadDatabaseOptions {}

/** The heads alembic_version holds (sorted; [] when it has none or does not exist). Used by current and history -i. */
export async function currentHeads(options: ReadHeadsOptions): Promise<string[]> {
  const table = versionTableName(options.versionTable, options.versionTableSchema);
  // read-only: a pglite directory that holds no database yet is at base, and stays uncreated
  return readDatabase(options, (engine) => readHeads(engine, table), () => [], ": reporting base");
}

/**
 * PGlite loads an extension's files only at start: a pglite: database gets
 * the contrib extensions its revisions create (those it already has among
 * them), and no others (loading all of them costs about a second).
 */
async function pgliteExtensionOptions(revisions: ReadonlyMap<string, LoadedRevision>, engineOptions: EngineOptions | undefined): Promise<Pick<EngineOptions, "pglite">> {
  const names = extensionsIn(revisionTexts([...revisions.values()]));
  if (names.length === 0) return {};
  return { pglite: { ...engineOptions?.pglite, extensions: await contribModules(names) } };
}

/** A step whose revision creates an extension PGlite does not ship stops the run before anything runs (exit 2). */
function refuseUnsupportedExtensions(steps: readonly PlannedStep[], revisions: ReadonlyMap<string, LoadedRevision>): void {
  for (const step of steps) {
    const rev = step.run === null || step.direction !== "up" ? undefined : revisions.get(step.run);
    if (rev === undefined) continue;
    const [extension] = revisionTexts([rev]).flatMap((text) => unsupportedExtensionsIn(text));
    if (extension !== undefined) throw new PgliteUnsupportedError(rev.id, rev.path, extension);
  }
}
