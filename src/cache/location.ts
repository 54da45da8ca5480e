/**
 * Where the snapshot cache lives and how big it may grow: RETORT_CACHE_DIR,
 * else `cache_dir` in retort.toml, else `.retort/cache/` beside retort.toml
 * (or in the working directory); `cache_max_mb` (default 1024) caps it.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { FileConfig } from "../config/config.ts";
import { ConfigError } from "../errors.ts";
import { CacheStore } from "./store.ts";

/** The default size cap, in megabytes. */
export const DEFAULT_CACHE_MAX_MB = 1024;

/** The cache directory and cap for a config (pure: env passed in). */
export function cacheLocation(config: FileConfig, cwd: string, env: Readonly<Record<string, string | undefined>>): { dir: string; maxBytes: number } {
  const fromEnv = env.RETORT_CACHE_DIR;
  const dir =
    fromEnv !== undefined && fromEnv !== ""
      ? resolve(cwd, fromEnv)
      : (config.cacheDir ?? join(config.path !== null ? dirname(config.path) : cwd, ".retort", "cache"));
  const mb = config.cacheMaxMb ?? DEFAULT_CACHE_MAX_MB;
  if (!(Number.isFinite(mb) && mb > 0)) throw new ConfigError(`${config.path ?? "retort.toml"}: 'cache_max_mb' must be a positive number of megabytes, got ${mb}`);
  return { dir, maxBytes: Math.round(mb * 1024 * 1024) };
}

/** The cache store for a config, in `cwd`, with the process environment; a cache directory that is (or lies under) a file is a ConfigError. */
export function openCacheStore(config: FileConfig, cwd: string = process.cwd()): CacheStore {
  const { dir, maxBytes } = cacheLocation(config, cwd, process.env);
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    const from = process.env.RETORT_CACHE_DIR ? "RETORT_CACHE_DIR" : config.cacheDir !== undefined ? `'cache_dir' in ${config.path ?? "retort.toml"}` : "the default cache directory";
    throw new ConfigError(`the snapshot cache directory ${dir} (from ${from}) cannot be made: ${existing} is a file; point it at a directory`);
  }
  return new CacheStore(dir, maxBytes);
}
