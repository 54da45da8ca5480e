/** loadRevisionsFromDir on 10,000 files (its speed is scripts/bench-graph.ts's, README "Benchmarks"). */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";

const dir = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "source-many-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const id = (i: number) => i.toString(16).padStart(12, "0");

test("loads 10,000 SQL files, in file-name order, each with its own content", async () => {
  await Promise.all(
    Array.from({ length: 10_000 }, (_, i) =>
      Bun.write(
        join(dir, `${id(i)}_rev_${i}.sql`),
        `-- Revision ID: ${id(i)}\n-- Revises: ${i === 0 ? "" : id(i - 1)}\n-- Message: rev ${i}\n\n-- migrate:upgrade\nSELECT ${i};\n\n-- migrate:downgrade\nSELECT -${i};\n`,
      ),
    ),
  );
  const revs = await loadRevisionsFromDir(dir);
  expect(revs).toHaveLength(10_000);
  expect(revs.map((r) => r.id)).toEqual(Array.from({ length: 10_000 }, (_, i) => id(i)));
  expect(revs[9_999]?.downRevisions).toEqual([id(9_998)]);
});
