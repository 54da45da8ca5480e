/**
 * Reading a database without ever creating one: open the engine read-only
 * (a pglite:<dir> that holds no database is not made; the caller says what
 * that means, usually base), read, close. Used by current, history -i,
 * validate, log and lint's pre-flight.
 */
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { DatabaseMissingError, openEngine } from "../drivers/open.ts";

/** Which database to read. */
export interface ReadDatabaseOptions {
  readonly url: string;
  readonly engineOptions?: EngineOptions | undefined;
  /** an engine that is already open: used instead of opening `url`, and left open */
  readonly engine?: Engine | undefined;
  /** stderr notes: a pglite:<dir> that holds no database (so a mistyped path is visible) */
  readonly log?: ((line: string) => void) | undefined;
}

/**
 * Run `read` on the database; `missing` is the answer for a pglite:<dir>
 * that holds no database yet, noted on log (`note` ends the line, e.g.
 * ": reporting base").
 */
export async function readDatabase<T>(options: ReadDatabaseOptions, read: (engine: Engine) => Promise<T>, missing: () => T, note = ""): Promise<T> {
  let engine: Engine;
  try {
    engine = options.engine ?? (await openEngine(options.url, { ...options.engineOptions, create: false }));
  } catch (error) {
    if (error instanceof DatabaseMissingError) {
      options.log?.(`there is no database at ${error.displayUrl} (nothing was created there)${note}`);
      return missing();
    }
    throw error;
  }
  try {
    return await read(engine);
  } finally {
    if (options.engine === undefined) await engine.close().catch(() => {});
  }
}
