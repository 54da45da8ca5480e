/**
 * A pglite:<dir> before PGlite opens it: take the directory lock, then check
 * what the directory holds (nothing yet, a PGlite database, or something
 * retort must not touch: a user's files, another PostgreSQL version's data).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isNewDataDir, isRetortEntry, UNPACK_MARKER } from "../embedded/unpack.ts";
import { ConnectionError, DataDirError } from "../errors.ts";
import { lockDirectory } from "./dir-lock.ts";
import { DEFAULT_LOCK_TIMEOUT_SECONDS, type EngineOptions } from "./engine.ts";

/** The PostgreSQL major version PGlite runs (a test checks it against the running PGlite). */
export const PGLITE_MAJOR = "18";

/** A pglite:<dir> that holds no database yet, opened by a command that must not create one (exit 3). */
export class DatabaseMissingError extends ConnectionError {
  constructor(readonly displayUrl: string) {
    super(`${displayUrl} holds no database yet (nothing has been migrated there; run 'retort upgrade head')`);
  }
}

/**
 * Lock `dir` for this process and check it; returns the lock's release.
 * A directory without a database is DatabaseMissingError when `create` is
 * false (and is then neither created nor locked).
 */
export async function claimDataDir(dir: string, displayUrl: string, options: EngineOptions): Promise<() => void> {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new DataDirError(`${displayUrl} is a file, not a directory: point pglite: at a directory`);
  if (options.create === false && isNewDataDir(dir)) throw new DatabaseMissingError(displayUrl);
  mkdirSync(dir, { recursive: true });
  const release = await lockDirectory(dir, {
    timeoutSeconds: options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS,
    displayUrl,
    log: options.log,
  });
  try {
    // under the lock: a run that was creating the database has finished
    if (inspectDataDir(dir, displayUrl) === "new" && options.create === false) throw new DatabaseMissingError(displayUrl);
    return release;
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * "new" (nothing but retort's own files, or an unpack cut short) or
 * "database" (PG_VERSION says PGlite's major); anything else is a DataDirError.
 */
export function inspectDataDir(dir: string, displayUrl: string): "new" | "database" {
  const entries = readdirSync(dir);
  if (entries.every(isRetortEntry) || entries.includes(UNPACK_MARKER)) return "new";
  if (!entries.includes("PG_VERSION")) {
    const others = entries.filter((n) => !isRetortEntry(n)).sort();
    const shown = others.slice(0, 3).join(", ") + (others.length > 3 ? ", …" : "");
    throw new DataDirError(
      `${displayUrl} is not empty and is not a PGlite database (no PG_VERSION; it holds ${shown}); ` +
        `retort will not create a database among other files: point pglite: at a new or empty directory`,
    );
  }
  const version = readFileSync(join(dir, "PG_VERSION"), "utf8").trim();
  if (version !== PGLITE_MAJOR) {
    throw new DataDirError(
      `${displayUrl} is a PostgreSQL ${version} data directory, and PGlite runs PostgreSQL ${PGLITE_MAJOR}: it cannot open it. ` +
        `Use a new directory, or move the data over with pg_dump (from PostgreSQL ${version}) and psql`,
    );
  }
  return "database";
}
