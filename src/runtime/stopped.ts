/**
 * What to say when a run is stopped from outside: by a signal (Ctrl-C,
 * SIGTERM) or by losing the connection. Names the revision that was running
 * and what alembic_version holds now, read after the rollback.
 */
import type { PlannedStep } from "../core/types.ts";
import { ConnectionLostError, InterruptedError, RetortError } from "../errors.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { describeStep } from "./runner.ts";
import type { VersionTableName } from "./version-table.ts";

/** Where a run was when it stopped. */
export interface RunProgress {
  /** "lock": waiting for the migration lock; "run": planning or running steps */
  phase: "open" | "lock" | "run";
  /** the step that had started last, if any */
  step: PlannedStep | undefined;
}

/** What explainStop needs to know about the run. */
export interface StopContext {
  readonly progress: RunProgress;
  readonly signal: AbortSignal | undefined;
  readonly table: VersionTableName;
  readonly revisions: ReadonlyMap<string, LoadedRevision>;
  /** the heads now: on the run's own engine after an interrupt, on a fresh connection after a lost one */
  readonly readHeads: (fresh: boolean) => Promise<string[]>;
}

/** The signal an AbortSignal was aborted with ("SIGINT" unless it says "SIGTERM"). */
export function signalName(signal: AbortSignal): "SIGINT" | "SIGTERM" {
  return signal.reason === "SIGTERM" ? "SIGTERM" : "SIGINT";
}

/** An InterruptedError for a signal that came before the run touched anything. */
export function interruptedBeforeStart(signal: AbortSignal): InterruptedError {
  return new InterruptedError(signalName(signal), "interrupted before the run started; nothing was done");
}

/**
 * The error to report for a run that failed with `error`: an interrupt
 * (the signal was aborted) or a lost connection gets its full story; any
 * other error is returned unchanged.
 */
export async function explainStop(error: unknown, context: StopContext): Promise<unknown> {
  if (error instanceof InterruptedError) return error;
  const interrupted = context.signal?.aborted === true;
  if (!interrupted && !(error instanceof ConnectionLostError)) return error;
  const { progress } = context;
  const step = progress.phase === "run" ? progress.step : undefined;
  const during =
    step !== undefined
      ? `revision ${step.revision} (${describeStep(step)})`
      : progress.phase === "lock"
        ? "the wait for the migration lock"
        : progress.phase === "open"
          ? "the connection to the database"
          : "the run, before any revision ran";
  const outside = step?.run != null && context.revisions.get(step.run)?.transaction === false;
  const rolledBack =
    step === undefined
      ? "no revision ran"
      : outside
        ? `revision ${step.revision} runs outside a transaction: its statements before the stopped one stay applied`
        : interrupted
          ? "rolled back"
          : "the server rolled back what was not committed";
  let heads: string;
  try {
    const rows = await context.readHeads(!interrupted);
    heads = `${context.table.name} is at ${rows.length > 0 ? rows.join(", ") : "<base>"}`;
  } catch (readError) {
    const why = readError instanceof RetortError ? readError.message : String(readError);
    heads = `${context.table.name} could not be read afterwards (${why}); check it with \`retort current\``;
  }
  if (interrupted) {
    return new InterruptedError(signalName(context.signal as AbortSignal), `interrupted during ${during}; ${rolledBack}; ${heads}`);
  }
  const lost = error as ConnectionLostError;
  return new ConnectionLostError(lost.displayUrl, lost.reason, during, `${rolledBack}; ${heads}`);
}
