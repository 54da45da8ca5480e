/**
 * The sink that runs statements on an engine. On PostgreSQL the statements
 * of a transaction are sent without waiting for each other (the `postgres`
 * driver pipelines them on its one connection): after a failure the server
 * refuses every later statement of the transaction (25P02), so the first
 * statement that failed is the culprit, and nothing ever has to be replayed
 * to find it. In-process PGlite gains nothing from a pipeline: there each
 * statement is chained after the one before it. Outside a transaction each
 * statement is awaited, since a later one would run even after a failure.
 */
import type { Engine, Row } from "../drivers/engine.ts";
import { checkInterrupted, markSql, unmarkSql } from "./interrupted.ts";
import { SendFailure, type OutsideStep, type RunSink, type Section } from "./sink.ts";
import { splitStatements } from "./split-sql.ts";
import { versionTableExists, type VersionTableName } from "./version-table.ts";

/** Thrown by send() once the run's AbortSignal fired: nothing more is sent. */
export class AbortedSend extends Error {}

/** Runs statements on the engine, pipelined inside transactions. */
export class OnlineSink implements RunSink {
  readonly offline = false;
  step = -1;
  inTransaction = false;
  /** settles (never rejects) once everything sent so far has run */
  private last: Promise<void> = Promise.resolve();
  private failure: SendFailure | undefined;
  private table: VersionTableName | undefined;

  constructor(
    readonly engine: Engine,
    private readonly signal?: AbortSignal,
  ) {}

  /** Send one statement: pipelined inside a transaction, awaited outside. */
  send(sql: string, origin?: SendFailure["origin"]): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.signal?.aborted) throw new AbortedSend();
    const step = this.step;
    const fail = (error: unknown) => {
      this.failure ??= new SendFailure(error, sql, step, origin);
    };
    if (this.engine.kind === "postgres") this.last = this.engine.execute(sql).then(() => {}, fail);
    else {
      // in-process PGlite gains nothing from a pipeline: each statement starts when the one before it
      // ended, so an abort (checked right before it) stops between statements
      this.last = this.last.then(async () => {
        if (this.failure !== undefined) return;
        // PGlite runs a statement on this thread: give the event loop a turn first, or a SIGINT/SIGTERM
        // that came during the last statement is not seen before the whole run is over
        if (this.signal !== undefined) await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.signal?.aborted) return fail(new AbortedSend());
        return this.engine.execute(sql).then(() => {}, fail);
      });
    }
    return this.inTransaction ? Promise.resolve() : this.sync();
  }

  async sync(): Promise<void> {
    await this.last;
    if (this.failure !== undefined) throw this.failure;
  }

  whenDone(done: () => void): void {
    void this.last.then(() => {
      if (this.failure === undefined) done();
    });
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<void> {
    await this.direct(sql, () => this.engine.execute(sql, params));
  }

  async query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.direct(sql, () => this.engine.query<T>(sql, params));
  }

  /** One awaited call (op.execute / op.query), after everything pipelined before it. */
  private async direct<T>(sql: string, call: () => Promise<T>): Promise<T> {
    await this.sync();
    if (this.signal?.aborted) throw new AbortedSend();
    try {
      return await call();
    } catch (error) {
      throw (this.failure = new SendFailure(error, sql, this.step, undefined));
    }
  }

  async begin(): Promise<void> {
    this.inTransaction = true;
    await this.send("BEGIN");
  }

  async commit(): Promise<void> {
    await this.sync();
    try {
      await this.engine.execute("COMMIT");
    } catch (error) {
      // a deferred constraint fails at COMMIT: it belongs to the transaction's last step
      throw (this.failure = new SendFailure(error, "COMMIT", this.step, undefined));
    } finally {
      this.inTransaction = false;
    }
  }

  async rollback(): Promise<void> {
    await this.last;
    if (this.inTransaction) await this.engine.execute("ROLLBACK").catch(() => {});
    this.inTransaction = false;
  }

  comment(): void {}

  async section(section: Section): Promise<void> {
    for (const statement of splitStatements(section.sql)) await this.send(statement.text, { section, start: statement.start });
  }

  async versions(statements: readonly string[], outside: OutsideStep | null): Promise<void> {
    if (outside !== null && this.table !== undefined) {
      // one simple query is one implicit transaction: the version row and the marker's removal go together
      await this.send([...statements, unmarkSql(this.table)].join(";\n"));
      return;
    }
    for (const statement of statements) await this.send(statement);
  }

  async versionTableMissing(table: VersionTableName): Promise<boolean> {
    await this.sync();
    return !(await versionTableExists(this.engine, table));
  }

  async checkInterrupted(table: VersionTableName, resolve: boolean): Promise<void> {
    await checkInterrupted(this.engine, table, resolve);
  }

  async markOutside(table: VersionTableName, step: OutsideStep): Promise<void> {
    this.table = table;
    await this.send(markSql(table, step.revision, step.description));
  }
}
