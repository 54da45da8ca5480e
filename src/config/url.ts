/**
 * Database URLs: where one comes from (DESIGN.md's resolution order), what
 * it names (PostgreSQL or PGlite), and how to show it without its password.
 * Pure apart from reading the environment object it is given.
 */
import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../errors.ts";

/** The database used when nothing names one. */
export const DEFAULT_DATABASE_URL = "pglite:.retort/db";

/** Where a resolved URL came from, in DESIGN.md's order. */
export type UrlSource = "flag" | "RETORT_DATABASE_URL" | "DATABASE_URL" | "config" | "default";

/** A URL to connect to and where it came from. */
export interface ResolvedUrl {
  readonly url: string;
  readonly source: UrlSource;
}

/** The inputs of URL resolution; empty strings count as unset. */
export interface UrlInputs {
  /** --url */
  readonly flag?: string | undefined;
  /** `url` in retort.toml */
  readonly configUrl?: string | undefined;
  /** the environment to read RETORT_DATABASE_URL / DATABASE_URL from (default process.env) */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Pick the database URL: --url, RETORT_DATABASE_URL, DATABASE_URL, retort.toml,
 * then the embedded default, which is announced through `announce` (stderr).
 */
export function resolveDatabaseUrl(inputs: UrlInputs, announce?: (line: string) => void): ResolvedUrl {
  const env = inputs.env ?? process.env;
  const candidates: [UrlSource, string | undefined][] = [
    ["flag", inputs.flag],
    ["RETORT_DATABASE_URL", env.RETORT_DATABASE_URL],
    ["DATABASE_URL", env.DATABASE_URL],
    ["config", inputs.configUrl],
  ];
  for (const [source, value] of candidates) {
    if (value !== undefined && value.trim() !== "") return { url: value.trim(), source };
  }
  announce?.(
    `No database URL given (--url, RETORT_DATABASE_URL, DATABASE_URL or url in retort.toml); using ${DEFAULT_DATABASE_URL}`,
  );
  return { url: DEFAULT_DATABASE_URL, source: "default" };
}

/** What a URL names once parsed. */
export type DatabaseTarget =
  | { readonly kind: "postgres"; readonly url: string }
  /** dataDir: absolute directory, or null for pglite:memory */
  | { readonly kind: "pglite"; readonly dataDir: string | null };

const HINT = "expected postgres://user:password@host:port/database, pglite:<dir> or pglite:memory";

/** Parse a database URL; a malformed one is a ConfigError (exit 2) that shows it redacted. */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  const fail = (why: string): never => {
    throw new ConfigError(`malformed database URL '${redactUrl(url)}': ${why}; ${HINT}`);
  };
  if (url.startsWith("pglite:")) {
    let rest = url.slice("pglite:".length);
    if (rest.startsWith("//")) rest = rest.slice(2);
    if (rest === "") fail("no directory after pglite:");
    if (rest === "memory" || rest === ":memory:" || rest === "memory://") return { kind: "pglite", dataDir: null };
    return { kind: "pglite", dataDir: isAbsolute(rest) ? rest : resolve(cwd, rest) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) fail("no scheme");
  if (scheme !== "postgres" && scheme !== "postgresql") fail(`unknown scheme '${scheme}'`);
  // multi-host URLs (host1,host2) are legal libpq; check the first host only
  const authority = url.slice(url.indexOf("://") + 3).split(/[/?#]/)[0] ?? "";
  const hosts = authority.slice(authority.lastIndexOf("@") + 1);
  let parsed: URL;
  try {
    parsed = new URL(url.replace(hosts, hosts.split(",")[0] ?? ""));
  } catch {
    return fail("cannot be parsed");
  }
  if (parsed.port !== "" && !/^\d+$/.test(parsed.port)) fail(`invalid port '${parsed.port}'`);
  for (const host of hosts.split(",")) {
    const port = /:(\d*)$/.exec(host.replace(/^\[.*\]/, ""))?.[1];
    if (port !== undefined && (port === "" || Number(port) > 65535)) fail(`invalid port in '${host}'`);
  }
  return { kind: "postgres", url };
}

const SECRET_PARAMS = /([?&](?:password|sslpassword)=)[^&#]*/gi;

/**
 * The URL with any password (in the user info or a password= option) replaced
 * by ***. The user info ends at the last '@', so a password with unescaped
 * '/', '?' or '#' is still hidden (over-redacting is the safe failure).
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (scheme === undefined) return url.replace(SECRET_PARAMS, "$1***");
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf("@");
  const colon = rest.indexOf(":");
  if (at < 0 || colon < 0 || colon > at) return scheme + rest.replace(SECRET_PARAMS, "$1***");
  return `${scheme}${rest.slice(0, colon)}:***${rest.slice(at).replace(SECRET_PARAMS, "$1***")}`;
}

/** The password a URL carries (user info or password= option), decoded; undefined if none. */
export function urlPassword(url: string): string | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (scheme === undefined) return undefined;
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf("@");
  const colon = rest.indexOf(":");
  const raw = at >= 0 && colon >= 0 && colon < at ? rest.slice(colon + 1, at) : /[?&]password=([^&#]*)/i.exec(url)?.[1];
  if (raw === undefined || raw === "") return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Text safe to print: every postgres URL in it redacted, and the password of
 * `url` (raw and decoded) replaced wherever it appears (drivers sometimes echo it).
 */
export function redactText(text: string, url?: string): string {
  let out = text.replace(/postgres(?:ql)?:\/\/[^\s'"`<>]+/gi, (found) => redactUrl(found));
  if (url !== undefined) {
    const password = urlPassword(url);
    for (const secret of new Set([password, password === undefined ? undefined : encodeURIComponent(password)])) {
      // very short secrets would blank out ordinary words; URLs carrying them are still redacted above
      if (secret !== undefined && secret.length >= 3) out = out.split(secret).join("***");
    }
  }
  return out;
}
