import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOCK_FILE, lockDirectory } from "../../src/drivers/dir-lock.ts";
import { openEngine } from "../../src/drivers/open.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

const MAIN = join(import.meta.dir, "../../src/cli/main.ts");
const holderScript = join(import.meta.dir, "../drivers/dir-lock-holder.ts");
const ids = ["aaaa00000001", "bbbb00000002", "cccc00000003"];

/** Three revisions that each create a table and record themselves in `applied`; the second sleeps `sleep` seconds. */
function project(sleep = 1): string {
  const cwd = tempDir("pglock-");
  const dir = join(cwd, "migrations", "versions");
  mkdirSync(dir, { recursive: true });
  writeRevisions(dir, sleep);
  return cwd;
}

function writeRevisions(dir: string, sleep: number): void {
  ids.forEach((id, i) => {
    const setup = i === 0 ? "CREATE TABLE applied (id text);\n" : "";
    const teardown = i === 0 ? "\nDROP TABLE applied;" : "";
    writeFileSync(
      join(dir, `${id}_r${i + 1}.sql`),
      `-- Revision ID: ${id}\n-- Revises: ${ids[i - 1] ?? ""}\n-- Message: r${i + 1}\n\n-- migrate:upgrade\n${setup}` +
        `INSERT INTO applied VALUES ('${id}');\nCREATE TABLE t${i + 1} (id int);\nSELECT pg_sleep(${i === 1 ? sleep : 0});\n\n` +
        `-- migrate:downgrade\nDROP TABLE t${i + 1};\nDELETE FROM applied WHERE id = '${id}';${teardown}\n`,
    );
  });
}

