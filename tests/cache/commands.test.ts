/** check, revision --autogenerate and diff with the snapshot cache: same answers as replaying, and the second run builds nothing. */
import { describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { forgetInProcess } from "../../src/cache/build.ts";
import { catalogFile } from "../../src/cache/entry.ts";
import { CacheStore } from "../../src/cache/store.ts";
import { checkSchema } from "../../src/commands/check.ts";
import { diffDatabase } from "../../src/commands/diff.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";
import { chainId, scratchDir, writeChain } from "./helpers.ts";
import { databaseAt } from "../../src/testing/index.ts";

async function runCheck(dir: string, schemaPath: string, cache: CacheStore | undefined) {
  const debug: string[] = [];
  forgetInProcess();
  const result = await checkSchema({ revisions: await loadRevisionsFromDir(dir), schemaPath, cache, debug: (l) => debug.push(l) });
  return { summary: result.comparison.summary, sql: result.comparison.upgradeSql, builds: debug.filter((l) => l.startsWith("Building")), timings: result.timings };
}

describe("check with the snapshot cache", () => {
  test("finds what a replay finds; a second run builds nothing; an edited schema rebuilds only the declared side", async () => {
    const dir = writeChain(3);
    const schema = join(scratchDir("schema"), "schema.sql");
    writeFileSync(schema, "CREATE TABLE t1 (id int PRIMARY KEY, name text);\nCREATE TABLE t2 (id int PRIMARY KEY, name text, extra int);\n");
    const store = new CacheStore(scratchDir("cache"), 1 << 30);

    const replayed = await runCheck(dir, schema, undefined);
    const cold = await runCheck(dir, schema, store);
    expect(cold.summary).toEqual(replayed.summary);
    expect(cold.sql).toEqual(replayed.sql);
    expect(cold.summary).toContain("Detected added column 'public.t2.extra'");
    expect(cold.builds).toHaveLength(2);

    const warm = await runCheck(dir, schema, store);
    expect(warm.summary).toEqual(replayed.summary);
    expect(warm.builds).toEqual([]);

    writeFileSync(schema, "CREATE TABLE t1 (id int PRIMARY KEY, name text);\n");
    const edited = await runCheck(dir, schema, store);
    expect(edited.builds).toEqual([`Building the cached database of the schema ${schema}`]);
    expect([...edited.summary].sort()).toEqual(["Detected removed table 'public.t2'", "Detected removed table 'public.t3'"]);
  }, 60_000);

  test("a damaged catalog file is read again from the cached database, not trusted", async () => {
    const dir = writeChain(1);
    const schema = join(scratchDir("schema"), "schema.sql");
    writeFileSync(schema, "CREATE TABLE t1 (id int PRIMARY KEY, name text);\n");
    const store = new CacheStore(scratchDir("cache"), 1 << 30);
    await runCheck(dir, schema, store);
    for (const entry of store.list()) writeFileSync(join(store.dir, entry.key, `extra-${catalogFile()}`), '{"tables": [');
    const again = await runCheck(dir, schema, store);
    expect(again.summary).toEqual([]);
    expect(again.builds).toEqual([]);
    for (const entry of store.list()) expect(() => JSON.parse(store.readExtra(entry.key, catalogFile())!)).not.toThrow();
  }, 60_000);
});

describe("diff with the snapshot cache", () => {
  test("drift on a database behind head is found against the cached revision it is at", async () => {
    const dir = writeChain(3);
    const store = new CacheStore(scratchDir("cache"), 1 << 30);
    const live = await databaseAt(chainId(2), { dir, cacheDir: scratchDir("cache") });
    try {
      await live.execute("ALTER TABLE t1 ADD COLUMN oops int");
      const debug: string[] = [];
      const result = await diffDatabase({ url: "pglite:memory", engine: live.engine, revisions: await loadRevisionsFromDir(dir), cache: store, debug: (l) => debug.push(l) });
      expect(result.heads).toEqual([chainId(2)]);
      expect(result.drift).toEqual(["Detected added column 'public.t1.oops'"]);
      expect(debug.some((l) => l.startsWith(`Building the cached database at ${chainId(2)}`))).toBe(true);
      expect(readdirSync(store.dir).filter((n) => !n.startsWith("."))).toHaveLength(1);
    } finally {
      await live.close();
    }
  }, 60_000);
});
