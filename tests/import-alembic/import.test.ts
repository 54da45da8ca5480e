/**
 * import-alembic against the real Alembic and real PostgreSQL: each fixture
 * project under tests/fixtures/alembic/ is imported, then the SQL files must
 * build what `alembic upgrade` builds (catalogs, rows, version table), print
 * the history Alembic prints, and finish a database Alembic left halfway.
 * Alembic runs once per fixture (one Python process for all its commands).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { introspect } from "../../src/autogenerate/introspect.ts";
import { openEngine } from "../../src/drivers/open.ts";
import { ALEMBIC_PYTHON, alembicAvailable, runAlembic } from "../helpers/alembic.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const FIXTURES = resolve(import.meta.dir, "../fixtures/alembic");
const ready = (await postgresAvailable()) && (await alembicAvailable());

/** Schema (from the catalogs), every row of every table, and the version table, of one database. */
async function snapshot(url: string, versionTable = "alembic_version") {
  const engine = await openEngine(url);
  try {
    const model = await introspect(engine, { versionTable });
    const tables = await engine.query<{ name: string }>(
      // retort's history table is retort's own record (Alembic keeps none), like the version table in the model
      "SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'retort_history' ORDER BY 1",
    );
    const rows: Record<string, string[]> = {};
    for (const { name } of tables) {
      // now() differs between the two databases; every other value must match
      const sql = `SELECT (to_jsonb(t) - 'created_at' - 'updated_at')::text AS row FROM ${name} t`;
      rows[name] = (await engine.query<{ row: string }>(sql)).map((r) => r.row).sort();
    }
    return { model, rows };
  } finally {
    await engine.close();
  }
}

