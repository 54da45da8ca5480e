/**
 * Benchmark (issue 2): `heads` and `history` on large revision graphs, wall
 * time from process start, retort from source with Bun against Alembic on
 * the same graphs (same ids, same edges).
 *
 * Shapes: linear chains of 1k/5k/10k SQL revisions, and a 2,000-revision
 * graph with 200 branches that each fork off the trunk, grow a few
 * revisions while the trunk moves on, and are merged back. Ids are random
 * 12-hex strings (as Alembic makes them), so file-name order is not chain
 * order, as in a real project.
 *
 * Timing uses hyperfine (--warmup, --runs, --export-json, no shell) when it
 * is installed, else repeated Bun.spawnSync; stdout goes to /dev/null. Before
 * timing, each retort output is checked: complete through a pipe, and equal
 * to Alembic's. Prints a markdown table, the growth per 1k revisions, the
 * verdict against the target, and (with --stages) where retort's time goes.
 *
 * Usage: bun scripts/bench-graph.ts [--sizes 1000,5000,10000] [--graph 2000:200]
 *   [--runs 10] [--warmup 2] [--no-alembic] [--stages] [--keep] [--out DIR]
 *   [--retort PATH]   (another checkout's src/cli/main.ts, e.g. a candidate fix)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const TARGET_MS = 150;
const ROOT = resolve(import.meta.dir, "..");
const BUN = process.execPath;
let retortMain = join(ROOT, "src/cli/main.ts");
const PYTHON = "/usr/bin/python3";

/** One revision of a generated graph. */
interface Rev {
  readonly id: string;
  readonly down: readonly string[];
  readonly n: number;
}

/** A generated project: the same graph as retort SQL files and as an Alembic project. */
interface Shape {
  readonly name: string;
  readonly revisions: readonly Rev[];
  readonly retortDir: string;
  readonly alembicIni: string;
}

