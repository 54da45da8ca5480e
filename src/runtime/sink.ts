/**
 * The one place every statement goes through: online it runs on the engine,
 * offline (--sql) it is appended to a script. Op helpers talk to a Sink; the
 * runner talks to a RunSink, which also takes transaction control and version
 * rows, so --sql cannot drift from what runs online.
 */
import type { Row } from "../drivers/engine.ts";
import type { VersionTableName } from "./version-table.ts";

/** Where statements go (what `op` sees). */
export interface Sink {
  /** true in --sql mode: nothing is connected, query() is an error */
  readonly offline: boolean;
  /** run (online) or append (offline) one statement or a block of statements */
  execute(sql: string, params?: readonly unknown[]): Promise<void>;
  /** read from the database; offline sinks throw a UsageError naming op.query */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** A SQL section a statement was cut from: its text and the file line of its first character. */
export interface Section {
  readonly sql: string;
  readonly line: number;
}

/** A step that runs outside any transaction, as the interrupted-revision marker records it. */
export interface OutsideStep {
  readonly revision: string;
  /** "upgrade a -> b, message" */
  readonly description: string;
}

/** What the runner's one loop drives: statements, transaction control and version rows. */
export interface RunSink extends Sink {
  /** the step the statements sent from now on belong to (index in the plan), for failures */
  step: number;
  /** whether a transaction is open */
  readonly inTransaction: boolean;
  begin(): Promise<void>;
  /** wait for everything sent, then COMMIT */
  commit(): Promise<void>;
  /** give up the open transaction (online); nothing offline */
  rollback(): Promise<void>;
  /** a `-- text` line in a script; nothing online */
  comment(text: string): void;
  /** a SQL section: online each statement is sent (pipelined inside a transaction); offline it is appended as written */
  section(section: Section): Promise<void>;
  /** a step's version-row statements; after an outside step they also clear its marker (online, atomically) */
  versions(statements: readonly string[], outside: OutsideStep | null): Promise<void>;
  /** wait until every statement sent has run; throws the SendFailure of the first one that failed */
  sync(): Promise<void>;
  /** call `done` once everything sent so far has run (at once offline) */
  whenDone(done: () => void): void;
  /** whether the version table must be created before the first step */
  versionTableMissing(table: VersionTableName, startingHeads: readonly string[]): Promise<boolean>;
  /** before anything runs: refuse if an outside revision was interrupted earlier, unless `resolve` clears its marker */
  checkInterrupted(table: VersionTableName, resolve: boolean): Promise<void>;
  /** before an outside step runs: record that it is in progress (online only) */
  markOutside(table: VersionTableName, step: OutsideStep): Promise<void>;
}

/** A statement sent through a RunSink failed: the engine's error and where the statement came from. */
export class SendFailure extends Error {
  constructor(
    readonly error: unknown,
    /** the text sent */
    readonly sql: string,
    /** the step it belonged to (-1: before the first step) */
    readonly step: number,
    /** the section it was cut from and its start there, for SQL revisions */
    readonly origin: { section: Section; start: number } | undefined,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
