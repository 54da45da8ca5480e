/**
 * A lint run walks the graph reusing one scratch database per line of
 * revisions: each revision must still see exactly its own parent's schema,
 * across branches that create the same table differently.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RevisionGraph } from "../../src/core/graph.ts";
import { runLint } from "../../src/lint/run.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";

test("two branches that create the same table differently are each linted against their own parent", async () => {
  const dir = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "lint-run-"));
  const write = (id: string, parent: string, up: string) =>
    writeFileSync(join(dir, `${id}_r.sql`), `-- Revision ID: ${id}\n-- Revises: ${parent}\n-- Message: ${id}\n\n-- migrate:upgrade\n${up}\n\n-- migrate:downgrade\nSELECT 1;\n`);
  write("aaaaaaaaaa00", "", "CREATE TABLE base_t (id bigint PRIMARY KEY);");
  write("aaaaaaaaaa01", "aaaaaaaaaa00", "CREATE TABLE shared (id bigint);");
  write("aaaaaaaaaa02", "aaaaaaaaaa01", "CREATE INDEX shared_id ON shared (id);");
  write("bbbbbbbbbb01", "aaaaaaaaaa00", "CREATE TABLE shared (id bigint, x integer);");
  write("bbbbbbbbbb02", "bbbbbbbbbb01", "ALTER TABLE shared ALTER COLUMN x TYPE bigint;");
  const revisions = await loadRevisionsFromDir(dir);
  const graph = RevisionGraph.build(revisions);
  const report = await runLint({ revisions, graph, ids: revisions.map((r) => r.id), levels: { "prefer-bigint-over-int": "off", "require-lock-timeout": "off" } });
  const byRevision = (id: string) => report.findings.filter((f) => f.revision === id).map((f) => f.rule).sort();
  expect(byRevision("aaaaaaaaaa00")).toEqual([]);
  expect(byRevision("aaaaaaaaaa01")).toEqual([]);
  expect(byRevision("aaaaaaaaaa02")).toEqual(["require-concurrent-index-creation"]);
  expect(byRevision("bbbbbbbbbb01")).toEqual([]);
  expect(byRevision("bbbbbbbbbb02")).toEqual(["changing-column-type", "table-rewrite"]);
  expect(report.statements.find((s) => s.revision === "bbbbbbbbbb02")!.rewrites).toEqual(["public.shared"]);
});
