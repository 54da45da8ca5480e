#!/usr/bin/env bun
/**
 * Cold-start benchmark of the built executable (hyperfine, one process per
 * run): `current` on PostgreSQL beside `psql` and Alembic's `current` on the
 * same database, `current` on an existing PGlite database, `upgrade head` on
 * a new PGlite database (directory and memory), and the executable's size.
 * All commands of one table run in one hyperfine invocation, so the ratios
 * compare like with like on a shared machine. Prints a markdown table and
 * checks the targets of the fast-start issue on the medians.
 *
 *   bun scripts/bench-start.ts [path/to/retort] [--runs 20]
 *
 * Needs hyperfine and psql; Alembic (`/usr/bin/python3 -m alembic`) is
 * measured when it is installed. PostgreSQL: RETORT_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const ROOT = resolve(import.meta.dir, "..");
const ADMIN_URL = process.env.RETORT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PYTHON = "/usr/bin/python3";
/** The project's chain (README "The project's own chain"), mirrored as empty Alembic revisions so Alembic can name the head. */
const CHAIN = [
  { id: "ffa7dce781be", down: null },
  { id: "dadf308f3867", down: "ffa7dce781be" },
  { id: "0ee619f3516b", down: "dadf308f3867" },
] as const;

/** Targets from the fast-start issue. */
const TARGETS = { freshUpgradeMs: 500, pgliteCurrentMs: 350, postgresVsPsql: 1.5 };

interface Measured {
  readonly name: string;
  readonly meanMs: number;
  readonly stddevMs: number;
  readonly minMs: number;
  readonly medianMs: number;
}

