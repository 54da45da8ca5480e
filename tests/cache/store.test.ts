import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CacheStore } from "../../src/cache/store.ts";
import { cacheLocation } from "../../src/cache/location.ts";

const tmp = () => mkdtempSync(join(process.env.RETORT_TEST_TMP!, "store-"));
const key = (n: number) => n.toString(16).padStart(32, "0");
const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);
const meta = (k: string) => ({ key: k, revisions: ["abc"], extensions: [], pgliteVersion: "0.5.16", format: 1 });

describe("cache store", () => {
  test("clearing a cache whose directory does not exist yet removes nothing and creates nothing", () => {
    const dir = join(tmp(), "never-made");
    const store = new CacheStore(dir, 1 << 20);
    expect(store.clear()).toBe(0);
    expect(store.list()).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  test("an entry reads back as written, with its manifest", async () => {
    const store = new CacheStore(tmp(), 1 << 20);
    store.write(meta(key(1)), bytes(1000));
    const entry = await store.read(key(1));
    expect(entry?.tar).toEqual(bytes(1000));
    expect(entry?.manifest.size).toBe(1000);
    expect(store.list().map((e) => e.key)).toEqual([key(1)]);
  });

  test("a truncated entry is reported missing and removed, never returned", async () => {
    const store = new CacheStore(tmp(), 1 << 20);
    store.write(meta(key(2)), bytes(1000));
    truncateSync(join(store.dir, key(2), "data.tar"), 500);
    expect(await store.read(key(2))).toBeNull();
    expect(existsSync(join(store.dir, key(2)))).toBe(false);
  });

  test("a corrupted byte (same size) is detected by the hash", async () => {
    const store = new CacheStore(tmp(), 1 << 20);
    store.write(meta(key(3)), bytes(1000));
    const damaged = bytes(1000);
    damaged[500] = 8;
    writeFileSync(join(store.dir, key(3), "data.tar"), damaged);
    expect(await store.read(key(3))).toBeNull();
  });

  test("a damaged manifest is treated as a missing entry", async () => {
    const store = new CacheStore(tmp(), 1 << 20);
    store.write(meta(key(4)), bytes(10));
    writeFileSync(join(store.dir, key(4), "manifest.json"), "{ not json");
    expect(await store.read(key(4))).toBeNull();
    expect(store.has(key(4))).toBe(false);
  });

  test("a second writer of the same key keeps the first entry and leaves no staging directory", () => {
    const store = new CacheStore(tmp(), 1 << 20);
    store.write(meta(key(5)), bytes(10, 1));
    store.write(meta(key(5)), bytes(10, 2));
    expect(readdirSync(store.dir)).toEqual([key(5)]);
  });

  test("over the cap, least recently used entries go first and the new one stays", async () => {
    const store = new CacheStore(tmp(), 2500);
    store.write(meta(key(6)), bytes(1000));
    store.write(meta(key(7)), bytes(1000));
    // 6 was used more recently than 7
    utimesSync(join(store.dir, key(7)), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await store.read(key(6));
    store.write(meta(key(8)), bytes(1000));
    expect(store.list().map((e) => e.key).sort()).toEqual([key(6), key(8)]);
  });

  test("a staging directory left by a killed writer is swept; a live writer's is left alone", () => {
    const store = new CacheStore(tmp(), 1 << 20);
    store.write(meta(key(11)), bytes(10));
    const dead = join(store.dir, ".tmp-2147483646-deadbeef");
    const live = join(store.dir, `.tmp-${process.pid}-cafecafe`);
    mkdirSync(dead);
    mkdirSync(live);
    store.write(meta(key(12)), bytes(10));
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  test("clear removes every entry", () => {
    const store = new CacheStore(tmp(), 1 << 20);
    store.write(meta(key(9)), bytes(10));
    store.write(meta(key(10)), bytes(10));
    expect(store.clear()).toBe(2);
    expect(store.list()).toEqual([]);
  });
});

describe("cache location", () => {
  const cases = [
    { name: "beside retort.toml", config: { path: "/p/retort.toml" }, env: {}, dir: "/p/.retort/cache", mb: 1024 },
    { name: "in the working directory without retort.toml", config: { path: null }, env: {}, dir: "/cwd/.retort/cache", mb: 1024 },
    { name: "cache_dir and cache_max_mb from retort.toml", config: { path: "/p/retort.toml", cacheDir: "/elsewhere", cacheMaxMb: 10 }, env: {}, dir: "/elsewhere", mb: 10 },
    { name: "RETORT_CACHE_DIR over retort.toml", config: { path: "/p/retort.toml", cacheDir: "/elsewhere" }, env: { RETORT_CACHE_DIR: "rel" }, dir: "/cwd/rel", mb: 1024 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      expect(cacheLocation(c.config, "/cwd", c.env)).toEqual({ dir: c.dir, maxBytes: c.mb * 1024 * 1024 });
    });
  }
  test("a cap that is not positive is a config error", () => {
    expect(() => cacheLocation({ path: "/p/retort.toml", cacheMaxMb: 0 }, "/cwd", {})).toThrow(/cache_max_mb/);
  });
});