function spawnCli(cwd: string, args: string[]) {
  return Bun.spawn([process.execPath, MAIN, ...args, "--url", "pglite:./db"], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
}

async function finish(proc: ReturnType<typeof spawnCli>) {
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  return { code, stderr };
}

/** What the database holds: the version row, the tables t1..t3, the rows of applied; and the system catalogs still answer. */
async function state(cwd: string) {
  const engine = await openEngine(`pglite:${join(cwd, "db")}`);
  try {
    const version = (await engine.query<{ v: string }>("SELECT version_num AS v FROM alembic_version")).map((r) => r.v);
    const tables = await engine.query<{ relname: string; typname: string; columns: number }>(
      `SELECT c.relname, t.typname, (SELECT count(*)::int FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0) AS columns
         FROM pg_class c JOIN pg_type t ON t.oid = c.reltype JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
    );
    const hasApplied = tables.some((t) => t.relname === "applied");
    const applied = hasApplied ? await engine.query<{ id: string; n: number }>("SELECT id, count(*)::int AS n FROM applied GROUP BY id ORDER BY id") : [];
    // every relation's catalog entries can be read back (damaged catalogs fail here: "cache lookup failed")
    await engine.query("SELECT c.oid::regclass::text, pg_get_userbyid(c.relowner), format_type(c.reltype, NULL) FROM pg_class c");
    return { version, tables: tables.map((t) => `${t.relname}:${t.typname}:${t.columns}`), applied };
  } finally {
    await engine.close();
  }
}

const atHead = {
  version: ["cccc00000003"],
  tables: ["alembic_version:alembic_version:1", "applied:applied:1", "retort_history:retort_history:16", "t1:t1:1", "t2:t2:1", "t3:t3:1"],
  applied: ids.map((id) => ({ id, n: 1 })),
};
const atBase = { version: [], tables: ["alembic_version:alembic_version:1", "retort_history:retort_history:16"], applied: [] };

describe("several processes on one pglite:<dir>", () => {
  test("two `upgrade head` at once: one runs, the other waits for the lock and finds it done; every revision ran once", async () => {
    const cwd = project();
    const [a, b] = await Promise.all([finish(spawnCli(cwd, ["upgrade", "head"])), finish(spawnCli(cwd, ["upgrade", "head"]))]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const runs = [a, b].map((r) => r.stderr.match(/Running upgrade/g)?.length ?? 0).sort();
    expect(runs).toEqual([0, 3]);
    expect(await state(cwd)).toEqual(atHead);
    expect(readdirSync(join(cwd, "db")).filter((n) => n.startsWith("retort."))).toEqual([]);
  }, 20_000);

  test("upgrade racing downgrade: they run one after the other, and the database is wholly at one end", async () => {
    const cwd = project();
    expect((await runCli(["upgrade", "aaaa00000001", "--url", "pglite:./db"], { cwd })).code).toBe(0);
    const [up, down] = await Promise.all([finish(spawnCli(cwd, ["upgrade", "head"])), finish(spawnCli(cwd, ["downgrade", "base"]))]);
    expect([up.code, down.code]).toEqual([0, 0]);
    const end = await state(cwd);
    expect([atHead, atBase]).toContainEqual(end);
  }, 20_000);

  test("a process holding the lock makes a run exit 3 within its --lock-timeout naming that pid; once it is killed (SIGKILL) the next run goes ahead", async () => {
    const cwd = project(0);
    expect((await runCli(["upgrade", "aaaa00000001", "--url", "pglite:./db"], { cwd })).code).toBe(0);
    const holder = Bun.spawn([process.execPath, holderScript, join(cwd, "db")], { stdout: "pipe", stderr: "inherit" });
    await holder.stdout.getReader().read();
    try {
      // readers are excluded too (PGlite writes even when it only reads): `current` waits lock_timeout from retort.toml
      writeFileSync(join(cwd, "retort.toml"), "lock_timeout = 0.5\n");
      const started = performance.now();
      const [blocked, reader] = await Promise.all([
        runCli(["upgrade", "head", "--lock-timeout", "1", "--url", "pglite:./db"], { cwd }),
        runCli(["current", "--url", "pglite:./db"], { cwd }),
      ]);
      expect(performance.now() - started).toBeLessThan(10_000); // 1 s of waiting plus process start-up on a busy machine
      expect(blocked.code).toBe(3);
      expect(blocked.stderr).toContain(`Waiting up to 1 s for the lock on pglite:./db, held by pid ${holder.pid} `);
      expect(blocked.stderr).toContain(`FAILED: could not take the lock on pglite:./db within 1 s: it is held by pid ${holder.pid} `);
      expect(reader.code).toBe(3);
      expect(reader.stderr).toContain(`FAILED: could not take the lock on pglite:./db within 0.5 s: it is held by pid ${holder.pid} `);
    } finally {
      holder.kill("SIGKILL");
      await holder.exited;
    }
    const after = await runCli(["upgrade", "head", "--lock-timeout", "1", "--url", "pglite:./db"], { cwd });
    expect(after.code).toBe(0);
    expect(after.stderr).not.toContain("Waiting");
    expect(await state(cwd)).toEqual(atHead);
  }, 20_000);

  test("a run killed (SIGKILL) in the middle of a revision leaves its lock behind, which does not block the rerun: that completes the migration", async () => {
    const cwd = project(30);
    const run = spawnCli(cwd, ["upgrade", "head"]);
    const deadline = Date.now() + 15_000;
    while (!existsSync(join(cwd, "db", "PG_VERSION")) || !existsSync(join(cwd, "db", LOCK_FILE))) {
      if (Date.now() > deadline) throw new Error("the run never took the lock");
      await Bun.sleep(20);
    }
    await Bun.sleep(800); // into the sleeping revision
    run.kill("SIGKILL");
    await run.exited;
    expect(existsSync(join(cwd, "db", LOCK_FILE))).toBe(true);
    writeRevisions(join(cwd, "migrations", "versions"), 0);
    const rerun = await runCli(["upgrade", "head", "--lock-timeout", "1", "--url", "pglite:./db"], { cwd });
    expect(rerun.stderr).not.toContain("Waiting");
    expect(rerun.code).toBe(0);
    expect(await state(cwd)).toEqual(atHead);
  }, 20_000);
});

describe("every command that opens a database waits for a pglite directory's lock as long as --lock-timeout says", () => {
  test("one database: exit 3 after the given wait; over a fleet: an unreachable row saying so", async () => {
    const cwd = project(0);
    expect((await runCli(["upgrade", "aaaa00000001", "--url", "pglite:./db", "--no-lint"], { cwd })).code).toBe(0);
    // retort.toml says otherwise: a command that read lock_timeout instead of the flag would say "within 3 s"
    writeFileSync(join(cwd, "retort.toml"), "lock_timeout = 3\n");
    writeFileSync(join(cwd, "schema.sql"), "CREATE TABLE applied (id text);\n");
    // this test process holds the lock (alive, so never broken as stale)
    const release = await lockDirectory(join(cwd, "db"), { timeoutSeconds: 0, displayUrl: "pglite:./db" });
    try {
      const commands = [
        ["current"],
        ["log"],
        ["validate"],
        ["history", "-i"],
        ["show", "current"],
        ["diff"],
        ["lint"],
        ["check", "--against", "pglite:./db"],
        ["revision", "--autogenerate", "-m", "x", "--against", "pglite:./db"],
        ["verify"],
        ["upgrade", "head", "--no-lint"],
      ];
      for (const command of commands) {
        const one = await runCli([...command, "--url", "pglite:./db", "--lock-timeout", "0"], { cwd });
        expect({ command, code: one.code }).toEqual({ command, code: 3 });
        expect(one.stderr, command.join(" ")).toContain("could not take the lock on pglite:./db within 0 s");
      }
      for (const command of ["current", "validate", "lint", "diff"]) {
        const fleet = await runCli([command, "--url", "pglite:./db", "--jobs", "1", "--lock-timeout", "0", "--json"], { cwd });
        const doc = JSON.parse(fleet.stdout) as { targets: { state?: string; status?: string; error: { message: string } | null }[] };
        expect({ command, code: fleet.code, status: doc.targets.map((t) => t.state ?? t.status) }).toEqual({ command, code: command === "current" ? 0 : 3, status: ["unreachable"] });
        expect(doc.targets[0]!.error?.message, command).toContain("within 0 s");
      }
      for (const command of [["current"], ["log"], ["history"], ["show", "head"]]) {
        const bad = await runCli([...command, "--url", "pglite:./db", "--lock-timeout", "soon"], { cwd });
        expect({ command, code: bad.code }).toEqual({ command, code: 2 });
        expect(bad.stderr).toContain("--lock-timeout takes a number of seconds (0 or more), got 'soon'");
      }
    } finally {
      release();
    }
  }, 60_000);
});
