/**
 * The statements a revision's upgrade runs, each with its line in the file
 * and its parse tree: a SQL section is parsed with PostgreSQL's parser, a
 * TypeScript revision is rendered offline first (the same ScriptSink
 * `--sql` uses). A syntax error becomes a statement without a tree.
 */
import { readFileSync } from "node:fs";
import type { LoadedRevision } from "../revisions/types.ts";
import { renderTsSection } from "../runtime/runner.ts";
import { splitStatements } from "../runtime/split-sql.ts";
import { parseSql, PgSyntaxError, type RawStmt } from "./pg-parser.ts";

/** One statement of a revision, as lint sees it. */
export interface LintStatement {
  /** the statement text, without its terminating semicolon */
  readonly sql: string;
  /** 1-based line of its first character in the revision file (TypeScript: the line of `upgrade`) */
  readonly line: number;
  /** the comment lines just above it (where `-- retort-lint: ignore` is read) */
  readonly leadingComments: string;
  /** the raw parse node ({ IndexStmt: … }), or null when it does not parse */
  readonly node: Record<string, unknown> | null;
  /** PostgreSQL's syntax error when it does not parse */
  readonly syntaxError?: string;
}

/** The upgrade of a revision as statements, plus the file text (for `ignore-file`) when there is one. */
export interface RevisionSql {
  readonly statements: LintStatement[];
  /** the header comments of the file, where `-- retort-lint: ignore-file` is read */
  readonly header: string;
  /** a TypeScript revision that could not be rendered offline (op.query, a thrown error) */
  readonly renderError?: string;
}

/** The statements of `rev`'s upgrade (its header and file text read from `fileText`, or from disk for TypeScript). */
export async function revisionStatements(rev: LoadedRevision, fileText?: string): Promise<RevisionSql> {
  const script = rev.upgrade;
  if (script.kind === "sql") {
    const text = fileText ?? "";
    const header = text.slice(0, Math.max(0, text.indexOf("-- migrate:upgrade")));
    return { statements: await statementsOf(script.sql, script.line), header };
  }
  const text = fileText ?? safeRead(rev.path);
  const fnLine = lineOfUpgrade(text);
  let rendered: string;
  try {
    rendered = await renderTsSection(script);
  } catch (error) {
    return { statements: [], header: text, renderError: error instanceof Error ? error.message : String(error) };
  }
  const statements = (await statementsOf(rendered, 1)).map((s) => ({ ...s, line: fnLine }));
  return { statements, header: text };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function lineOfUpgrade(text: string): number {
  const at = text.search(/function\s+upgrade\b/);
  return at < 0 ? 1 : text.slice(0, at).split("\n").length;
}

/** Statements of a SQL text whose first line is line `firstLine` of its file. */
export async function statementsOf(sql: string, firstLine: number): Promise<LintStatement[]> {
  try {
    const tree = await parseSql(sql);
    const bytes = Buffer.from(sql, "utf8");
    let previousEnd = 0;
    return tree.stmts.map((raw) => {
      const statement = fromRaw(sql, bytes, raw, firstLine, previousEnd);
      previousEnd = (raw.stmt_location ?? 0) + (raw.stmt_len ?? 0);
      return statement;
    });
  } catch (error) {
    if (!(error instanceof PgSyntaxError)) throw error;
  }
  // a syntax error somewhere: parse statement by statement so the others are still linted
  const out: LintStatement[] = [];
  let previousEnd = 0;
  for (const piece of splitStatements(sql)) {
    const leadingComments = commentsBetween(sql.slice(previousEnd, piece.start));
    previousEnd = piece.end + 1;
    const line = firstLine + lineOffset(sql, piece.start);
    try {
      const tree = await parseSql(piece.text);
      const node = tree.stmts[0]?.stmt ?? null;
      out.push({ sql: piece.text, line, leadingComments, node });
    } catch (error) {
      if (!(error instanceof PgSyntaxError)) throw error;
      const at = Buffer.from(piece.text, "utf8").subarray(0, error.byteOffset).toString("utf8").length;
      out.push({ sql: piece.text, line: line + lineOffset(piece.text, at), leadingComments, node: null, syntaxError: error.message });
    }
  }
  return out;
}

/** A statement from its byte span; `previousEnd` is where the statement before it ended (its comments lie in between). */
function fromRaw(sql: string, bytes: Buffer, raw: RawStmt, firstLine: number, previousEnd: number): LintStatement {
  const byteStart = raw.stmt_location ?? 0;
  const byteEnd = raw.stmt_len ? byteStart + raw.stmt_len : bytes.length;
  const charStart = bytes.subarray(0, byteStart).toString("utf8").length;
  const chunk = bytes.subarray(byteStart, byteEnd).toString("utf8");
  const skip = leadingTrivia(chunk);
  const text = chunk.slice(skip).replace(/;\s*$/, "").trimEnd();
  return {
    sql: text,
    line: firstLine + lineOffset(sql, charStart + skip),
    leadingComments: commentsBetween(bytes.subarray(previousEnd, byteStart).toString("utf8") + chunk.slice(0, skip)),
    node: raw.stmt,
  };
}

/** Length of the blanks and comments at the start of `text`. */
export function leadingTrivia(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith("--", i)) {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else return i;
  }
}

/** The `--` comments in the text between two statements, one per line, lines kept (so an ignore's line can be counted back). */
function commentsBetween(text: string): string {
  const lines = text.split("\n").map((l) => /--.*$/.exec(l)?.[0].trim() ?? "");
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  return lines.join("\n");
}

function lineOffset(text: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
