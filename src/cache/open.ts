/**
 * A new, independent in-process database from a cached data dir: the tar is
 * unpacked into a throw-away directory (tmpfs where there is one) that is
 * removed when the database closes, as pglite:memory databases are. From the
 * second database of the same entry on, the next copy is unpacked in the
 * background while the current one is in use, so a test file that opens one
 * database after another mostly waits for PGlite's start only.
 */
import { rmSync } from "node:fs";
import { EphemeralNodeFS, ephemeralDataDir } from "../embedded/ephemeral.ts";
import { materialiseSnapshot } from "../embedded/unpack.ts";
import type { Engine } from "../drivers/engine.ts";
import { openPglite } from "../drivers/pglite.ts";
import { contribModules } from "../autogenerate/scratch.ts";

/** Per data dir (by identity of its bytes): how often it was opened, and a copy unpacked ahead. */
const reuse = new WeakMap<Uint8Array, { opened: number; spare: Promise<string> | null }>();

function unpack(tar: Uint8Array): Promise<string> {
  const dir = ephemeralDataDir();
  return materialiseSnapshot(tar, dir).then(
    () => dir,
    (error: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    },
  );
}

/** Open a fresh PGlite database holding the data dir `tar`, with its contrib extensions loaded. */
export async function openDataDirTar(tar: Uint8Array, extensions: readonly string[], displayUrl: string): Promise<Engine> {
  const state = reuse.get(tar) ?? { opened: 0, spare: null };
  reuse.set(tar, state);
  const spare = state.spare;
  state.spare = null;
  const dir = spare === null ? await unpack(tar) : await spare.catch(() => unpack(tar));
  if (++state.opened >= 2) {
    // a one-off open (check, diff) never pays for a copy it would not use
    state.spare = unpack(tar);
    state.spare.catch(() => {});
  }
  // the directory is this database's alone; EphemeralNodeFS removes it when PGlite closes
  return openPglite(dir, displayUrl, { pglite: { extensions: await contribModules(extensions), fs: new EphemeralNodeFS(dir) } });
}
