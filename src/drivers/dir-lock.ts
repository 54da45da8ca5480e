/**
 * The directory lock of a pglite:<dir> database: one process at a time opens
 * it (two PGlite instances on one data dir corrupt it, and even a reading one
 * writes: start-up recovery, a checkpoint at close). The lock is a file
 * `retort.lock` inside the directory holding the owner's pid, process start
 * time and host; it appears whole (written aside, then hard-linked into
 * place) and a lock whose process is gone on this host is broken.
 */
import { hostname } from "node:os";
import { linkSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "../embedded/unpack.ts";
import { LockTimeoutError } from "../errors.ts";

/** The lock file's name inside the data dir; other retort.lock.* names are its temporary siblings. */
export const LOCK_FILE = "retort.lock";

/** What a lock file says about its owner. */
export interface LockOwner {
  readonly pid: number;
  /** the process start time (Linux: clock ticks since boot from /proc), to tell a reused pid apart; null where unknown */
  readonly start: string | null;
  readonly host: string;
  /** ISO time the lock was taken */
  readonly since: string;
  /** unique per acquisition, so a release or a break never removes somebody else's lock */
  readonly nonce: string;
}

/** How to take a directory lock. */
export interface DirLockOptions {
  /** seconds to wait for another process (--lock-timeout) */
  readonly timeoutSeconds: number;
  /** the database as it may be printed, e.g. pglite:./db */
  readonly displayUrl: string;
  /** stderr lines (waiting, and on whom) */
  readonly log?: ((line: string) => void) | undefined;
  /** ms between attempts while waiting (default 50) */
  readonly pollMs?: number;
}

const held = new Set<string>();
let exitHooked = false;

/** Take the lock on `dir` (which must exist), waiting up to the timeout; returns the release function. */
export async function lockDirectory(dir: string, options: DirLockOptions): Promise<() => void> {
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, start: processStart(process.pid), host: hostname(), since: new Date().toISOString(), nonce: crypto.randomUUID() };
  const started = performance.now();
  const deadline = started + options.timeoutSeconds * 1000;
  let announced = false;
  sweepTemporaries(dir);
  for (;;) {
    if (tryCreate(path, me)) {
      if (announced) options.log?.(`Took the lock on ${options.displayUrl} after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return holdUntilRelease(path, me);
    }
    const holder = readOwner(path);
    if (holder === undefined) continue; // released just now: try again
    if (isStale(holder)) {
      breakStale(path, holder);
      continue;
    }
    if (!announced) {
      options.log?.(`Waiting up to ${options.timeoutSeconds} s for the lock on ${options.displayUrl}, held by ${describeOwner(holder)}`);
      announced = true;
    }
    if (performance.now() >= deadline) {
      throw new LockTimeoutError(
        `could not take the lock on ${options.displayUrl} within ${options.timeoutSeconds} s: it is held by ${describeOwner(holder)}; ` +
          `wait for that run to finish, raise --lock-timeout, or stop that process (if no retort process uses the directory, remove ${path})`,
      );
    }
    await Bun.sleep(Math.max(1, Math.min(options.pollMs ?? 50, deadline - performance.now())));
  }
}

/** "pid 123 on host h (since 2026-…)"; null: a lock file retort did not write. */
export function describeOwner(owner: LockOwner | null): string {
  return owner === null ? "a process that left a lock file retort cannot read" : `pid ${owner.pid} on host ${owner.host} (since ${owner.since})`;
}

/** The owner a lock file names: undefined if there is no lock file, null if it cannot be read as one. */
export function readOwner(path: string): LockOwner | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.nonce === "string") {
      return { pid: value.pid, start: typeof value.start === "string" ? value.start : null, host: value.host, since: String(value.since), nonce: value.nonce };
    }
  } catch {
    // not ours: treated as held (the timeout message says how to remove it)
  }
  return null;
}

/** A lock whose process is gone: same host, and the pid is not running or is a different process now. */
export function isStale(owner: LockOwner | null): owner is LockOwner {
  if (owner === null || owner.host !== hostname()) return false;
  if (!processAlive(owner.pid)) return true;
  const start = processStart(owner.pid);
  return owner.start !== null && start !== null && start !== owner.start;
}

/** When a process started (Linux /proc/<pid>/stat field 22), or null where that cannot be read. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may hold spaces and parentheses: count fields after its closing ')'
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** Write the owner aside, then hard-link it into place: the lock file never exists half-written. */
function tryCreate(path: string, owner: LockOwner): boolean {
  const tmp = `${path}.${owner.pid}.${owner.nonce.slice(0, 8)}.tmp`;
  writeFileSync(tmp, JSON.stringify(owner));
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Remove a stale lock. It is first renamed aside and checked, so two
 * processes that both judged it stale cannot remove a lock one of them has
 * just taken: a lock that turns out to be live is linked back.
 */
function breakStale(path: string, stale: LockOwner): void {
  const aside = `${path}.${process.pid}.${crypto.randomUUID().slice(0, 8)}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    if (readOwner(aside)?.nonce !== stale.nonce) linkSync(aside, path);
  } catch {
    // somebody took the lock in between: theirs stands
  } finally {
    unlinkSync(aside);
  }
}

/** Temporary files (.tmp, .stale) left by processes killed while taking or breaking a lock. */
function sweepTemporaries(dir: string): void {
  for (const name of readdirSync(dir)) {
    const match = /^retort\.lock\.(\d+)\.[0-9a-f]{8}\.(tmp|stale)$/.exec(name);
    if (match && !processAlive(Number(match[1]))) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // another sweeper got it
      }
    }
  }
}

function holdUntilRelease(path: string, me: LockOwner): () => void {
  held.add(path);
  if (!exitHooked) process.once("exit", () => held.forEach((p) => releaseIfOurs(p, me.pid)));
  exitHooked = true;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(path);
    if (readOwner(path)?.nonce === me.nonce) unlinkSync(path);
  };
}

function releaseIfOurs(path: string, pid: number): void {
  try {
    if (readOwner(path)?.pid === pid) unlinkSync(path);
  } catch {
    // best effort at exit
  }
}
