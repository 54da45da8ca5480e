/**
 * Benchmark of fleet runs on the PostgreSQL server at RETORT_BENCH_PG_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres):
 *
 *  1. one database with N tenant schemas (default 1,000) × the project's
 *     three revisions (migrations/versions);
 *  2. M databases (default 50) × 20 generated revisions.
 *
 * Each is timed as one retort process at --jobs 1, 2, 4, 8, against a loop of
 * one `retort upgrade head` process per target (what a shell loop does), and
 * (tenants) against Alembic's multi-tenancy recipe: one
 * `/usr/bin/python3 -m alembic -x tenant=S upgrade head` process per schema,
 * with the env.py this script writes. The per-process loops are timed on the
 * first --sample targets (default 100) and scaled to the whole fleet (each
 * process does the same work). Peak memory is the largest max RSS of a process.
 * Every measurement gets a fresh database.
 *
 *   bun scripts/bench-fleet.ts [--tenants 1000] [--databases 50] [--revisions 20] [--sample 100] [--jobs 1,2,4,8] [--loops no]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { loadRevisionsFromDir } from "../src/revisions/source.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const TENANTS = Number(option("tenants", "1000"));
const DATABASES = Number(option("databases", "50"));
const REVISIONS = Number(option("revisions", "20"));
const SAMPLE = Number(option("sample", "100"));
const JOBS = option("jobs", "1,2,4,8").split(",").map(Number);
/** --loops no: only the retort --jobs runs (to probe higher --jobs without the slow per-process loops) */
const LOOPS = option("loops", "yes") !== "no";
const ADMIN = process.env.RETORT_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROOT = resolve(import.meta.dir, "..");
const MAIN = join(ROOT, "src/cli/main.ts");
const work = mkdtempSync(join(tmpdir(), "bench-fleet-"));

const admin = postgres(ADMIN, { max: 1, onnotice: () => {} });
const created: string[] = [];

function dbUrl(name: string): string {
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return url.toString();
}

async function createDatabase(): Promise<string> {
  const name = `bench_fleet_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  created.push(name);
  return name;
}

async function dropAll(): Promise<void> {
  for (const name of created.splice(0)) await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Run a process; its wall time, max RSS and exit code. */
async function run(cmd: string[], cwd: string, env: Record<string, string> = {}): Promise<{ ms: number; rssMb: number }> {
  const started = performance.now();
  const child = Bun.spawn(cmd, { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, stdout: "ignore", stderr: "pipe" });
  const stderr = await new Response(child.stderr).text();
  const code = await child.exited;
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${cmd.slice(0, 6).join(" ")} ... exited ${code}: ${stderr.slice(-2000)}`);
  return { ms, rssMb: (child.resourceUsage()?.maxRSS ?? 0) / 1024 / 1024 };
}

/** A loop of one process per target, timed on the first `sample` targets and scaled to all of them. */
async function loop(targets: readonly string[][], cwd: string, env: Record<string, string> = {}) {
  const sample = targets.slice(0, Math.min(SAMPLE, targets.length));
  let ms = 0;
  let rssMb = 0;
  for (const cmd of sample) {
    const r = await run(cmd, cwd, env);
    ms += r.ms;
    rssMb = Math.max(rssMb, r.rssMb);
  }
  return { ms: (ms * targets.length) / sample.length, rssMb, sampled: sample.length };
}

const rows: string[][] = [];
const report = (scenario: string, how: string, ms: number, rssMb: number, note = "") => {
  const row = [scenario, how, `${(ms / 1000).toFixed(1)} s`, `${rssMb.toFixed(0)} MB`, note];
  rows.push(row);
  console.error(row.join(" | "));
};

const schemas = Array.from({ length: TENANTS }, (_, i) => `tenant_${String(i + 1).padStart(4, "0")}`);

/** A fresh database holding the (empty) tenant schemas. */
async function tenantDatabase(): Promise<string> {
  const name = await createDatabase();
  const sql = postgres(dbUrl(name), { max: 1, onnotice: () => {} });
  await sql.unsafe(schemas.map((s) => `CREATE SCHEMA "${s}";`).join("\n"));
  await sql.end();
  return dbUrl(name);
}

