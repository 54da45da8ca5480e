import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lockTimeoutProblem, parseConfig } from "../../src/config/config.ts";
import { ConfigError } from "../../src/errors.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

/** A project with one revision, so upgrade has something to plan. */
function project(toml?: string): string {
  const cwd = tempDir("lock-timeout-");
  mkdirSync(join(cwd, "migrations/versions"), { recursive: true });
  writeFileSync(join(cwd, "migrations/versions/a1_first.sql"), "-- Revision ID: a1\n-- Revises:\n\n-- migrate:upgrade\nSELECT 1;\n");
  if (toml !== undefined) writeFileSync(join(cwd, "retort.toml"), toml);
  return cwd;
}

describe("the migration lock timeout is checked when it is read", () => {
  const cases: [string, number, string | undefined][] = [
    ["zero (do not wait)", 0, undefined],
    ["PostgreSQL's largest lock_timeout, 2147483.647 s", 2147483.647, undefined],
    ["one millisecond beyond it", 2147483.648, "takes at most 2147483 seconds (PostgreSQL's lock_timeout limit, about 24 days)"],
    ["a negative number", -1, "takes a number of seconds (0 or more)"],
    ["NaN", Number.NaN, "takes a number of seconds (0 or more)"],
    ["infinity", Number.POSITIVE_INFINITY, "takes a number of seconds (0 or more)"],
  ];
  for (const [name, seconds, problem] of cases) {
    test(`${name}: ${problem ?? "accepted"}`, () => {
      expect(lockTimeoutProblem(seconds)).toBe(problem);
    });
  }

  test("a bad lock_timeout in retort.toml is an error naming the file and the key", () => {
    const error = (() => {
      try {
        return parseConfig("/p/retort.toml", "lock_timeout = 1e12\n");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      "/p/retort.toml: 'lock_timeout' takes at most 2147483 seconds (PostgreSQL's lock_timeout limit, about 24 days), got 1000000000000",
    );
    expect(() => parseConfig("/p/retort.toml", "lock_timeout = -5\n")).toThrow("/p/retort.toml: 'lock_timeout' takes a number of seconds (0 or more), got -5");
    expect(parseConfig("/p/retort.toml", "lock_timeout = 2.5\n").lockTimeout).toBe(2.5);
  });

  test("--lock-timeout beyond the limit is exit 2 before any connection is tried", async () => {
    // port 1 refuses connections: trying would be exit 3
    const run = await runCli(["upgrade", "head", "--url", "postgres://app:pw@127.0.0.1:1/db", "--lock-timeout", "2147484"], { cwd: project() });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("FAILED: --lock-timeout takes at most 2147483 seconds (PostgreSQL's lock_timeout limit, about 24 days), got '2147484'\n");
    const bad = await runCli(["upgrade", "head", "--sql", "--lock-timeout", "soon"], { cwd: project() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--lock-timeout takes a number of seconds (0 or more), got 'soon'");
  });

  test("a bad lock_timeout in retort.toml is exit 2 naming the key", async () => {
    const run = await runCli(["upgrade", "head", "--sql"], { cwd: project("lock_timeout = -5\n") });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^FAILED: .*retort\.toml: 'lock_timeout' takes a number of seconds \(0 or more\), got -5\n$/);
  });
});