/** Run a command, throwing with its output unless it exits 0. */
function sh(cmd: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = Bun.spawnSync(cmd, { cwd, env: { ...cleanEnv(), ...env }, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${result.exitCode}\n${result.stdout}${result.stderr}`);
  return result.stdout.toString();
}

/** PATH and HOME only: a developer's DATABASE_URL must not steer the benchmark. */
function cleanEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" };
}

/** hyperfine over named commands in cwd; `prepare` runs before each timing of the command that has one. */
function hyperfine(cwd: string, runs: number, commands: { name: string; cmd: string; prepare?: string }[]): Measured[] {
  const out = join(cwd, `hyperfine-${crypto.randomUUID()}.json`);
  const args = ["hyperfine", "--warmup", "2", "--runs", String(runs), "--export-json", out, "--style", "none"];
  // --prepare applies per command only when every command has one
  const anyPrepare = commands.some((c) => c.prepare);
  for (const c of commands) {
    if (anyPrepare) args.push("--prepare", c.prepare ?? "true");
    args.push("--command-name", c.name, c.cmd);
  }
  sh(args, cwd);
  const json = JSON.parse(readFileSync(out, "utf8")) as {
    results: { command: string; mean: number; stddev: number; min: number; median: number }[];
  };
  rmSync(out);
  return json.results.map((r) => ({ name: r.command, meanMs: r.mean * 1000, stddevMs: r.stddev * 1000, minMs: r.min * 1000, medianMs: r.median * 1000 }));
}

/** An Alembic project whose script directory mirrors the chain and whose URL is the benchmark database. */
function alembicProject(dir: string, url: string): void {
  mkdirSync(join(dir, "versions"), { recursive: true });
  writeFileSync(
    join(dir, "alembic.ini"),
    `[alembic]\nscript_location = ${dir}\nsqlalchemy.url = ${url.replace(/^postgres:/, "postgresql+psycopg2:")}\n`,
  );
  writeFileSync(
    join(dir, "env.py"),
    [
      "from alembic import context",
      "from sqlalchemy import engine_from_config, pool",
      "config = context.config",
      "connectable = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.', poolclass=pool.NullPool)",
      "with connectable.connect() as connection:",
      "    context.configure(connection=connection)",
      "    with context.begin_transaction():",
      "        context.run_migrations()",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "script.py.mako"), "");
  for (const { id, down } of CHAIN) {
    writeFileSync(
      join(dir, "versions", `${id}.py`),
      `revision = "${id}"\ndown_revision = ${down === null ? "None" : `"${down}"`}\nbranch_labels = None\ndepends_on = None\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n`,
    );
  }
}

function alembicAvailable(): boolean {
  return Bun.spawnSync([PYTHON, "-m", "alembic", "--version"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
}

/** Move the last run's database aside instead of deleting it: deleting 40MB right before a timed run slows that run. */
const MOVE_FRESH_ASIDE = "if [ -d fresh ]; then mv fresh \"$(mktemp -d -p . trash.XXXXXX)/\"; fi";

const fmt = (m: Measured) => `${m.meanMs.toFixed(1)} ± ${m.stddevMs.toFixed(1)}`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ args: Bun.argv.slice(2), allowPositionals: true, options: { runs: { type: "string", default: "20" } } });
  const exe = resolve(positionals[0] ?? join(ROOT, "dist/retort"));
  const runs = Number(values.runs);
  const size = statSync(exe).size;
  const work = mkdtempSync(join(tmpdir(), "retort-bench-"));
  const dbName = `retort_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const url = `${ADMIN_URL.slice(0, ADMIN_URL.lastIndexOf("/"))}/${dbName}`;
  sh(["psql", ADMIN_URL, "-qAtc", `CREATE DATABASE ${dbName}`], work);
  try {
    // the executable runs from a directory without migrations/: it uses its embedded revisions
    sh([exe, "upgrade", "head", "--url", url], work);
    sh([exe, "upgrade", "head", "--url", "pglite:./db"], work);
    const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    const withAlembic = alembicAvailable();
    if (withAlembic) {
      alembicProject(join(work, "alembic"), url);
      const line = sh([PYTHON, "-m", "alembic", "current"], join(work, "alembic"));
      if (!line.includes("0ee619f3516b")) throw new Error(`alembic current printed ${line}`);
    }
    const pg = hyperfine(work, runs, [
      { name: "psql -Atc 'select version_num from alembic_version'", cmd: `psql ${q(url)} -Atc ${q("select version_num from alembic_version")}` },
      { name: "retort current (PostgreSQL)", cmd: `${q(exe)} current --url ${q(url)}` },
      ...(withAlembic ? [{ name: "alembic current (PostgreSQL)", cmd: `cd alembic && ${PYTHON} -m alembic current` }] : []),
    ]);
    const lite = hyperfine(work, runs, [
      { name: "retort --version", cmd: `${q(exe)} --version`, prepare: "true" },
      { name: "retort current (existing pglite:./db)", cmd: `${q(exe)} current --url pglite:./db`, prepare: "true" },
      { name: "retort upgrade head (new pglite:./fresh)", cmd: `${q(exe)} upgrade head --url pglite:./fresh`, prepare: MOVE_FRESH_ASIDE },
      { name: "retort upgrade head (pglite:memory)", cmd: `${q(exe)} upgrade head --url pglite:memory`, prepare: "true" },
    ]);
    const psql = pg[0]!;
    const rows = [...pg, ...lite].map(
      (m) => `| ${m.name} | ${fmt(m)} | ${m.medianMs.toFixed(1)} | ${m.minMs.toFixed(1)} | ${(m.medianMs / psql.medianMs).toFixed(2)}× |`,
    );
    console.log(`\nretort executable: ${(size / 1024 / 1024).toFixed(1)} MiB (${size} bytes), ${runs} runs each, ${new Date().toISOString()}\n`);
    console.log("| command | mean ± σ (ms) | median (ms) | min (ms) | median vs psql |");
    console.log("|---|---:|---:|---:|---:|");
    for (const row of rows) console.log(row);
    const current = pg[1]!;
    const byName = new Map(lite.map((m) => [m.name, m]));
    // medians: on a shared machine a few runs that other jobs slowed down should not decide
    const checks = [
      [`PostgreSQL current ≤ ${TARGETS.postgresVsPsql}× psql`, current.medianMs / psql.medianMs <= TARGETS.postgresVsPsql],
      [`pglite current < ${TARGETS.pgliteCurrentMs} ms`, byName.get("retort current (existing pglite:./db)")!.medianMs < TARGETS.pgliteCurrentMs],
      [`fresh pglite upgrade head < ${TARGETS.freshUpgradeMs} ms`, byName.get("retort upgrade head (new pglite:./fresh)")!.medianMs < TARGETS.freshUpgradeMs],
    ] as const;
    console.log("");
    for (const [name, ok] of checks) console.log(`${ok ? "met" : "MISSED"}: ${name}`);
  } finally {
    Bun.spawnSync(["psql", ADMIN_URL, "-qAtc", `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
