import { describe, expect, test } from "bun:test";
import { parseConfig } from "../../src/config/config.ts";
import { splitArgv } from "../../src/cli/argv.ts";
import { ConfigError, UsageError } from "../../src/errors.ts";
import { expandTargets, parseSchemaList, parseTargetList, resolveTargetUrls, targetLabel } from "../../src/fleet/targets.ts";

describe("a target list file", () => {
  const cases: [name: string, text: string, urls: string[]][] = [
    ["one URL per line", "postgres://a/db1\npostgres://a/db2\n", ["postgres://a/db1", "postgres://a/db2"]],
    ["blank lines and comment lines are ignored", "# eu\n\npostgres://a/db1\n   \n  # us\npostgres://b/db2", ["postgres://a/db1", "postgres://b/db2"]],
    ["a comment after a URL is ignored", "postgres://a/db1   # primary\n", ["postgres://a/db1"]],
    ["a '#' inside a password is not a comment", "postgres://u:p#w@a/db1\n", ["postgres://u:p#w@a/db1"]],
    ["CRLF line ends", "postgres://a/db1\r\npostgres://a/db2\r\n", ["postgres://a/db1", "postgres://a/db2"]],
    ["only comments: no URL", "# nothing yet\n", []],
  ];
  for (const [name, text, urls] of cases) test(name, () => expect(parseTargetList(text, "fleet.txt")).toEqual(urls));

  test("two words on a line are refused with the line number, the password redacted", () => {
    expect(() => parseTargetList("postgres://a/db1\npostgres://u:hunter2@a/db2 postgres://a/db3\n", "fleet.txt")).toThrow(/^fleet\.txt:2: one URL per line/);
    try {
      parseTargetList("postgres://u:hunter2@a/db2 x", "f");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(String(error)).not.toContain("hunter2");
    }
  });
});

describe("tenant schema lists", () => {
  const cases: [string, string, string[]][] = [
    ["comma-separated", "a,b,c", ["a", "b", "c"]],
    ["spaces around names are dropped", " a , b ", ["a", "b"]],
    ["duplicates once, first position kept", "b,a,b", ["b", "a"]],
    ["names that need quoting are kept as written", "Tenant One,x-y", ["Tenant One", "x-y"]],
  ];
  for (const [name, text, schemas] of cases) test(name, () => expect(parseSchemaList(text)).toEqual(schemas));
  for (const bad of ["", "a,,b", "a,", "x".repeat(64)]) {
    test(`refuses ${JSON.stringify(bad.slice(0, 10))}`, () => expect(() => parseSchemaList(bad)).toThrow(UsageError));
  }
});

describe("the URLs of a run", () => {
  const files: Record<string, string> = { "fleet.txt": "postgres://a/db2\n# x\npostgres://a/db3\n", "-": "postgres://s/db\n", "empty.txt": "# none\n" };
  const readText = (path: string) => files[path] ?? "";
  const groups = { eu: ["postgres://eu1/db", "postgres://eu2/db"] };
  const cases: [string, Parameters<typeof resolveTargetUrls>[0], string[]][] = [
    ["repeated --url, in order", { urls: ["postgres://a/db1", "postgres://a/db2"], readText }, ["postgres://a/db1", "postgres://a/db2"]],
    ["--url then the --targets file", { urls: ["postgres://a/db1"], targets: "fleet.txt", readText }, ["postgres://a/db1", "postgres://a/db2", "postgres://a/db3"]],
    ["- reads stdin", { urls: [], targets: "-", readText }, ["postgres://s/db"]],
    ["@group from retort.toml", { urls: [], targets: "@eu", groups, readText }, ["postgres://eu1/db", "postgres://eu2/db"]],
    ["a URL named twice runs once", { urls: ["postgres://a/db2"], targets: "fleet.txt", readText }, ["postgres://a/db2", "postgres://a/db3"]],
    ["pglite directories are targets too", { urls: ["pglite:/tmp/x", "pglite:/tmp/y"], readText }, ["pglite:/tmp/x", "pglite:/tmp/y"]],
  ];
  for (const [name, sources, urls] of cases) test(name, () => expect(resolveTargetUrls(sources)).toEqual(urls));

  test("an unknown group names the known ones", () => {
    expect(() => resolveTargetUrls({ urls: [], targets: "@us", groups, readText })).toThrow("retort.toml has no [targets.us] (groups: eu)");
    expect(() => resolveTargetUrls({ urls: [], targets: "@us", readText })).toThrow("it defines no groups");
  });
  test("an empty list is bad usage", () => {
    expect(() => resolveTargetUrls({ urls: [], targets: "empty.txt", readText })).toThrow(UsageError);
  });
  test("a malformed URL is refused before anything runs, redacted", () => {
    expect(() => resolveTargetUrls({ urls: ["mysql://u:hunter2@h/db"], readText })).toThrow(/malformed database URL 'mysql:\/\/u:\*\*\*@h\/db'/);
  });
});

