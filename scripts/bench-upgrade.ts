/**
 * Benchmark: apply N trivial revisions (one CREATE TABLE each) to an empty
 * database with retort's runtime, against the floor `psql -1 -f` running the
 * same SQL concatenated, Alembic on the same workload, and retort on PGlite.
 * Each run is repeated (interleaved, the machine may be shared) and the
 * median is reported. Prints a markdown table. "retort, no history rows" is
 * the same run without the history table (README "History table": history
 * must stay within 1.1× of it).
 * Usage: bun scripts/bench-upgrade.ts [N=1000] [repetitions=3] [admin-url]
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { upgrade } from "../src/commands/upgrade.ts";
import { RevisionGraph } from "../src/core/graph.ts";
import { planUpgrade } from "../src/core/plan.ts";
import { migrate } from "../src/runtime/migrate.ts";
import type { LoadedRevision } from "../src/revisions/types.ts";

const count = Number(process.argv[2] ?? 1000);
const repetitions = Number(process.argv[3] ?? 3);
const adminUrl = process.argv[4] ?? process.env.RETORT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const id = (i: number) => `bench${String(i).padStart(7, "0")}`;
const statement = (i: number) => `CREATE TABLE bench_${i} (id int)`;

const revisions: LoadedRevision[] = Array.from({ length: count }, (_, i) => ({
  id: id(i),
  downRevisions: i === 0 ? [] : [id(i - 1)],
  branchLabels: [],
  dependsOn: [],
  message: `create bench_${i}`,
  createDate: null,
  path: `bench/${id(i)}_create.sql`,
  doc: "",
  format: "sql",
  transaction: true,
  upgrade: { kind: "sql", sql: `${statement(i)};`, line: 9 },
  downgrade: { kind: "sql", sql: `DROP TABLE bench_${i};`, line: 12 },
}));

async function withDatabase<T>(fn: (url: string, name: string) => Promise<T>): Promise<T> {
  const name = `retort_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString(), name);
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function run(cmd: string[], env: Record<string, string> = {}): Promise<void> {
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env } });
  const code = await proc.exited;
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}: ${await new Response(proc.stderr).text()}`);
}

const scratch = mkdtempSync(join(tmpdir(), "retort-bench-"));
const graph = RevisionGraph.build(revisions);
const revisionMap = new Map(revisions.map((r) => [r.id, r]));
const quiet = () => {};
const samples = new Map<string, { note: string; ms: number[] }>();
const record = (name: string, note: string, ms: number) => {
  const entry = samples.get(name) ?? { note, ms: [] };
  entry.ms.push(ms);
  samples.set(name, entry);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

try {
  const sqlFile = join(scratch, "all.sql");
  writeFileSync(sqlFile, revisions.map((_, i) => `${statement(i)};\n`).join(""));
  const alembic = await hasAlembic();
  const alembicDir = join(scratch, "alembic");
  if (alembic) writeAlembicProject(alembicDir);
  for (let rep = 0; rep < repetitions; rep++) {
    // the floor: psql running the same statements in one transaction
    record("psql -1 -f (floor)", "statements only, no version table", await withDatabase((url) => timed(() => run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", sqlFile, url]))));
    record(
      "retort (PostgreSQL)",
      "in-process: connect + lock + plan + run + version rows, one transaction",
      await withDatabase((url) => timed(() => upgrade({ url, graph, revisions: revisionMap, target: "head", log: quiet }))),
    );
    record(
      "retort, no history rows",
      "the same run without the history table and its rows",
      await withDatabase((url) =>
        timed(() => migrate({ url, revisions: revisionMap, graph, plan: (heads) => planUpgrade(graph, heads, "head"), log: quiet, recordHistory: false })),
      ),
    );
    record(
      "retort --transaction-per-migration",
      "one transaction (and commit) per revision",
      await withDatabase((url) => timed(() => upgrade({ url, graph, revisions: revisionMap, target: "head", log: quiet, transactionPerMigration: true }))),
    );
    if (alembic) {
      record(
        "Alembic 1.8 (psycopg2)",
        "includes Python start-up",
        await withDatabase((_, name) =>
          timed(() => run(["/usr/bin/python3", "-m", "alembic", "-c", join(alembicDir, "alembic.ini"), "upgrade", "head"], { BENCH_URL: `postgresql://postgres@127.0.0.1/${name}` })),
        ),
      );
    }
    let started = 0;
    let migrated = 0;
    const pgliteMs = await timed(async () => {
      const { openEngine } = await import("../src/drivers/open.ts");
      const t0 = performance.now();
      const engine = await openEngine("pglite:memory");
      started = performance.now() - t0;
      try {
        const t1 = performance.now();
        await upgrade({ url: "pglite:memory", engine, graph, revisions: revisionMap, target: "head", log: quiet });
        migrated = performance.now() - t1;
      } finally {
        await engine.close();
      }
    });
    record("retort (pglite:memory)", "including PGlite start-up", pgliteMs);
    record("retort (pglite:memory), migrations only", `PGlite start-up excluded (${started.toFixed(0)} ms)`, migrated);
  }

  const floor = median(samples.get("psql -1 -f (floor)")?.ms ?? [1]);
  console.log(`\n${count} revisions, one CREATE TABLE each, on an empty database; median of ${repetitions} runs\n`);
  console.log("| run | total ms | per revision ms | overhead vs psql per revision ms | × psql | notes |");
  console.log("|---|---:|---:|---:|---:|---|");
  for (const [name, { note, ms }] of samples) {
    const m = median(ms);
    console.log(`| ${name} | ${m.toFixed(0)} | ${(m / count).toFixed(3)} | ${((m - floor) / count).toFixed(3)} | ${(m / floor).toFixed(2)} | ${note} |`);
  }
  if (!alembic) console.log("\n(Alembic not installed: /usr/bin/python3 -m alembic with python3-psycopg2 is needed for its row)");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

async function hasAlembic(): Promise<boolean> {
  try {
    await run(["/usr/bin/python3", "-c", "import alembic, psycopg2"]);
    return true;
  } catch {
    return false;
  }
}

function writeAlembicProject(dir: string): void {
  mkdirSync(join(dir, "versions"), { recursive: true });
  writeFileSync(
    join(dir, "alembic.ini"),
    `[alembic]\nscript_location = ${dir}\n\n[loggers]\nkeys = root\n[handlers]\nkeys = console\n[formatters]\nkeys = generic\n` +
      `[logger_root]\nlevel = WARN\nhandlers = console\n[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nformatter = generic\n[formatter_generic]\nformat = %(message)s\n`,
  );
  writeFileSync(
    join(dir, "env.py"),
    `import os\nfrom alembic import context\nfrom sqlalchemy import create_engine\n` +
      `engine = create_engine(os.environ["BENCH_URL"])\nwith engine.connect() as connection:\n` +
      `    context.configure(connection=connection)\n    with context.begin_transaction():\n        context.run_migrations()\n`,
  );
  writeFileSync(join(dir, "script.py.mako"), "");
  revisions.forEach((rev, i) => {
    writeFileSync(
      join(dir, "versions", `${rev.id}_create.py`),
      `from alembic import op\nrevision = ${JSON.stringify(rev.id)}\ndown_revision = ${i === 0 ? "None" : JSON.stringify(id(i - 1))}\n` +
        `branch_labels = None\ndepends_on = None\ndef upgrade():\n    op.execute(${JSON.stringify(statement(i))})\ndef downgrade():\n    pass\n`,
    );
  });
}
