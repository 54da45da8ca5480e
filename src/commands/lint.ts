/**
 * `retort lint [REV | RANGE]`: which revisions to lint (the ones pending for
 * the database by default, every one with --all or when there is no database
 * to ask, one revision, or a `from:to` range as `upgrade --sql` reads it),
 * then src/lint/run.ts lints them against their parents.
 */
import type { RevisionGraph } from "../core/graph.ts";
import { planUpgrade, rangeIsReversed } from "../core/plan.ts";
import { resolveRevisions, resolveStartingHeads } from "../core/resolve.ts";
import type { LintLevel } from "../config/config.ts";
import { EMBEDDED_PATH_PREFIX, embeddedRevisionEntries } from "../embedded/revisions.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { currentHeads } from "../runtime/migrate.ts";
import { runLint, type LintReport } from "../lint/run.ts";
import { LintErrorsFound, LockTimeoutError, UsageError } from "../errors.ts";
import { readDatabase } from "../runtime/read-database.ts";
import { EMPTY_CATALOG, readCatalog, type Catalog } from "../lint/catalog.ts";
import { readHeads, versionTableName, type VersionTableName } from "../runtime/version-table.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { parseDatabaseUrl } from "../config/url.ts";
import type { VersionTableOptions } from "../runtime/version-table.ts";

/** Options of lint. */
export interface LintOptions extends VersionTableOptions {
  readonly revisions: readonly LoadedRevision[];
  readonly graph: RevisionGraph;
  /** REV or from:to; absent: pending (or all) */
  readonly range?: string | undefined;
  readonly all?: boolean | undefined;
  /** the database whose pending revisions are linted by default (it is only read, and never created) */
  readonly url?: string | undefined;
  /** how `url` is opened (a pglite:<dir>'s lock timeout) */
  readonly engineOptions?: EngineOptions | undefined;
  /** `[lint]` levels, checked (src/lint/policy.ts checkLintConfig) */
  readonly levels?: Readonly<Record<string, LintLevel>> | undefined;
  /** exactly these revisions (upgrade's pending ones), instead of range/all/url */
  readonly ids?: readonly string[] | undefined;
  /** false: no measurement, the parent's catalog only */
  readonly measure?: boolean | undefined;
  /** every revision is linted against this catalog (upgrade's pre-flight: the live database's, before the run) instead of scratch replays */
  readonly catalog?: Catalog | undefined;
}

/** The revisions a lint run covers, in upgrade order. */
export async function lintTargets(options: LintOptions): Promise<string[]> {
  return (await lintRun(options)).ids;
}

/** The revisions a lint run covers and, when they are a database's pending ones, the heads that database is at (where the run starts). */
async function lintRun(options: LintOptions): Promise<{ ids: string[]; start?: string[] }> {
  const { graph } = options;
  if (options.ids) return { ids: [...options.ids] };
  if (options.all) return { ids: planUpgrade(graph, [], "heads").map((s) => s.revision) };
  if (options.range !== undefined) {
    const colon = options.range.indexOf(":");
    if (colon >= 0) {
      const from = options.range.slice(0, colon);
      const to = options.range.slice(colon + 1) || "heads";
      const heads = from === "" ? [] : resolveStartingHeads(graph, from);
      const ids = planUpgrade(graph, heads, to).map((s) => s.revision);
      if (ids.length === 0 && rangeIsReversed(graph, heads, to)) {
        throw new UsageError(`lint ${options.range}: '${to}' is below '${from}', so the range is reversed; a range goes up from its start (exclusive) to its end, e.g. 'retort lint ${to}:${from}'`);
      }
      return { ids };
    }
    return { ids: resolveRevisions(graph, options.range) };
  }
  // no database to ask: every revision, each judged against its parent alone
  if (options.url === undefined) return { ids: planUpgrade(graph, [], "heads").map((s) => s.revision) };
  const heads = await currentHeads({ url: options.url, versionTable: options.versionTable, versionTableSchema: options.versionTableSchema, engineOptions: options.engineOptions });
  return { ids: planUpgrade(graph, heads, "heads").map((s) => s.revision), start: heads };
}

/** Lint the chosen revisions; the report's findings decide the exit code (error-level: 1). */
export async function lint(options: LintOptions): Promise<LintReport> {
  const { ids, start } = await lintRun(options);
  const texts = new Map<string, string>();
  // loaded embedded revisions carry the "embedded:" path prefix (src/embedded/revisions.ts)
  for (const entry of embeddedRevisionEntries()) if (entry.text !== undefined) texts.set(`${EMBEDDED_PATH_PREFIX}${entry.path}`, entry.text);
  return runLint({
    revisions: options.revisions,
    graph: options.graph,
    ids,
    levels: options.levels ?? {},
    texts,
    measure: options.measure !== false,
    ...(options.catalog ? { catalog: options.catalog } : {}),
    // a database's pending revisions: what an earlier one of them creates is new in the run, as in upgrade's pre-flight
    ...(start ? { start } : {}),
  });
}

