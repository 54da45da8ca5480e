/**
 * The snapshot cache on disk: one directory per key holding `data.tar` (a
 * PGlite data dir after a clean shutdown) and `manifest.json` (what it is,
 * its size and hash). An entry is written under a temporary name and
 * renamed into place, so a reader never sees half of one; a reader checks
 * size and hash, and an entry that fails is removed and reported missing
 * (it is rebuilt, never used). The directory's mtime is its last use; the
 * least recently used entries go when the cache outgrows its cap.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "../embedded/unpack.ts";

/** What an entry is. */
export interface EntryManifest {
  readonly key: string;
  /** the revisions the cached database is at (its alembic_version rows) */
  readonly revisions: readonly string[];
  /** PGlite contrib extensions it needs loaded at start */
  readonly extensions: readonly string[];
  readonly pgliteVersion: string;
  readonly format: number;
  /** bytes of data.tar */
  readonly size: number;
  /** Bun.hash of data.tar, hex */
  readonly hash: string;
  readonly createdAt: string;
  /** what else it is, for listings: e.g. "schema /p/schema.sql" for a declarative schema loaded into a database */
  readonly label?: string;
}

/** An entry as `retort cache` lists it. */
export interface EntryInfo extends EntryManifest {
  /** last time it was read or written */
  readonly lastUsed: Date;
}

/** An entry read back and checked. */
export interface CachedEntry {
  readonly manifest: EntryManifest;
  readonly tar: Uint8Array;
}

const MANIFEST = "manifest.json";
const DATA = "data.tar";
const KEY = /^[0-9a-f]{16,64}$/;
const extraName = (name: string) => {
  if (!/^[a-z0-9-]+\.json$/.test(name)) throw new Error(`cache: bad extra file name ${name}`);
  return `extra-${name}`;
};

/** Bun.hash of bytes as hex: fast enough to check every read (a data dir is tens of MB). */
export function contentHash(bytes: Uint8Array): string {
  return Bun.hash(bytes).toString(16);
}

/** The cache directory with its size cap. */
export class CacheStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  private entryDir(key: string): string {
    return join(this.dir, key);
  }

  /** Whether an entry for key is there (unchecked: read() checks). */
  has(key: string): boolean {
    return existsSync(join(this.entryDir(key), MANIFEST));
  }

  /** The entry for key, checked; null when missing, or when damaged (it is then removed). */
  async read(key: string): Promise<CachedEntry | null> {
    const dir = this.entryDir(key);
    let manifest: EntryManifest;
    let tar: Uint8Array;
    try {
      manifest = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as EntryManifest;
      tar = await Bun.file(join(dir, DATA)).bytes();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && !existsSync(dir)) return null;
      this.remove(key); // unreadable manifest or missing data: damaged
      return null;
    }
    if (manifest.key !== key || manifest.size !== tar.length || manifest.hash !== contentHash(tar)) {
      this.remove(key);
      return null;
    }
    this.touch(key);
    return { manifest, tar };
  }

  /**
   * Store an entry atomically (a concurrent writer of the same key: the first
   * rename wins), then evict down to the cap. `extras` are small derived
   * files kept beside the data (e.g. its introspected catalog), see readExtra.
   */
  write(manifest: Omit<EntryManifest, "size" | "hash" | "createdAt">, tar: Uint8Array, extras: Readonly<Record<string, string>> = {}): EntryManifest {
    if (!KEY.test(manifest.key)) throw new Error(`cache: bad key ${manifest.key}`);
    mkdirSync(this.dir, { recursive: true });
    this.sweepStaging();
    const full: EntryManifest = { ...manifest, size: tar.length, hash: contentHash(tar), createdAt: new Date().toISOString() };
    const staging = join(this.dir, `.tmp-${process.pid}-${crypto.randomUUID().slice(0, 8)}`);
    try {
      mkdirSync(staging);
      writeFileSync(join(staging, DATA), tar);
      for (const [name, text] of Object.entries(extras)) writeFileSync(join(staging, extraName(name)), text);
      writeFileSync(join(staging, MANIFEST), `${JSON.stringify(full, null, 2)}\n`);
      try {
        renameSync(staging, this.entryDir(manifest.key));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error; // else: another process stored the same key first
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    this.evict(manifest.key);
    return full;
  }

  /** A derived file of an entry (null when missing); callers treat text that does not parse as missing too. */
  readExtra(key: string, name: string): string | null {
    try {
      return readFileSync(join(this.entryDir(key), extraName(name)), "utf8");
    } catch {
      return null;
    }
  }

  /** Add or replace a derived file of an existing entry (temp file + rename: readers see the old or the new text). */
  writeExtra(key: string, name: string, text: string): void {
    const path = join(this.entryDir(key), extraName(name));
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, path);
    } catch {
      rmSync(tmp, { force: true }); // evicted meanwhile, or read-only: it is only a shortcut
    }
  }

  /** Mark an entry used now (LRU order). */
  touch(key: string): void {
    const now = new Date();
    try {
      utimesSync(this.entryDir(key), now, now);
    } catch {
      // evicted meanwhile, or a read-only cache: only the LRU order suffers
    }
  }

  /** Every entry, most recently used first (damaged ones are listed from what can be read). */
  list(): EntryInfo[] {
    if (!existsSync(this.dir)) return [];
    const entries: EntryInfo[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!KEY.test(name)) continue;
      try {
        const manifest = JSON.parse(readFileSync(join(this.dir, name, MANIFEST), "utf8")) as EntryManifest;
        entries.push({ ...manifest, lastUsed: statSync(join(this.dir, name)).mtime });
      } catch {
        // half-removed or damaged: read() deals with it
      }
    }
    return entries.sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime());
  }

  /** Remove one entry; readers see it go at once (renamed away, then deleted). */
  remove(key: string): void {
    const trash = join(this.dir, `.trash-${process.pid}-${crypto.randomUUID().slice(0, 8)}`);
    try {
      renameSync(this.entryDir(key), trash);
    } catch {
      return; // already gone
    }
    rmSync(trash, { recursive: true, force: true });
  }

  /** Remove every entry; returns how many there were. */
  clear(): number {
    const entries = this.list();
    for (const entry of entries) this.remove(entry.key);
    this.sweepStaging();
    return entries.length;
  }

  /** Drop least recently used entries until the total fits the cap; `keep` (just written) stays. */
  evict(keep?: string): void {
    const entries = this.list();
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    for (const entry of [...entries].reverse()) {
      if (total <= this.maxBytes) break;
      if (entry.key === keep) continue;
      this.remove(entry.key);
      total -= entry.size;
    }
  }

  /** Remove staging and trash directories left by processes that were killed. */
  private sweepStaging(): void {
    // no cache directory yet: nothing was left behind
    if (!existsSync(this.dir)) return;
    for (const name of readdirSync(this.dir)) {
      const match = /^\.(?:tmp|trash)-(\d+)-/.exec(name);
      if (match && !processAlive(Number(match[1]))) rmSync(join(this.dir, name), { recursive: true, force: true });
    }
  }
}
