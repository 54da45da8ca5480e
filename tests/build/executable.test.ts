/**
 * The compiled executable end to end: built once into a scratch directory,
 * then run from an empty directory, as a user would, so the compiled-only
 * code paths (embedded revisions, wasm, fs bundle, snapshot) are exercised.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const scratch = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "exe-"));
const exe = join(scratch, "retort");

async function run(args: string[], cwd: string) {
  const child = Bun.spawn([exe, ...args], { cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code, pid: child.pid };
}

beforeAll(async () => {
  const build = Bun.spawn([process.execPath, join(ROOT, "scripts/build.ts"), "--outfile", exe, "--no-smoke"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(build.stdout).text(), new Response(build.stderr).text(), build.exited]);
  if (code !== 0) throw new Error(`build failed (${code}):\n${out}${err}`);
}, 120_000);

describe("the compiled executable", () => {
  test("prints the tool version and the head of the revisions it embeds", async () => {
    const { stdout, code } = await run(["--version"], scratch);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^retort \d+\.\d+\.\d+ \(embedded head: 0ee619f3516b\)\n$/);
  });

  test("migrates a new pglite: directory with its embedded revisions and PGlite, from an empty directory", async () => {
    const cwd = mkdtempSync(join(scratch, "run-"));
    const up = await run(["upgrade", "head", "--url", "pglite:./db"], cwd);
    expect(up.code).toBe(0);
    expect(up.stderr).toContain("Running upgrade dadf308f3867 -> 0ee619f3516b");
    const current = await run(["current", "--url", "pglite:./db"], cwd);
    expect(current.stdout).toBe("0ee619f3516b (head)\n");
    expect(readdirSync(cwd)).toEqual(["db"]);
  });

  test("migrates pglite:memory and leaves no scratch data dir behind", async () => {
    const cwd = mkdtempSync(join(scratch, "mem-"));
    const up = await run(["upgrade", "head", "--url", "pglite:memory"], cwd);
    expect(up.code).toBe(0);
    expect(up.stderr).toContain("Running upgrade  -> ffa7dce781be");
    const leftovers = existsSync("/dev/shm") ? readdirSync("/dev/shm").filter((name) => name.startsWith(`retort-mem-${up.pid}-`)) : [];
    expect(leftovers).toEqual([]);
  });

  test("names errors in --json by their class, which minification must not rename", async () => {
    const { stdout, code } = await run(["upgrade", "nosuchrev", "--url", "pglite:memory", "--json"], scratch);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error.kind).toBe("ResolutionError");
  });

  test("lets --dir override the embedded revisions", async () => {
    const cwd = mkdtempSync(join(scratch, "dir-"));
    const { stderr, code } = await run(["history", "--dir", "./nowhere"], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain("nowhere");
  });

  test("says it uses its embedded revisions, refuses a revision that would orphan them, and init writes them out", async () => {
    const cwd = mkdtempSync(join(scratch, "new-"));
    const history = await run(["history"], cwd);
    expect(history.code).toBe(0);
    expect(history.stderr).toContain("Using the 3 revision(s) embedded in this executable (head 0ee619f3516b)");
    const show = await run(["show", "head"], cwd);
    expect(show.stdout).toContain("Path: embedded:migrations/versions/0ee619f3516b_");
    const refused = await run(["revision", "-m", "add users"], cwd);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Run 'retort init' first");
    expect(readdirSync(cwd)).toEqual([]);
    const init = await run(["init"], cwd);
    expect(init.code).toBe(0);
    expect(readdirSync(join(cwd, "migrations/versions")).sort()).toEqual([
      "0ee619f3516b_seed_initial_focus_groups_dimensions_weights_data.sql",
      "dadf308f3867_create_base_platform_tables.sql",
      "ffa7dce781be_create_sample_table.sql",
    ]);
    const revision = await run(["revision", "-m", "add users", "--rev-id", "aaaaaaaaaaaa"], cwd);
    expect(revision.code).toBe(0);
    const heads = await run(["heads"], cwd);
    expect(heads.stdout).toBe("aaaaaaaaaaaa (head)\n");
    expect(heads.stderr).not.toContain("embedded");
  });

  test("a database at a revision the executable does not know may come from a newer release", async () => {
    const cwd = mkdtempSync(join(scratch, "newer-"));
    expect((await run(["stamp", "head", "--url", "pglite:./db"], cwd)).code).toBe(0);
    const { PGlite } = await import("@electric-sql/pglite");
    const db = await PGlite.create({ dataDir: join(cwd, "db") });
    await db.query("update alembic_version set version_num = 'bbbbbbbbbbbb'");
    await db.close();
    const up = await run(["upgrade", "head", "--url", "pglite:./db"], cwd);
    expect(up.code).toBe(2);
    expect(up.stderr).toContain("the database may have been migrated by a newer release");
    expect(up.stderr).toContain("0ee619f3516b");
    const current = await run(["current", "--url", "pglite:./db"], cwd);
    expect(current.stderr).toContain("may have been migrated by a newer release");
  });

  test("lints its embedded revisions with the embedded parser, from an empty directory, creating nothing", async () => {
    const cwd = mkdtempSync(join(scratch, "lint-"));
    const { stdout, code } = await run(["lint", "--all", "--json"], cwd);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.pgVersion).toMatch(/^18\./);
    expect(new Set(doc.statements.map((s: { revision: string }) => s.revision))).toEqual(new Set(["ffa7dce781be", "dadf308f3867", "0ee619f3516b"]));
    expect(doc.findings.length).toBeGreaterThan(0);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe("the compiled executable and the snapshot cache", () => {
  test("check builds the cache on its first run and reads it on the second; verify round-trips the embedded chain", async () => {
    const cwd = mkdtempSync(join(scratch, "cache-"));
    await Bun.write(join(cwd, "schema.sql"), "CREATE TABLE x (id int);\n");
    const first = await run(["check", "--json"], cwd);
    expect(first.stderr).not.toContain("internal error");
    expect(first.code).toBe(1);
    expect(readdirSync(join(cwd, ".retort", "cache")).filter((n) => !n.startsWith("."))).toHaveLength(2);
    const second = await run(["check", "--json"], cwd);
    expect(JSON.parse(second.stdout).changes).toEqual(JSON.parse(first.stdout).changes);
    expect(JSON.parse(second.stdout).timings.replay).toBeUndefined();
    const verify = await run(["verify"], cwd);
    expect(verify.stdout).toBe("Verified 3 revision(s)\n");
    expect(verify.code).toBe(0);
  }, 60_000);
});
