/**
 * A PGlite data directory initialised once (initdb takes ~3 s here, a
 * restore a fraction of that): made at build time and embedded, or made on
 * demand into a cache when running from source, so tests skip initdb too.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { writeTar, type TarEntry } from "./tar.ts";
import { isRetortEntry } from "./unpack.ts";

/** Bump when the way snapshots are made changes, so stale caches are not reused. */
export const SNAPSHOT_FORMAT = 4;

/** The WAL segment size snapshots are initialised with (initdb --wal-segsize): every file in pg_wal/ named like a segment has this size. */
export const WAL_SEGMENT_BYTES = 1024 * 1024;
/** Recycled WAL segments kept ahead are bounded by this (PostgreSQL's default, 80MB, would keep 80 of them). */
const MIN_WAL = "2MB";
/** A WAL segment's path inside a data dir. */
export const WAL_SEGMENT_NAME = /^pg_wal\/[0-9A-F]{24}$/;
const PAGE = 8192;

/**
 * initdb a PGlite database in a scratch directory, shut it down cleanly and
 * return the directory as a gzipped tar. A clean shutdown (rather than
 * dumping a running instance) means no crash recovery at start-up and a
 * relation cache init file that is still valid: both cost time at every open.
 *
 * What every new database then writes is kept small: 1 MB WAL segments
 * instead of 16 MB, no recycled segments kept ahead (min_wal_size), and no
 * template0/template1 (PGlite serves one database; CREATE DATABASE is not
 * something a migration does on it). A data dir is ~9 MB instead of ~31 MB.
 */
export async function createSnapshot(): Promise<Uint8Array<ArrayBuffer>> {
  const { PGlite } = await import("@electric-sql/pglite");
  const dir = mkdtempSync(join(tmpdir(), "retort-snapshot-"));
  try {
    const db = await PGlite.create({
      dataDir: dir,
      initDbStartParams: [`--wal-segsize=${WAL_SEGMENT_BYTES / 1024 / 1024}`],
      // in effect now, so this session's checkpoints remove initdb's segments instead of recycling them ahead
      startParams: [...PGlite.defaultStartParams, "-c", `min_wal_size=${MIN_WAL}`],
    });
    // and in every database made from the snapshot
    await db.exec(`ALTER SYSTEM SET min_wal_size = '${MIN_WAL}'`);
    await db.exec("ALTER DATABASE template0 IS_TEMPLATE false; ALTER DATABASE template1 IS_TEMPLATE false");
    await db.exec("DROP DATABASE template0");
    await db.exec("DROP DATABASE template1");
    await db.exec("CHECKPOINT");
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
  const needed = checkpointSegmentSuffix(readFileSync(join(root, "global", "pg_control")));
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === "" ? name : `${rel}/${name}`;
      // the server's pid file and retort's own lock/unpack files are the running process's, not the database's
      if (path === "postmaster.pid" || (rel === "" && isRetortEntry(name))) continue;
      // after a clean shutdown only the checkpoint's segment is needed; the others are recycled ones kept ahead
      if (WAL_SEGMENT_NAME.test(path) && !path.endsWith(needed)) continue;
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
 * The last 16 hex digits of the name of the WAL segment holding the latest
 * checkpoint, read from pg_control (ControlFileData: the checkpoint's LSN is
 * the uint64 at byte 32, after system_identifier, two versions, state and time).
 */
export function checkpointSegmentSuffix(control: Uint8Array): string {
  const view = new DataView(control.buffer, control.byteOffset, control.byteLength);
  const lsn = view.getBigUint64(32, true);
  const segment = lsn / BigInt(WAL_SEGMENT_BYTES);
  const perId = 0x1_0000_0000n / BigInt(WAL_SEGMENT_BYTES);
  const hex = (n: bigint) => n.toString(16).toUpperCase().padStart(8, "0");
  return hex(segment / perId) + hex(segment % perId);
}

/**
 * A fresh WAL segment is a few pages of records and then zeros. The snapshot
 * keeps only the pages up to the last record; unpacking extends the file to
 * its full size again (unpack.ts; a sparse tail reads as the same zeros),
 * which saves writing a whole segment for every new database.
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
