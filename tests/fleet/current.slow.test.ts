/**
 * `current` over a fleet, through the CLI, on pglite:<dir> targets (no
 * server needed): a directory that holds no database is at base, as the
 * one-database command says.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
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
});
