import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { freshPgliteOptions, pgliteAssets, pgliteStartOptions } from "../../src/embedded/pglite.ts";
import { cachedSnapshot, checkpointSegmentSuffix, WAL_SEGMENT_BYTES } from "../../src/embedded/snapshot.ts";
import { isNewDataDir, materialiseSnapshot } from "../../src/embedded/unpack.ts";
import { EPHEMERAL_ROOT, EphemeralNodeFS, ephemeralDataDir, ephemeralRoot, sweepEphemeralDirs } from "../../src/embedded/ephemeral.ts";

const scratch = join(process.env.RETORT_TEST_TMP ?? "/tmp", `snapshot-${crypto.randomUUID()}`);
const dir = (name: string) => join(scratch, name);

describe("the data dir snapshot", () => {
  test("is a gzipped tar of an initialised PostgreSQL data dir", async () => {
    const bytes = await cachedSnapshot();
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const files = await new Bun.Archive(bytes).files();
    const names = [...files.keys()].map((name) => name.replace(/^\.?\//, ""));
    expect(names).toContain("PG_VERSION");
    expect((await files.get([...files.keys()].find((n) => n.endsWith("PG_VERSION"))!)!.text()).trim()).toBe("18");
    // WAL segments travel trimmed to their records; unpacking restores their size
    const wal = [...files.entries()].filter(([name]) => /pg_wal\/[0-9A-F]{24}$/.test(name));
    expect(wal.length).toBeGreaterThan(0);
    for (const [, file] of wal) expect(file.size).toBeLessThan(WAL_SEGMENT_BYTES);
    // only the checkpoint's segment travels, and it is a small one: a new database writes ~9 MB, not ~31 MB
    expect(wal).toHaveLength(1);
    expect(WAL_SEGMENT_BYTES).toBe(1024 * 1024);
    expect(checkpointSegmentSuffix(new Uint8Array(await files.get([...files.keys()].find((n) => n.endsWith("global/pg_control"))!)!.arrayBuffer()))).toBe(wal[0]![0].slice(-16));
  });

  test("a database made from it holds one database, keeps few WAL segments ahead, and works", async () => {
    const target = dir("one-db");
    await materialiseSnapshot(await cachedSnapshot(), target);
    const { PGlite } = await import("@electric-sql/pglite");
    const db = await PGlite.create({ dataDir: target });
    try {
      expect((await db.query<{ datname: string }>("select datname from pg_database")).rows.map((r) => r.datname)).toEqual(["postgres"]);
      expect((await db.query<{ min_wal_size: string }>("show min_wal_size")).rows[0]!.min_wal_size).toBe("2MB");
      await db.exec("create table t as select g, repeat('x', 200) as pad from generate_series(1, 20000) g; checkpoint; drop table t; checkpoint");
    } finally {
      await db.close();
    }
    // ~5 MB of WAL written: what stays is in the order of that, not 80 MB (PostgreSQL's default min_wal_size)
    const segments = readdirSync(join(target, "pg_wal")).filter((name) => /^[0-9A-F]{24}$/.test(name));
    expect(segments.length * WAL_SEGMENT_BYTES).toBeLessThanOrEqual(12 * 1024 * 1024);
  });

  test.each([
    ["a directory that does not exist", () => dir("missing/db"), true],
    ["an empty directory", () => (mkdirSync(dir("empty"), { recursive: true }), dir("empty")), true],
  ])("is unpacked into %s", async (_name, make, expected) => {
    const target = make();
    expect(isNewDataDir(target)).toBe(true);
    expect(await materialiseSnapshot(await cachedSnapshot(), target)).toBe(expected);
    expect(readFileSync(join(target, "PG_VERSION"), "utf8").trim()).toBe("18");
    const wal = readdirSync(join(target, "pg_wal")).filter((name) => /^[0-9A-F]{24}$/.test(name));
    expect(wal.length).toBeGreaterThan(0);
    for (const name of wal) expect(statSync(join(target, "pg_wal", name)).size).toBe(WAL_SEGMENT_BYTES);
    expect(readdirSync(dirname(target)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  test("unpacked into an existing directory keeps that directory itself (a mount point, chosen permissions)", async () => {
    const target = dir("kept");
    mkdirSync(target, { recursive: true, mode: 0o750 });
    const before = statSync(target);
    expect(await materialiseSnapshot(await cachedSnapshot(), target)).toBe(true);
    const after = statSync(target);
    expect([after.ino, after.mode]).toEqual([before.ino, before.mode]);
    expect(existsSync(join(target, "PG_VERSION"))).toBe(true);
  });

  test("sweeps a half-unpacked copy left beside the target by a killed run, and only that", async () => {
    const target = dir("swept/db");
    const stale = dir("swept/db.999999999.0123abcd.tmp");
    const unrelated = dir("swept/db.backup");
    for (const d of [stale, unrelated]) mkdirSync(d, { recursive: true });
    expect(await materialiseSnapshot(await cachedSnapshot(), target)).toBe(true);
    expect(readdirSync(dir("swept")).sort()).toEqual(["db", "db.backup"]);
  });

  test("never touches a directory that already holds something", async () => {
    const target = dir("busy");
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, "notes.txt"), "mine");
    expect(await materialiseSnapshot(await cachedSnapshot(), target)).toBe(false);
    expect(readdirSync(target)).toEqual(["notes.txt"]);
  });

  test("unpacked by two runs at once, yields one database and no leftovers", async () => {
    const target = dir("race/db");
    const snapshot = await cachedSnapshot();
    const results = await Promise.all([materialiseSnapshot(snapshot, target), materialiseSnapshot(snapshot, target)]);
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(target, "PG_VERSION"))).toBe(true);
    expect(readdirSync(dir("race"))).toEqual(["db"]);
  });
});

describe("PGlite start options", () => {
  test("from source there are no embedded assets: PGlite loads its own files", async () => {
    expect(await pgliteAssets()).toEqual({});
  });

  test("a fresh in-memory database starts from the snapshot on tmpfs, with a 32MB buffer pool, and leaves nothing behind", async () => {
    const options = await freshPgliteOptions();
    expect(options.fs).toBeInstanceOf(EphemeralNodeFS);
    const root = (options.fs as unknown as { rootDir: string }).rootDir;
    expect(root.startsWith(`${EPHEMERAL_ROOT}/retort-mem-${process.pid}-`)).toBe(true);
    expect(options.loadDataDir).toBeUndefined();
    const db = await PGlite.create(options);
    try {
      const rows = (await db.query<{ v: string; b: string }>("select current_setting('server_version_num') as v, current_setting('shared_buffers') as b")).rows;
      expect(Number(rows[0]?.v)).toBeGreaterThanOrEqual(180000);
      expect(rows[0]?.b).toBe("32MB");
      expect(existsSync(join(root, "PG_VERSION"))).toBe(true);
    } finally {
      await db.close();
    }
    expect(existsSync(root)).toBe(false);
  });

  test("a new directory database is unpacked, then opened as it is on the next run", async () => {
    const target = dir("persisted/db");
    const first = await PGlite.create({ ...(await pgliteStartOptions(target)), dataDir: target });
    await first.exec("CREATE TABLE kept (id int); INSERT INTO kept VALUES (42);");
    await first.close();
    const options = await pgliteStartOptions(target);
    expect(options.loadDataDir).toBeUndefined();
    const second = await PGlite.create({ ...options, dataDir: target });
    try {
      expect((await second.query<{ id: number }>("select id from kept")).rows).toEqual([{ id: 42 }]);
    } finally {
      await second.close();
    }
  });
});

describe("ephemeral data dirs for in-memory databases", () => {
  test("live on tmpfs when it has room, else in the OS temp dir", () => {
    expect([EPHEMERAL_ROOT, tmpdir()]).toContain(ephemeralRoot());
  });

  test("are named after the process that owns them, so a sweep can tell whose they are", () => {
    const root = dir("owned");
    mkdirSync(root, { recursive: true });
    const made = ephemeralDataDir(root);
    expect(made.startsWith(join(root, `retort-mem-${process.pid}-`))).toBe(true);
    expect(readdirSync(made)).toEqual([]);
  });

  test("left behind by a dead process are swept, while a live process's are kept", () => {
    const root = dir("shm");
    const dead = join(root, "retort-mem-999999999-abc");
    const live = join(root, `retort-mem-${process.pid}-abc`);
    const other = join(root, "someone-else");
    for (const d of [dead, live, other]) mkdirSync(d, { recursive: true });
    sweepEphemeralDirs(root);
    expect(readdirSync(root).sort()).toEqual([`retort-mem-${process.pid}-abc`, "someone-else"]);
  });
});
