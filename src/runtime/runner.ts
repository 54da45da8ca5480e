/**
 * Executes a planned list of steps, online on an engine or offline into a
 * script, through the same loop so that --sql cannot drift from what runs.
 * Transactions: one for the whole run (Alembic on PostgreSQL) or one per
 * revision; a revision with transaction=false runs outside any transaction
 * (what came before it is committed first) and its version row is committed
 * right after it succeeds.
 */
import type { PlannedStep, VersionChange } from "../core/types.ts";
import type { Engine } from "../drivers/engine.ts";
import { RevisionFileError, StatementError, UsageError } from "../errors.ts";
import type { RunHistory } from "../history/run.ts";
import type { LoadedRevision, MigrationScript } from "../revisions/types.ts";
import { migrationError, positionToIndex, siteInScript, type FailureSite } from "./failure.ts";
import { ScriptSink } from "./offline-sink.ts";
import { OnlineSink } from "./online-sink.ts";
import type { Sink } from "./sink.ts";
import { splitStatements, terminate, type SqlStatement } from "./split-sql.ts";
import {
  createVersionTableSql,
  dropVersionTableSql,
  purgeVersionTableSql,
  versionChangeSql,
  versionTableExists,
  type VersionTableName,
} from "./version-table.ts";

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
    durationMs,
  };
}

async function runTs(script: MigrationScript & { kind: "ts" }, sink: Sink): Promise<void> {
  // ops are loaded only when a TypeScript revision runs
  const { createOp } = await import("../ops/op.ts");
  await script.fn(createOp(sink));
}

/** Render the whole run as an offline script (Alembic's `--sql` layout); nothing is connected. */
export async function renderScript(options: RunOptions): Promise<RunResult & { script: string }> {
  if (options.purge) throw new UsageError("stamp --purge cannot be used with --sql (there is no table to purge offline)");
  validateSteps(options.steps, options.revisions);
  const sink = new ScriptSink();
  const perMigration = options.transactionPerMigration === true;
  const table = options.table;
  let heads = [...options.startingHeads];
  let inTx = false;
  const begin = () => (sink.statement("BEGIN"), (inTx = true));
  const commit = () => (sink.statement("COMMIT"), (inTx = false));
  if (!perMigration) begin();
  const results: StepResult[] = [];
  for (const step of options.steps) {
    const target = scriptOf(step, options.revisions);
    const outside = target !== null && !target.rev.transaction;
    if (perMigration && !outside) begin();
    if (heads.length === 0) sink.statement(createVersionTableSql(table));
    options.log(`Running ${describeStep(step)}`);
    sink.comment(`Running ${shortDescription(step)}`);
    // like Alembic's autocommit_block; the version row follows at once, as online
    if (outside && inTx) commit();
    if (target !== null) {
      const { rev, script } = target;
      try {
        if (script.kind === "sql") sink.statement(script.sql);
        else await runTs(script, sink);
      } catch (error) {
        throw migrationError({ revision: rev.id, file: rev.path, description: describeStep(step), aftermath: "no script was written" }, error, undefined);
      }
    }
    for (const change of step.versionChanges) sink.statement(versionChangeSql(table, change));
    heads = applyChanges(heads, step.versionChanges);
    if (outside && !perMigration) begin();
    else if (perMigration && !outside) commit();
    results.push(resultOf(step, 0));
  }
  if (options.steps.length > 0 && heads.length === 0) sink.statement(dropVersionTableSql(table));
  if (inTx) commit();
  return { steps: results, heads, script: sink.text() };
}

