/**
 * Unpacking a snapshot (see snapshot.ts) into the data dir of a new
 * database, without ever leaving a half-written one behind.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, truncateSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { WAL_SEGMENT_BYTES, WAL_SEGMENT_NAME } from "./snapshot.ts";

/** Whether dataDir holds nothing yet (missing or empty), i.e. a new database. */
export function isNewDataDir(dataDir: string): boolean {
  return !existsSync(dataDir) || readdirSync(dataDir).length === 0;
}

/**
 * Unpack a snapshot into dataDir if it is new; false if it already held
 * something. It is unpacked beside the target first, so a crash never leaves
 * a half-written database behind: a missing directory is created by one
 * rename (a concurrent run for the same directory uses whichever lands
 * first); into an existing empty one (perhaps a mount point, or made with
 * chosen permissions) the entries are moved, keeping the directory itself.
 */
export async function materialiseSnapshot(snapshot: Uint8Array, dataDir: string): Promise<boolean> {
  if (!isNewDataDir(dataDir)) return false;
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  sweepStaleUnpacks(dataDir);
  const tmp = `${dataDir}.${process.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await new Bun.Archive(snapshot).extract(tmp);
    restoreWalSegments(tmp);
    if (!existsSync(dataDir)) {
      renameSync(tmp, dataDir);
      return true;
    }
    if (!isNewDataDir(dataDir)) return false; // another run got there first: use its database
    for (const name of readdirSync(tmp)) renameSync(join(tmp, name), join(dataDir, name));
    return true;
  } catch (error) {
    if (!isNewDataDir(dataDir)) return false; // another run got there first
    throw error;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Remove half-unpacked snapshots beside dataDir left by runs that were killed. */
function sweepStaleUnpacks(dataDir: string): void {
  const prefix = `${basename(dataDir)}.`;
  for (const name of readdirSync(dirname(dataDir))) {
    const match = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (match && !processAlive(Number(match[1]))) rmSync(join(dirname(dataDir), name), { recursive: true, force: true });
  }
}

/** Whether a process still runs (EPERM: it does, as someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Give trimmed WAL segments of an unpacked snapshot their full size back. */
function restoreWalSegments(dataDir: string): void {
  const walDir = join(dataDir, "pg_wal");
  for (const name of readdirSync(walDir)) {
    const path = join(walDir, name);
    if (WAL_SEGMENT_NAME.test(`pg_wal/${name}`) && statSync(path).size < WAL_SEGMENT_BYTES) truncateSync(path, WAL_SEGMENT_BYTES);
  }
}
