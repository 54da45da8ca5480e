/** Ctrl-C / SIGTERM on a pglite: database: the run stops between statements, rolls back and exits 130 / 143. */
import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runCli, tempDir } from "../helpers/cli.ts";
import { readUntil } from "../helpers/project.ts";

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  test(`${signal} during a revision on PGlite stops it between statements, rolls back and exits ${code}`, async () => {
    const cwd = tempDir("pglite-signal-");
    const dir = join(cwd, "versions");
    mkdirSync(dir);
    const body = `CREATE TABLE t1 (id int);\n${"SELECT pg_sleep(0.25);\n".repeat(16)}`;
    writeFileSync(join(dir, "aaaa00000001_s.sql"), `-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: slow\n\n-- migrate:upgrade\n${body}\n-- migrate:downgrade\nDROP TABLE t1;\n`);
    const child = Bun.spawn([process.execPath, resolve(import.meta.dir, "../../src/cli/main.ts"), "upgrade", "head", "--dir", "versions", "--url", "pglite:./db", "--no-lint"], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
      stdout: "ignore",
      stderr: "pipe",
    });
    const seen = await readUntil(child.stderr as ReadableStream<Uint8Array>, "Running upgrade  -> aaaa00000001");
    expect(seen).toContain("Running upgrade");
    await Bun.sleep(500);
    const started = performance.now();
    child.kill(signal);
    expect(await child.exited).toBe(code);
    // the revision's 16 sleeps take 4 s: stopped between two of them, it ends well before
    expect(performance.now() - started).toBeLessThan(2500);
    const current = await runCli(["current", "--dir", "versions", "--url", "pglite:./db"], { cwd });
    expect(current.stdout).toBe("");
  }, 30_000);
}
