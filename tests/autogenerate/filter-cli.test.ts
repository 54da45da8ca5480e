/**
 * --include/--exclude and [autogenerate] in retort.toml, end to end: a
 * hand-made schema or table shows up as a difference in check and diff
 * until a pattern leaves it out.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine } from "../../src/drivers/open.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

const REVISION = `-- Revision ID: aaaa00000001
-- Revises:
-- Create Date: 2026-01-01 00:00:00
-- Message: create accounts

-- migrate:upgrade
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);

-- migrate:downgrade
DROP TABLE accounts;
`;

const HAND_MADE = `
CREATE SCHEMA extra;
CREATE TABLE extra.notes (id integer PRIMARY KEY, body text);
CREATE TABLE tmp_import (id integer);
CREATE INDEX tmp_import_id ON tmp_import (id);
`;

/** A project folder with one revision, schema.sql (head plus `more`) and an optional retort.toml. */
function project(more: string, toml?: string): string {
  const dir = tempDir("filter-");
  mkdirSync(join(dir, "migrations", "versions"), { recursive: true });
  writeFileSync(join(dir, "migrations", "versions", "aaaa00000001_create_accounts.sql"), REVISION);
  writeFileSync(join(dir, "schema.sql"), `CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);\n${more}`);
  if (toml !== undefined) writeFileSync(join(dir, "retort.toml"), toml);
  return dir;
}

describe("check with filters", () => {
  test("hand-made objects are differences until --exclude leaves them out", async () => {
    const cwd = project(HAND_MADE);
    const plain = await runCli(["check"], { cwd });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("Detected added table 'extra.notes'");
    expect(plain.stderr).toContain("Detected added table 'public.tmp_import'");
    const some = await runCli(["check", "--exclude", "extra.*"], { cwd });
    expect(some.code).toBe(1);
    expect(some.stderr).not.toContain("extra");
    const all = await runCli(["check", "--exclude", "extra.*", "--exclude=tmp_*"], { cwd });
    expect(all).toMatchObject({ code: 0, stdout: "No new upgrade operations detected.\n" });
  }, 60_000);

  test("[autogenerate] in retort.toml, and --include", async () => {
    const config = await runCli(["check"], { cwd: project(HAND_MADE, `[autogenerate]\nexclude = ["extra.*", "tmp_*"]\n`) });
    expect(config).toMatchObject({ code: 0, stdout: "No new upgrade operations detected.\n" });
    const include = await runCli(["check", "--include", "public.accounts"], { cwd: project(HAND_MADE) });
    expect(include).toMatchObject({ code: 0, stdout: "No new upgrade operations detected.\n" });
  }, 60_000);

  test("a bad pattern exits 2 naming it", async () => {
    const run = await runCli(["check", "--exclude", "extra."], { cwd: project("") });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("bad object pattern 'extra.'");
  }, 30_000);
});

describe("diff with filters", () => {
  test("a table made by hand on the live database is drift until --exclude names it", async () => {
    const cwd = project("");
    const url = `pglite:${join(cwd, "db")}`;
    expect((await runCli(["upgrade", "head", "--url", url], { cwd })).code).toBe(0);
    const engine = await openEngine(url);
    await engine.execute("CREATE TABLE handmade (id integer); CREATE INDEX handmade_id ON handmade (id)").finally(() => engine.close());
    const drift = await runCli(["diff", "--url", url], { cwd });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain("DROP TABLE public.handmade;");
    const excluded = await runCli(["diff", "--url", url, "--exclude", "public.hand*"], { cwd });
    expect(excluded.code).toBe(0);
    expect(excluded.stdout).not.toContain("handmade");
  }, 60_000);
});
