/**
 * The copy-on-write data dir (src/embedded/overlay-fs.ts) against a plain
 * copy of its shared layer, at random. Two levels, each over seeds:
 *
 * - files: the same random Emscripten FS calls (open with every flag mix,
 *   dup, read, write, seek, truncate, rename, unlink, mkdir, rmdir, chmod,
 *   symlink, mmap/msync) on overlay mounts and on PGlite's own NODEFS mounts
 *   of full copies, in one PGlite; every call's outcome and then the whole
 *   tree must agree;
 * - SQL: the same random workload (DML, DDL that rewrites or drops files,
 *   TRUNCATE, VACUUM FULL, CLUSTER, REINDEX, ALTER TABLE rewrites,
 *   CHECKPOINT, WAL switches, toasted values, sequences, temp tables,
 *   transactions that roll back, CREATE/DROP DATABASE) on databases opened
 *   through OverlayNodeFS and on databases opened on full copies, two of each
 *   at once on one shared layer; a fingerprint of every table, of the catalog
 *   and of the data dir's files must agree after every step.
 *
 * After every seed the shared layer is byte-identical to before, and, in the
 * SQL part, every upper layer is gone once its database is closed. A failure
 * names its seed and step and prints the calls so far on that pair. `npm
 * test` skips this file; run alone it does 3 seeds of each (400 file calls,
 * 30 statements), with RETORT_LONG=1 20 file seeds and 6 SQL seeds of 60
 * statements; RETORT_OVERLAY_SEEDS=N runs N seeds of each from
 * RETORT_OVERLAY_SEED (default 1).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { createPGlite, openPglite } from "../../src/drivers/pglite.ts";
import type { Engine } from "../../src/drivers/engine.ts";
import { OverlayNodeFS, overlayFileSystem } from "../../src/embedded/overlay-fs.ts";
import { prng } from "../core/shapes.ts";
import { tempDir } from "../helpers/cli.ts";
import { treeFingerprint } from "../helpers/tree.ts";

const LONG = process.env.RETORT_LONG === "1";
const FIRST_SEED = Number(process.env.RETORT_OVERLAY_SEED ?? 1);
const seedsOf = (count: number) => Array.from({ length: Number(process.env.RETORT_OVERLAY_SEEDS ?? count) }, (_, i) => FIRST_SEED + i);
const FILE_SEEDS = seedsOf(LONG ? 20 : 3);
const SQL_SEEDS = seedsOf(LONG ? 6 : 3);
const FILE_STEPS = 400;
const SQL_STEPS = LONG ? 60 : 30;

const root = tempDir("overlay-random-");
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = (name: string) => join(root, `${name}-${++dirs}`);
const copyOf = (dir: string) => {
  const copy = newDir("plain");
  execFileSync("cp", ["-a", dir, copy]);
  return copy;
};

type Rnd = () => number;
const pick = <T>(rnd: Rnd, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const int = (rnd: Rnd, below: number) => Math.floor(rnd() * below);

// ---------------------------------------------------------------- files

// Emscripten's FS and stream objects (untyped by PGlite)
type Stream = { fd: number };
type EmFS = Record<string, (...args: never[]) => unknown> & {
  open(path: string, flags: number): Stream;
  mount(type: unknown, opts: unknown, mountpoint: string): void;
  unmount(mountpoint: string): void;
  mkdir(path: string): void;
};
interface EmModule {
  FS: EmFS;
  NODEFS: unknown;
  HEAPU8: Uint8Array;
}
const call = (fs: EmFS, name: string, ...args: unknown[]) => (fs[name] as (...a: unknown[]) => unknown)(...args);

const DIRS = ["", "d0", "d1", "d1/e0", "n0", "n0/n1"];
const NAMES = ["f0", "f1", "f2", "f3", "d0", "d1", "e0", "n0", "n1", "l0"];
/** open(2) flags: r, r+, w, w+, a, a+, O_WRONLY, O_CREAT|O_RDWR, O_CREAT|O_EXCL|O_RDWR, O_WRONLY|O_TRUNC */
const FLAGS = [0, 2, 577, 578, 1089, 1090, 1, 66, 194, 513];

