/** The shape of what a compiled executable carries (see bundle.ts and scripts/build.ts). */
import type { RevisionEntry } from "../revisions/source.ts";

/** Paths of PGlite's assets inside the executable (`/$bunfs/…` when compiled). */
export interface EmbeddedPgliteAssets {
  /** pglite.wasm, handed to PGlite as `pgliteWasmModule` */
  readonly wasm: string;
  /** initdb.wasm, handed to PGlite as `initdbWasmModule` (only used if initdb ever runs) */
  readonly initdbWasm: string;
  /** pglite.data, the file-system bundle handed to PGlite as `fsBundle` */
  readonly fsBundle: string;
  /** a gzipped tar of a data dir initialised at build time (see snapshot.ts) */
  readonly snapshot: string;
}

/** Everything the build embedded: tool version, revisions and PGlite's assets. */
export interface EmbeddedBundle {
  readonly version: string;
  /** ISO time of the build */
  readonly builtAt: string;
  /** Bun compile target, e.g. "bun-linux-x64" */
  readonly target: string;
  /** heads of the embedded revisions, computed at build time with the project's own graph */
  readonly heads: readonly string[];
  /** every file of migrations/versions at build time, in file-name order */
  readonly revisions: readonly RevisionEntry[];
  readonly pglite: EmbeddedPgliteAssets | null;
  /** path of libpg-query's wasm inside the executable (src/lint/pg-parser.ts); absent from source */
  readonly libpgQueryWasm?: string | null;
}
