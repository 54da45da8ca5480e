import { describe, expect, test } from "bun:test";
import { compareApplied, problemError, type FileState } from "../../src/history/compare.ts";
import type { StoredHistoryRow } from "../../src/history/table.ts";
import { historyRow } from "./row-fixture.ts";
import { AppliedRevisionChangedError } from "../../src/errors.ts";

let id = 0;
const row = (revision: string, kind: StoredHistoryRow["kind"], checksum: string | null, headsAfter: string[] = [revision]): StoredHistoryRow =>
  historyRow({ id: ++id, revision, kind, headsBefore: [], headsAfter, checksum });

/** files: id -> [applied, checksum]; absent ids have no file */
const state = (files: Record<string, [boolean, string]>): FileState => ({
  file: (r) => (files[r] === undefined ? undefined : { path: `${r}_x.sql`, applied: files[r]![0] }),
  checksum: (r) => files[r]![1],
});

describe("compareApplied", () => {
  const cases: { name: string; rows: StoredHistoryRow[]; files: Record<string, [boolean, string]>; expect: [string, string, boolean][] }[] = [
    { name: "unchanged files are clean", rows: [row("a", "upgrade", "s1")], files: { a: [true, "s1"] }, expect: [] },
    { name: "a changed applied file is reported", rows: [row("a", "upgrade", "s1")], files: { a: [true, "s2"] }, expect: [["a", "changed", false]] },
    { name: "a revision no longer applied is not compared", rows: [row("a", "upgrade", "s1")], files: { a: [false, "s2"] }, expect: [] },
    { name: "checksum unknown (baseline) is not compared", rows: [row("a", "baseline", null)], files: { a: [true, "s2"] }, expect: [] },
    { name: "a vanished file that the history left applied is missing", rows: [row("a", "upgrade", "s1")], files: {}, expect: [["a", "missing", false]] },
    { name: "a vanished file whose newest row took it away is not", rows: [row("a", "downgrade", "s1", [])], files: {}, expect: [] },
    { name: "an acceptance row's checksum is the one compared", rows: [row("a", "accept", "s2", ["b"])], files: { a: [true, "s2"] }, expect: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const problems = compareApplied(c.rows, state(c.files));
      expect(problems.map((p) => [p.revision, p.problem, p.allowed])).toEqual(c.expect);
    });
  }

  test("the error names the revision, the file, when and by whom, and both checksums", () => {
    const problems = compareApplied([row("a", "upgrade", "1111111111119999")], state({ a: [true, "2222222222229999"] }));
    const error = problemError(problems);
    expect(error).toBeInstanceOf(AppliedRevisionChangedError);
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain("revision a (a_x.sql) changed since it was applied 2026-12-07 10:04:11 UTC by deploy@web-1 (database user app)");
    expect(error?.message).toContain("checksum then 111111111111, now 222222222222");
    expect(error?.message).toContain("--allow-changed a");
    expect(problemError(compareApplied([row("a", "upgrade", "1")], state({ a: [true, "2"] })).map((p) => ({ ...p, allowed: true })))).toBeUndefined();
  });
});
