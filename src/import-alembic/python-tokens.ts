/**
 * A small Python tokenizer, enough to read an Alembic revision module without
 * running it: names, numbers, operators, and string literals decoded to their
 * values (single, triple-quoted, raw, bytes, implicit concatenation is left to
 * the reader). Lines are grouped into logical lines (brackets and backslashes
 * join physical lines) with the indentation of their first token. Pure.
 */

/** One token; `value` is the decoded text of a string, the spelling otherwise. */
export interface PyToken {
  readonly kind: "name" | "number" | "string" | "op";
  readonly value: string;
  /** a string with an f prefix: its value is not a literal */
  readonly formatted?: boolean;
  /** 1-based line of the token's first character */
  readonly line: number;
}

/** One logical line: its tokens, the column of the first one, and its source text. */
export interface PyLine {
  readonly indent: number;
  readonly tokens: readonly PyToken[];
  readonly line: number;
  readonly text: string;
}

/** A tokenizing failure: what and where (1-based line). */
export class PySyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(?:'''|"""|'|")/;
const NAME = /^[\p{L}_][\p{L}\p{N}_]*/u;
const NUMBER = /^(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)/;
const OPERATORS = ["**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="];

/** Split Python source into logical lines of tokens (comments and blank lines dropped). */
export function tokenizePython(source: string): PyLine[] {
  const src = source.replace(/\r\n?/g, "\n").replace(/^\uFEFF/, "");
  const lines: PyLine[] = [];
  let tokens: PyToken[] = [];
  let depth = 0;
  let lineNo = 1;
  let lineStart = 0;
  let logicalStart = -1;
  let logicalLine = 1;
  let indent = 0;
  let i = 0;
  const finish = (end: number) => {
    if (tokens.length > 0) lines.push({ indent, tokens, line: logicalLine, text: src.slice(logicalStart, end).trim() });
    tokens = [];
    logicalStart = -1;
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (c === "\n") {
      lineNo += 1;
      i += 1;
      lineStart = i;
      if (depth === 0) finish(i - 1);
      continue;
    }
    if (c === " " || c === "\t" || c === "\f") {
      i += 1;
      continue;
    }
    if (c === "#") {
      const nl = src.indexOf("\n", i);
      i = nl < 0 ? src.length : nl;
      continue;
    }
    if (c === "\\" && src[i + 1] === "\n") {
      i += 2;
      lineNo += 1;
      lineStart = i;
      continue;
    }
    if (tokens.length === 0 && depth === 0) {
      indent = columnOf(src.slice(lineStart, i));
      logicalStart = i;
      logicalLine = lineNo;
    }
    const prefix = STRING_PREFIX.exec(src.slice(i, i + 5));
    if (prefix) {
      const start = lineNo;
      const { value, end, newlines, formatted } = readString(src, i, prefix[0], lineNo);
      tokens.push({ kind: "string", value, line: start, ...(formatted ? { formatted } : {}) });
      lineNo += newlines;
      if (newlines > 0) lineStart = src.lastIndexOf("\n", end - 1) + 1;
      i = end;
      continue;
    }
    const rem = src.slice(i, i + 200);
    const name = NAME.exec(rem);
    if (name) {
      tokens.push({ kind: "name", value: name[0], line: lineNo });
      i += name[0].length;
      continue;
    }
    const num = /^[0-9.]/.test(c) ? NUMBER.exec(rem) : null;
    if (num && num[0] !== ".") {
      tokens.push({ kind: "number", value: num[0], line: lineNo });
      i += num[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i)) ?? c;
    if ("([{".includes(op)) depth += 1;
    if (")]}".includes(op)) {
      if (depth === 0) throw new PySyntaxError(`unmatched '${op}'`, lineNo);
      depth -= 1;
    }
    tokens.push({ kind: "op", value: op, line: lineNo });
    i += op.length;
  }
  if (depth > 0) throw new PySyntaxError("unclosed bracket at end of file", lineNo);
  finish(src.length);
  return lines;
}

/** Python's column rule for indentation: tabs to the next multiple of 8. */
function columnOf(leading: string): number {
  let col = 0;
  for (const ch of leading) col = ch === "\t" ? (Math.floor(col / 8) + 1) * 8 : col + 1;
  return col;
}

function readString(src: string, start: number, prefix: string, line: number): { value: string; end: number; newlines: number; formatted: boolean } {
  const quote = prefix.endsWith('"""') || prefix.endsWith("'''") ? prefix.slice(-3) : prefix.slice(-1);
  const flags = prefix.slice(0, prefix.length - quote.length).toLowerCase();
  const raw = flags.includes("r");
  let j = start + prefix.length;
  let body = "";
  for (;;) {
    if (j >= src.length) throw new PySyntaxError("unterminated string literal", line);
    const ch = src[j] as string;
    if (ch === "\\") {
      body += src.slice(j, j + 2);
      j += 2;
      continue;
    }
    if (src.startsWith(quote, j)) break;
    if (ch === "\n" && quote.length === 1) throw new PySyntaxError("unterminated string literal", line);
    body += ch;
    j += 1;
  }
  const newlines = (src.slice(start, j).match(/\n/g) ?? []).length;
  return { value: raw ? body : unescape(body, line), end: j + quote.length, newlines, formatted: flags.includes("f") };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v", "\\": "\\", "'": "'", '"': '"', "\n": "" };

/** Python's escape sequences in a non-raw string; unknown ones keep their backslash, as Python does. */
function unescape(body: string, line: number): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|[\s\S])/g, (whole, esc: string) => {
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) return simple;
    if (/^[xuU]/.test(esc) && esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCodePoint(parseInt(esc, 8));
    if (esc.startsWith("N{")) throw new PySyntaxError(`named escape ${whole} is not supported`, line);
    return whole;
  });
}
