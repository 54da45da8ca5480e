/**
 * `retort verify [RANGE]`: every revision up, down and up again in a scratch
 * database, in upgrade order (every branch, merges included). The schema
 * after the downgrade must equal the parent's, and after the second upgrade
 * the first upgrade's (autogenerate's model is the fingerprint). A scratch
 * PGlite moves between branches through the snapshot cache; `--url` uses an
 * empty real database instead (and empties it again at the end). Stops at
 * the first revision that fails. Prints nothing; returns what it found.
 */
import { headsBefore } from "../cache/at.ts";
import { cacheHistory, checkExtensions, type CacheHistory } from "../cache/build.ts";
import type { CacheStore } from "../cache/store.ts";
import { PgliteWorkspace } from "../cache/workspace.ts";
import { PostgresWorkspace, type Workspace } from "./verify-postgres.ts";
import { modelFromCatalog, readCatalog } from "../autogenerate/introspect.ts";
import { extensionsIn } from "../drivers/pglite-extensions.ts";
import { compareModels } from "../autogenerate/summary.ts";
import type { SchemaModel } from "../autogenerate/model.ts";
import { ancestors, members } from "../core/closure.ts";
import { RevisionGraph } from "../core/graph.ts";
import { planUpgrade } from "../core/plan.ts";
import { resolveRevision } from "../core/resolve.ts";
import type { PlannedStep, VersionChange } from "../core/types.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { parseDatabaseUrl } from "../config/url.ts";
import { RetortError, UsageError } from "../errors.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { migrate } from "../runtime/migrate.ts";
import { readHeads, versionTableName } from "../runtime/version-table.ts";

/** Options of `verify`. */
export interface VerifyOptions {
  readonly revisions: readonly LoadedRevision[];
  /** `REV` (that revision), `A:B`, `A:` or `:B` (inclusive, in upgrade order); default every revision */
  readonly range?: string | undefined;
  /** an empty PostgreSQL database to verify on instead of PGlite */
  readonly url?: string | undefined;
  /** the snapshot cache (PGlite only; required there) */
  readonly cache?: CacheStore | undefined;
  /** irreversible revisions fail the run instead of warning */
  readonly strict?: boolean | undefined;
  readonly versionTable?: string | undefined;
  readonly versionTableSchema?: string | undefined;
  readonly engineOptions?: EngineOptions | undefined;
  /** one line per revision as it is verified */
  readonly log?: ((line: string) => void) | undefined;
  readonly warn?: ((line: string) => void) | undefined;
  readonly debug?: ((line: string) => void) | undefined;
}

/** What happened to one revision. */
export interface RevisionVerdict {
  readonly revision: string;
  /**
   * ok: round-trips; irreversible: no downgrade section (only upgraded);
   * downgradeMismatch: the downgrade does not restore the parent's schema;
   * reupgradeMismatch: upgrading again gives another schema than the first time;
   * failed: a statement failed (see error)
   */
  readonly status: "ok" | "irreversible" | "downgradeMismatch" | "reupgradeMismatch" | "failed";
  /** "Detected …" lines: what differs from the expected schema (for a downgrade: what it left behind as "added", what it removed too much as "removed") */
  readonly differences: readonly string[];
  readonly error?: string;
  readonly ms: number;
}

/** What verify found. */
export interface VerifyResult {
  /** true when every verified revision round-trips (and, with strict, none is irreversible) */
  readonly ok: boolean;
  readonly engine: "pglite" | "postgres";
  /** in upgrade order; verification stops after the first failure */
  readonly revisions: readonly RevisionVerdict[];
  /** the first revision that failed, or null */
  readonly firstFailure: string | null;
  readonly irreversible: readonly string[];
}


