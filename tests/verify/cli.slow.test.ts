/** `retort verify` and `retort cache` as a user runs them: exit codes, text and --json. */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { chainId, sqlRevision } from "../cache/helpers.ts";

/** A project directory with migrations/versions holding a two-revision chain; the second's downgrade as given. */
function project(secondDown: string | null): string {
  const cwd = tempDir("verify-cli-");
  const dir = join(cwd, "migrations", "versions");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${chainId(1)}_a.sql`), sqlRevision(chainId(1), null, "CREATE TABLE a (id int);", "DROP TABLE a;"));
  writeFileSync(join(dir, `${chainId(2)}_b.sql`), sqlRevision(chainId(2), chainId(1), "ALTER TABLE a ADD COLUMN b int;\nCREATE INDEX a_b ON a (b);", secondDown));
  return cwd;
}

describe("retort verify", () => {
  test("exits 0 when every revision round-trips, 1 with the Detected lines when one does not", async () => {
    const good = await runCli(["verify"], { cwd: project("DROP INDEX a_b;\nALTER TABLE a DROP COLUMN b;") });
    expect(good.stderr).toContain(`Verified ${chainId(2)}`);
    expect(good.stdout).toBe("Verified 2 revision(s)\n");
    expect(good.code).toBe(0);

    const bad = await runCli(["verify", "--json"], { cwd: project("ALTER TABLE a DROP COLUMN b;\nCREATE INDEX stray ON a (id);") });
    expect(bad.code).toBe(1);
    const doc = JSON.parse(bad.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.firstFailure).toBe(chainId(2));
    expect(doc.revisions[1]).toMatchObject({ revision: chainId(2), status: "downgradeMismatch", differences: ["Detected added index 'stray' on 'public.a'"] });
    expect(bad.stderr).toContain("Detected added index 'stray' on 'public.a'");
  }, 60_000);

  test("an irreversible revision warns (exit 0), and fails with --strict (exit 1)", async () => {
    const cwd = project(null);
    const lenient = await runCli(["verify"], { cwd });
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain("irreversible");
    const strict = await runCli(["verify", "--strict"], { cwd });
    expect(strict.code).toBe(1);
  }, 60_000);

  test("a range that names no revision is exit 2", async () => {
    const run = await runCli(["verify", "nosuch:head"], { cwd: project(null) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("nosuch");
  }, 60_000);
});

describe("retort cache", () => {
  test("lists what check left in .retort/cache (revision, key, size, last used) and clears it; an unknown action is exit 2", async () => {
    const cwd = project("DROP INDEX a_b;\nALTER TABLE a DROP COLUMN b;");
    writeFileSync(join(cwd, "schema.sql"), "CREATE TABLE a (id int, b int);\nCREATE INDEX a_b ON a (b);\n");
    expect((await runCli(["check"], { cwd })).code).toBe(0);
    const listed = await runCli(["cache", "--json"], { cwd });
    expect(listed.code).toBe(0);
    const doc = JSON.parse(listed.stdout);
    expect(doc.dir).toBe(join(cwd, ".retort", "cache"));
    expect(doc.entries.map((e: { revision: string }) => e.revision).sort()).toEqual([chainId(2), `schema ${join(cwd, "schema.sql")}`]);
    expect(doc.entries[0]).toEqual({
      revision: expect.any(String), key: expect.stringMatching(/^[0-9a-f]{32}$/), sizeBytes: expect.any(Number), lastUsed: expect.any(String), createdAt: expect.any(String), pgliteVersion: expect.any(String),
    });
    const text = await runCli(["cache"], { cwd });
    expect(text.stdout).toContain(chainId(2));
    expect(text.stdout).toMatch(/2 entries, [\d.]+ MB of 1024\.0 MB in /);

    const cleared = await runCli(["cache", "clear"], { cwd });
    expect(cleared.stdout).toBe(`Removed 2 cache entries from ${join(cwd, ".retort", "cache")}\n`);
    expect((await runCli(["cache", "--json"], { cwd })).stdout).toContain('"entries": []');
    expect((await runCli(["cache", "wipe"], { cwd })).code).toBe(2);
  }, 60_000);

  test("a cache directory that is a file (or under one) is exit 2 naming where it came from, for every command that uses it", async () => {
    const cwd = project("DROP INDEX a_b;\nALTER TABLE a DROP COLUMN b;");
    writeFileSync(join(cwd, "not-a-dir"), "x");
    for (const target of ["not-a-dir", "not-a-dir/cache"]) {
      for (const args of [["verify"], ["cache"]]) {
        const run = await runCli(args, { cwd, env: { RETORT_CACHE_DIR: join(cwd, target) } });
        expect({ args, target, code: run.code, lines: run.stderr.trim().split("\n").length }).toEqual({ args, target, code: 2, lines: 1 });
        expect(run.stderr).toContain("RETORT_CACHE_DIR");
        expect(run.stderr).toContain(`${join(cwd, "not-a-dir")} is a file`);
      }
    }
  }, 60_000);
});