/** Run the steps on the engine (the caller holds the migration lock and has read startingHeads under it). */
export async function runOnline(engine: Engine, options: RunOptions): Promise<RunResult> {
  validateSteps(options.steps, options.revisions);
  const sink = new OnlineSink(engine);
  const perMigration = options.transactionPerMigration === true;
  const table = options.table;
  let heads = [...options.startingHeads];
  let committedHeads = heads;
  // what alembic_version holds inside the current transaction; in one-transaction-per-run mode the
  // rows are written once before COMMIT (nobody can see the steps in between, and updating one row
  // a thousand times in a transaction costs more than the migrations themselves)
  let written = heads;
  const deferVersions = !perMigration;
  let inTx = false;
  const begin = async () => {
    await engine.execute("BEGIN");
    sink.clearJournal();
    inTx = true;
  };
  const flush = async () => {
    const sql = netChangeSql(table, written, heads);
    if (sql !== "") await sink.execute(sql);
    written = heads;
  };
  const commit = async () => {
    await flush();
    await engine.execute("COMMIT");
    inTx = false;
    committedHeads = heads;
  };
  const results: StepResult[] = [];

  try {
    if (!perMigration) await begin();
    if (options.purge || heads.length === 0) {
      if (!(await versionTableExists(engine, table))) await sink.execute(createVersionTableSql(table));
      if (options.purge) {
        await sink.execute(purgeVersionTableSql(table));
        heads = [];
        written = heads;
      }
      if (perMigration) committedHeads = heads;
    }
  } catch (error) {
    if (inTx) await engine.execute("ROLLBACK").catch(() => {});
    throw error;
  }

  for (const step of options.steps) {
    const target = scriptOf(step, options.revisions);
    const outside = target !== null && !target.rev.transaction;
    if (outside && inTx) await commit();
    else if (perMigration && !outside) await begin();
    const deferred = deferVersions && !outside;
    const versionSql = deferred ? "" : step.versionChanges.map((c) => `${versionChangeSql(table, c)};`).join("\n");
    const started = performance.now();
    let sent: SentScript | undefined;
    try {
      if (target === null) {
        if (versionSql !== "") await sink.execute(versionSql);
      } else if (outside) {
        await runOutsideTransaction(sink, target.script, (statement) => (sent = statement));
        if (versionSql !== "") await sink.execute(versionSql);
      } else if (target.script.kind === "sql") {
        // one round trip per revision: the section (and its version update, if not deferred) in one simple query
        const script = target.script.sql;
        sent = { script, batch: versionSql === "" ? script : `${terminate(script)}\n${versionSql}`, batchStart: 0, firstLine: target.script.line };
        await sink.execute(sent.batch);
      } else {
        await runTs(target.script, sink);
        if (versionSql !== "") await sink.execute(versionSql);
      }
    } catch (error) {
      const journal = [...sink.journal];
      const failed = sink.lastSent;
      if (inTx) await engine.execute("ROLLBACK").catch(() => {});
      inTx = false;
      if (target === null) throw error;
      const site = await locateFailure(engine, error, { sent, failed, journal, replayable: !outside });
      const back = committedHeads.length > 0 ? committedHeads.join(", ") : "<base>";
      const aftermath = outside
        ? `this revision runs outside a transaction: statements before the failing one stay applied; alembic_version is still at ${back}`
        : `rolled back; the database and alembic_version are back at ${back}`;
      throw migrationError({ revision: target.rev.id, file: target.rev.path, description: describeStep(step), aftermath }, error, site);
    }
    heads = applyChanges(heads, step.versionChanges);
    if (!deferred) written = heads;
    if (outside) {
      committedHeads = heads;
      if (!perMigration) await begin();
    } else if (perMigration) await commit();
    const durationMs = performance.now() - started;
    options.log(`Running ${describeStep(step)} (${formatDuration(durationMs)})`);
    results.push(resultOf(step, durationMs));
  }
  if (inTx) {
    try {
      await commit();
    } catch (error) {
      await engine.execute("ROLLBACK").catch(() => {});
      throw error;
    }
  }
  return { steps: results, heads };
}

/** The statements that bring alembic_version from `from` to `to` (updates where a row moves, Alembic style). */
export function netChangeSql(table: VersionTableName, from: readonly string[], to: readonly string[]): string {
  const removed = from.filter((h) => !to.includes(h));
  const added = to.filter((h) => !from.includes(h));
  const changes: VersionChange[] = [];
  for (let i = 0; i < Math.max(removed.length, added.length); i++) {
    const gone = removed[i];
    const come = added[i];
    if (gone !== undefined && come !== undefined) changes.push({ kind: "update", from: gone, to: come });
    else if (gone !== undefined) changes.push({ kind: "delete", version: gone });
    else if (come !== undefined) changes.push({ kind: "insert", version: come });
  }
  return changes.map((c) => `${versionChangeSql(table, c)};`).join("\n");
}