/** Verify the revisions; see the module comment. */
export async function verifyRevisions(options: VerifyOptions): Promise<VerifyResult> {
  const graph = RevisionGraph.build(options.revisions);
  const table = { versionTable: options.versionTable, versionTableSchema: options.versionTableSchema };
  const history = cacheHistory(graph, options.revisions, table);
  const order = planUpgrade(graph, [], "heads").map((s) => s.revision);
  const selected = selectRange(graph, order, options.range);
  const verdicts: RevisionVerdict[] = [];
  if (selected.length === 0) return { ok: true, engine: options.url === undefined ? "pglite" : parseDatabaseUrl(options.url).kind, revisions: [], firstFailure: null, irreversible: [] };

  const first = headsBefore(graph, selected[0]!);
  if (options.url === undefined) checkExtensions(history, ancestors(graph, selected.map((id) => graph.mustIndex(id))));
  const workspace = options.url !== undefined ? await PostgresWorkspace.open(options.url, history, options.engineOptions) : await pgliteWorkspace(options, history, first);
  const tableName = versionTableName(options.versionTable, options.versionTableSchema);
  const fingerprint = async () => {
    const catalog = await readCatalog(workspace.engine, table);
    return { catalog, model: modelFromCatalog(catalog) };
  };
  try {
    let applied = new Set<string>();
    if (options.url !== undefined) await workspace.moveTo(first);
    applied = appliedAt(graph, first);
    let parent = await fingerprint();
    for (const id of selected) {
      const started = performance.now();
      const before = headsBefore(graph, id);
      const wanted = appliedAt(graph, before);
      if (!sameSet(applied, wanted)) {
        options.debug?.(`Moving the scratch database to ${before.join(", ") || "base"}`);
        await workspace.moveTo(before);
        parent = await fingerprint();
      }
      const verdict = await verifyOne(workspace.engine, history, id, parent.model, fingerprint, tableName, options);
      verdicts.push({ ...verdict.verdict, ms: Math.round(performance.now() - started) });
      report(options, verdicts.at(-1)!);
      if (verdict.verdict.status !== "ok" && verdict.verdict.status !== "irreversible") break;
      applied = appliedAt(graph, [id]);
      parent = verdict.after!;
      if (needsCheckpoint(graph, order, id)) await workspace.checkpoint(id, parent.catalog);
    }
  } finally {
    await workspace.close();
  }
  const failure = verdicts.find((v) => v.status !== "ok" && v.status !== "irreversible");
  const irreversible = verdicts.filter((v) => v.status === "irreversible").map((v) => v.revision);
  return {
    ok: failure === undefined && !(options.strict && irreversible.length > 0),
    engine: workspace.engine.kind,
    revisions: verdicts,
    firstFailure: failure?.revision ?? (options.strict ? (irreversible[0] ?? null) : null),
    irreversible,
  };
}

type Fingerprint = { catalog: string; model: SchemaModel };

/** Up, fingerprint, down, compare with the parent, up again, compare with the first. */
async function verifyOne(
  engine: Engine,
  history: CacheHistory,
  id: string,
  parent: SchemaModel,
  fingerprint: () => Promise<Fingerprint>,
  table: ReturnType<typeof versionTableName>,
  options: VerifyOptions,
): Promise<{ verdict: Omit<RevisionVerdict, "ms">; after?: Fingerprint }> {
  const rev = history.revisions.get(id)!;
  const run = (plan: (current: readonly string[]) => readonly PlannedStep[]) =>
    migrate({ url: engine.displayUrl, engine, revisions: history.revisions, versionTable: options.versionTable, versionTableSchema: options.versionTableSchema, plan, log: () => {}, recordHistory: false });
  try {
    const headsBefore = await readHeads(engine, table);
    await run((current) => planUpgrade(history.graph, current, id));
    const up = await fingerprint();
    if (rev.downgrade === null) return { verdict: { revision: id, status: "irreversible", differences: [] }, after: up };
    await run((current) => [downgradeStep(rev, current, headsBefore)]);
    const down = await fingerprint();
    const left = compareModels(parent, down.model);
    if (left.upgrade.length > 0) return { verdict: { revision: id, status: "downgradeMismatch", differences: left.summary } };
    await run((current) => planUpgrade(history.graph, current, id));
    const again = await fingerprint();
    const drift = compareModels(up.model, again.model);
    if (drift.upgrade.length > 0) return { verdict: { revision: id, status: "reupgradeMismatch", differences: drift.summary } };
    return { verdict: { revision: id, status: "ok", differences: [] }, after: again };
  } catch (error) {
    if (!(error instanceof RetortError)) throw error;
    return { verdict: { revision: id, status: "failed", differences: [], error: error.message } };
  }
}

