/**
 * A PGlite data directory initialised once (initdb takes ~3 s here, a
 * restore a fraction of that): made at build time and embedded, or made on
 * demand into a cache when running from source, so tests skip initdb too.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** Bump when the way snapshots are made changes, so stale caches are not reused. */
export const SNAPSHOT_FORMAT = 1;

/** initdb a fresh in-memory PGlite and return its data dir as a gzipped tar. */
export async function createSnapshot(): Promise<Uint8Array<ArrayBuffer>> {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create();
  try {
    // a checkpoint now keeps crash recovery at start-up down to nothing
    await db.exec("CHECKPOINT");
    const tar = await db.dumpDataDir("none");
    return Bun.gzipSync(new Uint8Array(await tar.arrayBuffer()), { level: 9 });
  } finally {
    await db.close();
  }
}

/** The installed PGlite's version, part of the cache key: a snapshot only fits the PostgreSQL build that made it. */
export function pgliteVersion(): string {
  const entry = Bun.resolveSync("@electric-sql/pglite", import.meta.dir);
  const pkg = require(join(dirname(entry), "..", "package.json")) as { version: string };
  return pkg.version;
}

/** Where a from-source run keeps its snapshot: node_modules/.cache/retort/ (else the OS temp dir). */
export function snapshotCachePath(): string {
  const nodeModules = resolve(import.meta.dir, "../../node_modules");
  const dir = existsSync(nodeModules) ? join(nodeModules, ".cache", "retort") : join(tmpdir(), "retort-cache");
  return join(dir, `pglite-${pgliteVersion()}-snapshot-v${SNAPSHOT_FORMAT}.tar.gz`);
}

let cached: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** The cached snapshot, made (and written atomically, since test processes may race) on first use. */
export function cachedSnapshot(path: string = snapshotCachePath()): Promise<Uint8Array<ArrayBuffer>> {
  cached ??= (async () => {
    if (existsSync(path)) return Bun.file(path).bytes();
    const bytes = await createSnapshot();
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${crypto.randomUUID()}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
    return bytes;
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}

/** Whether dataDir holds nothing yet (missing or empty), i.e. a new database. */
export function isNewDataDir(dataDir: string): boolean {
  return !existsSync(dataDir) || readdirSync(dataDir).length === 0;
}

/**
 * Unpack a snapshot into dataDir if it is new; false if it already held
 * something. It is unpacked beside the target and renamed into place, so a
 * concurrent run or a crash never leaves a half-written database behind.
 */
export async function materialiseSnapshot(snapshot: Uint8Array, dataDir: string): Promise<boolean> {
  if (!isNewDataDir(dataDir)) return false;
  mkdirSync(dirname(dataDir), { recursive: true });
  const tmp = `${dataDir}.${process.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await new Bun.Archive(snapshot).extract(tmp);
    if (existsSync(dataDir)) rmdirSync(dataDir); // empty (checked above); fails if another run filled it meanwhile
    renameSync(tmp, dataDir);
    return true;
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    if (!isNewDataDir(dataDir)) return false; // another run got there first: use its database
    throw error;
  }
}
