/**
 * What a Python module says at its top level, read from its tokens without
 * running it: the docstring, `name = <literal>` assignments (annotated ones
 * such as `down_revision: Union[str, None] = "abc"` too) and the bodies of
 * its `def`s. Pure.
 */
import { type PyLine, type PyToken, tokenizePython } from "./python-tokens.ts";

/** A literal value, or the source text of an expression that is not one. */
export type PyValue =
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "none" }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "seq"; readonly items: readonly PyValue[] }
  | { readonly kind: "other"; readonly text: string };

/** A top-level function: its name, the line of `def`, and its body's logical lines. */
export interface PyFunction {
  readonly name: string;
  readonly line: number;
  readonly body: readonly PyLine[];
}

/** The parts of a module an import needs. */
export interface PyModule {
  readonly docstring: string | null;
  readonly assignments: ReadonlyMap<string, { readonly value: PyValue; readonly line: number }>;
  readonly functions: ReadonlyMap<string, PyFunction>;
}

/** Read a module's docstring, top-level assignments and functions (throws PySyntaxError on broken tokens). */
export function readPythonModule(source: string): PyModule {
  // `a = 1; b = 2` is two statements (a one-line def keeps its `;`s for its body)
  const lines = tokenizePython(source).flatMap((line) => (line.tokens[0]?.value === "def" ? [line] : splitSemicolons(line)));
  const assignments = new Map<string, { value: PyValue; line: number }>();
  const functions = new Map<string, PyFunction>();
  const first = lines[0];
  const docstring = first && first.indent === 0 ? stringsValue(first.tokens) : null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as PyLine;
    if (line.indent !== 0) continue;
    const [head, second] = line.tokens;
    if (head?.kind === "name" && head.value === "def" && second?.kind === "name") {
      const body: PyLine[] = [];
      const colon = headerColon(line.tokens);
      const inline = colon < 0 ? [] : line.tokens.slice(colon + 1);
      if (inline.length > 0) body.push(...splitSemicolons({ ...line, tokens: inline, indent: 1, text: line.text.slice(line.text.indexOf(":", line.text.indexOf(")")) + 1).trim() }));
      while (lines[i + 1] !== undefined && (lines[i + 1] as PyLine).indent > 0) body.push(...splitSemicolons(lines[++i] as PyLine));
      functions.set(second.value, { name: second.value, line: line.line, body });
      continue;
    }
    if (head?.kind === "name" && second?.kind === "op" && (second.value === "=" || second.value === ":")) {
      const eq = line.tokens.findIndex((t, k) => k > 0 && t.kind === "op" && t.value === "=" && depthAt(line.tokens, k) === 0);
      if (eq < 0) continue;
      assignments.set(head.value, { value: readValue(line.tokens.slice(eq + 1), line.text), line: line.line });
    }
  }
  return { docstring, assignments, functions };
}

/** The value of an expression's tokens: a literal, or `other` with its text. */
export function readValue(tokens: readonly PyToken[], text: string): PyValue {
  const items = splitTopLevel(tokens, ",");
  if (items.length > 1) {
    // a trailing comma makes a one-element tuple: `"a",`
    const nonEmpty = items.filter((item, k) => item.length > 0 || k < items.length - 1);
    return seqOf(nonEmpty, text);
  }
  const t = tokens;
  if (t.length === 0) return { kind: "other", text };
  const str = stringsValue(t);
  if (str !== null) return { kind: "str", value: str };
  const [only] = t;
  if (t.length === 1 && only?.kind === "name") {
    if (only.value === "None") return { kind: "none" };
    if (only.value === "True" || only.value === "False") return { kind: "bool", value: only.value === "True" };
  }
  const open = t[0]?.value;
  const close = t[t.length - 1]?.value;
  if (t[0]?.kind === "op" && ((open === "(" && close === ")") || (open === "[" && close === "]")) && matching(t) === t.length - 1) {
    const inner = t.slice(1, -1);
    if (inner.length === 0) return { kind: "seq", items: [] };
    const parts = splitTopLevel(inner, ",");
    if (open === "(" && parts.length === 1) return readValue(inner, text);
    return seqOf(parts.filter((part, k) => part.length > 0 || k < parts.length - 1), text);
  }
  return { kind: "other", text };
}

function seqOf(parts: readonly (readonly PyToken[])[], text: string): PyValue {
  if (parts.some((part) => part.length === 0)) return { kind: "other", text };
  return { kind: "seq", items: parts.map((part) => readValue(part, text)) };
}

/** The concatenated value of tokens that are all plain string literals, else null. */
export function stringsValue(tokens: readonly PyToken[]): string | null {
  if (tokens.length === 0 || tokens.some((t) => t.kind !== "string" || t.formatted)) return null;
  return tokens.map((t) => t.value).join("");
}

/** Split tokens at top-level occurrences of an operator. */
export function splitTopLevel(tokens: readonly PyToken[], op: string): PyToken[][] {
  const parts: PyToken[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "op" && "([{".includes(t.value)) depth += 1;
    if (t.kind === "op" && ")]}".includes(t.value)) depth -= 1;
    if (depth === 0 && t.kind === "op" && t.value === op) parts.push([]);
    else (parts[parts.length - 1] as PyToken[]).push(t);
  }
  return parts;
}

/** Index of the bracket closing the one at index 0. */
function matching(tokens: readonly PyToken[]): number {
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as PyToken;
    if (t.kind === "op" && "([{".includes(t.value)) depth += 1;
    if (t.kind === "op" && ")]}".includes(t.value)) depth -= 1;
    if (depth === 0) return k;
  }
  return -1;
}

function depthAt(tokens: readonly PyToken[], index: number): number {
  let depth = 0;
  for (let k = 0; k < index; k++) {
    const t = tokens[k] as PyToken;
    if (t.kind === "op" && "([{".includes(t.value)) depth += 1;
    if (t.kind === "op" && ")]}".includes(t.value)) depth -= 1;
  }
  return depth;
}

/** The `:` that ends a def header (after the parameter list and any `-> annotation`). */
function headerColon(tokens: readonly PyToken[]): number {
  return tokens.findIndex((t, k) => t.kind === "op" && t.value === ":" && depthAt(tokens, k) === 0);
}

/** `a; b` on one line is two statements. */
function splitSemicolons(line: PyLine): PyLine[] {
  const parts = splitTopLevel(line.tokens, ";").filter((part) => part.length > 0);
  if (parts.length <= 1) return [line];
  return parts.map((tokens) => ({ ...line, tokens }));
}
