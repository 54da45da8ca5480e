/**
 * Unpacking a snapshot (see snapshot.ts) into the data dir of a new
 * database, without ever leaving a half-written one behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { WAL_SEGMENT_BYTES, WAL_SEGMENT_NAME } from "./snapshot.ts";

/** Lists the entries an unpack moves into an existing directory while it runs (see materialiseSnapshot). */
export const UNPACK_MARKER = "retort.unpacking";

/** Files retort itself keeps in a data dir (its lock, see src/drivers/dir-lock.ts, and the unpack marker): they do not make a directory non-empty. */
export function isRetortEntry(name: string): boolean {
  return /^retort\.lock(\..*)?$/.test(name) || name === UNPACK_MARKER;
}

/** Whether dataDir holds nothing yet (missing, empty, or only retort's own files), i.e. a new database. */
export function isNewDataDir(dataDir: string): boolean {
  return !existsSync(dataDir) || readdirSync(dataDir).every(isRetortEntry);
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
  undoInterruptedUnpack(dataDir);
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
    // moved one by one: the marker lets the next open undo a move cut short, and PG_VERSION goes last
    const names = readdirSync(tmp).sort((a, b) => Number(a === "PG_VERSION") - Number(b === "PG_VERSION"));
    writeFileSync(join(dataDir, UNPACK_MARKER), JSON.stringify(names));
    for (const name of names) renameSync(join(tmp, name), join(dataDir, name));
    unlinkSync(join(dataDir, UNPACK_MARKER));
    return true;
  } catch (error) {
    if (!isNewDataDir(dataDir)) return false; // another run got there first
    throw error;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A move into dataDir that a killed process left half done: remove exactly what it had moved. */
function undoInterruptedUnpack(dataDir: string): void {
  const marker = join(dataDir, UNPACK_MARKER);
  if (!existsSync(marker)) return;
  let names: string[] = [];
  try {
    names = JSON.parse(readFileSync(marker, "utf8")) as string[];
  } catch {
    // cut short while being written: nothing had been moved yet
  }
  for (const name of names) rmSync(join(dataDir, name), { recursive: true, force: true });
  unlinkSync(marker);
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
