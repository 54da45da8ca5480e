/**
 * The runner's side of the history table: it buffers the rows of the open
 * transaction and hands them over as ONE INSERT right before each COMMIT
 * (so a step's row commits or rolls back with the step), remembers what is
 * durable, and renders the statement that records a failed step after the
 * rollback. The same calls online and offline (--sql), so scripts carry the
 * rows a run would write.
 */
import type { PlannedStep } from "../core/types.ts";
import type { RunHistory } from "./run.ts";
import { stepRow } from "./rows.ts";
import { createHistoryTableSql, insertHistorySql, type HistoryRow } from "./table.ts";

/** Buffers and renders the history rows of one run. */
export class HistoryRecorder {
  private pending: HistoryRow[];
  /** rows handed over whose COMMIT has not happened yet */
  private inFlight: HistoryRow[] = [];
  private ddlSent = false;
  private ddlDurable: boolean;

  constructor(
    private readonly history: RunHistory,
    private readonly offline: boolean,
  ) {
    this.pending = [...history.opening];
    this.ddlDurable = !history.create;
  }

  /** The CREATE TABLE to send before the first step's statements (once; [] when the table exists). */
  ddl(): string[] {
    if (this.ddlSent || !this.history.create) return [];
    this.ddlSent = true;
    return [createHistoryTableSql(this.history.table, this.offline)];
  }

  /** Record a step that succeeded (its row goes out with the next flush). */
  succeeded(step: PlannedStep, before: readonly string[], after: readonly string[], durationMs: number): void {
    this.pending.push(this.row(step, before, after, durationMs, undefined));
  }

  /** Whether rows wait for a flush. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** The INSERT of every pending row ([] when none): send it, then COMMIT (or let it autocommit). */
  flush(): string[] {
    if (this.pending.length === 0) return [];
    const sql = insertHistorySql(this.history.table, this.pending);
    this.inFlight.push(...this.pending);
    this.pending = [];
    return [sql];
  }

  /** What was flushed is committed. */
  committed(): void {
    this.inFlight = [];
    if (this.ddlSent) this.ddlDurable = true;
  }

  /**
   * After the rollback of a failed step: one statement (its own implicit
   * transaction) that writes the step's failure row, with the table and the
   * run's opening rows again if they went down with the rollback.
   */
  failureSql(step: PlannedStep, before: readonly string[], after: readonly string[], durationMs: number, failure: { sqlstate: string | null; error: string }): string {
    const lost = [...this.inFlight, ...this.pending].filter((r) => r.kind === "baseline" || r.kind === "accept");
    const rows = [...lost, this.row(step, before, after, durationMs, failure)];
    const ddl = this.ddlDurable ? [] : [createHistoryTableSql(this.history.table, true)];
    return [...ddl, insertHistorySql(this.history.table, rows)].join(";\n");
  }

  private row(step: PlannedStep, before: readonly string[], after: readonly string[], durationMs: number, failure: { sqlstate: string | null; error: string } | undefined): HistoryRow {
    return stepRow(this.history.invocation, {
      kind: step.run === null ? "stamp" : step.direction === "up" ? "upgrade" : "downgrade",
      revision: step.revision,
      headsBefore: before,
      headsAfter: after,
      checksum: this.history.checksum(step.revision),
      // offline the server's clock stamps the row when the script runs
      startedAt: this.offline ? null : new Date(Date.now() - durationMs),
      durationMs: this.offline ? null : durationMs,
      failure,
    });
  }
}
