/**
 * retort.toml: where it is, what it may say, and what its relative paths
 * mean (relative to the file, so `retort -c ../x/retort.toml` works anywhere).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../errors.ts";
import { versionTableNameProblem } from "../runtime/version-table.ts";
import { redactText } from "./url.ts";

/** The settings retort.toml may hold; every path is absolute once loaded. */
export interface FileConfig {
  /** absolute path of the retort.toml read, or null when there is none */
  readonly path: string | null;
  readonly url?: string;
  /** named fleets: `[targets.<name>] urls = [...]`, used as `--targets @name` */
  readonly targets?: Readonly<Record<string, readonly string[]>>;
  readonly dir?: string;
  readonly schema?: string;
  readonly versionTable?: string;
  readonly versionTableSchema?: string;
  readonly historyTable?: string;
  readonly transactionPerMigration?: boolean;
  readonly lockTimeout?: number;
  /** [autogenerate]: which objects check, diff and autogenerate compare (patterns: src/autogenerate/filter.ts) */
  readonly autogenerate?: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  /** `[lint]`: rule name → "error" | "warning" | "off" (rule names are checked by src/lint/policy.ts) */
  readonly lint?: Readonly<Record<string, LintLevel>>;
  /** the snapshot cache directory (README "Snapshot cache") */
  readonly cacheDir?: string;
  /** the snapshot cache's size cap in megabytes */
  readonly cacheMaxMb?: number;
}

/** The longest migration-lock wait PostgreSQL can be asked for: lock_timeout takes at most 2147483647 ms. */
export const MAX_LOCK_TIMEOUT_SECONDS = 2147483.647;

/** Why a lock timeout in seconds is unusable, or undefined when it is fine. */
export function lockTimeoutProblem(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 0) return "takes a number of seconds (0 or more)";
  if (seconds > MAX_LOCK_TIMEOUT_SECONDS) return `takes at most ${Math.floor(MAX_LOCK_TIMEOUT_SECONDS)} seconds (PostgreSQL's lock_timeout limit, about 24 days)`;
  return undefined;
}

/** What `[lint]` may set a rule to. */
export type LintLevel = "error" | "warning" | "off";
const LINT_LEVELS: readonly string[] = ["error", "warning", "off"];

/** The default file name, looked up in the working directory. */
export const CONFIG_FILE_NAME = "retort.toml";

type KeySpec = { key: keyof Omit<FileConfig, "path">; type: "string" | "path" | "boolean" | "number" };

const KEYS: Record<string, KeySpec> = {
  url: { key: "url", type: "string" },
  dir: { key: "dir", type: "path" },
  schema: { key: "schema", type: "path" },
  version_table: { key: "versionTable", type: "string" },
  version_table_schema: { key: "versionTableSchema", type: "string" },
  history_table: { key: "historyTable", type: "string" },
  transaction_per_migration: { key: "transactionPerMigration", type: "boolean" },
  lock_timeout: { key: "lockTimeout", type: "number" },
  cache_dir: { key: "cacheDir", type: "path" },
  cache_max_mb: { key: "cacheMaxMb", type: "number" },
};

/** Parse the text of a retort.toml (pure: no file access). */
export function parseConfig(path: string, text: string): FileConfig {
  let table: Record<string, unknown>;
  try {
    table = Bun.TOML.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(redactText(`${path}: invalid TOML: ${error instanceof Error ? error.message : String(error)}`));
  }
  const base = dirname(path);
  const config: Record<string, unknown> = { path };
  if ("targets" in table) {
    config.targets = parseTargetGroups(path, table.targets);
    delete table.targets;
  }
  for (const [name, value] of Object.entries(table)) {
    if (name === "autogenerate") {
      config.autogenerate = autogenerateSection(path, value);
      continue;
    }
    if (name === "lint") {
      config.lint = lintSection(path, value);
      continue;
    }
    const spec = KEYS[name];
    if (!spec) {
      throw new ConfigError(`${path}: unknown key '${name}' (known keys: ${[...Object.keys(KEYS), "[autogenerate]", "[lint]"].join(", ")})`);
    }
    const expected = spec.type === "path" ? "string" : spec.type;
    if (typeof value !== expected) {
      // the value is not shown: a misplaced password (url = { password = "..." }) must not be echoed
      throw new ConfigError(`${path}: '${name}' must be a ${expected}, got ${describeType(value)}`);
    }
    if (spec.key === "versionTable" || spec.key === "versionTableSchema" || spec.key === "historyTable") {
      const problem = versionTableNameProblem(value as string, `'${name}'`);
      if (problem !== undefined) throw new ConfigError(`${path}: ${problem}`);
    }
    const problem = name === "lock_timeout" ? lockTimeoutProblem(value as number) : undefined;
    if (problem !== undefined) throw new ConfigError(`${path}: 'lock_timeout' ${problem}, got ${String(value)}`);
    config[spec.key] = spec.type === "path" ? resolve(base, value as string) : value;
  }
  return config as unknown as FileConfig;
}