/** Each statement on its own, in autocommit: CREATE INDEX CONCURRENTLY and friends refuse multi-statement queries. */
async function runOutsideTransaction(sink: OnlineSink, script: MigrationScript, sending: (sent: SentScript) => void): Promise<void> {
  if (script.kind === "ts") return runTs(script, sink);
  for (const statement of splitStatements(script.sql)) {
    sending({ script: script.sql, batch: statement.text, batchStart: statement.start, firstLine: script.line });
    await sink.execute(statement.text);
  }
}

/** Part of a SQL section as sent to the server: `batch` starts at `batchStart` in `script` (and may carry the version update after it). */
interface SentScript {
  readonly script: string;
  readonly batch: string;
  readonly batchStart: number;
  /** file line of the script's first character */
  readonly firstLine: number;
}

interface FailureContext {
  /** the SQL section batch that failed, for transactional SQL revisions */
  readonly sent: SentScript | undefined;
  /** the statement that was being sent when the error came */
  readonly failed: { sql: string; params: readonly unknown[] | undefined } | undefined;
  /** what ran successfully in the failed transaction before it */
  readonly journal: readonly { sql: string; params: readonly unknown[] | undefined }[];
  /** false outside a transaction: replaying would apply statements for real */
  readonly replayable: boolean;
}

/**
 * Find the failing statement. With a position, map it into the section (and
 * file line). Without one (constraint violations, "already exists"), replay
 * the failed transaction in a throwaway transaction, statement by statement
 * for the failing batch, and roll it back; the database is not changed.
 */
async function locateFailure(engine: Engine, error: unknown, ctx: FailureContext): Promise<FailureSite | undefined> {
  if (!(error instanceof StatementError)) return undefined;
  const sql = ctx.failed?.sql;
  if (sql === undefined) return undefined;
  let start: number;
  let offset: number | undefined;
  const position = error.pg?.position;
  if (position !== undefined) {
    start = 0;
    offset = positionToIndex(sql, position);
  } else {
    const params = ctx.failed?.params;
    const statements = params && params.length > 0 ? [] : splitStatements(sql);
    if (statements.length <= 1) start = statements[0]?.start ?? 0;
    else if (!ctx.replayable) return { statement: sql.trim() };
    else {
      const found = await replay(engine, ctx.journal, statements);
      if (found === undefined) return undefined;
      ({ start, offset } = found);
    }
  }
  const sent = ctx.sent;
  if (sent !== undefined && sql === sent.batch) {
    const scriptEnd = terminate(sent.script).length;
    const index = sent.batchStart + start + (offset ?? 0);
    const site =
      index <= scriptEnd
        ? siteInScript(sent.script, Math.min(index, sent.script.length), sent.firstLine)
        : siteInScript(sent.batch.slice(scriptEnd + 1), index - scriptEnd - 1);
    return offset === undefined ? { statement: site.statement, ...(site.fileLine === undefined ? {} : { fileLine: site.fileLine }) } : site;
  }
  const site = siteInScript(sql, start + (offset ?? 0));
  return offset === undefined ? { statement: site.statement } : site;
}

/**
 * Re-run `journal`, then `statements` one by one, inside BEGIN ... ROLLBACK:
 * the statement that fails again is the culprit (its start in the text sent,
 * and the error offset inside it). Undefined if nothing fails again (the
 * failure was not deterministic) or the replay itself breaks.
 */
async function replay(
  engine: Engine,
  journal: FailureContext["journal"],
  statements: readonly SqlStatement[],
): Promise<{ start: number; offset: number | undefined } | undefined> {
  try {
    await engine.execute("BEGIN");
  } catch {
    return undefined;
  }
  try {
    for (const entry of journal) await engine.execute(entry.sql, entry.params);
    for (const statement of statements) {
      try {
        await engine.execute(statement.text);
      } catch (error) {
        const position = error instanceof StatementError ? error.pg?.position : undefined;
        return { start: statement.start, offset: position === undefined ? undefined : positionToIndex(statement.text, position) };
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    await engine.execute("ROLLBACK").catch(() => {});
  }
}