/** The file-level shared layer: files, directories (one nested), a symlink, a file over one copy chunk. */
function fileLower(): string {
  const dir = newDir("files-lower");
  mkdirSync(join(dir, "d1", "e0"), { recursive: true });
  mkdirSync(join(dir, "d0"));
  writeFileSync(join(dir, "f0"), "lower f0 content");
  writeFileSync(join(dir, "f1"), "");
  writeFileSync(join(dir, "d0", "f0"), "d0/f0");
  writeFileSync(join(dir, "d0", "f2"), Buffer.alloc((1 << 20) + 100, 7));
  writeFileSync(join(dir, "d1", "e0", "f3"), "deep");
  symlinkSync("f0", join(dir, "l0"));
  return dir;
}

/** What a call did: its result (a plain value; a node or stream counts as "ok") or its errno (any other error is a bug in the file system itself). */
function outcome(f: () => unknown): string {
  try {
    const value = f() ?? null;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? "ok" : `ok ${JSON.stringify(value)}`;
  } catch (error) {
    if ((error as { name?: string }).name === "ErrnoError") return `errno ${(error as { errno: number }).errno}`;
    throw error;
  }
}

/** Everything under mountpoint as the file system shows it: types, modes, sizes, content hashes, link targets (or the errno of a look-up that failed). */
function emTree(fs: EmFS, mountpoint: string): string[] {
  const lines: string[] = [];
  const walk = (rel: string) => {
    const names = (call(fs, "readdir", `${mountpoint}${rel}`) as string[]).filter((n) => n !== "." && n !== "..").sort();
    for (const name of names) {
      const path = `${mountpoint}${rel}/${name}`;
      const found = outcome(() => call(fs, "lstat", path));
      if (found !== "ok") {
        lines.push(`${rel}/${name} listed, but lstat: ${found}`);
        continue;
      }
      const st = call(fs, "lstat", path) as { mode: number; size: number };
      if ((st.mode & 0o170000) === 0o040000) {
        lines.push(`${rel}/${name}/ ${st.mode.toString(8)}`);
        walk(`${rel}/${name}`);
      } else if ((st.mode & 0o170000) === 0o120000) {
        lines.push(`${rel}/${name} -> ${call(fs, "readlink", path)}`);
      } else {
        const content = call(fs, "readFile", path) as Uint8Array;
        lines.push(`${rel}/${name} ${st.mode.toString(8)} ${st.size} ${createHash("sha1").update(content).digest("hex")}`);
      }
    }
  };
  walk("");
  return lines;
}

/** One side of the comparison: a mountpoint and its open streams (null where the open failed). */
interface Side {
  mountpoint: string;
  streams: (Stream | null)[];
}

/**
 * One random call, done on both sides. Returns what to compare, or null when
 * the overlay refuses by design (renaming a directory it did not create:
 * EXDEV); the plain side is then left alone.
 */
