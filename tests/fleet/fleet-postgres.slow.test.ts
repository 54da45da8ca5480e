/**
 * Fleets on the real server, through the CLI as a user runs it: databases and
 * tenant schemas reach head, a failing revision and an unreachable target
 * leave every other target at head, a SIGKILLed run finishes on a rerun, two
 * runs at once apply each revision once per target, --jobs bounds the
 * connections, and tenant tables land in their schema and nowhere else.
 * `npm test` uses 6 databases and 20 tenant schemas; RETORT_LONG=1 the
 * issue's 20 databases and 200 schemas.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { runCli, tempDir } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const LONG = process.env.RETORT_LONG === "1";
const DATABASES = LONG ? 20 : 6;
const TENANTS = LONG ? 200 : 20;
const MAIN = resolve(import.meta.dir, "../../src/cli/main.ts");
const UNREACHABLE = "postgres://postgres:hunter2@127.0.0.1:1/nowhere";

const R1 = "f1ee00000001";
const R2 = "f1ee00000002";
const R3 = "f1ee00000003";

/** Three revisions: each logs itself into applied_log, so a revision applied twice shows. */
function writeRevisions(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const rev = (id: string, down: string | null, slug: string, up: string, downSql: string) =>
    writeFileSync(join(dir, `${id}_${slug}.sql`), `-- Revision ID: ${id}\n-- Revises: ${down ?? ""}\n-- Message: ${slug}\n\n-- migrate:upgrade\n${up}\n\n-- migrate:downgrade\n${downSql}\n`);
  rev(
    R1,
    null,
    "widgets",
    `CREATE TABLE applied_log (rev text NOT NULL);\nINSERT INTO applied_log VALUES ('r1');\nCREATE TABLE widgets (id int PRIMARY KEY);\nCREATE FUNCTION widget_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM widgets $$;`,
    `DROP FUNCTION widget_count();\nDROP TABLE widgets;\nDROP TABLE applied_log;`,
  );
  rev(
    R2,
    R1,
    "gadgets",
    `CREATE TABLE gadgets (id int PRIMARY KEY, widget_id int REFERENCES widgets);\nINSERT INTO applied_log VALUES ('r2');\nSELECT pg_sleep(0.02);`,
    `DROP TABLE gadgets;\nDELETE FROM applied_log WHERE rev = 'r2';`,
  );
  rev(R3, R2, "index", `CREATE INDEX gadgets_widget ON gadgets (widget_id);\nINSERT INTO applied_log VALUES ('r3');`, `DROP INDEX gadgets_widget;\nDELETE FROM applied_log WHERE rev = 'r3';`);
}

let available = false;
let cwd = "";
let databases: TempDatabase[] = [];
let tenantDb: TempDatabase;

beforeAll(async () => {
  available = await postgresAvailable();
  if (!available) return;
  cwd = tempDir("fleet-");
  writeRevisions(join(cwd, "revs"));
  const created = await Promise.all(Array.from({ length: DATABASES + 1 }, () => createTempDatabase("retort_fleet")));
  tenantDb = created[0]!;
  databases = created.slice(1);
});

afterAll(async () => {
  await Promise.all([...databases, ...(tenantDb ? [tenantDb] : [])].map((db) => db.drop()));
});

function retort(args: string[], env: Record<string, string> = {}) {
  return runCli(["--dir", "revs", ...args], { cwd, env });
}

async function withSql<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** version_num rows and applied_log rows of a database or a tenant schema. */
async function stateOf(url: string, schema = "public"): Promise<{ heads: string[]; log: string[] }> {
  return withSql(url, async (sql) => {
    const exists = async (table: string) => (await sql`select to_regclass(${`"${schema}".${table}`}) as t`)[0]?.t !== null;
    const heads = (await exists("alembic_version")) ? (await sql.unsafe(`select version_num from "${schema}".alembic_version`)).map((r) => r.version_num as string) : [];
    const log = (await exists("applied_log")) ? (await sql.unsafe(`select rev from "${schema}".applied_log order by rev`)).map((r) => r.rev as string) : [];
    return { heads, log };
  });
}

/** Exit code check that shows what the run printed when it is not the expected one. */
function expectExit(run: { code: number; stdout: string; stderr: string }, code: number): void {
  if (run.code !== code) throw new Error(`expected exit ${code}, got ${run.code}:\n${run.stdout}\n${run.stderr}`);
}

