/**
 * A scratch PGlite database that moves around the revision graph through
 * the snapshot cache, for `retort verify`: open it at any set of applied
 * revisions (from the nearest cached ancestor), and checkpoint its current
 * state into the cache so a later branch or merge starts from there instead
 * of replaying the history.
 */
import { rmSync } from "node:fs";
import type { Engine } from "../drivers/engine.ts";
import { openPglite } from "../drivers/pglite.ts";
import { contribModules } from "../autogenerate/scratch.ts";
import { ephemeralDataDir } from "../embedded/ephemeral.ts";
import { dataDirEntries, pgliteVersion } from "../embedded/snapshot.ts";
import { writeTar } from "../embedded/tar.ts";
import { materialiseSnapshot } from "../embedded/unpack.ts";
import { BUILD_START_PARAMS, catalogFile } from "./entry.ts";
import { keyAt, snapshotAt, type CacheHistory } from "./build.ts";
import { CACHE_FORMAT } from "./key.ts";
import type { CacheStore } from "./store.ts";

/** A PGlite database in a directory this process owns. */
export class PgliteWorkspace {
  private constructor(
    private readonly store: CacheStore,
    private readonly history: CacheHistory,
    private readonly extensions: readonly string[],
    private dir: string,
    private current: Engine,
  ) {}

  /** Open a workspace at `heads` ([] = an empty database); `extensions`: every contrib extension the history may create. */
  static async open(store: CacheStore, history: CacheHistory, heads: readonly string[], extensions: readonly string[]): Promise<PgliteWorkspace> {
    const { dir, engine } = await openAt(store, history, heads, extensions);
    return new PgliteWorkspace(store, history, extensions, dir, engine);
  }

  /** The open database. */
  get engine(): Engine {
    return this.current;
  }

  /** Replace the database with one at `heads`. */
  async moveTo(heads: readonly string[]): Promise<void> {
    await this.close();
    const { dir, engine } = await openAt(this.store, this.history, heads, this.extensions);
    this.dir = dir;
    this.current = engine;
  }

  /** Store the current state as the cached database at `id` (which it must be at), with its catalog text. */
  async checkpoint(id: string, catalog: string): Promise<void> {
    const key = keyAt(this.history, [id]);
    if (this.store.has(key)) return;
    await this.current.close();
    this.store.write(
      { key, revisions: [id], extensions: this.extensions, pgliteVersion: pgliteVersion(), format: CACHE_FORMAT },
      writeTar(dataDirEntries(this.dir)),
      { [catalogFile()]: catalog },
    );
    this.current = await openDir(this.dir, this.extensions);
  }

  /** Close the database and delete its directory. */
  async close(): Promise<void> {
    try {
      await this.current.close();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

async function openAt(store: CacheStore, history: CacheHistory, heads: readonly string[], extensions: readonly string[]): Promise<{ dir: string; engine: Engine }> {
  const dir = ephemeralDataDir();
  try {
    if (heads.length > 0) await materialiseSnapshot((await snapshotAt(store, history, heads)).tar, dir);
    return { dir, engine: await openDir(dir, extensions) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function openDir(dir: string, extensions: readonly string[]): Promise<Engine> {
  return openPglite(dir, "pglite:memory (verify)", { pglite: { extensions: await contribModules(extensions), startParams: [...BUILD_START_PARAMS] } });
}
