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
