/**
 * The built-in converter, for machines without Alembic: an upgrade() or
 * downgrade() made only of `op.execute(<literal SQL>)` (a string, a
 * module-level string constant, or `text(...)`/`sa.text(...)` around one),
 * `pass`, docstrings, comments and `with op.get_context().autocommit_block():`
 * becomes the SQL Alembic's offline mode would emit. Anything else is
 * reported with its line, never guessed at. Pure.
 */
import { type SectionSql, sectionFromStatements } from "./alembic-sql.ts";
import { type PyModule, stringsValue } from "./python-module.ts";
import type { PyLine, PyToken } from "./python-tokens.ts";

/** One direction of a revision: its SQL, no section (the function raises), or why it could not be converted. */
export type ConvertedSection =
  | { readonly kind: "sql"; readonly section: SectionSql; readonly autocommit: boolean }
  | { readonly kind: "raises" }
  | { readonly kind: "unconvertible"; readonly reason: string; readonly line: number | null };

/** SQLAlchemy's text() bind parameter rule: `:name` not preceded by ':', a word character or a backslash, not followed by ':'. */
const BIND_PARAM = /(?<![:\w\\]):(\w+)(?!:)/u;

/** Convert `def <name>()` of a revision module. */
export function convertFunction(module: PyModule, name: "upgrade" | "downgrade", versionTable?: string): ConvertedSection {
  const fn = module.functions.get(name);
  if (!fn) return { kind: "unconvertible", reason: `no ${name}() function`, line: null };
  const statements: string[] = [];
  let autocommit = false;
  for (let k = 0; k < fn.body.length; k++) {
    const line = fn.body[k] as PyLine;
    const t = line.tokens;
    if (k === 0 && stringsValue(t) !== null) continue; // docstring
    if (t.length === 1 && (t[0]?.value === "pass" || t[0]?.value === "...")) continue;
    if (stringsValue(t) !== null) continue; // a bare string expression does nothing
    if (t[0]?.kind === "name" && t[0].value === "raise") {
      if (statements.length === 0) return { kind: "raises" };
      return { kind: "unconvertible", reason: `${name}() raises after running SQL`, line: line.line };
    }
    const rest = autocommitWith(t);
    if (rest !== null) {
      autocommit = true;
      if (rest.length === 0) continue;
      const sql = executeArgument(rest, module);
      if (typeof sql !== "string") return { kind: "unconvertible", reason: sql.reason, line: line.line };
      statements.push(sql);
      continue;
    }
    const sql = executeArgument(t, module);
    if (typeof sql !== "string") return { kind: "unconvertible", reason: `${sql.reason}: ${shorten(line.text)}`, line: line.line };
    statements.push(sql);
  }
  return { kind: "sql", section: sectionFromStatements(statements, versionTable), autocommit };
}

/** The tokens after `with op.get_context().autocommit_block():` (empty when the block starts on the next line), or null. */
function autocommitWith(t: readonly PyToken[]): PyToken[] | null {
  const spelled = t.map((tok) => tok.value).join(" ");
  const prefix = "with op . get_context ( ) . autocommit_block ( ) :";
  if (!spelled.startsWith(prefix)) return null;
  return t.slice(prefix.split(" ").length);
}

/** The SQL text of `op.execute(ARG)`, or why the statement is not one. */
function executeArgument(t: readonly PyToken[], module: PyModule): string | { reason: string } {
  const head = t
    .slice(0, 4)
    .map((tok) => tok.value)
    .join("");
  if (head !== "op.execute(" || t[t.length - 1]?.value !== ")") return { reason: "not an op.execute(...) call" };
  let arg = t.slice(4, -1);
  if (arg[arg.length - 1]?.value === ",") arg = arg.slice(0, -1);
  const call = arg.map((tok) => tok.value);
  const textCall = ["text(", "sa.text(", "sqlalchemy.text("].find((p) => call.join("").startsWith(p) && call[call.length - 1] === ")");
  if (textCall !== undefined) {
    const open = arg.findIndex((tok) => tok.value === "(");
    arg = arg.slice(open + 1, -1);
    if (arg[arg.length - 1]?.value === ",") arg = arg.slice(0, -1);
  }
  let sql = stringsValue(arg);
  if (sql === null && arg.length === 1 && arg[0]?.kind === "name") {
    const constant = module.assignments.get(arg[0].value)?.value;
    if (constant?.kind === "str") sql = constant.value;
  }
  if (sql === null) return { reason: "op.execute() of something other than a literal string" };
  const bind = BIND_PARAM.exec(sql);
  if (bind) return { reason: `SQL has a bind parameter ':${bind[1]}' with no value (escape it as '\\:${bind[1]}')` };
  // text() turns an escaped '\:' back into ':'
  return sql.replace(/\\(:[\w$]*)(?![:\w$])/gu, "$1");
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}