const schemaNames = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(3, "0")}`);

type FleetDoc = { exitCode: number; summary: Record<string, number>; targets: { target: string; schema: string | null; status: string; steps: unknown[]; error: { message: string } | null }[] };

describe("a fleet of databases", () => {
  test("all reach head but the one whose revision fails and the unreachable one; exit 1, then a rerun resumes", async () => {
    if (!available) return;
    const broken = databases[1]!;
    // gadgets already there: the second revision fails on this database only
    await withSql(broken.url, (sql) => sql`create table gadgets (note text)`);
    const list = ["# the fleet", ...databases.map((db, i) => `${db.url}${i === 0 ? "   # primary" : ""}`), "", UNREACHABLE].join("\n");
    writeFileSync(join(cwd, "fleet.txt"), list);

    const first = await retort(["--targets", "fleet.txt", "--json", "upgrade", "head"]);
    expect(first.code).toBe(1);
    const doc = JSON.parse(first.stdout) as FleetDoc;
    expect(doc.summary).toEqual({ total: DATABASES + 1, ok: DATABASES - 1, failed: 1, unreachable: 1, skipped: 0 });
    const failed = doc.targets.find((t) => t.status === "failed")!;
    expect(failed.target).toBe(broken.url);
    expect(failed.error!.message).toContain(R2);
    expect(failed.error!.message).toContain("gadgets");
    expect(doc.targets.find((t) => t.status === "unreachable")!.target).toBe("postgres://postgres:***@127.0.0.1:1/nowhere");
    expect(first.stdout + first.stderr).not.toContain("hunter2");
    // one line per finished target on stderr (not a terminal), then the run's verdict
    expect(first.stderr.match(/^\[\d+\/\d+\] /gm)?.length).toBe(DATABASES + 1);
    expect(first.stderr).toContain(`FAILED: 2 of ${DATABASES + 1} target(s) did not reach head (1 failed, 1 unreachable)`);

    for (const db of databases) {
      if (db === broken) continue;
      expect(await stateOf(db.url)).toEqual({ heads: [R3], log: ["r1", "r2", "r3"] });
    }
    // the failed database is exactly as before: no version table, no revision's table, its own table untouched
    expect(await stateOf(broken.url)).toEqual({ heads: [], log: [] });
    const tables = await withSql(broken.url, (sql) => sql`select table_name from information_schema.tables where table_schema = 'public'`);
    // (retort_history holds the failed step's row, written after the rollback: README "History table")
    expect(tables.map((t) => t.table_name).sort()).toEqual(["gadgets", "retort_history"]);

    // fixed: the same command finishes the fleet; the others are no-ops; the unreachable one still makes it exit 3
    await withSql(broken.url, (sql) => sql`drop table gadgets`);
    const second = await retort(["--targets", "fleet.txt", "--json", "upgrade", "head"]);
    expect(second.code).toBe(3);
    const again = JSON.parse(second.stdout) as FleetDoc;
    expect(again.summary).toMatchObject({ ok: DATABASES, unreachable: 1, failed: 0 });
    expect(again.targets.filter((t) => t.steps.length > 0).map((t) => t.target)).toEqual([broken.url]);
    for (const db of databases) expect(await stateOf(db.url)).toEqual({ heads: [R3], log: ["r1", "r2", "r3"] });

    // current: the matrix, exit 0 even with the unreachable target
    const current = await retort(["--targets", "fleet.txt", "current"]);
    expect(current.code).toBe(0);
    expect(current.stdout).toContain(`${DATABASES + 1} target(s): ${DATABASES} at head, 0 behind, 0 ahead or on an unknown revision (not in these revision files), 1 unreachable`);
    expect(current.stdout).not.toContain("hunter2");
  });

  test("--fail-fast and --canary stop the run at the first failure", async () => {
    if (!available) return;
    const urls = databases.slice(0, 3).flatMap((db) => ["--url", db.url]);
    // the unreachable target first as a canary: nothing else starts
    const canary = await retort(["--url", UNREACHABLE, ...urls, "--canary", "1", "--json", "current"]);
    expect(canary.code).toBe(0);
    const stamp = await retort(["--url", UNREACHABLE, ...urls, "--canary", "1", "--json", "stamp", R1]);
    expect(stamp.code).toBe(3);
    const doc = JSON.parse(stamp.stdout) as FleetDoc;
    expect(doc.targets.map((t) => t.status)).toEqual(["unreachable", "skipped", "skipped", "skipped"]);
    for (const db of databases.slice(0, 3)) expect((await stateOf(db.url)).heads).toEqual([R3]);
    const fast = await retort(["--url", UNREACHABLE, ...urls, "--jobs", "1", "--fail-fast", "--json", "stamp", R1]);
    expect((JSON.parse(fast.stdout) as FleetDoc).summary).toMatchObject({ unreachable: 1, skipped: 3 });
    // a URL whose --tenant-query cannot run counts as a failure for --fail-fast too
    const query = await retort(["--url", UNREACHABLE, "--url", databases[0]!.url, "--tenant-query", "select 'public'", "--fail-fast", "--json", "stamp", R1]);
    expect(query.code).toBe(3);
    expect((JSON.parse(query.stdout) as FleetDoc).targets.map((t) => [t.target, t.status])).toEqual([
      ["postgres://postgres:***@127.0.0.1:1/nowhere", "unreachable"],
      [`${databases[0]!.url}#public`, "skipped"],
    ]);
    expect((await stateOf(databases[0]!.url)).heads).toEqual([R3]);
  });
});

