/**
 * What a fleet run reports (pure): one outcome per target, the progress
 * lines on stderr, the closing table, the --json document, and the matrix
 * `current` prints for a fleet.
 */
import type { RevisionGraph } from "../core/graph.ts";
import { ExitCode, RetortError } from "../errors.ts";
import type { StepResult } from "../runtime/runner.ts";
import { formatDuration } from "../runtime/runner.ts";
import type { FleetTarget } from "./targets.ts";
import type { Finished, SkipReason, TargetStatus } from "./schedule.ts";

/** A target's error, as shown and as put into --json. */
export interface TargetError {
  readonly kind: string;
  readonly message: string;
  readonly exitCode: number;
}

/** How one target of a migrating run ended. */
export interface TargetOutcome extends Finished {
  /** URL#schema, redacted */
  readonly target: string;
  readonly schema: string | null;
  readonly status: TargetStatus;
  /** heads before and after (empty when the target was never read) */
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly steps: readonly StepResult[];
  readonly durationMs: number;
  readonly error: TargetError | null;
  /** what the progress line says of a target that succeeded, when the command is not a migration (lint, validate, ...) */
  readonly note?: string;
}

/** A thrown value as a TargetError (any RetortError keeps its exit code; anything else is exit 1). */
export function targetError(error: unknown): TargetError {
  if (error instanceof RetortError) return { kind: error.name, message: error.message, exitCode: error.exitCode };
  return { kind: "InternalError", message: error instanceof Error ? error.message : String(error), exitCode: ExitCode.failed };
}

/** A failed outcome from an error: exit 3 (unreachable, lock timeout) is "unreachable", every other one "failed". */
export function failedOutcome(target: FleetTarget, error: TargetError, durationMs: number): TargetOutcome {
  return {
    target: target.label,
    schema: target.schema,
    status: error.exitCode === ExitCode.unavailable ? "unreachable" : "failed",
    exitCode: error.exitCode,
    from: [],
    to: [],
    steps: [],
    durationMs,
    error,
  };
}

/** A target that never started. */
export function skippedOutcome(target: FleetTarget, reason: SkipReason): TargetOutcome {
  const message =
    reason === "canary"
      ? "not started: a canary target did not succeed"
      : reason === "interrupted"
        ? "not started: the run was interrupted"
        : "not started: --fail-fast and another target failed";
  return { target: target.label, schema: target.schema, status: "skipped", from: [], to: [], steps: [], durationMs: 0, error: { kind: "Skipped", message, exitCode: 0 } };
}

/** Counts by status. */
export interface FleetSummary {
  readonly total: number;
  readonly ok: number;
  readonly failed: number;
  readonly unreachable: number;
  readonly skipped: number;
}

/** Count outcomes by status. */
export function summarize(outcomes: readonly Finished[]): FleetSummary {
  const count = (status: TargetStatus) => outcomes.filter((o) => o.status === status).length;
  return { total: outcomes.length, ok: count("ok"), failed: count("failed"), unreachable: count("unreachable"), skipped: count("skipped") };
}

/** "24 ok, 1 failed, 1 unreachable" (zero counts left out; "nothing" for an empty run). */
export function summaryText(summary: FleetSummary): string {
  const parts = (["ok", "failed", "unreachable", "skipped"] as const).filter((k) => summary[k] > 0).map((k) => `${summary[k]} ${k}`);
  return `${summary.total} target(s): ${parts.join(", ") || "nothing"}`;
}

/** How a command's progress names a target's status: a migration by the status itself, `current` as its matrix does (STATUS_AS_CURRENT). */
export type StatusWord = (status: TargetStatus) => string;

/** `current`'s words: a target that could not be read is unreachable, error or skipped, as in its matrix (unreadState). */
export const STATUS_AS_CURRENT: StatusWord = (status) => (status === "ok" ? "ok" : unreadState(status));

/** The live line a terminal shows while the run goes on: a count of failed targets, or the count per word (`current`: per matrix state). */
export function progressLine(done: number, total: number, running: number, failed: number | Readonly<Record<string, number>>): string {
  const counts = typeof failed === "number" ? `, ${failed} failed` : Object.entries(failed).map(([word, n]) => `, ${n} ${word}`).join("");
  return `fleet: ${done}/${total} done, ${running} running${counts}`;
}

/** Short revision list: "base" for none. */
export function headList(ids: readonly string[]): string {
  return ids.length === 0 ? "base" : ids.join(",");
}

/** "a → b" of an outcome (blank when it never got that far). */
function fromTo(outcome: TargetOutcome): string {
  if (outcome.status === "skipped" || (outcome.error !== null && outcome.from.length === 0 && outcome.to.length === 0)) return "";
  return `${headList(outcome.from)} → ${headList(outcome.to)}`;
}

