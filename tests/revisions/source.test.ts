import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, RevisionFileError } from "../../src/errors.ts";
import { compareFileNames, isRevisionFileName, loadRevisionsFromDir, loadRevisionsFromEntries } from "../../src/revisions/source.ts";

const sql = (id: string, revises = "") => `-- Revision ID: ${id}\n-- Revises: ${revises}\n-- Message: rev ${id}\n\n-- migrate:upgrade\nSELECT 1;\n`;
const ts = (id: string) => `/** rev ${id} */\nexport const revision = "${id}";\nexport const downRevision = null;\nexport function upgrade() {}\n`;

let scratch: string;
/** A fresh directory holding the given files. */
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, "dir-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

beforeAll(() => {
  scratch = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "source-"));
});

describe("isRevisionFileName", () => {
  test.each([
    ["a1_x.sql", true],
    ["a1_x.ts", true],
    ["README.md", false],
    ["a1_x.d.ts", false],
    [".a1_x.sql", false],
    ["a1_x.py", false],
    ["a1_x.sql.bak", false],
    ["__pycache__", false],
  ])("%s -> %p", (name, expected) => {
    expect(isRevisionFileName(name)).toBe(expected);
  });
});

describe("loadRevisionsFromDir", () => {
  test("loads SQL and TypeScript files in byte order of their names, ignoring everything else", async () => {
    const dir = dirWith({
      "b2_second.sql": sql("b2", "a1"),
      "a1_first.sql": sql("a1"),
      "B0_upper.ts": ts("B0"),
      "c3_third.ts": ts("c3"),
      "README.md": "not a revision",
      ".hidden_x.sql": "not even parsed",
      "types.d.ts": "declare const x: number;",
      "e5_broken.py": "not parsed",
    });
    mkdirSync(join(dir, "__pycache__"));
    const revs = await loadRevisionsFromDir(dir);
    expect(revs.map((r) => [r.id, r.format])).toEqual([
      ["B0", "ts"],
      ["a1", "sql"],
      ["b2", "sql"],
      ["c3", "ts"],
    ]);
    expect(revs[3]?.doc).toBe("rev c3");
  });

  test("follows symlinks to files and skips directories that look like revisions", async () => {
    const dir = dirWith({ "a1_first.sql": sql("a1") });
    mkdirSync(join(dir, "b2_directory.sql"));
    const target = join(dirWith({ "c3_elsewhere.sql": sql("c3") }), "c3_elsewhere.sql");
    symlinkSync(target, join(dir, "c3_linked.sql"));
    const revs = await loadRevisionsFromDir(dir);
    expect(revs.map((r) => r.id)).toEqual(["a1", "c3"]);
    expect(revs[1]?.path).toBe(join(dir, "c3_linked.sql"));
  });

  test("an empty directory has no revisions", async () => {
    expect(await loadRevisionsFromDir(dirWith({}))).toEqual([]);
  });

  test("a missing directory is a ConfigError that names it and suggests init or --dir", async () => {
    const missing = join(scratch, "no-such-dir");
    const error = await loadRevisionsFromDir(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`revision directory ${missing} does not exist; run 'retort init' to create it, or point --dir at your revisions`);
  });

  test("a file in place of the directory is a ConfigError too", async () => {
    const file = join(dirWith({ "a1_x.sql": sql("a1") }), "a1_x.sql");
    await expect(loadRevisionsFromDir(file)).rejects.toThrow(`revision directory ${file} is not a directory`);
  });

  test("one bad file fails the whole load with the first error in file-name order and a count of the others", async () => {
    const dir = dirWith({
      "a1_ok.sql": sql("a1"),
      "b2_bad.sql": "-- Revision ID: b2\n-- Revisse: a1\n-- migrate:upgrade\n",
      "c3_bad.ts": 'export const revision = "c3";\nexport const downRevision = null;\n',
      "d4_bad.sql": "-- Revision ID: d4\n",
    });
    const error = await loadRevisionsFromDir(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevisionFileError);
    expect(error).toMatchObject({ file: join(dir, "b2_bad.sql"), line: 2 });
    expect((error as Error).message).toStartWith(`${join(dir, "b2_bad.sql")}:2: unknown header key 'Revisse'`);
    expect((error as Error).message).toEndWith("(and 2 more bad revision files)");
  });

  test("a single bad file is reported exactly as the parser said", async () => {
    const dir = dirWith({ "a1_ok.sql": sql("a1"), "b2_bad.sql": "-- Revision ID: b2\n" });
    await expect(loadRevisionsFromDir(dir)).rejects.toThrow(new RevisionFileError("no '-- migrate:upgrade' section; add one (it may be empty)", join(dir, "b2_bad.sql")));
  });
});

describe("loadRevisionsFromEntries", () => {
  test("parses embedded SQL text and validates embedded modules, in file-name order", () => {
    const upgrade = () => {};
    const revs = loadRevisionsFromEntries([
      { path: "migrations/versions/b2_x.sql", text: sql("b2", "a1") },
      { path: "migrations/versions/README.md", text: "ignored" },
      { path: "migrations/versions/a1_x.ts", text: "/** first */", module: { revision: "a1", downRevision: null, upgrade } },
    ]);
    expect(revs.map((r) => [r.id, r.format, r.doc.split("\n")[0]])).toEqual([
      ["a1", "ts", "first"],
      ["b2", "sql", "rev b2"],
    ]);
  });

  test("orders by file name, not by the folder part of the path", () => {
    const revs = loadRevisionsFromEntries([
      { path: "a/b2_x.sql", text: sql("b2") },
      { path: "z/a1_x.sql", text: sql("a1") },
    ]);
    expect(revs.map((r) => r.id)).toEqual(["a1", "b2"]);
  });

  test.each([
    ["a SQL entry without text", { path: "a1_x.sql" }, "a1_x.sql: embedded SQL revision has no text"],
    ["a TypeScript entry without a module", { path: "a1_x.ts", text: "" }, "a1_x.ts: embedded TypeScript revision has no module"],
    ["a malformed SQL entry", { path: "a1_x.sql", text: "-- Revision ID: a1\n" }, "a1_x.sql: no '-- migrate:upgrade' section"],
  ])("rejects %s", (_name, entry, message) => {
    expect(() => loadRevisionsFromEntries([entry])).toThrow(message);
  });
});

describe("compareFileNames", () => {
  test("sorts by UTF-8 bytes: digits, then upper case, then lower case, then non-ASCII", () => {
    expect(["é_x.sql", "b_x.sql", "B_x.sql", "1_x.sql", "_x.sql"].sort(compareFileNames)).toEqual(["1_x.sql", "B_x.sql", "_x.sql", "b_x.sql", "é_x.sql"]);
  });
});