function fileStep(rnd: Rnd, mod: EmModule, sides: [Side, Side]): { what: string; outcomes: [string, string] } | null {
  const fs = mod.FS;
  const path = () => {
    const dir = pick(rnd, DIRS);
    const name = pick(rnd, NAMES);
    return dir === "" ? name : `${dir}/${name}`;
  };
  const streamIndex = () => (sides[0].streams.length === 0 ? -1 : int(rnd, sides[0].streams.length));
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => 97 + int(rnd, 26));
  const on = (f: (side: Side, at: (p: string) => string) => unknown): [string, string] =>
    sides.map((side) => outcome(() => f(side, (p) => `${side.mountpoint}/${p}`))) as [string, string];
  const withStream = (what: string, f: (s: Stream, side: Side, i: number) => unknown) => {
    const i = streamIndex();
    if (i < 0) return { what: `${what} (no stream)`, outcomes: ["", ""] as [string, string] };
    return {
      what: `${what} on stream ${i}`,
      outcomes: on((side) => {
        const s = side.streams[i];
        if (s === null) return "not open";
        return f(s!, side, i);
      }),
    };
  };
  const kind = int(rnd, 22);
  switch (kind) {
    case 0:
    case 1:
    case 2: {
      const p = path();
      const flags = pick(rnd, FLAGS);
      return {
        what: `open ${p} ${flags}`,
        outcomes: on((side, at) => {
          let stream: Stream | null = null;
          try {
            stream = fs.open(at(p), flags);
            return "opened";
          } finally {
            side.streams.push(stream);
          }
        }),
      };
    }
    case 3: {
      const i = streamIndex();
      if (i < 0) return null;
      return {
        what: `close stream ${i}`,
        outcomes: on((side) => {
          const [s] = side.streams.splice(i, 1);
          if (s) call(fs, "close", s);
        }),
      };
    }
    case 4:
      return withStream("dup", (s, side) => {
        side.streams.push(call(fs, "dupStream", s) as Stream);
      });
    case 5:
    case 6: {
      const data = bytes(1 + int(rnd, rnd() < 0.1 ? 3000 : 20));
      const position = rnd() < 0.3 ? undefined : rnd() < 0.05 ? (1 << 20) + int(rnd, 200) : int(rnd, 40);
      return withStream(`write ${data.length} at ${position}`, (s) => call(fs, "write", s, data, 0, data.length, position));
    }
    case 7: {
      const length = int(rnd, 50);
      const position = rnd() < 0.3 ? undefined : int(rnd, 40);
      return withStream(`read ${length} at ${position}`, (s) => {
        const buffer = new Uint8Array(length);
        const n = call(fs, "read", s, buffer, 0, length, position) as number;
        return Buffer.from(buffer.subarray(0, n)).toString();
      });
    }
    case 8: {
      const offset = int(rnd, 30);
      const whence = int(rnd, 3);
      return withStream(`llseek ${offset} ${whence}`, (s) => call(fs, "llseek", s, offset, whence));
    }
    case 9: {
      const length = int(rnd, 30);
      return withStream(`ftruncate ${length}`, (s) => call(fs, "ftruncate", s.fd, length));
    }
    case 10: {
      const p = path();
      const length = int(rnd, 30);
      return { what: `truncate ${p} ${length}`, outcomes: on((_, at) => call(fs, "truncate", at(p), length)) };
    }
    case 11:
      return withStream("fstat", (s) => {
        const st = call(fs, "fstat", s.fd) as { mode: number; size: number };
        return (st.mode & 0o170000) === 0o040000 ? [st.mode] : [st.mode, st.size];
      });
    case 12: {
      const p = path();
      return {
        what: `lstat ${p}`,
        outcomes: on((_, at) => {
          const st = call(fs, "lstat", at(p)) as { mode: number; size: number };
          return (st.mode & 0o170000) === 0o040000 ? [st.mode] : [st.mode, st.size];
        }),
      };
    }
    case 13:
    case 14: {
      const from = path();
      const to = path();
      // the overlay first: where it refuses (EXDEV), the plain side is not renamed either
      const [plain, overlay] = sides.map((side) => () => outcome(() => call(fs, "rename", `${side.mountpoint}/${from}`, `${side.mountpoint}/${to}`)));
      const overlaid = overlay!();
      if (overlaid === "errno 75") return null;
      const outcomes: [string, string] = [plain!(), overlaid];
      return { what: `rename ${from} ${to}`, outcomes };
    }
    case 15: {
      const p = path();
      return { what: `unlink ${p}`, outcomes: on((_, at) => call(fs, "unlink", at(p))) };
    }
    case 16: {
      const p = path();
      return { what: `mkdir ${p}`, outcomes: on((_, at) => call(fs, "mkdir", at(p))) };
    }
    case 17: {
      const p = path();
      return { what: `rmdir ${p}`, outcomes: on((_, at) => call(fs, "rmdir", at(p))) };
    }
    case 18: {
      const p = path();
      const mode = pick(rnd, [0o600, 0o644, 0o755]);
      if (rnd() < 0.5) return { what: `chmod ${p} ${mode.toString(8)}`, outcomes: on((_, at) => call(fs, "chmod", at(p), mode)) };
      return withStream(`fchmod ${mode.toString(8)}`, (s) => call(fs, "fchmod", s.fd, mode));
    }
    case 19: {
      const p = path();
      const target = pick(rnd, NAMES);
      if (rnd() < 0.5) return { what: `symlink ${target} ${p}`, outcomes: on((_, at) => call(fs, "symlink", target, at(p))) };
      return { what: `readlink ${p}`, outcomes: on((_, at) => call(fs, "readlink", at(p))) };
    }
    case 20: {
      const p = path();
      if (rnd() < 0.5) {
        const data = bytes(int(rnd, 30));
        return { what: `writeFile ${p} ${data.length}`, outcomes: on((_, at) => call(fs, "writeFile", at(p), data)) };
      }
      return { what: `readdir ${p}`, outcomes: on((_, at) => (call(fs, "readdir", at(p)) as string[]).sort()) };
    }
    default: {
      const length = 1 + int(rnd, 20);
      const position = int(rnd, 20);
      const data = bytes(length);
      // a shared writable mapping, changed and written back (PROT_READ|PROT_WRITE, MAP_SHARED)
      return withStream(`mmap ${length} at ${position}`, (s) => {
        const { ptr } = call(fs, "mmap", s, length, position, 3, 1) as { ptr: number };
        const before = Buffer.from(mod.HEAPU8.subarray(ptr, ptr + length)).toString();
        mod.HEAPU8.set(data, ptr);
        call(fs, "msync", s, mod.HEAPU8.subarray(ptr, ptr + length), position, length, 0);
        return before;
      });
    }
  }
}

