/**
 * `lint` and `validate` over a fleet, through the CLI: each target's progress
 * line says the status its row of the table ends with, and the closing line's
 * advice is the command's own (not the migration's "run the same command again").
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { writeSqlRevision } from "../helpers/project.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const available = await postgresAvailable();

/** "[1/2] failed URL (…): …" lines on stderr, as target URL → status. */
function progressStatuses(stderr: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stderr.matchAll(/^\[\d+\/\d+\] (\w+) (\S+) \(/gm)) out[m[2]!] = m[1]!;
  return out;
}

describe.if(available)("lint and validate over a fleet: progress and advice", () => {
  const dbs: TempDatabase[] = [];
  let cwd = "";
  let dir = "";
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) dbs.push(await createTempDatabase("retort_fleet_read"));
    cwd = tempDir("fleet-read-");
    dir = join(cwd, "versions");
    mkdirSync(dir);
    writeSqlRevision(dir, "aaaa00000001", "", "CREATE TABLE items (id bigint PRIMARY KEY, name text);");
    writeSqlRevision(dir, "bbbb00000002", "aaaa00000001", "CREATE INDEX items_name_idx ON items (name);");
  });
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  test("lint: the target behind fails in its progress line, as in the table; the advice is lint's", async () => {
    // the first database is at head; the second still has the index to build on its existing table
    expect((await runCli(["upgrade", "head", "--dir", "versions", "--url", dbs[0]!.url, "--no-lint"], { cwd })).code).toBe(0);
    expect((await runCli(["upgrade", "aaaa00000001", "--dir", "versions", "--url", dbs[1]!.url, "--no-lint"], { cwd })).code).toBe(0);
    const run = await runCli(["lint", "--dir", "versions", "--url", dbs[0]!.url, "--url", dbs[1]!.url, "--json"], { cwd });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as { targets: { target: string; status: string }[] };
    expect(doc.targets.map((t) => t.status)).toEqual(["ok", "failed"]);
    expect(progressStatuses(run.stderr)).toEqual(Object.fromEntries(doc.targets.map((t) => [t.target, t.status])));
    expect(run.stderr).toContain("nothing pending to lint");
    expect(run.stderr).toContain("then lint again");
    expect(run.stderr).not.toContain("run the same command again");
  }, 60_000);

  test("validate: a progress line says nothing of migrating; the advice is validate's", async () => {
    const urls = dbs.flatMap((db) => ["--url", db.url]);
    writeSqlRevision(dir, "aaaa00000001", "", "CREATE TABLE items (id bigint PRIMARY KEY, name varchar);");
    const run = await runCli(["validate", "--dir", "versions", ...urls, "--json"], { cwd });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as { targets: { target: string; status: string }[] };
    expect(progressStatuses(run.stderr)).toEqual(Object.fromEntries(doc.targets.map((t) => [t.target, t.status])));
    expect(run.stderr).toContain("--allow-changed");
    expect(run.stderr).not.toContain("run the same command again");
    writeSqlRevision(dir, "aaaa00000001", "", "CREATE TABLE items (id bigint PRIMARY KEY, name text);");
    const clean = await runCli(["validate", "--dir", "versions", ...urls], { cwd });
    expect(clean.code).toBe(0);
    expect(clean.stderr).toMatch(/^\[\d\/2\] ok .*: at bbbb00000002, 2 applied revision\(s\) match their files$/m);
    expect(clean.stderr).not.toContain("nothing to do");
  }, 60_000);
});

