/** `retort log`'s one line per history row (src/commands/log.ts formatLogLine). */
import { expect, test } from "bun:test";
import { formatLogLine } from "../../src/commands/log.ts";
import { interruptedFailure } from "../../src/history/rows.ts";
import { historyRow } from "./row-fixture.ts";

const row = historyRow;

test("a successful step reads as heads before -> heads after", () => {
  expect(formatLogLine(row({}))).toBe("2026-12-07 10:04:11  upgrade  ffa7dce781be -> dadf308f3867  84 ms  ok  deploy@web-1  retort 0.2.0");
});

test("a failed step names its revision as failed and where alembic_version was left, with no arrow to base", () => {
  // as the runner writes it: heads_after is where the rollback left alembic_version
  const failed = row({ headsAfter: [], success: false, sqlstate: "42P07", error: 'relation "t" already exists' });
  expect(formatLogLine(failed)).toBe(
    '2026-12-07 10:04:11  upgrade  dadf308f3867 failed (alembic_version left at <base>)  84 ms  FAILED  deploy@web-1  retort 0.2.0  42P07 relation "t" already exists',
  );
});

test("a step stopped by a signal reads as interrupted", () => {
  const stopped = row({ kind: "downgrade", headsBefore: ["dadf308f3867"], headsAfter: ["dadf308f3867"], success: false, ...interruptedFailure("SIGINT") });
  const line = formatLogLine(stopped);
  expect(line).toContain("  downgrade  dadf308f3867 interrupted (alembic_version left at dadf308f3867)  84 ms  FAILED  ");
  expect(line).not.toContain("->");
});
