/**
 * The history through the CLI: log, validate, current -v and --allow-changed
 * as a user runs them; a run killed with SIGKILL; an Alembic-migrated
 * database adopted and then continued by Alembic.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TOOL_VERSION } from "../../src/cli/version.ts";
import { openEngine } from "../../src/drivers/open.ts";
import { historyTableExists, readHistory } from "../../src/history/table.ts";
import { readHeads } from "../../src/runtime/version-table.ts";
import { alembicAvailable, runAlembic } from "../helpers/alembic.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { projectOn, readUntil, sqlRevisionText } from "../helpers/project.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const pg = await postgresAvailable();
const kinds: ("pglite" | "postgres")[] = pg ? ["pglite", "postgres"] : ["pglite"];
const databases: TempDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

const sqlFile = (id: string, down: string, up: string) => sqlRevisionText(id, down, up, { createDate: "2026-01-01 00:00:00" });

/** A project of `files` and a database of `kind` (dropped after the file's tests). */
const project = (kind: "pglite" | "postgres", files: Record<string, string>) => projectOn(kind, files, databases, "hist");

async function stateOf(url: string) {
  const engine = await openEngine(url);
  try {
    return { heads: await readHeads(engine, { name: "alembic_version", schema: null }), rows: (await readHistory(engine, { name: "retort_history", schema: null })).reverse() };
  } finally {
    await engine.close();
  }
}

const A = "aaaa00000001";
const B = "bbbb00000002";
const C = "cccc00000003";
const files = () => ({
  [`${A}_a.sql`]: sqlFile(A, "", "CREATE TABLE ta (id int);"),
  [`${B}_b.sql`]: sqlFile(B, A, "CREATE TABLE tb (note text DEFAULT 'x');"),
  [`${C}_c.sql`]: sqlFile(C, B, "CREATE TABLE tc (id int);"),
});