/** `upgrade` without --no-lint: lint the revisions the upgrade to `target` will run, print the findings, and with refuseOnErrors throw before anything runs. */
export async function lintBeforeUpgrade(options: LintOptions & {
  readonly url: string;
  readonly target: string;
  readonly refuseOnErrors: boolean;
  /** how long to wait for a pglite:<dir>'s directory lock (the run's --lock-timeout) */
  readonly lockTimeoutSeconds?: number | undefined;
  readonly warn: (line: string) => void;
  readonly debug?: (line: string) => void;
}): Promise<LintReport | null> {
  const started = performance.now();
  let report: LintReport;
  let ids: string[];
  try {
    // the database about to be upgraded is at the pending revisions' parent: its own catalog is what they
    // will meet (tables an earlier pending revision creates are new, hence exempt), read in the same
    // connection as its heads, so no history is replayed and nothing runs twice
    const live = await readLive(options);
    ids = planUpgrade(options.graph, live.heads, options.target).map((s) => s.revision);
    if (ids.length === 0) return null;
    report = await lintAgainstCatalog(options, ids, live.catalog);
  } catch (error) {
    // a lint that cannot run must not stand between a user and an upgrade that can (unless they asked it to);
    // the upgrade itself reports an unreachable database or a bad target in its own words
    // a lock not taken in time would only be waited for again by the upgrade
    if (options.refuseOnErrors || !(error instanceof Error) || error instanceof LockTimeoutError) throw error;
    options.warn(`lint: could not lint the pending revisions: ${error.message.split("\n")[0]}`);
    return null;
  }
  const timings = Object.entries(report.timings).map(([k, v]) => `${k} ${Math.round(v)}`).join(", ");
  options.debug?.(`lint before upgrade: ${ids.length} revision(s) in ${Math.round(performance.now() - started)} ms (${timings})`);
  for (const f of report.findings) options.warn(`lint: ${f.file}:${f.line}: ${f.severity} [${f.rule}] ${f.message}`);
  const errors = report.findings.filter((f) => f.severity === "error").length;
  if (options.refuseOnErrors && errors > 0) {
    throw new LintErrorsFound(`upgrade refused: lint found ${errors} error-level finding(s) in the pending revisions (listed above); fix them, add an ignore, or run without --lint=error`);
  }
  return report;
}

/**
 * Lint the revisions an upgrade will run (`ids`, from the database's heads)
 * against the catalog of that database as it is now: what they will meet.
 * A table an earlier one of them creates is not in it, so it is new in this
 * run and exempt from the lock rules. Nothing is replayed or measured. The
 * judgment of upgrade's pre-flight, and of `lint` over a fleet (README
 * "Before upgrade", "Fleets").
 */
export function lintAgainstCatalog(options: Pick<LintOptions, "revisions" | "graph" | "levels">, ids: readonly string[], catalog: Catalog): Promise<LintReport> {
  return lint({ revisions: options.revisions, graph: options.graph, levels: options.levels, ids, measure: false, catalog });
}

/** The heads and catalog of an open database, in one read: what lintAgainstCatalog needs (the version table is left out of the catalog). */
export async function readLintState(engine: Engine, table: VersionTableName): Promise<{ heads: string[]; catalog: Catalog }> {
  const heads = await readHeads(engine, table);
  const schema = table.schema ?? String((await engine.query<{ s: string }>("SELECT current_schema() AS s"))[0]?.s ?? "public");
  return { heads, catalog: await readCatalog(engine, { schema, name: table.name }) };
}

/** The heads and catalog of the database at `url` (read-only; a pglite directory that does not exist is an empty database at base). */
async function readLive(options: VersionTableOptions & {
  url: string;
  lockTimeoutSeconds?: number | undefined;
  warn: (line: string) => void;
}): Promise<{ heads: string[]; catalog: Catalog }> {
  const table = versionTableName(options.versionTable, options.versionTableSchema);
  const target = parseDatabaseUrl(options.url);
  // each pglite:memory run starts from an empty database: nothing to open to know that
  if (target.kind === "pglite" && target.dataDir === null) return { heads: [], catalog: EMPTY_CATALOG };
  // read-only, like `current`: a pglite directory that holds no database yet is an empty one at base
  return readDatabase(
    { url: options.url, engineOptions: { lockTimeoutSeconds: options.lockTimeoutSeconds, log: options.warn } },
    (engine) => readLintState(engine, table),
    () => ({ heads: [], catalog: EMPTY_CATALOG }),
  );
}
