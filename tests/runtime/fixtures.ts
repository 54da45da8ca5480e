/**
 * Hand-built revisions and plans for runtime tests, so the runner is tested
 * without the file loader or the planner.
 */
import type { PlannedStep, VersionChange } from "../../src/core/types.ts";
import type { Op } from "../../src/ops/op.ts";
import type { LoadedRevision } from "../../src/revisions/types.ts";

/** A SQL revision; `up` starts on line 10 of its (imaginary) file, like a file with a full header. */
export function sqlRev(
  id: string,
  down: string | readonly string[] | null,
  up: string,
  downSql: string | null = null,
  extra: { transaction?: boolean; message?: string } = {},
): LoadedRevision {
  return {
    id,
    downRevisions: down === null ? [] : typeof down === "string" ? [down] : [...down],
    branchLabels: [],
    dependsOn: [],
    message: extra.message ?? `rev ${id}`,
    createDate: null,
    path: `migrations/versions/${id}_rev.sql`,
    doc: "",
    format: "sql",
    transaction: extra.transaction ?? true,
    upgrade: { kind: "sql", sql: up, line: 10 },
    downgrade: downSql === null ? null : { kind: "sql", sql: downSql, line: 10 + up.split("\n").length + 2 },
  };
}

/** A TypeScript revision. */
export function tsRev(id: string, down: string | null, up: (op: Op) => Promise<void>, downFn?: (op: Op) => Promise<void>): LoadedRevision {
  return {
    ...sqlRev(id, down, ""),
    path: `migrations/versions/${id}_rev.ts`,
    format: "ts",
    upgrade: { kind: "ts", fn: up },
    downgrade: downFn ? { kind: "ts", fn: downFn } : null,
  };
}

/** Revisions by id. */
export function revMap(...revs: LoadedRevision[]): Map<string, LoadedRevision> {
  return new Map(revs.map((r) => [r.id, r]));
}

/** One migration step. */
export function step(
  direction: "up" | "down",
  rev: LoadedRevision,
  from: string[],
  to: string[],
  versionChanges: VersionChange[],
): PlannedStep {
  return { direction, run: rev.id, revision: rev.id, from, to, message: rev.message, versionChanges };
}

/** The steps of upgrading a linear chain from base. */
export function upChain(revs: readonly LoadedRevision[]): PlannedStep[] {
  return revs.map((rev, i) => {
    const prev = revs[i - 1];
    return prev === undefined
      ? step("up", rev, [], [rev.id], [{ kind: "insert", version: rev.id }])
      : step("up", rev, [prev.id], [rev.id], [{ kind: "update", from: prev.id, to: rev.id }]);
  });
}

/** The steps of downgrading a linear chain (given in upgrade order) to base. */
export function downChain(revs: readonly LoadedRevision[]): PlannedStep[] {
  return revs
    .map((rev, i) => {
      const prev = revs[i - 1];
      return prev === undefined
        ? step("down", rev, [rev.id], [], [{ kind: "delete", version: rev.id }])
        : step("down", rev, [rev.id], [prev.id], [{ kind: "update", from: rev.id, to: prev.id }]);
    })
    .reverse();
}
