import { describe, expect, test } from "bun:test";
import type { ArgsDef } from "citty";
import { expandShortClusters, normalizeCommandArgs, refuseFleetOptions, splitArgv } from "../../src/cli/argv.ts";
import { UsageError } from "../../src/errors.ts";

const names = new Set(["upgrade", "downgrade", "history", "revision"]);

describe("splitArgv", () => {
  const cases: { argv: string[]; command?: string; rest: string[]; url?: string; json?: boolean; verbose?: boolean }[] = [
    { argv: ["--url", "pglite:memory", "upgrade", "head"], command: "upgrade", rest: ["head"], url: "pglite:memory" },
    { argv: ["upgrade", "head", "--url", "pglite:memory"], command: "upgrade", rest: ["head"], url: "pglite:memory" },
    { argv: ["upgrade", "--url=pglite:x", "head"], command: "upgrade", rest: ["head"], url: "pglite:x" },
    { argv: ["--json", "downgrade", "-1"], command: "downgrade", rest: ["-1"], json: true },
    { argv: ["history", "-v", "-r", "a:b"], command: "history", rest: ["-r", "a:b"], verbose: true },
    { argv: ["upgrade", "--", "--url"], command: "upgrade", rest: ["--", "--url"] },
  ];
  for (const c of cases) {
    test(`reads ${c.argv.join(" ")}`, () => {
      const split = splitArgv(c.argv, names);
      expect(split.command).toBe(c.command);
      expect(split.rest).toEqual(c.rest);
      expect(split.globals.url).toBe(c.url);
      expect(split.globals.json).toBe(c.json ?? false);
      expect(split.globals.verbose).toBe(c.verbose ?? false);
    });
  }

  test("a global short option takes an attached value", () => {
    expect(splitArgv(["-cother.toml", "upgrade"], names).globals.config).toBe("other.toml");
  });

  test("a global option without its value is a usage error", () => {
    expect(() => splitArgv(["upgrade", "--url"], names)).toThrow(UsageError);
  });

  test("an unknown command is a usage error naming it", () => {
    expect(() => splitArgv(["upgrad", "head"], names)).toThrow(/unknown command 'upgrad'/);
  });

  test("an unknown option before the command is a usage error", () => {
    expect(() => splitArgv(["--frobnicate", "upgrade"], names)).toThrow(/unknown option --frobnicate/);
  });

  test("a value-less flag given a value is a usage error", () => {
    expect(() => splitArgv(["--json=yes", "upgrade"], names)).toThrow(/takes no value/);
  });
});

describe("normalizeCommandArgs", () => {
  const def: ArgsDef = {
    revision: { type: "positional" },
    sql: { type: "boolean" },
    message: { type: "string", alias: "m" },
    dependsOn: { type: "string" },
  };

  test("puts negative relative targets after -- so they stay positional", () => {
    expect(normalizeCommandArgs("downgrade", ["-1", "--sql"], def)).toEqual(["--sql", "--", "-1"]);
  });

  test("accepts kebab-case, aliases and both value forms", () => {
    expect(normalizeCommandArgs("revision", ["-m", "hello world", "--depends-on=abc"], def)).toEqual([
      "--message=hello world",
      "--dependsOn=abc",
      "--",
    ]);
  });

  test("takes a short option's value attached, as argparse does (history -r-3:)", () => {
    expect(normalizeCommandArgs("revision", ["-mhello", "-1"], def)).toEqual(["--message=hello", "--", "-1"]);
  });

  test("joins a repeated option into one comma-separated value", () => {
    expect(normalizeCommandArgs("revision", ["--depends-on", "a", "--depends-on", "b"], def)).toEqual(["--dependsOn=a,b", "--"]);
  });

  test("rejects an unknown option with the command named", () => {
    expect(() => normalizeCommandArgs("upgrade", ["--sqll"], def)).toThrow(/unknown option --sqll for 'retort upgrade'/);
  });

  test("rejects words a command without arguments would ignore", () => {
    expect(() => normalizeCommandArgs("history", ["ae10:"], { rev: { type: "string", alias: "r" } })).toThrow(
      /unrecognized arguments for 'retort history': ae10:/,
    );
  });

  test("rejects a string option without a value", () => {
    expect(() => normalizeCommandArgs("revision", ["-m"], def)).toThrow(/needs a value/);
  });
});

describe("expandShortClusters", () => {
  const cases: [string[], string[]][] = [
    [["history", "-vi"], ["history", "-v", "-i"]],
    [["heads", "-vq"], ["heads", "-v", "-q"]],
    [["revision", "-mhello"], ["revision", "-mhello"]],
    [["downgrade", "-12"], ["downgrade", "-12"]],
    [["upgrade", "--", "-vi"], ["upgrade", "--", "-vi"]],
  ];
  for (const [input, expected] of cases) {
    test(`reads ${input.join(" ")} as ${expected.join(" ")}`, () => {
      expect(expandShortClusters(input)).toEqual(expected);
    });
  }

  test("-r=VALUE gives the value without the equals sign, as argparse does", () => {
    expect(normalizeCommandArgs("history", ["-r=-2:"], { rev: { type: "string", alias: "r" } })).toEqual(["--rev=-2:", "--"]);
  });
});

describe("fleet options on a command that works on one database", () => {
  const fleetArgv: string[][] = [
    ["--url", "postgres://h/a", "--url", "postgres://h/b"],
    ["--targets", "list.txt"],
    ["--tenant-schemas", "a,b"],
    ["--tenant-query", "select 'a'"],
    ["--jobs", "2"],
    ["--canary", "1"],
    ["--fail-fast"],
    ["--url", "postgres://h/a", "--tenant-schemas", "a", "--create-schemas"],
  ];
  const all = new Set(["log", "verify", "dump", "history", "upgrade", "current", "lint"]);
  for (const command of ["log", "verify", "dump", "history"]) {
    for (const argv of fleetArgv) {
      test(`${command} ${argv.join(" ")}: exit 2, one line saying it works on one database`, () => {
        const { globals } = splitArgv([...argv, command], all);
        let error: unknown;
        try {
          refuseFleetOptions(command, globals);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(UsageError);
        expect((error as UsageError).exitCode).toBe(2);
        expect((error as UsageError).message).toStartWith(`${command} works on one database`);
        expect((error as UsageError).message).not.toContain("\n");
      });
    }
  }
  test("one --url is no fleet: accepted", () => {
    expect(() => refuseFleetOptions("verify", splitArgv(["--url", "postgres://h/a", "verify"], all).globals)).not.toThrow();
  });
  test("the fleet commands keep their fleet options", () => {
    for (const command of ["upgrade", "current", "lint"]) expect(() => refuseFleetOptions(command, splitArgv(["--targets", "x", command], all).globals)).not.toThrow();
  });
});
