/**
 * The sink that runs statements on an engine. It keeps a journal of what ran
 * in the current transaction: when PostgreSQL reports a failure without a
 * position, the runner replays the journal in a throwaway transaction to find
 * the failing statement.
 */
import type { Engine, Row } from "../drivers/engine.ts";
import type { Sink } from "./sink.ts";

/** A statement that ran (or was sent) through the sink. */
export interface JournalEntry {
  readonly sql: string;
  readonly params: readonly unknown[] | undefined;
}

/** Runs statements on the engine; `journal` lists what ran since the last clearJournal(). */
export class OnlineSink implements Sink {
  readonly offline = false;
  readonly journal: JournalEntry[] = [];
  /** the statement being run when the last call failed */
  lastSent: JournalEntry | undefined;

  constructor(readonly engine: Engine) {}

  async execute(sql: string, params?: readonly unknown[]): Promise<void> {
    const entry = { sql, params };
    this.lastSent = entry;
    await this.engine.execute(sql, params);
    this.journal.push(entry);
  }

  async query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    const entry = { sql, params };
    this.lastSent = entry;
    const rows = await this.engine.query<T>(sql, params);
    this.journal.push(entry);
    return rows;
  }

  /** Forget what ran (at each transaction boundary). */
  clearJournal(): void {
    this.journal.length = 0;
  }
}
