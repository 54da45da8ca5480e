import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";

test("Python revision files in the revision directory are pointed out once, on stderr, by the commands that load revisions", async () => {
  const cwd = tempDir("py-notice-");
  const versions = join(cwd, "migrations/versions");
  mkdirSync(versions, { recursive: true });
  writeFileSync(join(versions, "ffa7dce781be_create_sample_table.py"), 'revision = "ffa7dce781be"\ndown_revision = None\n');
  writeFileSync(join(versions, "__init__.py"), "");
  writeFileSync(join(versions, "aaa_first.sql"), "-- Revision ID: aaa\n-- Revises:\n-- Message: first\n\n-- migrate:upgrade\nSELECT 1;\n");
  const [history, revision] = await Promise.all([
    runCli(["history", "--json"], { cwd }),
    runCli(["revision", "-m", "next", "--sql"], { cwd }),
  ]);
  for (const run of [history, revision]) {
    expect(run.code).toBe(0);
    expect(run.stderr.match(/import-alembic/g)).toHaveLength(1);
    expect(run.stderr).toContain("1 Python file(s) (ffa7dce781be_create_sample_table.py)");
  }
  expect(JSON.parse(history.stdout).revisions).toHaveLength(1);
});
