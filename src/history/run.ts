/**
 * What one run hands the runner so that it can write history rows: the
 * table, the invocation, whether the table must be created, the rows that
 * open the run (adoption baseline, --allow-changed acceptances) and each
 * step's checksum. Online it is prepared under the migration lock, after the
 * pre-run check; offline (--sql) without a database.
 */
import type { PlannedStep } from "../core/types.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import type { VersionTableName } from "../runtime/version-table.ts";
import { compareAppliedRevisions, type AppliedCheckInput } from "./check.ts";
import { revisionChecksum, sqlRevisionChecksum } from "./checksum.ts";
import { resolveAllowChanged } from "./allow-changed.ts";
import { problemError } from "./compare.ts";
import { acceptRows, baselineRows, newInvocation, type Invocation } from "./rows.ts";
import { historyTableExists, type HistoryRow } from "./table.ts";

/** History bookkeeping for one run. */
export interface RunHistory {
  readonly table: VersionTableName;
  readonly invocation: Invocation;
  /** the table does not exist yet (online), or may not (offline: CREATE TABLE IF NOT EXISTS) */
  readonly create: boolean;
  /** rows written in the run's first transaction */
  readonly opening: readonly HistoryRow[];
  /** checksum of a revision a step runs or stamps (null: no file) */
  readonly checksum: (revision: string) => string | null;
}

/**
 * Checksums of the revisions the steps name: TypeScript ones rendered now
 * (that is async), SQL ones computed when asked, so the runner takes them
 * while the server is busy with the statements already sent.
 */
async function stepChecksums(steps: readonly PlannedStep[], revisions: ReadonlyMap<string, LoadedRevision>): Promise<(revision: string) => string | null> {
  const known = new Map<string, string>();
  for (const step of steps) {
    const rev = revisions.get(step.revision);
    if (rev !== undefined && rev.format === "ts" && !known.has(rev.id)) known.set(rev.id, await revisionChecksum(rev));
  }
  return (revision) => {
    const cached = known.get(revision);
    if (cached !== undefined) return cached;
    const rev = revisions.get(revision);
    if (rev === undefined) return null;
    const sum = sqlRevisionChecksum(rev);
    known.set(revision, sum);
    return sum;
  };
}

/** Offline (--sql): the script creates the table if needed and writes one row per step (no adoption: the database is unknown). */
export async function offlineHistory(table: VersionTableName, steps: readonly PlannedStep[], revisions: ReadonlyMap<string, LoadedRevision>): Promise<RunHistory> {
  return { table, invocation: newInvocation(true), create: true, opening: [], checksum: await stepChecksums(steps, revisions) };
}

/** What the online preparation needs (the caller holds the migration lock). */
export interface OnlineHistoryInput extends Omit<AppliedCheckInput, "historyTable"> {
  readonly table: VersionTableName;
  /** upgrade and downgrade compare applied revisions with their files first; stamp does not */
  readonly check: boolean;
  readonly allowChanged?: readonly string[] | undefined;
  /** stderr lines */
  readonly log: (line: string) => void;
}

/**
 * The pre-run check, then the run's history: a changed or vanished applied
 * revision throws AppliedRevisionChangedError (exit 2) before anything runs,
 * unless --allow-changed names it; a value of --allow-changed that resolves
 * to no revision (src/history/allow-changed.ts) throws ResolutionError (exit 2).
 * `plan` is called after the check, so a vanished file is reported as such
 * rather than as a revision the plan cannot locate.
 */
export async function onlineHistory(input: OnlineHistoryInput, plan: () => readonly PlannedStep[]): Promise<{ history: RunHistory; steps: readonly PlannedStep[] }> {
  const exists = await historyTableExists(input.engine, input.table);
  const invocation = newInvocation();
  const opening: HistoryRow[] = [];
  const found = exists && input.check ? (await compareAppliedRevisions({ ...input, historyTable: input.table })).problems : [];
  // unknown, ambiguous or too-short values stop the run here (exit 2), before anything runs
  const allowChanged = resolveAllowChanged(
    input.graph,
    input.allowChanged ?? [],
    found.filter((p) => p.problem === "missing").map((p) => p.revision),
  );
  const allowedIds = new Set([...allowChanged.values()].flat());
  const problems = found.map((p) => ({ ...p, allowed: allowedIds.has(p.revision) }));
  const error = problemError(problems);
  if (error !== undefined) throw error;
  const accepted = acceptRows(invocation, problems, input.heads, new Date());
  for (const row of accepted) input.log(`Accepting the changed file of applied revision ${row.revision} (--allow-changed)`);
  opening.push(...accepted);
  const steps = plan();
  const changed = new Set(problems.map((p) => p.revision));
  for (const [value, ids] of allowChanged) {
    if (!ids.some((id) => changed.has(id))) input.log(`--allow-changed ${value}: revision ${ids.join(", ")} has no changed or vanished file; nothing to accept`);
  }
  // adoption: a database migrated before the table existed starts its record at its current heads
  if (!exists && input.heads.length > 0 && steps.length > 0) opening.push(...baselineRows(invocation, input.heads, new Date()));
  return { history: { table: input.table, invocation, create: !exists, opening, checksum: await stepChecksums(steps, input.revisions) }, steps };
}
