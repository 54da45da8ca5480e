/**
 * The revision history databaseAt works from, loaded once per process and
 * directory: the revision files (--dir, `dir` in retort.toml, else
 * migrations/versions), their graph and cache keys, and the cache store.
 */
import { resolve } from "node:path";
import { cacheHistory, type CacheHistory } from "../cache/build.ts";
import { openCacheStore } from "../cache/location.ts";
import { CacheStore } from "../cache/store.ts";
import { loadConfig, type FileConfig } from "../config/config.ts";
import { RevisionGraph } from "../core/graph.ts";
import { loadRevisionsFromDir } from "../revisions/source.ts";

/** Where databaseAt takes its revisions and cache from; every field is optional. */
export interface ProjectOptions {
  /** the revision directory (default: `dir` in retort.toml, else migrations/versions) */
  readonly dir?: string;
  /** the retort.toml to read (default: retort.toml in the working directory, if any) */
  readonly config?: string;
  /** the snapshot cache directory (default: RETORT_CACHE_DIR, `cache_dir`, else .retort/cache/) */
  readonly cacheDir?: string;
  /** base for relative paths (default: process.cwd()) */
  readonly cwd?: string;
}

/** A loaded project: its config, revision directory, history and cache store. */
export interface Project {
  readonly config: FileConfig;
  readonly dir: string;
  readonly history: CacheHistory;
  readonly store: CacheStore;
}

const loaded = new Map<string, Promise<Project>>();

/** The project the options name, loaded once per process (revision files edited during a test run are not seen). */
export function loadProject(options: ProjectOptions = {}): Promise<Project> {
  const cwd = options.cwd ?? process.cwd();
  const memo = JSON.stringify([cwd, options.dir ?? null, options.config ?? null, options.cacheDir ?? null, process.env.RETORT_CACHE_DIR ?? null]);
  let project = loaded.get(memo);
  if (project === undefined) {
    project = (async () => {
      const config = loadConfig(options.config, cwd);
      const dir = options.dir !== undefined ? resolve(cwd, options.dir) : (config.dir ?? resolve(cwd, "migrations/versions"));
      const revisions = await loadRevisionsFromDir(dir);
      const history = cacheHistory(RevisionGraph.build(revisions), revisions, { versionTable: config.versionTable, versionTableSchema: config.versionTableSchema });
      const store = options.cacheDir !== undefined ? new CacheStore(resolve(cwd, options.cacheDir), openCacheStore(config, cwd).maxBytes) : openCacheStore(config, cwd);
      return { config, dir, history, store };
    })();
    loaded.set(memo, project);
    project.catch(() => loaded.delete(memo));
  }
  return project;
}
