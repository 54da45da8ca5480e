/**
 * Applied revisions against their files (pure): which revisions the history
 * says ran with a known checksum, and which of those changed or vanished
 * since. Used by the pre-run check of upgrade/downgrade and by `validate`.
 */
import { AppliedRevisionChangedError } from "../errors.ts";
import { shortChecksum } from "./checksum.ts";
import type { StoredHistoryRow } from "./table.ts";

/** One applied revision whose file no longer matches what ran. */
export interface ChecksumProblem {
  readonly revision: string;
  readonly problem: "changed" | "missing";
  /** the file that defines it now (null when missing) */
  readonly file: string | null;
  /** the checksum recorded when it was applied (or last accepted) */
  readonly recorded: string;
  /** the file's checksum now (null when missing) */
  readonly current: string | null;
  /** the row that recorded it: when, by whom */
  readonly appliedAt: Date;
  readonly appliedBy: string;
  readonly kind: StoredHistoryRow["kind"];
  /** named by --allow-changed (set by the run, src/history/run.ts; the comparison itself says false) */
  readonly allowed: boolean;
}

/** What the comparison needs to know about the revisions on disk (or embedded). */
export interface FileState {
  /** the file defining `revision` and whether the database is at or above it; undefined when no file defines it */
  file(revision: string): { readonly path: string; readonly applied: boolean } | undefined;
  /** the file's checksum (asked only for applied revisions that have a recorded checksum) */
  checksum(revision: string): string;
}

/** The revisions to compare: newest successful row per revision, with a checksum, still applied (or missing). */
export function rowsToCompare(latest: readonly StoredHistoryRow[], files: Pick<FileState, "file">): StoredHistoryRow[] {
  return latest.filter((row) => {
    if (row.checksum === null) return false;
    const file = files.file(row.revision);
    // without a file the graph cannot say; the history can: the row left it applied
    return file === undefined ? row.kind === "accept" || row.headsAfter.includes(row.revision) : file.applied;
  });
}

/** Changed and missing revisions among `latest` (newest successful history row per revision), oldest first. */
export function compareApplied(latest: readonly StoredHistoryRow[], files: FileState): ChecksumProblem[] {
  const problems: ChecksumProblem[] = [];
  for (const row of rowsToCompare(latest, files).sort((a, b) => a.id - b.id)) {
    const file = files.file(row.revision);
    const current = file === undefined ? null : files.checksum(row.revision);
    if (current === row.checksum) continue;
    problems.push({
      revision: row.revision,
      problem: file === undefined ? "missing" : "changed",
      file: file?.path ?? null,
      recorded: row.checksum as string,
      current,
      appliedAt: row.startedAt,
      appliedBy: appliedBy(row),
      kind: row.kind,
      allowed: false,
    });
  }
  return problems;
}

/** "os_user@host (database user db_user)", or just the database user when the OS side is unknown. */
export function appliedBy(row: Pick<StoredHistoryRow, "osUser" | "host" | "dbUser">): string {
  const os = row.osUser !== null ? `${row.osUser}${row.host !== null ? `@${row.host}` : ""}` : null;
  return os === null ? `database user ${row.dbUser}` : `${os} (database user ${row.dbUser})`;
}

/** "2026-12-07 10:04:11" in UTC. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** One line per problem, for validate's text output and the pre-run error. */
export function describeProblem(p: ChecksumProblem): string {
  const how = p.kind === "accept" ? "accepted" : p.kind === "stamp" ? "stamped" : "applied";
  const when = `${how} ${formatTimestamp(p.appliedAt)} UTC by ${p.appliedBy}`;
  if (p.problem === "missing") {
    return `revision ${p.revision} was ${when} (checksum ${shortChecksum(p.recorded)}), but no revision file defines it any more; restore the file, or accept with --allow-changed ${p.revision}`;
  }
  return `revision ${p.revision} (${p.file}) changed since it was ${when}: checksum then ${shortChecksum(p.recorded)}, now ${shortChecksum(p.current)}; restore the file (an applied revision never runs again, so the change would not reach this database), or accept it with --allow-changed ${p.revision}`;
}

/** The one error a run stops with when an applied revision changed or vanished (not allowed). */
export function problemError(problems: readonly ChecksumProblem[]): AppliedRevisionChangedError | undefined {
  const blocking = problems.filter((p) => !p.allowed);
  const first = blocking[0];
  if (first === undefined) return undefined;
  const more = blocking.length - 1;
  const tail = more > 0 ? ` (and ${more} more: ${blocking.slice(1).map((p) => p.revision).join(", ")}; 'retort validate' lists them)` : "";
  return new AppliedRevisionChangedError(`${describeProblem(first)}; nothing was run${tail}`, first.revision, first.file);
}
