/**
 * A postgres:// URL as postgres.js options. The URL is parsed by retort
 * (config/pg-url.ts, libpq's rules) and never handed to postgres.js, which
 * would send every unknown query key, `password` included, to the server as
 * a startup parameter in clear text. Only user, database, options and
 * application_name reach the startup packet.
 */
import { readFileSync } from "node:fs";
import type { Options, PostgresType } from "postgres";
import { parsePostgresUrl, type PgConnectionParams } from "../config/pg-url.ts";

/** postgres.js's ssl option: a mode, or tls.connect options. */
export type SslOption = boolean | "require" | "prefer" | "verify-full" | TlsOptions;

interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
  crl?: string;
  minVersion?: string;
  maxVersion?: string;
  rejectUnauthorized: boolean;
  checkServerIdentity?: () => undefined;
}

/** The connection part of postgres.js's options; the caller adds pool and callback settings. */
export type ConnectionOptions = Options<Record<string, PostgresType>> & { ssl?: SslOption };

/**
 * postgres.js options for `url` (host, port, database, user, password,
 * TLS, timeouts, startup parameters). application_name: the URL's, else
 * `applicationName`, else the URL's fallback_application_name, else "retort". Reads the SSL files
 * the URL names (errors are the file system's); a malformed URL is a ConfigError.
 */
export function connectionOptions(url: string, applicationName?: string, readFile: (path: string) => string = (path) => readFileSync(path, "utf8")): ConnectionOptions {
  const p = parsePostgresUrl(url);
  const options: Record<string, unknown> = {};
  if (p.hosts.length > 0) {
    options.host = p.hosts;
    const ports = p.ports.length === 0 ? [Number(process.env.PGPORT) || 5432] : p.ports;
    options.port = p.hosts.map((_, i) => ports[ports.length === 1 ? 0 : i]);
    const socketDir = p.hosts[0]!;
    if (socketDir.startsWith("/")) options.path = `${socketDir}/.s.PGSQL.${ports[0]}`;
  } else if (p.ports.length > 0) {
    options.port = p.ports[0];
  }
  if (p.user !== undefined) options.user = p.user;
  if (p.password !== undefined) options.pass = p.password;
  if (p.dbname !== undefined) options.database = p.dbname;
  const ssl = sslOption(p, readFile);
  if (ssl !== undefined) options.ssl = ssl;
  if (p.sslnegotiation === "direct") options.sslnegotiation = "direct";
  if (p.connectTimeout !== undefined) options.connect_timeout = p.connectTimeout;
  if (p.targetSessionAttrs !== undefined) options.target_session_attrs = p.targetSessionAttrs;
  if (p.keepalives === false) options.keep_alive = null;
  else if (p.keepalivesIdle !== undefined && p.keepalivesIdle > 0) options.keep_alive = p.keepalivesIdle;
  const startup: Record<string, string> = { application_name: p.applicationName ?? applicationName ?? p.fallbackApplicationName ?? "retort" };
  if (p.options !== undefined) startup.options = p.options;
  options.connection = startup;
  return options as ConnectionOptions;
}

/** libpq's sslmode and SSL files as postgres.js's ssl option; undefined leaves postgres.js's default. */
function sslOption(p: PgConnectionParams, readFile: (path: string) => string): SslOption | undefined {
  // libpq: sslrootcert=system implies verify-full; a root certificate makes require verify the chain
  let mode = p.sslrootcert === "system" && p.sslmode === undefined ? "verify-full" : p.sslmode;
  if (mode === "require" && p.sslrootcert !== undefined) mode = "verify-ca";
  if (mode === "disable") return false;
  const tls: TlsOptions = { rejectUnauthorized: mode === "verify-ca" || mode === "verify-full" };
  if (mode === "verify-ca") tls.checkServerIdentity = () => undefined;
  const file = (path: string | undefined) => (path === undefined || path === "system" ? undefined : readFile(path));
  const extras: Partial<TlsOptions> = {
    ca: file(p.sslrootcert),
    cert: file(p.sslcert),
    key: file(p.sslkey),
    passphrase: p.sslpassword,
    crl: file(p.sslcrl),
    minVersion: p.sslMinProtocolVersion,
    maxVersion: p.sslMaxProtocolVersion,
  };
  let custom = false;
  for (const [name, value] of Object.entries(extras)) {
    if (value === undefined) continue;
    (tls as unknown as Record<string, unknown>)[name] = value;
    custom = true;
  }
  if (custom || mode === "verify-ca") return tls;
  switch (mode) {
    case undefined:
      return undefined;
    case "allow":
    case "prefer":
      return "prefer";
    case "require":
      return "require";
    default:
      return "verify-full";
  }
}
