/**
 * In-memory databases (pglite:memory) as a throw-away data dir, on tmpfs
 * where there is one: opening the snapshot through PGlite's file system is
 * ~0.15 s faster than PGlite's own untar into its in-wasm MEMFS. Cached
 * databases use such directories too (src/cache/open.ts: a shared unpacked
 * entry and each database's copy-on-write layer). A directory is removed
 * when PGlite closes or its owner lets it go (or the process exits); ones
 * left by killed processes are swept on the next open.
 */
import { mkdtempSync, readdirSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeFS } from "@electric-sql/pglite/nodefs";
import { processAlive } from "./unpack.ts";

/** Linux's tmpfs, the preferred home of in-memory databases. */
export const EPHEMERAL_ROOT = "/dev/shm";
const PREFIX = "retort-mem-";
/** A fresh database is ~40MB and a migration may add WAL segments; small /dev/shm (Docker's 64MB) is not used. */
const MIN_FREE_BYTES = 512 * 1024 * 1024;

/** A PGlite file system on a real directory that deletes the directory when PGlite closes. */
export class EphemeralNodeFS extends NodeFS {
  override async closeFs(): Promise<void> {
    try {
      await super.closeFs();
    } finally {
      removeEphemeralDir(this.rootDir);
    }
  }
}

/** Remove a directory made by ephemeralDataDir (before the process exits, which would remove it too). */
export function removeEphemeralDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  open.delete(dir);
}

/** Remove data dirs whose process is gone (killed before PGlite could close). */
export function sweepEphemeralDirs(root: string = EPHEMERAL_ROOT): void {
  for (const name of readdirSync(root)) {
    const pid = Number(name.slice(PREFIX.length).split("-")[0]);
    if (name.startsWith(PREFIX) && Number.isInteger(pid) && pid > 0 && !processAlive(pid)) {
      rmSync(join(root, name), { recursive: true, force: true });
    }
  }
}

const open = new Set<string>();
let exitHooked = false;

/** Where in-memory databases go: tmpfs when it has room, else the OS temp dir (macOS, Windows, small containers). */
export function ephemeralRoot(): string {
  try {
    const fs = statfsSync(EPHEMERAL_ROOT);
    if (fs.bavail * fs.bsize >= MIN_FREE_BYTES) return EPHEMERAL_ROOT;
  } catch {
    // no /dev/shm here
  }
  return tmpdir();
}

/** A new empty directory for one in-memory database under root, removed at exit if nobody closed it. */
export function ephemeralDataDir(root: string = ephemeralRoot()): string {
  sweepEphemeralDirs(root);
  const dir = mkdtempSync(join(root, `${PREFIX}${process.pid}-`));
  if (!exitHooked) process.once("exit", () => open.forEach((d) => rmSync(d, { recursive: true, force: true })));
  exitHooked = true;
  open.add(dir);
  return dir;
}
