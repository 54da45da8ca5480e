/**
 * `validate`, `lint` and `diff` over a fleet of pglite:<dir> targets that
 * hold no database (a missing directory, an empty one): each target is
 * judged as the one-database command judges such a directory, with the same
 * exit code, and nothing is created there.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { writeSqlRevision } from "../helpers/project.ts";

/** A project whose second revision builds an index on the table its first creates (no finding from base), plus `extra` as a third. */
function project(extra?: string): string {
  const cwd = tempDir("fleet-missing-");
  mkdirSync(join(cwd, "versions"));
  mkdirSync(join(cwd, "empty"));
  writeSqlRevision(join(cwd, "versions"), "aaaa00000001", "", "CREATE TABLE items (id bigint PRIMARY KEY, name text);");
  writeSqlRevision(join(cwd, "versions"), "bbbb00000002", "aaaa00000001", "CREATE INDEX items_name ON items (name);");
  if (extra !== undefined) writeSqlRevision(join(cwd, "versions"), "cccc00000003", "bbbb00000002", extra);
  return cwd;
}

interface FleetDoc {
  targets: { target: string; status: string; error: { kind: string; exitCode: number } | null }[];
}

/** The command over the fleet `pglite:./nodb pglite:./empty` and on `pglite:./nodb` alone: exit codes, each fleet target's status, and the fleet's stderr. */
async function both(cwd: string, command: string): Promise<{ fleet: number; one: number; statuses: string[][]; stderr: string }> {
  const fleet = await runCli([command, "--dir", "versions", "--url", "pglite:./nodb", "--url", "pglite:./empty", "--json"], { cwd });
  const one = await runCli([command, "--dir", "versions", "--url", "pglite:./nodb"], { cwd });
  const doc = JSON.parse(fleet.stdout) as FleetDoc;
  // nothing was created by either
  expect(existsSync(join(cwd, "nodb"))).toBe(false);
  expect(readdirSync(join(cwd, "empty"))).toEqual([]);
  return { fleet: fleet.code, one: one.code, statuses: doc.targets.map((t) => [t.target, t.status, t.error?.kind ?? ""]), stderr: fleet.stderr };
}

describe("read commands over a fleet of pglite:<dir> targets that hold no database", () => {
  test("validate: empty, nothing recorded to compare (exit 0), as for one database", async () => {
    const run = await both(project(), "validate");
    expect(run).toMatchObject({ fleet: 0, one: 0, statuses: [["pglite:./nodb", "ok", ""], ["pglite:./empty", "ok", ""]] });
    expect(run.stderr).toContain("ok pglite:./nodb");
    expect(run.stderr).toContain("at base: there is no database at pglite:./nodb (nothing was created there), nothing recorded to compare");
  }, 60_000);

  test("lint: every revision is pending from base, judged against an empty database (the index is on a table the run creates)", async () => {
    const run = await both(project(), "lint");
    expect(run).toMatchObject({ fleet: 0, one: 0, statuses: [["pglite:./nodb", "ok", ""], ["pglite:./empty", "ok", ""]] });
    expect(run.stderr).toContain("at base (there is no database at pglite:./nodb; nothing was created there), 2 pending revision(s), no error-level finding");
  }, 60_000);

  test("lint: an error-level finding in a pending revision fails the target (exit 1), as one-database lint exits 1", async () => {
    const run = await both(project("BEGIN;\nCREATE TABLE tags (id bigint);\nCOMMIT;"), "lint");
    expect(run).toMatchObject({ fleet: 1, one: 1, statuses: [["pglite:./nodb", "failed", "LintErrorsFound"], ["pglite:./empty", "failed", "LintErrorsFound"]] });
    expect(run.stderr).toContain("transaction-nesting");
  }, 60_000);

  test("diff: there is no database to compare (exit 3), as one-database diff says", async () => {
    const run = await both(project(), "diff");
    expect(run).toMatchObject({ fleet: 3, one: 3, statuses: [["pglite:./nodb", "unreachable", "DatabaseMissingError"], ["pglite:./empty", "unreachable", "DatabaseMissingError"]] });
    expect(run.stderr).toContain("pglite:./nodb holds no database yet");
  }, 60_000);
});
