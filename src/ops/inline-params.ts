/**
 * Replace $1..$n placeholders with literals, so that `op.execute(sql, params)`
 * can be written into an offline --sql script. The tokens come from the one
 * SQL lexer (src/runtime/split-sql.ts): inside string constants, quoted
 * identifiers, dollar-quoted bodies and comments `$1` is just text.
 */
import { UsageError } from "../errors.ts";
import { sqlTokenSpans } from "../runtime/split-sql.ts";
import { quoteLiteral } from "./literal.ts";

/** `sql` with every placeholder outside literals, identifiers and comments replaced by the literal of its parameter. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  let out = "";
  let copied = 0;
  for (const { start, end } of sqlTokenSpans(sql)) {
    const param = /^\$(\d+)$/.exec(sql.slice(start, end));
    if (param === null) continue;
    out += sql.slice(copied, start) + literalFor(Number(param[1]), params, sql);
    copied = end;
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