/** One timed command. */
interface Timing {
  readonly shape: string;
  readonly size: number;
  readonly command: "heads" | "history";
  readonly tool: "retort" | "alembic";
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

// ---------------------------------------------------------------- options

function parseOptions(argv: readonly string[]) {
  const opts = {
    sizes: [1000, 5000, 10000],
    graph: { size: 2000, branches: 200 },
    runs: 10,
    warmup: 2,
    alembic: true,
    stages: false,
    keep: false,
    out: undefined as string | undefined,
    stageChild: undefined as string | undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--sizes") opts.sizes = value().split(",").map(Number);
    else if (arg === "--graph") {
      const [size, branches] = value().split(":").map(Number);
      opts.graph = { size: size ?? 2000, branches: branches ?? 200 };
    } else if (arg === "--runs") opts.runs = Number(value());
    else if (arg === "--warmup") opts.warmup = Number(value());
    else if (arg === "--no-alembic") opts.alembic = false;
    else if (arg === "--stages") opts.stages = true;
    else if (arg === "--keep") opts.keep = true;
    else if (arg === "--out") opts.out = value();
    else if (arg === "--retort") retortMain = resolve(value());
    else if (arg === "--stage-child") opts.stageChild = value();
    else throw new Error(`unknown option ${arg}`);
  }
  return opts;
}

// ---------------------------------------------------------------- graphs

/** Deterministic 12-hex ids (mulberry32), so every run benchmarks the same files. */
function idMaker(seed: number): () => string {
  let state = seed >>> 0;
  const next32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const seen = new Set<string>();
  return () => {
    for (;;) {
      const id = (next32().toString(16).padStart(8, "0") + next32().toString(16).padStart(8, "0")).slice(0, 12);
      // an all-digit id would read as a relative step in some identifiers; Alembic's uuid ids can be, but avoid noise
      if (!seen.has(id) && /[a-f]/.test(id)) {
        seen.add(id);
        return id;
      }
    }
  };
}

/** A single chain: base, then each revision on the previous one. */
function linearChain(size: number): Rev[] {
  const nextId = idMaker(size);
  const revs: Rev[] = [];
  for (let n = 0; n < size; n++) revs.push({ id: nextId(), down: n === 0 ? [] : [revs[n - 1]!.id], n });
  return revs;
}

/**
 * A trunk with `branches` feature branches: each forks off the trunk tip,
 * gets 2..6 revisions while the trunk gets a few of its own, then one merge
 * revision joins trunk tip and branch tip. Sizes are spread so the total is
 * exactly `size` (one base included).
 */
function branchyGraph(size: number, branches: number): Rev[] {
  const nextId = idMaker(size * 31 + branches);
  const revs: Rev[] = [];
  const add = (down: string[]) => {
    const rev = { id: nextId(), down, n: revs.length };
    revs.push(rev);
    return rev.id;
  };
  let trunk = add([]);
  const perCycle = (size - 1) / branches;
  if (perCycle < 3) throw new Error(`--graph ${size}:${branches}: need at least 3 revisions per branch cycle`);
  let made = 1;
  for (let b = 0; b < branches; b++) {
    // revisions this cycle: branch + trunk + 1 merge, spread evenly over the cycles
    const cycle = Math.round(1 + perCycle * (b + 1)) - made;
    made += cycle;
    const branchLength = Math.min(2 + (b % 5), cycle - 2);
    const trunkLength = cycle - 1 - branchLength;
    let branch = trunk;
    let main = trunk;
    // interleave as developers would commit them (file order is random anyway)
    for (let k = 0; k < Math.max(branchLength, trunkLength); k++) {
      if (k < branchLength) branch = add([branch]);
      if (k < trunkLength) main = add([main]);
    }
    trunk = add([main, branch]);
  }
  if (revs.length !== size) throw new Error(`generated ${revs.length} revisions, wanted ${size}`);
  return revs;
}

const CREATE_DATE = "2026-01-05 10:00:00";

function sqlFile(rev: Rev): string {
  return [
    `-- Revision ID: ${rev.id}`,
    `-- Revises: ${rev.down.join(", ")}`,
    `-- Create Date: ${CREATE_DATE}`,
    `-- Message: ${rev.down.length > 1 ? "merge" : `add table t_${rev.n}`}`,
    "",
    "-- migrate:upgrade",
    rev.down.length > 1 ? "" : `CREATE TABLE t_${rev.n} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    name text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX t_${rev.n}_name_idx ON t_${rev.n} (name);`,
    "",
    "-- migrate:downgrade",
    rev.down.length > 1 ? "" : `DROP TABLE t_${rev.n};`,
    "",
  ].join("\n");
}

function pyFile(rev: Rev): string {
  const down = rev.down.length === 0 ? "None" : rev.down.length === 1 ? `'${rev.down[0]}'` : `(${rev.down.map((d) => `'${d}'`).join(", ")})`;
  const message = rev.down.length > 1 ? "merge" : `add table t_${rev.n}`;
  const body = (sql: string) => (rev.down.length > 1 ? "    pass" : `    op.execute("""${sql}""")`);
  return `"""${message}

Revision ID: ${rev.id}
Revises: ${rev.down.join(", ")}
Create Date: ${CREATE_DATE}

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '${rev.id}'
down_revision = ${down}
branch_labels = None
depends_on = None


def upgrade():
${body(`CREATE TABLE t_${rev.n} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)`)}


def downgrade():
${body(`DROP TABLE t_${rev.n}`)}
`;
}

function slug(rev: Rev): string {
  return rev.down.length > 1 ? "merge" : `add_table_t_${rev.n}`;
}

/** Writes the retort directory and the Alembic project for one graph. */
function writeShape(scratch: string, name: string, revisions: readonly Rev[], alembic: boolean): Shape {
  const base = join(scratch, name);
  const retortDir = join(base, "retort");
  mkdirSync(retortDir, { recursive: true });
  for (const rev of revisions) writeFileSync(join(retortDir, `${rev.id}_${slug(rev)}.sql`), sqlFile(rev));
  const alembicDir = join(base, "alembic");
  const alembicIni = join(base, "alembic.ini");
  if (alembic) {
    mkdirSync(join(alembicDir, "versions"), { recursive: true });
    writeFileSync(alembicIni, `[alembic]\nscript_location = ${alembicDir}\nsqlalchemy.url = postgresql://postgres@127.0.0.1/unused\n`);
    // heads/history never run env.py; it is here so the project is a complete one
    writeFileSync(join(alembicDir, "env.py"), "from alembic import context\n\nraise SystemExit('env.py is not run by heads/history')\n");
    writeFileSync(join(alembicDir, "script.py.mako"), '"""${message}"""\n');
    for (const rev of revisions) writeFileSync(join(alembicDir, "versions", `${rev.id}_${slug(rev)}.py`), pyFile(rev));
  }
  return { name, revisions, retortDir, alembicIni };
}

// ---------------------------------------------------------------- commands

function commandLine(shape: Shape, tool: Timing["tool"], command: Timing["command"]): string[] {
  return tool === "retort"
    ? [BUN, retortMain, command, "--dir", shape.retortDir]
    : [PYTHON, "-m", "alembic", "-c", shape.alembicIni, command];
}