describe("diff over a fleet", () => {
  // one database only: each diff replays the history in a scratch PGlite (seconds); a clean database passing is diff's own test
  test("a database with drift fails, exit 1 even beside an unreachable one", async () => {
    if (!available) return;
    const drifted = databases[3]!;
    await withSql(drifted.url, (sql) => sql`create table by_hand (id int)`);
    const run = await retort(["--url", drifted.url, "--url", UNREACHABLE, "--json", "diff"]);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as FleetDoc;
    expect(doc.targets.map((t) => [t.target, t.status])).toEqual([
      [drifted.url, "failed"],
      ["postgres://postgres:***@127.0.0.1:1/nowhere", "unreachable"],
    ]);
    expect(doc.targets[0]!.error!.message).toContain("Detected added table 'public.by_hand'");
    expect(run.stderr).toContain("differ from their revision history or could not be compared");
    await withSql(drifted.url, (sql) => sql`drop table by_hand`);
  });
});

describe("a database with tenant schemas", () => {
  test("a missing schema fails that tenant (nothing created) unless --create-schemas", async () => {
    if (!available) return;
    const run = await retort(["--url", tenantDb.url, "--tenant-schemas", "nope1,nope2", "upgrade", "head"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${tenantDb.url}#nope1: schema "nope1" does not exist on ${tenantDb.url}: create it, or run again with --create-schemas`);
    const found = await withSql(tenantDb.url, (sql) => sql`select nspname from pg_namespace where nspname like 'nope%'`);
    expect(found.length).toBe(0);
  });

  test("--jobs 1 and --jobs 8 give the same end state; every table, function and version table lands in its tenant's schema and nowhere else", async () => {
    if (!available) return;
    const names = schemaNames("s", TENANTS);
    const half = names.length / 2;
    const one = await retort(["--url", tenantDb.url, "--tenant-schemas", names.slice(0, half).join(","), "--create-schemas", "--jobs", "1", "upgrade", "head"]);
    const eight = await retort(["--url", tenantDb.url, "--tenant-schemas", names.slice(half).join(","), "--create-schemas", "--jobs", "8", "upgrade", "head"]);
    expectExit(one, 0);
    expectExit(eight, 0);
    const objects = await withSql(tenantDb.url, (sql) =>
      sql`select n.nspname as schema, c.relname || ':' || c.relkind::text as object from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
          union all
          select n.nspname, p.proname || '()' from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname not in ('pg_catalog', 'information_schema')`,
    );
    const bySchema = new Map<string, string[]>();
    for (const row of objects) bySchema.set(row.schema, [...(bySchema.get(row.schema) ?? []), row.object].sort());
    expect([...bySchema.keys()].sort()).toEqual(names);
    const expected = bySchema.get(names[0]!)!;
    expect(expected).toContain("gadgets:r");
    expect(expected).toContain("alembic_version:r");
    expect(expected).toContain("widget_count()");
    for (const name of names) expect(bySchema.get(name)).toEqual(expected);
    for (const name of [names[0]!, names[half]!, names.at(-1)!]) expect(await stateOf(tenantDb.url, name)).toEqual({ heads: [R3], log: ["r1", "r2", "r3"] });

    // --tenant-query finds them; current shows all at head
    const current = await retort(["--url", tenantDb.url, "--tenant-query", "select nspname from pg_namespace where nspname like 's%' order by 1", "--json", "current"]);
    expect(current.code).toBe(0);
    const rows = (JSON.parse(current.stdout) as { targets: { target: string; state: string }[] }).targets;
    expect(rows.map((r) => r.target)).toEqual(names.map((n) => `${tenantDb.url}#${n}`));
    expect(new Set(rows.map((r) => r.state))).toEqual(new Set(["head"]));
  });

  test("never more connections to the server than --jobs", async () => {
    if (!available) return;
    const names = schemaNames("j", 12);
    const child = Bun.spawn([process.execPath, MAIN, "--dir", "revs", "--url", tenantDb.url, "--tenant-schemas", names.join(","), "--create-schemas", "--jobs", "3", "upgrade", "head"], {
      cwd,
      env: { PATH: process.env.PATH ?? "" },
      stdout: "pipe",
      stderr: "pipe",
    });
    let peak = 0;
    let done = false;
    const exited = child.exited.then((code) => ((done = true), code));
    await withSql(tenantDb.url, async (sql) => {
      while (!done) {
        const [row] = await sql`select count(*)::int as n from pg_stat_activity where datname = ${tenantDb.name} and application_name = 'retort'`;
        peak = Math.max(peak, row!.n as number);
        await Bun.sleep(3);
      }
    });
    expect(await exited).toBe(0);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(3);
  });

  test("a SIGKILL of the whole run, then a rerun finishes every tenant", async () => {
    if (!available) return;
    const names = schemaNames("k", TENANTS);
    const args = [process.execPath, MAIN, "--dir", "revs", "--url", tenantDb.url, "--tenant-schemas", names.join(","), "--create-schemas", "--jobs", "2", "upgrade", "head"];
    const child = Bun.spawn(args, { cwd, env: { PATH: process.env.PATH ?? "" }, stdout: "ignore", stderr: "pipe" });
    // kill once a few tenants are done and others are mid-way
    const reader = child.stderr.getReader();
    let seen = "";
    while ((seen.match(/^\[\d+\//gm)?.length ?? 0) < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    child.kill("SIGKILL");
    expect(await child.exited).not.toBe(0);

    const rerun = await retort(["--url", tenantDb.url, "--tenant-schemas", names.join(","), "--create-schemas", "--json", "upgrade", "head"]);
    expectExit(rerun, 0);
    const doc = JSON.parse(rerun.stdout) as FleetDoc;
    // resumed: the tenants finished before the kill are no-ops, the rest ran now
    expect(doc.targets.filter((t) => t.steps.length === 0).length).toBeGreaterThanOrEqual(3);
    expect(doc.targets.filter((t) => t.steps.length > 0).length).toBeGreaterThan(0);
    for (const name of names) expect(await stateOf(tenantDb.url, name)).toEqual({ heads: [R3], log: ["r1", "r2", "r3"] });
  });

  test("two fleet runs at once apply each revision once per tenant", async () => {
    if (!available) return;
    const names = schemaNames("c", TENANTS);
    const args = ["--url", tenantDb.url, "--tenant-schemas", names.join(","), "--create-schemas", "--json", "upgrade", "head"];
    // the second run walks the tenants in the other order, so the two meet in the middle
    const [a, b] = await Promise.all([retort(args), retort(["--url", tenantDb.url, "--tenant-schemas", [...names].reverse().join(","), ...args.slice(4)])]);
    expectExit(a, 0);
    expectExit(b, 0);
    const steps = new Map<string, number>();
    for (const doc of [JSON.parse(a.stdout), JSON.parse(b.stdout)] as FleetDoc[]) {
      for (const t of doc.targets) steps.set(t.schema!, (steps.get(t.schema!) ?? 0) + t.steps.length);
    }
    expect([...new Set(steps.values())]).toEqual([3]);
    for (const name of names) expect(await stateOf(tenantDb.url, name)).toEqual({ heads: [R3], log: ["r1", "r2", "r3"] });
  });
});
