/**
 * PGlite's contrib extensions: which ones it ships, which ones SQL text asks
 * for (CREATE EXTENSION), and the PGlite option that loads them. PGlite must
 * load an extension's files when the instance starts, and loading all of
 * them costs about a second, so each database gets the ones its SQL names.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundle } from "../embedded/bundle.ts";
import type { LoadedRevision } from "../revisions/types.ts";

/** Loaders of PGlite's contrib extensions by the name CREATE EXTENSION uses. */
const CONTRIB: Record<string, () => Promise<unknown>> = {
  amcheck: () => import("@electric-sql/pglite/contrib/amcheck").then((m) => m.amcheck),
  bloom: () => import("@electric-sql/pglite/contrib/bloom").then((m) => m.bloom),
  btree_gin: () => import("@electric-sql/pglite/contrib/btree_gin").then((m) => m.btree_gin),
  btree_gist: () => import("@electric-sql/pglite/contrib/btree_gist").then((m) => m.btree_gist),
  citext: () => import("@electric-sql/pglite/contrib/citext").then((m) => m.citext),
  cube: () => import("@electric-sql/pglite/contrib/cube").then((m) => m.cube),
  dict_int: () => import("@electric-sql/pglite/contrib/dict_int").then((m) => m.dict_int),
  dict_xsyn: () => import("@electric-sql/pglite/contrib/dict_xsyn").then((m) => m.dict_xsyn),
  earthdistance: () => import("@electric-sql/pglite/contrib/earthdistance").then((m) => m.earthdistance),
  file_fdw: () => import("@electric-sql/pglite/contrib/file_fdw").then((m) => m.file_fdw),
  fuzzystrmatch: () => import("@electric-sql/pglite/contrib/fuzzystrmatch").then((m) => m.fuzzystrmatch),
  hstore: () => import("@electric-sql/pglite/contrib/hstore").then((m) => m.hstore),
  intarray: () => import("@electric-sql/pglite/contrib/intarray").then((m) => m.intarray),
  isn: () => import("@electric-sql/pglite/contrib/isn").then((m) => m.isn),
  lo: () => import("@electric-sql/pglite/contrib/lo").then((m) => m.lo),
  ltree: () => import("@electric-sql/pglite/contrib/ltree").then((m) => m.ltree),
  moddatetime: () => import("@electric-sql/pglite/contrib/moddatetime").then((m) => m.moddatetime),
  pageinspect: () => import("@electric-sql/pglite/contrib/pageinspect").then((m) => m.pageinspect),
  pg_buffercache: () => import("@electric-sql/pglite/contrib/pg_buffercache").then((m) => m.pg_buffercache),
  pg_freespacemap: () => import("@electric-sql/pglite/contrib/pg_freespacemap").then((m) => m.pg_freespacemap),
  pg_stat_statements: () => import("@electric-sql/pglite/contrib/pg_stat_statements").then((m) => m.pg_stat_statements),
  pg_surgery: () => import("@electric-sql/pglite/contrib/pg_surgery").then((m) => m.pg_surgery),
  pg_trgm: () => import("@electric-sql/pglite/contrib/pg_trgm").then((m) => m.pg_trgm),
  pg_visibility: () => import("@electric-sql/pglite/contrib/pg_visibility").then((m) => m.pg_visibility),
  pg_walinspect: () => import("@electric-sql/pglite/contrib/pg_walinspect").then((m) => m.pg_walinspect),
  pgcrypto: () => import("@electric-sql/pglite/contrib/pgcrypto").then((m) => m.pgcrypto),
  seg: () => import("@electric-sql/pglite/contrib/seg").then((m) => m.seg),
  tablefunc: () => import("@electric-sql/pglite/contrib/tablefunc").then((m) => m.tablefunc),
  tcn: () => import("@electric-sql/pglite/contrib/tcn").then((m) => m.tcn),
  tsm_system_rows: () => import("@electric-sql/pglite/contrib/tsm_system_rows").then((m) => m.tsm_system_rows),
  tsm_system_time: () => import("@electric-sql/pglite/contrib/tsm_system_time").then((m) => m.tsm_system_time),
  unaccent: () => import("@electric-sql/pglite/contrib/unaccent").then((m) => m.unaccent),
  "uuid-ossp": () => import("@electric-sql/pglite/contrib/uuid_ossp").then((m) => m.uuid_ossp),
};

const CREATE_EXTENSION = /\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"([^"]+)"|([a-z_][a-z0-9_$-]*))/gi;

/** The extensions SQL text creates that PGlite can provide (they must be loaded when the instance starts). */
export function extensionsIn(texts: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(CREATE_EXTENSION)) {
      const name = m[1] ?? m[2]!.toLowerCase();
      if (name in CONTRIB) found.add(name);
    }
  }
  return [...found].sort();
}

/**
 * An embedded bundle as a real file: PGlite streams bundles with
 * fs.createReadStream, which cannot read the executable's embedded files.
 * Written once per executable build (keyed by the embedded file's name, which
 * carries a content hash) into the OS temp dir, atomically.
 */
async function onDisk(name: string, embedded: string): Promise<string> {
  const dir = join(tmpdir(), "retort-extensions");
  const path = join(dir, `${name}-${basename(embedded).replace(/[^A-Za-z0-9._-]/g, "_")}`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${crypto.randomUUID()}.tmp`;
  writeFileSync(tmp, await Bun.file(embedded).bytes());
  renameSync(tmp, path);
  return path;
}

/** Extensions every PostgreSQL build has, PGlite's included. */
const BUILT_IN = new Set(["plpgsql"]);

/** The extensions SQL text creates that PGlite cannot provide (e.g. postgis): replaying it in PGlite would fail. */
export function unsupportedExtensionsIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(CREATE_EXTENSION)) {
    const name = m[1] ?? m[2]!.toLowerCase();
    if (!(name in CONTRIB) && !BUILT_IN.has(name)) found.add(name);
  }
  return [...found].sort();
}

/**
 * The PGlite `extensions` option that loads the named contrib extensions.
 * A compiled executable carries their bundles as embedded files (PGlite's
 * own modules point next to themselves in node_modules, which is not there);
 * from source they come from PGlite's contrib modules.
 */
export async function contribModules(extensions: readonly string[]): Promise<Record<string, unknown>> {
  const modules: Record<string, unknown> = {};
  const embedded = bundle?.pglite?.extensions;
  for (const name of extensions) {
    const load = CONTRIB[name];
    if (load === undefined) continue;
    const file = embedded?.[name];
    modules[name.replaceAll("-", "_")] = file === undefined ? await load() : { name, setup: async () => ({ bundlePath: pathToFileURL(await onDisk(name, file)) }) };
  }
  return modules;
}

/** The SQL texts revisions run, for spotting CREATE EXTENSION (TypeScript revisions are read from disk when they can be). */
export function revisionTexts(revisions: readonly LoadedRevision[]): string[] {
  const texts: string[] = [];
  for (const rev of revisions) {
    if (rev.upgrade.kind === "sql") texts.push(rev.upgrade.sql);
    else {
      try {
        texts.push(readFileSync(rev.path, "utf8"));
      } catch {
        // embedded TypeScript revisions have no file; they cannot ask for an extension PGlite would not load anyway
      }
    }
  }
  return texts;
}
