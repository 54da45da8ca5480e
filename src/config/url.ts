/**
 * Database URLs: where one comes from (the README's resolution order), what
 * it names (PostgreSQL or PGlite), and how to show it without its password.
 * Pure apart from reading the environment object it is given.
 */
import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../errors.ts";
import { CONNECTION_KEYWORDS, parsePostgresUrl } from "./pg-url.ts";

/** The database used when nothing names one. */
export const DEFAULT_DATABASE_URL = "pglite:.retort/db";

/** Where a resolved URL came from, in the README's order. */
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
    throw new ConfigError(`malformed database URL '${redactUrl(url)}': ${why}`);
  };
  const text = url.trim();
  if (/^pglite:/i.test(text)) {
    let rest = text.slice("pglite:".length);
    if (rest.startsWith("//")) rest = rest.slice(2);
    if (rest === "") fail(`no directory after pglite:; ${HINT}`);
    // a query string would only become part of a directory name (and be shown wherever the path is)
    if (rest.includes("?")) fail("pglite: URLs take no query parameters");
    if (rest === "memory" || rest === ":memory:" || rest === "memory://") return { kind: "pglite", dataDir: null };
    return { kind: "pglite", dataDir: isAbsolute(rest) ? rest : resolve(cwd, rest) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  const slashes = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (scheme === undefined || (!slashes && scheme !== "postgres" && scheme !== "postgresql")) fail(`no scheme; ${HINT}`);
  if (scheme !== "postgres" && scheme !== "postgresql") fail(`unknown scheme '${scheme}'; ${HINT}`);
  if (!slashes) fail(`'${scheme}:' must be followed by '//'; ${HINT}`);
  try {
    parsePostgresUrl(text);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  return { kind: "postgres", url: text };
}

/** Query keys whose values are secrets, compared lowercased and decoded (libpq's names are lowercase; PASSWORD= is hidden too). */
const SECRET_KEYS = new Set(["password", "sslpassword"]);

/**
 * The URL with every secret replaced by ***: the password in the user info
 * and every password=/sslpassword= value (any case, encoded or not). The
 * user info is read from the authority (up to the first '/', '?' or '#');
 * an '@' further on that no keyword's value explains means the password ran
 * past it (an unescaped '/', '?' or '#'), and everything up to that '@' is
 * hidden: over-redacting is the safe failure.
 */
export function redactUrl(url: string): string {
  const text = url.trim();
  if (/^pglite:/i.test(text)) return hideParams(text).text;
  const prefix = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? /^postgres(?:ql)?:/i.exec(text)?.[0] ?? "";
  const rest = text.slice(prefix.length);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const remainder = end < 0 ? "" : rest.slice(end);
  const hidden = hideParams(remainder);
  if (hidden.strayAt >= 0) {
    const cut = authority.length + hidden.strayAt;
    const colon = rest.indexOf(":");
    const user = colon >= 0 && colon < cut && !/[/?#]/.test(rest.slice(0, colon)) ? rest.slice(0, colon + 1) : "";
    return `${prefix}${user}***${redactUrl(`x://${rest.slice(cut)}`).slice("x://".length)}`;
  }
  const at = authority.lastIndexOf("@");
  const colon = authority.indexOf(":");
  let shownAuthority = authority;
  if (at >= 0 && colon >= 0 && colon < at) shownAuthority = `${authority.slice(0, colon)}:***${authority.slice(at)}`;
  // `postgres:secret@host` may be `user:password@host` without a scheme: the whole user info is hidden
  else if (at >= 0 && !prefix.endsWith("//")) shownAuthority = `***${authority.slice(at)}`;
  return prefix + shownAuthority + hidden.text;
}

/**
 * Hide password values in the query part of `text` (from its first '?') and
 * find the last '@' that is not inside a keyword's value (-1 if none). A
 * secret's value runs on over pairs that are not keywords, in case it holds
 * an unescaped '&'.
 */
function hideParams(text: string): { text: string; strayAt: number } {
  const q = text.indexOf("?");
  const path = q < 0 ? text : text.slice(0, q);
  let strayAt = path.lastIndexOf("@");
  if (q < 0) return { text, strayAt };
  const out: string[] = [];
  let offset = q + 1;
  let inSecret = false;
  for (const pair of text.slice(q + 1).split("&")) {
    const eq = pair.indexOf("=");
    const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    const keyword = eq > 0 && CONNECTION_KEYWORDS.has(key);
    if (eq > 0 && SECRET_KEYS.has(key)) {
      out.push(`${pair.slice(0, eq)}=***`);
      inSecret = true;
    } else if (inSecret && !keyword) {
      // part of the secret before it: already shown as ***
    } else {
      inSecret = false;
      out.push(pair);
      const at = keyword ? pair.slice(0, eq).lastIndexOf("@") : pair.lastIndexOf("@");
      if (at >= 0) strayAt = offset + at;
    }
    offset += pair.length + 1;
  }
  return { text: `${path}?${out.join("&")}`, strayAt };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Every secret a URL carries (user-info password, password=/sslpassword= values), raw and decoded. */
export function urlSecrets(url: string): string[] {
  const text = url.trim();
  const secrets = new Set<string>();
  const add = (raw: string) => {
    if (raw === "") return;
    secrets.add(raw);
    secrets.add(safeDecode(raw));
  };
  const prefix = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? /^postgres(?:ql)?:/i.exec(text)?.[0] ?? "";
  const rest = text.slice(prefix.length);
  // the widest reading of the user info: up to the last '@' before the query, or before any password=
  const query = rest.search(/[?&][^=&]*=/);
  const head = query < 0 ? rest : rest.slice(0, query);
  const at = head.lastIndexOf("@");
  const colon = head.indexOf(":");
  if (at >= 0 && colon >= 0 && colon < at) add(head.slice(colon + 1, at));
  for (const match of rest.matchAll(/[?&]([^=&?]*)=([^&]*)/g)) {
    if (SECRET_KEYS.has(safeDecode(match[1] ?? "").toLowerCase())) add(match[2] ?? "");
  }
  return [...secrets];
}

/**
 * Text safe to print: every database URL in it redacted, and the secrets of
 * `url` (raw and decoded) replaced wherever they appear (drivers sometimes echo them).
 */
export function redactText(text: string, url?: string): string {
  let out = text.replace(/\b(?:postgres(?:ql)?:|[a-z][a-z0-9+.-]*:\/\/)[^\s'"`<>]+/gi, (found) => redactUrl(found));
  for (const secret of url === undefined ? [] : urlSecrets(url)) {
    // very short secrets would blank out ordinary words; URLs carrying them are still redacted above
    if (secret.length >= 3) out = out.split(secret).join("***");
  }
  return out;
}
