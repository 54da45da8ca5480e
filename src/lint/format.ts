/**
 * A lint report as text (grouped by revision: file:line, the statement
 * excerpt, what was measured, the safer way), as `--json`, or as GitHub
 * workflow annotations (`--format github`). Pure.
 */
import { isAbsolute, relative } from "node:path";
import type { Finding } from "./policy.ts";
import type { LintReport, StatementReport } from "./run.ts";

/** The `--json` document: exactly findings, statements and the PostgreSQL version that measured. */
export function lintJson(report: LintReport): { findings: object[]; statements: object[]; pgVersion: string } {
  return {
    findings: report.findings.map(({ rule, severity, revision, file, line, message }) => ({ rule, severity, revision, file, line, message })),
    statements: report.statements.map(({ revision, file, line, sql, locks, rewrites }) => ({ revision, file, line, sql, locks, rewrites })),
    pgVersion: report.pgVersion,
  };
}

/** A statement on one line, cut to `max` characters. */
export function excerpt(sql: string, max = 100): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One line summing up the findings. */
export function summaryLine(report: LintReport): string {
  const errors = report.findings.filter((f) => f.severity === "error").length;
  const warnings = report.findings.length - errors;
  // upgrade's pre-flight and a fleet's lint decide with each live database's catalog: no PGlite measured anything
  const how = report.basis === "catalog" ? "decided with the database's own catalog, not measured" : `measured on PGlite, PostgreSQL ${report.pgVersion || "?"}`;
  return `${report.revisions.length} revision(s), ${report.statements.length} statement(s): ${errors} error(s), ${warnings} warning(s) (${how})`;
}

/** The text report. */
export function lintText(report: LintReport): string {
  const lines: string[] = [];
  for (const rev of report.revisions) {
    const findings = report.findings.filter((f) => f.revision === rev.id);
    if (findings.length === 0) continue;
    lines.push(`${rev.id} ${rev.file}`);
    if (rev.emptyTables.length > 0) lines.push(`  (measured with these tables empty: no row could be made up for ${rev.emptyTables.join(", ")})`);
    const statements = report.statements.filter((s) => s.revision === rev.id);
    for (const f of findings) lines.push(...findingLines(f, statementAt(statements, f)));
    lines.push("");
  }
  lines.push(summaryLine(report));
  return `${lines.join("\n")}\n`;
}

function statementAt(statements: readonly StatementReport[], f: Finding): StatementReport | undefined {
  return f.statement >= 0 ? statements[f.statement] : undefined;
}

function findingLines(f: Finding, statement: StatementReport | undefined): string[] {
  const out = [`  ${f.file}:${f.line}: ${f.severity} [${f.rule}] ${f.message}`];
  if (statement) out.push(`      ${excerpt(statement.sql)}`);
  out.push(`      safer: ${f.help}`);
  return out;
}

/** GitHub workflow commands: one `::error file=…,line=…::message` (or ::warning) per finding, paths relative to `cwd` (the checkout). */
export function lintGithub(report: LintReport, cwd = process.cwd()): string {
  const escape = (s: string) => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
  const prop = (s: string) => escape(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
  const lines = report.findings.map((f) => `::${f.severity} file=${prop(isAbsolute(f.file) ? relative(cwd, f.file) : f.file)},line=${f.line},title=${prop(f.rule)}::${escape(`${f.message} — safer: ${f.help}`)}`);
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
