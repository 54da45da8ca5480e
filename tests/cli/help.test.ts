import { describe, expect, test } from "bun:test";
import type { ArgsDef, CommandDef } from "citty";
import { GLOBAL_OPTION_NAMES } from "../../src/cli/argv.ts";
import { commands } from "../../src/cli/commands.ts";
import { commandHelp, didYouMean, GLOBAL_OPTIONS, helpJson, kebab, rootHelp, usageLine, type CommandHelp } from "../../src/cli/help.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

async function allHelp(): Promise<CommandHelp[]> {
  return Promise.all(
    Object.entries(commands).map(async ([name, load]) => {
      const def = (await load()) as CommandDef<ArgsDef>;
      const meta = (await def.meta) as { description?: string } | undefined;
      const args = ((await def.args) ?? {}) as ArgsDef;
      return { name, description: meta?.description ?? "", args };
    }),
  );
}

describe("help text", () => {
  test("documents exactly the global options argv.ts accepts", () => {
    const documented = GLOBAL_OPTIONS.flatMap((o) => o.flags).sort();
    expect(documented).toEqual([...GLOBAL_OPTION_NAMES].sort());
  });

  test("every command's page lists each of its options in kebab-case, the global options and the exit codes, with no trailing spaces", async () => {
    for (const command of await allHelp()) {
      const page = commandHelp(command);
      expect(page.startsWith(`Usage: retort ${command.name}`)).toBe(true);
      for (const [name, arg] of Object.entries(command.args)) {
        if (arg.type !== "positional") expect(page, `${command.name} --${kebab(name)}`).toContain(`--${kebab(name)}`);
      }
      expect(page).toContain("--version-table-schema SCHEMA");
      expect(page).toContain("Exit codes:");
      expect(page).toContain("3    database unreachable");
      for (const line of page.split("\n")) expect(line, `${command.name}: ${JSON.stringify(line)}`).toBe(line.trimEnd());
    }
  });

  test("the top-level page names every command, the URL forms, the environment variables and the exit codes", async () => {
    const all = await allHelp();
    const page = rootHelp("9.9.9", all);
    for (const command of all) expect(page).toMatch(new RegExp(`^  ${command.name} +\\S`, "m"));
    for (const needle of ["pglite:memory", "pglite:DIR", "postgres://", "RETORT_DATABASE_URL", "DATABASE_URL", "RETORT_CONFIG", "130"]) expect(page).toContain(needle);
    for (const line of page.split("\n")) expect(line).toBe(line.trimEnd());
  });

  test("option descriptions start in one column per section", () => {
    const page = commandHelp({
      name: "x",
      description: "d",
      args: { a: { type: "boolean", description: "alpha-text" }, longerName: { type: "string", valueHint: "N", description: "beta-text" } },
    });
    const columns = page
      .split("\n")
      .filter((l) => l.includes("alpha-text") || l.includes("beta-text"))
      .map((l) => l.search(/alpha-text|beta-text/));
    expect(columns).toHaveLength(2);
    expect(columns[0]).toBe(columns[1]!);
  });

  test.each([
    [{ revision: { type: "positional", required: false, valueHint: "REVISION" } }, "retort c REVISION"],
    [{ revision: { type: "positional", required: false, valueHint: "REVISION..." } }, "retort c REVISION..."],
    [{ directory: { type: "positional", required: false, valueHint: "[DIRECTORY]" } }, "retort c [DIRECTORY]"],
    [{ directory: { type: "positional", required: false } }, "retort c [DIRECTORY]"],
    [{ rev: { type: "positional" }, sql: { type: "boolean" } }, "retort c [OPTIONS] REV"],
  ] as [ArgsDef, string][])("usage line for %j is %s", (args, expected) => {
    expect(usageLine({ name: "c", description: "", args })).toBe(expected);
  });

  test("--help --json describes the command as data", async () => {
    const all = await allHelp();
    const upgrade = all.find((c) => c.name === "upgrade")!;
    const doc = helpJson("1.0.0", all, upgrade) as { command: { usage: string; arguments: { name: string; required: boolean }[] }; exitCodes: { code: number }[] };
    expect(doc.command.usage).toBe("retort upgrade [OPTIONS] REVISION");
    expect(doc.command.arguments).toEqual([expect.objectContaining({ name: "REVISION", required: true })]);
    expect(doc.exitCodes.map((e) => e.code)).toEqual([0, 1, 2, 3, 130]);
  });
});

