/**
 * The CLI side of fleets: whether a run is one (several --url, --targets,
 * tenant schemas, or any fleet option), the targets it names, progress on
 * stderr, the closing table or --json document on stdout, and one FleetFailed
 * carrying the run's exit code when a target did not succeed.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { historyRevisions } from "../core/history.ts";
import { planUpgrade } from "../core/plan.ts";
import { current } from "../commands/current.ts";
import { DifferencesFound, ExitCode, FleetFailed, LintErrorsFound, UsageError } from "../errors.ts";
import { fleetJson, formatCurrentMatrix, formatFleetTable, finishedLine, headList, progressLine, currentState, unreadState, STATUS_AS_CURRENT, type CurrentRow, type StatusWord, type TargetOutcome } from "../fleet/report.ts";
import { runFleet, type FleetSpec, type TargetRun } from "../fleet/run.ts";
import { fleetExitCode, parseScheduleOptions, type ScheduleOptions } from "../fleet/schedule.ts";
import { parseSchemaList, resolveTargetUrls, type FleetTarget } from "../fleet/targets.ts";
import type { MigrateResult } from "../runtime/migrate.ts";
import type { Engine } from "../drivers/engine.ts";
import type { DatabaseMissingError } from "../drivers/open.ts";
import type { MigrationCommandOptions } from "../commands/shared-db.ts";
import type { CliContext } from "./context.ts";
import { fleetOptionsGiven } from "./argv.ts";
import type { LintLevel } from "../config/config.ts";
import type { LintReport } from "../lint/run.ts";
import type { Catalog } from "../lint/catalog.ts";

/** Whether the command line asks for a fleet run rather than the one-database run. */
export function isFleet(ctx: CliContext): boolean {
  return fleetOptionsGiven(ctx.globals).length > 0;
}

/** The fleet's targets and schedule from the global options (exit 2 on contradictions); a pglite:<dir> target waits `lockTimeoutSeconds` for its directory lock. */
export function fleetSpec(ctx: CliContext, lockTimeoutSeconds = ctx.lockTimeoutSeconds(undefined)): { spec: FleetSpec; schedule: ScheduleOptions } {
  const g = ctx.globals;
  if (g.tenantSchemas !== undefined && g.tenantQuery !== undefined) throw new UsageError("--tenant-schemas and --tenant-query both name the tenant schemas: give one");
  if (g.createSchemas === true && g.tenantSchemas === undefined && g.tenantQuery === undefined) {
    throw new UsageError("--create-schemas goes with --tenant-schemas (or --tenant-query)");
  }
  const named = (g.urls?.length ?? 0) > 0 || g.targets !== undefined;
  const urls = named
    ? resolveTargetUrls({
        urls: g.urls ?? [],
        targets: g.targets,
        groups: ctx.config().targets,
        readText: (path) => readTargetList(path, ctx.cwd),
      })
    : [ctx.databaseUrl()];
  return {
    spec: {
      urls,
      schemas: g.tenantSchemas === undefined ? null : parseSchemaList(g.tenantSchemas),
      tenantQuery: g.tenantQuery ?? null,
      createSchemas: g.createSchemas === true,
      engineOptions: { cwd: ctx.cwd, lockTimeoutSeconds },
    },
    schedule: parseScheduleOptions(g),
  };
}

