import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

function sqlRevision(id: string, revises: string, body: string, extra = ""): string {
  return `-- Revision ID: ${id}\n-- Revises: ${revises}\n-- Message: ${id} message\n${extra}\n-- migrate:upgrade\n${body}\n\n-- migrate:downgrade\nSELECT 1;\n`;
}

describe("commands without a database", () => {
  test("init scaffolds retort.toml and the versions directory, then refuses to overwrite", async () => {
    const cwd = tempDir();
    const first = await runCli(["init"], { cwd });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Creating directory ${join(cwd, "migrations", "versions")} ...  done`);
    expect(readFileSync(join(cwd, "retort.toml"), "utf8")).toContain('dir = "migrations/versions"');
    const again = await runCli(["init"], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/FAILED: Directory .*migrations already exists and is not empty/);
  });

  test("revision, branch, merge and history follow Alembic's rules", async () => {
    const cwd = tempDir();
    expect((await runCli(["init"], { cwd })).code).toBe(0);
    const a = await runCli(["revision", "-m", "first step", "--rev-id", "aaaa00000001"], { cwd });
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/Generating .*aaaa00000001_first_step\.sql \.\.\.  done/);
    expect((await runCli(["revision", "-m", "second", "--rev-id", "bbbb00000002"], { cwd })).code).toBe(0);
    const text = readFileSync(join(cwd, "migrations/versions/bbbb00000002_second.sql"), "utf8");
    expect(text).toContain("-- Revises: aaaa00000001");

    // a non-head parent needs --splice
    const noSplice = await runCli(["revision", "-m", "side", "--head", "aaaa00000001"], { cwd });
    expect(noSplice.code).toBe(2);
    expect(noSplice.stderr).toContain("Revision aaaa00000001 is not a head revision; please specify --splice");
    expect((await runCli(["revision", "-m", "side", "--head", "aaaa", "--splice", "--rev-id", "cccc00000003"], { cwd })).code).toBe(0);

    // two heads now: a plain revision must say which
    const ambiguous = await runCli(["revision", "-m", "next"], { cwd });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("Multiple heads are present; please specify the head revision");

    const heads = await runCli(["heads"], { cwd });
    expect(heads.stdout).toBe("bbbb00000002 (head)\ncccc00000003 (head)\n");

    const merged = await runCli(["merge", "heads", "-m", "join", "--rev-id", "dddd00000004"], { cwd });
    expect(merged.code).toBe(0);
    expect(readFileSync(join(cwd, "migrations/versions/dddd00000004_join.sql"), "utf8")).toContain(
      "-- Revises: bbbb00000002, cccc00000003",
    );

    const history = await runCli(["history"], { cwd });
    expect(history.code).toBe(0);
    expect(history.stdout.split("\n")[0]).toBe("bbbb00000002, cccc00000003 -> dddd00000004 (head) (mergepoint), join");
    expect(history.stdout).toContain("<base> -> aaaa00000001 (branchpoint), first step");

    const json = await runCli(["heads", "--json"], { cwd });
    expect(JSON.parse(json.stdout).heads.map((h: { id: string }) => h.id)).toEqual(["dddd00000004"]);
  });

  test("global options work before and after the command, in both forms", async () => {
    const cwd = tempDir();
    const dir = join(cwd, "revs");
    mkdirSync(dir);
    writeFileSync(join(dir, "aaaa00000001_x.sql"), sqlRevision("aaaa00000001", "", "SELECT 1;"));
    for (const args of [["--dir", dir, "heads"], ["heads", "--dir", dir], [`--dir=${dir}`, "heads"], ["heads", `--dir=${dir}`]]) {
      const run = await runCli(args, { cwd });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe("aaaa00000001 (head)\n");
    }
  });

  const usageCases: { name: string; args: string[]; message: RegExp }[] = [
    { name: "an unknown command", args: ["upgarde", "head"], message: /unknown command 'upgarde'/ },
    { name: "an unknown option", args: ["upgrade", "head", "--sqll"], message: /unknown option --sqll for 'retort upgrade'/ },
    { name: "a missing target", args: ["upgrade"], message: /upgrade needs a target revision/ },
    { name: "an unknown revision", args: ["show", "ffff"], message: /ffff/ },
  ];
  for (const c of usageCases) {
    test(`${c.name} exits 2 with one line on stderr`, async () => {
      const cwd = tempDir();
      mkdirSync(join(cwd, "migrations/versions"), { recursive: true });
      writeFileSync(join(cwd, "migrations/versions/aaaa00000001_x.sql"), sqlRevision("aaaa00000001", "", "SELECT 1;"));
      const run = await runCli(c.args, { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(c.message);
      expect(run.stderr.trim().split("\n").filter((l) => l.startsWith("FAILED"))).toHaveLength(1);
    });
  }

  test("a malformed revision file exits 2 naming the file and line", async () => {
    const cwd = tempDir();
    const dir = join(cwd, "migrations/versions");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "aaaa00000001_x.sql"), "-- Revision ID: aaaa00000001\n-- Revisess: \n-- migrate:upgrade\nSELECT 1;\n");
    const run = await runCli(["history"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("aaaa00000001_x.sql:2");
  });

  test("--json errors are one document on stdout with the exit code", async () => {
    const cwd = tempDir();
    const run = await runCli(["show", "nothing", "--json", "--dir", cwd], { cwd });
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.error.exitCode).toBe(2);
    expect(typeof doc.error.message).toBe("string");
  });

  test("retort.toml with an unknown key exits 2 naming the key", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "retort.toml"), 'dirr = "x"\n');
    const run = await runCli(["heads"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown key 'dirr'");
  });

  test("upgrade --sql prints the script without connecting", async () => {
    const cwd = tempDir();
    const run = await runCli(["upgrade", "head", "--sql", "--dir", join(import.meta.dir, "../../migrations/versions")], {
      cwd,
      env: { DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/none" },
    });
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith("BEGIN;")).toBe(true);
    expect(run.stdout).toContain("INSERT INTO alembic_version (version_num) VALUES ('ffa7dce781be')");
    expect(run.stdout.trimEnd().endsWith("COMMIT;")).toBe(true);
  });
});

describe("commands on PostgreSQL", async () => {
  const available = await postgresAvailable();
  let db: TempDatabase;
  let cwd: string;
  beforeAll(async () => {
    if (!available) return;
    db = await createTempDatabase("retort_cli");
    cwd = tempDir();
    const dir = join(cwd, "migrations/versions");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "aaaa00000001_a.sql"), sqlRevision("aaaa00000001", "", "CREATE TABLE a (id int);").replace("SELECT 1;", "DROP TABLE a;"));
    writeFileSync(join(dir, "bbbb00000002_b.sql"), sqlRevision("bbbb00000002", "aaaa00000001", "CREATE TABLE b (id int);").replace("SELECT 1;", "DROP TABLE b;"));
    writeFileSync(join(dir, "cccc00000003_c.sql"), sqlRevision("cccc00000003", "bbbb00000002", "CREATE TABLE c (id int);\nINSERT INTO c VALUES ('not a number');").replace("SELECT 1;", "DROP TABLE c;"));
  });
  afterAll(async () => {
    if (available) await db.drop();
  });

  test.skipIf(!available)("upgrade, current and downgrade -1 with --url after the command", async () => {
    const up = await runCli(["upgrade", "bbbb00000002", "--url", db.url], { cwd });
    expect(up.code).toBe(0);
    expect(up.stderr).toContain("Running upgrade aaaa00000001 -> bbbb00000002, bbbb00000002 message");
    const current = await runCli(["current", "--url", db.url], { cwd });
    expect(current.stdout).toBe("bbbb00000002\n");
    const down = await runCli(["--url", db.url, "downgrade", "-1"], { cwd });
    expect(down.code).toBe(0);
    expect((await runCli(["current", `--url=${db.url}`], { cwd })).stdout).toBe("aaaa00000001\n");
  });

  test.skipIf(!available)("a failing statement exits 1 naming the revision file and leaves the database as it was", async () => {
    const before = (await runCli(["current", "--url", db.url], { cwd })).stdout;
    const run = await runCli(["upgrade", "head", "--url", db.url], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("cccc00000003_c.sql");
    expect(run.stderr).toContain("22P02");
    expect((await runCli(["current", "--url", db.url], { cwd })).stdout).toBe(before);
  });

  test.skipIf(!available)("an unreachable server exits 3 and never prints the password", async () => {
    const url = "postgres://app:s3cretpw@127.0.0.1:1/app";
    for (const args of [["current", "--url", url], ["upgrade", "head", "--url", url, "--json"]]) {
      const run = await runCli(args, { cwd });
      expect(run.code).toBe(3);
      expect(run.stdout + run.stderr).not.toContain("s3cretpw");
    }
  });
});

test("output larger than a pipe buffer reaches the reader whole", async () => {
  const cwd = tempDir();
  const dir = join(cwd, "migrations/versions");
  mkdirSync(dir, { recursive: true });
  const filler = `-- ${"x".repeat(1000)}`;
  let parent = "";
  for (let i = 0; i < 200; i++) {
    const id = `r${String(i).padStart(11, "0")}`;
    writeFileSync(join(dir, `${id}_step.sql`), sqlRevision(id, parent, `${filler}\nSELECT ${i};`));
    parent = id;
  }
  const run = await runCli(["upgrade", "head", "--sql"], { cwd });
  expect(run.code).toBe(0);
  expect(run.stdout.length).toBeGreaterThan(200_000);
  expect(run.stdout.trimEnd().endsWith("COMMIT;")).toBe(true);
});

test("revision --sql prints the new file instead of writing it", async () => {
  const cwd = tempDir();
  expect((await runCli(["init"], { cwd })).code).toBe(0);
  const run = await runCli(["revision", "-m", "peek", "--sql", "--rev-id", "eeee00000005"], { cwd });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("-- Revision ID: eeee00000005\n-- Revises:\n");
  expect(run.stdout).toContain("-- migrate:upgrade");
  expect(readdirSync(join(cwd, "migrations/versions"))).toEqual([]);
  const both = await runCli(["revision", "-m", "x", "--sql", "--autogenerate"], { cwd });
  expect(both.code).toBe(2);
  expect(both.stderr).toContain("Using --sql with --autogenerate does not make any sense");
});

test("read-only commands on a PGlite directory that holds no database create nothing", async () => {
  const cwd = tempDir();
  const dir = join(import.meta.dir, "../../migrations/versions");
  const current = await runCli(["current", "--dir", dir], { cwd });
  expect(current.code).toBe(0);
  expect(current.stdout).toBe("");
  expect(current.stderr).toContain("using pglite:.retort/db");
  const diff = await runCli(["diff", "--dir", dir], { cwd });
  expect(diff.code).toBe(3);
  expect(diff.stderr).toContain("holds no database yet");
  expect(readdirSync(cwd)).toEqual([]);
});

test("a --rev-id the graph or the file parser would refuse is refused before anything is written", async () => {
  const cwd = tempDir();
  expect((await runCli(["init"], { cwd })).code).toBe(0);
  for (const [id, message] of [
    ["a-b", "character(s) '-' not allowed in revision id 'a-b'"],
    ["head", "'head' is a reserved name"],
    ["a:b", "':' is not allowed"],
    ["x".repeat(33), "longer than 32 characters"],
  ] as const) {
    const run = await runCli(["revision", "-m", "x", "--rev-id", id], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  }
  expect(readdirSync(join(cwd, "migrations/versions"))).toEqual([]);
});
