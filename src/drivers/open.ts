/**
 * Pick and open the engine a URL names. Each engine module is imported only
 * when its scheme is used: a PostgreSQL run never loads PGlite's wasm.
 */
import { parseDatabaseUrl, redactUrl } from "../config/url.ts";
import type { Engine, EngineOptions } from "./engine.ts";

export { DatabaseMissingError } from "./pglite-dir.ts";

/** Open the database at `url` (postgres://, postgresql://, pglite:<dir>, pglite:memory). */
export async function openEngine(url: string, options: EngineOptions = {}): Promise<Engine> {
  const target = parseDatabaseUrl(url, options.cwd);
  if (target.kind === "pglite") {
    const { openPglite } = await import("./pglite.ts");
    return openPglite(target.dataDir, redactUrl(url), options);
  }
  const { openPostgres } = await import("./postgres.ts");
  return openPostgres(target.url, options);
}
