/**
 * A postgres:// URL read the way libpq reads it: user, password, hosts,
 * ports and database from the URL's parts, then libpq's connection keywords
 * from the query string (a keyword there overrides the part, as in libpq).
 * Nothing else passes: an unknown query key is an error naming the key,
 * never its value, and no error repeats a password. Pure.
 */
import { ConfigError } from "../errors.ts";

/** The libpq sslmode values. */
export type SslMode = "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";

/** postgres.js's target_session_attrs ("any", libpq's default, is no constraint and reads as undefined). */
export type TargetSessionAttrs = "read-write" | "read-only" | "primary" | "standby" | "prefer-standby";

/** What a postgres:// URL asks for, after decoding; absent fields fall back to the driver's and PG* environment defaults. */
export interface PgConnectionParams {
  /** host names, IP addresses or Unix-socket directories (absolute paths), in order */
  readonly hosts: readonly string[];
  /** one port for every host, or one per host */
  readonly ports: readonly number[];
  readonly user?: string;
  readonly password?: string;
  readonly dbname?: string;
  readonly sslmode?: SslMode;
  readonly sslrootcert?: string;
  readonly sslcert?: string;
  readonly sslkey?: string;
  readonly sslpassword?: string;
  readonly sslcrl?: string;
  readonly sslMinProtocolVersion?: string;
  readonly sslMaxProtocolVersion?: string;
  readonly sslnegotiation?: "postgres" | "direct";
  /** the startup `options` (e.g. `-c search_path=app`) */
  readonly options?: string;
  readonly applicationName?: string;
  readonly fallbackApplicationName?: string;
  /** seconds; 0 waits forever (libpq) */
  readonly connectTimeout?: number;
  readonly targetSessionAttrs?: TargetSessionAttrs | undefined;
  /** false: no TCP keepalives */
  readonly keepalives?: boolean;
  /** seconds of idleness before the first keepalive */
  readonly keepalivesIdle?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Setter = (params: Mutable<PgConnectionParams>, value: string) => string | undefined;

const SSL_MODES: readonly SslMode[] = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];
const SESSION_ATTRS = ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"];
const TLS_VERSIONS = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

function oneOf(value: string, allowed: readonly string[], what: string): string | undefined {
  return allowed.includes(value) ? undefined : `${what} must be one of ${allowed.join(", ")}, got '${value}'`;
}

function seconds(value: string, what: string): number | string {
  return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : `${what} must be a whole number of seconds, got '${value}'`;
}

/** Keywords whose value retort cannot change: accepted when they ask for what retort does anyway. */
function only(allowed: readonly string[], why: string): Setter {
  return (_, value) => (allowed.includes(value) ? undefined : `${why} (got '${value}')`);
}

/**
 * libpq's connection keywords that retort honours or accepts, each with how
 * it lands in the parameters; returns a problem (never echoing a secret).
 */
