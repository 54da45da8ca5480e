/**
 * Replace $1..$n placeholders with literals, so that `op.execute(sql, params)`
 * can be written into an offline --sql script. A small lexer skips string
 * constants (standard, E'…', U&'…', B'…', X'…'), quoted identifiers,
 * dollar-quoted bodies and comments, where `$1` is just text. Standard
 * strings are lexed as with standard_conforming_strings on (the default since
 * PostgreSQL 9.1): a backslash in '…' escapes nothing.
 */
import { UsageError } from "../errors.ts";
import { quoteLiteral } from "./literal.ts";

/** Characters that continue an identifier (PostgreSQL allows `$` inside one, so `a$1` is a name, not a parameter). */
const identChar = /[A-Za-z0-9_$\u0080-\uffff]/;
const identStart = /[A-Za-z_\u0080-\uffff]/;
const dollarTag = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;
const placeholder = /\$(\d+)/y;

/** `sql` with every placeholder outside literals, identifiers and comments replaced by the literal of its parameter. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  let out = "";
  let copied = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'") {
      i = endOfString(sql, i, false);
    } else if (c === '"') {
      i = endOfString(sql, i, false, '"');
    } else if (c === "-" && sql[i + 1] === "-") {
      const eol = sql.indexOf("\n", i);
      i = eol === -1 ? sql.length : eol + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      i = endOfBlockComment(sql, i);
    } else if (identStart.test(c)) {
      let j = i + 1;
      while (j < sql.length && identChar.test(sql[j] as string)) j++;
      // E'…' is the one string form where a backslash escapes the closing quote
      i = (j === i + 1 && (c === "e" || c === "E") && sql[j] === "'") ? endOfString(sql, j, true) : j;
    } else if (c === "$") {
      placeholder.lastIndex = i;
      const param = placeholder.exec(sql);
      if (param) {
        const end = i + param[0].length;
        out += sql.slice(copied, i) + literalFor(Number(param[1]), params, sql);
        copied = end;
        i = end;
        continue;
      }
      dollarTag.lastIndex = i;
      const tag = dollarTag.exec(sql);
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? sql.length : close + tag[0].length;
      } else {
        i++;
      }
    } else {
      i++;
    }
  }
  return out + sql.slice(copied);
}

function literalFor(index: number, params: readonly unknown[], sql: string): string {
  if (index < 1 || index > params.length) {
    throw new UsageError(`$${index} has no value: ${params.length} parameter(s) given for ${excerpt(sql)}`);
  }
  const value = params[index - 1];
  if (value === undefined) throw new UsageError(`parameter $${index} is undefined (use null for NULL) in ${excerpt(sql)}`);
  let literal: string;
  try {
    literal = quoteLiteral(value);
  } catch (error) {
    throw new UsageError(`parameter $${index}: ${error instanceof Error ? error.message : String(error)} in ${excerpt(sql)}`);
  }
  // after `-` or another operator character, a bare -5 would lex as a comment or a longer operator
  return literal.startsWith("-") ? `(${literal})` : literal;
}

/** Index just past the string or quoted identifier opening at `start` (the end of the text if unterminated). */
function endOfString(sql: string, start: number, backslashEscapes: boolean, quote = "'"): number {
  let j = start + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (backslashEscapes && c === "\\") {
      j += 2;
    } else if (c === quote) {
      if (sql[j + 1] !== quote) return j + 1;
      j += 2;
    } else {
      j++;
    }
  }
  return sql.length;
}

/** Index just past the block comment opening at `start`; PostgreSQL's block comments nest. */
function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let j = start;
  while (j < sql.length) {
    if (sql[j] === "/" && sql[j + 1] === "*") {
      depth++;
      j += 2;
    } else if (sql[j] === "*" && sql[j + 1] === "/") {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else {
      j++;
    }
  }
  return sql.length;
}

function excerpt(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 77)}...` : flat);
}
