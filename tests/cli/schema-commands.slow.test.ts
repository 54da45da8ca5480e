import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const base = `-- Revision ID: aaaa00000001
-- Revises:
-- Message: items

-- migrate:upgrade
CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);

-- migrate:downgrade
DROP TABLE items;
`;

function project(schema: string): string {
  const cwd = tempDir("schema-");
  mkdirSync(join(cwd, "migrations/versions"), { recursive: true });
  writeFileSync(join(cwd, "migrations/versions/aaaa00000001_items.sql"), base);
  writeFileSync(join(cwd, "schema.sql"), schema);
  return cwd;
}

describe("check and revision --autogenerate through the CLI", () => {
  test("check exits 0 when the schema matches the revisions and 1 when it does not", async () => {
    const same = await runCli(["check"], { cwd: project("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);\n") });
    expect(same.code).toBe(0);
    expect(same.stdout).toBe("No new upgrade operations detected.\n");

    const cwd = project("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2));\n");
    const differs = await runCli(["check", "--json"], { cwd });
    expect(differs.code).toBe(1);
    const doc = JSON.parse(differs.stdout);
    expect(doc.differences).toBe(true);
    expect(doc.upgradeSql).toContain("price");
    expect(differs.stderr).toContain("Detected added column 'public.items.price'");
    const plain = await runCli(["check"], { cwd });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe("");
    // the verdict is printed once, as the FAILED line
    expect(plain.stderr.match(/New upgrade operations detected/g)).toHaveLength(1);

    const written = await runCli(["revision", "--autogenerate", "-m", "add price", "--rev-id", "bbbb00000002"], { cwd });
    expect(written.code).toBe(0);
    const file = readFileSync(join(cwd, "migrations/versions/bbbb00000002_add_price.sql"), "utf8");
    expect(file).toContain("-- Revises: aaaa00000001");
    expect(file).toMatch(/ADD COLUMN price numeric\(10,\s*2\)/);
    expect((await runCli(["check"], { cwd })).code).toBe(0);
  });

  test("a broken schema.sql exits 2 naming the file and line", async () => {
    const cwd = project("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);\n\nCREATE TABLE broken (id nosuchtype);\n");
    const run = await runCli(["check"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("schema.sql:3");
    expect(readdirSync(join(cwd, "migrations/versions"))).toHaveLength(1);
  });
});

describe("diff through the CLI", async () => {
  const available = await postgresAvailable();
  let db: TempDatabase;
  beforeAll(async () => {
    if (available) db = await createTempDatabase("retort_diff");
  });
  afterAll(async () => {
    if (available) await db.drop();
  });

  test.skipIf(!available)("a hand-made change on the live database shows up as SQL and exit 1", async () => {
    const cwd = project("");
    expect((await runCli(["upgrade", "head", "--url", db.url], { cwd })).code).toBe(0);
    const clean = await runCli(["diff", "--url", db.url], { cwd });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe("No drift detected.\n");
    const postgres = (await import("postgres")).default;
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    await sql.unsafe("ALTER TABLE items ADD COLUMN note text");
    await sql.end();
    const run = await runCli(["diff", "--url", db.url], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/DROP COLUMN note/);
  });
});
