/**
 * Measurement on a real PGlite: the lock modes each statement takes on
 * pre-existing relations (from pg_locks) and what it rewrites (from
 * relfilenode), with a made-up row in every table; afterwards the database
 * is exactly as before.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openScratch } from "../../src/autogenerate/scratch.ts";
import type { Engine } from "../../src/drivers/engine.ts";
import { measureStatements, type MeasuredStatement } from "../../src/lint/measure.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await openScratch();
  await engine.execute(`
    CREATE TYPE mood AS ENUM ('happy', 'sad');
    CREATE TABLE users (id bigint PRIMARY KEY, name varchar(10) NOT NULL, score integer, mood mood NOT NULL, at timestamptz NOT NULL);
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), total numeric(10,2) NOT NULL CHECK (total >= 0));
    CREATE TABLE picky (id bigint PRIMARY KEY, code text NOT NULL CHECK (code ~ '^[A-Z]{3}$'))`);
});
afterAll(() => engine.close());

const plain = (sql: string): MeasuredStatement => ({ sql, kind: "X", concurrently: false });

describe("measureStatements", () => {
  test("CREATE INDEX takes SHARE on the table; ADD COLUMN takes ACCESS EXCLUSIVE; neither rewrites", async () => {
    const m = await measureStatements(engine, [plain("CREATE INDEX users_name_idx ON users (name)"), plain("ALTER TABLE orders ADD COLUMN note text")]);
    expect(m.statements[0]).toEqual({ locks: [{ relation: "public.users", mode: "ShareLock" }], rewrites: [] });
    expect(m.statements[1]).toEqual({ locks: [{ relation: "public.orders", mode: "AccessExclusiveLock" }], rewrites: [] });
  });

  test("int → bigint rewrites the table and its indexes; varchar(10) → varchar(20) rewrites nothing", async () => {
    const m = await measureStatements(engine, [plain("ALTER TABLE users ALTER COLUMN score TYPE bigint")]);
    expect(m.statements[0]!.rewrites).toEqual(["public.users", "public.users_pkey"]);
    expect(m.statements[0]!.locks).toContainEqual({ relation: "public.users", mode: "AccessExclusiveLock" });
    const widen = await measureStatements(engine, [plain("ALTER TABLE users ALTER COLUMN name TYPE varchar(20)")]);
    expect(widen.statements[0]).toEqual({ locks: [{ relation: "public.users", mode: "AccessExclusiveLock" }], rewrites: [] });
  });

  test("a NOT NULL column without a default fails because the tables hold a row (enum, FK and timestamp columns filled)", async () => {
    const m = await measureStatements(engine, [plain("ALTER TABLE orders ADD COLUMN kind text NOT NULL")]);
    expect(m.statements[0]!.error).toContain("contains null values");
    expect(m.emptyTables).toEqual(["public.picky"]);
  });

  test("a failing statement does not stop the ones after it; CONCURRENTLY is run plainly and said to be unmeasured", async () => {
    const m = await measureStatements(engine, [
      plain("ALTER TABLE nowhere ADD COLUMN x int"),
      { sql: "CREATE INDEX CONCURRENTLY users_score_idx ON users (score)", kind: "IndexStmt", concurrently: true },
      plain("ALTER TABLE users ADD COLUMN extra text"),
    ]);
    expect(m.statements[0]!.error).toContain("nowhere");
    expect(m.statements[1]!.notMeasured).toContain("CONCURRENTLY");
    expect(m.statements[2]!.locks).toEqual([{ relation: "public.users", mode: "AccessExclusiveLock" }]);
  });

  test("afterwards the schema and the rows are as before", async () => {
    const schema = () => engine.query("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2");
    const indexes = () => engine.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1");
    const before = [await schema(), await indexes()];
    await measureStatements(engine, [plain("ALTER TABLE users ALTER COLUMN score TYPE bigint"), plain("CREATE INDEX i ON orders (total)"), plain("DROP TABLE picky")]);
    expect([await schema(), await indexes()]).toEqual(before);
    const rows = await engine.query<{ n: number }>("SELECT (SELECT count(*) FROM users)::int + (SELECT count(*) FROM orders)::int AS n");
    expect(rows[0]!.n).toBe(0);
  });
});

describe("made-up rows", () => {
  test("fire no user trigger: nothing they would write outlives the measurement", async () => {
    const e = await openScratch();
    try {
      await e.execute(`
        CREATE TABLE audit (what text);
        CREATE TABLE watched (id bigint PRIMARY KEY);
        CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit VALUES ('row'); RETURN NEW; END $$;
        CREATE TRIGGER watched_note AFTER INSERT ON watched FOR EACH ROW EXECUTE FUNCTION note()`);
      const m = await measureStatements(e, [plain("ALTER TABLE watched ADD COLUMN x int")]);
      expect(m.statements[0]!.locks).toEqual([{ relation: "public.watched", mode: "AccessExclusiveLock" }]);
      expect(await e.query("SELECT count(*)::int AS n FROM audit")).toEqual([{ n: 0 }]);
    } finally {
      await e.close();
    }
  });
});
