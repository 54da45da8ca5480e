/**
 * Executes a planned list of steps, online on an engine or offline into a
 * script, through ONE loop: statements, BEGIN/COMMIT and version rows all go
 * through a RunSink (the online one runs them, the script one writes them),
 * so --sql cannot drift from what runs. Transactions: one for the whole run
 * (Alembic on PostgreSQL) or one per revision; a revision with
 * transaction=false runs outside any transaction (what came before it is
 * committed first) and its version row is written right after it succeeds.
 */
import type { PlannedStep, VersionChange } from "../core/types.ts";
import type { Engine } from "../drivers/engine.ts";
import { InterruptedError, MigrationError, RevisionFileError, StatementError, UsageError } from "../errors.ts";
import { HistoryRecorder } from "../history/recorder.ts";
import { interruptedFailure } from "../history/rows.ts";
import type { RunHistory } from "../history/run.ts";
import type { LoadedRevision, MigrationScript } from "../revisions/types.ts";
import { migrationError, positionToIndex, siteInScript, type FailureSite } from "./failure.ts";
import { guardProcess, settle, type ProcessGuard } from "../revisions/guard.ts";
import { ScriptSink } from "./offline-sink.ts";
import { AbortedSend, OnlineSink } from "./online-sink.ts";
import { SendFailure, type RunSink, type Sink } from "./sink.ts";
import { checkedVersionChangeSql, createVersionTableSql, dropVersionTableSql, purgeVersionTableSql, versionChangeSql, type VersionTableName } from "./version-table.ts";

/** What one step did, for logs and --json. */
export interface StepResult {
  readonly kind: "upgrade" | "downgrade" | "stamp";
  readonly revision: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly message: string;
  /** wall time of the step in milliseconds (0 in --sql mode) */
  readonly durationMs: number;
}

/** Inputs of a run, shared by both modes. */
export interface RunOptions {
  readonly steps: readonly PlannedStep[];
  readonly revisions: ReadonlyMap<string, LoadedRevision>;
  readonly table: VersionTableName;
  /** heads before the first step (read from the database, or `from` of an offline `from:to`) */
  readonly startingHeads: readonly string[];
  readonly transactionPerMigration?: boolean;
  /** stamp --purge: empty the version table first (online only) */
  readonly purge?: boolean;
  /** one stderr line per step, as Alembic logs it */
  readonly log: (line: string) => void;
  /** the history rows to write (README "History table"); undefined: none */
  readonly history?: RunHistory | undefined;
  /** online: run one statement after a failed run was rolled back (the failure's history row) */
  readonly afterFailure?: ((sql: string) => Promise<void>) | undefined;
  /** stop between statements when it fires (reason "SIGINT" or "SIGTERM"), roll back, throw InterruptedError */
  readonly signal?: AbortSignal | undefined;
  /** a terminal's live line: text to show in place, null to clear it (absent: no live line) */
  readonly live?: ((text: string | null) => void) | undefined;
  /** called as each step starts (online), so a run stopped from outside can name the revision */
  readonly onStep?: ((step: PlannedStep) => void) | undefined;
  /** clear the marker a killed `Transaction: false` revision left (stamp, --resolve-interrupted) instead of refusing to run */
  readonly resolveInterrupted?: boolean | undefined;
}

/** The result of a run: steps and the heads the version table now holds. */
export interface RunResult {
  readonly steps: StepResult[];
  readonly heads: string[];
}

/** Alembic's "upgrade a -> b, message" (the text after "Running "). */
export function describeStep(step: PlannedStep): string {
  const short = shortDescription(step);
  return step.run !== null && step.message !== "" ? `${short}, ${step.message}` : short;
}

/** Alembic's short_log: "upgrade a -> b" without the message (the `-- Running` comment of --sql). */
export function shortDescription(step: PlannedStep): string {
  const name = step.run === null ? "stamp_revision" : step.direction === "up" ? "upgrade" : "downgrade";
  return `${name} ${step.from.join(", ")} -> ${step.to.join(", ")}`;
}