/** A TOML value's kind, in words, without the value. */
function describeType(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a date";
  if (value === null) return "nothing";
  const type = typeof value;
  if (type === "object") return "a table";
  return `a ${type === "bigint" ? "number" : type}`;
}

/** The [autogenerate] table: `include` and `exclude`, each a list of object patterns. */
function autogenerateSection(path: string, value: unknown): { include: string[]; exclude: string[] } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`${path}: 'autogenerate' must be a table ([autogenerate] with include = [...] and exclude = [...])`);
  }
  const out = { include: [] as string[], exclude: [] as string[] };
  for (const [key, list] of Object.entries(value)) {
    if (key !== "include" && key !== "exclude") throw new ConfigError(`${path}: unknown key 'autogenerate.${key}' (known keys: include, exclude)`);
    if (!Array.isArray(list) || list.some((p) => typeof p !== "string" || p === "")) {
      throw new ConfigError(`${path}: 'autogenerate.${key}' must be a list of patterns such as ["extra.*", "tmp_*"], got ${JSON.stringify(list)}`);
    }
    out[key] = list as string[];
  }
  return out;
}

/** The [lint] table: rule = "error" | "warning" | "off" (rule names are checked by src/lint/policy.ts). */
function lintSection(path: string, value: unknown): Record<string, LintLevel> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ConfigError(`${path}: [lint] must be a table of rule = "error" | "warning" | "off"`);
  for (const [rule, level] of Object.entries(value)) {
    if (typeof level !== "string" || !LINT_LEVELS.includes(level)) {
      throw new ConfigError(`${path}: [lint] ${rule} must be "error", "warning" or "off", got ${JSON.stringify(level)}`);
    }
  }
  return value as Record<string, LintLevel>;
}

/**
 * Read the config named by --config, else retort.toml in `cwd` if there is
 * one. A --config that does not exist is an error; a missing default is not.
 */
export function loadConfig(explicitPath: string | undefined, cwd: string = process.cwd()): FileConfig {
  const path = resolve(cwd, explicitPath ?? CONFIG_FILE_NAME);
  if (!existsSync(path)) {
    if (explicitPath !== undefined) throw new ConfigError(`config file ${path} does not exist`);
    return { path: null };
  }
  return parseConfig(path, readFileSync(path, "utf8"));
}

/** `[targets.<name>] urls = ["postgres://…", …]` tables, checked. */
function parseTargetGroups(path: string, value: unknown): Record<string, string[]> {
  const shape = `[targets.<name>] tables with urls = ["postgres://...", ...]`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigError(`${path}: 'targets' must be ${shape}`);
  const groups: Record<string, string[]> = {};
  for (const [group, table] of Object.entries(value as Record<string, unknown>)) {
    const entries = typeof table === "object" && table !== null && !Array.isArray(table) ? Object.entries(table) : [];
    const urls = (table as { urls?: unknown } | null)?.urls;
    if (entries.length !== 1 || !Array.isArray(urls) || !urls.every((u) => typeof u === "string" && u.trim() !== "")) {
      throw new ConfigError(`${path}: [targets.${group}] must hold exactly urls = ["postgres://...", ...] (non-empty strings)`);
    }
    groups[group] = urls.map((u: string) => u.trim());
  }
  return groups;
}
