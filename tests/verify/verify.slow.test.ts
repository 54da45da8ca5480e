import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CacheStore } from "../../src/cache/store.ts";
import { verifyRevisions, type VerifyOptions } from "../../src/commands/verify.ts";
import { UsageError } from "../../src/errors.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";
import { createTempDatabase, postgresAvailable } from "../helpers/postgres.ts";
import { openEngine } from "../../src/drivers/open.ts";
import { chainId, scratchDir, sqlRevision } from "../cache/helpers.ts";

const hasPostgres = await postgresAvailable();
const BASE = "CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL, CONSTRAINT accounts_email_key UNIQUE (email), CONSTRAINT accounts_email_check CHECK (email <> ''));";

/** A project: a base revision creating accounts, then the given revisions, each [upgrade, downgrade | null]. */
function project(...revisions: [string, string | null][]): string {
  const dir = scratchDir("verify");
  writeFileSync(join(dir, `${chainId(1)}_base.sql`), sqlRevision(chainId(1), null, BASE, "DROP TABLE accounts;"));
  revisions.forEach(([up, down], k) => {
    const n = k + 2;
    writeFileSync(join(dir, `${chainId(n)}_r${n}.sql`), sqlRevision(chainId(n), chainId(n - 1), up, down));
  });
  return dir;
}

async function verify(dir: string, options: Partial<VerifyOptions> = {}) {
  const log: string[] = [];
  const warn: string[] = [];
  const result = await verifyRevisions({
    revisions: await loadRevisionsFromDir(dir),
    cache: new CacheStore(scratchDir("cache"), 1 << 30),
    log: (l) => log.push(l),
    warn: (l) => warn.push(l),
    ...options,
  });
  return { result, log, warn };
}

describe("verify on PGlite", () => {
  test("passes on the project's own chain", async () => {
    const { result } = await verify("migrations/versions");
    expect(result.revisions.map((r) => [r.revision, r.status])).toEqual([
      ["ffa7dce781be", "ok"],
      ["dadf308f3867", "ok"],
      ["0ee619f3516b", "ok"],
    ]);
    expect(result.ok).toBe(true);
  }, 60_000);

  const broken: { name: string; up: string; down: string; line: string }[] = [
    {
      name: "forgets an index",
      up: "CREATE INDEX accounts_email_lower ON accounts (lower(email));\nALTER TABLE accounts ADD COLUMN age int;",
      down: "ALTER TABLE accounts DROP COLUMN age;",
      line: "Detected added index 'accounts_email_lower' on 'public.accounts'",
    },
    {
      name: "leaves a column behind",
      up: "ALTER TABLE accounts ADD COLUMN age int;\nALTER TABLE accounts ADD COLUMN nick text;",
      down: "ALTER TABLE accounts DROP COLUMN age;",
      line: "Detected added column 'public.accounts.nick'",
    },
    {
      name: "drops the wrong constraint",
      up: "ALTER TABLE accounts ADD CONSTRAINT accounts_id_check CHECK (id > 0);",
      down: "ALTER TABLE accounts DROP CONSTRAINT accounts_email_check;",
      line: "Detected removed check constraint 'accounts_email_check' on 'public.accounts'\nDetected added check constraint 'accounts_id_check' on 'public.accounts'",
    },
  ];
  for (const b of broken) {
    test(`catches a downgrade that ${b.name}, naming the revision and the difference`, async () => {
      const dir = project([b.up, b.down], ["CREATE TABLE later (id int);", "DROP TABLE later;"]);
      const { result, log } = await verify(dir);
      expect(result.ok).toBe(false);
      expect(result.firstFailure).toBe(chainId(2));
      const verdict = result.revisions.at(-1)!;
      expect(verdict.status).toBe("downgradeMismatch");
      expect(verdict.differences.join("\n")).toContain(b.line);
      // it stopped at the first failure
      expect(result.revisions.map((r) => r.revision)).toEqual([chainId(1), chainId(2)]);
      expect(log.join("\n")).toContain(`The downgrade of ${chainId(2)} does not restore its parent's schema`);
    }, 60_000);
  }

  test("a revision without a downgrade is a warning, and an error with strict", async () => {
    const dir = project(["CREATE TABLE audit (id int);", null]);
    const lenient = await verify(dir);
    expect(lenient.result.ok).toBe(true);
    expect(lenient.result.irreversible).toEqual([chainId(2)]);
    expect(lenient.warn.join("\n")).toContain(`${chainId(2)} is irreversible`);
    const strict = await verify(dir, { strict: true });
    expect(strict.result.ok).toBe(false);
    expect(strict.result.firstFailure).toBe(chainId(2));
  }, 60_000);

  test("a failing downgrade statement is reported as failed with PostgreSQL's message", async () => {
    const dir = project(["CREATE TABLE audit (id int);", "DROP TABLE no_such_table;"]);
    const { result } = await verify(dir);
    expect(result.revisions.at(-1)).toMatchObject({ revision: chainId(2), status: "failed" });
    expect(result.revisions.at(-1)!.error).toContain("no_such_table");
  }, 60_000);

  test("every branch and the merge are verified, each from its own parent", async () => {
    const dir = scratchDir("verify");
    const write = (id: string, down: string | null, up: string, downSql: string) => writeFileSync(join(dir, `${id}_x.sql`), sqlRevision(id, down, up, downSql));
    write("aa0000000001", null, "CREATE TABLE root (id int);", "DROP TABLE root;");
    write("bb0000000001", "aa0000000001", "CREATE TABLE left_side (id int);", "DROP TABLE left_side;");
    write("cc0000000001", "aa0000000001", "CREATE TABLE right_side (id int);", "DROP TABLE right_side;");
    write("dd0000000001", "aa0000000001", "CREATE TABLE unused (id int);", "DROP TABLE unused;");
    writeFileSync(join(dir, "ee0000000001_merge.sql"), sqlRevision("ee0000000001", "bb0000000001, cc0000000001", "CREATE VIEW both_sides AS SELECT l.id FROM left_side l JOIN right_side r USING (id);", "DROP VIEW both_sides;"));
    const { result } = await verify(dir);
    expect(result.ok).toBe(true);
    expect(result.revisions.map((r) => r.revision).sort()).toEqual(["aa0000000001", "bb0000000001", "cc0000000001", "dd0000000001", "ee0000000001"]);
  }, 60_000);

  test("--url pglite:memory and a new pglite:<dir> are empty databases to verify on, reported as pglite", async () => {
    const dir = project(["ALTER TABLE accounts ADD COLUMN age int;", "ALTER TABLE accounts DROP COLUMN age;"]);
    for (const url of ["pglite:memory", `pglite:${join(scratchDir("verify-dir"), "new")}`]) {
      const { result } = await verify(dir, { url });
      expect({ url, ok: result.ok, engine: result.engine, n: result.revisions.length }).toEqual({ url, ok: true, engine: "pglite", n: 2 });
    }
  }, 60_000);

  test("a range verifies only its revisions", async () => {
    const dir = project(["CREATE TABLE a2 (id int);", "DROP TABLE a2;"], ["CREATE TABLE a3 (id int);", "DROP TABLE a3;"]);
    const { result } = await verify(dir, { range: `${chainId(2)}:${chainId(3)}` });
    expect(result.revisions.map((r) => r.revision)).toEqual([chainId(2), chainId(3)]);
    await expect(verify(dir, { range: `${chainId(3)}:${chainId(2)}` })).rejects.toBeInstanceOf(UsageError);
  }, 60_000);
});

