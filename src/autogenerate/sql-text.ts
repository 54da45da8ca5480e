/**
 * Small helpers over SQL text that PostgreSQL printed: type names and
 * expressions, read with the one SQL lexer (src/runtime/split-sql.ts). Pure.
 */
import { sqlTokenSpans } from "../runtime/split-sql.ts";

/** Remove one pair of parentheses wrapping the whole expression: `(a * 2)` → `a * 2`, `(a) + (b)` unchanged. */
export function unwrapParens(expression: string): string {
  const text = expression.trim();
  if (!text.startsWith("(") || !text.endsWith(")")) return text;
  const tokens = sqlTokenSpans(text);
  let depth = 0;
  for (const [n, { start, end }] of tokens.entries()) {
    const token = text.slice(start, end);
    if (token === "(") depth++;
    else if (token === ")" && --depth === 0 && n < tokens.length - 1) return text;
  }
  return text.slice(1, -1);
}

const MODIFIED = /^(character varying|bit varying|numeric|timestamp|time|interval)\((\d+)(?:,(\d+))?\)(.*)$/;

/**
 * Whether changing a column from type `from` to type `to` keeps every value
 * and needs no table rewrite: a longer varchar, varchar to text, more numeric
 * precision with the same scale, more fractional seconds, cidr to inet.
 */
export function isSafeTypeChange(from: string, to: string): boolean {
  if (from === to) return true;
  if (from === "cidr" && to === "inet") return true;
  if (/^character varying(\(\d+\))?$/.test(from) && (to === "text" || to === "character varying")) return true;
  if (from === "text" && to === "character varying") return true;
  const f = MODIFIED.exec(from);
  if (f === null) return false;
  // dropping the modifier: varchar(20) → varchar, numeric(10,2) → numeric
  if (to === from.replace(/\(\d+(?:,\d+)?\)/, "")) return true;
  const t = MODIFIED.exec(to);
  if (t === null || t[1] !== f[1] || t[4] !== f[4]) return false;
  if (f[1] === "numeric") return Number(t[2]) >= Number(f[2]) && (t[3] ?? "0") === (f[3] ?? "0");
  return Number(t[2]) >= Number(f[2]);
}

const SUBQUERY_START = /^\(\s*(SELECT|WITH|VALUES)\b/;
const JOIN_LINE = /^\s+(?:(?:LEFT|RIGHT|FULL|CROSS|NATURAL|INNER)\s+)*(?:OUTER\s+)?JOIN\b/;

/**
 * PostgreSQL 15 and older qualify every column of a single-relation view
 * (`SELECT t.id FROM public.t`); 16 and later do not (`SELECT id FROM
 * public.t`), because the dummy OLD/NEW entries of view rules are gone.
 * Rewrite pg_get_viewdef(oid, true) text of an older server to the newer
 * form: when the top-level query reads one FROM item, drop that item's
 * `name.` from column references outside sub-selects (sub-selects qualify
 * in every version). Whole-row references (`t.*`) keep their name.
 */
export function unqualifySingleRelation(definition: string): string {
  const refname = singleFromItem(definition);
  if (refname === null) return definition;
  const tokens = sqlTokenSpans(definition);
  const text = (n: number) => (n >= 0 && n < tokens.length ? definition.slice(tokens[n]!.start, tokens[n]!.end) : "");
  let out = "";
  let copied = 0;
  const stack: boolean[] = []; // per open paren: does it start a sub-select?
  for (let n = 0; n < tokens.length; n++) {
    const token = text(n);
    if (token === "(") stack.push(SUBQUERY_START.test(definition.slice(tokens[n]!.start, tokens[n]!.start + 20)));
    else if (token === ")") stack.pop();
    else if (token === refname && text(n + 1) === "." && text(n + 2) !== "*" && text(n - 1) !== "." && !stack.includes(true)) {
      // `name.` goes: copy up to it, continue after the dot
      out += definition.slice(copied, tokens[n]!.start);
      copied = tokens[n + 1]!.end;
      n++;
    }
  }
  return out + definition.slice(copied);
}

/** The refname of the only top-level FROM item of a pretty-printed view, or null when there are several (or none). */
function singleFromItem(definition: string): string | null {
  if (/^(UNION|INTERSECT|EXCEPT)\b/m.test(definition)) return null;
  const lines = definition.split("\n");
  const at = lines.findIndex((line) => line.startsWith("   FROM "));
  if (at < 0) return null;
  const rest = [lines[at]!.slice("   FROM ".length), ...lines.slice(at + 1)].join("\n");
  // the item: a parenthesised sub-select or VALUES, or a (function-call) name, then an optional alias with column list
  let i = 0;
  let name = "";
  if (rest.startsWith("(")) i = closing(rest, 0) + 1;
  else {
    const m = /^(?:(?:"(?:[^"]|"")+"|[A-Za-z0-9_$]+)\.)*("(?:[^"]|"")+"|[A-Za-z0-9_$]+)/.exec(rest);
    if (m === null) return null;
    name = m[1]!;
    i = m[0].length;
    if (rest[i] === "(") i = closing(rest, i) + 1;
  }
  const alias = /^ ("(?:[^"]|"")+"|[A-Za-z0-9_$]+)/.exec(rest.slice(i));
  if (alias !== null) {
    name = alias[1]!;
    i += alias[0].length;
    if (rest[i] === "(") i = closing(rest, i) + 1;
  }
  if (name === "") return null;
  const after = rest.slice(i);
  if (after.startsWith(",") || (after !== "" && !after.startsWith("\n"))) return null;
  const next = after.slice(1).split("\n")[0] ?? "";
  return JOIN_LINE.test(next) ? null : name;
}

/** Index of the parenthesis closing the one at `open` (quotes skipped); the end of the text when unbalanced. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (const { start, end } of sqlTokenSpans(text.slice(open))) {
    const token = text.slice(open + start, open + end);
    if (token === "(") depth++;
    else if (token === ")" && --depth === 0) return open + start;
  }
  return text.length - 1;
}