/** One line per finished target (stderr when it is not a terminal). */
export function finishedLine(outcome: TargetOutcome, done: number, total: number, word: StatusWord = (status) => status): string {
  const what =
    outcome.error !== null
      ? outcome.error.message
      : outcome.note !== undefined
        ? outcome.note
        : outcome.steps.length === 0
          ? `at ${headList(outcome.to)}, nothing to do`
          : `${fromTo(outcome)}, ${outcome.steps.length} step(s)`;
  return `[${done}/${total}] ${word(outcome.status)} ${outcome.target} (${formatDuration(outcome.durationMs)}): ${what}`;
}

/** Columns padded to their widest cell. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd()).join("\n");
}

/** The closing table (target, from → to, steps, duration, status), the errors below it, and the summary line. */
export function formatFleetTable(outcomes: readonly TargetOutcome[]): string {
  const rows = [["TARGET", "FROM → TO", "STEPS", "DURATION", "STATUS"]];
  for (const o of outcomes) rows.push([o.target, fromTo(o), String(o.steps.length), formatDuration(o.durationMs), o.status]);
  const errors = outcomes.filter((o) => o.error !== null && o.status !== "skipped").map((o) => `${o.target}: ${o.error!.message}`);
  return [formatColumns(rows), ...(errors.length > 0 ? ["", ...errors] : []), "", summaryText(summarize(outcomes))].join("\n");
}

/** The --json document of a migrating fleet run (shape in README "Fleets"). */
export function fleetJson(command: string, goal: readonly string[], outcomes: readonly TargetOutcome[], exitCode: number) {
  return {
    command,
    goal,
    exitCode,
    summary: summarize(outcomes),
    targets: outcomes.map((o) => ({
      target: o.target,
      schema: o.schema,
      status: o.status,
      from: o.from,
      to: o.to,
      steps: o.steps,
      durationMs: Math.round(o.durationMs),
      error: o.error,
    })),
  };
}

/**
 * Where a target stands against the revision files: at their heads, behind
 * them, or on a revision they do not define; or why it could not be read:
 * unreachable (a connection error or lock timeout, exit 3), an error of
 * another kind (bad input such as a pglite:<dir> holding other files, exit 2;
 * a failed read, exit 1), or skipped (never started: --canary, --fail-fast).
 */
export type CurrentState = "head" | "behind" | "unknown" | "unreachable" | "error" | "skipped";

/** The state of a target whose read did not succeed, by its outcome's status (so by its error's exit code: failedOutcome). */
export function unreadState(status: Exclude<TargetStatus, "ok">): Extract<CurrentState, "unreachable" | "error" | "skipped"> {
  return status === "failed" ? "error" : status;
}

/** One row of `current` over a fleet. */
export interface CurrentRow {
  readonly target: string;
  readonly schema: string | null;
  readonly heads: readonly string[];
  readonly state: CurrentState;
  /** upgrades between the target and the heads (0 at head; null when unknown or not read) */
  readonly behindBy: number | null;
  readonly error: TargetError | null;
}

/**
 * A target's state: "unknown" when a row names a revision the files do not
 * define (ahead of them, e.g. migrated by a newer release, or foreign),
 * "head" when it holds exactly the graph's heads, else "behind" with the
 * number of revisions an upgrade to heads would run.
 */
export function currentState(graph: RevisionGraph, heads: readonly string[], pending: (heads: readonly string[]) => number): { state: CurrentState; behindBy: number | null } {
  if (heads.some((id) => !graph.has(id))) return { state: "unknown", behindBy: null };
  const behindBy = pending(heads);
  return { state: behindBy === 0 ? "head" : "behind", behindBy };
}

/**
 * The matrix `current` prints for a fleet: one row per target, one column per
 * revision some target is at (graph order, unknown ones last), an `x` where the
 * target is at it, then the state; a summary line below.
 */
export function formatCurrentMatrix(rows: readonly CurrentRow[], order: (ids: readonly string[]) => string[]): string {
  const columns = order([...new Set(rows.flatMap((r) => r.heads))]);
  const table = [["TARGET", ...columns.map((c) => c.slice(0, 12)), "base", "STATE"]];
  for (const row of rows) {
    const read = row.state === "head" || row.state === "behind" || row.state === "unknown";
    // one line per row: a multi-line message (a statement excerpt) keeps its first line
    const state = row.state === "behind" ? `behind (${row.behindBy})` : read ? row.state : `${row.state}: ${(row.error?.message ?? "").split("\n")[0]}`;
    table.push([row.target, ...columns.map((c) => (row.heads.includes(c) ? "x" : ".")), row.heads.length === 0 && read ? "x" : ".", state]);
  }
  const count = (state: CurrentState) => rows.filter((r) => r.state === state).length;
  const extra = ([["error", "with an error"], ["skipped", "skipped"]] as const).filter(([state]) => count(state) > 0).map(([state, words]) => `, ${count(state)} ${words}`);
  const summary =
    `${rows.length} target(s): ${count("head")} at head, ${count("behind")} behind, ` +
    `${count("unknown")} ahead or on an unknown revision (not in these revision files), ${count("unreachable")} unreachable${extra.join("")}`;
  return `${formatColumns(table)}\n\n${summary}`;
}
