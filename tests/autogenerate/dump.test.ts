/**
 * `retort dump`: the SQL it prints, loaded into an empty database (PGlite,
 * and a new PostgreSQL 15 database when the server is there), builds exactly
 * the schema the revisions build, for the project's own chain and for a
 * fixture with views, enums, functions, triggers and foreign keys; and the
 * command's text and --json output.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { replayedSide } from "../../src/autogenerate/compare.ts";
import { diffModels } from "../../src/autogenerate/diff.ts";
import { dumpSchema } from "../../src/commands/dump.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";
import type { LoadedRevision } from "../../src/revisions/types.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { comparable, engineKinds, fixture, oneRevision, openTestDatabase, type TestDatabase } from "./helpers.ts";

const PROJECT = join(import.meta.dir, "..", "..", "migrations", "versions");

const targets: TestDatabase[] = [];
beforeAll(async () => {
  for (const kind of engineKinds) targets.push(await openTestDatabase(kind));
}, 60_000);
afterAll(async () => {
  for (const t of targets) await t.close();
}, 60_000);

/** Dump the revisions, load the dump into each empty target and compare what it holds with the replayed head. */
async function expectRoundTrip(revisions: readonly LoadedRevision[], what: string): Promise<void> {
  const dump = await dumpSchema({ revisions });
  const head = await replayedSide(revisions, {});
  try {
    expect(head.model.tables.length, `${what}: the schema is not empty`).toBeGreaterThan(0);
    for (const target of targets) {
      await target.load(dump.sql, `${what} dump`);
      const loaded = await head.reconcile(await target.model());
      expect(comparable(loaded), `${what} on ${target.kind}`).toEqual(comparable(head.model));
      expect(diffModels(loaded, head.model), `${what} on ${target.kind}: nothing left to generate`).toEqual([]);
    }
  } finally {
    await head.close();
  }
}

describe("dump", () => {
  test("the project's own chain: the dump builds the schema at head in an empty database", async () => {
    await expectRoundTrip(await loadRevisionsFromDir(PROJECT), "project");
  }, 60_000);

  test("a schema with views, enums, functions, triggers and foreign keys dumps in dependency order", async () => {
    await expectRoundTrip(await loadRevisionsFromDir(oneRevision(fixture("pagila"))), "pagila");
  }, 60_000);

  test("-r dumps the schema at an earlier revision, and base is empty", async () => {
    const revisions = await loadRevisionsFromDir(PROJECT);
    const first = await dumpSchema({ revisions, revision: "ffa7dce781be" });
    expect(first.heads).toEqual(["ffa7dce781be"]);
    expect(first.sql).toContain("CREATE TABLE public.sample_table");
    expect(first.sql).not.toContain("focus_groups");
    const base = await dumpSchema({ revisions, revision: "base" });
    expect(base).toMatchObject({ heads: [], sql: "" });
  }, 60_000);

  test("the CLI prints the SQL under a header, --json gives { heads, sql, timings }, an unknown -r exits 2", async () => {
    const cwd = tempDir("dump-cli-");
    const text = await runCli(["dump", "--dir", PROJECT], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toStartWith("-- Schema at 0ee619f3516b, written by retort dump\n\nCREATE OR REPLACE FUNCTION public.set_updated_at()");
    const json = await runCli(["dump", "--dir", PROJECT, "-r", "dadf", "--json"], { cwd });
    const doc = JSON.parse(json.stdout);
    expect(doc.heads).toEqual(["dadf308f3867"]);
    expect(doc.sql).toContain("CREATE TABLE public.focus_groups");
    expect(Object.keys(doc).sort()).toEqual(["heads", "sql", "timings"]);
    const bad = await runCli(["dump", "--dir", PROJECT, "-r", "nope"], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Can't locate revision identified by 'nope'");
  }, 60_000);
});
