/**
 * Scratch databases: throwaway in-memory PGlite instances that revisions are
 * replayed into and the declarative schema is loaded into. This is the one
 * place that decides how a scratch database comes to be; the PGlite driver
 * starts it from its pre-initialised snapshot (no initdb), and this module
 * adds the contrib extensions the SQL asks for, which PGlite must load at
 * start.
 */
import type { Engine } from "../drivers/engine.ts";
import { openPglite } from "../drivers/pglite.ts";

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

/** The PGlite `extensions` option that loads the named contrib extensions. */
export async function contribModules(extensions: readonly string[]): Promise<Record<string, unknown>> {
  const modules: Record<string, unknown> = {};
  for (const name of extensions) {
    const load = CONTRIB[name];
    if (load !== undefined) modules[name.replaceAll("-", "_")] = await load();
  }
  return modules;
}

/** A fresh, empty in-memory database with the given PGlite extensions available; close it when done. */
export async function openScratch(extensions: readonly string[] = []): Promise<Engine> {
  // the driver starts in-memory PGlite from a pre-initialised snapshot, so this costs no initdb
  return openPglite(null, "pglite:memory (scratch)", { pglite: { extensions: await contribModules(extensions) } });
}
