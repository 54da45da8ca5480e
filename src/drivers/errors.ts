/**
 * Turning what the drivers throw into retort's errors: PostgreSQL's error
 * fields into PgErrorDetail, failures to reach or log into a server into one
 * clear ConnectionError line. Both drivers (postgres, PGlite) throw objects
 * with the same field names (code, detail, hint, position).
 */
import { redactText } from "../config/url.ts";
import { ConnectionError, RetortError, StatementError, type PgErrorDetail } from "../errors.ts";

/** PostgreSQL's fields of a driver error, or undefined when it did not come from the server. */
export function pgErrorDetail(error: unknown): PgErrorDetail | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Record<string, unknown>;
  const code = typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
  if (code === undefined) return undefined;
  const position = Number(e.position);
  const detail: PgErrorDetail = { code, message: String(e.message ?? "") };
  if (typeof e.detail === "string" && e.detail !== "") detail.detail = e.detail;
  if (typeof e.hint === "string" && e.hint !== "") detail.hint = e.hint;
  if (Number.isInteger(position) && position > 0) detail.position = position;
  return detail;
}

/** "ERROR 42P01: relation "x" does not exist" plus DETAIL/HINT lines, as psql shows them. */
export function formatPgError(pg: PgErrorDetail): string {
  const lines = [`ERROR${pg.code ? ` ${pg.code}` : ""}: ${pg.message}`];
  if (pg.detail) lines.push(`DETAIL: ${pg.detail}`);
  if (pg.hint) lines.push(`HINT: ${pg.hint}`);
  return lines.join("\n");
}

const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused (is PostgreSQL running there and accepting TCP connections?)",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed (temporary DNS failure)",
  ETIMEDOUT: "connection timed out",
  CONNECT_TIMEOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "connection reset by the server",
  CONNECTION_CLOSED: "connection closed by the server",
  CONNECTION_DESTROYED: "connection closed",
  CONNECTION_ENDED: "connection closed",
  EPIPE: "connection closed by the server",
};

const SERVER_CODES: Record<string, string> = {
  "28P01": "authentication failed",
  "28000": "authorization failed",
  "3D000": "database does not exist",
  "57P03": "the server is not accepting connections",
  "53300": "too many connections",
};

/**
 * A ConnectionError (exit 3) for a failure to reach, log into or stay
 * connected to a server; undefined when the error is something else.
 */
export function classifyConnectionError(error: unknown, displayUrl: string, rawUrl?: string): ConnectionError | undefined {
  if (error instanceof ConnectionError) return error;
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Record<string, unknown>;
  const code = typeof e.code === "string" ? e.code : undefined;
  if (code === undefined) return undefined;
  const what = SOCKET_CODES[code] ?? SERVER_CODES[code];
  if (what === undefined) return undefined;
  // the server's own words say which role or database; keep them when there are some
  const serverMessage = SERVER_CODES[code] !== undefined && typeof e.message === "string" && e.message !== "" ? e.message : undefined;
  return new ConnectionError(redactText(`cannot connect to ${displayUrl}: ${serverMessage ?? what}`, rawUrl), { cause: error });
}

/**
 * Any error from a driver call as a retort error: connection failures as
 * ConnectionError, server errors as StatementError carrying PostgreSQL's fields.
 * `connected`: the session was up, so a server error is the statement's even
 * when its code means "cannot log in" at connect time (3D000 from DROP DATABASE).
 */
export function toRetortError(error: unknown, statement: string, displayUrl: string, rawUrl?: string, connected = false): RetortError {
  if (error instanceof RetortError) return error;
  const pg = pgErrorDetail(error);
  const connection = connected && pg !== undefined ? undefined : classifyConnectionError(error, displayUrl, rawUrl);
  if (connection) return connection;
  const message = pg ? formatPgError(pg) : error instanceof Error ? error.message : String(error);
  return new StatementError(redactText(message, rawUrl), statement, pg);
}
