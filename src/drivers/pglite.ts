/**
 * The in-process PGlite engine (PostgreSQL 18 in WebAssembly). Imported only
 * for pglite: URLs, so a PostgreSQL run never loads it.
 */
import { mkdirSync } from "node:fs";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pgliteStartOptions, preparedStartOptions } from "../embedded/pglite.ts";
import { ConnectionError, RetortError } from "../errors.ts";
import type { Engine, EngineOptions, Row } from "./engine.ts";
import { toRetortError } from "./errors.ts";
import { RESULT_PARSERS } from "./pg-types.ts";
import { claimDataDir } from "./pglite-dir.ts";

/**
 * THE place a PGlite instance is constructed. `extra` is the seam for a
 * compiled binary: embedded wasm modules, an fsBundle, a pre-initialised
 * data dir snapshot (loadDataDir) for fast start. dataDir null = in memory,
 * or, with `extra.fs`, a file system that already holds a database.
 */
export async function createPGlite(dataDir: string | null, extra: Partial<PGliteOptions> = {}): Promise<PGlite> {
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  const start = dataDir === null && extra.fs ? await preparedStartOptions() : await pgliteStartOptions(dataDir);
  return PGlite.create({ ...start, ...(dataDir === null ? {} : { dataDir }), ...extra });
}

/**
 * Open PGlite on `dataDir` (null: in memory) as an Engine; `displayUrl` names
 * it in messages. A directory is locked for this process until close (see
 * pglite-dir.ts) and checked before PGlite touches it.
 */
export async function openPglite(dataDir: string | null, displayUrl: string, options: EngineOptions = {}): Promise<Engine> {
  let db: PGlite;
  let release = () => {};
  try {
    if (dataDir !== null) release = await claimDataDir(dataDir, displayUrl, options);
    db = await createPGlite(dataDir, (options.pglite ?? {}) as Partial<PGliteOptions>);
  } catch (error) {
    release();
    if (error instanceof RetortError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new ConnectionError(`cannot open ${displayUrl}: ${why}`, { cause: error });
  }
  // the same JavaScript values as PostgreSQL (README "Query results"): this replaces PGlite's own
  // parsers, including those it made at start for every array type then in the catalog
  db.parsers = { ...RESULT_PARSERS };
  // the database is open: every error from here on is a statement's (connected = true)
  const fail = (error: unknown, statement: string) => toRetortError(error, statement, displayUrl, undefined, true);
  const notices = options.onNotice ? { onNotice: (n: { message?: string }) => options.onNotice?.(String(n.message ?? "")) } : {};
  const run = async (text: string) => {
    try {
      await db.exec(text, notices);
    } catch (error) {
      throw fail(error, text);
    }
  };
  return {
    kind: "pglite",
    displayUrl,
    async execute(text, params) {
      if (params === undefined || params.length === 0) return run(text);
      try {
        await db.query(text, [...params], notices);
      } catch (error) {
        throw fail(error, text);
      }
    },
    async query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]> {
      try {
        return (await db.query<T>(text, params ? [...params] : [], notices)).rows;
      } catch (error) {
        throw fail(error, text);
      }
    },
    // the directory lock already excludes every other process (pglite:memory is private to this one)
    async tryAdvisoryLock() {
      return true;
    },
    async advisoryUnlock() {},
    // runs stop between statements (the runner checks its signal); nothing to cancel in-process
    async cancel() {},
    async close() {
      try {
        if (!db.closed) await db.close();
      } finally {
        release();
      }
    },
  };
}