/** "12 ms" / "3.4 ms" / "2.1 s". */
export function formatDuration(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/** The script a step runs, or null for a stamp step. */
function scriptOf(step: PlannedStep, revisions: ReadonlyMap<string, LoadedRevision>): { rev: LoadedRevision; script: MigrationScript } | null {
  if (step.run === null) return null;
  const rev = revisions.get(step.run);
  if (rev === undefined) throw new UsageError(`revision ${step.run} is in the plan but was not loaded`);
  const script = step.direction === "up" ? rev.upgrade : rev.downgrade;
  if (script === null) {
    throw new RevisionFileError(
      `revision ${rev.id} has no downgrade section (-- migrate:downgrade), so it cannot be downgraded; nothing was run`,
      rev.path,
    );
  }
  return { rev, script };
}

/**
 * Check every step before anything runs: each revision is loaded and has the
 * section it needs (a downgrade through a revision without one is exit 2).
 */
export function validateSteps(steps: readonly PlannedStep[], revisions: ReadonlyMap<string, LoadedRevision>): void {
  for (const step of steps) scriptOf(step, revisions);
}

/** The heads after applying version changes (a set, kept sorted). */
export function applyChanges(heads: readonly string[], changes: readonly VersionChange[]): string[] {
  const set = new Set(heads);
  for (const c of changes) {
    if (c.kind === "insert") set.add(c.version);
    else if (c.kind === "delete") set.delete(c.version);
    else (set.delete(c.from), set.add(c.to));
  }
  return [...set].sort();
}

function resultOf(step: PlannedStep, durationMs: number): StepResult {
  return {
    kind: step.run === null ? "stamp" : step.direction === "up" ? "upgrade" : "downgrade",
    revision: step.revision,
    from: [...step.from],
    to: [...step.to],
    message: step.message,
    // 0.1 ms is finer than any step can be measured; more digits are noise in --json
    durationMs: Math.round(durationMs * 10) / 10,
  };
}

async function runTs(script: MigrationScript & { kind: "ts" }, sink: Sink, guard: ProcessGuard): Promise<void> {
  // ops are loaded only when a TypeScript revision runs
  const { createOp } = await import("../ops/op.ts");
  await script.fn(createOp(sink));
  // a throw in a timer the revision set, or a rejection it left unhandled, fails this revision
  await settle();
  const escaped = guard.escaped();
  if (escaped !== undefined) throw escaped;
}

/**
 * One TypeScript section rendered offline, as `--sql` writes it, under the
 * revision guard: a revision that exits or lets an error escape throws here
 * instead of ending the process (lint and checksums render revisions too).
 */
export async function renderTsSection(script: MigrationScript & { kind: "ts" }): Promise<string> {
  const sink = new ScriptSink();
  const guard = guardProcess();
  try {
    await runTs(script, sink, guard);
  } finally {
    guard.release();
  }
  return sink.text();
}

/** Render the whole run as an offline script (Alembic's `--sql` layout); nothing is connected. */
export async function renderScript(options: RunOptions): Promise<RunResult & { script: string }> {
  if (options.purge) throw new UsageError("stamp --purge cannot be used with --sql (there is no table to purge offline)");
  const sink = new ScriptSink();
  const result = await runSteps(sink, options);
  return { ...result, script: sink.text() };
}

/**
 * The "Running …" line as a step starts, and on a terminal a live line
 * ("still running …, 12 s") for a step that takes longer than a few seconds,
 * cleared when it ends.
 */
class StepTicker {
  private timer: ReturnType<typeof setInterval> | undefined;
  constructor(
    private readonly log: (line: string) => void,
    private readonly live: ((text: string | null) => void) | undefined,
  ) {}
  start(description: string): void {
    this.stop();
    this.log(`Running ${description}`);
    if (this.live === undefined) return;
    const started = performance.now();
    const live = this.live;
    this.timer = setInterval(() => {
      const seconds = Math.round((performance.now() - started) / 1000);
      if (seconds >= LIVE_AFTER_SECONDS) live(`still running ${description}: ${seconds} s`);
    }, 1000);
    this.timer.unref?.();
  }
  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.live?.(null);
  }
}

/** Seconds a step runs before the live line shows. */
const LIVE_AFTER_SECONDS = 3;

/** Run the steps on the engine (the caller holds the migration lock and has read startingHeads under it). */
export async function runOnline(engine: Engine, options: RunOptions): Promise<RunResult> {
  return runSteps(new OnlineSink(engine, options.signal), { ...options, afterFailure: (sql) => engine.execute(sql) });
}

/**
 * The one loop. Per run: BEGIN, every step, COMMIT. Per migration: BEGIN and
 * COMMIT around each step. A transaction=false step: COMMIT what is open,
 * run the step (marked as in progress online), write its version row, BEGIN
 * again if the run has one transaction.
 */