describe("files: overlay mounts against plain copies", () => {
  let pg: PGlite;
  let lower: string;
  let before: string;
  let mounts = 0;
  beforeAll(async () => {
    lower = fileLower();
    before = treeFingerprint(lower);
    pg = await createPGlite(null);
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
  });

  for (const seed of FILE_SEEDS) {
    test(`seed ${seed}`, () => {
      const mod = (pg as unknown as { Module: EmModule }).Module;
      const fs = mod.FS;
      const rnd = prng(seed * 7919);
      // two overlays on the one shared layer at once, each against its own copy
      const pairs = [0, 1].map(() => {
        const n = ++mounts;
        const upper = newDir("upper");
        mkdirSync(upper);
        const sides: [Side, Side] = [
          { mountpoint: `/plain-${n}`, streams: [] },
          { mountpoint: `/overlay-${n}`, streams: [] },
        ];
        fs.mkdir(sides[0].mountpoint);
        fs.mkdir(sides[1].mountpoint);
        const copy = copyOf(lower);
        fs.mount(mod.NODEFS, { root: copy }, sides[0].mountpoint);
        fs.mount(overlayFileSystem(mod as never, lower, upper), {}, sides[1].mountpoint);
        return { sides, upper, copy, history: [] as string[] };
      });
      let step = 0;
      try {
        for (; step < FILE_STEPS; step++) {
          const pair = pick(rnd, pairs);
          const done = fileStep(rnd, mod, pair.sides);
          if (done === null) continue;
          pair.history.push(`${step}: ${done.what} -> ${done.outcomes[1]}`);
          const trees = pair.sides.map((side) => emTree(fs, side.mountpoint));
          if (done.outcomes[0] !== done.outcomes[1] || JSON.stringify(trees[0]) !== JSON.stringify(trees[1])) {
            // the calls on this pair so far, to replay the failure
            console.error(`seed ${seed}, overlay ${pair.sides[1].mountpoint}:\n${pair.history.join("\n")}`);
            const context = `seed ${seed} step ${step}: ${done.what} (plain vs overlay)`;
            expect([context, done.outcomes[1]]).toEqual([context, done.outcomes[0]]);
            expect([context, trees[1]]).toEqual([context, trees[0]]);
          }
        }
      } finally {
        for (const { sides } of pairs) {
          for (const side of sides) {
            for (const s of side.streams) if (s !== null && (s as { fd: number | null }).fd !== null) outcome(() => call(fs, "close", s));
            fs.unmount(side.mountpoint);
          }
        }
        for (const { upper, copy } of pairs) for (const dir of [upper, copy]) rmSync(dir, { recursive: true, force: true });
      }
      expect(`seed ${seed}: ${treeFingerprint(lower) === before ? "shared layer unchanged" : "shared layer WRITTEN"}`).toBe(`seed ${seed}: shared layer unchanged`);
    }, 120_000);
  }
});

