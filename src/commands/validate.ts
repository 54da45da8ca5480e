/**
 * `retort validate`: every revision the database applied (per the history
 * table) against its file, by checksum, without running anything. The CLI
 * exits 1 when something changed or is missing. Read-only.
 */
import type { RevisionGraph } from "../core/graph.ts";
import { checkAppliedRevisions } from "../history/check.ts";
import type { ChecksumProblem } from "../history/compare.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { readHeads } from "../runtime/version-table.ts";
import { historyTables, shownUrl, type HistoryReadOptions } from "./history-db.ts";
import { readDatabase } from "../runtime/read-database.ts";

/** Options of validate. */
export interface ValidateOptions extends HistoryReadOptions {
  readonly graph: RevisionGraph;
  readonly revisions: ReadonlyMap<string, LoadedRevision>;
}

/** One problem, for --json. */
export interface ValidateProblem {
  readonly revision: string;
  readonly problem: "changed" | "missing";
  readonly file: string | null;
  readonly recordedChecksum: string;
  readonly currentChecksum: string | null;
  /** ISO 8601 */
  readonly appliedAt: string;
  readonly appliedBy: string;
}

/** What validate found. --json shape: `{ url, historyTable, historyExists, heads, compared, ok, problems: ValidateProblem[] }`. */
export interface ValidateResult {
  readonly url: string;
  readonly historyTable: string;
  /** false: the database has no history table yet, so nothing was recorded to compare */
  readonly historyExists: boolean;
  readonly heads: string[];
  /** applied revisions with a recorded checksum that were compared */
  readonly compared: number;
  readonly ok: boolean;
  readonly problems: ValidateProblem[];
  /** the problems as the checks describe them */
  readonly details: readonly ChecksumProblem[];
}

/** Compare the applied revisions with their files. */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const tables = historyTables(options);
  const found = await readDatabase(
    options,
    async (engine) => {
      const heads = await readHeads(engine, tables.versions);
      const check = await checkAppliedRevisions({ engine, historyTable: tables.history, heads, graph: options.graph, revisions: options.revisions });
      return { heads, ...check };
    },
    () => ({ heads: [] as string[], historyExists: false, compared: 0, problems: [] as ChecksumProblem[] }),
  );
  return {
    url: shownUrl(options),
    historyTable: tables.history.schema === null ? tables.history.name : `${tables.history.schema}.${tables.history.name}`,
    historyExists: found.historyExists,
    heads: found.heads,
    compared: found.compared,
    ok: found.problems.length === 0,
    problems: found.problems.map((p) => ({
      revision: p.revision,
      problem: p.problem,
      file: p.file,
      recordedChecksum: p.recorded,
      currentChecksum: p.current,
      appliedAt: p.appliedAt.toISOString(),
      appliedBy: p.appliedBy,
    })),
    details: found.problems,
  };
}