async function runSteps(sink: RunSink, options: RunOptions): Promise<RunResult> {
  validateSteps(options.steps, options.revisions);
  const { steps, table } = options;
  const perMigration = options.transactionPerMigration === true;
  let heads = [...options.startingHeads];
  // what alembic_version holds for everybody else: what was committed
  let committed = heads;
  let tableMissing: boolean | undefined;
  const results: StepResult[] = [];
  let lastDone = performance.now();
  let lastTs = -1;
  const guard = guardProcess();
  const ticker = new StepTicker(options.log, options.live);
  // history rows go out as one INSERT right before each COMMIT, in the transaction of the steps they describe
  const recorder = options.history === undefined ? undefined : new HistoryRecorder(options.history, sink.offline);
  const flushHistory = async () => {
    if (recorder !== undefined) await sink.versions(recorder.flush(), null);
  };
  const commit = async () => {
    await sink.sync();
    await flushHistory();
    await commitChecked(sink, guard, lastTs);
    recorder?.committed();
  };
  // the step being run, for its failure row
  let current = { index: -1, before: heads as readonly string[], started: performance.now() };
  try {
    await sink.checkInterrupted(table, options.resolveInterrupted === true || options.purge === true);
    if (!perMigration) await sink.begin();
    if (options.purge) {
      if (await sink.versionTableMissing(table, heads)) await sink.versions([createVersionTableSql(table)], null);
      await sink.versions([purgeVersionTableSql(table)], null);
      heads = [];
      if (perMigration) committed = heads;
      tableMissing = false;
    }
    // online, an UPDATE/DELETE of a version row fails unless it touched exactly one row (another run moved the heads)
    const versionSql = sink.offline ? versionChangeSql : checkedVersionChangeSql;
    for (const [index, step] of steps.entries()) {
      sink.step = index;
      current = { index, before: heads, started: performance.now() };
      checkSignal(options.signal);
      if (!sink.offline) options.onStep?.(step);
      const target = scriptOf(step, options.revisions);
      const outside = target !== null && !target.rev.transaction;
      const description = describeStep(step);
      if (perMigration && !outside) await sink.begin();
      tableMissing ??= await sink.versionTableMissing(table, heads);
      if (tableMissing) {
        await sink.versions([createVersionTableSql(table)], null);
        tableMissing = false;
      }
      if (recorder !== undefined) await sink.versions(recorder.ddl(), null);
      if (sink.offline) options.log(`Running ${description}`);
      sink.comment(`Running ${shortDescription(step)}`);
      // like Alembic's autocommit_block: what is open is committed first
      if (outside && sink.inTransaction) {
        await sink.sync();
        await flushHistory();
        await sink.commit();
        recorder?.committed();
        committed = heads;
      }
      const queued = performance.now();
      // Alembic's line before the step runs: online it starts once what was queued before it is done
      if (!sink.offline) sink.whenDone(() => ticker.start(description));
      if (outside) await sink.markOutside(table, { revision: step.revision, description });
      if (target !== null) {
        const { script } = target;
        if (script.kind === "sql") await sink.section({ sql: script.sql, line: script.line });
        else {
          lastTs = index;
          await runTs(script, sink, guard);
        }
      }
      await sink.versions(
        step.versionChanges.map((change) => versionSql(table, change)),
        outside ? { revision: step.revision, description } : null,
      );
      const before = heads;
      heads = applyChanges(heads, step.versionChanges);
      const after = heads;
      if (!sink.offline) {
        sink.whenDone(() => {
          const now = performance.now();
          const durationMs = now - Math.max(queued, lastDone);
          lastDone = now;
          ticker.stop();
          options.log(`Done ${shortDescription(step)} (${formatDuration(durationMs)})`);
          results.push(resultOf(step, durationMs));
          recorder?.succeeded(step, before, after, durationMs);
        });
      } else {
        results.push(resultOf(step, 0));
        recorder?.succeeded(step, before, after, 0);
      }
      if (outside) {
        await sink.sync();
        // its row right after it succeeded, in autocommit like its version row
        await flushHistory();
        await sink.sync();
        recorder?.committed();
        committed = heads;
        if (!perMigration) await sink.begin();
      } else if (perMigration) {
        await commit();
        committed = heads;
      }
    }
    // --allow-changed with nothing to run still records the acceptance
    if (recorder?.hasPending && !sink.inTransaction) await sink.begin();
    // Alembic's offline downgrade to base drops the emptied table; online it stays
    if (sink.offline && steps.length > 0 && heads.length === 0) await sink.versions([dropVersionTableSql(table)], null);
    if (sink.inTransaction) await commit();
    await sink.sync();
    return { steps: results, heads };
  } catch (error) {
    await sink.rollback();
    const failure = failureOf(error, sink, options, committed);
    if (recorder !== undefined && options.afterFailure !== undefined) {
      const index = error instanceof SendFailure && error.step >= 0 ? error.step : current.index;
      const step = options.steps[index];
      if (step !== undefined) {
        const sql = recorder.failureSql(step, index === current.index ? current.before : committed, committed, performance.now() - current.started, failureFields(failure));
        // the failure row outlives the rollback; if even that cannot be written, the run's own error is what matters
        await options.afterFailure(sql).catch(() => {});
      }
    }
    throw failure;
  } finally {
    ticker.stop();
    guard.release();
  }
}