// ---------------------------------------------------------------- SQL

const TABLES = ["t0", "t1", "t2", "t3", "t4"];
const DATABASES = ["extra", "db1", "db2"];
const columns = "(id int PRIMARY KEY, v text, n bigint DEFAULT nextval('s'))";
/** A value stored out of line in TOAST (9,600 hex digits that barely compress), from g. */
const toasted = (g: string) => `(SELECT string_agg(md5((${g} * 1000 + k)::text), '') FROM generate_series(1, 300) k)`;

/** The SQL shared layer: tables with indexes, toasted values, a sequence, a materialised view, a second database. */
async function sqlLower(): Promise<string> {
  const dir = newDir("sql-lower");
  const db = await openPglite(dir, "pglite:lower");
  try {
    await db.execute(`
      CREATE SEQUENCE s START 1000;
      CREATE TABLE t0 ${columns};
      INSERT INTO t0 (id, v) SELECT g, 'v' || g FROM generate_series(1, 3000) g;
      CREATE INDEX t0_v ON t0 (left(v, 20));
      CREATE TABLE t1 ${columns};
      INSERT INTO t1 (id, v) SELECT g, ${toasted("g")} FROM generate_series(1, 40) g;
      CREATE TABLE t2 ${columns};
      INSERT INTO t2 (id, v) SELECT g, (g % 7)::text FROM generate_series(1, 500) g;
      CREATE MATERIALIZED VIEW mv AS SELECT v, count(*) AS c FROM t2 GROUP BY v;
    `);
    await db.execute("CREATE DATABASE extra TEMPLATE postgres");
    await db.execute("CHECKPOINT");
  } finally {
    await db.close();
  }
  return dir;
}

