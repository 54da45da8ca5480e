import { describe, expect, test } from "bun:test";
import { RevisionGraph } from "../../src/core/graph.ts";
import { planUpgrade } from "../../src/core/plan.ts";
import { ConnectionError, MigrationError } from "../../src/errors.ts";
import {
  currentState,
  failedOutcome,
  finishedLine,
  fleetJson,
  formatColumns,
  formatCurrentMatrix,
  formatFleetTable,
  progressLine,
  STATUS_AS_CURRENT,
  skippedOutcome,
  summarize,
  targetError,
  unreadState,
  type CurrentRow,
  type TargetOutcome,
} from "../../src/fleet/report.ts";
import { expandTargets } from "../../src/fleet/targets.ts";

const [db1, db2, db3, db4] = expandTargets(["postgres://u:pw@h/db1", "postgres://h/db2", "postgres://h/db3", "postgres://h/db4"], null) as [never, never, never, never];

const step = { kind: "upgrade" as const, revision: "b", from: ["a"], to: ["b"], message: "second", durationMs: 3 };
const okOutcome: TargetOutcome = { target: "postgres://u:***@h/db1", schema: null, status: "ok", from: ["a"], to: ["b"], steps: [step], durationMs: 12, error: null };
const failed = failedOutcome(db2, targetError(new MigrationError("b failed: relation \"t\" already exists", "b", "b_x.sql", "CREATE TABLE t ()", undefined)), 40);
const unreachable = failedOutcome(db3, targetError(new ConnectionError("cannot connect to postgres://h/db3: connection refused")), 5);
const skipped = skippedOutcome(db4, "fail-fast");

describe("outcomes", () => {
  test("an error with exit 3 makes the target unreachable, any other one failed", () => {
    expect(unreachable.status).toBe("unreachable");
    expect(failed.status).toBe("failed");
    expect(failed.exitCode).toBe(1);
    expect(failedOutcome(db1, targetError(new Error("boom")), 1)).toMatchObject({ status: "failed", error: { kind: "InternalError", message: "boom", exitCode: 1 } });
  });
  test("summary counts by status", () => {
    expect(summarize([okOutcome, failed, unreachable, skipped])).toEqual({ total: 4, ok: 1, failed: 1, unreachable: 1, skipped: 1 });
  });
});

describe("progress on stderr", () => {
  test("the live line", () => expect(progressLine(3, 26, 4, 1)).toBe("fleet: 3/26 done, 4 running, 1 failed"));
  const cases: [string, TargetOutcome, string][] = [
    ["a target that moved", okOutcome, "[1/4] ok postgres://u:***@h/db1 (12 ms): a → b, 1 step(s)"],
    ["a target already at the goal", { ...okOutcome, from: ["b"], steps: [] }, "[1/4] ok postgres://u:***@h/db1 (12 ms): at b, nothing to do"],
    ["a failed target says why", failed, '[1/4] failed postgres://h/db2 (40 ms): b failed: relation "t" already exists'],
    ["a read-only command's target says what its command found", { ...okOutcome, from: ["b"], steps: [], note: "at b, 1 pending revision(s), no error-level finding" }, "[1/4] ok postgres://u:***@h/db1 (12 ms): at b, 1 pending revision(s), no error-level finding"],
  ];
  for (const [name, outcome, line] of cases) test(name, () => expect(finishedLine(outcome, 1, 4)).toBe(line));
  test("current's progress says a target's status as its matrix does", () => {
    expect(finishedLine(failed, 1, 4, STATUS_AS_CURRENT)).toBe('[1/4] error postgres://h/db2 (40 ms): b failed: relation "t" already exists');
    expect(finishedLine(unreachable, 1, 4, STATUS_AS_CURRENT)).toMatch(/^\[1\/4\] unreachable postgres:\/\/h\/db3 /);
    expect(progressLine(3, 26, 4, { error: 1, unreachable: 2 })).toBe("fleet: 3/26 done, 4 running, 1 error, 2 unreachable");
  });
});

