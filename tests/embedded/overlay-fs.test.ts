/**
 * The copy-on-write data dir (src/embedded/overlay-fs.ts): every change
 * lands in the database's own layer, the shared one is never written, and
 * two databases on one shared layer never see each other's changes. Checked
 * through PGlite's own file system calls on an overlay mounted beside
 * PGlite's data dir (the table of cases) and through a real PostgreSQL
 * workload that rewrites, drops and creates files. The random differential
 * search is tests/embedded/overlay-random.slow.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { createPGlite, openPglite } from "../../src/drivers/pglite.ts";
import type { Engine } from "../../src/drivers/engine.ts";
import { copySparse, OverlayNodeFS, overlayFileSystem } from "../../src/embedded/overlay-fs.ts";
import { tempDir } from "../helpers/cli.ts";
import { treeFingerprint as fingerprint } from "../helpers/tree.ts";

const root = tempDir("overlay-");
const lower = join(root, "lower");
let before = "";

beforeAll(async () => {
  const db = await openPglite(lower, "pglite:lower");
  await db.execute(`
    CREATE TABLE big (id int PRIMARY KEY, v text NOT NULL);
    INSERT INTO big SELECT g, 'value ' || g FROM generate_series(1, 5000) g;
    CREATE INDEX big_v ON big (v);
    CREATE TABLE small (id int PRIMARY KEY);
    INSERT INTO small VALUES (1), (2), (3);
  `);
  await db.close();
  // files PostgreSQL never looks at, for the file-level cases
  mkdirSync(join(lower, "t", "full"), { recursive: true });
  for (const name of ["a", "b", "c", "d", "e"]) writeFileSync(join(lower, "t", `${name}.txt`), `lower ${name}`);
  writeFileSync(join(lower, "t", "full", "x.txt"), "x");
  symlinkSync("a.txt", join(lower, "t", "link"));
  before = fingerprint(lower);
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

let uppers = 0;

// Emscripten's FS API on the PGlite instance (untyped by PGlite)
type Stream = { fd: number };
type Stat = { mode: number; size: number };
type EmFS = {
  readFile(path: string, opts: { encoding: "utf8" }): string;
  writeFile(path: string, data: string): void;
  open(path: string, flags: string): Stream;
  dupStream(stream: Stream): Stream;
  write(stream: Stream, data: Uint8Array, offset: number, length: number, position: number): number;
  read(stream: Stream, data: Uint8Array, offset: number, length: number, position: number): number;
  close(stream: Stream): void;
  fstat(fd: number): Stat;
  stat(path: string): Stat;
  lstat(path: string): Stat;
  fchmod(fd: number, mode: number): void;
  readlink(path: string): string;
  unlink(path: string): void;
  rename(from: string, to: string): void;
  mkdir(path: string): void;
  rmdir(path: string): void;
  readdir(path: string): string[];
  analyzePath(path: string): { exists: boolean };
  mount(type: unknown, opts: unknown, mountpoint: string): void;
  unmount(mountpoint: string): void;
};
/** Where each case mounts the overlay (on lower, through a new upper layer), and the lower files it plays with. */
const MOUNT = "/overlay";
const T = `${MOUNT}/t`;
const listing = (fs: EmFS, path: string) => fs.readdir(path).filter((n) => n !== "." && n !== "..").sort();
const text = (s: string) => new TextEncoder().encode(s);

