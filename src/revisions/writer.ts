/**
 * Render new revision files (SQL and TypeScript) and their file names the
 * way Alembic's `revision` command does. Pure: the command decides where to
 * write; what is rendered here parses back to the same revision.
 */

/** What a new revision says about itself. */
export interface NewRevision {
  readonly id: string;
  /** parents: [] for a base, several for a merge */
  readonly downRevisions: readonly string[];
  readonly branchLabels?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly message: string;
  /** as formatCreateDate writes it; null leaves the line out */
  readonly createDate: string | null;
  /** false runs the revision outside a transaction; the default (true) is not written out */
  readonly transaction?: boolean;
  /** free text for the docstring (SQL: comment lines below the header, after a `--` line) */
  readonly notes?: readonly string[];
}

/** A new SQL revision: section bodies; `downgradeSql: null` writes no downgrade section (irreversible). */
export interface NewSqlRevision extends NewRevision {
  readonly upgradeSql?: string;
  readonly downgradeSql?: string | null;
}

/** A new TypeScript revision: function bodies (statements, unindented); `downgradeCode: null` writes no downgrade(). */
export interface NewTsRevision extends NewRevision {
  readonly upgradeCode?: string;
  readonly downgradeCode?: string | null;
  /** module the `Op` type is imported from (type-only, erased at run time); default "retort" */
  readonly opImport?: string;
}

/** Alembic's truncate_slug_length default. */
export const DEFAULT_SLUG_LENGTH = 40;

/** Alembic's slug: the message's word runs (Python's Unicode `\w+`) joined by `_`, lowercased, cut at a word boundary. */
export function revisionSlug(message: string, maxLength: number = DEFAULT_SLUG_LENGTH): string {
  const slug = (message.match(/[\p{L}\p{N}_]+/gu) ?? []).join("_").toLowerCase();
  const chars = Array.from(slug);
  if (chars.length <= maxLength) return slug;
  const cut = chars.slice(0, maxLength).join("");
  const underscore = cut.lastIndexOf("_");
  return `${underscore >= 0 ? cut.slice(0, underscore) : cut}_`;
}

/** `<rev>_<slug>.<ext>`, Alembic's default file_template. */
export function revisionFileName(id: string, message: string, ext: "sql" | "ts", maxSlugLength: number = DEFAULT_SLUG_LENGTH): string {
  return `${id}_${revisionSlug(message, maxSlugLength)}.${ext}`;
}

/** `2026-02-11 14:05:09` in local time, as in the README's revision files (Alembic's datetime.now() without microseconds). */
export function formatCreateDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

/** The text of a new SQL revision file. */
export function renderSqlRevision(rev: NewSqlRevision): string {
  const notes = rev.notes?.length ? ["", ...rev.notes] : [];
  const header = [...headerLines(rev), ...notes].map((line) => `-- ${line}`.trimEnd());
  const parts = [header.join("\n"), section("-- migrate:upgrade", rev.upgradeSql ?? "")];
  if (rev.downgradeSql !== null) parts.push(section("-- migrate:downgrade", rev.downgradeSql ?? ""));
  return `${parts.join("\n\n")}\n`;
}

/** The text of a new TypeScript revision file, shaped like Alembic's script.py.mako. */
export function renderTsRevision(rev: NewTsRevision): string {
  const doc = [oneLine(rev.message), "", ...headerLines(rev).filter((line) => !line.startsWith("Message:"))]
    .map((line) => ` * ${line.replaceAll("*/", "*\\/")}`.trimEnd())
    .join("\n");
  const str = (value: string) => JSON.stringify(value);
  const list = (values: readonly string[] | undefined) => `[${(values ?? []).map(str).join(", ")}]`;
  const down = rev.downRevisions.length === 0 ? "null" : rev.downRevisions.length === 1 ? str(rev.downRevisions[0] as string) : list(rev.downRevisions);
  const lines = [
    `/**\n${doc}\n */`,
    `import type { Op } from ${str(rev.opImport ?? "retort")};`,
    "",
    "// revision identifiers, used by retort (and named like Alembic's).",
    `export const revision = ${str(rev.id)};`,
    `export const downRevision: string | string[] | null = ${down};`,
    `export const branchLabels: string[] = ${list(rev.branchLabels)};`,
    `export const dependsOn: string[] = ${list(rev.dependsOn)};`,
    `export const message = ${str(oneLine(rev.message))};`,
  ];
  if (rev.createDate !== null) lines.push(`export const createDate = ${str(rev.createDate)};`);
  lines.push(`export const transaction = ${rev.transaction ?? true};`, "", fn("upgrade", rev.upgradeCode ?? ""));
  if (rev.downgradeCode !== null) lines.push("", fn("downgrade", rev.downgradeCode ?? ""));
  return `${lines.join("\n")}\n`;
}

/** Header lines in the README's order; optional ones only when they say something. */
function headerLines(rev: NewRevision): string[] {
  const lines = [`Revision ID: ${rev.id}`, `Revises: ${rev.downRevisions.join(", ")}`];
  if (rev.createDate !== null) lines.push(`Create Date: ${rev.createDate}`);
  lines.push(`Message: ${oneLine(rev.message)}`);
  if (rev.branchLabels?.length) lines.push(`Branch Labels: ${rev.branchLabels.join(", ")}`);
  if (rev.dependsOn?.length) lines.push(`Depends On: ${rev.dependsOn.join(", ")}`);
  if (rev.transaction === false) lines.push("Transaction: false");
  return lines;
}

/** The header holds one line per key, so a multi-line message is joined with spaces. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

function section(marker: string, body: string): string {
  const trimmed = body.replace(/^\s*\n/, "").trimEnd();
  return trimmed === "" ? marker : `${marker}\n${trimmed}`;
}

function fn(name: string, body: string): string {
  const trimmed = body.replace(/^\s*\n/, "").trimEnd();
  const indented = trimmed === "" ? "" : `${trimmed.split("\n").map((line) => (line === "" ? "" : `  ${line}`)).join("\n")}\n`;
  return `export async function ${name}(op: Op): Promise<void> {\n${indented}}`;
}
