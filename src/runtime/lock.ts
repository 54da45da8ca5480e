/**
 * The migration lock: a session-level advisory lock held for the whole of an
 * upgrade/downgrade/stamp, so N servers running `upgrade head` at once apply
 * each revision once. A waiting process says who holds the lock; a timeout
 * names the holder. On PGlite the directory lock taken when the database was
 * opened (src/drivers/dir-lock.ts) already excludes every other process.
 */
import { createHash } from "node:crypto";
import type { Engine } from "../drivers/engine.ts";
import { LockTimeoutError } from "../errors.ts";
import type { VersionTableName } from "./version-table.ts";

/** A version table with its schema resolved: what the lock key is derived from. */
export interface ResolvedTable {
  readonly schema: string;
  readonly name: string;
}

/**
 * The advisory lock key for a version table. Derived from the schema the
 * table is (or will be) in, so `alembic_version`, `public.alembic_version` and
 * any search_path spelling of the same table take the same lock.
 */
export function migrationLockKey(table: ResolvedTable): bigint {
  const digest = createHash("sha256").update(`retort:${table.schema}.${table.name}`).digest();
  return digest.readBigInt64BE(0);
}

/**
 * The schema a version table lives in, asked of the server when none is
 * configured: where search_path finds the table, else where CREATE TABLE
 * would put it (current_schema()).
 */
export async function resolveVersionTable(engine: Engine, table: VersionTableName): Promise<ResolvedTable> {
  if (table.schema !== null) return { schema: table.schema, name: table.name };
  const [row] = await engine.query<{ schema: string | null }>(
    `select coalesce((select n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                       where c.oid = to_regclass(quote_ident($1))), current_schema()) as schema`,
    [table.name],
  );
  return { schema: row?.schema ?? "", name: table.name };
}

/** Who holds an advisory lock, from pg_locks and pg_stat_activity. */
export interface LockHolder {
  readonly pid: number;
  readonly applicationName: string;
  readonly clientAddr: string | null;
  readonly since: string | null;
}

/** The session holding `key`, if any (PostgreSQL only). */
export async function findLockHolder(engine: Engine, key: bigint): Promise<LockHolder | undefined> {
  // a bigint key is stored as classid = high 32 bits, objid = low 32 bits, objsubid = 1
  const high = Number(BigInt.asUintN(64, key) >> 32n);
  const low = Number(BigInt.asUintN(32, key));
  const [row] = await engine.query<{ pid: number; application_name: string | null; client_addr: string | null; since: string | null }>(
    `select a.pid, a.application_name, host(a.client_addr) as client_addr,
            to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ') as since
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
        and l.classid = $1::int8::oid and l.objid = $2::int8::oid and l.objsubid = 1
      limit 1`,
    [String(high), String(low)],
  );
  if (row === undefined) return undefined;
  return { pid: Number(row.pid), applicationName: row.application_name ?? "", clientAddr: row.client_addr, since: row.since };
}

/** "pid 123 (application_name retort, from 10.0.0.5, connected since ...)". */
export function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return "another session (it could not be identified; it may have just released the lock)";
  const parts = [`application_name '${holder.applicationName}'`];
  if (holder.clientAddr) parts.push(`from ${holder.clientAddr}`);
  if (holder.since) parts.push(`connected since ${holder.since}`);
  return `pid ${holder.pid} (${parts.join(", ")})`;
}

/** How to take the lock. */
export interface LockOptions {
  readonly table: VersionTableName;
  readonly timeoutSeconds: number;
  /** stderr lines (waiting for the lock, and on whom) */
  readonly log: (line: string) => void;
  /** verbose-only lines (e.g. why there is no lock on PGlite) */
  readonly debug?: (line: string) => void;
}

/** Take the migration lock (waiting up to the timeout) and return its release function. */
export async function acquireMigrationLock(engine: Engine, options: LockOptions): Promise<() => Promise<void>> {
  if (engine.kind === "pglite") {
    options.debug?.(
      `Migration lock on ${engine.displayUrl}: the directory lock this process took when it opened the database, held until it closes (pglite:memory is private to this process)`,
    );
    return async () => {};
  }
  const key = migrationLockKey(await resolveVersionTable(engine, options.table));
  const release = async () => engine.advisoryUnlock(key);
  if (await engine.tryAdvisoryLock(key, 0)) return release;
  const holder = await findLockHolder(engine, key);
  options.log(`Waiting up to ${options.timeoutSeconds} s for the migration lock on ${engine.displayUrl}, held by ${describeHolder(holder)}`);
  const started = performance.now();
  if (await engine.tryAdvisoryLock(key, options.timeoutSeconds * 1000)) {
    options.log(`Took the migration lock after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return release;
  }
  const current = (await findLockHolder(engine, key)) ?? holder;
  throw new LockTimeoutError(
    `could not take the migration lock on ${engine.displayUrl} within ${options.timeoutSeconds} s: it is held by ${describeHolder(current)}; ` +
      `wait for that run to finish, raise --lock-timeout, or end that session (SELECT pg_terminate_backend(${current?.pid ?? "<pid>"}))`,
  );
}
