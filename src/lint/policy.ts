/**
 * What happens to raw findings: `-- retort-lint: ignore RULE[, RULE]` on the
 * lines just above a statement and `-- retort-lint: ignore-file RULE` in the
 * file header suppress them (an ignore that suppresses nothing is itself a
 * finding), and `[lint]` in retort.toml turns rules off or re-grades them. Pure.
 */
import type { LintLevel } from "../config/config.ts";
import { ConfigError } from "../errors.ts";
import { RULES, type RawFinding, type RuleName, type Severity } from "./rules.ts";

/** A finding as reported: rule, severity, where, and what (plus the safer way, for text output). */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly revision: string;
  readonly file: string;
  readonly line: number;
  readonly message: string;
  /** the safer way to write it (text output only) */
  readonly help: string;
  /** index of the statement in its revision, -1 for the revision as a whole */
  readonly statement: number;
}

/** An ignore directive: the rules it names and the line it sits on. */
export interface Ignore {
  readonly rules: readonly string[];
  readonly line: number;
}

const DIRECTIVE = /--\s*retort-lint:\s*(ignore-file|ignore)\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/g;

/** The `ignore` (statement) or `ignore-file` directives in comment text whose first line is `firstLine`. */
export function readIgnores(text: string, kind: "ignore" | "ignore-file", firstLine = 1): Ignore[] {
  const out: Ignore[] = [];
  for (const m of text.matchAll(DIRECTIVE)) {
    if (m[1] !== kind) continue;
    const line = firstLine + text.slice(0, m.index).split("\n").length - 1;
    out.push({ rules: m[2]!.split(",").map((r) => r.trim()), line });
  }
  return out;
}

/** `[lint]` checked against the rule names: unknown names are a ConfigError. */
export function checkLintConfig(configPath: string | null, levels: Readonly<Record<string, LintLevel>> | undefined): Readonly<Record<string, LintLevel>> {
  for (const rule of Object.keys(levels ?? {})) {
    if (!(rule in RULES)) throw new ConfigError(`${configPath ?? "retort.toml"}: [lint] names unknown rule '${rule}' (rules: ${Object.keys(RULES).join(", ")})`);
  }
  return levels ?? {};
}

/** One revision's findings after ignores and `[lint]` levels. */
export function applyPolicy(input: {
  readonly revision: string;
  readonly file: string;
  readonly raw: readonly RawFinding[];
  /** per statement index: the ignore directives just above it */
  readonly statementIgnores: ReadonlyMap<number, readonly Ignore[]>;
  readonly fileIgnores: readonly Ignore[];
  readonly levels: Readonly<Record<string, LintLevel>>;
}): Finding[] {
  const usedRule = new Set<string>();
  const kept: RawFinding[] = [];
  for (const f of input.raw) {
    const fileIgnore = input.fileIgnores.find((i) => i.rules.includes(f.rule));
    const stmtIgnore = (input.statementIgnores.get(f.statement) ?? []).find((i) => i.rules.includes(f.rule));
    const by = stmtIgnore ?? fileIgnore;
    if (by) {
      usedRule.add(`${input.fileIgnores.includes(by) ? "file" : f.statement}:${by.line}:${f.rule}`);
    } else kept.push(f);
  }
  // every rule an ignore names must have suppressed something
  const unused: RawFinding[] = [];
  const check = (ignore: Ignore, scope: string) => {
    for (const rule of ignore.rules) {
      if (!(rule in RULES)) unused.push({ rule: "unused-ignore", statement: -1, line: ignore.line, message: `ignore names unknown rule '${rule}'` });
      else if (!usedRule.has(`${scope}:${ignore.line}:${rule}`)) unused.push({ rule: "unused-ignore", statement: -1, line: ignore.line, message: `ignore of ${rule} suppresses nothing here` });
    }
  };
  for (const ignore of input.fileIgnores) check(ignore, "file");
  for (const [statement, ignores] of input.statementIgnores) for (const ignore of ignores) check(ignore, String(statement));
  const out: Finding[] = [];
  for (const f of [...kept, ...unused]) {
    const level = input.levels[f.rule];
    if (level === "off") continue;
    const rule = RULES[f.rule as RuleName];
    out.push({ rule: f.rule, severity: level ?? rule.severity, revision: input.revision, file: input.file, line: f.line, message: f.message, help: rule.help, statement: f.statement });
  }
  return out.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
