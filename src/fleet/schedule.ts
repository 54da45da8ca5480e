/**
 * The fleet scheduler (no database, no output): run one function per target
 * with at most `jobs` at once, canaries first, stop starting new targets on
 * the first failure with fail-fast, and fold the statuses into one exit code.
 */
import { ExitCode, UsageError } from "../errors.ts";

/** How one target ended. */
export type TargetStatus = "ok" | "failed" | "unreachable" | "skipped";

/** What the scheduler needs to know of a finished target. */
export interface Finished {
  readonly status: TargetStatus;
  /** the exit code of the target's error (1 failed, 2 bad input, 3 unreachable); absent when ok or skipped */
  readonly exitCode?: number | undefined;
}

/** --jobs, --canary, --fail-fast. */
export interface ScheduleOptions {
  /** targets running at once (and so connections per server) */
  readonly jobs: number;
  /** the first N targets run before any other; the rest only if all of them were ok */
  readonly canary: number;
  /** once a target failed or was unreachable, start no further one */
  readonly failFast: boolean;
}

/** Default --jobs. */
export const DEFAULT_JOBS = 4;

/** --jobs/--canary text as numbers (exit 2 on anything but a whole number in range). */
export function parseScheduleOptions(flags: { jobs?: string | undefined; canary?: string | undefined; failFast?: boolean | undefined }): ScheduleOptions {
  const whole = (name: string, value: string | undefined, min: number, fallback: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new UsageError(`${name} takes a whole number ${min === 1 ? "of at least 1" : "(0 or more)"}, got '${value}'`);
    }
    return n;
  };
  return { jobs: whole("--jobs", flags.jobs, 1, DEFAULT_JOBS), canary: whole("--canary", flags.canary, 0, 0), failFast: flags.failFast === true };
}

/** Why a target never started. */
export type SkipReason = "canary" | "fail-fast" | "interrupted";

/** Exit codes of a target stopped by SIGINT (130) or SIGTERM (143): the whole run stops, whatever --fail-fast says. */
function interrupted(outcome: Finished): boolean {
  return outcome.exitCode === 130 || outcome.exitCode === 143;
}

/** Callbacks for progress reporting. */
export interface ScheduleEvents<O> {
  readonly onStart?: (index: number) => void;
  readonly onFinish?: (index: number, outcome: O) => void;
}

/**
 * Run `run(item, index)` for every item, at most `jobs` at once, and return
 * the outcomes in item order. `run` must not throw (it turns errors into a
 * failed outcome); items that never start get `skip(item, index, reason)`.
 */
export async function schedule<T, O extends Finished>(
  items: readonly T[],
  options: ScheduleOptions,
  run: (item: T, index: number) => Promise<O>,
  skip: (item: T, index: number, reason: SkipReason) => O,
  events: ScheduleEvents<O> = {},
): Promise<O[]> {
  const outcomes: (O | undefined)[] = new Array(items.length).fill(undefined);
  let stopped: SkipReason | null = null;
  const pool = async (from: number, to: number) => {
    let next = from;
    const worker = async () => {
      while (next < to) {
        const index = next++;
        if (stopped !== null) {
          outcomes[index] = skip(items[index]!, index, stopped);
          continue;
        }
        events.onStart?.(index);
        const outcome = await run(items[index]!, index);
        outcomes[index] = outcome;
        events.onFinish?.(index, outcome);
        if (interrupted(outcome)) stopped = "interrupted";
        else if (options.failFast && isFailure(outcome)) stopped ??= "fail-fast";
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.jobs, to - from) }, worker));
  };
  const canaries = Math.min(options.canary, items.length);
  await pool(0, canaries);
  if (outcomes.slice(0, canaries).some((o) => o !== undefined && o.status !== "ok")) stopped ??= "canary";
  if (outcomes.some((o) => o !== undefined && interrupted(o))) stopped = "interrupted";
  await pool(canaries, items.length);
  return outcomes as O[];
}

function isFailure(outcome: Finished): boolean {
  return outcome.status === "failed" || outcome.status === "unreachable";
}

/**
 * The exit code of a whole run: 1 when any target failed, else 3 when any
 * was unreachable, else 0. A run whose only failures are bad input (exit 2,
 * e.g. an unknown revision in every target) exits 2; a run stopped by a
 * signal exits with the signal's code (130, 143).
 */
export function fleetExitCode(outcomes: readonly Finished[]): number {
  const stop = outcomes.find(interrupted);
  if (stop !== undefined) return stop.exitCode!;
  const failed = outcomes.filter((o) => o.status === "failed");
  if (failed.length > 0) return failed.every((o) => o.exitCode === ExitCode.usage) ? ExitCode.usage : ExitCode.failed;
  if (outcomes.some((o) => o.status === "unreachable")) return ExitCode.unavailable;
  return ExitCode.ok;
}

/**
 * Runs functions so that two with the same key never overlap (in call
 * order); a null key runs at once. Targets that share a PGlite directory
 * take turns: one process may open a data directory only once at a time.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Run `fn` once every earlier call with this key has finished. */
  async run<T>(key: string | null, fn: () => Promise<T>): Promise<T> {
    if (key === null) return fn();
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
