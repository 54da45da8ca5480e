/**
 * PGlite's contrib extensions on pglite: databases: the ones the revisions
 * create are loaded when the database opens (again on every later run), and
 * an extension PGlite does not ship stops the run before anything runs.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { extensionsIn, unsupportedExtensionsIn } from "../../src/drivers/pglite-extensions.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { writeSqlRevision } from "../helpers/project.ts";


describe("which extensions SQL asks for", () => {
  test.each([
    ["CREATE EXTENSION pg_trgm;", ["pg_trgm"], []],
    ['create extension if not exists "uuid-ossp" with schema public;', ["uuid-ossp"], []],
    ["CREATE EXTENSION citext; CREATE EXTENSION Hstore;", ["citext", "hstore"], []],
    ["CREATE EXTENSION postgis;", [], ["postgis"]],
    ["CREATE EXTENSION plpgsql;", [], []],
  ])("%s", (sql, supported, unsupported) => {
    expect(extensionsIn([sql])).toEqual(supported);
    expect(unsupportedExtensionsIn(sql)).toEqual(unsupported);
  });
});

describe("extensions on a pglite: database", () => {
  test("the contrib extensions the revisions create work, and are there again when the database is reopened", async () => {
    const cwd = tempDir("ext-");
    const dir = join(cwd, "versions");
    mkdirSync(dir);
    writeSqlRevision(
      dir,
      "aaaa00000001",
      "",
      [
        "CREATE EXTENSION pg_trgm;",
        'CREATE EXTENSION "uuid-ossp";',
        "CREATE EXTENSION citext;",
        "CREATE EXTENSION pgcrypto;",
        "CREATE EXTENSION hstore;",
        "CREATE EXTENSION btree_gist;",
        "CREATE TABLE people (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), email citext, tags hstore, token text DEFAULT encode(gen_random_bytes(8), 'hex'));",
        "CREATE INDEX people_email_trgm ON people USING gin ((email::text) gin_trgm_ops);",
        "INSERT INTO people (email, tags) VALUES ('Ann@Example.com', 'a=>1');",
      ].join("\n"),
    );
    const first = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:./db", "--no-lint"], { cwd });
    expect(first.stderr).not.toContain("FAILED");
    expect(first.code).toBe(0);
    // a later run opens the database again: the extensions' functions must still be there
    writeSqlRevision(dir, "bbbb00000002", "aaaa00000001", "CREATE TABLE matches AS SELECT similarity(email::text, 'ann@example.com') AS s, email = 'ANN@EXAMPLE.COM' AS same FROM people;");
    const second = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:./db", "--no-lint"], { cwd });
    expect(second.stderr).not.toContain("FAILED");
    expect(second.code).toBe(0);
  }, 60_000);

  test("an extension PGlite does not ship stops the run before anything runs, naming the revision and the way out", async () => {
    const cwd = tempDir("ext-");
    const dir = join(cwd, "versions");
    mkdirSync(dir);
    writeSqlRevision(dir, "aaaa00000001", "", "CREATE TABLE t (id int);");
    writeSqlRevision(dir, "bbbb00000002", "aaaa00000001", "CREATE EXTENSION postgis;\nCREATE TABLE places (id int);");
    expect((await runCli(["upgrade", "aaaa00000001", "--dir", "versions", "--url", "pglite:./db"], { cwd })).code).toBe(0);
    const run = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:./db", "--no-lint"], { cwd });
    expect(run.code).toBe(2);
    const failed = run.stderr.split("\n").filter((line) => line.startsWith("FAILED"));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain("bbbb00000002");
    expect(failed[0]).toContain('"postgis"');
    expect(failed[0]).toContain("--url");
    expect(run.stderr).not.toContain("rolled back");
    const current = await runCli(["current", "--dir", "versions", "--url", "pglite:./db"], { cwd });
    expect(current.stdout).toBe("aaaa00000001\n");
    expect(readdirSync(cwd).sort()).toEqual(["db", "versions"]);
  }, 60_000);
});
