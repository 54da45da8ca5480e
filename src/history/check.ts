/**
 * The check behind `validate` and the start of every upgrade/downgrade: read
 * the newest history row of each revision, work out which are still applied
 * (the graph's ancestors of the current heads), and compare their recorded
 * checksums with the files. Read-only: a database without a history table
 * has nothing to compare yet.
 */
import { ancestors } from "../core/closure.ts";
import type { RevisionGraph } from "../core/graph.ts";
import type { Engine } from "../drivers/engine.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import type { VersionTableName } from "../runtime/version-table.ts";
import { revisionChecksum } from "./checksum.ts";
import { compareApplied, rowsToCompare, type ChecksumProblem, type FileState } from "./compare.ts";
import { historyTableExists, readHistory } from "./table.ts";

/** What the check compares. */
export interface AppliedCheckInput {
  readonly engine: Engine;
  readonly historyTable: VersionTableName;
  /** the database's current heads (alembic_version) */
  readonly heads: readonly string[];
  readonly graph: RevisionGraph;
  readonly revisions: ReadonlyMap<string, LoadedRevision>;
}

/** The check's findings. */
export interface AppliedCheck {
  /** whether the history table exists (false: nothing recorded yet, nothing to compare) */
  readonly historyExists: boolean;
  /** how many applied revisions had a recorded checksum to compare */
  readonly compared: number;
  readonly problems: ChecksumProblem[];
}

/** Compare every applied revision with a recorded checksum against its file. */
export async function checkAppliedRevisions(input: AppliedCheckInput): Promise<AppliedCheck> {
  if (!(await historyTableExists(input.engine, input.historyTable))) return { historyExists: false, compared: 0, problems: [] };
  return compareAppliedRevisions(input);
}

/** checkAppliedRevisions for a caller that has already seen the history table exist. */
export async function compareAppliedRevisions(input: AppliedCheckInput): Promise<AppliedCheck> {
  const latest = await readHistory(input.engine, input.historyTable, { latestPerRevision: true });
  const files = fileState(input.graph, input.revisions, input.heads);
  const toCompare = rowsToCompare(latest, files);
  const checksums = new Map<string, string>();
  for (const row of toCompare) {
    const rev = input.revisions.get(row.revision);
    if (rev !== undefined) checksums.set(rev.id, await revisionChecksum(rev));
  }
  const problems = compareApplied(latest, { file: files.file, checksum: (id) => checksums.get(id) ?? "" });
  return { historyExists: true, compared: toCompare.length, problems };
}

/** Which revisions have files and which of them the database is at or above. */
function fileState(graph: RevisionGraph, revisions: ReadonlyMap<string, LoadedRevision>, heads: readonly string[]): Pick<FileState, "file"> {
  const known = heads.map((h) => graph.indexOf(h)).filter((i): i is number => i !== undefined);
  const applied = ancestors(graph, known);
  return {
    file(revision) {
      const rev = revisions.get(revision);
      if (rev === undefined) return undefined;
      const index = graph.indexOf(revision);
      return { path: rev.path, applied: index !== undefined && applied[index] === 1 };
    },
  };
}