function readTargetList(path: string, cwd: string): string {
  try {
    return path === "-" ? readFileSync(0, "utf8") : readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    throw new UsageError(`--targets ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Progress on stderr: a live line on a terminal, one line per finished target otherwise; nothing with -q. With `word` (`current`), statuses are said in its words and counted per word. */
class Progress {
  private total = 0;
  private done = 0;
  private running = 0;
  private failed = 0;
  private readonly notOk: Record<string, number> = {};
  private readonly live: boolean;
  constructor(private readonly ctx: CliContext, private readonly word?: StatusWord) {
    this.live = process.stderr.isTTY === true && !ctx.globals.quiet;
  }
  targets(total: number): void {
    this.total = total;
    this.draw();
  }
  start(): void {
    this.running++;
    this.draw();
  }
  finish(outcome: TargetOutcome, started: boolean): void {
    if (started) this.running--;
    this.done++;
    if (outcome.status !== "ok") {
      this.failed++;
      if (this.word) this.notOk[this.word(outcome.status)] = (this.notOk[this.word(outcome.status)] ?? 0) + 1;
    }
    if (this.live) this.draw();
    else if (!this.ctx.globals.quiet) process.stderr.write(`${finishedLine(outcome, this.done, this.total, this.word)}\n`);
  }
  end(): void {
    if (this.live) process.stderr.write("\r\x1b[K");
  }
  private draw(): void {
    if (this.live) process.stderr.write(`\r\x1b[K${progressLine(this.done, this.total, this.running, this.word ? this.notOk : this.failed)}`);
  }
}

/** Run `command` on every target with progress, then return the outcomes. */
async function runWithProgress(
  ctx: CliContext,
  command: (engine: Engine, target: FleetTarget) => Promise<TargetRun>,
  how: { readOnly: boolean; tenantQueryFailureStops?: boolean; lockTimeoutSeconds?: number | undefined; databaseMissing?: (target: FleetTarget, error: DatabaseMissingError) => TargetRun | Promise<TargetRun>; word?: StatusWord },
): Promise<TargetOutcome[]> {
  const { spec, schedule } = fleetSpec(ctx, how.lockTimeoutSeconds);
  const progress = new Progress(ctx, how.word);
  try {
    return await runFleet(spec, schedule, command, {
      readOnly: how.readOnly,
      tenantQueryFailureStops: how.tenantQueryFailureStops === true,
      ...(how.databaseMissing === undefined ? {} : { databaseMissing: how.databaseMissing }),
      onTargets: (total) => progress.targets(total),
      onStart: () => progress.start(),
      onFinish: (index, outcome) => progress.finish(outcome, index >= 0),
    });
  } finally {
    progress.end();
  }
}

/** What to do about the targets that did not succeed: `failed` says it for the failed ones; unreachable ones are run again once reachable. */
interface Advice {
  readonly failed: string;
}

/** A migration's advice: a rerun resumes (targets at the goal are no-ops). */
const RERUN: Advice = { failed: "run the same command again to finish the others once fixed" };

/** Print the table (or --json) and throw FleetFailed when the run's exit code is not 0. */
function finish(ctx: CliContext, command: string, goal: readonly string[], outcomes: readonly TargetOutcome[], what = `did not reach ${goal.join(" ")}`, advice: Advice = RERUN): void {
  const exitCode = fleetExitCode(outcomes);
  ctx.output.result({ text: formatFleetTable(outcomes), json: () => fleetJson(command, goal, outcomes, exitCode) });
  if (exitCode !== ExitCode.ok) {
    const failed = outcomes.filter((o) => o.status === "failed").length;
    const unreachable = outcomes.filter((o) => o.status === "unreachable").length;
    const todo =
      advice === RERUN
        ? RERUN.failed
        : [failed > 0 ? advice.failed : "", unreachable > 0 ? `run ${command} again for the unreachable one(s) once they can be reached` : ""].filter(Boolean).join("; ");
    throw new FleetFailed(`${failed + unreachable} of ${outcomes.length} target(s) ${what} (${failed} failed, ${unreachable} unreachable); ${todo}`, exitCode as ExitCode);
  }
}

/**
 * upgrade/downgrade/stamp over a fleet: each target gets its own connection,
 * lock and transaction(s) through the one-database command, with the version
 * table in the tenant schema for tenants. Steps are logged with -v only.
 */
export async function runFleetMigration(
  ctx: CliContext,
  command: "upgrade" | "downgrade" | "stamp",
  goal: readonly string[],
  options: MigrationCommandOptions,
  run: (options: MigrationCommandOptions, engine: Engine, target: FleetTarget) => Promise<MigrateResult>,
): Promise<void> {
  if (options.sql) throw new UsageError(`${command} --sql renders one script and connects to nothing: it takes no fleet options (--url once, no --targets/--tenant-*)`);
  const outcomes = await runWithProgress(
    ctx,
    async (engine, target) => {
      const perTarget: MigrationCommandOptions = {
        ...options,
        url: target.url,
        engine,
        ...(target.schema === null ? {} : { versionTableSchema: target.schema }),
        log: (line) => ctx.log.debug(`${target.label}: ${line}`),
        debug: (line) => ctx.log.debug(`${target.label}: ${line}`),
      };
      const result = await run(perTarget, engine, target).catch((error: unknown) => {
        throw ctx.explain(error);
      });
      return { from: result.previousHeads, to: result.heads, steps: result.steps };
    },
    { readOnly: false, lockTimeoutSeconds: options.lockTimeoutSeconds },
  );
  finish(ctx, command, goal, outcomes);
}

/** `current` over a fleet: the matrix of targets by revision, which are behind, ahead or unknown, and why the others could not be read; exit 0 even then. */
export async function runFleetCurrent(ctx: CliContext, lockTimeoutSeconds: number | undefined): Promise<void> {
  const graph = await ctx.graph();
  const { versionTable, versionTableSchema } = ctx.versionTable();
  const outcomes = await runWithProgress(
    ctx,
    async (engine, target) => {
      const result = await current({ url: target.url, engine, graph, versionTable, versionTableSchema: target.schema ?? versionTableSchema });
      return { from: result.heads, to: result.heads, steps: [], note: `at ${headList(result.heads)}` };
    },
    {
      readOnly: true,
      tenantQueryFailureStops: true,
      lockTimeoutSeconds,
      // as the one-database current (src/runtime/migrate.ts currentHeads): a pglite:<dir> without a database is at base, and stays uncreated
      databaseMissing: (_target, error) => ({ from: [], to: [], steps: [], note: `at base: there is no database at ${error.displayUrl} (nothing was created there)` }),
      // progress says what the matrix says: unreachable, error, skipped
      word: STATUS_AS_CURRENT,
    },
  );
  const rows: CurrentRow[] = outcomes.map((o) => {
    if (o.status !== "ok") return { target: o.target, schema: o.schema, heads: [], state: unreadState(o.status), behindBy: null, error: o.error };
    const { state, behindBy } = currentState(graph, o.to, (heads) => planUpgrade(graph, heads, "heads").length);
    return { target: o.target, schema: o.schema, heads: o.to, state, behindBy, error: null };
  });
  const order = (ids: readonly string[]) => {
    const known = new Set(ids.filter((id) => graph.has(id)));
    // oldest first: history lists newest first
    const inGraph = historyRevisions(graph).filter((id) => known.has(id)).reverse();
    return [...inGraph, ...ids.filter((id) => !graph.has(id)).sort()];
  };
  ctx.output.result({
    text: formatCurrentMatrix(rows, order),
    json: () => ({ heads: graph.heads, targets: rows }),
  });
}

/**
 * `diff` over a fleet of databases: each one against its own replayed
 * history; a database with drift is a failed target (exit 1) whose error
 * says how many changes, and `retort --url URL diff` shows them as SQL.
 * Tenant schemas are refused: diff compares whole databases.
 */
export async function runFleetDiff(ctx: CliContext, lockTimeoutSeconds: number | undefined): Promise<void> {
  if (ctx.globals.tenantSchemas !== undefined || ctx.globals.tenantQuery !== undefined) {
    throw new UsageError("diff compares whole databases: it takes no --tenant-schemas/--tenant-query");
  }
  const { diffDatabase } = await import("../commands/diff.ts");
  const revisions = await ctx.revisions();
  const outcomes = await runWithProgress(
    ctx,
    async (engine, target) => {
      const result = await diffDatabase({ url: target.url, engine, revisions, ...ctx.versionTable(), debug: (line) => ctx.log.debug(`${target.label}: ${line}`) });
      if (result.differences) {
        throw new DifferencesFound(`differs from its revision history at ${result.heads.join(", ") || "base"} (${result.drift.length} change(s): ${result.drift.slice(0, 3).join("; ")}${result.drift.length > 3 ? "; ..." : ""}); 'retort --url URL diff' shows the SQL`);
      }
      return { from: result.heads, to: result.heads, steps: [], note: `at ${headList(result.heads)}, no drift` };
    },
    { readOnly: true, lockTimeoutSeconds },
  );
  finish(ctx, "diff", [], outcomes, "differ from their revision history or could not be compared", {
    failed: "'retort --url URL diff' shows one target's changes as SQL",
  });
}

/**
 * `validate` over a fleet: each target's (or tenant's) applied revisions
 * against the files; a target with a changed or missing file is a failed
 * target (exit 1) whose error names the revisions.
 */
export async function runFleetValidate(ctx: CliContext, lockTimeoutSeconds: number | undefined): Promise<void> {
  const { validate } = await import("../commands/validate.ts");
  const { describeProblem } = await import("../history/compare.ts");
  const graph = await ctx.graph();
  const revisions = await ctx.revisionMap();
  const { versionTable, versionTableSchema } = ctx.versionTable();
  const outcomes = await runWithProgress(
    ctx,
    async (engine, target) => {
      const result = await validate({ url: target.url, engine, graph, revisions, versionTable, versionTableSchema: target.schema ?? versionTableSchema, historyTable: ctx.historyTable() });
      if (!result.ok) throw new DifferencesFound(result.details.map(describeProblem).join("; "));
      return { from: result.heads, to: result.heads, steps: [], note: `at ${headList(result.heads)}, ${result.compared} applied revision(s) match their files` };
    },
    {
      readOnly: true,
      lockTimeoutSeconds,
      // as the one-database validate (src/commands/history-db.ts readDatabase): a pglite:<dir> without a database is empty, nothing recorded to compare
      databaseMissing: (_target, error) => ({ from: [], to: [], steps: [], note: `at base: there is no database at ${error.displayUrl} (nothing was created there), nothing recorded to compare` }),
    },
  );
  finish(ctx, "validate", [], outcomes, "applied revisions whose files changed or are missing, or could not be read", {
    failed: "restore the files each target names, or accept the changes with 'upgrade --allow-changed REV', then validate again",
  });
}

/**
 * `lint` over a fleet: each target is judged as upgrade's pre-flight would
 * judge it (README "Before upgrade"): its heads and catalog are read
 * (read-only, one read) and its pending revisions linted against that
 * catalog, so a table an earlier pending revision creates is new. A tenant
 * is judged by its own schema's tables. Targets with the same pending
 * revisions and the same catalog share one lint; a target with an
 * error-level finding fails there and then (exit 1). The findings print
 * once, as `retort lint` prints them, before the table.
 */
export async function runFleetLint(ctx: CliContext, levels: Readonly<Record<string, LintLevel>>, lockTimeoutSeconds: number | undefined): Promise<void> {
  const { lintAgainstCatalog, readLintState } = await import("../commands/lint.ts");
  const { catalogKey, catalogOfSchema, EMPTY_CATALOG } = await import("../lint/catalog.ts");
  const { lintText } = await import("../lint/format.ts");
  const { mergeLintReports } = await import("../lint/run.ts");
  const { versionTableName } = await import("../runtime/version-table.ts");
  const graph = await ctx.graph();
  const revisions = await ctx.revisions();
  const { versionTable, versionTableSchema } = ctx.versionTable();
  const lints = new Map<string, Promise<LintReport>>();
  /** One target at `heads` with `catalog` (a tenant's already its own schema's): its pending revisions linted, or a failure with the error-level findings. */
  const judge = async (heads: string[], catalog: Catalog, about = ""): Promise<TargetRun> => {
    const pending = planUpgrade(graph, heads, "heads").map((s) => s.revision);
    const at = `at ${headList(heads)}${about}`;
    if (pending.length === 0) return { from: heads, to: heads, steps: [], note: `${at}, nothing pending to lint` };
    const key = `${pending.join(" ")}\n${catalogKey(catalog)}`;
    let linted = lints.get(key);
    if (linted === undefined) lints.set(key, (linted = lintAgainstCatalog({ revisions, graph, levels }, pending, catalog)));
    const errors = (await linted).findings.filter((f) => f.severity === "error");
    if (errors.length > 0) {
      const revisionsWithErrors = [...new Set(errors.map((f) => f.revision))];
      throw new LintErrorsFound(`${at}: ${errors.length} error-level lint finding(s) in its pending revision(s) ${revisionsWithErrors.join(", ")} (${[...new Set(errors.map((f) => f.rule))].join(", ")})`);
    }
    return { from: heads, to: heads, steps: [], note: `${at}, ${pending.length} pending revision(s), no error-level finding` };
  };
  const outcomes = await runWithProgress(
    ctx,
    async (engine, target) => {
      const live = await readLintState(engine, versionTableName(versionTable, target.schema ?? versionTableSchema));
      return judge(live.heads, target.schema === null ? live.catalog : catalogOfSchema(live.catalog, target.schema));
    },
    {
      readOnly: true,
      lockTimeoutSeconds,
      // as the one-database lint and upgrade's pre-flight (src/commands/lint.ts readLive): a pglite:<dir> without a database is an empty one at base
      databaseMissing: (_target, error) => judge([], EMPTY_CATALOG, ` (there is no database at ${error.displayUrl}; nothing was created there)`),
    },
  );
  const reports = (await Promise.allSettled(lints.values())).flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  if (reports.length > 0) ctx.log.info(lintText(mergeLintReports(graph, reports)).trimEnd());
  finish(ctx, "lint", [], outcomes, "have error-level lint findings in their pending revisions, or could not be read", {
    failed: "fix the findings listed above (or add an ignore), then lint again",
  });
}
