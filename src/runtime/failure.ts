/**
 * Building the ONE error a failed revision produces: which revision and file,
 * which statement (an excerpt with the error position marked, and the line
 * in the file for SQL revisions), and PostgreSQL's code, message, detail, hint.
 */
import { formatPgError } from "../drivers/errors.ts";
import { ExitCode, MigrationError, RetortError, StatementError, UsageError, type PgErrorDetail } from "../errors.ts";
import { lineAndColumn, splitStatements } from "./split-sql.ts";

/** Where a failing statement sits. */
export interface FailureSite {
  /** the statement that failed (or the whole text sent, when it could not be narrowed down) */
  readonly statement: string;
  /** 0-based offset of the error inside `statement`, if known */
  readonly offset?: number;
  /** 1-based line in the revision file of the statement's first line (SQL revisions) */
  readonly fileLine?: number;
}

/** PostgreSQL's 1-based character position as a 0-based JS string index (positions count code points). */
export function positionToIndex(text: string, position: number): number {
  let index = 0;
  for (let chars = 1; chars < position && index < text.length; chars++) {
    index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  }
  return index;
}

/**
 * The statement of `script` containing the 0-based `index`, with the offset
 * inside it and its file line (`firstLine`: file line of the script's first character).
 */
export function siteInScript(script: string, index: number, firstLine?: number): FailureSite {
  const statements = splitStatements(script);
  const hit = statements.find((s) => index >= s.start && index <= s.end) ?? statements.find((s) => index < s.start);
  if (hit === undefined) return { statement: script, offset: index };
  const site: { statement: string; offset?: number; fileLine?: number } = { statement: hit.text };
  if (index >= hit.start && index <= hit.end) site.offset = index - hit.start;
  if (firstLine !== undefined) site.fileLine = firstLine + lineAndColumn(script, hit.start).line - 1;
  return site;
}

/** An excerpt of the statement: up to 6 lines around the error, a ^ under its column. */
export function excerpt(site: FailureSite): string {
  const lines = site.statement.split("\n");
  const firstNumber = site.fileLine;
  const label = (i: number) => (firstNumber === undefined ? "  " : `${String(firstNumber + i).padStart(5)} | `);
  if (site.offset === undefined) {
    const shown = lines.slice(0, 6).map((line, i) => label(i) + line);
    if (lines.length > 6) shown.push(`${label(6).replace(/\d/g, " ")}… (${lines.length - 6} more lines)`);
    return shown.join("\n");
  }
  const { line, column } = lineAndColumn(site.statement, site.offset);
  const from = Math.max(0, line - 4);
  const shown = lines.slice(from, line).map((text, i) => label(from + i) + text);
  shown.push(" ".repeat(label(line - 1).length + column - 1) + "^");
  return shown.join("\n");
}

/** What the runner knows about the revision that failed. */
export interface FailedStep {
  readonly revision: string;
  readonly file: string;
  /** "upgrade ffa7 -> dadf, message" as in the log */
  readonly description: string;
  /** what the rollback restored, e.g. "rolled back: the database is as it was before this run" */
  readonly aftermath: string;
}

/** The MigrationError for a failed step; non-database errors (a TS revision's own bug) are wrapped too. */
export function migrationError(step: FailedStep, error: unknown, site: FailureSite | undefined): RetortError {
  if (error instanceof RetortError && !(error instanceof StatementError)) {
    // bad input from the revision (op.query in --sql mode, bad op arguments): same exit code, revision named
    if (error.exitCode === ExitCode.usage) return new UsageError(`${step.file}: ${step.description}: ${error.message}`);
    return error;
  }
  const pg: PgErrorDetail | undefined = error instanceof StatementError ? error.pg : undefined;
  const where = site?.fileLine !== undefined ? `${step.file}:${site.fileLine}` : step.file;
  if (site === undefined && pg === undefined) {
    // not a statement (the revision's own code threw, exited or let an error escape): one line
    const what = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message.split("\n")[0]}` : String(error);
    return new MigrationError(`Running ${step.description} failed (${where}): ${what}; ${step.aftermath}`, step.revision, step.file, undefined, undefined, { cause: error });
  }
  const lines = [`Running ${step.description} failed (${where}); ${step.aftermath}`];
  if (site) lines.push(excerpt(site));
  if (pg) lines.push(formatPgError(pg));
  else lines.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  return new MigrationError(lines.join("\n"), step.revision, step.file, site?.statement, pg, { cause: error });
}
