import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { databaseAt } from "../../src/testing/index.ts";
import { projectTag } from "../../src/testing/templates.ts";
import { adminUrl, postgresAvailable } from "../helpers/postgres.ts";
import { databasesLike, dropTemplatesAfterAll } from "./templates-cleanup.ts";
import { chainId, scratchDir, writeChain } from "../cache/helpers.ts";

const hasPostgres = await postgresAvailable();
const cacheDir = scratchDir("cache");

const tags = dropTemplatesAfterAll(hasPostgres);

describe("databaseAt on PGlite", () => {
  test("README's example is tests/testing/readme-example.test.ts word for word", async () => {
    const readme = await Bun.file(join(import.meta.dir, "../../README.md")).text();
    const file = await Bun.file(join(import.meta.dir, "readme-example.test.ts")).text();
    const body = file.slice(file.indexOf("\n") + 1);
    expect(readme).toContain("```ts\n" + body + "```");
  });

  test("every call is an independent database", async () => {
    const dir = writeChain(1);
    const one = await databaseAt("head", { dir, cacheDir });
    const two = await databaseAt("head", { dir, cacheDir });
    try {
      await one.execute("INSERT INTO t1 VALUES (1, 'a'); INSERT INTO t1 VALUES (2, 'b')");
      expect(await two.query("SELECT count(*)::int AS n FROM t1")).toEqual([{ n: 0 }]);
      expect(await one.query("SELECT count(*)::int AS n FROM t1")).toEqual([{ n: 2 }]);
    } finally {
      await one.close();
      await two.close();
    }
  }, 30_000);

  test("base is an empty database that migrates up and down like any other", async () => {
    const dir = writeChain(3);
    const db = await databaseAt("base", { dir, cacheDir });
    try {
      expect(await db.heads()).toEqual([]);
      expect(await db.migrate("head")).toEqual([chainId(3)]);
      expect(await db.migrate("-1")).toEqual([chainId(2)]);
      expect(await db.migrate(chainId(1))).toEqual([chainId(1)]);
      expect(await db.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE 't%' AND schemaname = 'public'")).toEqual([{ n: 1 }]);
      expect(db.url).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  test("a bad target is a resolution error naming it", async () => {
    const dir = writeChain(1);
    await expect(databaseAt("nosuchrev", { dir, cacheDir })).rejects.toThrow(/nosuchrev/);
  });
});

describe.if(hasPostgres)("query results", () => {
  // the one mapping both engines use (README "Query results"; src/drivers/pg-types.ts)
  test("both engines return the same JavaScript types for int8, numeric, arrays and timestamps", async () => {
    const dir = writeChain(1);
    tags.push(projectTag(dir));
    const sql = `SELECT 9007199254740993::int8 AS big, 12.50::numeric AS num, 3::int4 AS small,
      ARRAY[1, 2]::int4[] AS ints, ARRAY['a', 'b']::text[] AS texts, ARRAY[1, 2]::int8[] AS bigs,
      '2026-01-02 03:04:05+00'::timestamptz AS tstz, '2026-01-02 03:04:05'::timestamp AS ts, '2026-01-02'::date AS d,
      true AS flag, '{"a": 1}'::jsonb AS doc`;
    const describeRow = (row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? `array of ${typeof v[0]}: ${JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : x))}` : v instanceof Date ? `Date ${v.toISOString()}` : `${typeof v}: ${typeof v === "bigint" ? `${v}n` : JSON.stringify(v)}`]));
    const lite = await databaseAt("head", { dir, cacheDir });
    const pg = await databaseAt("head", { dir, cacheDir, url: adminUrl });
    try {
      const [a] = await lite.query(sql);
      const [b] = await pg.query(sql);
      expect(describeRow(a!)).toEqual(describeRow(b!));
    } finally {
      await lite.close();
      await pg.close();
    }
  }, 30_000);
});