describe("the closing table", () => {
  test("target, from → to, steps, duration, status; errors below; the summary last", () => {
    expect(formatFleetTable([okOutcome, failed, unreachable, skipped]).split("\n")).toEqual([
      "TARGET                  FROM → TO  STEPS  DURATION  STATUS",
      "postgres://u:***@h/db1  a → b      1      12 ms     ok",
      "postgres://h/db2                   0      40 ms     failed",
      "postgres://h/db3                   0      5.0 ms    unreachable",
      "postgres://h/db4                   0      0.0 ms    skipped",
      "",
      'postgres://h/db2: b failed: relation "t" already exists',
      "postgres://h/db3: cannot connect to postgres://h/db3: connection refused",
      "",
      "4 target(s): 1 ok, 1 failed, 1 unreachable, 1 skipped",
    ]);
  });
  test("base for no heads", () => {
    expect(formatFleetTable([{ ...okOutcome, from: [], to: ["a", "b"] }])).toContain("base → a,b");
  });
  test("columns pad to the widest cell (counting characters, not bytes)", () => {
    expect(formatColumns([["→→", "x"], ["a", "yy"]])).toBe("→→  x\na   yy");
  });
});

describe("--json", () => {
  test("one document: goal, exit code, summary and per-target steps and errors", () => {
    const doc = fleetJson("upgrade", ["head"], [okOutcome, failed], 1);
    expect(doc).toEqual({
      command: "upgrade",
      goal: ["head"],
      exitCode: 1,
      summary: { total: 2, ok: 1, failed: 1, unreachable: 0, skipped: 0 },
      targets: [
        { target: "postgres://u:***@h/db1", schema: null, status: "ok", from: ["a"], to: ["b"], steps: [step], durationMs: 12, error: null },
        { target: "postgres://h/db2", schema: null, status: "failed", from: [], to: [], steps: [], durationMs: 40, error: { kind: "MigrationError", message: 'b failed: relation "t" already exists', exitCode: 1 } },
      ],
    });
    expect(JSON.stringify(doc)).not.toContain(":pw@");
  });
});

describe("current over a fleet", () => {
  const meta = (id: string, down: string[]) => ({ id, downRevisions: down, dependsOn: [], branchLabels: [], message: id, path: `${id}.sql` }) as never;
  const graph = RevisionGraph.build([meta("aaa", []), meta("bbb", ["aaa"]), meta("ccc", ["bbb"])]);
  const pending = (heads: readonly string[]) => planUpgrade(graph, heads, "heads").length;
  const cases: [string, string[], ReturnType<typeof currentState>][] = [
    ["at the head", ["ccc"], { state: "head", behindBy: 0 }],
    ["one behind", ["bbb"], { state: "behind", behindBy: 1 }],
    ["never migrated: behind by all", [], { state: "behind", behindBy: 3 }],
    ["a revision the files do not define (ahead, or foreign)", ["fff"], { state: "unknown", behindBy: null }],
  ];
  for (const [name, heads, state] of cases) test(name, () => expect(currentState(graph, heads, pending)).toEqual(state));

  test("the matrix: a column per revision held, oldest first, unknown last; the state; a summary", () => {
    const row = (target: string, heads: string[], state: CurrentRow["state"], behindBy: number | null): CurrentRow => ({ target, schema: null, heads, state, behindBy, error: null });
    const rows = [
      row("db1", ["ccc"], "head", 0),
      row("db2", ["aaa"], "behind", 2),
      row("db3", ["fff"], "unknown", null),
      row("db4", [], "behind", 3),
      { ...row("db5", [], "unreachable", null), error: { kind: "ConnectionError", message: "refused", exitCode: 3 } },
      { ...row("db6", [], "error", null), error: { kind: "DataDirError", message: "holds other files\nsecond line", exitCode: 2 } },
      { ...row("db7", [], "skipped", null), error: { kind: "Skipped", message: "not started", exitCode: 0 } },
    ];
    const order = (ids: readonly string[]) => ["aaa", "bbb", "ccc"].filter((id) => ids.includes(id)).concat(ids.filter((id) => !graph.has(id)));
    expect(formatCurrentMatrix(rows, order).split("\n")).toEqual([
      "TARGET  aaa  ccc  fff  base  STATE",
      "db1     .    x    .    .     head",
      "db2     x    .    .    .     behind (2)",
      "db3     .    .    x    .     unknown",
      "db4     .    .    .    x     behind (3)",
      "db5     .    .    .    .     unreachable: refused",
      "db6     .    .    .    .     error: holds other files",
      "db7     .    .    .    .     skipped: not started",
      "",
      "7 target(s): 1 at head, 2 behind, 1 ahead or on an unknown revision (not in these revision files), 1 unreachable, 1 with an error, 1 skipped",
    ]);
  });

  test("a target not read is unreachable only for exit 3 (connection, lock timeout); other errors are errors; targets never started are skipped", () => {
    expect([unreachable, failed, skipped].map((o) => unreadState(o.status as "failed" | "unreachable" | "skipped"))).toEqual(["unreachable", "error", "skipped"]);
  });
});