/** SQLSTATE and message of a run's error, for its failure row. */
function failureFields(error: unknown): { sqlstate: string | null; error: string } {
  if (error instanceof InterruptedError) return interruptedFailure(error.signal);
  const pg = error instanceof MigrationError || error instanceof StatementError ? error.pg : undefined;
  return { sqlstate: pg?.code ?? null, error: pg?.message ?? (error instanceof Error ? error.message : String(error)) };
}

/** COMMIT, unless revision code let an error escape meanwhile (then that fails the run). */
async function commitChecked(sink: RunSink, guard: ProcessGuard, lastTs: number): Promise<void> {
  await sink.sync();
  const escaped = guard.escaped();
  if (escaped !== undefined) throw new SendFailure(escaped, "", lastTs, undefined);
  await sink.commit();
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedSend();
}

/** The one error a failed run produces (the transaction is already rolled back). */
function failureOf(error: unknown, sink: RunSink, options: RunOptions, committed: readonly string[]): unknown {
  const failure = error instanceof SendFailure ? error : undefined;
  const stepIndex = failure?.step ?? sink.step;
  const step = options.steps[stepIndex];
  const back = committed.length > 0 ? committed.join(", ") : "<base>";
  const reason = options.signal?.aborted ? options.signal.reason : undefined;
  if (reason === "SIGINT" || reason === "SIGTERM") {
    if (step === undefined) return new InterruptedError(reason, `interrupted before the first revision; rolled back; alembic_version is at ${back}`);
    const outsideStep = step.run !== null && options.revisions.get(step.run)?.transaction === false;
    return new InterruptedError(
      reason,
      outsideStep
        ? `interrupted during revision ${step.revision} (${describeStep(step)}), which runs outside a transaction: what it ran so far stays applied (the next run asks you to check it); alembic_version is at ${back}`
        : `interrupted during revision ${step.revision} (${describeStep(step)}); rolled back; alembic_version is at ${back}`,
    );
  }
  const inner = failure?.error ?? error;
  if (step === undefined) return inner;
  const target = scriptOf(step, options.revisions);
  if (target === null) return inner;
  const outside = !target.rev.transaction;
  const aftermath = sink.offline
    ? "no script was written"
    : outside
      ? `this revision runs outside a transaction: statements before the failing one stay applied; alembic_version is still at ${back}`
      : `rolled back; the database and alembic_version are back at ${back}`;
  const site = failure === undefined ? undefined : failureSite(failure);
  return migrationError({ revision: target.rev.id, file: target.rev.path, description: describeStep(step), aftermath }, inner, site);
}

/** Where the failing statement sits: its section and file line for SQL revisions, the error position marked when PostgreSQL gave one. */
function failureSite(failure: SendFailure): FailureSite | undefined {
  if (failure.sql === "") return undefined;
  const position = failure.error instanceof StatementError ? failure.error.pg?.position : undefined;
  const offset = position === undefined ? undefined : positionToIndex(failure.sql, position);
  const site = failure.origin
    ? siteInScript(failure.origin.section.sql, failure.origin.start + (offset ?? 0), failure.origin.section.line)
    : siteInScript(failure.sql, offset ?? 0);
  if (offset !== undefined) return site;
  return site.fileLine === undefined ? { statement: site.statement } : { statement: site.statement, fileLine: site.fileLine };
}
