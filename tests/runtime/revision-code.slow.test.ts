/**
 * Revision code that tries to end or escape the run, and runs killed in the
 * middle of a `Transaction: false` revision: real CLI processes on a
 * pglite:<dir> and on PostgreSQL, and the database checked afterwards.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { openEngine } from "../../src/drivers/open.ts";
import { markSql } from "../../src/runtime/interrupted.ts";
import { runCli } from "../helpers/cli.ts";
import { projectOn, readUntil, sqlRevisionText } from "../helpers/project.ts";
import { postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const databases: TempDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
}, 30_000);

const kinds = (await postgresAvailable()) ? (["pglite", "postgres"] as const) : (["pglite"] as const);

/** A project of `files` and a database of `kind` (dropped after the file's tests). */
const project = (kind: "pglite" | "postgres", files: Record<string, string>) => projectOn(kind, files, databases, "revcode");

const sqlFile = (id: string, down: string, up: string, transaction = true) => sqlRevisionText(id, down, up, { createDate: "2026-01-01 00:00:00", transaction });

const tsFile = (id: string, down: string, body: string, top = "") =>
  `${top}\nexport const revision = "${id}";\nexport const downRevision = "${down}";\nexport const message = "${id}";\n` +
  `export async function upgrade(op: any) {\n${body}\n}\nexport async function downgrade(op: any) {}\n`;

/** Tables in public and the version rows, read after the CLI exited. */
async function state(url: string): Promise<{ tables: string[]; heads: string[] }> {
  const engine = await openEngine(url);
  try {
    const tables = (await engine.query<{ n: string }>("select table_name as n from information_schema.tables where table_schema = 'public' and table_name <> 'retort_history' order by 1")).map((r) => r.n);
    const heads = tables.includes("alembic_version") ? (await engine.query<{ v: string }>("select version_num as v from alembic_version order by 1")).map((r) => r.v) : [];
    return { tables, heads };
  } finally {
    await engine.close();
  }
}

