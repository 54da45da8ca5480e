/**
 * A fleet run's I/O: find the tenant schemas (--tenant-query), open one
 * target (its own connection, its schema checked or created, search_path set
 * to it), and run a command on every target through the scheduler, turning
 * each target's error into its outcome so one failure never stops the others.
 */
import { parseDatabaseUrl, redactText, redactUrl } from "../config/url.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { DatabaseMissingError, openEngine } from "../drivers/open.ts";
import { ExitCode, SchemaMissingError, TenantQueryError, UsageError } from "../errors.ts";
import { quoteIdent } from "../ops/quote.ts";
import { failedOutcome, skippedOutcome, targetError, type TargetError, type TargetOutcome } from "./report.ts";
import { KeyedMutex, schedule, type ScheduleEvents, type ScheduleOptions } from "./schedule.ts";
import { expandTargets, targetLabel, type FleetTarget } from "./targets.ts";

/** Which targets a run covers: URLs, and the tenant schemas in each (a list, a query, or none). */
export interface FleetSpec {
  readonly urls: readonly string[];
  /** --tenant-schemas */
  readonly schemas: readonly string[] | null;
  /** --tenant-query: run on each URL, its first column are the schema names */
  readonly tenantQuery: string | null;
  /** --create-schemas */
  readonly createSchemas: boolean;
  readonly engineOptions?: EngineOptions | undefined;
}

/** A TargetError with any password of `url` taken out of its message. */
function redacted(error: TargetError, url: string): TargetError {
  return { ...error, message: redactText(error.message, url) };
}

/**
 * The targets of a run. With --tenant-query, each URL is asked for its
 * schemas (at most `jobs` at once); a URL where that fails becomes one failed
 * outcome instead of targets.
 */
export async function fleetTargets(spec: FleetSpec, options: ScheduleOptions): Promise<{ targets: FleetTarget[]; failures: TargetOutcome[] }> {
  if (spec.tenantQuery === null) return { targets: expandTargets(spec.urls, spec.schemas), failures: [] };
  const query = spec.tenantQuery;
  const turns = new KeyedMutex();
  type Found = { status: "ok"; url: string; schemas: string[] } | { status: "failed" | "unreachable"; outcome: TargetOutcome };
  const found = await schedule<string, Found>(
    spec.urls,
    { ...options, canary: 0, failFast: false },
    (url) => turns.run(exclusiveKey(url, spec.engineOptions?.cwd), async (): Promise<Found> => {
      const started = performance.now();
      try {
        const engine = await openEngine(url, { ...spec.engineOptions, create: false });
        try {
          // the user's query only names schemas: it runs read-only and is rolled back, whatever it says
          await engine.execute("BEGIN READ ONLY");
          let rows: Record<string, unknown>[];
          try {
            rows = await engine.query(query);
          } finally {
            await engine.execute("ROLLBACK").catch(() => {});
          }
          const schemas = rows.map((row) => String(Object.values(row)[0] ?? "")).filter((name) => name !== "");
          return { status: "ok", url, schemas: [...new Set(schemas)] };
        } finally {
          await engine.close().catch(() => {});
        }
      } catch (error) {
        const target = { url, schema: null, label: targetLabel(url, null) };
        const cause = targetError(error);
        const failure = new TenantQueryError(`--tenant-query failed: ${cause.message}`, cause.exitCode === ExitCode.unavailable ? ExitCode.unavailable : ExitCode.usage);
        const outcome = failedOutcome(target, redacted(targetError(failure), url), performance.now() - started);
        return { status: outcome.status === "unreachable" ? "unreachable" : "failed", outcome };
      }
    }),
    () => {
      throw new Error("tenant queries are never skipped");
    },
  );
  const targets: FleetTarget[] = [];
  const failures: TargetOutcome[] = [];
  for (const entry of found) {
    if (entry.status === "ok") targets.push(...expandTargets([entry.url], entry.schemas));
    else failures.push(entry.outcome);
  }
  // nothing to run on is bad input, as an empty --targets list is (src/fleet/targets.ts)
  if (targets.length === 0 && failures.length === 0) {
    const where = spec.urls.length === 1 ? redactUrl(spec.urls[0]!) : `any of the ${spec.urls.length} URLs (${spec.urls.map(redactUrl).join(", ")})`;
    throw new UsageError(`--tenant-query: no targets: the query returned no schema name on ${where} (query: ${query})`);
  }
  return { targets, failures };
}

/**
 * Open one target. A tenant's schema must exist (or is created with
 * --create-schemas), and the session's search_path is that schema alone, as in
 * Alembic's multi-tenancy recipe, so unqualified names in revisions land there.
 * Read-only runs (`current`) neither create nor set anything.
 */
