import { describe, expect, test } from "bun:test";
import { readdirSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacheHistory, forgetInProcess, snapshotAt } from "../../src/cache/build.ts";
import { openDataDirTar } from "../../src/cache/open.ts";
import { CacheStore } from "../../src/cache/store.ts";
import { RevisionGraph } from "../../src/core/graph.ts";
import { PgliteUnsupportedError } from "../../src/errors.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";
import { chainId, scratchDir, sqlRevision, writeChain } from "./helpers.ts";

async function historyOf(dir: string) {
  const revisions = await loadRevisionsFromDir(dir);
  return cacheHistory(RevisionGraph.build(revisions), revisions);
}

async function tablesIn(tar: Uint8Array, extensions: readonly string[] = []): Promise<string[]> {
  const db = await openDataDirTar(tar, extensions, "pglite:memory (test)");
  try {
    const rows = await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    return rows.map((r) => r.t);
  } finally {
    await db.close();
  }
}

describe("snapshots through the cache", () => {
  test("a miss builds and stores; the next look-up is a hit; one revision more starts from the cached one", async () => {
    const dir = writeChain(2);
    const store = new CacheStore(scratchDir("cache"), 1 << 30);
    const first = await snapshotAt(store, await historyOf(dir), [chainId(2)]);
    expect(first.source).toEqual({ kind: "built", from: [], steps: 2 });
    forgetInProcess();
    const again = await snapshotAt(store, await historyOf(dir), [chainId(2)]);
    expect(again.source).toEqual({ kind: "hit" });
    expect(await tablesIn(again.tar)).toEqual(["alembic_version", "t1", "t2"]);

    writeChain(3, dir);
    const next = await snapshotAt(store, await historyOf(dir), [chainId(3)]);
    expect(next.source).toEqual({ kind: "built", from: [chainId(2)], steps: 1 });
    expect(await tablesIn(next.tar)).toEqual(["alembic_version", "t1", "t2", "t3"]);
  });

  test("a truncated entry is rebuilt, never used", async () => {
    const dir = writeChain(1);
    const store = new CacheStore(scratchDir("cache"), 1 << 30);
    const built = await snapshotAt(store, await historyOf(dir), [chainId(1)]);
    truncateSync(join(store.dir, built.key, "data.tar"), 4096);
    forgetInProcess();
    const rebuilt = await snapshotAt(store, await historyOf(dir), [chainId(1)]);
    expect(rebuilt.source.kind).toBe("built");
    expect(await tablesIn(rebuilt.tar)).toEqual(["alembic_version", "t1"]);
  });

  test("an extension PGlite does not ship is refused before anything runs, naming revision, extension and the way out", async () => {
    const dir = writeChain(1);
    writeFileSync(join(dir, `${chainId(2)}_gis.sql`), sqlRevision(chainId(2), chainId(1), "CREATE EXTENSION IF NOT EXISTS postgis;", null));
    const store = new CacheStore(scratchDir("cache"), 1 << 30);
    const error = await snapshotAt(store, await historyOf(dir), [chainId(2)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgliteUnsupportedError);
    expect((error as Error).message).toContain(`revision ${chainId(2)}`);
    expect((error as Error).message).toContain(`"postgis"`);
    expect((error as Error).message).toContain("--url");
    expect(readdirSync(store.dir, { withFileTypes: true }).length).toBe(0);
  });

  test("four processes asking for the same key at once all get a complete database and leave one entry", async () => {
    const dir = writeChain(2);
    const cacheDir = scratchDir("cache");
    const script = join(import.meta.dir, "race-worker.ts");
    const procs = [0, 1, 2, 3].map(() => Bun.spawn([process.execPath, script, dir, cacheDir, chainId(2)], { stdout: "pipe", stderr: "pipe" }));
    const outputs = await Promise.all(procs.map(async (p) => ({ code: await p.exited, out: await new Response(p.stdout).text(), err: await new Response(p.stderr).text() })));
    for (const o of outputs) {
      expect(o.err).toBe("");
      expect(o.code).toBe(0);
      expect(o.out.trim()).toBe("alembic_version,t1,t2");
    }
    expect(readdirSync(cacheDir).filter((n) => !n.startsWith("."))).toHaveLength(1);
    expect(readdirSync(cacheDir).filter((n) => n.startsWith("."))).toEqual([]);
  }, 60_000);
});
