/**
 * Fleet targets (pure): the URLs a run covers, from repeated --url, a
 * `--targets FILE` list (`-` for stdin) or a `[targets.<name>]` group in
 * retort.toml (`--targets @name`), each optionally split into tenant schemas
 * (`--tenant-schemas a,b`), and the label each is shown under (redacted).
 */
import { parseDatabaseUrl, redactUrl } from "../config/url.ts";
import { ConfigError, UsageError } from "../errors.ts";

/** One database, or one tenant schema in a database, that a fleet run migrates on its own. */
export interface FleetTarget {
  /** the URL to connect to (may carry a password: never printed) */
  readonly url: string;
  /** the tenant schema (its own version table, search_path), or null for the whole database */
  readonly schema: string | null;
  /** what is shown: the redacted URL, `#schema` for a tenant */
  readonly label: string;
}

/** `URL` or `URL#schema`, password redacted. */
export function targetLabel(url: string, schema: string | null): string {
  return schema === null ? redactUrl(url) : `${redactUrl(url)}#${schema}`;
}

/**
 * The URLs of a target list file: one per line; blank lines and `#` comments
 * (a line starting with `#`, or ` #` after a URL) are ignored. `source` names
 * the file in errors.
 */
export function parseTargetList(text: string, source: string): string[] {
  const urls: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") return;
    if (/\s/.test(line)) {
      throw new ConfigError(`${source}:${index + 1}: one URL per line, got '${redactUrl(line)}' (a comment starts with '#')`);
    }
    urls.push(line);
  });
  return urls;
}

/** `a, b,c` → ["a", "b", "c"]: tenant schema names, each a valid PostgreSQL identifier length, no duplicates. */
export function parseSchemaList(text: string): string[] {
  const names = text.split(",").map((s) => s.trim());
  if (names.some((n) => n === "")) throw new UsageError(`--tenant-schemas takes comma-separated schema names, got '${text}' (an empty name)`);
  for (const name of names) {
    if (new TextEncoder().encode(name).length > 63) throw new UsageError(`tenant schema name '${name}' is longer than PostgreSQL's 63 bytes`);
  }
  return [...new Set(names)];
}

/** Where the URLs of a run come from; file access is handed in, so this stays pure. */
export interface TargetSources {
  /** every --url, in order */
  readonly urls: readonly string[];
  /** --targets: a file, `-` (stdin) or `@group` */
  readonly targets?: string | undefined;
  /** `[targets.<name>]` groups of retort.toml */
  readonly groups?: Readonly<Record<string, readonly string[]>> | undefined;
  /** reads a target list: the file's text, or stdin's for `-` */
  readonly readText: (path: string) => string;
}

/** Every URL of the run, in order, without duplicates; each must parse (exit 2 names the bad one, redacted). */
export function resolveTargetUrls(sources: TargetSources): string[] {
  const urls = [...sources.urls];
  const spec = sources.targets;
  if (spec !== undefined) {
    if (spec.startsWith("@")) {
      const name = spec.slice(1);
      const group = sources.groups?.[name];
      if (group === undefined) {
        const known = Object.keys(sources.groups ?? {});
        throw new UsageError(`--targets ${spec}: retort.toml has no [targets.${name}] (${known.length === 0 ? "it defines no groups" : `groups: ${known.join(", ")}`})`);
      }
      urls.push(...group);
    } else {
      urls.push(...parseTargetList(sources.readText(spec), spec === "-" ? "stdin" : spec));
    }
  }
  for (const url of urls) parseDatabaseUrl(url);
  const unique = [...new Set(urls)];
  if (unique.length === 0) throw new UsageError(`--targets ${spec ?? ""}: the list names no database URL`);
  return unique;
}

/** One target per URL, or per URL and tenant schema when schemas are given. */
export function expandTargets(urls: readonly string[], schemas: readonly string[] | null): FleetTarget[] {
  if (schemas === null) return urls.map((url) => ({ url, schema: null, label: targetLabel(url, null) }));
  return urls.flatMap((url) => schemas.map((schema) => ({ url, schema, label: targetLabel(url, schema) })));
}