describe.if(available)("lint over a fleet, one-database lint and upgrade's pre-flight judge a database alike", () => {
  const dbs: TempDatabase[] = [];
  let cwd = "";
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) dbs.push(await createTempDatabase("retort_fleet_preflight"));
    cwd = tempDir("fleet-preflight-");
    mkdirSync(join(cwd, "versions"));
    writeSqlRevision(join(cwd, "versions"), "aaaa00000001", "", "CREATE TABLE items (id bigint PRIMARY KEY, name text);");
    writeSqlRevision(join(cwd, "versions"), "bbbb00000002", "aaaa00000001", "CREATE INDEX items_name_idx ON items (name);");
  });
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  /**
   * `lint` over the one-target fleet `--url URL --jobs 1`, one-database `lint --url URL` (its pending
   * revisions, replayed and measured), then upgrade's pre-flight (--lint=error) on the same database: their
   * exit codes, and the rules one-database lint reported.
   */
  async function verdicts(url: string): Promise<{ fleetLint: number; oneLint: number; preflight: number; oneRules: string[] }> {
    const fleetLint = await runCli(["lint", "--dir", "versions", "--url", url, "--jobs", "1"], { cwd });
    const oneLint = await runCli(["lint", "--dir", "versions", "--url", url, "--json"], { cwd });
    const doc = JSON.parse(oneLint.stdout) as { findings: { rule: string; severity: string }[]; statements: { sql: string; locks: unknown[] }[] };
    // the measurement is still there: the index build's lock on the table is reported
    expect(doc.statements.find((s) => s.sql.startsWith("CREATE INDEX"))?.locks).toEqual([{ relation: "public.items", mode: "ShareLock" }]);
    const preflight = await runCli(["upgrade", "head", "--dir", "versions", "--url", url, "--lint=error"], { cwd });
    const oneRules = doc.findings.filter((f) => f.severity === "error").map((f) => f.rule);
    return { fleetLint: fleetLint.code, oneLint: oneLint.code, preflight: preflight.code, oneRules };
  }

  test("at base: the index is on a table the same run creates, so all three pass", async () => {
    expect(await verdicts(dbs[0]!.url)).toEqual({ fleetLint: 0, oneLint: 0, preflight: 0, oneRules: [] });
  }, 60_000);

  test("with the table already there: all three refuse the index built without CONCURRENTLY", async () => {
    expect((await runCli(["upgrade", "aaaa00000001", "--dir", "versions", "--url", dbs[1]!.url, "--no-lint"], { cwd })).code).toBe(0);
    expect(await verdicts(dbs[1]!.url)).toEqual({ fleetLint: 1, oneLint: 1, preflight: 1, oneRules: ["require-concurrent-index-creation"] });
  }, 60_000);

  test("a tenant is judged by the tables of its own schema", async () => {
    const url = dbs[2]!.url;
    expect((await runCli(["upgrade", "aaaa00000001", "--dir", "versions", "--url", url, "--tenant-schemas", "acme", "--create-schemas", "--no-lint"], { cwd })).code).toBe(0);
    const run = await runCli(["lint", "--dir", "versions", "--url", url, "--tenant-schemas", "acme,globex", "--json"], { cwd });
    const doc = JSON.parse(run.stdout) as { targets: { schema: string; status: string }[] };
    expect(doc.targets.map((t) => [t.schema, t.status])).toEqual([["acme", "failed"], ["globex", "ok"]]);
    expect(run.code).toBe(1);
  }, 60_000);
});

describe.if(available)("a --tenant-query that fails", () => {
  let db: TempDatabase;
  let cwd = "";
  beforeAll(async () => {
    db = await createTempDatabase("retort_fleet_bad_query");
    cwd = tempDir("fleet-bad-query-");
    mkdirSync(join(cwd, "versions"));
    writeSqlRevision(join(cwd, "versions"), "aaaa00000001", "", "CREATE TABLE items (id bigint PRIMARY KEY);");
  });
  afterAll(async () => {
    await db.drop();
  });

  test("current: bad SQL is an error naming the query's failure (exit 2), not an unreachable row", async () => {
    const run = await runCli(["current", "--dir", "versions", "--url", db.url, "--tenant-query", "selec nspname"], { cwd });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: "" });
    expect(run.stderr.trim().split("\n")).toEqual([`FAILED: ${db.url}: --tenant-query failed: ERROR 42601: syntax error at or near "selec"`]);
  }, 60_000);

  test("current: a URL that cannot be reached is exit 3, saying so", async () => {
    const run = await runCli(["current", "--dir", "versions", "--url", "postgres://postgres:hunter2@127.0.0.1:1/nowhere", "--tenant-query", "select 'acme'"], { cwd });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 3, stdout: "" });
    expect(run.stderr).toContain("--tenant-query failed: cannot connect to postgres://postgres:***@127.0.0.1:1/nowhere");
    expect(run.stderr).not.toContain("hunter2");
  }, 60_000);

  test("upgrade: each URL is a failed target, and the run is exit 2 (bad input) rather than 1", async () => {
    const run = await runCli(["upgrade", "head", "--dir", "versions", "--url", db.url, "--tenant-query", "selec nspname", "--json"], { cwd });
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout) as { targets: { status: string; error: { kind: string; exitCode: number } }[] };
    expect(doc.targets.map((t) => [t.status, t.error.kind, t.error.exitCode])).toEqual([["failed", "TenantQueryError", 2]]);
  }, 60_000);
});
