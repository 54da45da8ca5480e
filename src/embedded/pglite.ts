/**
 * Extra PGlite options for fast start: the wasm modules and file-system
 * bundle embedded in the executable, and a pre-initialised data dir instead
 * of initdb. src/drivers/pglite.ts passes these to the one PGlite constructor.
 */
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bundle } from "./bundle.ts";
import { EphemeralNodeFS, ephemeralDataDir } from "./ephemeral.ts";
import { cachedSnapshot } from "./snapshot.ts";
import { materialiseSnapshot } from "./unpack.ts";

/**
 * PGlite's start parameters plus a smaller buffer pool: the default 128MB
 * outgrows PGlite's initial wasm memory and costs ~80 ms at every start,
 * while migrations of a development database need far less.
 */
export const START_PARAMS: readonly string[] = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

/** The options that replace PGlite's own asset loading. */
export type PgliteAssetOptions = Pick<PGliteOptions, "pgliteWasmModule" | "initdbWasmModule" | "fsBundle">;

let assets: Promise<PgliteAssetOptions> | undefined;

/**
 * PGlite's wasm module and fs bundle from the executable; nothing from
 * source (PGlite reads its own files from node_modules). Memoised: the wasm
 * is compiled once per process (~0.1 s, mostly off the main thread).
 */
export function pgliteAssets(): Promise<PgliteAssetOptions> {
  const paths = bundle?.pglite;
  assets ??= paths
    ? compileWasm(paths.wasm).then((pgliteWasmModule) => ({ pgliteWasmModule, fsBundle: Bun.file(paths.fsBundle) }))
    : Promise.resolve({});
  return assets;
}

/** initdb's wasm module from the executable, compiled only when PGlite would run initdb (a snapshot makes that rare). */
async function initdbAssets(): Promise<PgliteAssetOptions> {
  return bundle?.pglite ? { initdbWasmModule: await compileWasm(bundle.pglite.initdbWasm) } : {};
}

async function compileWasm(path: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await Bun.file(path).arrayBuffer());
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
  // a directory that held something other than a database: PGlite will try initdb there (and say why it cannot)
  const initdb = existsSync(join(target, "PG_VERSION")) ? {} : await initdbAssets();
  return { ...(await pending), ...initdb, startParams: [...START_PARAMS], ...(dataDir === null ? { fs: new EphemeralNodeFS(target) } : {}) };
}

/** Options for a file system that already holds a database (src/cache/open.ts): the assets, no snapshot. */
export async function preparedStartOptions(): Promise<Partial<PGliteOptions>> {
  return { ...(await pgliteAssets()), startParams: [...START_PARAMS] };
}

/** Options for a fresh in-memory PGlite from the snapshot: `new PGlite(await freshPgliteOptions())` skips initdb. */
export function freshPgliteOptions(): Promise<Partial<PGliteOptions>> {
  return pgliteStartOptions(null);
}
