/**
 * The engine interface: the only way retort talks to a database. One file
 * per engine implements it (postgres.ts, pglite.ts), picked by URL scheme.
 */

/** Default seconds to wait for the migration lock (PostgreSQL) or the directory lock (pglite:<dir>). */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 60;

/** A row as returned by a query: column name to value. */
export type Row = Record<string, unknown>;

/** What both engines offer. Statements may contain several commands when no params are given. */
export interface Engine {
  /** "postgres" or "pglite" */
  readonly kind: "postgres" | "pglite";
  /** the URL with any password redacted, safe to print */
  readonly displayUrl: string;
  /** run SQL (one or many statements when params is empty), discarding results */
  execute(sql: string, params?: readonly unknown[]): Promise<void>;
  /** run one statement and return its rows */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** take a session-level advisory lock, waiting up to timeoutMs; false on timeout */
  tryAdvisoryLock(key: bigint, timeoutMs: number): Promise<boolean>;
  advisoryUnlock(key: bigint): Promise<void>;
  /**
   * Ask the server to stop the statement running now (PostgreSQL sends a
   * cancel request; PGlite has nothing to do: its runs stop between statements).
   * The statement then fails with 57014 and the caller rolls back as usual.
   */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

/** How to open an engine; every field is optional. */
export interface EngineOptions {
  /** application_name on PostgreSQL connections (default "retort"; a URL's own application_name wins) */
  readonly applicationName?: string;
  /** where server NOTICE messages go (default: dropped) */
  readonly onNotice?: (message: string) => void;
  /** base for relative pglite:<dir> paths (default process.cwd()) */
  readonly cwd?: string;
  /**
   * false: never create a database — a pglite:<dir> that does not exist is a
   * DatabaseMissingError instead (read-only commands must not write anything)
   */
  readonly create?: boolean;
  /** seconds to wait for the directory lock of a pglite:<dir> held by another process (default 60; --lock-timeout) */
  readonly lockTimeoutSeconds?: number | undefined;
  /** stderr lines while opening: waiting for the directory lock, and on whom */
  readonly log?: ((line: string) => void) | undefined;
  /** extra PGlite constructor options (embedded wasm, fsBundle, a data dir snapshot); see createPGlite */
  readonly pglite?: Readonly<Record<string, unknown>>;
}