describe("the overlay file system", () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = await createPGlite(null);
    (pg as unknown as { Module: { FS: EmFS } }).Module.FS.mkdir(MOUNT);
  }, 30_000);
  afterAll(async () => {
    await pg?.close();
  });

  const cases: { name: string; run(fs: EmFS, upper: string): void }[] = [
    {
      name: "a file opened for writing but not written is not copied",
      run(fs, upper) {
        fs.close(fs.open(`${T}/a.txt`, "r+"));
        expect(fs.readFile(`${T}/a.txt`, { encoding: "utf8" })).toBe("lower a");
        expect(existsSync(join(upper, "t", "a.txt"))).toBe(false);
      },
    },
    {
      name: "the first write copies the file up; every open stream then reads the copy",
      run(fs, upper) {
        const writer = fs.open(`${T}/a.txt`, "r+");
        const reader = fs.open(`${T}/a.txt`, "r+");
        fs.write(writer, text("UP"), 0, 2, 0);
        const buffer = new Uint8Array(7);
        fs.read(reader, buffer, 0, 7, 0);
        fs.close(writer);
        fs.close(reader);
        expect(new TextDecoder().decode(buffer)).toBe("UPwer a");
        expect(readFileSync(join(upper, "t", "a.txt"), "utf8")).toBe("UPwer a");
      },
    },
    {
      name: "a deleted file is gone from look-ups and listings",
      run(fs) {
        fs.unlink(`${T}/b.txt`);
        expect(fs.analyzePath(`${T}/b.txt`).exists).toBe(false);
        expect(listing(fs, T)).not.toContain("b.txt");
        expect(() => fs.unlink(`${T}/b.txt`)).toThrow();
      },
    },
    {
      name: "a file made where a deleted one was has only the new content and is listed once",
      run(fs) {
        fs.unlink(`${T}/b.txt`);
        fs.writeFile(`${T}/b.txt`, "new b");
        expect(fs.readFile(`${T}/b.txt`, { encoding: "utf8" })).toBe("new b");
        expect(listing(fs, T).filter((n) => n === "b.txt")).toHaveLength(1);
      },
    },
    {
      name: "a rename moves the content and hides the old name",
      run(fs) {
        fs.rename(`${T}/c.txt`, `${T}/renamed.txt`);
        expect(fs.readFile(`${T}/renamed.txt`, { encoding: "utf8" })).toBe("lower c");
        expect(fs.analyzePath(`${T}/c.txt`).exists).toBe(false);
        expect(listing(fs, T)).toContain("renamed.txt");
      },
    },
    {
      name: "a rename over a lower file replaces it",
      run(fs) {
        fs.writeFile(`${T}/tmp.txt`, "replacement");
        fs.rename(`${T}/tmp.txt`, `${T}/d.txt`);
        expect(fs.readFile(`${T}/d.txt`, { encoding: "utf8" })).toBe("replacement");
        expect(listing(fs, T).filter((n) => n === "d.txt" || n === "tmp.txt")).toEqual(["d.txt"]);
      },
    },
    {
      name: "opening with truncation empties the file without copying its content",
      run(fs, upper) {
        fs.close(fs.open(`${T}/e.txt`, "w"));
        expect(fs.readFile(`${T}/e.txt`, { encoding: "utf8" })).toBe("");
        expect(statSync(join(upper, "t", "e.txt")).size).toBe(0);
      },
    },
    {
      name: "a directory with files is not removed; emptied, it is; made again, it is empty",
      run(fs) {
        expect(() => fs.rmdir(`${T}/full`)).toThrow();
        fs.unlink(`${T}/full/x.txt`);
        fs.rmdir(`${T}/full`);
        expect(fs.analyzePath(`${T}/full`).exists).toBe(false);
        fs.mkdir(`${T}/full`);
        expect(listing(fs, `${T}/full`)).toEqual([]);
        expect(fs.analyzePath(`${T}/full/x.txt`).exists).toBe(false);
      },
    },
    {
      name: "a stream writing to a file deleted since it was opened writes a private copy",
      run(fs, upper) {
        const stream = fs.open(`${T}/d.txt`, "r+");
        fs.unlink(`${T}/d.txt`);
        fs.write(stream, text("W"), 0, 1, 0);
        const buffer = new Uint8Array(7);
        fs.read(stream, buffer, 0, 7, 0);
        fs.close(stream);
        expect(new TextDecoder().decode(buffer)).toBe("Wower d");
        expect(fs.analyzePath(`${T}/d.txt`).exists).toBe(false);
        expect(readdirSync(upper).filter((n) => n.startsWith(".retort-orphan"))).toEqual([]);
      },
    },
    {
      name: "a listing merges both layers",
      run(fs) {
        fs.writeFile(`${T}/new.txt`, "n");
        expect(listing(fs, T)).toEqual(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "full", "link", "new.txt"]);
      },
    },
    {
      name: "a dup'ed stream follows its original to the copy (and closes the copy's descriptor)",
      run(fs) {
        const stream = fs.open(`${T}/a.txt`, "r+");
        const dup = fs.dupStream(stream);
        fs.write(stream, text("UP"), 0, 2, 0);
        const buffer = new Uint8Array(7);
        fs.read(dup, buffer, 0, 7, 0);
        fs.close(stream);
        fs.close(dup);
        expect(new TextDecoder().decode(buffer)).toBe("UPwer a");
      },
    },
    {
      name: "a stream opened for reading follows the file to its copy",
      run(fs) {
        const reader = fs.open(`${T}/a.txt`, "r");
        const writer = fs.open(`${T}/a.txt`, "r+");
        fs.write(writer, text("lower a, longer"), 0, 15, 0);
        const buffer = new Uint8Array(15);
        fs.read(reader, buffer, 0, 15, 0);
        const size = fs.fstat(reader.fd).size;
        fs.close(reader);
        fs.close(writer);
        expect([new TextDecoder().decode(buffer), size]).toEqual(["lower a, longer", 15]);
      },
    },
    {
      name: "a stream opened for reading sees another open truncate the file",
      run(fs) {
        const reader = fs.open(`${T}/a.txt`, "r");
        fs.close(fs.open(`${T}/a.txt`, "w"));
        const size = fs.fstat(reader.fd).size;
        fs.close(reader);
        expect(size).toBe(0);
      },
    },
    {
      name: "fchmod through a stream opened for reading changes a copy, not the shared file",
      run(fs, upper) {
        const reader = fs.open(`${T}/a.txt`, "r");
        fs.fchmod(reader.fd, 0o600);
        fs.close(reader);
        expect(fs.stat(`${T}/a.txt`).mode & 0o777).toBe(0o600);
        expect(statSync(join(upper, "t", "a.txt")).mode & 0o777).toBe(0o600);
      },
    },
    {
      name: "fchmod through a directory's stream changes the upper layer's directory, and fstat shows it",
      run(fs) {
        const dir = fs.open(`${T}/full`, "r");
        fs.fchmod(dir.fd, 0o700);
        const mode = fs.fstat(dir.fd).mode & 0o777;
        fs.close(dir);
        expect([mode, fs.stat(`${T}/full`).mode & 0o777]).toEqual([0o700, 0o700]);
      },
    },
    {
      name: "a directory does not replace one that has entries in the lower layer",
      run(fs) {
        fs.mkdir(`${T}/new`);
        expect(() => fs.rename(`${T}/new`, `${T}/full`)).toThrow(expect.objectContaining({ errno: 55 })); // ENOTEMPTY
        expect(listing(fs, `${T}/full`)).toEqual(["x.txt"]);
      },
    },
    {
      name: "a renamed symlink stays a link to the same name",
      run(fs) {
        fs.rename(`${T}/link`, `${T}/moved`);
        expect([fs.lstat(`${T}/moved`).mode & 0o170000, fs.readlink(`${T}/moved`)]).toEqual([0o120000, "a.txt"]);
      },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const mod = (pg as unknown as { Module: { FS: EmFS } }).Module;
      const upper = join(root, `upper-${++uppers}`);
      mkdirSync(upper);
      mod.FS.mount(overlayFileSystem(mod as never, lower, upper), {}, MOUNT);
      try {
        c.run(mod.FS, upper);
      } finally {
        mod.FS.unmount(MOUNT);
        rmSync(upper, { recursive: true, force: true });
      }
      expect(fingerprint(lower)).toBe(before);
    });
  }
});

