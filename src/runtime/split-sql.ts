/**
 * retort's one SQL lexer: tokens (quotes '', E'', B'', U&'', "", $tag$,
 * parameters $1, non-ASCII identifiers; comments -- and nested block
 * comments skipped) for splitting scripts into statements at top-level
 * semicolons (BEGIN ATOMIC bodies kept whole), revision checksums, inlining
 * parameters and reading printed expressions. Offsets let an error position
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
  let tokenEnd = 0; // just past the last token that is not a comment
  let depth = 0; // BEGIN ATOMIC ... END nesting
  let lastWord = "";
  let i = 0;
  const push = (terminated: boolean) => {
    if (start >= 0) statements.push({ text: sql.slice(start, tokenEnd), start, end: tokenEnd, terminated });
    start = -1;
    lastWord = "";
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if ((c === "-" && next === "-") || (c === "/" && next === "*")) {
      i = commentEnd(sql, i);
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === ";" && depth === 0) {
      push(true);
      i++;
      continue;
    }
    if (start < 0) start = i;
    i = skipToken(sql, i);
    tokenEnd = i;
  }
  push(false);
  return statements;

  /** Index just past the token at i, tracking BEGIN ATOMIC ... END nesting. */
  function skipToken(text: string, at: number): number {
    const end = lexTokenEnd(text, at);
    const word = /^[A-Za-z_]/.test(text[at] as string) && !/['"]/.test(text[end - 1] as string) ? text.slice(at, end).toUpperCase() : "";
    if (word === "ATOMIC" && lastWord === "BEGIN") depth++;
    else if (word === "CASE" && depth > 0) depth++;
    else if (word === "END" && depth > 0) depth--;
    lastWord = word;
    return end;
  }
}

/** A character that continues an identifier. */
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Index just past the token at `at` (which is not blank and not a comment):
 * a quoted string (with its E/B/X/N prefix), a quoted identifier, a
 * dollar-quoted body, a word, a number, or a single character.
 */
function lexTokenEnd(text: string, at: number): number {
  const c = text[at] as string;
  if (c === "'") {
    // E'...' (the E right before, not part of a longer word) lets a backslash escape the quote
    const escapes = /[eE]/.test(text[at - 1] ?? "") && !IDENT_CHAR.test(text[at - 2] ?? " ");
    return skipQuoted(text, at, "'", escapes);
  }
  if (c === '"') return skipQuoted(text, at, '"', false);
  if (c === "$" && !IDENT_CHAR.test(text[at - 1] ?? " ")) {
    const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(at, at + 64));
    if (tag) {
      const close = text.indexOf(tag[0], at + tag[0].length);
      return close < 0 ? text.length : close + tag[0].length;
    }
    // a parameter placeholder: $1
    const param = /^\$\d+/.exec(text.slice(at, at + 32));
    if (param) return at + param[0].length;
  }
  // identifiers may hold non-ASCII letters and, after the first character, digits and $ (so a$1 is one name)
  const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(at, at + 256))?.[0];
  if (word !== undefined) {
    // a string prefix belongs to its string: E'a' is one token, E 'a' two
    if (word.length === 1 && text[at + 1] === "'" && /[eEbBxXnN]/.test(word)) return lexTokenEnd(text, at + 1);
    return at + word.length;
  }
  const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + 64))?.[0];
  return number !== undefined ? at + number.length : at + 1;
}

/** Index just past the comment at `at`, or `at` when none starts there (`--` to the line end, nested block comments). */
function commentEnd(sql: string, at: number): number {
  const c = sql[at];
  const next = sql[at + 1];
  if (c === "-" && next === "-") {
    const nl = sql.indexOf("\n", at);
    return nl < 0 ? sql.length : nl + 1;
  }
  if (c === "/" && next === "*") {
    let level = 1;
    let i = at + 2;
    while (i < sql.length && level > 0) {
      if (sql[i] === "/" && sql[i + 1] === "*") (level++, (i += 2));
      else if (sql[i] === "*" && sql[i + 1] === "/") (level--, (i += 2));
      else i++;
    }
    return i;
  }
  return at;
}

/**
 * The tokens of `sql` in order, without comments and whitespace: what
 * PostgreSQL's own lexer would see, so two texts with the same tokens differ
 * only in formatting (the revision checksum is built on this).
 */
export function sqlTokens(sql: string): string[] {
  return sqlTokenSpans(sql).map(({ start, end }) => sql.slice(start, end));
}

/** Where each token of `sql` starts and ends (comments and whitespace skipped): the one lexer's view, for callers that rewrite tokens in place. */
export function sqlTokenSpans(sql: string): { start: number; end: number }[] {
  const tokens: { start: number; end: number }[] = [];
  let i = 0;
  while (i < sql.length) {
    const afterComment = commentEnd(sql, i);
    if (afterComment > i) {
      i = afterComment;
      continue;
    }
    if (/\s/.test(sql[i] as string)) {
      i++;
      continue;
    }
    const end = lexTokenEnd(sql, i);
    tokens.push({ start: i, end });
    i = end;
  }
  return tokens;
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

/** The index past the blanks and `--` / block comments starting at `i` (where a statement's first word begins). */
export function skipTrivia(text: string, i = 0): number {
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
