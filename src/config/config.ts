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
  readonly dir?: string;
  readonly schema?: string;
  readonly versionTable?: string;
  readonly versionTableSchema?: string;
  readonly historyTable?: string;
  readonly transactionPerMigration?: boolean;
  readonly lockTimeout?: number;
}

/** The longest migration-lock wait PostgreSQL can be asked for: lock_timeout takes at most 2147483647 ms. */
export const MAX_LOCK_TIMEOUT_SECONDS = 2147483.647;

/** Why a lock timeout in seconds is unusable, or undefined when it is fine. */
export function lockTimeoutProblem(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 0) return "takes a number of seconds (0 or more)";
  if (seconds > MAX_LOCK_TIMEOUT_SECONDS) return `takes at most ${Math.floor(MAX_LOCK_TIMEOUT_SECONDS)} seconds (PostgreSQL's lock_timeout limit, about 24 days)`;
  return undefined;
}

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
  for (const [name, value] of Object.entries(table)) {
    const spec = KEYS[name];
    if (!spec) {
      throw new ConfigError(`${path}: unknown key '${name}' (known keys: ${Object.keys(KEYS).join(", ")})`);
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
