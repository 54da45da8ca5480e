/**
 * `pg_dump -s` output as schema.sql, as it comes: a real dump of a real
 * PostgreSQL database migrated by the revisions (its \restrict lines, SET
 * preamble, owners and version table included) checks clean against those
 * revisions; and a schema file with statements that are not schema exits 2
 * naming the file and line.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RevisionGraph } from "../../src/core/graph.ts";
import { planUpgrade } from "../../src/core/plan.ts";
import { openEngine } from "../../src/drivers/open.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";
import { migrate } from "../../src/runtime/migrate.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { adminUrl, createTempDatabase, postgresAvailable } from "../helpers/postgres.ts";
import { fixture, oneRevision } from "./helpers.ts";
import { openScratch } from "../../src/autogenerate/scratch.ts";
import { loadSchemaFiles } from "../../src/autogenerate/schema-source.ts";

const PROJECT = join(import.meta.dir, "..", "..", "migrations", "versions");
const PG_DUMP = Bun.which("pg_dump");
if (PG_DUMP === null && process.env.CI === "true") throw new Error("pg_dump is required in CI (apt-get install postgresql-client)");
if (PG_DUMP === null) console.warn("skipping pg_dump tests: no pg_dump on PATH");
const available = PG_DUMP !== null && (await postgresAvailable());

/** Migrate a new database to the heads of `dir`, run `extra` on it, and return `pg_dump -s` of it. */
async function dumpOfMigrated(dir: string, extra = ""): Promise<string> {
  const db = await createTempDatabase("retort_pgdump");
  try {
    const revisions = await loadRevisionsFromDir(dir);
    const graph = RevisionGraph.build(revisions);
    await migrate({ url: db.url, revisions: new Map(revisions.map((r) => [r.id, r])), plan: (current) => planUpgrade(graph, current, "heads"), log: () => {} });
    if (extra !== "") {
      const engine = await openEngine(db.url);
      await engine.execute(extra).finally(() => engine.close());
    }
    const url = new URL(adminUrl);
    const child = Bun.spawn([PG_DUMP!, "-s", "-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username) || "postgres", db.name], {
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
    });
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    if (code !== 0) throw new Error(`pg_dump failed: ${err}`);
    return out;
  } finally {
    await db.drop();
  }
}

async function check(dir: string, schema: string) {
  const cwd = tempDir("pgdump-check-");
  writeFileSync(join(cwd, "schema.sql"), schema);
  return { ...(await runCli(["check", "--dir", dir, "--schema", "schema.sql"], { cwd })), path: join(cwd, "schema.sql") };
}

describe.skipIf(!available)("pg_dump -s as schema.sql", () => {
  test("a dump of a database migrated by the project's chain checks clean against the chain", async () => {
    const dump = await dumpOfMigrated(PROJECT);
    expect(dump).toMatch(/^\\restrict /m);
    expect(dump).toContain("ALTER TABLE public.alembic_version OWNER TO");
    const run = await check(PROJECT, dump);
    expect(run.stderr).not.toContain("FAILED");
    expect(run).toMatchObject({ code: 0, stdout: "No new upgrade operations detected.\n" });
  }, 60_000);

  test("a dump of a schema with views, enums, functions, triggers, grants and a history table checks clean", async () => {
    const dir = oneRevision(fixture("pagila"));
    // the run that migrated it wrote retort_history (README "History table")
    const dump = await dumpOfMigrated(dir, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC");
    expect(dump).toContain("CREATE TABLE public.retort_history");
    expect(dump).toContain("GRANT SELECT ON TABLE");
    const run = await check(dir, dump);
    expect(run.stderr).not.toContain("FAILED");
    expect(run).toMatchObject({ code: 0, stdout: "No new upgrade operations detected.\n" });
  }, 60_000);
});

describe("session settings", () => {
  test("what one schema file sets for the session (pg_dump empties search_path) ends with that file", async () => {
    const engine = await openScratch();
    try {
      await loadSchemaFiles(engine, [
        { path: "a.sql", text: "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.a (id integer);" },
        { path: "b.sql", text: "CREATE TABLE b (a_id integer);" },
      ]);
      expect(await engine.query("SELECT to_regclass('public.b')::text AS b")).toEqual([{ b: "b" }]);
    } finally {
      await engine.close();
    }
  });
});

describe("statements that are not schema", () => {
  test("DROP DATABASE in schema.sql exits 2 naming the file and line, not a connection failure", async () => {
    const run = await check(PROJECT, "CREATE TABLE a (id int);\n\nDROP DATABASE prod;\n");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`FAILED: ${run.path}:3: DROP DATABASE is not part of a database's schema`);
  }, 30_000);

  test("a psql meta-command other than pg_dump's fence exits 2 naming the file and line", async () => {
    const run = await check(PROJECT, "CREATE TABLE a (id int);\n\\connect prod\n");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`FAILED: ${run.path}:2: psql meta-command \\connect is not SQL`);
  }, 30_000);
});
