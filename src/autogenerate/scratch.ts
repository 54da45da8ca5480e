/**
 * Scratch databases: throwaway in-memory PGlite instances that revisions are
 * replayed into and the declarative schema is loaded into. This is the one
 * place that decides how a scratch database comes to be; the PGlite driver
 * starts it from its pre-initialised snapshot (no initdb), and this module
 * adds the contrib extensions the SQL asks for, which PGlite must load at
 * start (src/drivers/pglite-extensions.ts).
 */
import type { Engine } from "../drivers/engine.ts";
import { openPglite } from "../drivers/pglite.ts";
import { contribModules } from "../drivers/pglite-extensions.ts";

/** A fresh, empty in-memory database with the given PGlite extensions available; close it when done. */
export async function openScratch(extensions: readonly string[] = []): Promise<Engine> {
  // the driver starts in-memory PGlite from a pre-initialised snapshot, so this costs no initdb
  return openPglite(null, "pglite:memory (scratch)", { pglite: { extensions: await contribModules(extensions) } });
}
