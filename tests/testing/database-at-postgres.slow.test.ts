/** databaseAt on PostgreSQL: templates, clones, stale templates, killed callers and concurrent callers (several processes and template builds: the long suite). */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { databaseAt } from "../../src/testing/index.ts";
import { projectTag } from "../../src/testing/templates.ts";
import { adminUrl, postgresAvailable } from "../helpers/postgres.ts";
import { databasesLike, dropTemplatesAfterAll } from "./templates-cleanup.ts";
import { chainId, scratchDir, sqlRevision, writeChain } from "../cache/helpers.ts";

const hasPostgres = await postgresAvailable();
const cacheDir = scratchDir("cache");

const tags = dropTemplatesAfterAll(hasPostgres);

describe.if(hasPostgres)("databaseAt on PostgreSQL", () => {
  test("every call clones one template; close drops the clone and keeps the template", async () => {
    const dir = writeChain(2);
    const tag = projectTag(dir);
    tags.push(tag);
    const a = await databaseAt("head", { dir, url: adminUrl, cacheDir });
    const b = await databaseAt("head", { dir, url: adminUrl, cacheDir });
    try {
      await a.execute("INSERT INTO t2 VALUES (1, 'a')");
      expect(await b.query("SELECT count(*)::int AS n FROM t2")).toEqual([{ n: 0 }]);
      expect(await a.heads()).toEqual([chainId(2)]);
      expect(a.url).toContain("retort_db_");
      expect(await databasesLike(`retort_tpl_${tag}`)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
    expect(await databasesLike(`retort_db_${tag}`)).toEqual([]);
    expect(await databasesLike(`retort_tpl_${tag}`)).toHaveLength(1);
  }, 30_000);

  test("a template whose key no longer belongs to any revision is dropped when a new one is built", async () => {
    const dir = writeChain(2);
    const tag = projectTag(dir);
    tags.push(tag);
    await (await databaseAt("head", { dir, url: adminUrl, cacheDir })).close();
    const [old] = await databasesLike(`retort_tpl_${tag}`);
    writeFileSync(join(dir, `${chainId(2)}_t2.sql`), sqlRevision(chainId(2), chainId(1), "CREATE TABLE t2 (id bigint);", "DROP TABLE t2;"));
    // a new process would see the edited file: bypass this process's memo with another cwd spelling
    await (await databaseAt("head", { dir: `${dir}/`, url: adminUrl, cacheDir })).close();
    const now = await databasesLike(`retort_tpl_${tag}`);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(old!);
  }, 30_000);

  test("a clone whose process was killed before close() is dropped by the next caller", async () => {
    const dir = writeChain(1);
    const tag = projectTag(dir);
    tags.push(tag);
    const child = Bun.spawn([process.execPath, join(import.meta.dir, "clone-worker.ts"), dir, adminUrl, cacheDir], { stdout: "pipe", stderr: "inherit" });
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    const orphan = new TextDecoder().decode(value).trim();
    expect(await databasesLike(orphan)).toEqual([orphan]);
    child.kill("SIGKILL");
    await child.exited;
    const next = await databaseAt("head", { dir, url: adminUrl, cacheDir });
    try {
      expect(await databasesLike(orphan)).toEqual([]);
      expect(await databasesLike(`retort_db_${tag}`)).toEqual([new URL(next.url!).pathname.slice(1)]);
    } finally {
      await next.close();
    }
  }, 60_000);

  test("concurrent callers build the template once and each get their own clone", async () => {
    const dir = writeChain(2);
    const tag = projectTag(dir);
    tags.push(tag);
    const dbs = await Promise.all([1, 2, 3, 4].map(() => databaseAt("head", { dir, url: adminUrl, cacheDir })));
    try {
      expect(new Set(dbs.map((d) => d.url)).size).toBe(4);
      expect(await databasesLike(`retort_tpl_${tag}`)).toHaveLength(1);
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
    }
  }, 60_000);
});
