import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { LOCK_FILE, lockDirectory, processStart, readOwner } from "../../src/drivers/dir-lock.ts";
import { LockTimeoutError } from "../../src/errors.ts";
import { tempDir } from "../helpers/cli.ts";

const holderScript = join(import.meta.dir, "dir-lock-holder.ts");

/** A process holding the lock on dir, once it says so. */
async function spawnHolder(dir: string) {
  const proc = Bun.spawn([process.execPath, holderScript, dir], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toContain("locked");
  return proc;
}

describe("the directory lock", () => {
  test("a second taker waits, then times out with exit 3 naming the holder's pid; after release it gets the lock", async () => {
    const dir = tempDir("lock-");
    const release = await lockDirectory(dir, { timeoutSeconds: 1, displayUrl: "pglite:x" });
    const lines: string[] = [];
    const started = performance.now();
    const error = await lockDirectory(dir, { timeoutSeconds: 0.3, displayUrl: "pglite:x", log: (l) => lines.push(l) }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as LockTimeoutError).exitCode).toBe(3);
    expect((error as Error).message).toStartWith(`could not take the lock on pglite:x within 0.3 s: it is held by pid ${process.pid} on host ${hostname()}`);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^Waiting up to 0.3 s for the lock on pglite:x, held by pid ${process.pid} `))]);
    setTimeout(release, 200);
    const again = await lockDirectory(dir, { timeoutSeconds: 5, displayUrl: "pglite:x", log: (l) => lines.push(l) });
    expect(lines.at(-1)).toMatch(/^Took the lock on pglite:x after 0\.\d s$/);
    again();
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a lock whose process was killed (SIGKILL) does not block the next taker", async () => {
    const dir = tempDir("lock-");
    const holder = await spawnHolder(dir);
    expect(readOwner(join(dir, LOCK_FILE))?.pid).toBe(holder.pid);
    // alive: it excludes us
    expect(await lockDirectory(dir, { timeoutSeconds: 0.2, displayUrl: "d" }).catch((e: unknown) => e)).toBeInstanceOf(LockTimeoutError);
    holder.kill("SIGKILL");
    await holder.exited;
    const started = performance.now();
    const release = await lockDirectory(dir, { timeoutSeconds: 0.5, displayUrl: "d" });
    expect(performance.now() - started).toBeLessThan(200);
    expect(readOwner(join(dir, LOCK_FILE))?.pid).toBe(process.pid);
    release();
  });

  test("a lock naming a live pid that started at another time (a reused pid) is stale", async () => {
    const dir = tempDir("lock-");
    const start = processStart(process.pid);
    if (start === null) return console.warn("no /proc here: pid reuse cannot be told apart, skipping");
    const old = { pid: process.pid, start: String(Number(start) - 1), host: hostname(), since: "2020-01-01T00:00:00.000Z", nonce: crypto.randomUUID() };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(old));
    const release = await lockDirectory(dir, { timeoutSeconds: 0.2, displayUrl: "d" });
    expect(readOwner(join(dir, LOCK_FILE))?.nonce).not.toBe(old.nonce);
    release();
  });

  test("a lock from another host, or a file retort did not write, is never broken: the timeout says how to remove it", async () => {
    const dir = tempDir("lock-");
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, start: null, host: "elsewhere", since: "x", nonce: "n" }));
    const remote = (await lockDirectory(dir, { timeoutSeconds: 0.1, displayUrl: "d" }).catch((e: unknown) => e)) as Error;
    expect(remote).toBeInstanceOf(LockTimeoutError);
    expect(remote.message).toContain("held by pid 1 on host elsewhere");
    writeFileSync(join(dir, LOCK_FILE), "garbage");
    const garbage = (await lockDirectory(dir, { timeoutSeconds: 0.1, displayUrl: "d" }).catch((e: unknown) => e)) as Error;
    expect(garbage.message).toContain(`a process that left a lock file retort cannot read`);
    expect(garbage.message).toContain(`remove ${join(dir, LOCK_FILE)}`);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  test("8 takers at once in separate processes: each holds it alone", async () => {
    const dir = tempDir("lock-");
    mkdirSync(join(dir, "log"));
    const script = `
      import { appendFileSync } from "node:fs";
      import { lockDirectory } from ${JSON.stringify(join(import.meta.dir, "../../src/drivers/dir-lock.ts"))};
      const release = await lockDirectory(${JSON.stringify(dir)}, { timeoutSeconds: 20, displayUrl: "d", pollMs: 5 });
      appendFileSync(${JSON.stringify(join(dir, "log", "events"))}, "in\\n");
      await Bun.sleep(20);
      appendFileSync(${JSON.stringify(join(dir, "log", "events"))}, "out\\n");
      release();`;
    const procs = Array.from({ length: 8 }, () => Bun.spawn([process.execPath, "-e", script], { stderr: "inherit" }));
    expect(await Promise.all(procs.map((p) => p.exited))).toEqual(Array(8).fill(0));
    const events = (await Bun.file(join(dir, "log", "events")).text()).trim().split("\n");
    expect(events).toEqual(Array.from({ length: 8 }, () => ["in", "out"]).flat());
  });
});
