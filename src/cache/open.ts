/**
 * A new, independent in-process database from a cached data dir: the tar is
 * unpacked into a throw-away directory (tmpfs where there is one) that is
 * removed when the database closes, as pglite:memory databases are.
 */
import { EphemeralNodeFS, ephemeralDataDir } from "../embedded/ephemeral.ts";
import { materialiseSnapshot } from "../embedded/unpack.ts";
import type { Engine } from "../drivers/engine.ts";
import { openPglite } from "../drivers/pglite.ts";
import { contribModules } from "../autogenerate/scratch.ts";

/** Open a fresh PGlite database holding the data dir `tar`, with its contrib extensions loaded. */
export async function openDataDirTar(tar: Uint8Array, extensions: readonly string[], displayUrl: string): Promise<Engine> {
  const dir = ephemeralDataDir();
  try {
    await materialiseSnapshot(tar, dir);
  } catch (error) {
    new EphemeralNodeFS(dir).closeFs().catch(() => {});
    throw error;
  }
  // the directory is this database's alone; EphemeralNodeFS removes it when PGlite closes
  return openPglite(dir, displayUrl, { pglite: { extensions: await contribModules(extensions), fs: new EphemeralNodeFS(dir) } });
}