describe.if(hasPostgres)("verify on PostgreSQL (--url)", () => {
  test("runs on an empty database and leaves it empty; catches the same broken downgrade", async () => {
    const db = await createTempDatabase();
    try {
      const { result } = await verify(project(["ALTER TABLE accounts ADD COLUMN age int;\nALTER TABLE accounts ADD COLUMN nick text;", "ALTER TABLE accounts DROP COLUMN age;"]), { url: db.url });
      expect(result.engine).toBe("postgres");
      expect(result.revisions.at(-1)).toMatchObject({ revision: chainId(2), status: "downgradeMismatch" });
      const engine = await openEngine(db.url);
      try {
        expect(await engine.query("SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'")).toEqual([{ n: 0 }]);
        expect(await engine.query("SELECT has_schema_privilege('public', 'public', 'USAGE') AS usage")).toEqual([{ usage: true }]);
      } finally {
        await engine.close();
      }
    } finally {
      await db.drop();
    }
  }, 60_000);

  test("refuses a database that holds something, and leaves it as it was", async () => {
    const db = await createTempDatabase();
    try {
      const engine = await openEngine(db.url);
      await engine.execute("CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (1)");
      for (let k = 1; k <= 6; k++) await engine.execute(`CREATE TABLE t${k} (id int)`);
      await engine.close();
      const error = await verify(project(), { url: db.url }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain("verify needs an empty database");
      // the first five names, and how many more: seven tables in all
      expect((error as Error).message).toContain(" holds relation public.keep_me, relation public.t1, relation public.t2, relation public.t3, relation public.t4 and 2 more; ");
      const after = await openEngine(db.url);
      try {
        expect(await after.query("SELECT id FROM keep_me")).toEqual([{ id: 1 }]);
      } finally {
        await after.close();
      }
    } finally {
      await db.drop();
    }
  }, 60_000);
});
