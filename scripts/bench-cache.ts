/**
 * Benchmark of the snapshot cache and databaseAt (README "Snapshot cache"):
 * a generated project of N revisions (a table with an index per revision,
 * a column added to an older table every 10th, 100 rows inserted every
 * 20th). Each figure comes from a fresh process, as a test run would see it:
 *
 * - cold: databaseAt("head") with an empty cache (builds the entry)
 * - warm: the first databaseAt("head") of a process with the entry there
 * - replay: `upgrade head` into a fresh pglite:memory (what a test without the cache does)
 * - per database: 50 databaseAt("head") opened, queried and closed one after another;
 *   with several sizes, the smallest and largest alternate in one process (the 1.2x check)
 * - PostgreSQL (--postgres URL): a template clone per database against
 *   `upgrade head` into an empty database
 * - verify (--verify): `verify` over the whole project, cache warm for head
 *
 *   bun scripts/bench-cache.ts [--revisions 1,200,1000] [--dbs 50] [--postgres URL] [--verify]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

const id = (n: number) => `bc${String(n).padStart(10, "0")}`;

/** The upgrade and downgrade of revision n (1-based). */
function revisionSql(n: number): { up: string; down: string } {
  const up = [
    `CREATE TABLE t${n} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, amount numeric(12,2) DEFAULT 0 NOT NULL, created_at timestamptz DEFAULT now() NOT NULL);`,
    `CREATE INDEX t${n}_name ON t${n} (name);`,
  ];
  const down = [`DROP TABLE t${n};`];
  if (n % 10 === 0 && n > 5) {
    up.push(`ALTER TABLE t${n - 5} ADD COLUMN extra_${n} integer;`);
    down.unshift(`ALTER TABLE t${n - 5} DROP COLUMN extra_${n};`);
  }
  if (n % 20 === 0) up.push(`INSERT INTO t${n} (name, amount) SELECT 'row ' || g, g FROM generate_series(1, 100) g;`);
  return { up: up.join("\n"), down: down.join("\n") };
}

/** Write a project of `count` revisions; returns its revision directory. */
export function generateProject(root: string, count: number): string {
  const dir = join(root, "versions");
  mkdirSync(dir, { recursive: true });
  for (let n = 1; n <= count; n++) {
    const { up, down } = revisionSql(n);
    const header = `-- Revision ID: ${id(n)}\n-- Revises: ${n === 1 ? "" : id(n - 1)}\n-- Create Date: 2026-01-01 00:00:00\n-- Message: table ${n}\n`;
    writeFileSync(join(dir, `${id(n)}_t${n}.sql`), `${header}\n-- migrate:upgrade\n${up}\n\n-- migrate:downgrade\n${down}\n`);
  }
  return dir;
}

type Report = Record<string, number | number[] | string>;

async function child(mode: string, dir: string, cacheDir: string, extra: string | undefined): Promise<Report> {
  const started = performance.now();
  const { databaseAt } = await import("../src/testing/index.ts");
  const opts = { dir, cacheDir, ...(extra && mode.startsWith("pg") ? { url: extra } : {}) };
  if (mode === "open" || mode === "pg-open") {
    const t0 = performance.now();
    const db = await databaseAt("head", opts);
    await db.query("SELECT 1");
    await db.close();
    return { first: performance.now() - t0, sinceStart: performance.now() - started };
  }
  if (mode === "loop" || mode === "pg-loop") {
    const count = Number(extra2 ?? 50);
    const each: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const db = await databaseAt("head", opts);
      await db.query("SELECT count(*) FROM t1");
      await db.close();
      each.push(performance.now() - t0);
    }
    return { each };
  }
  if (mode === "ab") {
    // extra: the other project's revision directory; alternate between the two so machine load hits both alike
    const count = Number(extra2 ?? 50);
    const a: number[] = [];
    const b: number[] = [];
    for (const d of [dir, extra!]) await (await databaseAt("head", { dir: d, cacheDir })).close(); // warm both
    for (let i = 0; i < count; i++) {
      for (const [d, out] of [[dir, a], [extra!, b]] as const) {
        const t0 = performance.now();
        const db = await databaseAt("head", { dir: d, cacheDir });
        await db.query("SELECT count(*) FROM t1");
        await db.close();
        out.push(performance.now() - t0);
      }
    }
    return { a, b };
  }
  if (mode === "replay" || mode === "pg-replay") {
    const { loadRevisionsFromDir } = await import("../src/revisions/source.ts");
    let url = "pglite:memory";
    let drop = async () => {};
    if (mode === "pg-replay") {
      const { openEngine } = await import("../src/drivers/open.ts");
      const name = `retort_bench_${process.pid}`;
      const admin = await openEngine(extra!);
      await admin.execute(`CREATE DATABASE ${name}`);
      await admin.close();
      const u = new URL(extra!);
      u.pathname = `/${name}`;
      url = u.toString();
      drop = async () => {
        const a = await openEngine(extra!);
        await a.execute(`DROP DATABASE ${name} WITH (FORCE)`);
        await a.close();
      };
    }
    const { RevisionGraph } = await import("../src/core/graph.ts");
    const { planUpgrade } = await import("../src/core/plan.ts");
    const { migrate } = await import("../src/runtime/migrate.ts");
    const { openEngine } = await import("../src/drivers/open.ts");
    const t0 = performance.now();
    const engine = await openEngine(url);
    const revisions = await loadRevisionsFromDir(dir);
    const graph = RevisionGraph.build(revisions);
    await migrate({ url, engine, revisions: new Map(revisions.map((r) => [r.id, r])), plan: (c) => planUpgrade(graph, c, "head"), log: () => {} });
    await engine.close();
    const ms = performance.now() - t0;
    await drop();
    return { first: ms };
  }
  if (mode === "verify") {
    const { verifyRevisions } = await import("../src/commands/verify.ts");
    const { CacheStore } = await import("../src/cache/store.ts");
    const { loadRevisionsFromDir } = await import("../src/revisions/source.ts");
    const t0 = performance.now();
    const result = await verifyRevisions({ revisions: await loadRevisionsFromDir(dir), cache: new CacheStore(cacheDir, 1 << 31) });
    return { first: performance.now() - t0, ok: String(result.ok), revisions: result.revisions.length };
  }
  throw new Error(`unknown mode ${mode}`);
}
const extra2 = option("dbs");

