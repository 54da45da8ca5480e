/**
 * Revision messages (and anything else printed) cannot drive the terminal:
 * control characters come out escaped in every text output, log line and
 * error message; --json keeps the value; --sql scripts stay verbatim.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { escapeControls } from "../../src/cli/output.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

describe("escaping control characters", () => {
  const cases: [string, string][] = [
    ["plain text, tabs\tand\nnewlines", "plain text, tabs\tand\nnewlines"],
    ["\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"],
    ["bell\x07", "bell\\x07"],
    ["\x1b]0;title\x07", "\\x1b]0;title\\x07"],
    ["over\rwrite", "over\\rwrite"],
    ["C1 CSI \x9b2J and NEL \x85", "C1 CSI \\x9b2J and NEL \\x85"],
    ["NUL \0 and DEL \x7f", "NUL \\x00 and DEL \\x7f"],
    ["ünïcödé ✓ stays", "ünïcödé ✓ stays"],
  ];
  for (const [input, shown] of cases) {
    // the title shows only the escaped form: raw controls would act on the test runner's terminal
    test(`prints ${JSON.stringify(shown)}`, () => {
      expect(escapeControls(input)).toBe(shown);
    });
  }

  test("history, show, heads, log lines and errors print a hostile message escaped", async () => {
    const cwd = tempDir("escape-");
    const dir = join(cwd, "migrations/versions");
    mkdirSync(dir, { recursive: true });
    const message = "evil \x1b[2J\x1b]0;pwned\x07 \x9b31m \rdone";
    writeFileSync(join(dir, "aaaa00000001_evil.sql"), `-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: ${message}\n\n-- migrate:upgrade\nSELECT E'\x1b';\n\n-- migrate:downgrade\nSELECT 1;\n`);
    writeFileSync(join(dir, "bbbb00000002_fails.sql"), `-- Revision ID: bbbb00000002\n-- Revises: aaaa00000001\n-- Message: fails \x1b[31m\n\n-- migrate:upgrade\nSELECT 1/0;\n`);
    const runs = await Promise.all([
      runCli(["history"], { cwd }),
      runCli(["history", "-v"], { cwd }),
      runCli(["show", "aaaa00000001"], { cwd }),
      runCli(["heads", "-v"], { cwd }),
      runCli(["upgrade", "head", "-v", "--url", "pglite:memory"], { cwd }),
      runCli(["show", "aaaa\x1b[2J"], { cwd }),
    ]);
    const raw = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
    for (const run of runs) {
      expect(run.stdout).not.toMatch(raw);
      expect(run.stderr).not.toMatch(raw);
    }
    const [history, verbose, show, heads, upgrade, unknown] = runs;
    expect(history!.stdout).toContain("evil \\x1b[2J\\x1b]0;pwned\\x07 \\x9b31m \\rdone");
    expect(verbose!.stdout).toContain("\\x1b[2J");
    expect(show!.stdout).toContain("\\x1b]0;pwned\\x07");
    expect(heads!.stdout).toContain("fails \\x1b[31m");
    expect(upgrade!.stderr).toContain("Running upgrade  -> aaaa00000001, evil \\x1b[2J");
    expect(upgrade!.stderr).toMatch(/FAILED: .*fails \\x1b\[31m/);
    expect(unknown!.stderr).toContain("aaaa\\x1b[2J");
  }, 30_000);

  test("--json keeps the message as it is (escaped by JSON), --sql scripts stay verbatim", async () => {
    const cwd = tempDir("escape-");
    const dir = join(cwd, "migrations/versions");
    mkdirSync(dir, { recursive: true });
    const message = "evil \x1b[2J \x9b31m";
    writeFileSync(join(dir, "aaaa00000001_evil.sql"), `-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: ${message}\n\n-- migrate:upgrade\nSELECT '\x1b';\n`);
    const [json, sql] = await Promise.all([runCli(["show", "aaaa00000001", "--json"], { cwd }), runCli(["upgrade", "head", "--sql"], { cwd })]);
    expect(json.stdout).not.toMatch(/[\x1b\x9b]/);
    expect(JSON.parse(json.stdout).revisions[0].message).toBe(message);
    expect(sql.stdout).toContain("SELECT '\x1b';");
  }, 30_000);
});
