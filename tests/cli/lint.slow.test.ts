/**
 * `retort lint` and `upgrade`'s lint from the command line: ranges, exit
 * codes, the --json document, GitHub annotations, retort.toml's [lint], and
 * that neither lint nor a refused upgrade writes anything.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { runCli, tempDir } from "../helpers/cli.ts";
import { writeSqlRevision } from "../helpers/project.ts";
import { createTempDatabase, postgresAvailable } from "../helpers/postgres.ts";

const CORPUS = resolve(import.meta.dir, "../fixtures/lint");

const revision = (dir: string, id: string, parent: string, up: string, down: string | null = "SELECT 1;") => writeSqlRevision(dir, id, parent, up, { downgrade: down });

/** base creates a table; a1 indexes it without CONCURRENTLY (an error); a2 only adds a nullable column (a warning). */
function project(): { cwd: string; dir: string } {
  const cwd = tempDir("lint-");
  const dir = join(cwd, "versions");
  mkdirSync(dir);
  revision(dir, "aaaaaaaaaa00", "", "CREATE TABLE items (id bigint PRIMARY KEY, name text);", "DROP TABLE items;");
  revision(dir, "aaaaaaaaaa01", "aaaaaaaaaa00", "CREATE INDEX items_name_idx ON items (name);", "DROP INDEX items_name_idx;");
  revision(dir, "aaaaaaaaaa02", "aaaaaaaaaa01", "ALTER TABLE items ADD COLUMN note text;", "ALTER TABLE items DROP COLUMN note;");
  return { cwd, dir };
}

describe("retort lint", () => {
  test("--json: exactly findings, statements with measured locks, and PGlite's PostgreSQL version; exit 1 on an error", async () => {
    const { code, stdout } = await runCli(["lint", "c0ffee000002", "--dir", CORPUS, "--json"], { cwd: tempDir() });
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc)).toEqual(["findings", "statements", "pgVersion"]);
    expect(doc.pgVersion).toMatch(/^18\./);
    expect(doc.findings).toEqual([
      {
        rule: "require-concurrent-index-creation",
        severity: "error",
        revision: "c0ffee000002",
        file: join(CORPUS, "c0ffee000002_index_on_existing_table.sql"),
        line: 7,
        message: "builds an index on existing table public.users without CONCURRENTLY: writes to it block until the build ends (measured: ShareLock on public.users; no rewrite)",
      },
    ]);
    expect(doc.statements).toEqual([
      { revision: "c0ffee000002", file: join(CORPUS, "c0ffee000002_index_on_existing_table.sql"), line: 7, sql: "CREATE INDEX users_email_idx ON users (email)", locks: [{ relation: "public.users", mode: "ShareLock" }], rewrites: [] },
    ]);
  });

  test("by default it lints what is pending for the database, and never creates the default database", async () => {
    const { cwd } = project();
    const all = await runCli(["lint", "--dir", "versions", "--json"], { cwd });
    expect(new Set(JSON.parse(all.stdout).statements.map((s: { revision: string }) => s.revision))).toEqual(new Set(["aaaaaaaaaa00", "aaaaaaaaaa01", "aaaaaaaaaa02"]));
    expect(existsSync(join(cwd, ".retort"))).toBe(false);
    expect((await runCli(["upgrade", "aaaaaaaaaa01", "--dir", "versions", "--url", "pglite:./db", "--no-lint"], { cwd })).code).toBe(0);
    const pending = await runCli(["lint", "--dir", "versions", "--url", "pglite:./db", "--json"], { cwd });
    expect(pending.code).toBe(0);
    const doc = JSON.parse(pending.stdout);
    expect(doc.statements.map((s: { revision: string }) => s.revision)).toEqual(["aaaaaaaaaa02"]);
    expect(doc.findings.map((f: { rule: string }) => f.rule)).toEqual(["require-lock-timeout"]);
  });

  test("text groups findings by revision with file:line, the statement and the safer way; --format github annotates", async () => {
    const { cwd } = project();
    const text = await runCli(["lint", "aaaaaaaaaa01", "--dir", "versions"], { cwd });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`aaaaaaaaaa01 ${join(cwd, "versions/aaaaaaaaaa01_r.sql")}\n  ${join(cwd, "versions/aaaaaaaaaa01_r.sql")}:6: error [require-concurrent-index-creation]`);
    expect(text.stdout).toContain("      CREATE INDEX items_name_idx ON items (name)\n      safer: CREATE INDEX CONCURRENTLY");
    expect(text.stdout).toMatch(/1 revision\(s\), 1 statement\(s\): 1 error\(s\), 0 warning\(s\) \(measured on PGlite, PostgreSQL 18\.\d+\)/);
    const gh = await runCli(["lint", "aaaaaaaaaa00:aaaaaaaaaa02", "--dir", "versions", "--format", "github"], { cwd });
    expect(gh.stdout.split("\n").filter(Boolean).map((l) => l.slice(0, l.indexOf("::", 2)))).toEqual([
      "::error file=versions/aaaaaaaaaa01_r.sql,line=6,title=require-concurrent-index-creation",
      "::warning file=versions/aaaaaaaaaa02_r.sql,line=6,title=require-lock-timeout",
    ]);
    expect(gh.stdout).toContain("::builds an index on existing table public.items without CONCURRENTLY");
  });

  test("[lint] in retort.toml re-grades a rule, and the exit code follows", async () => {
    const { cwd } = project();
    writeFileSync(join(cwd, "retort.toml"), 'dir = "versions"\n[lint]\nrequire-concurrent-index-creation = "warning"\n');
    const { code, stdout } = await runCli(["lint", "aaaaaaaaaa01", "--json"], { cwd });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).findings.map((f: { severity: string }) => f.severity)).toEqual(["warning"]);
  });
});

