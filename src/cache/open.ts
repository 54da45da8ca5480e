/**
 * A new, independent in-process database from a cached data dir. The tar is
 * unpacked once per process into a shared directory (tmpfs where there is
 * one) that no database ever writes; each database sees it through its own
 * copy-on-write layer (src/embedded/overlay-fs.ts), which holds only the
 * files that database changed and is removed when it closes. Opening the
 * fiftieth database at a revision costs PGlite's start, whatever the size of
 * the schema.
 */
import { ephemeralDataDir, removeEphemeralDir } from "../embedded/ephemeral.ts";
import { OverlayNodeFS } from "../embedded/overlay-fs.ts";
import { materialiseSnapshot } from "../embedded/unpack.ts";
import type { Engine } from "../drivers/engine.ts";
import { openPglite } from "../drivers/pglite.ts";
import { contribModules } from "../drivers/pglite-extensions.ts";

/** A data dir unpacked for reading: how many open databases use it, and since when nobody does. */
interface Layer {
  readonly dir: Promise<string>;
  users: number;
  idleSince: number;
}

/** Unused layers kept for the next database (verify walks through every revision: the rest are removed). */
const IDLE_LAYERS = 2;
const layers = new Map<Uint8Array, Layer>();

function unpack(tar: Uint8Array): Promise<string> {
  const dir = ephemeralDataDir();
  return materialiseSnapshot(tar, dir).then(
    () => dir,
    (error: unknown) => {
      removeEphemeralDir(dir);
      throw error;
    },
  );
}

/** The shared layer of `tar`, unpacked on first use; release it when the database closes. */
async function acquire(tar: Uint8Array): Promise<{ dir: string; release: () => void }> {
  let layer = layers.get(tar);
  if (layer === undefined) {
    layer = { dir: unpack(tar), users: 0, idleSince: 0 };
    layers.set(tar, layer);
  }
  const held = layer;
  held.users++;
  try {
    const dir = await held.dir;
    let released = false;
    return {
      dir,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        held.idleSince = performance.now();
        evictIdle();
      },
    };
  } catch (error) {
    held.users--;
    if (layers.get(tar) === held) layers.delete(tar);
    throw error;
  }
}

/** Remove the least recently used layers nobody uses, beyond IDLE_LAYERS. */
function evictIdle(): void {
  const idle = [...layers].filter(([, layer]) => layer.users === 0).sort(([, a], [, b]) => b.idleSince - a.idleSince);
  for (const [tar, layer] of idle.slice(IDLE_LAYERS)) {
    layers.delete(tar);
    void layer.dir.then(removeEphemeralDir, () => {});
  }
}

/** Open a fresh PGlite database holding the data dir `tar`, with its contrib extensions loaded. */
export async function openDataDirTar(tar: Uint8Array, extensions: readonly string[], displayUrl: string): Promise<Engine> {
  const layer = await acquire(tar);
  const upper = ephemeralDataDir();
  const close = () => {
    removeEphemeralDir(upper);
    layer.release();
  };
  try {
    const fs = new OverlayNodeFS(layer.dir, upper, close);
    return await openPglite(null, displayUrl, { pglite: { extensions: await contribModules(extensions), fs } });
  } catch (error) {
    close();
    throw error;
  }
}
