/**
 * The real-PostgreSQL engine, over `postgres` (porsager) with exactly one
 * connection: session-level advisory locks and BEGIN/COMMIT only mean
 * something when every statement goes through the same session.
 */
import postgres from "postgres";
import { redactUrl } from "../config/url.ts";
import { ConfigError, ConnectionError, ConnectionLostError } from "../errors.ts";
import type { Engine, EngineOptions, Row } from "./engine.ts";
import { toRetortError } from "./errors.ts";
import { connectionOptions, type ConnectionOptions } from "./pg-options.ts";
import { NotPostgresError, sessionSockets } from "./pg-socket.ts";
import { arrayParams, RESULT_PARSERS } from "./pg-types.ts";

/** pg-types.ts's result parsers in postgres.js's `types` shape: parsers only, its parameter serializers stay. */
function resultTypes(): Record<string, postgres.PostgresType> {
  return Object.fromEntries(
    Object.entries(RESULT_PARSERS).map(([oid, parse]) => [`oid${oid}`, { to: Number(oid), from: [Number(oid)], parse } as unknown as postgres.PostgresType]),
  );
}

/** Seconds a connection attempt may take when the URL has no connect_timeout (libpq waits forever). */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

/** The URL's `connect_timeout` in seconds as libpq reads it (0: no limit), else the default; a bad value is a ConfigError. */
export function connectTimeoutFromUrl(url: string): number {
  return connectionOptions(url).connect_timeout ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
}

/** How often a run waiting for the migration lock asks for it: soon at first, then every 250 ms. */
const LOCK_POLL_FIRST_MS = 25;
const LOCK_POLL_MAX_MS = 250;

/** How long a cancel request's socket may take, how long to wait for the statement to stop, how often to ask. */
const CANCEL_TIMEOUT_MS = 3000;
const CANCEL_RETRY_MS = 1000;
const CANCEL_ATTEMPTS = 5;