describe("did you mean", () => {
  const names = ["init", "revision", "merge", "upgrade", "downgrade", "stamp", "current", "history", "heads", "branches", "show", "check", "diff"];
  test.each([
    ["upgade", "upgrade"],
    ["upgrde", "upgrade"],
    ["downgrad", "downgrade"],
    ["histroy", "history"],
    ["hist", "history"],
    ["stmp", "stamp"],
    ["--lock-timout", undefined],
    ["frobnicate", undefined],
    ["x", undefined],
  ])("%s → %s", (word, expected) => {
    expect(didYouMean(word, names)).toBe(expected);
  });
  test("flags are matched among flags", () => {
    expect(didYouMean("--lock-timout", ["--sql", "--lock-timeout"])).toBe("--lock-timeout");
  });
});

describe("help through the CLI", () => {
  test("retort help upgrade is retort upgrade --help; a misspelt command suggests the right one with exit 2", async () => {
    const cwd = tempDir("help-");
    const viaHelp = await runCli(["help", "upgrade"], { cwd });
    const viaFlag = await runCli(["upgrade", "--help"], { cwd });
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toContain("--lock-timeout SECONDS");
    const typo = await runCli(["upgade", "head"], { cwd });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean 'upgrade'?");
    const version = await runCli(["--version", "--json"], { cwd });
    expect(JSON.parse(version.stdout)).toEqual(expect.objectContaining({ version: expect.any(String) }));
    const none = await runCli([], { cwd });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("Usage: retort");
  });
});

describe("small things on the command line", () => {
  test("--verbose shows the cause chain as names, messages and frames, never source text", async () => {
    const { causeChain } = await import("../../src/cli/main.ts");
    const inner = new Error("socket closed");
    const outer = new Error("cannot connect", { cause: inner });
    const text = causeChain(outer);
    expect(text).toMatch(/^Error: cannot connect\n/);
    expect(text).toContain("\ncaused by: Error: socket closed\n");
    expect(text).toMatch(/^\s+at /m);
    // Bun.inspect would print the line of source with a caret under it
    expect(text).not.toContain("new Error(");
    expect(causeChain("plain")).toBe("plain\n");
  });

  test("init -q prints nothing; show current shows the revisions the database is at", async () => {
    const cwd = tempDir("small-");
    const quiet = await runCli(["init", "-q"], { cwd });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe("");
    const dir = `${cwd}/migrations/versions`;
    await Bun.write(`${dir}/aaaa00000001_one.sql`, "-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: one\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
    await Bun.write(`${dir}/bbbb00000002_two.sql`, "-- Revision ID: bbbb00000002\n-- Revises: aaaa00000001\n-- Message: two\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
    const empty = await runCli(["show", "current", "--url", "pglite:./db"], { cwd });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe("");
    expect((await runCli(["upgrade", "aaaa00000001", "--url", "pglite:./db"], { cwd })).code).toBe(0);
    const shown = await runCli(["show", "current", "--url", "pglite:./db"], { cwd });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("Rev: aaaa00000001");
    expect(shown.stdout).not.toContain("bbbb00000002 ");
  });
});

describe("output while it works", () => {
  test("-v says which database it opens before the steps; each step says Running before and Done (with its duration) after", async () => {
    const cwd = tempDir("works-");
    const dir = `${cwd}/versions`;
    await Bun.write(`${dir}/aaaa00000001_one.sql`, "-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: one\n\n-- migrate:upgrade\nCREATE TABLE one (id int);\n\n-- migrate:downgrade\nDROP TABLE one;\n");
    const run = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:memory", "-v", "--no-lint"], { cwd });
    expect(run.code).toBe(0);
    const lines = run.stderr.split("\n");
    const opening = lines.findIndex((l) => l.includes("Opening pglite:memory"));
    const running = lines.findIndex((l) => l.endsWith("Running upgrade  -> aaaa00000001, one"));
    const done = lines.findIndex((l) => /Done upgrade {2}-> aaaa00000001 \(\d+(\.\d)? m?s\)$/.test(l));
    expect(opening).toBeGreaterThanOrEqual(0);
    expect(running).toBeGreaterThan(opening);
    expect(done).toBeGreaterThan(running);
  });
});

describe("-q", () => {
  test("leaves only errors on stderr: no step lines, no lint warnings", async () => {
    const cwd = tempDir("quiet-");
    await Bun.write(`${cwd}/versions/aaaa00000001_one.sql`, "-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: one\n\n-- migrate:upgrade\nCREATE TABLE one (id int);\n\n-- migrate:downgrade\nDROP TABLE one;\n");
    const loud = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:memory"], { cwd });
    expect(loud.stderr).toContain("WARN");
    const quiet = await runCli(["upgrade", "head", "--dir", "versions", "--url", "pglite:memory", "-q"], { cwd });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
  });
});
