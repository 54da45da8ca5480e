/** A version table (or schema) name PostgreSQL would cut at 63 bytes is refused up front, exit 2. */
import { describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { versionTableName, versionTableNameProblem } from "../../src/runtime/version-table.ts";
import { ConfigError } from "../../src/errors.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

describe("version table names", () => {
  const cases: [string, boolean][] = [
    ["a".repeat(63), true],
    ["a".repeat(64), false],
    ["é".repeat(31), true], // 62 bytes
    ["é".repeat(32), false], // 64 bytes, 32 characters
    ["", false],
  ];
  for (const [name, ok] of cases) {
    test(`${name.length} characters, ${new TextEncoder().encode(name).length} bytes: ${ok ? "accepted" : "refused"}`, () => {
      expect(versionTableNameProblem(name, "--version-table") === undefined).toBe(ok);
    });
  }

  test("the programmatic API refuses them too", () => {
    expect(() => versionTableName("x".repeat(64))).toThrow(ConfigError);
    expect(() => versionTableName(null, "s".repeat(64))).toThrow(ConfigError);
  });

  test("--version-table, --version-table-schema and retort.toml: exit 2 before anything is opened", async () => {
    const cwd = tempDir("vt-name-");
    const long = "v".repeat(64);
    const flag = await runCli(["upgrade", "head", "--url", "pglite:db", "--version-table", long], { cwd });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe("FAILED: --version-table is 64 bytes long; PostgreSQL names are at most 63 bytes\n");
    const schema = await runCli(["current", "--url", "pglite:db", `--version-table-schema=${"é".repeat(32)}`], { cwd });
    expect(schema.code).toBe(2);
    expect(schema.stderr).toContain("--version-table-schema is 64 bytes long");
    writeFileSync(join(cwd, "retort.toml"), `version_table = "${long}"\n`);
    const config = await runCli(["stamp", "head", "--url", "pglite:db"], { cwd });
    expect(config.code).toBe(2);
    expect(config.stderr).toContain("'version_table' is 64 bytes long");
    expect(existsSync(join(cwd, "db"))).toBe(false);
  }, 30_000);
});