describe(`log, validate, current -v and --allow-changed through the CLI (${pg ? "PostgreSQL" : "PGlite"})`, () => {
  test("a user's day: upgrade, read the log, edit an applied file, get stopped, accept the change", async () => {
    const { cwd, url } = await project(pg ? "postgres" : "pglite", files());
    const cli = (...args: string[]) => runCli([...args, "--url", url, "--dir", "versions"], { cwd });
    // read-only commands on a fresh database create nothing
    expect((await cli("log")).stdout).toBe("");
    expect((await cli("validate")).code).toBe(0);
    expect((await cli("current", "-v")).code).toBe(0);
    if (pg) {
      const engine = await openEngine(url);
      expect(await historyTableExists(engine, { name: "retort_history", schema: null })).toBe(false);
      await engine.close();
    }
    expect((await cli("upgrade", "head")).code).toBe(0);

    const log = await cli("log");
    expect(log.code).toBe(0);
    const lines = log.stdout.trim().split("\n");
    // the login name as the system knows it (Bun's os.userInfo() says "unknown" when $USER is unset)
    const who = `${Bun.spawnSync(["id", "-un"]).stdout.toString().trim()}@`;
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  upgrade  ${B} -> ${C}  \\d+(\\.\\d)? ms  ok  ${who}\\S+  retort ${TOOL_VERSION.replaceAll(".", "\\.")}$`));
    expect(lines[2]).toContain(`  upgrade  <base> -> ${A}  `);
    const json = JSON.parse((await cli("log", "-n", "1", "--json")).stdout);
    expect(json.rows).toHaveLength(1);
    expect(json.rows[0]).toMatchObject({ revision: C, kind: "upgrade", success: true, headsBefore: [B], headsAfter: [C] });
    expect((await cli("log", "--revision", "bbbb")).stdout.trim().split("\n")).toHaveLength(1);

    const current = await cli("current", "-v");
    expect(current.stdout).toMatch(new RegExp(`Applied: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC by ${who}`));
    expect((await cli("validate")).stdout).toContain("OK: 3 applied revision(s)");

    // a comment and whitespace: nothing changed
    const bFile = join(cwd, "versions", `${B}_b.sql`);
    const original = readFileSync(bFile, "utf8");
    writeFileSync(bFile, original.replace("CREATE TABLE tb (note text DEFAULT 'x');", "-- notes\nCREATE TABLE tb (\r\n    note text DEFAULT 'x'   \r\n);\r\n\r\n"));
    expect((await cli("validate")).code).toBe(0);

    // a token: validate exit 1, upgrade refuses with exit 2 and one line
    writeFileSync(bFile, original.replace("DEFAULT 'x'", "DEFAULT 'y'"));
    const invalid = await cli("validate", "--json");
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout)).toMatchObject({ ok: false, problems: [{ revision: B, problem: "changed" }] });
    const refused = await cli("upgrade", "head");
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n").filter((l) => l.includes(B))).toHaveLength(1);
    expect(refused.stderr).toContain(`revision ${B} (`);
    expect(refused.stderr).toContain(`by ${who}`);
    expect(refused.stderr).toContain("--allow-changed");

    // a value that names no revision is refused before anything runs, naming it
    const unknown = await cli("upgrade", "head", "--allow-changed", B, "--allow-changed=ffff");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("FAILED: --allow-changed ffff: Can't locate revision identified by 'ffff'\n");
    const accepted = await cli("upgrade", "head", "--allow-changed", B, `--allow-changed=${A.slice(0, 4)}`);
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toContain(`Accepting the changed file of applied revision ${B}`);
    expect(accepted.stderr).toContain(`--allow-changed aaaa: revision ${A} has no changed or vanished file; nothing to accept`);
    expect((await cli("validate")).code).toBe(0);
    expect((await cli("log", "-n", "1")).stdout).toContain(`  accept  ${B} (checksum `);
  }, 30_000);
});

for (const kind of kinds) {
  test(`SIGKILL mid-run leaves history and schema in agreement (${kind})`, async () => {
    const { cwd, url } = await project(kind, { ...files(), [`${C}_c.sql`]: sqlFile(C, B, "CREATE TABLE tc (id int);\nSELECT pg_sleep(20);") });
    const args = ["upgrade", "head", "--url", url, "--dir", "versions", "--transaction-per-migration"];
    const child = Bun.spawn([process.execPath, resolve(import.meta.dir, "../../src/cli/main.ts"), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
      stdout: "ignore",
      stderr: "pipe",
    });
    const deadline = Date.now() + 20_000;
    await readUntil(child.stderr as ReadableStream<Uint8Array>, `Done upgrade ${A} -> ${B}`);
    if (kind === "postgres") {
      const watch = await openEngine(url);
      while (Date.now() < deadline && (await watch.query("select 1 from pg_stat_activity where query like '%pg_sleep%' and state = 'active' and pid <> pg_backend_pid()")).length === 0) await Bun.sleep(25);
      await watch.close();
    } else await Bun.sleep(800);
    child.kill("SIGKILL");
    await child.exited;
    if (kind === "postgres") {
      const watch = await openEngine(url);
      await watch.execute("select pg_terminate_backend(pid) from pg_stat_activity where query like '%pg_sleep%' and pid <> pg_backend_pid()");
      await watch.close();
    }
    const { heads, rows } = await stateOf(url);
    expect(heads).toEqual([B]);
    expect(rows.map((r) => [r.revision, r.success])).toEqual([
      [A, true],
      [B, true],
    ]);
    expect(rows.at(-1)!.headsAfter).toEqual(heads);
  }, 40_000);
}

test("an Alembic-migrated database is adopted, and Alembic can continue it afterwards", async () => {
  if (!pg || !(await alembicAvailable())) {
    console.warn("skipping the Alembic adoption test: needs PostgreSQL and Alembic (always run in CI)");
    return;
  }
  const db = await createTempDatabase("retort_hist_alembic");
  databases.push(db);
  const alembicProject = tempDir("alembic-");
  cpSync(resolve(import.meta.dir, "../fixtures/alembic/platform"), alembicProject, { recursive: true });
  await runAlembic(alembicProject, [{ command: "upgrade", target: "ffa7dce781be", url: db.url }]);
  const cwd = tempDir("adopt-");
  const dir = resolve(import.meta.dir, "../../migrations/versions");
  const cli = (...args: string[]) => runCli([...args, "--url", db.url, "--dir", dir], { cwd });
  expect((await cli("validate")).stdout).toContain("No history table");
  expect((await cli("upgrade", "dadf308f3867")).code).toBe(0);
  let state = await stateOf(db.url);
  expect(state.rows.map((r) => [r.kind, r.revision, r.checksum === null])).toEqual([
    ["baseline", "ffa7dce781be", true],
    ["upgrade", "dadf308f3867", false],
  ]);
  // Alembic reads alembic_version as it always did and runs the next revision
  await runAlembic(alembicProject, [{ command: "upgrade", target: "head", url: db.url }]);
  state = await stateOf(db.url);
  expect(state.heads).toEqual(["0ee619f3516b"]);
  expect((await cli("validate")).code).toBe(0);
  expect((await cli("current", "-v")).stdout).toContain("Applied: not recorded");
}, 60_000);

test("concurrent deployers on one pglite:<dir> produce one history row per applied step", async () => {
  const { cwd, url } = await project("pglite", files());
  const args = ["upgrade", "head", "--url", url, "--dir", "versions"];
  const [a, b] = await Promise.all([runCli(args, { cwd }), runCli(args, { cwd })]);
  expect([a.code, b.code]).toEqual([0, 0]);
  const { heads, rows } = await stateOf(url);
  expect(heads).toEqual([C]);
  expect(rows.map((r) => r.revision)).toEqual([A, B, C]);
  expect(new Set(rows.map((r) => r.runId)).size).toBe(1);
}, 30_000);