const KEYWORDS: Record<string, Setter> = {
  host: (p, v) => ((p.hosts = v === "" ? [] : v.split(",")), undefined),
  port: (p, v) => {
    const ports = v === "" ? [] : v.split(",").map(portNumber);
    if (ports.some((port) => port === undefined)) return "port must be a number from 1 to 65535";
    p.ports = ports as number[];
    return undefined;
  },
  dbname: (p, v) => ((p.dbname = v), undefined),
  user: (p, v) => ((p.user = v), undefined),
  password: (p, v) => ((p.password = v), undefined),
  sslmode: (p, v) => oneOf(v, SSL_MODES, "sslmode") ?? ((p.sslmode = v as SslMode), undefined),
  requiressl: (p, v) => oneOf(v, ["0", "1"], "requiressl") ?? ((p.sslmode = v === "1" ? "require" : "prefer"), undefined),
  sslrootcert: (p, v) => ((p.sslrootcert = v), undefined),
  sslcert: (p, v) => ((p.sslcert = v), undefined),
  sslkey: (p, v) => ((p.sslkey = v), undefined),
  sslpassword: (p, v) => ((p.sslpassword = v), undefined),
  sslcrl: (p, v) => ((p.sslcrl = v), undefined),
  ssl_min_protocol_version: (p, v) => oneOf(v, TLS_VERSIONS, "ssl_min_protocol_version") ?? ((p.sslMinProtocolVersion = v), undefined),
  ssl_max_protocol_version: (p, v) => oneOf(v, TLS_VERSIONS, "ssl_max_protocol_version") ?? ((p.sslMaxProtocolVersion = v), undefined),
  sslnegotiation: (p, v) => oneOf(v, ["postgres", "direct"], "sslnegotiation") ?? ((p.sslnegotiation = v as "postgres" | "direct"), undefined),
  sslsni: only(["1"], "sslsni=0 is not supported (the server name is always sent)"),
  sslcompression: only(["0", "1"], "sslcompression must be 0 or 1"),
  options: (p, v) => ((p.options = v), undefined),
  application_name: (p, v) => ((p.applicationName = v), undefined),
  fallback_application_name: (p, v) => ((p.fallbackApplicationName = v), undefined),
  connect_timeout: (p, v) => {
    const n = seconds(v, "connect_timeout");
    if (typeof n === "string") return n;
    // libpq: zero or negative waits forever, and 1 second is raised to 2
    p.connectTimeout = n <= 0 ? 0 : Math.max(2, n);
    return undefined;
  },
  target_session_attrs: (p, v) => {
    const problem = oneOf(v, SESSION_ATTRS, "target_session_attrs");
    if (problem === undefined) p.targetSessionAttrs = v === "any" ? undefined : (v as TargetSessionAttrs);
    return problem;
  },
  keepalives: (p, v) => oneOf(v, ["0", "1"], "keepalives") ?? ((p.keepalives = v === "1"), undefined),
  keepalives_idle: (p, v) => {
    const n = seconds(v, "keepalives_idle");
    return typeof n === "string" ? n : ((p.keepalivesIdle = n), undefined);
  },
  // tuning the driver cannot apply; harmless to accept, as libpq ignores them where unsupported
  keepalives_interval: (_, v) => (typeof seconds(v, "") === "number" ? undefined : "keepalives_interval must be a whole number of seconds"),
  keepalives_count: (_, v) => (/^\d+$/.test(v) ? undefined : "keepalives_count must be a whole number"),
  tcp_user_timeout: (_, v) => (/^\d+$/.test(v) ? undefined : "tcp_user_timeout must be a whole number of milliseconds"),
  client_encoding: only(["UTF8", "utf8", "UTF-8", "utf-8", "unicode", "UNICODE"], "retort talks UTF8 only: client_encoding must be UTF8"),
  gssencmode: only(["disable", "prefer"], "retort does not use GSSAPI encryption: gssencmode must be disable or prefer"),
  channel_binding: only(["disable", "prefer"], "retort cannot do SCRAM channel binding: channel_binding must be disable or prefer"),
  load_balance_hosts: only(["disable"], "load_balance_hosts=random is not supported: hosts are tried in order"),
};

/** libpq keywords retort knows and refuses, so the message can say so rather than "unknown". */
const UNSUPPORTED = new Set(["hostaddr", "passfile", "service", "require_auth", "requirepeer", "krbsrvname", "gsslib", "gssdelegation", "replication", "sslcrldir", "sslcertmode", "sslkeylogfile"]);

/** Keys a password= value cannot swallow when it contains an unescaped '&' (see url.ts's redaction). */
export const CONNECTION_KEYWORDS: ReadonlySet<string> = new Set([...Object.keys(KEYWORDS), ...UNSUPPORTED]);

const SECRET_KEYS = new Set(["password", "sslpassword"]);