describe("targets and labels", () => {
  test("one target per URL without schemas", () => {
    expect(expandTargets(["postgres://u:pw@a/db1"], null)).toEqual([{ url: "postgres://u:pw@a/db1", schema: null, label: "postgres://u:***@a/db1" }]);
  });
  test("one target per URL and schema, labelled URL#schema with the password redacted", () => {
    const targets = expandTargets(["postgres://u:pw@a/db1", "postgres://b/db2?password=pw"], ["t1", "t2"]);
    expect(targets.map((t) => t.label)).toEqual([
      "postgres://u:***@a/db1#t1",
      "postgres://u:***@a/db1#t2",
      "postgres://b/db2?password=***#t1",
      "postgres://b/db2?password=***#t2",
    ]);
    expect(targets.map((t) => t.schema)).toEqual(["t1", "t2", "t1", "t2"]);
  });
  test("targetLabel never shows a password", () => {
    expect(targetLabel("postgresql://me:s3cr%2Fet@h:5433/db", "acme")).toBe("postgresql://me:***@h:5433/db#acme");
  });
});

describe("[targets.<name>] in retort.toml", () => {
  test("groups are read as lists of URLs", () => {
    const config = parseConfig("/p/retort.toml", `url = "postgres://x/db"\n[targets.eu]\nurls = ["postgres://eu1/db", " postgres://eu2/db "]\n[targets.us]\nurls = []\n`);
    expect(config.targets).toEqual({ eu: ["postgres://eu1/db", "postgres://eu2/db"], us: [] });
    expect(config.url).toBe("postgres://x/db");
  });
  for (const [name, text] of [
    ["urls not a list", `[targets.eu]\nurls = "postgres://x/db"\n`],
    ["an unknown key in a group", `[targets.eu]\nurls = []\nhosts = []\n`],
    ["a non-string URL", `[targets.eu]\nurls = [1]\n`],
    ["targets not a table", `targets = "x"\n`],
  ] as const) {
    test(`refuses ${name}`, () => expect(() => parseConfig("/p/retort.toml", text)).toThrow(ConfigError));
  }
});

describe("global fleet options on the command line", () => {
  const names = new Set(["upgrade", "current"]);
  test("a repeated --url is kept as a list; url stays the last one", () => {
    const { globals } = splitArgv(["--url", "postgres://a/1", "upgrade", "head", "--url=postgres://a/2"], names);
    expect(globals.urls).toEqual(["postgres://a/1", "postgres://a/2"]);
    expect(globals.url).toBe("postgres://a/2");
  });
  test("one --url: the single-database run as before", () => {
    const { globals } = splitArgv(["upgrade", "head", "--url", "postgres://a/1"], names);
    expect(globals.url).toBe("postgres://a/1");
    expect(globals.urls).toEqual(["postgres://a/1"]);
  });
  test("fleet options anywhere, both forms", () => {
    const { globals, rest } = splitArgv(
      ["--targets=@eu", "upgrade", "--jobs", "8", "head", "--canary=2", "--fail-fast", "--tenant-schemas", "a,b", "--create-schemas", "--tenant-query", "select 1"],
      names,
    );
    expect(rest).toEqual(["head"]);
    expect(globals).toMatchObject({ targets: "@eu", jobs: "8", canary: "2", failFast: true, tenantSchemas: "a,b", createSchemas: true, tenantQuery: "select 1" });
  });
});
