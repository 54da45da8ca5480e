import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseMissingError, openEngine } from "../../src/drivers/open.ts";
import { PGLITE_MAJOR } from "../../src/drivers/pglite-dir.ts";
import { UNPACK_MARKER } from "../../src/embedded/unpack.ts";
import { DataDirError } from "../../src/errors.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

async function openError(url: string, options: { create?: boolean } = {}): Promise<Error> {
  const result = await openEngine(url, options).then(
    async (engine) => {
      await engine.close();
      return new Error("opened");
    },
    (e: unknown) => e as Error,
  );
  return result;
}

describe("what a pglite:<dir> may hold", () => {
  test("a directory of other files is refused (exit 2) and left exactly as it was", async () => {
    const dir = join(tempDir("pgdir-"), "project");
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(join(dir, "notes.txt"), "mine");
    writeFileSync(join(dir, "retort.toml"), "");
    const error = await openError(`pglite:${dir}`);
    expect(error).toBeInstanceOf(DataDirError);
    expect((error as DataDirError).exitCode).toBe(2);
    expect(error.message).toBe(
      `pglite:${dir} is not empty and is not a PGlite database (no PG_VERSION; it holds notes.txt, retort.toml, src); retort will not create a database among other files: point pglite: at a new or empty directory`,
    );
    expect(readdirSync(dir).sort()).toEqual(["notes.txt", "retort.toml", "src"]);
  });

  test("a PostgreSQL data directory of another major version is refused, saying which", async () => {
    const dir = tempDir("pgdir-");
    writeFileSync(join(dir, "PG_VERSION"), "15\n");
    mkdirSync(join(dir, "base"));
    const error = await openError(`pglite:${dir}`);
    expect(error).toBeInstanceOf(DataDirError);
    expect(error.message).toStartWith(`pglite:${dir} is a PostgreSQL 15 data directory, and PGlite runs PostgreSQL ${PGLITE_MAJOR}: it cannot open it.`);
    expect(readdirSync(dir).sort()).toEqual(["PG_VERSION", "base"]);
  });

  test("a file is refused", async () => {
    const file = join(tempDir("pgdir-"), "db");
    writeFileSync(file, "x");
    const error = await openError(`pglite:${file}`);
    expect(error).toBeInstanceOf(DataDirError);
    expect(error.message).toBe(`pglite:${file} is a file, not a directory: point pglite: at a directory`);
  });

  test("PGLITE_MAJOR is the major version PGlite runs", async () => {
    const engine = await openEngine("pglite:memory");
    try {
      const [row] = await engine.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      expect(row?.v.slice(0, 2)).toBe(PGLITE_MAJOR);
    } finally {
      await engine.close();
    }
  });

  test("a read-only open of a missing or empty directory creates nothing, not even the lock", async () => {
    const parent = tempDir("pgdir-");
    const missing = await openError(`pglite:${join(parent, "typo")}`, { create: false });
    expect(missing).toBeInstanceOf(DatabaseMissingError);
    expect(readdirSync(parent)).toEqual([]);
    mkdirSync(join(parent, "empty"));
    expect(await openError(`pglite:${join(parent, "empty")}`, { create: false })).toBeInstanceOf(DatabaseMissingError);
    expect(readdirSync(join(parent, "empty"))).toEqual([]);
  });

  test("an unpack cut short by a kill is undone and done again at the next open", async () => {
    const dir = tempDir("pgdir-");
    // what a run killed while moving the snapshot in leaves: the marker and some of the entries
    writeFileSync(join(dir, UNPACK_MARKER), JSON.stringify(["base", "global", "PG_VERSION"]));
    mkdirSync(join(dir, "base"));
    writeFileSync(join(dir, "base", "half"), "");
    const engine = await openEngine(`pglite:${dir}`);
    try {
      expect(await engine.query("SELECT count(*) > 0 AS ok FROM pg_class")).toEqual([{ ok: true }]);
    } finally {
      await engine.close();
    }
    expect(existsSync(join(dir, UNPACK_MARKER))).toBe(false);
    expect(existsSync(join(dir, "base", "half"))).toBe(false);
  });
});

describe("pglite:<dir> mistakes on the command line", () => {
  test("current on a directory that does not exist says so on stderr, creates nothing, and reports base", async () => {
    const cwd = tempDir("pgdir-");
    mkdirSync(join(cwd, "migrations", "versions"), { recursive: true });
    const run = await runCli(["current", "--url", "pglite:./tpyo"], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("there is no database at pglite:./tpyo (nothing was created there): reporting base");
    expect(readdirSync(cwd)).toEqual(["migrations"]);
  });

  test("upgrade into a directory of the user's files exits 2 and writes nothing there", async () => {
    const cwd = tempDir("pgdir-");
    mkdirSync(join(cwd, "migrations", "versions"), { recursive: true });
    const run = await runCli(["upgrade", "head", "--url", "pglite:./migrations"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("FAILED: pglite:./migrations is not empty and is not a PGlite database (no PG_VERSION; it holds versions)");
    expect(readdirSync(join(cwd, "migrations"))).toEqual(["versions"]);
  });
});