/** Connect to PostgreSQL at `url` and check the connection (errors: ConnectionError, exit 3). */
export async function openPostgres(url: string, options: EngineOptions = {}): Promise<Engine> {
  const displayUrl = redactUrl(url);
  let connection: ConnectionOptions;
  try {
    connection = connectionOptions(url, options.applicationName);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConnectionError(`cannot connect to ${displayUrl}: cannot read an SSL file: ${(error as Error).message}`);
  }
  const ssl = connection.ssl;
  const connectTimeout = connection.connect_timeout ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
  const sockets = sessionSockets();
  // set once the session is gone: postgres.js would reconnect, and a new session holds neither our lock nor our transaction
  let lost: ConnectionLostError | undefined;
  let markLost!: (error: ConnectionLostError) => void;
  const lostPromise = new Promise<never>((_, reject) => {
    markLost = (error) => {
      if (lost !== undefined) return;
      lost = error;
      reject(error);
    };
  });
  lostPromise.catch(() => {});
  const loseSession = (why: string) =>
    markLost(new ConnectionLostError(displayUrl, `${why} (pg_terminate_backend, a server restart or a network failure)`));
  let ready = false;
  const sql = postgres({
    ...connection,
    max: 1,
    // a recycled connection would silently drop the advisory lock and the open transaction
    max_lifetime: null,
    idle_timeout: 0,
    fetch_types: false,
    // the same JavaScript values as PGlite (README "Query results")
    types: resultTypes(),
    connect_timeout: connectTimeout,
    // postgres.js takes a socket factory (undocumented in its types)
    ...({ socket: sockets.socket } as object),
    onnotice: (notice) => options.onNotice?.(String(notice.message ?? "")),
    onclose: () => {
      if (ready) loseSession("the connection was closed");
    },
  });
  const fail = (error: unknown, statement: string) => toRetortError(error, statement, displayUrl, url, ready);
  // the call in flight, settled or not (for cancel)
  let running: Promise<unknown> | undefined;
  // set by cancel(): a lock wait polls, so there may be no statement to cancel when the signal comes
  let lockWaitCancelled = false;
  let backend: { pid: number; secret: number } | undefined;
  const run = async <T extends Row>(text: string, params?: readonly unknown[]): Promise<T[]> => {
    if (lost !== undefined) throw lost;
    const query = params && params.length > 0 ? sql.unsafe(text, params as never[]) : sql.unsafe(text);
    // the session's socket ending settles the call at once, whatever postgres.js makes of it
    const pending = Promise.race([query, lostPromise]);
    running = pending;
    try {
      const rows = await pending;
      return [...rows] as unknown as T[];
    } catch (error) {
      if (lost !== undefined) throw lost;
      const severity = (error as { severity?: unknown } | null)?.severity;
      if (severity === "FATAL" || severity === "PANIC") {
        // the server ends the session after a FATAL error (e.g. 57P01 from pg_terminate_backend)
        loseSession(`the server ended the session: ${(error as Error).message}`);
        throw lost;
      }
      const failure = fail(error, text);
      if (failure instanceof ConnectionError) {
        loseSession(failure.message.replace(/^cannot connect to \S+: /, ""));
        throw lost ?? failure;
      }
      throw failure;
    } finally {
      if (running === pending) running = undefined;
    }
  };
  const connected = async () => {
    const deadline = connectTimeout > 0 ? Bun.sleep(connectTimeout * 1000 + 1000).then(() => Promise.reject(Object.assign(new Error("timeout"), { code: "CONNECT_TIMEOUT" }))) : new Promise<never>(() => {});
    deadline.catch(() => {});
    const result = await Promise.race([sql.unsafe("select 1"), sockets.failed, deadline]);
    backend = (result as unknown as { state?: { pid: number; secret: number } }).state;
  };
  try {
    await connected();
    sockets.established(loseSession);
    ready = true;
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    if (error instanceof NotPostgresError) throw new ConnectionError(`cannot connect to ${displayUrl}: ${error.message}`, { cause: error });
    const failure = fail(error, "select 1");
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "CONNECT_TIMEOUT") {
      throw new ConnectionError(`cannot connect to ${displayUrl}: no answer within ${connectTimeout} s (connect_timeout in the URL; default ${DEFAULT_CONNECT_TIMEOUT_SECONDS})`, { cause: error });
    }
    const sslRequired = ssl !== undefined && ssl !== false && ssl !== "prefer";
    if (sslRequired && (code === "ECONNRESET" || code === "CONNECTION_CLOSED")) {
      // postgres.js just sees the socket close when the server answers "no SSL"
      throw new ConnectionError(`${failure.message} (the URL requires SSL: does the server accept SSL connections? sslmode=prefer or disable connects without)`, { cause: error });
    }
    throw failure instanceof ConnectionError ? failure : new ConnectionError(`cannot connect to ${displayUrl}: ${failure.message}`, { cause: error });
  }
  return {
    kind: "postgres",
    displayUrl,
    async execute(text, params) {
      await run(text, arrayParams(params));
    },
    query: <T extends Row>(text: string, params?: readonly unknown[]) => run<T>(text, arrayParams(params)),
    async tryAdvisoryLock(key, timeoutMs) {
      // polled, never waited for inside one statement: a session blocked in pg_advisory_lock holds a
      // snapshot, and a CREATE INDEX CONCURRENTLY run by the lock's holder would wait for that snapshot
      // while the session waits for the holder (a deadlock, 40P01); between two polls it holds nothing
      lockWaitCancelled = false;
      const deadline = performance.now() + Math.max(0, timeoutMs);
      for (let pause = LOCK_POLL_FIRST_MS; ; pause = Math.min(pause * 2, LOCK_POLL_MAX_MS)) {
        const [row] = await run<{ ok: boolean }>("select pg_try_advisory_lock($1::bigint) as ok", [key.toString()]);
        if (row?.ok === true) return true;
        if (lockWaitCancelled) throw new Error("the wait for the migration lock was cancelled");
        const left = deadline - performance.now();
        if (left <= 0) return false;
        await Bun.sleep(Math.min(pause, left));
        if (lockWaitCancelled) throw new Error("the wait for the migration lock was cancelled");
      }
    },
    async advisoryUnlock(key) {
      await run("select pg_advisory_unlock($1::bigint)", [key.toString()]);
    },
    async cancel() {
      lockWaitCancelled = true;
      const call = running;
      for (let attempt = 0; attempt < CANCEL_ATTEMPTS; attempt++) {
        if (call === undefined || running !== call || backend === undefined || lost !== undefined) return;
        await sockets.cancel(backend.pid, backend.secret, CANCEL_TIMEOUT_MS);
        // a request that reached the server before the statement did is ignored: ask again while the call still runs
        const settled = await Promise.race([call.then(() => true, () => true), Bun.sleep(CANCEL_RETRY_MS).then(() => false)]);
        if (settled) return;
      }
    },
    async close() {
      ready = false;
      // a lost session has nothing to say goodbye to; postgres.js would wait for its dead query
      await sql.end({ timeout: lost === undefined ? 5 : 0 });
    },
  };
}
