/**
 * A PGlite data directory initialised once (initdb takes ~3 s here, a
 * restore a fraction of that): made at build time and embedded, or made on
 * demand into a cache when running from source, so tests skip initdb too.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { writeTar, type TarEntry } from "./tar.ts";

/** Bump when the way snapshots are made changes, so stale caches are not reused. */
export const SNAPSHOT_FORMAT = 2;

/**
 * initdb a PGlite database in a scratch directory, shut it down cleanly and
 * return the directory as a gzipped tar. A clean shutdown (rather than
 * dumping a running instance) means no crash recovery at start-up and a
 * relation cache init file that is still valid: both cost time at every open.
 */
export async function createSnapshot(): Promise<Uint8Array<ArrayBuffer>> {
  const { PGlite } = await import("@electric-sql/pglite");
  const dir = mkdtempSync(join(tmpdir(), "retort-snapshot-"));
  try {
    const db = await PGlite.create({ dataDir: dir });
    // a first query has the backend write its relation cache init files, which the snapshot then carries
    await db.query("select count(*) from pg_class");
    await db.close();
    return Bun.gzipSync(writeTar(dataDirEntries(dir)), { level: 9 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every directory and file under root, parents first and in name order, for a reproducible tar. */
function dataDirEntries(root: string): TarEntry[] {
  const entries: TarEntry[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === "" ? name : `${rel}/${name}`;
      if (path === "postmaster.pid") continue;
      const stat = statSync(join(root, path));
      if (stat.isDirectory()) {
        entries.push({ name: path, kind: "dir", mode: 0o700, mtime: stat.mtimeMs / 1000 });
        walk(path);
      } else if (stat.isFile()) {
        entries.push({ name: path, kind: "file", mode: 0o600, mtime: stat.mtimeMs / 1000, data: readFileSync(join(root, path)) });
      }
    }
  };
  walk("");
  return entries;
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