/** The downgrade of exactly this revision, putting alembic_version back to the rows it had before the upgrade. */
function downgradeStep(rev: LoadedRevision, current: readonly string[], before: readonly string[]): PlannedStep {
  const changes: VersionChange[] = [
    ...current.filter((h) => !before.includes(h)).map((version): VersionChange => ({ kind: "delete", version })),
    ...before.filter((h) => !current.includes(h)).map((version): VersionChange => ({ kind: "insert", version })),
  ];
  return { direction: "down", run: rev.id, revision: rev.id, from: [rev.id], to: [...rev.downRevisions], message: rev.message, versionChanges: changes };
}

function appliedAt(graph: RevisionGraph, heads: readonly string[]): Set<string> {
  return new Set(members(ancestors(graph, heads.map((h) => graph.mustIndex(h)))).map((i) => graph.idAt(i)));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Keep a revision's state when another revision than the next one in order builds on it (a branch point, a merge parent, a dependency). */
function needsCheckpoint(graph: RevisionGraph, order: readonly string[], id: string): boolean {
  const next = order[order.indexOf(id) + 1];
  const users = graph.links.allNext[graph.mustIndex(id)]!.map((j) => graph.idAt(j));
  return users.some((u) => u !== next);
}

/** The revisions of `range` in upgrade order. */
function selectRange(graph: RevisionGraph, order: readonly string[], range: string | undefined): string[] {
  if (range === undefined || range.trim() === "") return [...order];
  const position = (identifier: string, end: "from" | "to") => {
    if (identifier.trim() === "") return end === "from" ? 0 : order.length - 1;
    const id = resolveRevision(graph, identifier);
    if (id === null) return end === "from" ? 0 : -1;
    return order.indexOf(id);
  };
  const colon = range.indexOf(":");
  if (colon < 0) {
    const at = position(range, "to");
    return at < 0 ? [] : [order[at]!];
  }
  const from = position(range.slice(0, colon), "from");
  const to = position(range.slice(colon + 1), "to");
  if (from > to) throw new UsageError(`verify: range ${range} is empty (${range.slice(0, colon)} comes after ${range.slice(colon + 1)} in upgrade order)`);
  return order.slice(from, to + 1);
}

function report(options: VerifyOptions, v: RevisionVerdict): void {
  switch (v.status) {
    case "ok":
      options.log?.(`Verified ${v.revision}: up, down, up (${v.ms} ms)`);
      return;
    case "irreversible":
      options.warn?.(`${v.revision} is irreversible: it has no downgrade section${options.strict ? " (an error with --strict)" : ""}`);
      return;
    case "downgradeMismatch":
      options.log?.(`The downgrade of ${v.revision} does not restore its parent's schema; after it, compared with the parent:`);
      break;
    case "reupgradeMismatch":
      options.log?.(`Upgrading ${v.revision} again does not give the schema of its first upgrade; compared with the first:`);
      break;
    case "failed":
      options.log?.(`${v.revision} failed: ${v.error}`);
      return;
  }
  for (const line of v.differences) options.log?.(`  ${line}`);
}

async function pgliteWorkspace(options: VerifyOptions, history: CacheHistory, first: readonly string[]): Promise<Workspace> {
  if (options.cache === undefined) throw new UsageError("verify on PGlite needs the snapshot cache");
  return PgliteWorkspace.open(options.cache, history, first, extensionsIn(history.contents));
}