function runCapture(cmd: string[]): { code: number; stdout: string; stderr: string } {
  const proc = Bun.spawnSync(cmd, { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  return { code: proc.exitCode ?? -1, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

/** Runs a command with stdout to a file: what a redirect sees, independent of pipe behaviour. */
function runToFile(cmd: string[], file: string): string {
  const proc = Bun.spawnSync(cmd, { cwd: ROOT, stdout: Bun.file(file), stderr: "pipe" });
  if (proc.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${proc.exitCode}: ${proc.stderr.toString()}`);
  return readFileSync(file, "utf8");
}

/** Checks retort's output (through a file and through a pipe) against the revision count and Alembic. */
function checkOutputs(shape: Shape, scratch: string, alembic: boolean): string[] {
  const notes: string[] = [];
  for (const command of ["heads", "history"] as const) {
    const file = join(scratch, `${shape.name}-${command}.out`);
    const viaFile = runToFile(commandLine(shape, "retort", command), file);
    const piped = runCapture(commandLine(shape, "retort", command));
    const lines = (text: string) => text.split("\n").filter((l) => l !== "").length;
    if (command === "history" && lines(viaFile) !== shape.revisions.length) {
      notes.push(`${shape.name} retort history printed ${lines(viaFile)} lines for ${shape.revisions.length} revisions`);
    }
    if (piped.stdout !== viaFile) {
      notes.push(
        `${shape.name} retort ${command}: stdout through a pipe is cut short (${piped.stdout.length} of ${viaFile.length} bytes, exit ${piped.code})`,
      );
    }
    if (alembic) {
      const reference = runToFile(commandLine(shape, "alembic", command), `${file}.alembic`);
      if (reference !== viaFile) {
        const a = reference.split("\n");
        const r = viaFile.split("\n");
        const at = a.findIndex((line, i) => line !== r[i]);
        notes.push(`${shape.name} ${command}: retort differs from Alembic at line ${at + 1}: '${r[at] ?? "<end>"}' vs '${a[at] ?? "<end>"}'`);
      }
    }
  }
  return notes;
}

// ---------------------------------------------------------------- timing

function stats(ms: readonly number[]): { mean: number; sd: number; min: number; max: number } {
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  const sd = ms.length > 1 ? Math.sqrt(ms.reduce((a, b) => a + (b - mean) ** 2, 0) / (ms.length - 1)) : 0;
  return { mean, sd, min: Math.min(...ms), max: Math.max(...ms) };
}

const hasHyperfine = Bun.which("hyperfine") !== null;

/** Wall time of one command line: hyperfine's when installed, else our own spawn loop. */
function time(cmd: string[], runs: number, warmup: number, jsonOut: string): { mean: number; sd: number; min: number; max: number } {
  if (hasHyperfine) {
    const proc = Bun.spawnSync(
      ["hyperfine", "-N", "--style", "none", "--warmup", String(warmup), "--runs", String(runs), "--export-json", jsonOut, cmd.join(" ")],
      { cwd: ROOT, stdout: "pipe", stderr: "pipe" },
    );
    if (proc.exitCode !== 0) throw new Error(`hyperfine failed on ${cmd.join(" ")}: ${proc.stderr.toString()}`);
    const result = JSON.parse(readFileSync(jsonOut, "utf8")).results[0] as { times: number[] };
    return stats(result.times.map((s) => s * 1000));
  }
  const ms: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const started = Bun.nanoseconds();
    const proc = Bun.spawnSync(cmd, { cwd: ROOT, stdout: "ignore", stderr: "ignore" });
    const elapsed = (Bun.nanoseconds() - started) / 1e6;
    if (proc.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${proc.exitCode}`);
    if (i >= warmup) ms.push(elapsed);
  }
  writeFileSync(jsonOut, JSON.stringify({ command: cmd.join(" "), times_ms: ms }, null, 2));
  return stats(ms);
}

// ---------------------------------------------------------------- stages

/**
 * Runs in a fresh process (--stage-child DIR): times each step of retort's
 * path for `history` with the same functions the CLI calls. Prints one JSON line.
 */
async function stageChild(dir: string): Promise<void> {
  // typed as this checkout's modules; --retort points the same code at another checkout
  const src = resolve(dirname(retortMain), "..");
  const t0 = Bun.nanoseconds();
  await import(retortMain);
  const t1 = Bun.nanoseconds();
  const { loadRevisionsFromDir }: typeof import("../src/revisions/source.ts") = await import(join(src, "revisions/source.ts"));
  const { RevisionGraph }: typeof import("../src/core/graph.ts") = await import(join(src, "core/graph.ts"));
  const { historyRevisions, headRevisions }: typeof import("../src/core/history.ts") = await import(join(src, "core/history.ts"));
  const { formatHistory, formatHeads, revisionJson }: typeof import("../src/core/format.ts") = await import(join(src, "core/format.ts"));
  const t2 = Bun.nanoseconds();
  const revisions = await loadRevisionsFromDir(dir);
  const t3 = Bun.nanoseconds();
  const graph = RevisionGraph.build(revisions);
  const t4 = Bun.nanoseconds();
  formatHeads(graph, headRevisions(graph));
  const t5 = Bun.nanoseconds();
  const ids = historyRevisions(graph);
  const t6 = Bun.nanoseconds();
  formatHistory(graph, ids);
  const t7 = Bun.nanoseconds();
  ids.map((id) => revisionJson(graph, id));
  const t8 = Bun.nanoseconds();
  const ms = (a: number, b: number) => (b - a) / 1e6;
  process.stdout.write(
    `${JSON.stringify({
      "process start → script": t0 / 1e6,
      "import CLI modules": ms(t0, t1),
      "read + parse files": ms(t2, t3),
      "graph build + validate": ms(t3, t4),
      "heads + format": ms(t4, t5),
      "history walk": ms(t5, t6),
      "history format": ms(t6, t7),
      "--json objects for history": ms(t7, t8),
    })}\n`,
  );
}

async function stageTable(shape: Shape, runs: number): Promise<string> {
  const samples = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const out = runCapture([BUN, join(ROOT, "scripts/bench-graph.ts"), "--retort", retortMain, "--stage-child", shape.retortDir]);
    if (out.code !== 0) throw new Error(`stage run failed: ${out.stderr}`);
    for (const [k, v] of Object.entries(JSON.parse(out.stdout) as Record<string, number>)) {
      samples.set(k, [...(samples.get(k) ?? []), v]);
    }
  }
  const rows = [...samples].map(([k, v]) => {
    const sorted = [...v].sort((a, b) => a - b);
    return `| ${k} | ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} |`;
  });
  return [`Stages in one process, ${shape.name} (median of ${runs}; ms):`, "", "| stage | ms |", "|---|---:|", ...rows].join("\n");
}

// ---------------------------------------------------------------- report

function fmt(x: number): string {
  return x.toFixed(1);
}

function report(timings: readonly Timing[], alembic: boolean): string {
  const lines = [
    `| shape | revisions | command | retort mean ± sd (ms) | retort min (ms) | retort per 1k revs (ms) |${alembic ? " Alembic mean ± sd (ms) | Alembic per 1k revs (ms) | retort speed-up |" : ""}`,
    `|---|---:|---|---:|---:|---:|${alembic ? "---:|---:|---:|" : ""}`,
  ];
  for (const r of timings.filter((t) => t.tool === "retort")) {
    const a = timings.find((t) => t.tool === "alembic" && t.shape === r.shape && t.command === r.command);
    const per1k = (t: Timing) => fmt(t.mean / (t.size / 1000));
    let line = `| ${r.shape} | ${r.size} | ${r.command} | ${fmt(r.mean)} ± ${fmt(r.sd)} | ${fmt(r.min)} | ${per1k(r)} |`;
    if (alembic) line += a ? ` ${fmt(a.mean)} ± ${fmt(a.sd)} | ${per1k(a)} | ${(a.mean / r.mean).toFixed(1)}× |` : " – | – | – |";
    lines.push(line);
  }
  return lines.join("\n");
}

/**
 * Marginal cost per 1k revisions between consecutive linear sizes: flat means
 * linear growth. Computed on the fastest run (less disturbed by a busy machine)
 * and on the mean.
 */
function growth(timings: readonly Timing[], floorMs: number): string {
  const lines = [
    "Growth of retort on linear chains (ms per extra 1k revisions between sizes; roughly equal rows = linear):",
    "",
    "| command | sizes | from min | from mean | (min − CLI floor) per 1k at the larger size |",
    "|---|---|---:|---:|---:|",
  ];
  for (const command of ["heads", "history"] as const) {
    const rows = timings
      .filter((t) => t.tool === "retort" && t.command === command && t.shape.startsWith("linear"))
      .sort((a, b) => a.size - b.size);
    for (let i = 1; i < rows.length; i++) {
      const lo = rows[i - 1]!;
      const hi = rows[i]!;
      const k = (hi.size - lo.size) / 1000;
      lines.push(
        `| ${command} | ${lo.size}→${hi.size} | ${fmt((hi.min - lo.min) / k)} | ${fmt((hi.mean - lo.mean) / k)} | ${fmt((hi.min - floorMs) / (hi.size / 1000))} |`,
      );
    }
  }
  return lines.join("\n");
}

function verdict(timings: readonly Timing[], largest: number): string[] {
  const out: string[] = [];
  for (const t of timings.filter((t) => t.tool === "retort" && (t.size === largest || t.shape.startsWith("graph")))) {
    const ok = t.mean < TARGET_MS;
    out.push(`- ${ok ? "PASS" : "MISS"}: ${t.shape} ${t.command} mean ${fmt(t.mean)} ms, fastest ${fmt(t.min)} ms (target: mean < ${TARGET_MS} ms)`);
  }
  return out;
}

// ---------------------------------------------------------------- main

async function benchmark(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.stageChild !== undefined) return stageChild(opts.stageChild);

  const alembic = opts.alembic && runCapture([PYTHON, "-m", "alembic", "--version"]).code === 0;
  if (opts.alembic && !alembic) console.error("Alembic not found (/usr/bin/python3 -m alembic); timing retort only");
  const scratch = opts.out ?? mkdtempSync(join(tmpdir(), "retort-bench-graph-"));
  mkdirSync(scratch, { recursive: true });
  const jsonDir = join(scratch, "hyperfine");
  mkdirSync(jsonDir, { recursive: true });

  try {
    const shapes: Shape[] = [];
    for (const size of opts.sizes) shapes.push(writeShape(scratch, `linear-${size / 1000}k`, linearChain(size), alembic));
    const { size, branches } = opts.graph;
    shapes.push(writeShape(scratch, `graph-${size / 1000}k-${branches}br`, branchyGraph(size, branches), alembic));

    const notes = shapes.flatMap((shape) => checkOutputs(shape, scratch, alembic));

    const floorCmd = [BUN, retortMain, "--help"];
    const bunCmd = [BUN, "-e", "0"];
    const bunFloor = time(bunCmd, opts.runs, opts.warmup, join(jsonDir, "floor-bun.json"));
    const cliFloor = time(floorCmd, opts.runs, opts.warmup, join(jsonDir, "floor-cli.json"));

    const timings: Timing[] = [];
    for (const shape of shapes) {
      for (const command of ["heads", "history"] as const) {
        for (const tool of alembic ? (["retort", "alembic"] as const) : (["retort"] as const)) {
          const s = time(commandLine(shape, tool, command), opts.runs, opts.warmup, join(jsonDir, `${shape.name}-${command}-${tool}.json`));
          timings.push({ shape: shape.name, size: shape.revisions.length, command, tool, ...s });
          console.error(`  ${shape.name} ${command} ${tool}: ${fmt(s.mean)} ± ${fmt(s.sd)} ms`);
        }
      }
    }

    const load = loadavg().map((x) => x.toFixed(2)).join(" ");
    const out = [
      `## retort heads/history benchmark (${hasHyperfine ? `hyperfine, ${opts.warmup} warm-up + ${opts.runs} runs` : `spawn loop, ${opts.warmup} warm-up + ${opts.runs} runs`}; wall ms from process start; stdout to /dev/null)`,
      "",
      `Bun ${Bun.version}, ${navigator.hardwareConcurrency} CPUs, load average ${load}; retort: ${retortMain}.`,
      `Floors: \`bun -e 0\` ${fmt(bunFloor.mean)} ± ${fmt(bunFloor.sd)} ms; \`bun src/cli/main.ts --help\` (Bun + loading the CLI) ${fmt(cliFloor.mean)} ± ${fmt(cliFloor.sd)} ms.`,
      "",
      report(timings, alembic),
      "",
      growth(timings, cliFloor.mean),
      "",
      `Target (< ${TARGET_MS} ms for the largest chain and the graph):`,
      ...verdict(timings, Math.max(...opts.sizes)),
      "",
      notes.length === 0 ? `Output checks: every retort output complete through a pipe${alembic ? " and identical to Alembic's" : ""}.` : "Output checks:",
      ...notes.map((n) => `- ${n}`),
    ];
    if (opts.stages) {
      const largest = shapes.reduce((a, b) => (b.revisions.length > a.revisions.length ? b : a));
      out.push("", await stageTable(largest, 5));
    }
    out.push("", `hyperfine JSON: ${opts.keep || opts.out ? jsonDir : "(removed; pass --keep or --out DIR)"}`);
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    if (!opts.keep && opts.out === undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

await benchmark();