describe("lint ranges that hold nothing", () => {
  test("a reversed range is exit 2 naming it; an empty one, or nothing pending, says there is nothing to lint (exit 0)", async () => {
    const { cwd } = project();
    for (const range of ["aaaaaaaaaa02:aaaaaaaaaa00", "head:base"]) {
      const reversed = await runCli(["lint", range, "--dir", "versions"], { cwd });
      expect({ range, code: reversed.code, stdout: reversed.stdout }).toEqual({ range, code: 2, stdout: "" });
      expect(reversed.stderr).toStartWith(`FAILED: lint ${range}: `);
      expect(reversed.stderr).toContain("the range is reversed");
    }
    for (const range of ["head:head", "aaaaaaaaaa01:aaaaaaaaaa01", "base:base"]) {
      const empty = await runCli(["lint", range, "--dir", "versions"], { cwd });
      expect({ range, code: empty.code, stdout: empty.stdout }).toEqual({ range, code: 0, stdout: `Nothing to lint: ${range} holds no revision\n` });
    }
    expect((await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:./db", "--no-lint"], { cwd })).code).toBe(0);
    const pending = await runCli(["lint", "--dir", "versions", "--url", "pglite:./db"], { cwd });
    expect({ code: pending.code, stdout: pending.stdout }).toEqual({ code: 0, stdout: "Nothing to lint: no revision is pending for pglite:./db\n" });
    const github = await runCli(["lint", "head:head", "--dir", "versions", "--format", "github"], { cwd });
    expect({ code: github.code, stdout: github.stdout }).toEqual({ code: 0, stdout: "" });
    expect(github.stderr).toContain("Nothing to lint: head:head holds no revision");
    expect(github.stderr).not.toContain("PostgreSQL ?");
  });
});

describe("upgrade lints the pending revisions first", () => {
  test("it prints the findings and runs; --lint=error refuses before anything runs; --no-lint skips", async () => {
    const { cwd } = project();
    // from base, items is created by the same run: an index on it cannot block anyone, so nothing is an error
    const fresh = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:memory", "--lint=error"], { cwd });
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).not.toContain("[require-concurrent-index-creation]");
    // once items exists in the database, indexing it without CONCURRENTLY is the error
    expect((await runCli(["upgrade", "aaaaaaaaaa00", "--dir", "versions", "--url", "pglite:./db"], { cwd })).code).toBe(0);
    const refused = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:./db", "--lint=error"], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error [require-concurrent-index-creation]");
    expect(refused.stderr).toContain("upgrade refused: lint found 1 error-level finding(s)");
    const current = await runCli(["current", "--dir", "versions", "--url", "pglite:./db"], { cwd });
    expect(current.stdout).toBe("aaaaaaaaaa00\n");
    const warned = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:./db"], { cwd });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain("lint: ");
    expect(warned.stderr).toContain("Running upgrade aaaaaaaaaa01 -> aaaaaaaaaa02");
    const quiet = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:memory", "--no-lint"], { cwd });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain("lint: ");
  });
});

describe("on real PostgreSQL", async () => {
  const available = await postgresAvailable();
  test.skipIf(!available)("lint lints what is pending for the server, and the server's schema and version table are untouched", async () => {
    const db = await createTempDatabase("retort_lint");
    try {
      const { cwd } = project();
      expect((await runCli(["upgrade", "aaaaaaaaaa01", "--dir", "versions", "--url", db.url, "--no-lint"], { cwd })).code).toBe(0);
      const sql = postgres(db.url, { max: 1, onnotice: () => {} });
      const snapshot = async () => [
        await sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`,
        await sql`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
        await sql`SELECT version_num FROM alembic_version`,
      ];
      try {
        const before = await snapshot();
        const run = await runCli(["lint", "--dir", "versions", "--url", db.url, "--json"], { cwd });
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout).statements.map((s: { revision: string }) => s.revision)).toEqual(["aaaaaaaaaa02"]);
        expect(await snapshot()).toEqual(before);
      } finally {
        await sql.end({ timeout: 1 });
      }
    } finally {
      await db.drop();
    }
  });
});
