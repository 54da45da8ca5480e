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

test("a TypeScript revision that reads the database is reported as not linted, and the run goes on", async () => {
  const dir = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "lint-run-"));
  writeFileSync(join(dir, "cccccccccc00_r.sql"), "-- Revision ID: cccccccccc00\n-- Revises:\n-- Message: base\n\n-- migrate:upgrade\nCREATE TABLE t (id bigint);\n\n-- migrate:downgrade\nDROP TABLE t;\n");
  writeFileSync(
    join(dir, "cccccccccc01_r.ts"),
    'export const revision = "cccccccccc01";\nexport const downRevision = "cccccccccc00";\nexport const message = "reads";\n' +
      'export async function upgrade(op: any) { const rows = await op.query("SELECT count(*) AS n FROM t"); await op.execute(`CREATE INDEX t_id ON t (id) -- ${rows.length}`); }\n' +
      "export async function downgrade(op: any) { await op.execute('DROP INDEX t_id'); }\n",
  );
  const revisions = await loadRevisionsFromDir(dir);
  const report = await runLint({ revisions, graph: RevisionGraph.build(revisions), ids: revisions.map((r) => r.id) });
  expect(report.findings.filter((f) => f.revision === "cccccccccc01").map((f) => `${f.rule} ${f.severity}`)).toEqual(["unlintable-revision warning"]);
});

test("corpus: a syntax error and a revision that does not apply are findings with file and line, not crashes", async () => {
  const corpus = join(import.meta.dir, "../fixtures/lint");
  const revisions = await loadRevisionsFromDir(corpus);
  const report = await runLint({ revisions, graph: RevisionGraph.build(revisions), ids: ["c0ffee000032", "c0ffee000033"] });
  const of = (id: string) => report.findings.filter((f) => f.revision === id).map((f) => `${f.rule}@${f.line}`).sort();
  expect(of("c0ffee000033")).toEqual(["syntax-error@8"]);
  expect(of("c0ffee000032")).toEqual(["ban-concurrent-index-creation-in-transaction@7", "revision-fails@1"]);
});

test("an ignore suppresses its rule on the statement below it; one that suppresses nothing is reported at its line", async () => {
  const dir = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "lint-run-"));
  writeFileSync(join(dir, "dddddddddd00_r.sql"), "-- Revision ID: dddddddddd00\n-- Revises:\n-- Message: base\n\n-- migrate:upgrade\nCREATE TABLE t (id bigint, note text);\n\n-- migrate:downgrade\nDROP TABLE t;\n");
  writeFileSync(
    join(dir, "dddddddddd01_r.sql"),
    "-- Revision ID: dddddddddd01\n-- Revises: dddddddddd00\n-- Message: ignores\n-- retort-lint: ignore-file require-lock-timeout\n\n-- migrate:upgrade\n" +
      "-- retort-lint: ignore require-concurrent-index-creation\nCREATE INDEX t_id ON t (id);\n-- retort-lint: ignore ban-drop-table\nALTER TABLE t DROP COLUMN note;\n\n-- migrate:downgrade\nSELECT 1;\n",
  );
  const revisions = await loadRevisionsFromDir(dir);
  const report = await runLint({ revisions, graph: RevisionGraph.build(revisions), ids: ["dddddddddd01"] });
  expect(report.findings.map((f) => `${f.rule}@${f.line}`)).toEqual(["unused-ignore@9", "ban-drop-column@10"]);
});

test("with the run's start given, what an earlier revision of the run created is new: exempt, and given no made-up row", async () => {
  const dir = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "lint-run-"));
  const write = (id: string, parent: string, up: string) =>
    writeFileSync(join(dir, `${id}_r.sql`), `-- Revision ID: ${id}\n-- Revises: ${parent}\n-- Message: ${id}\n\n-- migrate:upgrade\n${up}\n\n-- migrate:downgrade\nSELECT 1;\n`);
  write("eeeeeeeeee00", "", "CREATE TABLE old_t (id bigint PRIMARY KEY, note text);");
  write("eeeeeeeeee01", "eeeeeeeeee00", "CREATE TABLE fresh (id bigint);\nCREATE INDEX old_note ON old_t (note);\nCREATE TYPE mood AS ENUM ('ok');");
  write("eeeeeeeeee02", "eeeeeeeeee01", "CREATE INDEX fresh_id ON fresh (id);\nALTER TABLE fresh ADD COLUMN n bigint NOT NULL;\nDROP INDEX old_note;\nALTER TYPE mood ADD VALUE 'meh';\nCREATE INDEX old_id ON old_t (id);");
  const revisions = await loadRevisionsFromDir(dir);
  const graph = RevisionGraph.build(revisions);
  const levels = { "require-lock-timeout": "off" } as const;
  const ids = ["eeeeeeeeee01", "eeeeeeeeee02"];
  const rules = (report: Awaited<ReturnType<typeof runLint>>) => report.findings.filter((f) => f.revision === "eeeeeeeeee02").map((f) => f.rule).sort();
  // from eeeeeeeeee00: only the index on old_t, which existed before the run, is flagged
  const fromStart = await runLint({ revisions, graph, ids, levels, start: ["eeeeeeeeee00"] });
  expect(rules(fromStart)).toEqual(["require-concurrent-index-creation"]);
  const statements = fromStart.statements.filter((s) => s.revision === "eeeeeeeeee02");
  // still measured: the NOT NULL column went in (fresh got no made-up row), the index build's lock is reported
  expect(statements.map((s) => s.note)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  expect(statements[0]!.locks).toEqual([{ relation: "public.fresh", mode: "ShareLock" }]);
  // without a start (lint --all, a range), each revision is judged against its parent alone
  const alone = await runLint({ revisions, graph, ids, levels });
  expect(rules(alone)).toEqual(["adding-required-field", "require-concurrent-index-creation", "require-concurrent-index-creation", "require-concurrent-index-deletion", "require-enum-value-ordering"]);
});