export async function openTarget(target: FleetTarget, spec: FleetSpec, readOnly: boolean): Promise<Engine> {
  const engine = await openEngine(target.url, { ...spec.engineOptions, ...(readOnly ? { create: false } : {}) });
  if (target.schema === null || readOnly) return engine;
  try {
    const schema = quoteIdent(target.schema);
    if (!(await schemaExists(engine, target.schema))) {
      if (!spec.createSchemas) throw new SchemaMissingError(target.schema, redactUrl(target.url));
      // two runs may create it at once: IF NOT EXISTS can still lose that race, so look again
      await engine.execute(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch(async (error: unknown) => {
        if (!(await schemaExists(engine, target.schema!))) throw error;
      });
    }
    await engine.execute(`SET search_path TO ${schema}`);
    return engine;
  } catch (error) {
    await engine.close().catch(() => {});
    throw error;
  }
}

async function schemaExists(engine: Engine, schema: string): Promise<boolean> {
  const rows = await engine.query("select 1 as found from pg_namespace where nspname = $1", [schema]);
  return rows.length > 0;
}

/** The PGlite data directory a URL names (targets on it must take turns), or null for PostgreSQL and pglite:memory. */
export function exclusiveKey(url: string, cwd?: string): string | null {
  const target = parseDatabaseUrl(url, cwd);
  return target.kind === "pglite" ? target.dataDir : null;
}

/** What a command does on one open target: the heads before and after, the steps it ran, and what its progress line says when it succeeded. */
export interface TargetRun {
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly steps: TargetOutcome["steps"];
  /** the progress line's words for a target that succeeded (default: the migration's "a → b, N step(s)") */
  readonly note?: string;
}

/**
 * Run `command` on every target (each on its own connection, closed after),
 * at most `jobs` at once, and return one outcome per target in target order:
 * the tenant-query failures first, then the targets.
 */
export async function runFleet(
  spec: FleetSpec,
  options: ScheduleOptions,
  command: (engine: Engine, target: FleetTarget) => Promise<TargetRun>,
  events: ScheduleEvents<TargetOutcome> & {
    onTargets?: (total: number) => void;
    readOnly?: boolean;
    /** a URL whose --tenant-query failed stops the run with that error (`current`: no row can stand for tenants nobody could name), instead of being one failed target */
    tenantQueryFailureStops?: boolean;
    /** a read-only run's answer for a pglite:<dir> that holds no database (`current`: at base, as the one-database command says), instead of failing that target; it may throw, failing the target as the command would */
    databaseMissing?: (target: FleetTarget, error: DatabaseMissingError) => TargetRun | Promise<TargetRun>;
  } = {},
): Promise<TargetOutcome[]> {
  const { targets, failures } = await fleetTargets(spec, options);
  const stop = events.tenantQueryFailureStops === true ? failures[0]?.error : undefined;
  if (stop) throw new TenantQueryError(`${failures[0]!.target}: ${stop.message}`, stop.exitCode === ExitCode.unavailable ? ExitCode.unavailable : ExitCode.usage);
  events.onTargets?.(targets.length + failures.length);
  const turns = new KeyedMutex();
  for (const failure of failures) events.onFinish?.(-1, failure);
  // --fail-fast: a URL whose tenant query failed is a failed target like any other
  if (options.failFast && failures.length > 0) return [...failures, ...targets.map((target) => skippedOutcome(target, "fail-fast"))];
  const outcomes = await schedule<FleetTarget, TargetOutcome>(
    targets,
    options,
    (target) => turns.run(exclusiveKey(target.url, spec.engineOptions?.cwd), async () => {
      const started = performance.now();
      const ok = (run: TargetRun): TargetOutcome => ({ target: target.label, schema: target.schema, status: "ok", from: run.from, to: run.to, steps: run.steps, durationMs: performance.now() - started, error: null, ...(run.note === undefined ? {} : { note: run.note }) });
      try {
        let engine: Engine;
        try {
          engine = await openTarget(target, spec, events.readOnly === true);
        } catch (error) {
          if (error instanceof DatabaseMissingError && events.databaseMissing !== undefined) return ok(await events.databaseMissing(target, error));
          throw error;
        }
        try {
          return ok(await command(engine, target));
        } finally {
          await engine.close().catch(() => {});
        }
      } catch (error) {
        return failedOutcome(target, redacted(targetError(error), target.url), performance.now() - started);
      }
    }),
    (target, _index, reason) => skippedOutcome(target, reason),
    events,
  );
  return [...failures, ...outcomes];
}
