/**
 * `current` over a fleet, through the CLI, on pglite:<dir> targets (no
 * server needed): a directory that holds no database is at base, as the
 * one-database command says; a target that cannot be read is labelled by
 * its error's kind (unreachable only for exit 3).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { writeSqlRevision } from "../helpers/project.ts";

/** A project with two revisions in versions/. */
function project(): string {
  const cwd = tempDir("fleet-current-");
  mkdirSync(join(cwd, "versions"));
  writeSqlRevision(join(cwd, "versions"), "aaaa00000001", "", "CREATE TABLE items (id bigint PRIMARY KEY);");
  writeSqlRevision(join(cwd, "versions"), "bbbb00000002", "aaaa00000001", "CREATE TABLE tags (id bigint PRIMARY KEY);");
  return cwd;
}

interface CurrentDoc {
  targets: { target: string; heads: string[]; state: string; behindBy: number | null; error: { kind: string; message: string; exitCode: number } | null }[];
}

describe("current over a fleet of pglite:<dir> targets", () => {
  test("a directory that holds no database (missing, or empty) is at base, as for one database; nothing is created there", async () => {
    const cwd = project();
    mkdirSync(join(cwd, "empty"));
    const args = ["current", "--dir", "versions", "--url", "pglite:./nodb", "--url", "pglite:./empty"];
    const json = await runCli([...args, "--json"], { cwd });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as CurrentDoc;
    expect(doc.targets.map((t) => [t.target, t.heads, t.state, t.behindBy, t.error])).toEqual([
      ["pglite:./nodb", [], "behind", 2, null],
      ["pglite:./empty", [], "behind", 2, null],
    ]);
    // the one-database command's stderr note, on the target's progress line
    expect(json.stderr).toContain("ok pglite:./nodb");
    expect(json.stderr).toContain("at base: there is no database at pglite:./nodb (nothing was created there)");
    const text = await runCli(args, { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^pglite:\.\/nodb\s+x\s+behind \(2\)$/m);
    expect(text.stdout).toContain("2 target(s): 0 at head, 2 behind");
    expect(existsSync(join(cwd, "nodb"))).toBe(false);
    expect(readdirSync(join(cwd, "empty"))).toEqual([]);
  }, 30_000);

  test("a target that cannot be read is labelled by its error: 'error' for bad input (exit 2), 'unreachable' only for connection errors (exit 3)", async () => {
    const cwd = project();
    mkdirSync(join(cwd, "foreign"));
    writeFileSync(join(cwd, "foreign", "notes.txt"), "not a database\n");
    writeFileSync(join(cwd, "afile"), "");
    const args = ["current", "--dir", "versions", "--url", "pglite:./foreign", "--url", "pglite:./afile", "--url", "postgres://postgres:hunter2@127.0.0.1:1/nowhere"];
    const json = await runCli([...args, "--json"], { cwd });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as CurrentDoc;
    expect(doc.targets.map((t) => [t.target, t.state, t.error?.kind, t.error?.exitCode])).toEqual([
      ["pglite:./foreign", "error", "DataDirError", 2],
      ["pglite:./afile", "error", "DataDirError", 2],
      ["postgres://postgres:***@127.0.0.1:1/nowhere", "unreachable", "ConnectionError", 3],
    ]);
    // the progress lines say what the matrix says: error for exit 2, unreachable for exit 3, never "failed"
    expect(json.stderr).toMatch(/^\[\d\/3\] error pglite:\.\/foreign /m);
    expect(json.stderr).toMatch(/^\[\d\/3\] error pglite:\.\/afile /m);
    expect(json.stderr).toMatch(/^\[\d\/3\] unreachable postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere /m);
    expect(json.stderr).not.toMatch(/\] failed /);
    const text = await runCli(args, { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^pglite:\.\/foreign\s+\.\s+error: pglite:\.\/foreign is not empty and is not a PGlite database/m);
    expect(text.stdout).toMatch(/^pglite:\.\/afile\s+\.\s+error: pglite:\.\/afile is a file, not a directory/m);
    expect(text.stdout).toMatch(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere\s+\.\s+unreachable: cannot connect to/m);
    expect(text.stdout).toContain("3 target(s): 0 at head, 0 behind, 0 ahead or on an unknown revision (not in these revision files), 1 unreachable, 2 with an error");
    expect(text.stdout + text.stderr).not.toContain("hunter2");
  }, 30_000);

  test("targets a canary kept from starting are skipped, not unreachable", async () => {
    const cwd = project();
    mkdirSync(join(cwd, "foreign"));
    writeFileSync(join(cwd, "foreign", "notes.txt"), "not a database\n");
    const run = await runCli(["current", "--dir", "versions", "--url", "pglite:./foreign", "--url", "pglite:./nodb", "--canary", "1", "--json"], { cwd });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as CurrentDoc;
    expect(doc.targets.map((t) => [t.target, t.state])).toEqual([
      ["pglite:./foreign", "error"],
      ["pglite:./nodb", "skipped"],
    ]);
  }, 30_000);
});
