/**
 * The real-PostgreSQL engine, over `postgres` (porsager) with exactly one
 * connection: session-level advisory locks and BEGIN/COMMIT only mean
 * something when every statement goes through the same session.
 */
import postgres from "postgres";
import { redactUrl } from "../config/url.ts";
import { ConfigError, ConnectionError } from "../errors.ts";
import type { Engine, EngineOptions, Row } from "./engine.ts";
import { toRetortError } from "./errors.ts";
import { connectionOptions, type ConnectionOptions } from "./pg-options.ts";
import { arrayParams, RESULT_PARSERS } from "./pg-types.ts";
import { sessionTransaction } from "./transaction.ts";

/** pg-types.ts's result parsers in postgres.js's `types` shape: parsers only, its parameter serializers stay. */
function resultTypes(): Record<string, postgres.PostgresType> {
  return Object.fromEntries(
    Object.entries(RESULT_PARSERS).map(([oid, parse]) => [`oid${oid}`, { to: Number(oid), from: [Number(oid)], parse } as unknown as postgres.PostgresType]),
  );
}

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
  let lost: unknown;
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
    onnotice: (notice) => options.onNotice?.(String(notice.message ?? "")),
    onclose: () => {
      if (ready) lost ??= Object.assign(new Error("connection lost"), { code: "CONNECTION_CLOSED" });
    },
  });
  const fail = (error: unknown, statement: string) => toRetortError(error, statement, displayUrl, url);
  const run = async <T extends Row>(text: string, params?: readonly unknown[]): Promise<T[]> => {
    // postgres.js reconnects silently; a new session would hold neither our lock nor our transaction
    if (lost !== undefined) throw fail(lost, text);
    try {
      const rows = params && params.length > 0 ? await sql.unsafe(text, params as never[]) : await sql.unsafe(text);
      return [...rows] as unknown as T[];
    } catch (error) {
      throw fail(error, text);
    }
  };
  try {
    await sql.unsafe("select 1");
    ready = true;
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    const failure = fail(error, "select 1");
    const sslRequired = ssl !== undefined && ssl !== false && ssl !== "prefer";
    const code = (error as { code?: unknown } | null)?.code;
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
        await run("RESET lock_timeout");
      }
    },
    async advisoryUnlock(key) {
      await run("select pg_advisory_unlock($1::bigint)", [key.toString()]);
    },
    async close() {
      ready = false;
      await sql.end({ timeout: 5 });
    },
  };
}