async function run(mode: string, dir: string, cacheDir: string, extra?: string): Promise<Report> {
  const proc = Bun.spawn([process.execPath, import.meta.path, "--child", mode, dir, cacheDir, extra ?? "", ...(extra2 ? ["--dbs", extra2] : [])], { stdout: "pipe", stderr: "inherit" });
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error(`${mode} failed`);
  return JSON.parse(out) as Report;
}

/** Drop the benchmark project's template databases (its directory is about to go). */
async function dropTemplates(url: string, dir: string): Promise<void> {
  const { openEngine } = await import("../src/drivers/open.ts");
  const { projectTag } = await import("../src/testing/templates.ts");
  const admin = await openEngine(url);
  try {
    const rows = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`retort\\_tpl\\_${projectTag(dir)}\\_%`]);
    for (const { datname } of rows) await admin.execute(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ms = (x: number) => `${Math.round(x)} ms`;

async function parent(): Promise<void> {
  const counts = (option("revisions") ?? "1,200,1000").split(",").map(Number);
  const pg = option("postgres");
  for (const count of counts) {
    const root = mkdtempSync(join(tmpdir(), "retort-bench-cache-"));
    try {
      const dir = generateProject(root, count);
      const cacheDir = join(root, "cache");
      const cold = await run("open", dir, cacheDir);
      const warm = await run("open", dir, cacheDir);
      const loop = await run("loop", dir, cacheDir);
      const replay = await run("replay", dir, cacheDir);
      const each = loop.each as number[];
      console.log(
        `${count} revision(s): databaseAt("head") cold ${ms(cold.first as number)}, warm ${ms(warm.first as number)}, replay into a fresh PGlite ${ms(replay.first as number)}; ` +
          `${each.length} databases one after another: first ${ms(each[0]!)}, then median ${ms(median(each.slice(1)))} (min ${ms(Math.min(...each.slice(1)))}, max ${ms(Math.max(...each.slice(1)))})`,
      );
      if (pg) {
        const pgCold = await run("pg-open", dir, cacheDir, pg);
        const pgLoop = await run("pg-loop", dir, cacheDir, pg);
        const pgReplay = await run("pg-replay", dir, cacheDir, pg);
        const pgEach = pgLoop.each as number[];
        console.log(
          `  PostgreSQL: first databaseAt (template build) ${ms(pgCold.first as number)}; per database (clone, query, drop) median ${ms(median(pgEach))}; upgrade head into an empty database ${ms(pgReplay.first as number)}`,
        );
      }
      if (args.includes("--verify")) {
        const v = await run("verify", dir, cacheDir);
        console.log(`  verify over ${v.revisions} revision(s): ${ms(v.first as number)} (ok: ${v.ok})`);
      }
    } finally {
      if (pg) await dropTemplates(pg, join(root, "versions"));
      rmSync(root, { recursive: true, force: true });
    }
  }
  const [low, high] = [Math.min(...counts), Math.max(...counts)];
  if (low !== high) {
    // the same process opens both projects' databases in turn, so load on a shared machine hits both alike
    const root = mkdtempSync(join(tmpdir(), "retort-bench-cache-"));
    try {
      const small = generateProject(join(root, "small"), low);
      const large = generateProject(join(root, "large"), high);
      const ab = await run("ab", small, join(root, "cache"), large);
      const [a, b] = [median(ab.a as number[]), median(ab.b as number[])];
      console.log(`warm per-database cost, alternating in one process: ${low} revision(s) median ${ms(a)}, ${high} revision(s) median ${ms(b)}: ${(b / a).toFixed(2)}x (target within 1.2x)`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

if (!import.meta.main) {
  // imported for generateProject
} else if (args[0] === "--child") {
  const [, mode, dir, cacheDir, extra] = args as [string, string, string, string, string];
  process.stdout.write(JSON.stringify(await child(mode, dir, cacheDir, extra === "" ? undefined : extra)));
} else {
  await parent();
}
