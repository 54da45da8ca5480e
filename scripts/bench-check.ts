/**
 * Benchmark of `retort check` on a 200-table schema with its migration
 * history (20 revisions of 10 tables each: identity keys, enums, foreign
 * keys, checks, unique and partial indexes, comments, views). Each run is a
 * fresh process, so PGlite's start-up is counted as a user would see it.
 *
 *   bun scripts/bench-check.ts [--tables 200] [--revisions 20] [--runs 3] [--cache]
 *
 * --cache: with the snapshot cache (in the benchmark's temp dir), so run 1
 * builds it (cold) and later runs read it (warm).
 *
 * Prints the wall time of each run and how it splits between phases.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};


/** The DDL of table i: it references table i-1, so the history has a long dependency chain. */
function tableSql(i: number): string {
  const name = `t${String(i).padStart(3, "0")}`;
  const parent = i > 0 ? `\n    parent_id bigint REFERENCES t${String(i - 1).padStart(3, "0")} (id) ON DELETE CASCADE,` : "";
  const lines = [
    `CREATE TABLE ${name} (`,
    `    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,${parent}`,
    "    name varchar(80) NOT NULL,",
    `    status status_${i % 5} DEFAULT 'new' NOT NULL,`,
    "    amount numeric(12,2) DEFAULT 0 NOT NULL CHECK (amount >= 0),",
    "    tags text[],",
    "    created_at timestamptz DEFAULT now() NOT NULL,",
    `    CONSTRAINT ${name}_name_key UNIQUE (name)`,
    ");",
    `CREATE INDEX ${name}_created ON ${name} (created_at) WHERE status <> 'done';`,
    `COMMENT ON TABLE ${name} IS 'benchmark table ${i}';`,
  ];
  if (i > 0) lines.push(`CREATE INDEX ${name}_parent ON ${name} (parent_id);`);
  if (i % 10 === 9) lines.push(`CREATE VIEW ${name}_open AS SELECT id, name, amount FROM ${name} WHERE status IN ('new', 'busy');`);
  return lines.join("\n");
}

const enums = Array.from({ length: 5 }, (_, i) => `CREATE TYPE status_${i} AS ENUM ('new', 'busy', 'done');`).join("\n");

async function parent(tables: number, revisions: number, runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "retort-bench-"));
  try {
    const versions = join(dir, "versions");
    mkdirSync(versions);
    const perRevision = Math.ceil(tables / revisions);
    let previous = "";
    for (let r = 0; r < revisions; r++) {
      const id = `be${String(r).padStart(10, "0")}`;
      const from = r * perRevision;
      const to = Math.min(tables, from + perRevision);
      const body = [r === 0 ? enums : "", ...Array.from({ length: to - from }, (_, k) => tableSql(from + k))].filter(Boolean).join("\n\n");
      writeFileSync(
        join(versions, `${id}_tables_${from}_${to - 1}.sql`),
        `-- Revision ID: ${id}\n-- Revises: ${previous}\n-- Create Date: 2026-01-01 00:00:00\n-- Message: tables ${from} to ${to - 1}\n\n-- migrate:upgrade\n${body}\n`,
      );
      previous = id;
    }
    // the declared schema: the same tables plus one new column, so check has something to report
    const schema = [enums, ...Array.from({ length: tables }, (_, i) => tableSql(i)), "ALTER TABLE t000 ADD COLUMN note text;"].join("\n\n");
    writeFileSync(join(dir, "schema.sql"), schema);

    console.log(`check on ${tables} tables, ${revisions} revisions (${dir})`);
    for (let run = 1; run <= runs; run++) {
      const started = performance.now();
      const proc = Bun.spawn([process.execPath, import.meta.path, "--child", dir, ...(args.includes("--cache") ? ["--cache"] : [])], { stdout: "pipe", stderr: "inherit" });
      const out = await new Response(proc.stdout).text();
      await proc.exited;
      const wall = performance.now() - started;
      const report = JSON.parse(out) as { timings: Record<string, number>; inProcess: number; differences: number };
      const phases = Object.entries(report.timings)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(", ");
      console.log(`run ${run}: ${Math.round(wall)} ms wall (process start and imports ${Math.round(wall - report.inProcess)} ms; ${phases}; ${report.differences} difference(s))`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(dir: string): Promise<void> {
  const started = performance.now();
  const { loadRevisionsFromDir } = await import("../src/revisions/source.ts");
  const { checkSchema } = await import("../src/commands/check.ts");
  const revisions = await loadRevisionsFromDir(join(dir, "versions"));
  const { CacheStore } = await import("../src/cache/store.ts");
  const cache = args.includes("--cache") ? new CacheStore(join(dir, "cache"), 1 << 30) : undefined;
  const result = await checkSchema({ revisions, schemaPath: join(dir, "schema.sql"), cache });
  process.stdout.write(JSON.stringify({ timings: result.timings, inProcess: performance.now() - started, differences: result.comparison.upgrade.length }));
}

if (args[0] === "--child") {
  await child(args[1]!);
} else {
  await parent(option("tables", 200), option("revisions", 20), option("runs", 3));
}
