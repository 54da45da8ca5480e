/**
 * Pick and open the engine a URL names. Each engine module is imported only
 * when its scheme is used: a PostgreSQL run never loads PGlite's wasm.
 */
import { existsSync, readdirSync } from "node:fs";
import { parseDatabaseUrl, redactUrl } from "../config/url.ts";
import { ConnectionError } from "../errors.ts";
import type { Engine, EngineOptions } from "./engine.ts";

/** Open the database at `url` (postgres://, postgresql://, pglite:<dir>, pglite:memory). */
export async function openEngine(url: string, options: EngineOptions = {}): Promise<Engine> {
  const target = parseDatabaseUrl(url, options.cwd);
  if (target.kind === "pglite") {
    if (options.create === false && target.dataDir !== null && !holdsDatabase(target.dataDir)) {
      throw new DatabaseMissingError(redactUrl(url));
    }
    const { openPglite } = await import("./pglite.ts");
    return openPglite(target.dataDir, redactUrl(url), options);
  }
  const { openPostgres } = await import("./postgres.ts");
  return openPostgres(target.url, options);
}

/** A pglite:<dir> that holds no database yet, opened by a command that must not create one (exit 3). */
export class DatabaseMissingError extends ConnectionError {
  constructor(readonly displayUrl: string) {
    super(`${displayUrl} holds no database yet (nothing has been migrated there; run 'retort upgrade head')`);
  }
}

function holdsDatabase(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}
