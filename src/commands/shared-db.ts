/**
 * Options and helpers shared by the commands that touch a database
 * (upgrade, downgrade, stamp, current). They return results and print nothing.
 */
import type { RevisionGraph } from "../core/graph.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { redactUrl } from "../config/url.ts";
import { UsageError } from "../errors.ts";
import { currentHeads, type MigrateResult } from "../runtime/migrate.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import type { VersionTableOptions } from "../runtime/version-table.ts";

/** What every migrating command needs, resolved by the CLI (or a program using retort). */
export interface MigrationCommandOptions extends VersionTableOptions {
  /** the resolved database URL (--url, env, retort.toml or the default); never printed unredacted */
  readonly url: string;
  readonly graph: RevisionGraph;
  readonly revisions: ReadonlyMap<string, LoadedRevision>;
  /** --sql: return the script instead of connecting */
  readonly sql?: boolean | undefined;
  /** transaction_per_migration / --transaction-per-migration */
  readonly transactionPerMigration?: boolean | undefined;
  /** --allow-changed (upgrade, downgrade): applied revisions whose changed or vanished file is accepted */
  readonly allowChanged?: readonly string[] | undefined;
  /** --lock-timeout in seconds (default 60) */
  readonly lockTimeoutSeconds?: number | undefined;
  /** --resolve-interrupted: the user checked what a killed `Transaction: false` revision left; clear its marker and run */
  readonly resolveInterrupted?: boolean | undefined;
  /** stderr lines: one per step as Alembic logs them (with duration), lock waits */
  readonly log: (line: string) => void;
  /** stderr lines shown with --verbose only */
  readonly debug?: ((line: string) => void) | undefined;
  /** a terminal's live line for a long step: text to show in place, null to clear it */
  readonly live?: ((text: string | null) => void) | undefined;
  readonly engineOptions?: EngineOptions | undefined;
  /** an open engine to use instead of opening `url` (left open) */
  readonly engine?: Engine | undefined;
  /** aborted (reason "SIGINT"/"SIGTERM") to stop a run: cancel, roll back, InterruptedError */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Split Alembic's `from:to` range. Ranges are for --sql only (the database
 * knows where it is online), as in Alembic.
 */
export function splitRange(argument: string, sql: boolean): { from: string | null; to: string } {
  const colon = argument.indexOf(":");
  if (colon < 0) return { from: null, to: argument };
  if (!sql) throw new UsageError(`Range revision not allowed: '${argument}' (from:to ranges are for --sql scripts only; online, the database says where it is)`);
  return { from: argument.slice(0, colon), to: argument.slice(colon + 1) };
}

/**
 * A --sql `from:to` range that goes the other way from its command: an
 * upgrade range whose end is below its start (`head:base`), a downgrade
 * range whose end is not below its start (`base:head`). Alembic prints an
 * empty upgrade script for the first and refuses the second with
 * "Destination … is not a valid downgrade target"; either way the user
 * wants the other command, or the range the other way round.
 */
export function wrongWayRange(command: "upgrade" | "downgrade", from: string, to: string): UsageError {
  const start = from === "" ? "base" : from;
  const other = command === "upgrade" ? "downgrade" : "upgrade";
  const where = command === "upgrade" ? `'${to}' is below '${start}'` : `'${to}' is not below '${start}'`;
  const how = command === "upgrade" ? "an upgrade range goes up from its start (exclusive) to its end" : "a downgrade range goes down from its start to its end";
  return new UsageError(
    `${command} --sql ${from}:${to}: ${where}, and ${how}; ` +
      `for the script that takes ${start} ${command === "upgrade" ? "down" : "up"} to ${to}, run 'retort ${other} --sql ${start}:${to}', or for the ${command} from ${to} to ${start}, 'retort ${command} --sql ${to}:${start}'`,
  );
}

/** The stderr line of a --sql script that runs no revision, saying why it is empty. */
export function emptyScriptNote(command: "upgrade" | "downgrade", from: string | null, to: string): string {
  const start = from === null || from === "" ? "base" : from;
  return `${command} --sql ${from === null ? to : `${from}:${to}`}: nothing to ${command} from ${start} to ${to} (the range is empty${command === "upgrade" ? ": its start is exclusive" : ""}), so the script runs no revision`;
}

/**
 * `downgrade base` / `stamp base` with nothing to do: true when the database
 * holds no version rows. Read-only (creates neither the version table nor a
 * pglite directory), so a no-op run leaves the database exactly as it was.
 */
export async function holdsNoVersions(options: MigrationCommandOptions): Promise<boolean> {
  const heads = await currentHeads({
    url: options.url,
    versionTable: options.versionTable,
    versionTableSchema: options.versionTableSchema,
    engineOptions: options.engineOptions,
    engine: options.engine,
  });
  return heads.length === 0;
}

/** The result of a run that had nothing to do. */
export function noOpResult(options: MigrationCommandOptions): MigrateResult {
  return { url: redactUrl(options.url), previousHeads: [], heads: [], steps: [] };
}