/** Files of a directory, by name. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

const databases: TempDatabase[] = [];
async function database(): Promise<TempDatabase> {
  const db = await createTempDatabase("retort_import");
  databases.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

const importCli = (project: string, cwd: string, python: string, ...extra: string[]) => runCli(["import-alembic", join(FIXTURES, project), "--python", python, ...extra], { cwd });

describe.skipIf(!ready)("the pe-orgair-platform project (op.execute with raw SQL)", () => {
  const withAlembic = tempDir("import-a-");
  const withoutAlembic = tempDir("import-b-");
  let alembicDb: TempDatabase;
  let halfwayDb: TempDatabase;
  let alembicHistory = "";
  let imported: Awaited<ReturnType<typeof runCli>>;
  let builtin: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    [alembicDb, halfwayDb] = await Promise.all([database(), database()]);
    const [alembicOut, a, b] = await Promise.all([
      runAlembic(join(FIXTURES, "platform"), [
        { command: "history" },
        { command: "upgrade", target: "head", url: alembicDb.url },
        { command: "upgrade", target: "dadf308f3867", url: halfwayDb.url },
      ]),
      importCli("platform", withAlembic, ALEMBIC_PYTHON),
      importCli("platform", withoutAlembic, "/nonexistent"),
    ]);
    alembicHistory = alembicOut[0] as string;
    imported = a;
    builtin = b;
  }, 60_000);

  test("imports with Alembic and without it write the same files", () => {
    expect([imported.code, builtin.code]).toEqual([0, 0]);
    expect(imported.stderr).toContain("Rendering revision bodies with Alembic 1.8");
    expect(builtin.stderr).toContain("built-in converter");
    const files = filesOf(join(withAlembic, "migrations/versions"));
    expect(Object.keys(files)).toEqual([
      "0ee619f3516b_seed_initial_focus_groups_dimensions_weights_data.sql",
      "dadf308f3867_create_base_platform_tables.sql",
      "ffa7dce781be_create_sample_table.sql",
    ]);
    expect(filesOf(join(withoutAlembic, "migrations/versions"))).toEqual(files);
    expect(files["ffa7dce781be_create_sample_table.sql"]).toStartWith("-- Revision ID: ffa7dce781be\n-- Revises:\n-- Create Date: 2026-02-10 09:12:41.318829\n-- Message: create sample_table\n");
  });

  test("retort.toml carries the URL without its password, and says where the password goes", () => {
    const toml = readFileSync(join(withAlembic, "retort.toml"), "utf8");
    expect(toml).toContain('url = "postgresql://platform@localhost:5432/platform"');
    expect(toml).toContain("DATABASE_URL");
    for (const text of [toml, imported.stdout, imported.stderr, builtin.stdout, builtin.stderr]) expect(text).not.toContain("s3cret-Pa55");
  });

  test("retort history prints exactly what alembic history prints", async () => {
    const history = await runCli(["history"], { cwd: withAlembic });
    expect(history.code).toBe(0);
    expect(history.stdout).toBe(alembicHistory);
  });

  test("upgrade head builds the schema and data alembic upgrade head builds; a database Alembic left halfway is finished", async () => {
    const fresh = await database();
    const [full, rest] = await Promise.all([
      runCli(["upgrade", "head", "--url", fresh.url], { cwd: withAlembic }),
      runCli(["upgrade", "head", "--url", halfwayDb.url], { cwd: withoutAlembic }),
    ]);
    expect([full.code, rest.code]).toEqual([0, 0]);
    expect(rest.stderr).toContain("Running upgrade dadf308f3867 -> 0ee619f3516b");
    expect(rest.stderr).not.toContain("Running upgrade ffa7dce781be -> dadf308f3867");
    const expected = await snapshot(alembicDb.url);
    expect(Object.keys(expected.rows)).toContain("focus_group_dimension_weights");
    expect(expected.rows.focus_group_dimension_weights).toHaveLength(42);
    expect(await snapshot(fresh.url)).toEqual(expected);
    expect(await snapshot(halfwayDb.url)).toEqual(expected);
    const current = await runCli(["current", "--url", alembicDb.url], { cwd: withAlembic });
    expect(current.stdout).toBe("0ee619f3516b (head)\n");
  });
});

describe.skipIf(!ready)("a branched project (labels, a merge, depends_on, autocommit_block, a downgrade that raises)", () => {
  const cwd = tempDir("import-branched-");
  const versions = join(cwd, "migrations/versions");
  let alembicDb: TempDatabase;
  let coreOnlyDb: TempDatabase;
  let alembicHistory = "";
  let imported: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    [alembicDb, coreOnlyDb] = await Promise.all([database(), database()]);
    const [out, run] = await Promise.all([
      runAlembic(join(FIXTURES, "branched"), [
        { command: "history" },
        { command: "upgrade", target: "heads", url: alembicDb.url },
        { command: "upgrade", target: "4d0000000004", url: coreOnlyDb.url },
      ]),
      importCli("branched", cwd, ALEMBIC_PYTHON),
    ]);
    alembicHistory = out[0] as string;
    imported = run;
  }, 60_000);

  test("the merge, the dependency, the labels, the empty and missing sections and Transaction: false are kept", () => {
    expect(imported.code).toBe(0);
    const files = filesOf(versions);
    expect(files["5e0000000005_merge_core_and_billing.sql"]).toBe(
      "-- Revision ID: 5e0000000005\n-- Revises: 4d0000000004, 3c0000000003\n-- Create Date: 2026-03-03 08:00:00.000005\n-- Message: merge core and billing\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n",
    );
    expect(files["3c0000000003_invoices_reference_core_items.sql"]).toContain("-- Depends On: 1a0000000001\n");
    expect(files["1a0000000001_core_base.sql"]).toContain("-- Branch Labels: core\n");
    const enumFile = files["6f0000000006_item_kind_b.sql"] as string;
    expect(enumFile).toContain("-- Transaction: false\n");
    expect(enumFile).not.toContain("migrate:downgrade");
    expect(imported.stderr).toContain("6f0000000006: no downgrade section: downgrade() raised NotImplementedError");
    expect(readFileSync(join(cwd, "retort.toml"), "utf8")).toContain('version_table = "branched_version"');
  });

  test("retort history prints what alembic history prints (label lists compared as sets: Alembic prints a Python set)", async () => {
    const sortLabels = (text: string) => text.replace(/\(([\w-]+(?:, [\w-]+)+)\)/g, (_m, list: string) => `(${list.split(", ").sort().join(", ")})`);
    const history = await runCli(["history"], { cwd });
    expect(history.code).toBe(0);
    expect(sortLabels(history.stdout)).toBe(sortLabels(alembicHistory));
  });

  test("upgrade heads matches Alembic, from scratch and from a database Alembic took up one branch", async () => {
    const fresh = await database();
    const [full, rest] = await Promise.all([
      runCli(["upgrade", "heads", "--url", fresh.url], { cwd }),
      runCli(["upgrade", "heads", "--url", coreOnlyDb.url], { cwd }),
    ]);
    expect([full.code, full.stderr]).toEqual([0, expect.any(String)]);
    expect(rest.code).toBe(0);
    const expected = await snapshot(alembicDb.url, "branched_version");
    expect(expected.rows.branched_version).toEqual(['{"version_num": "6f0000000006"}']);
    expect(await snapshot(fresh.url, "branched_version")).toEqual(expected);
    expect(await snapshot(coreOnlyDb.url, "branched_version")).toEqual(expected);
  });
});

describe.skipIf(!ready)("a project of op.create_table, op.add_column, op.create_index, op.create_foreign_key, op.bulk_insert", () => {
  const cwd = tempDir("import-ops-");
  let alembicDb: TempDatabase;
  let alembicHistory = "";
  let imported: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    alembicDb = await database();
    const [out, run] = await Promise.all([
      runAlembic(join(FIXTURES, "operations"), [
        { command: "history" },
        { command: "upgrade", target: "head", url: alembicDb.url },
      ]),
      importCli("operations", cwd, ALEMBIC_PYTHON),
    ]);
    alembicHistory = out[0] as string;
    imported = run;
  }, 60_000);

  test("Alembic renders every op.* call; upgrade head builds what alembic upgrade head builds; history is the same", async () => {
    expect(imported.code).toBe(0);
    const orders = readFileSync(join(cwd, "migrations/versions/b20000000002_create_orders.sql"), "utf8");
    expect(orders).toContain("ALTER TABLE orders ADD CONSTRAINT fk_orders_account FOREIGN KEY(account_id) REFERENCES accounts (id) ON DELETE CASCADE;");
    expect(orders).toContain("CREATE INDEX ix_orders_account_id ON orders (account_id);");
    const fresh = await database();
    const [up, history] = await Promise.all([runCli(["upgrade", "head", "--url", fresh.url], { cwd }), runCli(["history"], { cwd })]);
    expect(up.code).toBe(0);
    expect(history.stdout).toBe(alembicHistory);
    const expected = await snapshot(alembicDb.url);
    expect(expected.rows.accounts).toHaveLength(2);
    expect(await snapshot(fresh.url)).toEqual(expected);
    // and Alembic's downgrades, rendered the same way, undo it all
    const down = await runCli(["downgrade", "base", "--url", fresh.url], { cwd });
    expect(down.code).toBe(0);
    expect((await snapshot(fresh.url)).rows).toEqual({ alembic_version: [] });
  });

  test("without Alembic, what cannot be converted is named with its line and the command that would; the rest is written whole; a rerun with Alembic finishes", async () => {
    const dir = tempDir("import-ops-builtin-");
    const run = await importCli("operations", dir, "/nonexistent");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("3 revision module(s) not converted");
    expect(run.stderr).toContain("a10000000001_create_accounts.py:18: not an op.execute(...) call: op.create_table(");
    expect(run.stderr).toContain("b20000000002_create_orders.py:18:");
    expect(run.stderr).toContain("c30000000003_account_notes_and_seed.py:20:");
    expect(run.stderr).toContain("install Alembic");
    expect(readdirSync(join(dir, "migrations/versions"))).toEqual(["d40000000004_account_emails_view.sql"]);
    const rerun = await importCli("operations", dir, ALEMBIC_PYTHON);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain("Keeping");
    expect(filesOf(join(dir, "migrations/versions"))).toEqual(filesOf(join(cwd, "migrations/versions")));
  });

  test("a different file already in place stops the import before anything is written", async () => {
    const dir = tempDir("import-ops-clash-");
    mkdirSync(join(dir, "migrations/versions"), { recursive: true });
    writeFileSync(join(dir, "migrations/versions/b20000000002_orders.sql"), "-- mine\n");
    const run = await importCli("operations", dir, ALEMBIC_PYTHON);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("revision b20000000002 is already in");
    expect(readdirSync(join(dir, "migrations/versions"))).toEqual(["b20000000002_orders.sql"]);
    expect(existsSync(join(dir, "retort.toml"))).toBe(false);
  });

  test("--dry-run --json lists the mapping and writes nothing", async () => {
    const dir = tempDir("import-ops-dry-");
    const run = await importCli("operations", dir, "none", "--dry-run", "--json");
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.alembic).toEqual({ used: false, python: null, version: null, reason: "--python none" });
    expect(doc.revisions.map((r: { revision: string; converter: string; target: string }) => [r.revision, r.converter, r.target])).toEqual([
      ["d40000000004", "builtin", join(dir, "migrations/versions/d40000000004_account_emails_view.sql")],
    ]);
    expect(doc.unconverted.map((u: { revision: string; line: number }) => [u.revision, u.line])).toEqual([
      ["a10000000001", 18],
      ["b20000000002", 18],
      ["c30000000003", 20],
    ]);
    expect(doc.files.map((f: { status: string; path: string }) => [f.status, f.path])).toEqual([
      ["dry-run", join(dir, "migrations/versions/d40000000004_account_emails_view.sql")],
      ["dry-run", join(dir, "retort.toml")],
    ]);
    expect(doc.config.url).toBe("postgresql://ops@db.internal/operations?sslmode=require");
    expect(run.stdout).not.toContain("hunter2");
    expect(readdirSync(dir)).toEqual([]);
  });
});
