/**
 * retort.toml: where it is, what it may say, and what its relative paths
 * mean (relative to the file, so `retort -c ../x/retort.toml` works anywhere).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../errors.ts";

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
  readonly transactionPerMigration?: boolean;
  readonly lockTimeout?: number;
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
  transaction_per_migration: { key: "transactionPerMigration", type: "boolean" },
  lock_timeout: { key: "lockTimeout", type: "number" },
};

/** Parse the text of a retort.toml (pure: no file access). */
export function parseConfig(path: string, text: string): FileConfig {
  let table: Record<string, unknown>;
  try {
    table = Bun.TOML.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`${path}: invalid TOML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const base = dirname(path);
  const config: Record<string, unknown> = { path };
  if ("targets" in table) {
    config.targets = parseTargetGroups(path, table.targets);
    delete table.targets;
  }
  for (const [name, value] of Object.entries(table)) {
    const spec = KEYS[name];
    if (!spec) {
      throw new ConfigError(`${path}: unknown key '${name}' (known keys: ${Object.keys(KEYS).join(", ")})`);
    }
    const expected = spec.type === "path" ? "string" : spec.type;
    if (typeof value !== expected) {
      throw new ConfigError(`${path}: '${name}' must be a ${expected}, got ${JSON.stringify(value)}`);
    }
    config[spec.key] = spec.type === "path" ? resolve(base, value as string) : value;
  }
  return config as unknown as FileConfig;
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
