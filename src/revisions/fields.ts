/**
 * Checks shared by the SQL and TypeScript revision parsers: revision ids,
 * id lists and the `<rev>_<slug>` file-name rule. Pure; each check returns
 * the problem as text so the caller can attach file and line.
 */

/** Alembic refuses these in revision ids: they are identifier syntax (`a@head`, `-1`, `+2`). */
const ILLEGAL_ID_CHARS = ["+", "-", "@"] as const;

/** alembic_version.version_num is varchar(32): a longer id could never be stamped. */
export const MAX_REVISION_ID_LENGTH = 32;

/** Why `id` cannot be a revision id, or undefined when it can. */
export function revisionIdProblem(id: string): string | undefined {
  if (id === "") return "empty revision id";
  if (/[\s,]/.test(id)) return `revision id '${JSON.stringify(id).slice(1, -1)}' contains whitespace or a comma`;
  // the id starts the file name: it must not leave the revision directory or hide the file
  if (/[\p{Cc}\p{Cf}]/u.test(id)) return `revision id '${JSON.stringify(id).slice(1, -1)}' contains a control character`;
  if (/[/\\]/.test(id)) return `revision id '${id}' contains a path separator ('/' or '\\')`;
  if (id.startsWith(".")) return `revision id '${id}' starts with '.' (the file would be hidden, or name a directory)`;
  const illegal = ILLEGAL_ID_CHARS.filter((c) => id.includes(c));
  if (illegal.length > 0) return `character(s) '${illegal.join(", ")}' not allowed in revision id '${id}'`;
  if (id.length > MAX_REVISION_ID_LENGTH) {
    return `revision id '${id}' is longer than ${MAX_REVISION_ID_LENGTH} characters (alembic_version.version_num is varchar(32))`;
  }
  return undefined;
}

/** Split a header list ("a, b" or "a b"); empty text is the empty list. */
export function splitList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  // the common case, one plain id, without a regex split (this runs three times per file)
  if (!/[\s,]/.test(trimmed)) return [trimmed];
  return trimmed.split(/[\s,]+/).filter((item) => item !== "");
}

/** The last path segment, for both `/` and `\` separated paths (embedded names use `/`). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** Why the file name disagrees with the revision id (`<rev>_<slug>.ext` or `<rev>.ext`), or undefined. */
export function fileNameProblem(path: string, id: string): string | undefined {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  if (stem === id || stem.startsWith(`${id}_`)) return undefined;
  return `file name '${name}' does not start with its revision id '${id}_'; rename the file or fix the revision id`;
}
