/** A stored history row for pure tests (log lines, comparisons): a successful upgrade of dadf308f3867 unless overridden. */
import type { StoredHistoryRow } from "../../src/history/table.ts";

export const historyRow = (extra: Partial<StoredHistoryRow> = {}): StoredHistoryRow => ({
  id: 1,
  runId: "4b1f0a34-5d1e-4a57-9d6c-0a5f7f3c2e11",
  revision: "dadf308f3867",
  kind: "upgrade",
  headsBefore: ["ffa7dce781be"],
  headsAfter: ["dadf308f3867"],
  checksum: "ab".repeat(32),
  startedAt: new Date("2026-12-07T10:04:11.250Z"),
  durationMs: 84,
  success: true,
  sqlstate: null,
  error: null,
  dbUser: "app",
  osUser: "deploy",
  host: "web-1",
  retortVersion: "0.2.0",
  ...extra,
});
