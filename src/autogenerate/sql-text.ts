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
