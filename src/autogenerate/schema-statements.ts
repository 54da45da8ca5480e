/**
 * What a declarative schema file may say, statement by statement: schema
 * DDL runs; what `pg_dump -s` adds around it is passed over (its psql
 * `\restrict`/`\unrestrict` lines, owners and privileges, which the scratch
 * database has no roles for and autogenerate does not compare); what reaches
 * outside one database's schema (`DROP DATABASE`, `CREATE ROLE`, other psql
 * meta-commands such as `\connect`) is refused with the file's line. Pure.
 */
import { lineAndColumn, splitStatements } from "../runtime/split-sql.ts";

/** One statement of a schema file and what loading it does. */
export interface SchemaStatement {
  /** run: execute it; skip: pass over it (pg_dump's additions); refuse: the file is not a schema */
  readonly action: "run" | "skip" | "refuse";
  readonly text: string;
  /** 0-based offset of the statement in the file */
  readonly start: number;
  /** 1-based line of `start` */
  readonly line: number;
  /** why it is skipped or refused */
  readonly reason?: string;
}

/** psql meta-commands pg_dump writes (15.14+, 16.10+, 17.6+) to fence the dump; they mean nothing to a schema. */
const DUMP_META = new Set(["restrict", "unrestrict"]);

/** Statements that only change owners or privileges: autogenerate compares neither, and the roles may not exist. */
const PRIVILEGES = [/^(GRANT|REVOKE)\b/, /^ALTER DEFAULT PRIVILEGES\b/, /^ALTER\b[\s\S]*\bOWNER TO\s+\S+$/, /^COMMENT ON DATABASE\b/, /^SECURITY LABEL\b/];

/** Statements about the cluster or a database as a whole, never one database's schema. */
const NOT_SCHEMA = /^((CREATE|ALTER|DROP) (DATABASE|ROLE|GROUP|TABLESPACE)\b|(CREATE|ALTER|DROP) USER\b(?! MAPPING)|ALTER SYSTEM\b|DROP OWNED\b|REASSIGN OWNED\b)/;

/** Skip blanks and `--` / block comments from `i`. */
function skipBlank(text: string, i: number): number {
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

/** The leading words of a statement, upper-cased with blanks collapsed, for matching. */
function head(text: string): string {
  return text.replace(/\s+/g, " ").trim().toUpperCase();
}

/** Classify every statement of one schema file (psql meta-command lines before a statement become their own entries). */
export function schemaStatements(text: string): SchemaStatement[] {
  const out: SchemaStatement[] = [];
  const at = (start: number) => lineAndColumn(text, start).line;
  for (const statement of splitStatements(text)) {
    let start = statement.start;
    // a meta-command runs to the end of its line; the splitter sees it as the start of the next statement
    while (text[start] === "\\" && start < statement.end) {
      const nl = text.indexOf("\n", start);
      const lineEnd = nl < 0 || nl > statement.end ? statement.end : nl;
      const command = text.slice(start, lineEnd).trim();
      const name = /^\\([A-Za-z!?]*)/.exec(command)?.[1] ?? "";
      out.push(
        DUMP_META.has(name)
          ? { action: "skip", text: command, start, line: at(start), reason: "pg_dump's psql fence" }
          : { action: "refuse", text: command, start, line: at(start), reason: `psql meta-command \\${name} is not SQL` },
      );
      start = skipBlank(text, lineEnd);
    }
    if (start >= statement.end) continue;
    const sql = text.slice(start, statement.end);
    const words = head(sql);
    const line = at(start);
    const outside = NOT_SCHEMA.exec(words);
    if (outside !== null) {
      out.push({ action: "refuse", text: sql, start, line, reason: `${outside[0]} is not part of a database's schema` });
    } else if (PRIVILEGES.some((p) => p.test(words))) {
      out.push({ action: "skip", text: sql, start, line, reason: "owners and privileges are not compared" });
    } else out.push({ action: "run", text: sql, start, line });
  }
  return out;
}
