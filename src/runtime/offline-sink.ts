/**
 * The --sql sink: statements become text in Alembic's script layout (each
 * statement ends with ';' and a blank line, `-- Running ...` comments
 * between revisions). Reading the database is impossible here.
 */
import { UsageError } from "../errors.ts";
import type { Row } from "../drivers/engine.ts";
import { inlineParams } from "../ops/quote.ts";
import type { Sink } from "./sink.ts";
import { terminate } from "./split-sql.ts";

/** Appends statements to a script instead of running them. */
export class ScriptSink implements Sink {
  readonly offline = true;
  private readonly chunks: string[] = [];

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
