/**
 * Error classes that carry their data and the README's exit code. Exactly one
 * place (src/cli/main.ts) turns them into a message and an exit status.
 */

/** Exit codes (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** a migration or statement failed (rolled back), or check/diff found differences */
  failed: 1,
  /** bad usage or bad input */
  usage: 2,
  /** database unreachable, auth failed, lock not taken in time */
  unavailable: 3,
  /** stopped by SIGINT (Ctrl-C): 128 + 2, as shells report it */
  interrupted: 130,
  /** stopped by SIGTERM: 128 + 15 */
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: every error retort raises on purpose is one of these. */
export class RetortError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Unknown command or option, missing argument, conflicting flags (exit 2). */
export class UsageError extends RetortError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** A revision file that cannot be parsed or loaded (exit 2). */
export class RevisionFileError extends RetortError {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ""}: ${message}`, ExitCode.usage);
  }
}

/** A broken revision graph: duplicate id, missing parent, cycle, duplicate label (exit 2). */
export class GraphError extends RetortError {
  constructor(
    message: string,
    readonly revisions: readonly string[] = [],
  ) {
    super(message, ExitCode.usage);
  }
}

/** An identifier that names no revision, or several (exit 2). */
export class ResolutionError extends RetortError {
  constructor(
    message: string,
    readonly identifier: string,
    readonly candidates: readonly string[] = [],
  ) {
    super(message, ExitCode.usage);
  }
}

/** Multiple heads where one is needed; Alembic's advice is part of the message (exit 2). */
export class MultipleHeadsError extends ResolutionError {}

/** Bad retort.toml, malformed URL, unusable --schema (exit 2). */
export class ConfigError extends RetortError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** Details PostgreSQL gives for a failed statement. */
export interface PgErrorDetail {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: number;
}

/** A statement of a revision failed; the transaction was rolled back (exit 1). */
export class MigrationError extends RetortError {
  constructor(
    message: string,
    readonly revision: string,
    readonly file: string,
    readonly statement: string | undefined,
    readonly pg: PgErrorDetail | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, ExitCode.failed, options);
  }
}

/** A plain SQL statement failed outside a revision (exit 1). */
export class StatementError extends RetortError {
  constructor(
    message: string,
    readonly statement: string | undefined,
    readonly pg: PgErrorDetail | undefined,
  ) {
    super(message, ExitCode.failed);
  }
}

/** A tenant schema of a fleet run does not exist and --create-schemas was not given (that target fails, exit 1). */
export class SchemaMissingError extends RetortError {
  constructor(
    readonly schema: string,
    readonly displayUrl: string,
  ) {
    super(`schema "${schema}" does not exist on ${displayUrl}: create it, or run again with --create-schemas`, ExitCode.failed);
  }
}

/** A fleet run in which some target failed or was unreachable; its report is already printed (exit 1, or 3 when only unreachable). */
export class FleetFailed extends RetortError {
  constructor(message: string, exitCode: ExitCode) {
    super(message, exitCode);
  }
}

/**
 * --tenant-query could not name a URL's tenants: exit 3 when the URL could not
 * be reached (or opened in time), else exit 2 (the query itself failed: bad
 * SQL, a write in its read-only transaction, a missing permission).
 */
export class TenantQueryError extends RetortError {
  constructor(message: string, exitCode: typeof ExitCode.usage | typeof ExitCode.unavailable) {
    super(message, exitCode);
  }
}

/** check/diff found differences (exit 1). The command's output already said what. */
export class DifferencesFound extends RetortError {
  constructor(message: string) {
    super(message, ExitCode.failed);
  }
}

/** lint found error-level findings (exit 1); `upgrade --lint=error` refuses with it before anything runs. The output already listed them. */
export class LintErrorsFound extends RetortError {
  constructor(message: string) {
    super(message, ExitCode.failed);
  }
}

/** Database unreachable, authentication failed, missing database (exit 3). */
export class ConnectionError extends RetortError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.unavailable, options);
  }
}

/** The migration advisory lock could not be taken in time (exit 3). */
export class LockTimeoutError extends RetortError {
  constructor(message: string) {
    super(message, ExitCode.unavailable);
  }
}

/** An applied revision's file changed or disappeared since it ran (README "History table"); nothing was run (exit 2). */
export class AppliedRevisionChangedError extends RetortError {
  constructor(
    message: string,
    readonly revision: string,
    readonly file: string | null,
  ) {
    super(message, ExitCode.usage);
  }
}

/** A pglite:<dir> that is not a PGlite database retort may open or create: other files, another PostgreSQL version (exit 2). */
export class DataDirError extends RetortError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** The session to the server went away mid-run (pg_terminate_backend, a restart, the network); exit 3. */
export class ConnectionLostError extends ConnectionError {
  constructor(
    readonly displayUrl: string,
    /** what happened to the connection */
    readonly reason: string,
    /** what was running, e.g. "revision a2 (upgrade a1 -> a2, slow)" */
    readonly during?: string,
    /** what the database holds now, e.g. "alembic_version is at a1" */
    readonly aftermath?: string,
  ) {
    super(`lost the connection to ${displayUrl}${during ? ` during ${during}` : ""}: ${reason}${aftermath ? `; ${aftermath}` : ""}`);
  }
}

/** A run stopped by SIGINT/SIGTERM after rolling back its open transaction (exit 130 / 143). */
export class InterruptedError extends RetortError {
  constructor(
    readonly signal: "SIGINT" | "SIGTERM",
    message: string,
  ) {
    super(message, signal === "SIGINT" ? ExitCode.interrupted : ExitCode.terminated);
  }
}

/**
 * A `Transaction: false` revision was interrupted in an earlier run (its
 * marker is still in retort_interrupted): some of its statements may be
 * applied without its version row. Nothing runs until the user checks and
 * resolves it (exit 2: a state to fix by hand, not a failure of this run).
 */
export class UnresolvedInterruptionError extends RetortError {
  constructor(
    message: string,
    readonly revision: string,
  ) {
    super(message, ExitCode.usage);
  }
}

/** A revision needs something PGlite does not ship (an extension); it can only be replayed on a real server (exit 2). */
export class PgliteUnsupportedError extends RetortError {
  constructor(
    readonly revision: string,
    readonly file: string,
    readonly extension: string,
  ) {
    super(
      `revision ${revision} (${file}) creates extension "${extension}", which PGlite does not ship; use --url postgres://... to a real server for this`,
      ExitCode.usage,
    );
  }
}
