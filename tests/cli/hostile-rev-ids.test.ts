/**
 * A --rev-id becomes the start of a file name: ids that would leave the
 * revision directory, hide the file or break later loading are refused
 * (exit 2) before anything is written, by revision, merge and autogenerate.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { revisionIdProblem } from "../../src/revisions/fields.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

/** Every file and directory under `root`, recursively, as sorted relative paths. */
function listing(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).map(String).sort();
}

const HOSTILE = ["../../x", "../escape", "/ABS", ".", "..", ".hidden", "a/b", "a\\b", "a b", "a\tb", "a\nb", "a\x1b[31mb", "a\x07b", "a\u0085b"];

describe("hostile revision ids", () => {
  for (const id of HOSTILE) {
    test(`${JSON.stringify(id).replace(/[\x7f-\x9f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)} is not a revision id`, () => {
      expect(revisionIdProblem(id)).toBeString();
    });
  }
  test("plain ids still are", () => {
    for (const id of ["ffa7dce781be", "1a2b3c4d5e6f", "release_2.0", "ÄÖ_1"]) expect(revisionIdProblem(id)).toBeUndefined();
  });

  test("revision, merge and revision --autogenerate write nothing for any of them (exit 2)", async () => {
    const root = tempDir("hostile-");
    const cwd = join(root, "project", "app");
    mkdirSync(join(cwd, "migrations/versions"), { recursive: true });
    writeFileSync(join(cwd, "migrations/versions/aaaa00000001_one.sql"), "-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: one\n\n-- migrate:upgrade\nSELECT 1;\n");
    writeFileSync(join(cwd, "schema.sql"), "CREATE TABLE t (id int);\n");
    const before = listing(root);
    const ids = HOSTILE.map((id) => id.replace("/ABS", join(root, "abs")));
    const runs = await Promise.all([
      ...ids.map((id) => runCli(["revision", "-m", "m", "--rev-id", id], { cwd })),
      ...["../../x", "a\\b", "."].flatMap((id) => [
        runCli(["merge", "heads", "-m", "m", "--rev-id", id], { cwd }),
        runCli(["revision", "--autogenerate", "-m", "m", "--rev-id", id], { cwd }),
        runCli(["revision", "--ts", "-m", "m", "--rev-id", id], { cwd }),
      ]),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^FAILED: --rev-id: revision id .* (contains|starts with)/);
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
    expect(listing(root)).toEqual(before);
    // the escaping ids were relative to the revision directory: nothing appeared above the scratch root either
    expect(readdirSync(join(root, "..")).some((name) => name.startsWith("x_") || name.startsWith("escape_"))).toBe(false);
  }, 60_000);
});
