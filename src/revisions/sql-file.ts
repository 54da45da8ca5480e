/**
 * The SQL revision form (README "Revision files"): a header of
 * `-- Key: value` comment lines, then `-- migrate:upgrade` and optionally
 * `-- migrate:downgrade` sections. Pure: a function of (path, text), so
 * files on disk and files embedded in the binary parse the same way.
 */
import { RevisionFileError } from "../errors.ts";
import { fileNameProblem, revisionIdProblem, splitList } from "./fields.ts";
import type { LoadedRevision, MigrationScript } from "./types.ts";

type HeaderKey = "id" | "revises" | "createDate" | "message" | "branchLabels" | "dependsOn" | "transaction";

/** Header keys as written in files; matched case-insensitively with single spaces. */
const HEADER_KEYS: ReadonlyMap<string, HeaderKey> = new Map([
  ["revision id", "id"],
  ["revises", "revises"],
  ["create date", "createDate"],
  ["message", "message"],
  ["branch labels", "branchLabels"],
  ["depends on", "dependsOn"],
  ["transaction", "transaction"],
]);

const CANONICAL_KEYS: ReadonlyMap<string, HeaderKey> = new Map([
  ["Revision ID", "id"],
  ["Revises", "revises"],
  ["Create Date", "createDate"],
  ["Message", "message"],
  ["Branch Labels", "branchLabels"],
  ["Depends On", "dependsOn"],
  ["Transaction", "transaction"],
]);

const KNOWN_KEYS = "Revision ID, Revises, Create Date, Message, Branch Labels, Depends On, Transaction";

/** One to three words of letters before the colon: the shape of a header key. */
const KEY_SHAPE = /^[A-Za-z]+(?: +[A-Za-z]+){0,2}$/;

type SectionKind = "upgrade" | "downgrade";

interface Field {
  readonly value: string;
  readonly line: number;
}

interface OpenSection {
  readonly kind: SectionKind;
  readonly markerLine: number;
  /** offset of the first body character in the text */
  readonly start: number;
}

/** Parse a SQL revision file; malformed files throw RevisionFileError naming the file and line. */
export function parseSqlRevision(path: string, text: string): LoadedRevision {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const fields = new Map<HeaderKey, Field>();
  // Header lines other than Message, as written, for the docstring.
  const docLines: string[] = [];
  const sections = new Map<SectionKind, { script: MigrationScript; markerLine: number }>();
  let open: OpenSection | undefined;

  const close = (end: number) => {
    if (!open) return;
    let sql = src.slice(open.start, end);
    if (sql.includes("\r")) sql = sql.replaceAll("\r\n", "\n");
    sections.set(open.kind, {
      script: { kind: "sql", sql: sql.trimEnd(), line: open.markerLine + 1 },
      markerLine: open.markerLine,
    });
  };

  let pos = 0;
  let lineNo = 0;
  while (pos <= src.length) {
    const newline = src.indexOf("\n", pos);
    const end = newline < 0 ? src.length : newline;
    lineNo += 1;
    // Body lines are most of a file: skip them unless they start with "--", without slicing.
    let first = pos;
    while (first < end && isBlank(src.charCodeAt(first))) first += 1;
    const isComment = src.charCodeAt(first) === DASH && src.charCodeAt(first + 1) === DASH && first + 1 < end;
    if (isComment || (!open && first < end)) {
      const comment = isComment ? src.slice(first + 2, end).trim() : undefined;
      const marker = comment === undefined ? undefined : sectionMarker(path, comment, lineNo);
      if (marker) {
        close(pos);
        const previous = sections.get(marker);
        if (previous) {
          throw new RevisionFileError(`second '-- migrate:${marker}' section (the first is at line ${previous.markerLine}); merge them into one`, path, lineNo);
        }
        open = { kind: marker, markerLine: lineNo, start: newline < 0 ? src.length : newline + 1 };
      } else if (!open) {
        if (comment === undefined) {
          throw new RevisionFileError("SQL before the first section marker; put statements below '-- migrate:upgrade'", path, lineNo);
        }
        readHeaderLine(path, comment, lineNo, fields, docLines);
      }
    }
    if (newline < 0) break;
    pos = newline + 1;
  }
  close(src.length);

  const id = fields.get("id");
  if (!id) throw new RevisionFileError("missing '-- Revision ID:' header line", path);
  const idProblem = revisionIdProblem(id.value) ?? fileNameProblem(path, id.value);
  if (idProblem) throw new RevisionFileError(idProblem, path, id.line);
  const upgrade = sections.get("upgrade");
  if (!upgrade) throw new RevisionFileError("no '-- migrate:upgrade' section; add one (it may be empty)", path);

  const message = fields.get("message")?.value ?? "";
  return {
    id: id.value,
    downRevisions: splitList(fields.get("revises")?.value ?? ""),
    branchLabels: splitList(fields.get("branchLabels")?.value ?? ""),
    dependsOn: splitList(fields.get("dependsOn")?.value ?? ""),
    message,
    createDate: fields.get("createDate")?.value || null,
    path,
    // rendered on first use: listings of thousands of revisions never read it
    get doc() {
      return renderDoc(message, docLines);
    },
    format: "sql",
    transaction: parseTransaction(path, fields.get("transaction")),
    upgrade: upgrade.script,
    downgrade: sections.get("downgrade")?.script ?? null,
  };
}

