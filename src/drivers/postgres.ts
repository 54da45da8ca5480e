/**
 * The real-PostgreSQL engine, over `postgres` (porsager) with exactly one
 * connection: session-level advisory locks and BEGIN/COMMIT only mean
 * something when every statement goes through the same session.
 */
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { redactUrl } from "../config/url.ts";
import { ConfigError, ConnectionError, ConnectionLostError } from "../errors.ts";
import type { Engine, EngineOptions, Row } from "./engine.ts";
import { toRetortError } from "./errors.ts";
import { NotPostgresError, sessionSockets } from "./pg-socket.ts";
import { sessionTransaction } from "./transaction.ts";

type SslOption = boolean | "require" | "prefer" | "verify-full" | { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };

/** libpq's sslmode (and sslrootcert/sslcert/sslkey files) as postgres.js's ssl option; the URL without them. */
export function sslFromUrl(url: string): { url: string; ssl: SslOption | undefined } {
  const query = url.indexOf("?");
  if (query < 0) return { url, ssl: undefined };
  const params = new URLSearchParams(url.slice(query + 1));
  const mode = params.get("sslmode") ?? (params.get("ssl") === "true" ? "require" : undefined);
  const files = { ca: params.get("sslrootcert"), cert: params.get("sslcert"), key: params.get("sslkey") };
  for (const name of ["sslmode", "ssl", "sslrootcert", "sslcert", "sslkey"]) params.delete(name);
  const rest = params.toString();
  const cleaned = url.slice(0, query) + (rest === "" ? "" : `?${rest}`);
  let ssl: SslOption | undefined;
  switch (mode) {
    case undefined:
      ssl = undefined;
      break;
    case "disable":
      ssl = false;
      break;
    case "allow":
    case "prefer":
      ssl = "prefer";
      break;
    case "require":
      ssl = "require";
      break;
    case "verify-ca":
    case "verify-full":
      ssl = "verify-full";
      break;
    default:
      ssl = undefined;
  }
  const read = (path: string | null) => (path === null || path === "system" ? undefined : readFileSync(path, "utf8"));
  if (files.ca !== null || files.cert !== null || files.key !== null) {
    const verify = mode === "verify-ca" || mode === "verify-full" || (mode === undefined && files.ca !== null);
    const object: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean } = { rejectUnauthorized: verify };
    const ca = read(files.ca);
    const cert = read(files.cert);
    const key = read(files.key);
    if (ca !== undefined) object.ca = ca;
    if (cert !== undefined) object.cert = cert;
    if (key !== undefined) object.key = key;
    ssl = mode === "disable" ? false : object;
  }
  return { url: cleaned, ssl };
}

/** Seconds a connection attempt may take when the URL has no connect_timeout (libpq waits forever). */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

/** libpq's `connect_timeout` query option in seconds (0: no limit), else the default; a bad value is a ConfigError. */
export function connectTimeoutFromUrl(url: string): number {
  const query = url.indexOf("?");
  const value = query < 0 ? null : new URLSearchParams(url.slice(query + 1).split("#")[0]).get("connect_timeout");
  if (value === null) return DEFAULT_CONNECT_TIMEOUT_SECONDS;
  if (!/^\s*\d+\s*$/.test(value)) {
    throw new ConfigError(`connect_timeout in the database URL must be a whole number of seconds (0: no limit), got '${value}'`);
  }
  return Number(value);
}

/** How long a cancel request's socket may take, how long to wait for the statement to stop, how often to ask. */
const CANCEL_TIMEOUT_MS = 3000;
const CANCEL_RETRY_MS = 1000;
const CANCEL_ATTEMPTS = 5;

/** Connect to PostgreSQL at `url` and check the connection (errors: ConnectionError, exit 3). */
export async function openPostgres(url: string, options: EngineOptions = {}): Promise<Engine> {
  const displayUrl = redactUrl(url);
  const connectTimeout = connectTimeoutFromUrl(url);
  let ssl: SslOption | undefined;
  let cleaned: string;
  try {
    ({ url: cleaned, ssl } = sslFromUrl(url));
  } catch (error) {
    throw new ConnectionError(`cannot connect to ${displayUrl}: cannot read an SSL file: ${(error as Error).message}`);
  }
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
  const sql = postgres(cleaned, {
    max: 1,
    // a recycled connection would silently drop the advisory lock and the open transaction
    max_lifetime: null,
    idle_timeout: 0,
    fetch_types: false,
    connect_timeout: connectTimeout,
    // postgres.js takes a socket factory (undocumented in its types)
    ...({ socket: sockets.socket } as object),
    ...(ssl === undefined ? {} : { ssl }),
    connection: { application_name: options.applicationName ?? "retort" },
    onnotice: (notice) => options.onNotice?.(String(notice.message ?? "")),
    onclose: () => {
      if (ready) loseSession("the connection was closed");
    },
  });
  const fail = (error: unknown, statement: string) => toRetortError(error, statement, displayUrl, url, ready);
  // the call in flight, settled or not (for cancel)
  let running: Promise<unknown> | undefined;
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
      await run(text, params);
    },
    query: run,
    transaction: sessionTransaction(run),
    async tryAdvisoryLock(key, timeoutMs) {
      const [row] = await run<{ ok: boolean }>("select pg_try_advisory_lock($1::bigint) as ok", [key.toString()]);
      if (row?.ok === true) return true;
      if (timeoutMs <= 0) return false;
      await run(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
      try {
        await run("select pg_advisory_lock($1::bigint)", [key.toString()]);
        return true;
      } catch (error) {
        if ((error as { pg?: { code?: string } }).pg?.code === "55P03") return false;
        throw error;
      } finally {
        // a migration's own statements must not inherit the lock-wait timeout
        if (lost === undefined) await run("RESET lock_timeout");
      }
    },
    async advisoryUnlock(key) {
      await run("select pg_advisory_unlock($1::bigint)", [key.toString()]);
    },
    async cancel() {
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
