/**
 * Benchmarks and comparison for `retort lint` (figures in the README):
 *
 *   bun scripts/bench-lint.ts compare      retort vs squawk on tests/fixtures/lint, as a markdown table
 *   bun scripts/bench-lint.ts time [--revisions 200] [--pending 1,10,200]
 *                                          lint of a synthetic chain: total time and its split, then
 *                                          the cost of upgrade's pre-flight lint for N pending revisions
 *
 * squawk is not a dependency of the project (squawk-cli's lock entries name
 * platform packages the registry does not serve, which breaks `npm ci`):
 * install it for this script with `npm install --no-save squawk-cli@2.66.0`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { lint } from "../src/commands/lint.ts";
import { RevisionGraph } from "../src/core/graph.ts";
import { loadRevisionsFromDir } from "../src/revisions/source.ts";

const ROOT = resolve(import.meta.dir, "..");
const CORPUS = join(ROOT, "tests/fixtures/lint");
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};

/** squawk's rule names per file, for the upgrade section of each corpus revision. */
async function squawkRules(files: { id: string; sql: string }[]): Promise<Map<string, Set<string>>> {
  const dir = mkdtempSync(join(tmpdir(), "squawk-"));
  try {
    for (const f of files) writeFileSync(join(dir, `${f.id}.sql`), f.sql);
    const squawk = join(ROOT, "node_modules/.bin/squawk");
    if (!existsSync(squawk)) throw new Error("squawk is not installed: run `npm install --no-save squawk-cli@2.66.0` first");
    const child = Bun.spawn([squawk, "--reporter", "json", ...files.map((f) => join(dir, `${f.id}.sql`))], { stdout: "pipe", stderr: "pipe" });
    const [out, err] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    if (!out.trim().startsWith("[")) throw new Error(`squawk printed no JSON: ${out}${err}`);
    const result = new Map<string, Set<string>>(files.map((f) => [f.id, new Set<string>()]));
    for (const v of JSON.parse(out) as { file: string; rule_name: string }[]) result.get(v.file.replace(/^.*\//, "").replace(/\.sql$/, ""))?.add(v.rule_name);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** squawk rules outside the catalogue retort implements (issue 11's list): counted apart, not compared. */
const NOT_IMPLEMENTED = new Set(["prefer-robust-stmts", "require-statement-timeout", "prefer-identity"]);

async function compare(): Promise<void> {
  const revisions = await loadRevisionsFromDir(CORPUS);
  const graph = RevisionGraph.build(revisions);
  const started = performance.now();
  const report = await lint({ revisions, graph, all: true });
  const elapsed = performance.now() - started;
  const mine = new Map<string, Set<string>>(revisions.map((r) => [r.id, new Set<string>()]));
  for (const f of report.findings) mine.get(f.revision)!.add(f.rule);
  const files = revisions.map((r) => ({ id: r.id, sql: r.upgrade.kind === "sql" ? r.upgrade.sql : "" }));
  const theirs = await squawkRules(files);
  const names = new Map(readdirSync(CORPUS).map((f) => [f.slice(0, 12), f.slice(13, -4)]));
  console.log("| revision | retort | squawk | only retort | only squawk |");
  console.log("|---|---|---|---|---|");
  const totals = { same: 0, differ: 0 };
  const skipped = new Map<string, number>();
  for (const r of [...revisions].sort((a, b) => a.id.localeCompare(b.id))) {
    const a = mine.get(r.id)!;
    const all = theirs.get(r.id)!;
    const b = new Set([...all].filter((x) => !NOT_IMPLEMENTED.has(x)));
    for (const x of all) if (NOT_IMPLEMENTED.has(x)) skipped.set(x, (skipped.get(x) ?? 0) + 1);
    const onlyA = [...a].filter((x) => !b.has(x)).sort();
    const onlyB = [...b].filter((x) => !a.has(x)).sort();
    if (onlyA.length + onlyB.length === 0) totals.same++;
    else totals.differ++;
    const list = (s: Iterable<string>) => [...s].sort().join(", ") || "—";
    console.log(`| ${names.get(r.id)} | ${list(a)} | ${list(b)} | ${list(onlyA)} | ${list(onlyB)} |`);
  }
  console.log(`\nsquawk rules left out of the comparison (not in retort's catalogue): ${[...skipped].map(([k, v]) => `${k} (${v} revisions)`).join(", ")}`);
  console.log(`${revisions.length} revisions: ${totals.same} agree, ${totals.differ} differ; retort took ${Math.round(elapsed)} ms (${Object.entries(report.timings).map(([k, v]) => `${k} ${Math.round(v)}`).join(", ")})`);
}

/** A synthetic chain: every fifth revision creates a table, the others alter, index or fill the tables before them. */
function writeChain(dir: string, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `b${i.toString(16).padStart(11, "0")}`;
    const t = `t${Math.floor(i / 5)}`;
    const kind = i % 5;
    const up = [
      `CREATE TABLE ${t} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, qty integer, ref bigint${i >= 5 ? ` REFERENCES t${Math.floor(i / 5) - 1} (id)` : ""});\nCREATE INDEX ${t}_ref ON ${t} (ref);`,
      `ALTER TABLE ${t} ADD COLUMN note text;`,
      `CREATE INDEX ${t}_name ON ${t} (name);`,
      `INSERT INTO ${t} (name, qty) SELECT 'n' || g, g FROM generate_series(1, 20) g;`,
      `ALTER TABLE ${t} ALTER COLUMN qty TYPE bigint;`,
    ][kind]!;
    const down = [`DROP TABLE ${t};`, `ALTER TABLE ${t} DROP COLUMN note;`, `DROP INDEX ${t}_name;`, `DELETE FROM ${t};`, `ALTER TABLE ${t} ALTER COLUMN qty TYPE integer;`][kind]!;
    writeFileSync(join(dir, `${id}_r${i}.sql`), `-- Revision ID: ${id}\n-- Revises: ${ids.at(-1) ?? ""}\n-- Message: r${i}\n\n-- migrate:upgrade\n${up}\n\n-- migrate:downgrade\n${down}\n`);
    ids.push(id);
  }
  return ids;
}

async function time(): Promise<void> {
  const count = Number(option("revisions", "200"));
  const dir = mkdtempSync(join(tmpdir(), "bench-lint-"));
  try {
    const ids = writeChain(dir, count);
    const revisions = await loadRevisionsFromDir(dir);
    const graph = RevisionGraph.build(revisions);
    let started = performance.now();
    const report = await lint({ revisions, graph, all: true });
    let ms = performance.now() - started;
    const split = Object.entries(report.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(", ");
    console.log(`lint --all of ${count} revisions (${report.statements.length} statements, ${report.findings.length} findings): ${(ms / 1000).toFixed(2)} s — ${split}`);
    for (const pending of option("pending", "1,10,200").split(",").map(Number)) {
      if (pending > count) continue;
      const only = ids.slice(count - pending);
      for (const measure of [false, true]) {
        started = performance.now();
        const r = await lint({ revisions, graph, ids: only, measure });
        ms = performance.now() - started;
        console.log(`  ${pending} pending of ${count}, ${measure ? "measured (retort lint)" : "catalog only (upgrade's pre-flight)"}: ${(ms / 1000).toFixed(2)} s — ${Object.entries(r.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(", ")}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args[0] === "compare") await compare();
else if (args[0] === "time") await time();
else {
  console.error("usage: bun scripts/bench-lint.ts compare | time [--revisions 200] [--pending 1,10,200]");
  process.exit(2);
}
