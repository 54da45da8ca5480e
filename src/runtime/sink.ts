/**
 * The one place every statement goes through: online it runs on the engine,
 * offline (--sql) it is appended to a script. Because op helpers and the
 * runner only ever talk to a Sink, --sql cannot drift from what runs online.
 */
import type { Row } from "../drivers/engine.ts";

/** Where statements go. */
export interface Sink {
  /** true in --sql mode: nothing is connected, query() is an error */
  readonly offline: boolean;
  /** run (online) or append (offline) one statement or a block of statements */
  execute(sql: string, params?: readonly unknown[]): Promise<void>;
  /** read from the database; offline sinks throw a UsageError naming op.query */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}