/** The connection parameters of a postgres:// or postgresql:// URL; a ConfigError (exit 2) that never shows a secret otherwise. */
export function parsePostgresUrl(url: string): PgConnectionParams {
  const text = url.trim();
  const prefix = /^postgres(?:ql)?:\/\//i.exec(text)?.[0];
  if (prefix === undefined) throw new ConfigError("not a postgres:// or postgresql:// URL");
  const rest = text.slice(prefix.length);
  const queryAt = rest.indexOf("?");
  const beforeQuery = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const slash = beforeQuery.indexOf("/");
  const authority = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  const params: Mutable<PgConnectionParams> = { hosts: [], ports: [] };

  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(":");
    const user = decode(colon < 0 ? userinfo : userinfo.slice(0, colon), "the user name");
    if (user !== "") params.user = user;
    if (colon >= 0) params.password = decode(userinfo.slice(colon + 1), "the password");
  }
  const hostspec = authority.slice(at + 1);
  if (hostspec !== "") {
    const hosts: string[] = [];
    const ports: (number | undefined)[] = [];
    for (const part of hostspec.split(",")) {
      const [host, port] = splitHostPort(part);
      const number = port === undefined ? undefined : portNumber(port);
      // the text is not shown: with an unescaped '/' in the password, the "port" is part of it
      if (port !== undefined && number === undefined) throw new ConfigError("the port is not a number from 1 to 65535");
      hosts.push(decode(host, "the host"));
      ports.push(number);
    }
    params.hosts = hosts.every((h) => h === "") ? [] : hosts;
    // libpq: a port given for some hosts only leaves the others on the default
    if (ports.some((p) => p !== undefined)) params.ports = ports.map((p) => p ?? 5432);
  }
  if (slash >= 0) {
    const dbname = decode(beforeQuery.slice(slash + 1), "the database name");
    if (dbname !== "") params.dbname = dbname;
  }
  if (queryAt >= 0) applyQuery(params, rest.slice(queryAt + 1));
  if (params.ports.length > 1 && params.ports.length !== Math.max(params.hosts.length, 1)) {
    throw new ConfigError(`${params.ports.length} ports for ${params.hosts.length} hosts: give one port, or one per host`);
  }
  const sockets = params.hosts.filter((h) => h.startsWith("/"));
  if (sockets.length > 0 && params.hosts.length > 1) throw new ConfigError("a Unix-socket host cannot be combined with other hosts");
  return params;
}

function applyQuery(params: Mutable<PgConnectionParams>, query: string): void {
  let afterSecret = false;
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    // a pair without '=' after password= is likely the rest of a password holding '&': do not show it
    if (eq <= 0) {
      throw new ConfigError(afterSecret ? AMPERSAND_HINT : "a query parameter without 'key=' in the database URL");
    }
    const key = decode(pair.slice(0, eq), "a query parameter name");
    const value = decode(pair.slice(eq + 1), "a query parameter value");
    const setter = KEYWORDS[key];
    if (setter === undefined) {
      if (afterSecret) throw new ConfigError(AMPERSAND_HINT);
      const shown = /^[\w.-]{1,64}$/.test(key) ? `'${key}'` : "(a name that is not a keyword)";
      if (KEYWORDS[key.toLowerCase()] !== undefined) throw new ConfigError(`unknown query parameter ${shown}: libpq's keywords are lowercase (${key.toLowerCase()})`);
      if (UNSUPPORTED.has(key)) throw new ConfigError(`the libpq keyword ${shown} is not supported by retort`);
      throw new ConfigError(
        `unknown query parameter ${shown}: retort takes libpq's connection keywords only (server settings go in options, e.g. options=-c%20search_path%3Dapp)`,
      );
    }
    const problem = setter(params, value);
    if (problem !== undefined) throw new ConfigError(SECRET_KEYS.has(key) ? `bad ${key}` : problem);
    afterSecret = SECRET_KEYS.has(key);
  }
}

const AMPERSAND_HINT = "a query parameter after password= is not a keyword: if the password holds '&', '=' or '#', percent-encode them (%26, %3D, %23)";

/** `[::1]:5432`, `host:5432`, `host`, `:5432`. */
function splitHostPort(part: string): [host: string, port: string | undefined] {
  if (part.startsWith("[")) {
    const close = part.indexOf("]");
    if (close < 0) throw new ConfigError("an IPv6 host is missing its closing ']'");
    const after = part.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) throw new ConfigError("unexpected text after an IPv6 host's ']'");
    return [part.slice(1, close), after === "" ? undefined : after.slice(1)];
  }
  const colon = part.lastIndexOf(":");
  return colon < 0 ? [part, undefined] : [part.slice(0, colon), part.slice(colon + 1)];
}

function portNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** Percent-decoding as libpq does it ('+' stays '+'); bad encoding names the part, not its text. */
function decode(text: string, what: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw new ConfigError(`bad percent-encoding in ${what} (write '%' as %25)`);
  }
  if (decoded.includes("\0")) throw new ConfigError(`${what} contains %00`);
  return decoded;
}