const DASH = 45;

/** Spaces, tabs and the \r of CRLF files. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 12 || code === 11;
}

/** The section a `-- migrate:…` comment opens, or undefined for any other comment. */
function sectionMarker(path: string, comment: string, line: number): SectionKind | undefined {
  const c = comment.charCodeAt(0);
  if ((c !== 109 && c !== 77) || !comment.slice(0, 8).toLowerCase().startsWith("migrate:")) return undefined;
  const name = comment.slice("migrate:".length).trim().toLowerCase();
  if (name === "upgrade" || name === "downgrade") return name;
  throw new RevisionFileError(`unknown section marker '-- ${comment}'; use '-- migrate:upgrade' or '-- migrate:downgrade'`, path, line);
}

/** Record one header comment: a known key, free text for the docstring, or an unknown key (an error). */
function readHeaderLine(path: string, comment: string, line: number, fields: Map<HeaderKey, Field>, docLines: string[]): void {
  const colon = comment.indexOf(":");
  // Fast path: a key spelled exactly as retort and Alembic write it.
  const canonical = colon > 0 ? CANONICAL_KEYS.get(comment.slice(0, colon)) : undefined;
  if (canonical !== undefined && !fields.has(canonical)) {
    fields.set(canonical, { value: comment.slice(colon + 1).trim(), line });
    if (canonical !== "message") docLines.push(comment);
    return;
  }
  const keyText = colon > 0 ? comment.slice(0, colon).trim() : "";
  if (keyText !== "" && KEY_SHAPE.test(keyText)) {
    const key = HEADER_KEYS.get(keyText.toLowerCase().replace(/ +/g, " "));
    if (key) {
      const previous = fields.get(key);
      if (previous) {
        throw new RevisionFileError(`duplicate '${keyText}' header line (the first is at line ${previous.line})`, path, line);
      }
      fields.set(key, { value: comment.slice(colon + 1).trim(), line });
      if (key !== "message") docLines.push(comment);
      return;
    }
    // Capitalised words before a colon look like a key: most likely a typo, which must not pass silently.
    if (keyText.split(/ +/).every((word) => /^[A-Z]/.test(word))) {
      throw new RevisionFileError(`unknown header key '${keyText}' (known: ${KNOWN_KEYS}); free-form comments must not look like 'Key: value'`, path, line);
    }
  }
  docLines.push(comment);
}

/** `Transaction:` absent or empty means true; otherwise exactly true or false. */
function parseTransaction(path: string, field: Field | undefined): boolean {
  const value = field?.value.toLowerCase() ?? "";
  if (value === "" || value === "true") return true;
  if (value === "false") return false;
  throw new RevisionFileError(`bad Transaction value '${field?.value}'; use true or false`, path, field?.line);
}

/** Alembic's docstring shape: the message, a blank line, then the other header lines as written. */
function renderDoc(message: string, docLines: readonly string[]): string {
  const rest = docLines.join("\n");
  return (message === "" ? rest : `${message}\n\n${rest}`).trim();
}
