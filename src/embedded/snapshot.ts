/**
 * A PGlite data directory initialised once (initdb takes ~3 s here, a
 * restore a fraction of that): made at build time and embedded, or made on
 * demand into a cache when running from source, so tests skip initdb too.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { writeTar, type TarEntry } from "./tar.ts";

/** Bump when the way snapshots are made changes, so stale caches are not reused. */
export const SNAPSHOT_FORMAT = 3;

/** initdb's WAL segment size, which PGlite keeps: every file in pg_wal/ named like a segment has this size. */
export const WAL_SEGMENT_BYTES = 16 * 1024 * 1024;
/** A WAL segment's path inside a data dir. */
export const WAL_SEGMENT_NAME = /^pg_wal\/[0-9A-F]{24}$/;
const PAGE = 8192;

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
export function dataDirEntries(root: string): TarEntry[] {
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
        const data = readFileSync(join(root, path));
        entries.push({ name: path, kind: "file", mode: 0o600, mtime: stat.mtimeMs / 1000, data: WAL_SEGMENT_NAME.test(path) ? trimWalSegment(path, data) : data });
      }
    }
  };
  walk("");
  return entries;
}

/**
 * A fresh WAL segment is a few pages of records and then zeros. The snapshot
 * keeps only the pages up to the last record; unpacking extends the file to
 * its full size again (unpack.ts; a sparse tail reads as the same zeros),
 * which saves writing 16MB for every new database.
 */
function trimWalSegment(path: string, data: Uint8Array): Uint8Array {
  if (data.length !== WAL_SEGMENT_BYTES) throw new Error(`snapshot: ${path} is ${data.length} bytes, expected a ${WAL_SEGMENT_BYTES}-byte WAL segment`);
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return data.subarray(0, Math.ceil(end / PAGE) * PAGE);
}

/** The installed PGlite's version, part of the cache key: a snapshot only fits the PostgreSQL build that made it. */
export function pgliteVersion(): string {
  try {
    const entry = Bun.resolveSync("@electric-sql/pglite", import.meta.dir);
    return (require(join(dirname(entry), "..", "package.json")) as { version: string }).version;
  } catch {
    // a compiled executable has no node_modules to resolve from: the bundler inlined this file at build time
    return (require("../../node_modules/@electric-sql/pglite/package.json") as { version: string }).version;
  }
}

/** Where a from-source run keeps its snapshot: node_modules/.cache/retort/ (else the OS temp dir). */
export function snapshotCachePath(): string {
  const nodeModules = resolve(import.meta.dir, "../../node_modules");
  const dir = existsSync(nodeModules) ? join(nodeModules, ".cache", "retort") : join(tmpdir(), "retort-cache");
  return join(dir, `pglite-${pgliteVersion()}-snapshot-v${SNAPSHOT_FORMAT}.tar.gz`);
}

let cached: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** The cached snapshot, made (and written atomically, since test processes may race) on first use. */
export function cachedSnapshot(): Promise<Uint8Array<ArrayBuffer>> {
  cached ??= (async () => {
    const path = snapshotCachePath();
    if (existsSync(path)) return Bun.file(path).bytes();
    const bytes = await createSnapshot();
    try {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${crypto.randomUUID()}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
      // snapshots of other PGlite versions or formats are never read again
      for (const name of readdirSync(dirname(path))) {
        if (/^pglite-.*-snapshot-v\d+\.tar\.gz$/.test(name) && name !== basename(path)) rmSync(join(dirname(path), name), { force: true });
      }
    } catch {
      // a read-only cache only costs the next run another initdb
    }
    return bytes;
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}
