/**
 * Extra PGlite options for fast start: the wasm modules and file-system
 * bundle embedded in the executable, and a pre-initialised data dir instead
 * of initdb. src/drivers/pglite.ts passes these to the one PGlite constructor.
 */
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { bundle } from "./bundle.ts";
import { EphemeralNodeFS, ephemeralDataDir } from "./ephemeral.ts";
import { cachedSnapshot, materialiseSnapshot } from "./snapshot.ts";
import type { EmbeddedPgliteAssets } from "./types.ts";

/**
 * PGlite's start parameters plus a smaller buffer pool: the default 128MB
 * outgrows PGlite's initial wasm memory and costs ~80 ms at every start,
 * while migrations of a development database need far less.
 */
export const START_PARAMS: readonly string[] = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

/** The options that replace PGlite's own asset loading. */
export type PgliteAssetOptions = Required<Pick<PGliteOptions, "pgliteWasmModule" | "initdbWasmModule" | "fsBundle">>;

let assets: Promise<PgliteAssetOptions | undefined> | undefined;

/**
 * PGlite's wasm modules and fs bundle from the executable; undefined from
 * source (PGlite reads its own files from node_modules). The first call
 * starts compiling the wasm (~0.1 s, off the main thread), so calling it as
 * soon as the URL is known to be pglite: overlaps that with other work.
 */
export function pgliteAssets(): Promise<PgliteAssetOptions | undefined> {
  assets ??= bundle?.pglite ? loadAssets(bundle.pglite) : Promise.resolve(undefined);
  return assets;
}

async function loadAssets(paths: EmbeddedPgliteAssets): Promise<PgliteAssetOptions> {
  const compile = async (path: string) => WebAssembly.compile(await Bun.file(path).arrayBuffer());
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([compile(paths.wasm), compile(paths.initdbWasm)]);
  return { pgliteWasmModule, initdbWasmModule, fsBundle: Bun.file(paths.fsBundle) };
}

/** The pre-initialised data dir (gzipped tar): embedded in a build, cached under node_modules/.cache from source. */
export function snapshot(): Promise<Uint8Array<ArrayBuffer>> {
  return bundle?.pglite ? Bun.file(bundle.pglite.snapshot).bytes() : cachedSnapshot();
}

/**
 * Options for opening PGlite on dataDir (null: in memory): the embedded
 * assets, plus the snapshot when the database is new. A new directory gets
 * the snapshot unpacked natively (much faster than PGlite's own untar onto
 * disk); an in-memory database gets it unpacked into a throw-away directory
 * that PGlite's file system removes at close. An existing database is opened
 * as it is.
 */
export async function pgliteStartOptions(dataDir: string | null): Promise<Partial<PGliteOptions>> {
  const pending = pgliteAssets();
  const target = dataDir ?? ephemeralDataDir();
  await materialiseSnapshot(await snapshot(), target);
  return { ...(await pending), startParams: [...START_PARAMS], ...(dataDir === null ? { fs: new EphemeralNodeFS(target) } : {}) };
}

/** Options for a fresh in-memory PGlite from the snapshot: `new PGlite(await freshPgliteOptions())` skips initdb. */
export function freshPgliteOptions(): Promise<Partial<PGliteOptions>> {
  return pgliteStartOptions(null);
}
