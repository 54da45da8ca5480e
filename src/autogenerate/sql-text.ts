/**
 * Small helpers over SQL text that PostgreSQL printed: type names and
 * expressions. Pure.
 */

/** Remove one pair of parentheses wrapping the whole expression: `(a * 2)` → `a * 2`, `(a) + (b)` unchanged. */
export function unwrapParens(expression: string): string {
  const text = expression.trim();
  if (!text.startsWith("(") || !text.endsWith(")")) return text;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === quote) {
        if (text[i + 1] === quote) i++;
        else quote = null;
      }
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0 && i < text.length - 1) return text;
    }
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
const IDENT_CHAR = /[A-Za-z0-9_$"]/;

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
  const prefix = `${refname}.`;
  let out = "";
  let quote: string | null = null;
  const stack: boolean[] = []; // per open paren: does it start a sub-select?
  for (let i = 0; i < definition.length; i++) {
    const c = definition[i]!;
    if (quote !== null) {
      out += c;
      if (c === quote) {
        if (definition[i + 1] === quote) out += definition[++i];
        else quote = null;
      }
      continue;
    }
    const inSubquery = stack.includes(true);
    if (!inSubquery && definition.startsWith(prefix, i) && !IDENT_CHAR.test(definition[i - 1] ?? " ") && definition[i - 1] !== "." && definition[i + prefix.length] !== "*") {
      i += prefix.length - 1;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(") stack.push(SUBQUERY_START.test(definition.slice(i, i + 20)));
    else if (c === ")") stack.pop();
    out += c;
  }
  return out;
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
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === quote) quote = text[i + 1] === quote ? (i++, quote) : null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return text.length - 1;
}
