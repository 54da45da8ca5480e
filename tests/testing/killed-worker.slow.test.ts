/**
 * A test process killed while it holds databaseAt databases (PGlite): its
 * unpacked cache entry and its databases' copy-on-write layers are left in
 * the ephemeral root; they never reach another process's databases, and the
 * next process that opens one sweeps them.
 */
import { expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ephemeralRoot } from "../../src/embedded/ephemeral.ts";
import { databaseAt } from "../../src/testing/index.ts";
import { readUntil } from "../helpers/project.ts";
import { scratchDir, writeChain } from "../cache/helpers.ts";

const leftovers = (pid: number) => readdirSync(ephemeralRoot()).filter((n) => n.startsWith(`retort-mem-${pid}-`));

test("SIGKILL while databases are open: others are unaffected, and the next open removes what it left", async () => {
  const dir = writeChain(2);
  const cacheDir = scratchDir("killed-cache");
  const worker = Bun.spawn([process.execPath, join(import.meta.dir, "pglite-worker.ts"), dir, cacheDir], { stdout: "pipe", stderr: "inherit" });
  await readUntil(worker.stdout, "ready");
  // the shared entry and two layers (one per database)
  expect(leftovers(worker.pid).length).toBeGreaterThanOrEqual(3);
  const during = await databaseAt("head", { dir, cacheDir });
  worker.kill("SIGKILL");
  await worker.exited;
  try {
    expect(leftovers(worker.pid).length).toBeGreaterThanOrEqual(3);
    expect(await during.query("SELECT count(*)::int AS n FROM t2")).toEqual([{ n: 0 }]);
  } finally {
    await during.close();
  }
  const after = await databaseAt("head", { dir, cacheDir });
  try {
    expect(await after.query("SELECT count(*)::int AS n FROM t2")).toEqual([{ n: 0 }]);
    expect(leftovers(worker.pid)).toEqual([]);
  } finally {
    await after.close();
  }
}, 60_000);
