/**
 * Commands that work on one database refuse the fleet options through the CLI
 * (exit 2, one line) instead of ignoring them: log, verify and dump here,
 * every other non-fleet command in tests/cli/argv.test.ts.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { writeSqlRevision } from "../helpers/project.ts";

describe("log, verify and dump refuse fleet options", () => {
  const cwd = tempDir("one-database-");
  mkdirSync(join(cwd, "versions"));
  writeSqlRevision(join(cwd, "versions"), "aaaa00000001", "", "CREATE TABLE t (id bigint);", { downgrade: "DROP TABLE t;" });
  writeFileSync(join(cwd, "targets.txt"), "pglite:./db1\npglite:./db2\n");
  const fleets: string[][] = [
    ["--url", "pglite:./db1", "--url", "pglite:./db2"],
    ["--targets", "targets.txt"],
    ["--tenant-schemas", "a,b"],
    ["--url", "pglite:./db1", "--tenant-query", "select 'a'"],
    ["--url", "pglite:./db1", "--jobs", "2"],
  ];
  for (const command of ["log", "verify", "dump"]) {
    test(`${command}: exit 2, one line naming the options, nothing run`, async () => {
      for (const fleet of fleets) {
        const run = await runCli(["--dir", "versions", ...fleet, command], { cwd });
        expect({ fleet, code: run.code, stdout: run.stdout }).toEqual({ fleet, code: 2, stdout: "" });
        expect(run.stderr.trim().split("\n")).toHaveLength(1);
        expect(run.stderr).toContain(`${command} works on one database: it takes no fleet options (got --`);
      }
    }, 60_000);
  }
});