const escapes: [string, string, RegExp][] = [
  ["calls process.exit(7) while it runs", `  await op.execute("CREATE TABLE half (id int)");\n  process.exit(7);`, /called process\.exit\(7\)/],
  ["throws from a timer", `  setTimeout(() => { throw new Error("boom in a timer"); }, 0);\n  await op.execute("CREATE TABLE half (id int)");`, /outside the revision's promise.*boom in a timer/],
  ["leaves a rejection unhandled", `  Promise.reject(new Error("nobody caught me"));\n  await op.execute("CREATE TABLE half (id int)");`, /unhandled promise rejection.*nobody caught me/],
];

for (const kind of kinds) {
  describe(`revision code on ${kind}`, () => {
    test("a revision that exits the process, throws from a timer or leaves a rejection fails the run: rolled back, exit 1, the revision named", async () => {
      await Promise.all(
        // each PGlite CLI run unpacks a database (~1 s on a shared machine): one variant there, all three on PostgreSQL
        (kind === "pglite" ? escapes.slice(0, 1) : escapes).map(async ([, body, expected]) => {
          const { cwd, url } = await project(kind, {
            "aaaa00000001_base.sql": sqlFile("aaaa00000001", "", "CREATE TABLE base_t (id int);"),
            "bbbb00000002_bad.ts": tsFile("bbbb00000002", "aaaa00000001", body),
          });
          const run = await runCli(["upgrade", "head", "--url", url, "--dir", "versions"], { cwd });
          expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 1, stderr: expect.stringMatching(expected) });
          // one line, naming the revision and its file
          const lines = run.stderr.trim().split("\n");
          expect(lines.at(-1)).toMatch(/^FAILED: Running upgrade aaaa00000001 -> bbbb00000002, bbbb00000002 failed \(\S+\/versions\/bbbb00000002_bad\.ts\): .*; rolled back; the database and alembic_version are back at <base>$/);
          expect(await state(url)).toEqual({ tables: [], heads: [] });
        }),
      );
    }, 30_000);

    test("a revision that calls process.exit() while loading is refused before anything runs (exit 2)", async () => {
      const { cwd, url } = await project(kind, {
        "aaaa00000001_base.sql": sqlFile("aaaa00000001", "", "CREATE TABLE base_t (id int);"),
        "bbbb00000002_bad.ts": tsFile("bbbb00000002", "aaaa00000001", "", "process.exit(3);"),
      });
      const run = await runCli(["upgrade", "head", "--url", url, "--dir", "versions"], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("versions/bbbb00000002_bad.ts: the module calls process.exit(3) while loading");
      expect((await state(url)).tables).toEqual([]);
    }, 30_000);

    test("a run killed inside a Transaction: false revision leaves a marker: the next run refuses until --resolve-interrupted", async () => {
      const { cwd, url } = await project(kind, {
        "aaaa00000001_base.sql": sqlFile("aaaa00000001", "", "CREATE TABLE big (id int);"),
        "bbbb00000002_index.sql": sqlFile("bbbb00000002", "aaaa00000001", "CREATE INDEX CONCURRENTLY IF NOT EXISTS big_id ON big (id);\nSELECT pg_sleep(10);", false),
        "cccc00000003_after.sql": sqlFile("cccc00000003", "bbbb00000002", "CREATE TABLE after_t (id int);"),
      });
      const args = ["upgrade", "head", "--url", url, "--dir", "versions"];
      const child = Bun.spawn([process.execPath, resolve(import.meta.dir, "../../src/cli/main.ts"), ...args], {
        cwd,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
        stdout: "ignore",
        stderr: "pipe",
      });
      // the base revision's line comes once it is committed; the marker and the index follow at once, then the sleep
      const deadline = Date.now() + 20_000;
      await readUntil(child.stderr as ReadableStream<Uint8Array>, "Done upgrade  -> aaaa00000001");
      if (kind === "postgres") {
        // kill during the sleep, once the server runs it
        const watch = await openEngine(url);
        while (Date.now() < deadline && (await watch.query("select 1 from pg_stat_activity where query like 'SELECT pg_sleep%' and state = 'active'")).length === 0) await Bun.sleep(25);
        await watch.close();
      } else await Bun.sleep(1500); // PGlite is in the child's process: give it time to reach the sleep
      child.kill("SIGKILL");
      await child.exited;
      if (kind === "postgres") {
        // the server would notice the dead client only when the sleep ends: end its session now
        const watch = await openEngine(url);
        await watch.execute("select pg_terminate_backend(pid) from pg_stat_activity where query like 'SELECT pg_sleep%' and pid <> pg_backend_pid()");
        await watch.close();
      }

      const refused = await runCli(args, { cwd });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("revision bbbb00000002 (upgrade aaaa00000001 -> bbbb00000002, bbbb00000002) was interrupted at");
      expect(refused.stderr).toContain("--resolve-interrupted");
      // (each open of a PGlite directory costs a second: checked on PostgreSQL only)
      if (kind === "postgres") expect(await state(url)).toEqual({ tables: ["alembic_version", "big", "retort_interrupted"], heads: ["aaaa00000001"] });

      // the user checked: the index is there; the rerun of the revision must not sleep again
      const file = join(cwd, "versions", "bbbb00000002_index.sql");
      writeFileSync(file, readFileSync(file, "utf8").replace("SELECT pg_sleep(10);", "SELECT 1;"));
      const resolved = await runCli([...args, "--resolve-interrupted"], { cwd });
      expect(resolved.stderr).toContain("Running upgrade bbbb00000002 -> cccc00000003");
      expect(resolved.code).toBe(0);
      expect(await state(url)).toEqual({ tables: ["after_t", "alembic_version", "big"], heads: ["cccc00000003"] });
    }, 30_000);

    // the marker's refusal is the same code on both engines (the kill test above covers PGlite); one CLI stamp here
    if (kind === "postgres") {
      test("stamp records the state the user found and clears the marker; the next upgrade runs", async () => {
        const { cwd, url } = await project(kind, {
          "aaaa00000001_base.sql": sqlFile("aaaa00000001", "", "CREATE TABLE big (id int);"),
          "bbbb00000002_after.sql": sqlFile("bbbb00000002", "aaaa00000001", "CREATE TABLE after_t (id int);"),
        });
        const args = ["--url", url, "--dir", "versions"];
        expect((await runCli(["upgrade", "aaaa00000001", ...args], { cwd })).code).toBe(0);
        const engine = await openEngine(url);
        await engine.execute(markSql({ name: "alembic_version", schema: null }, "aaaa00000001", "upgrade  -> aaaa00000001, aaaa00000001"));
        await engine.close();
        expect((await runCli(["upgrade", "head", ...args], { cwd })).code).toBe(2);
        const stamped = await runCli(["stamp", "aaaa00000001", ...args], { cwd });
        expect(stamped.code).toBe(0);
        expect((await state(url)).tables).toEqual(["alembic_version", "big"]);
        expect((await runCli(["upgrade", "head", ...args], { cwd })).code).toBe(0);
        expect(await state(url)).toEqual({ tables: ["after_t", "alembic_version", "big"], heads: ["bbbb00000002"] });
      });
    }
  });
}
