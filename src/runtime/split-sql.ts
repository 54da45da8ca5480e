/**
 * A small PostgreSQL lexer that cuts a script into statements at top-level
 * semicolons, skipping quotes ('', E'', "", $tag$), comments (--, nested
 * block comments) and BEGIN ATOMIC bodies. Offsets let an error position
 * from the server be mapped back to a statement and a line. Pure.
 */

/** One statement: its text (without the terminating ;) and where it sits in the script. */
export interface SqlStatement {
  readonly text: string;
  /** 0-based offset of the statement's first non-blank character */
  readonly start: number;
  /** 0-based offset just past its last character (before the ; if any) */
  readonly end: number;
  /** whether a ; ends it */
  readonly terminated: boolean;
}

/** Split `sql` into non-empty statements (comment-only stretches are not statements). */
export function splitStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = -1;
  let depth = 0; // BEGIN ATOMIC ... END nesting
  let lastWord = "";
  let i = 0;
  const push = (end: number, terminated: boolean) => {
    if (start >= 0) statements.push({ text: sql.slice(start, end).trimEnd(), start, end: start + sql.slice(start, end).trimEnd().length, terminated });
    start = -1;
    lastWord = "";
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      const nl = sql.indexOf("\n", i);
      i = nl < 0 ? sql.length : nl + 1;
      continue;
    }
    if (c === "/" && next === "*") {
      let level = 1;
      i += 2;
      while (i < sql.length && level > 0) {
        if (sql[i] === "/" && sql[i + 1] === "*") (level++, (i += 2));
        else if (sql[i] === "*" && sql[i + 1] === "/") (level--, (i += 2));
        else i++;
      }
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (c === ";") {
      if (depth > 0) {
        i++;
        continue;
      }
      push(i, true);
      i++;
      continue;
    }
    if (c === "'" ) {
      const escapes = /[eE]$/.test(sql.slice(Math.max(0, i - 1), i)) && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? " ");
      i = skipQuoted(sql, i, "'", escapes);
      lastWord = "";
      continue;
    }
    if (c === '"') {
      i = skipQuoted(sql, i, '"', false);
      lastWord = "";
      continue;
    }
    if (c === "$") {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? " ")) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? sql.length : close + tag[0].length;
        continue;
      }
    }
    const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i, i + 64))?.[0];
    if (word !== undefined) {
      const upper = word.toUpperCase();
      if (upper === "ATOMIC" && lastWord === "BEGIN") depth++;
      else if (upper === "CASE" && depth > 0) depth++;
      else if (upper === "END" && depth > 0) depth--;
      lastWord = upper;
      i += word.length;
      continue;
    }
    lastWord = "";
    i++;
  }
  push(sql.length, false);
  return statements;
}

function skipQuoted(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (backslashEscapes && c === "\\") j += 2;
    else if (c === quote && sql[j + 1] === quote) j += 2;
    else if (c === quote) return j + 1;
    else j++;
  }
  return sql.length;
}

/** Whether the script's last statement lacks its ; (so one must be added before appending more SQL). */
export function needsTerminator(sql: string): boolean {
  const statements = splitStatements(sql);
  return statements.length > 0 && !(statements[statements.length - 1] as SqlStatement).terminated;
}

/** `sql` with a ; after its last statement if it has none (placed before any trailing comment). */
export function terminate(sql: string): string {
  const last = splitStatements(sql).at(-1);
  if (last === undefined || last.terminated) return sql;
  return `${sql.slice(0, last.end)};${sql.slice(last.end)}`;
}

/** 1-based line and column of a 0-based offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}
