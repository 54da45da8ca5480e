/**
 * The rows a run writes to the history table: who runs it (one run id per
 * invocation, the OS user and host, retort's version), one row per step,
 * the adoption baseline and --allow-changed acceptances. Pure apart from
 * reading the OS user and host name once.
 */
import { readFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { TOOL_VERSION } from "../cli/version.ts";
import type { ChecksumProblem } from "./compare.ts";
import type { HistoryKind, HistoryRow } from "./table.ts";

/** What every row of one invocation shares. */
export interface Invocation {
  readonly runId: string;
  readonly osUser: string | null;
  readonly host: string | null;
  readonly retortVersion: string;
}

/** A new run id, with this machine's user and host (null in --sql scripts: the machine that runs them is unknown). */
export function newInvocation(offline = false): Invocation {
  return { runId: crypto.randomUUID(), osUser: offline ? null : osUser(), host: offline ? null : safeHostname(), retortVersion: TOOL_VERSION };
}

function osUser(): string | null {
  const fromEnv = process.env.USER || process.env.LOGNAME || null;
  try {
    const info = userInfo();
    // Bun answers "unknown" where $USER is unset: look the uid up in /etc/passwd as libc would
    if (info.username !== "" && info.username !== "unknown") return info.username;
    return fromEnv ?? passwdName(info.uid) ?? info.username;
  } catch {
    // no passwd entry for the uid (containers)
    return fromEnv;
  }
}

/** The login name of `uid` in /etc/passwd, if there is one. */
function passwdName(uid: number): string | null {
  try {
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const [name, , id] = line.split(":");
      if (name && id === String(uid)) return name;
    }
  } catch {
    // no /etc/passwd (Windows, minimal containers)
  }
  return null;
}

function safeHostname(): string | null {
  try {
    return hostname();
  } catch {
    return null;
  }
}

/** What a step row says beyond the invocation. */
export interface StepOutcome {
  readonly kind: Extract<HistoryKind, "upgrade" | "downgrade" | "stamp">;
  readonly revision: string;
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  readonly checksum: string | null;
  readonly startedAt: Date | null;
  readonly durationMs: number | null;
  /** absent: success */
  readonly failure?: { readonly sqlstate: string | null; readonly error: string } | undefined;
}

/** The failure a step stopped by a signal records (no SQLSTATE: nothing failed in the database). */
export function interruptedFailure(signal: string): { sqlstate: null; error: string } {
  return { sqlstate: null, error: `interrupted by ${signal}` };
}

/** Whether a failed row is a step stopped by a signal (see interruptedFailure). */
export function wasInterrupted(row: Pick<HistoryRow, "success" | "sqlstate" | "error">): boolean {
  return !row.success && row.sqlstate === null && /^interrupted by SIG[A-Z]+$/.test(row.error ?? "");
}

/** The row of one step (successful or failed). */
export function stepRow(inv: Invocation, outcome: StepOutcome): HistoryRow {
  return {
    ...inv,
    revision: outcome.revision,
    kind: outcome.kind,
    headsBefore: outcome.headsBefore,
    headsAfter: outcome.headsAfter,
    checksum: outcome.checksum,
    startedAt: outcome.startedAt,
    durationMs: outcome.durationMs,
    success: outcome.failure === undefined,
    sqlstate: outcome.failure?.sqlstate ?? null,
    error: outcome.failure?.error ?? null,
  };
}

/** Adoption: one row per current head, checksum unknown, when the history table is first created on a database that already has heads. */
export function baselineRows(inv: Invocation, heads: readonly string[], at: Date | null): HistoryRow[] {
  return heads.map((revision) => stepLike(inv, "baseline", revision, heads, null, at));
}

/** --allow-changed: one row per accepted problem, carrying the file's new checksum (null for a vanished file: no longer checked). */
export function acceptRows(inv: Invocation, problems: readonly ChecksumProblem[], heads: readonly string[], at: Date | null): HistoryRow[] {
  return problems.filter((p) => p.allowed).map((p) => stepLike(inv, "accept", p.revision, heads, p.current, at));
}

function stepLike(inv: Invocation, kind: HistoryKind, revision: string, heads: readonly string[], checksum: string | null, at: Date | null): HistoryRow {
  return {
    ...inv,
    revision,
    kind,
    headsBefore: heads,
    headsAfter: heads,
    checksum,
    startedAt: at,
    durationMs: at === null ? null : 0,
    success: true,
    sqlstate: null,
    error: null,
  };
}
