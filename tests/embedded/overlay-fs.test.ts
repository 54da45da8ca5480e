/**
 * The copy-on-write data dir (src/embedded/overlay-fs.ts): every change
 * lands in the database's own layer, the shared one is never written, and
 * two databases on one shared layer never see each other's changes. Checked
 * through PGlite's own file system calls (the table of cases) and through a
 * real PostgreSQL workload that rewrites, drops and creates files.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { closeSync, existsSync, ftruncateSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { createPGlite, openPglite } from "../../src/drivers/pglite.ts";
import type { Engine } from "../../src/drivers/engine.ts";
import { copySparse, OverlayNodeFS } from "../../src/embedded/overlay-fs.ts";
import { tempDir } from "../helpers/cli.ts";

const root = tempDir("overlay-");
const lower = join(root, "lower");
let before = "";

/** Every file under dir with its mode, size and content hash: what "never written" is checked against. */
function fingerprint(dir: string): string {
  const lines: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(dir, rel, name);
      const st = lstatSync(path);
      if (st.isDirectory()) {
        lines.push(`${rel}/${name}/ ${st.mode}`);
        walk(`${rel}/${name}`);
      } else {
        lines.push(`${rel}/${name} ${st.mode} ${st.size} ${createHash("sha1").update(readFileSync(path)).digest("hex")}`);
      }
    }
  };
  walk("");
  return lines.join("\n");
}

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
  before = fingerprint(lower);
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

let uppers = 0;
/** A PGlite on lower through a new upper layer; the layer's directory is removed at close. */
async function overlay(): Promise<{ pg: PGlite; upper: string }> {
  const upper = join(root, `upper-${++uppers}`);
  const pg = await createPGlite(null, { fs: new OverlayNodeFS(lower, upper, () => rmSync(upper, { recursive: true, force: true })) });
  return { pg, upper };
}

// Emscripten's FS API on the PGlite instance (untyped by PGlite)
type EmFS = {
  readFile(path: string, opts: { encoding: "utf8" }): string;
  writeFile(path: string, data: string): void;
  open(path: string, flags: string): unknown;
  write(stream: unknown, data: Uint8Array, offset: number, length: number, position: number): number;
  read(stream: unknown, data: Uint8Array, offset: number, length: number, position: number): number;
  close(stream: unknown): void;
  unlink(path: string): void;
  rename(from: string, to: string): void;
  mkdir(path: string): void;
  rmdir(path: string): void;
  readdir(path: string): string[];
  analyzePath(path: string): { exists: boolean };
};
const T = "/pglite/data/t";
const listing = (fs: EmFS, path: string) => fs.readdir(path).filter((n) => n !== "." && n !== "..").sort();
const text = (s: string) => new TextEncoder().encode(s);

describe("the overlay file system", () => {
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
        expect(listing(fs, T)).toEqual(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "full", "new.txt"]);
      },
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { pg, upper } = await overlay();
      try {
        c.run((pg as unknown as { Module: { FS: EmFS } }).Module.FS, upper);
      } finally {
        await pg.close();
      }
      expect(existsSync(upper)).toBe(false);
      expect(fingerprint(lower)).toBe(before);
    }, 30_000);
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
