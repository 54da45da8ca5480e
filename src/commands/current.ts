/**
 * `retort current`: the revisions alembic_version holds, and (with
 * `withHistory`, which `current -v` sets) when and by whom each was applied.
 * Read-only: never creates a table.
 */
import type { RevisionGraph } from "../core/graph.ts";
import { redactUrl } from "../config/url.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { appliedBy } from "../history/compare.ts";
import { readHistory } from "../history/table.ts";
import { currentHeads } from "../runtime/migrate.ts";
import { readHeads } from "../runtime/version-table.ts";
import { historyTables } from "./history-db.ts";
import { readDatabase } from "../runtime/read-database.ts";
import type { VersionTableOptions } from "../runtime/version-table.ts";

/** Options of current (and of history -i, which needs the same heads). */
export interface CurrentOptions extends VersionTableOptions {
  readonly url: string;
  /** when given, each row says whether it is a head of the graph and whether the graph knows it */
  readonly graph?: RevisionGraph | undefined;
  readonly engineOptions?: EngineOptions | undefined;
  readonly engine?: Engine | undefined;
  /** also read the history table: each entry says when and by whom it was applied */
  readonly withHistory?: boolean | undefined;
  /** stderr notes (a pglite:<dir> that holds no database) */
  readonly log?: ((line: string) => void) | undefined;
}

/** One row of alembic_version. */
export interface CurrentEntry {
  readonly revision: string;
  /** the graph has a revision with this id */
  readonly known: boolean;
  /** it is one of the graph's heads (Alembic prints "(head)") */
  readonly isHead: boolean;
  /** with withHistory: the newest successful history row of this revision (absent when none) */
  readonly applied?: AppliedInfo;
}

/** When and by whom a revision was applied (--json: `at` is ISO 8601). */
export interface AppliedInfo {
  readonly at: string;
  readonly by: string;
  readonly kind: string;
  readonly durationMs: number | null;
  readonly retortVersion: string;
}

/** What current found. */
export interface CurrentResult {
  /** the database URL, password redacted */
  readonly url: string;
  /** the ids in alembic_version, sorted */
  readonly heads: string[];
  readonly entries: CurrentEntry[];
}

/** Read the current heads. */
export async function current(options: CurrentOptions): Promise<CurrentResult> {
  const { heads, applied } = options.withHistory ? await headsWithHistory(options) : { heads: await currentHeads(options), applied: new Map<string, AppliedInfo>() };
  const graphHeads = new Set(options.graph?.heads ?? []);
  const entries = heads.map((revision) => {
    const info = applied.get(revision);
    return {
      revision,
      known: options.graph === undefined ? true : options.graph.has(revision),
      isHead: graphHeads.has(revision),
      ...(info === undefined ? {} : { applied: info }),
    };
  });
  return { url: redactUrl(options.url), heads, entries };
}

/** The heads and the newest successful history row of each, read on one read-only connection. */
async function headsWithHistory(options: CurrentOptions): Promise<{ heads: string[]; applied: Map<string, AppliedInfo> }> {
  const tables = historyTables(options);
  return readDatabase(
    options,
    async (engine) => {
      const heads = await readHeads(engine, tables.versions);
      const rows = heads.length === 0 ? [] : await readHistory(engine, tables.history, { latestPerRevision: true });
      const applied = new Map<string, AppliedInfo>();
      for (const row of rows) {
        if (!heads.includes(row.revision)) continue;
        applied.set(row.revision, { at: row.startedAt.toISOString(), by: appliedBy(row), kind: row.kind, durationMs: row.durationMs, retortVersion: row.retortVersion });
      }
      return { heads, applied };
    },
    () => ({ heads: [] as string[], applied: new Map<string, AppliedInfo>() }),
  );
}
