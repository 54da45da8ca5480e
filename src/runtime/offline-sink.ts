/**
 * The --sql sink: statements become text in Alembic's script layout (each
 * statement ends with ';' and a blank line, `-- Running ...` comments
 * between revisions). Reading the database is impossible here.
 */
import { UsageError } from "../errors.ts";
import type { Row } from "../drivers/engine.ts";
import { inlineParams } from "../ops/quote.ts";
import type { RunSink, Section } from "./sink.ts";
import { terminate } from "./split-sql.ts";

/** Appends statements to a script instead of running them. */
export class ScriptSink implements RunSink {
  readonly offline = true;
  step = -1;
  inTransaction = false;
  private readonly chunks: string[] = [];

  async begin(): Promise<void> {
    this.statement("BEGIN");
    this.inTransaction = true;
  }

  async commit(): Promise<void> {
    this.statement("COMMIT");
    this.inTransaction = false;
  }

  async rollback(): Promise<void> {}

  /** A section as written (comments and layout kept), terminated. */
  async section(section: Section): Promise<void> {
    this.statement(section.sql);
  }

  async versions(statements: readonly string[]): Promise<void> {
    for (const statement of statements) this.statement(statement);
  }

  async sync(): Promise<void> {}

  whenDone(done: () => void): void {
    done();
  }

  /** A script starts from `startingHeads`: with none, it creates the table (as Alembic's does). */
  async versionTableMissing(_table: unknown, startingHeads: readonly string[]): Promise<boolean> {
    return startingHeads.length === 0;
  }

  // the interrupted-revision marker guards runs of retort itself; a script has none (as Alembic's)
  async checkInterrupted(): Promise<void> {}
  async markOutside(): Promise<void> {}

  async execute(sql: string, params?: readonly unknown[]): Promise<void> {
    this.statement(params && params.length > 0 ? inlineParams(sql, params) : sql);
  }

  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    const excerpt = sql.trim().replace(/\s+/g, " ").slice(0, 80);
    throw new UsageError(`op.query cannot run in --sql mode: there is no database to read ("${excerpt}"); run this revision online, or compute the values without reading the database`);
  }

  /** Append one statement (or a block that already has its own semicolons) and a blank line. */
  statement(sql: string): void {
    const text = sql.trim();
    if (text === "") return;
    this.chunks.push(`${terminate(text)}\n\n`);
  }

  /** Append a `-- text` comment line and a blank line. */
  comment(text: string): void {
    this.chunks.push(`-- ${text}\n\n`);
  }

  /** The script so far. */
  text(): string {
    return this.chunks.join("");
  }
}