/** One random statement (or a transaction of a few) for the SQL workload. */
function statement(rnd: Rnd, depth = 0): string {
  const t = pick(rnd, TABLES);
  const m = 2 + int(rnd, 6);
  const r = int(rnd, m);
  const from = 1 + int(rnd, 4000);
  const to = from + int(rnd, rnd() < 0.2 ? 2000 : 50);
  const kind = int(rnd, depth > 0 ? 12 : 30);
  switch (kind) {
    case 0:
    case 1:
    case 2:
      return `INSERT INTO ${t} (id, v) SELECT g, 'i' || g FROM generate_series(${from}, ${to}) g ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v || 'c'`;
    case 3:
      return `INSERT INTO ${t} (id, v) SELECT g, ${toasted("g")} FROM generate_series(${from}, ${from + int(rnd, 20)}) g ON CONFLICT (id) DO NOTHING`;
    case 4:
      return `UPDATE ${t} SET v = v || 'u' WHERE id % ${m} = ${r}`;
    case 5:
      return `UPDATE ${t} SET v = ${toasted("id")} WHERE id % ${m * 10} = ${r}`;
    case 6:
    case 7:
      return `DELETE FROM ${t} WHERE id % ${m} = ${r}`;
    case 8:
      return `SELECT nextval('s') AS n`;
    case 9:
      return `SELECT count(*)::int AS n, max(length(v)) AS l FROM ${t}`;
    case 10:
      return `CREATE TABLE IF NOT EXISTS ${t} ${columns}`;
    case 11:
      return pick(rnd, [`CREATE INDEX IF NOT EXISTS ${t}_v ON ${t} (left(v, 20))`, `CREATE INDEX IF NOT EXISTS ${t}_n ON ${t} (n DESC)`, `DROP INDEX IF EXISTS ${t}_v`]);
    case 12:
      return `DROP TABLE IF EXISTS ${t}`;
    case 13:
      return `TRUNCATE ${t}`;
    case 14:
      return pick(rnd, [`VACUUM FULL ${t}`, `VACUUM ${t}`, "VACUUM", "VACUUM FULL pg_class", "VACUUM FULL pg_database", "ANALYZE"]);
    case 15:
      return `CLUSTER ${t} USING ${t}_pkey`;
    case 16:
      return pick(rnd, [`REINDEX TABLE ${t}`, `REINDEX INDEX ${t}_pkey`, "REINDEX SYSTEM"]);
    case 17:
      return pick(rnd, [
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS c bigint DEFAULT nextval('s')`,
        `ALTER TABLE ${t} DROP COLUMN IF EXISTS c`,
        `ALTER TABLE ${t} ALTER COLUMN n TYPE ${pick(rnd, ["numeric", "bigint", "text"])} USING n::text::${pick(rnd, ["numeric", "bigint"])}`,
      ]);
    case 18:
    case 27:
      // a checkpoint after a switch removes or recycles (renames) the shared layer's WAL segments
      return pick(rnd, ["CHECKPOINT", "SELECT pg_switch_wal() IS NOT NULL AS switched", "SELECT pg_switch_wal(); CHECKPOINT"]);
    case 19:
      return pick(rnd, [`SELECT setval('s', ${from})`, `ALTER SEQUENCE s RESTART WITH ${from}`, "CREATE SEQUENCE IF NOT EXISTS s2", "DROP SEQUENCE IF EXISTS s2", "SELECT nextval('s2') AS n"]);
    case 20:
      return pick(rnd, [
        `CREATE TEMP TABLE IF NOT EXISTS tmp AS SELECT * FROM ${t} WHERE id % ${m} = ${r}`,
        `INSERT INTO tmp SELECT * FROM ${t} WHERE id % ${m} = ${r}`,
        `INSERT INTO ${t} SELECT id + 5000, v, n FROM tmp ON CONFLICT (id) DO NOTHING`,
        "DROP TABLE IF EXISTS tmp",
      ]);
    case 21:
    case 22: {
      const body = Array.from({ length: 1 + int(rnd, 3) }, () => statement(rnd, depth + 1));
      return `BEGIN; ${body.join("; ")}; ${rnd() < 0.5 ? "ROLLBACK" : "COMMIT"}`;
    }
    case 23:
      return "REFRESH MATERIALIZED VIEW mv";
    case 24: {
      const name = pick(rnd, DATABASES);
      return rnd() < 0.5 ? `DROP DATABASE IF EXISTS ${name}` : `CREATE DATABASE ${name} TEMPLATE postgres${rnd() < 0.5 ? " STRATEGY FILE_COPY" : ""}`;
    }
    case 25:
    case 26:
      return `CREATE TABLE ${t} (LIKE t0 INCLUDING ALL); INSERT INTO ${t} SELECT * FROM t0 WHERE id % ${m} = ${r}`;
    default:
      return `INSERT INTO ${t} (id, v) SELECT g, repeat('x', ${int(rnd, 3000)}) FROM generate_series(${from}, ${from + int(rnd, 300)}) g ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v`;
  }
}

/** What a statement did: its rows, or its error message (after which any transaction it left open is rolled back). */
async function run(db: Engine, sql: string): Promise<string> {
  try {
    if (sql.includes(";")) return String(await db.execute(sql).then(() => "done"));
    return JSON.stringify(await db.query(sql));
  } catch (error) {
    await db.execute("ROLLBACK").catch(() => {});
    return `error: ${(error as Error).message}`;
  }
}

/**
 * A database's state as PostgreSQL reports it: every relation with its file
 * (and the size of those not in the catalog schemas), the columns and
 * indexes of the tables, the sequences, the databases, every table's rows
 * (read once by the heap and once through the primary key), and the files
 * PostgreSQL lists in its data dir, with their sizes.
 */
async function sqlFingerprint(db: Engine): Promise<string[]> {
  const lines: string[] = [];
  const rows = async (sql: string) => {
    for (const row of await db.query(sql)) lines.push(JSON.stringify(row));
  };
  await rows("SELECT relname, relkind, relfilenode FROM pg_class ORDER BY relname, relkind, relfilenode");
  // sizes as PostgreSQL's storage manager sees them through its descriptors (the catalogs' are in the file listing below)
  await rows("SELECT relname, pg_relation_size(oid) AS size FROM pg_class WHERE relnamespace <> 'pg_catalog'::regnamespace AND relnamespace <> 'information_schema'::regnamespace ORDER BY relname, relfilenode");
  await rows(`SELECT attrelid::regclass::text AS rel, attname, atttypid::regtype::text AS type, attnum FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace, 'pg_toast'::regnamespace) AND attnum > 0 ORDER BY 1, attnum`);
  await rows("SELECT schemaname, indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog') ORDER BY 1, 2");
  await rows("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1");
  await rows("SELECT datname FROM pg_database ORDER BY 1");
  const tables = await db.query<{ name: string }>("SELECT c.oid::regclass::text AS name FROM pg_class c WHERE c.relkind IN ('r', 'm') AND c.relnamespace <> 'pg_catalog'::regnamespace AND c.relnamespace <> 'information_schema'::regnamespace ORDER BY 1");
  for (const { name } of tables) {
    await rows(`SELECT '${name}' AS t, count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${name} x`);
  }
  await db.execute("SET enable_seqscan = off; SET enable_bitmapscan = off");
  try {
    for (const { name } of tables) {
      if (name !== "mv") await rows(`SELECT '${name} by key' AS t, md5(coalesce(string_agg(id::text || ':' || md5(coalesce(v, '')), ',' ORDER BY id), '')) AS h FROM ${name} WHERE id > -1`);
    }
  } finally {
    await db.execute("RESET enable_seqscan; RESET enable_bitmapscan");
  }
  // (a directory's own size is the file system's business)
  await rows(`SELECT d, f, CASE WHEN st.isdir THEN 'dir' ELSE st.size::text END AS size
    FROM (SELECT unnest(ARRAY['base', 'global', 'pg_wal', 'base/' || (SELECT oid FROM pg_database WHERE datname = current_database())]) AS d) dirs,
    pg_ls_dir(d) f, pg_stat_file(d || '/' || f) st ORDER BY 1, 2`);
  return lines;
}

describe("SQL: databases through the overlay against databases on copies", () => {
  let lower: string;
  let before: string;
  beforeAll(async () => {
    lower = await sqlLower();
    before = treeFingerprint(lower);
  }, 120_000);

  for (const seed of SQL_SEEDS) {
    test(`seed ${seed}`, async () => {
      const rnd = prng(seed * 104_729);
      const uppers: string[] = [];
      const copies: string[] = [];
      const pairs: { overlay: Engine; plain: Engine; history: string[] }[] = [];
      try {
        // two of each at once on the one shared layer
        for (let i = 0; i < 2; i++) {
          const upper = newDir("sql-upper");
          uppers.push(upper);
          const overlay = await openPglite(null, "pglite:overlay", { pglite: { fs: new OverlayNodeFS(lower, upper, () => rmSync(upper, { recursive: true, force: true })) } });
          copies.push(copyOf(lower));
          const plain = await openPglite(copies.at(-1)!, "pglite:plain");
          pairs.push({ overlay, plain, history: [] });
        }
        for (let step = 0; step < SQL_STEPS; step++) {
          const pair = pick(rnd, pairs);
          const sql = statement(rnd);
          const outcomes: [string, string] = [await run(pair.plain, sql), await run(pair.overlay, sql)];
          pair.history.push(`${step}: ${sql} -> ${outcomes[1].slice(0, 200)}`);
          const prints = [await sqlFingerprint(pair.plain), await sqlFingerprint(pair.overlay)];
          if (outcomes[0] !== outcomes[1] || JSON.stringify(prints[0]) !== JSON.stringify(prints[1])) {
            console.error(`seed ${seed}, database ${pairs.indexOf(pair)}:\n${pair.history.join("\n")}`);
            const context = `seed ${seed} step ${step}: ${sql} (plain vs overlay)`;
            expect([context, outcomes[1]]).toEqual([context, outcomes[0]]);
            expect([context, prints[1]]).toEqual([context, prints[0]]);
          }
        }
      } finally {
        for (const { overlay, plain } of pairs) {
          await overlay.close();
          await plain.close();
        }
        for (const copy of copies) rmSync(copy, { recursive: true, force: true });
      }
      expect(uppers.filter((upper) => existsSync(upper)).map((upper) => `seed ${seed}: ${upper} left after close`)).toEqual([]);
      expect(`seed ${seed}: ${treeFingerprint(lower) === before ? "shared layer unchanged" : "shared layer WRITTEN"}`).toBe(`seed ${seed}: shared layer unchanged`);
    }, 600_000);
  }
});
