import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { splitArgv } from "../../src/cli/argv.ts";
import { CliContext } from "../../src/cli/context.ts";
import { fleetSpec, isFleet } from "../../src/cli/fleet.ts";
import { createLogger } from "../../src/cli/log.ts";
import { Output } from "../../src/cli/output.ts";
import { UsageError } from "../../src/errors.ts";
import { tempDir } from "../helpers/cli.ts";

/** A CLI context for `retort ARGV current` in a directory with this retort.toml (if any). */
function contextFor(argv: string[], toml?: string): CliContext {
  const cwd = tempDir("fleet-spec-");
  if (toml !== undefined) writeFileSync(join(cwd, "retort.toml"), toml);
  writeFileSync(join(cwd, "list.txt"), "# two\npostgres://h/a\npostgres://h/b\n");
  const { globals } = splitArgv([...argv, "current"], new Set(["current"]));
  return new CliContext(globals, createLogger("quiet"), new Output(false), cwd);
}

describe("whether a command line is a fleet run", () => {
  const cases: [string[], boolean][] = [
    [[], false],
    [["--url", "postgres://h/a"], false],
    [["--url", "postgres://h/a", "--json", "-v"], false],
    [["--url", "postgres://h/a", "--url", "postgres://h/b"], true],
    [["--targets", "list.txt"], true],
    [["--tenant-schemas", "a"], true],
    [["--tenant-query", "select 'a'"], true],
    [["--jobs", "2"], true],
    [["--canary", "1"], true],
    [["--fail-fast"], true],
  ];
  for (const [argv, fleet] of cases) test(`${argv.join(" ") || "(nothing)"}: ${fleet}`, () => expect(isFleet(contextFor(argv))).toBe(fleet));
});

describe("the targets and schedule of a fleet run", () => {
  test("--url and a --targets file, schemas and schedule", () => {
    const { spec, schedule } = fleetSpec(contextFor(["--url", "postgres://h/z", "--targets", "list.txt", "--tenant-schemas", "t1,t2", "--create-schemas", "--jobs", "8", "--canary", "1"]));
    expect(spec.urls).toEqual(["postgres://h/z", "postgres://h/a", "postgres://h/b"]);
    expect(spec.schemas).toEqual(["t1", "t2"]);
    expect(spec.createSchemas).toBe(true);
    expect(schedule).toEqual({ jobs: 8, canary: 1, failFast: false });
  });
  test("@group from retort.toml", () => {
    const { spec } = fleetSpec(contextFor(["--targets", "@eu"], `[targets.eu]\nurls = ["postgres://eu1/db", "postgres://eu2/db"]\n`));
    expect(spec.urls).toEqual(["postgres://eu1/db", "postgres://eu2/db"]);
  });
  test("tenant options alone run on the resolved database URL", () => {
    const { spec } = fleetSpec(contextFor(["--tenant-schemas", "a"], `url = "postgres://cfg/db"\n`));
    expect(spec.urls).toEqual(["postgres://cfg/db"]);
  });
  const bad: [string, string[], RegExp][] = [
    ["both tenant options", ["--tenant-schemas", "a", "--tenant-query", "select 'a'"], /give one/],
    ["--create-schemas without tenants", ["--url", "postgres://h/a", "--url", "postgres://h/b", "--create-schemas"], /goes with --tenant-schemas/],
    ["a missing list file", ["--targets", "nope.txt"], /--targets nope.txt: cannot read it \(ENOENT\)/],
    ["--jobs 0", ["--url", "postgres://h/a", "--jobs", "0"], /--jobs takes a whole number of at least 1/],
  ];
  for (const [name, argv, message] of bad) {
    test(`refuses ${name} (exit 2)`, () => {
      expect(() => fleetSpec(contextFor(argv))).toThrow(UsageError);
      expect(() => fleetSpec(contextFor(argv))).toThrow(message);
    });
  }
});