/** Alembic's multi-tenancy recipe around the project's SQL revisions (run through the DBAPI cursor, verbatim). */
async function writeAlembicProject(dir: string): Promise<void> {
  const revisions = await loadRevisionsFromDir(join(ROOT, "migrations/versions"));
  mkdirSync(join(dir, "versions"), { recursive: true });
  writeFileSync(join(dir, "alembic.ini"), "[alembic]\nscript_location = .\n");
  writeFileSync(
    join(dir, "env.py"),
    `import os
from alembic import context
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

tenant = context.get_x_argument(as_dictionary=True)["tenant"]
engine = create_engine(os.environ["BENCH_SQLALCHEMY_URL"], poolclass=NullPool)
with engine.connect() as connection:
    # the recipe: search_path to the tenant, so every CREATE lands there
    connection.execute(text('set search_path to "%s"' % tenant))
    connection.dialect.default_schema_name = tenant
    context.configure(connection=connection, target_metadata=None, version_table_schema=tenant)
    with context.begin_transaction():
        context.run_migrations()
`,
  );
  writeFileSync(join(dir, "script.py.mako"), "");
  for (const rev of revisions) {
    const up = rev.upgrade?.kind === "sql" ? rev.upgrade.sql : "";
    writeFileSync(
      join(dir, "versions", `${rev.id}.py`),
      `from alembic import op\nrevision = ${JSON.stringify(rev.id)}\ndown_revision = ${rev.downRevisions[0] ? JSON.stringify(rev.downRevisions[0]) : "None"}\nbranch_labels = None\ndepends_on = None\n\n` +
        `def upgrade():\n    op.get_bind().connection.cursor().execute(${JSON.stringify(up)})\n\ndef downgrade():\n    pass\n`,
    );
  }
}

/** 20 revisions: a table each (referencing the one before), an index, a row. */
function writeRevisions(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= count; i++) {
    const id = `b${String(i).padStart(11, "0")}`;
    const down = i === 1 ? "" : `b${String(i - 1).padStart(11, "0")}`;
    const ref = i === 1 ? "" : `,\n    parent_id bigint REFERENCES t${i - 1} (id)`;
    writeFileSync(
      join(dir, `${id}_t${i}.sql`),
      `-- Revision ID: ${id}\n-- Revises: ${down}\n-- Message: table ${i}\n\n-- migrate:upgrade\nCREATE TABLE t${i} (\n    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n    name text NOT NULL${ref}\n);\nCREATE INDEX t${i}_name ON t${i} (name);\nINSERT INTO t${i} (name) VALUES ('first');\n\n-- migrate:downgrade\nDROP TABLE t${i};\n`,
    );
  }
}

try {
  const [{ max_connections }] = (await admin`show max_connections`) as unknown as [{ max_connections: string }];
  console.error(`server max_connections ${max_connections}; ${navigator.hardwareConcurrency} cores; load ${(await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ")}`);
  const retort = [process.execPath, MAIN];

  // 1. tenants × the project's three revisions
  const scenario1 = `${TENANTS} schemas × 3 revisions`;
  for (const jobs of JOBS) {
    const url = await tenantDatabase();
    const r = await run([...retort, "--url", url, "--tenant-schemas", schemas.join(","), "--jobs", String(jobs), "-q", "upgrade", "head"], ROOT);
    report(scenario1, `retort --tenant-schemas --jobs ${jobs}`, r.ms, r.rssMb);
    await dropAll();
  }
  if (LOOPS) {
    const url = await tenantDatabase();
    const r = await loop(schemas.map((s) => [...retort, "--url", url, "--tenant-schemas", s, "-q", "upgrade", "head"]), ROOT);
    report(scenario1, "loop: one retort process per schema", r.ms, r.rssMb, `timed on ${r.sampled}, scaled`);
    await dropAll();
  }
  if (LOOPS) {
    const dir = join(work, "alembic");
    await writeAlembicProject(dir);
    const url = await tenantDatabase();
    const r = await loop(
      schemas.map((s) => ["/usr/bin/python3", "-m", "alembic", "-x", `tenant=${s}`, "upgrade", "head"]),
      dir,
      { BENCH_SQLALCHEMY_URL: url.replace(/^postgres:/, "postgresql:") },
    );
    report(scenario1, "Alembic recipe: one process per schema", r.ms, r.rssMb, `timed on ${r.sampled}, scaled`);
    await dropAll();
  }

  // 2. databases × generated revisions
  const revs = join(work, "revs");
  writeRevisions(revs, REVISIONS);
  const scenario2 = `${DATABASES} databases × ${REVISIONS} revisions`;
  const databases = async () => {
    const urls: string[] = [];
    for (let i = 0; i < DATABASES; i++) urls.push(dbUrl(await createDatabase()));
    writeFileSync(join(work, "targets.txt"), urls.join("\n"));
    return urls;
  };
  for (const jobs of JOBS) {
    await databases();
    const r = await run([...retort, "--dir", revs, "--targets", join(work, "targets.txt"), "--jobs", String(jobs), "-q", "upgrade", "head"], ROOT);
    report(scenario2, `retort --targets --jobs ${jobs}`, r.ms, r.rssMb);
    await dropAll();
  }
  if (LOOPS) {
    const urls = await databases();
    const r = await loop(urls.map((u) => [...retort, "--dir", revs, "--url", u, "-q", "upgrade", "head"]), ROOT);
    report(scenario2, "loop: one retort process per database", r.ms, r.rssMb, r.sampled < urls.length ? `timed on ${r.sampled}, scaled` : "");
    await dropAll();
  }

  console.log(["| fleet | how | wall time | peak RSS | note |", "|---|---|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n"));
} finally {
  await dropAll().catch(() => {});
  await admin.end();
  rmSync(work, { recursive: true, force: true });
}