describe("databases on one shared layer", () => {
  const counts = async (db: Engine) => {
    const [row] = await db.query<{ big: number; small: number; v: string }>(
      "SELECT (SELECT count(*)::int FROM big) AS big, (SELECT count(*)::int FROM small) AS small, (SELECT v FROM big WHERE id = 7) AS v",
    );
    return row;
  };

  test("a workload that rewrites, truncates, drops and creates files changes only its own database", async () => {
    const open = async () => {
      const upper = join(root, `upper-${++uppers}`);
      return openPglite(null, "pglite:overlay", { pglite: { fs: new OverlayNodeFS(lower, upper, () => rmSync(upper, { recursive: true, force: true })) } });
    };
    const a = await open();
    const b = await open();
    try {
      const oldPath = (await a.query<{ path: string }>("SELECT pg_relation_filepath('big') AS path"))[0]!.path;
      await a.execute(`
        UPDATE big SET v = v || ' changed';
        DELETE FROM big WHERE id > 4000;
        INSERT INTO big SELECT g, 'more ' || g FROM generate_series(10001, 12000) g;
        CREATE TABLE added (id int PRIMARY KEY, payload text);
        INSERT INTO added SELECT g, repeat('x', 500) FROM generate_series(1, 2000) g;
        CREATE INDEX added_payload ON added (payload);
        TRUNCATE small;
        DROP TABLE added;
      `);
      await a.execute("REINDEX TABLE big");
      await a.execute("VACUUM FULL big");
      await a.execute("CHECKPOINT");
      // the rewritten table's old file was deleted, and the new one is read through the index and without it
      expect(await a.query("SELECT pg_stat_file($1, true) AS st", [oldPath])).toEqual([{ st: null }]);
      expect(await counts(a)).toEqual({ big: 6000, small: 0, v: "value 7 changed" });
      await a.execute("SET enable_seqscan = off");
      expect(await a.query("SELECT count(*)::int AS n FROM big WHERE v LIKE 'more %'")).toEqual([{ n: 2000 }]);
      // the other database never saw any of it
      expect(await counts(b)).toEqual({ big: 5000, small: 3, v: "value 7" });
    } finally {
      await a.close();
      await b.close();
    }
    expect(fingerprint(lower)).toBe(before);
    const c = await open();
    try {
      expect(await counts(c)).toEqual({ big: 5000, small: 3, v: "value 7" });
    } finally {
      await c.close();
    }
    expect(readdirSync(root).filter((n) => n.startsWith("upper-"))).toEqual([]);
  }, 60_000);
});

test("copySparse copies content and leaves zero runs as holes", () => {
  const from = join(root, "sparse-from");
  const to = join(root, "sparse-to");
  writeFileSync(from, "");
  const fd = openSync(from, "r+");
  writeSync(fd, "head", 0);
  writeSync(fd, "tail", 9 * 1024 * 1024);
  ftruncateSync(fd, 16 * 1024 * 1024);
  closeSync(fd);
  copySparse(from, to);
  expect(readFileSync(to).equals(readFileSync(from))).toBe(true);
  expect(statSync(to).blocks * 512).toBeLessThan(4 * 1024 * 1024);
});
