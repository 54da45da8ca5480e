/**
 * Revision code runs inside retort's process: a TypeScript revision that
 * calls process.exit() or throws from a timer must fail the run (rollback,
 * exit 1, the revision named), not end the process half done or let it
 * commit. While the guard is up, process.exit throws RevisionExit, and
 * uncaught exceptions and unhandled rejections are kept for the runner
 * (and for the loader, which imports revision modules under a guard too).
 */

/** A revision called process.exit(code). */
export class RevisionExit extends Error {
  constructor(readonly code: unknown) {
    super(`the revision called process.exit(${code === undefined ? "" : String(code)}); revisions must throw an error instead`);
  }
}

/** An error that escaped the revision's promise (a throw in a timer, an unhandled rejection). */
export class EscapedError extends Error {
  constructor(
    readonly error: unknown,
    readonly how: "uncaughtException" | "unhandledRejection",
  ) {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    super(`${how === "uncaughtException" ? "an error thrown outside the revision's promise (e.g. in a timer)" : "an unhandled promise rejection"}: ${what.split("\n")[0]}`, {
      cause: error,
    });
  }
}

/** The guard while it is up: the first escaped error (or process.exit), if any. */
export interface ProcessGuard {
  /** what escaped since the guard went up, if anything */
  escaped(): Error | undefined;
  /** put process.exit and the listeners back */
  release(): void;
}

interface GuardState {
  escaped: Error | undefined;
}

// guards overlap (revision modules are imported in parallel): the process is patched once, while any is up
const active = new Set<GuardState>();
let realExit: typeof process.exit | undefined;

function record(error: Error): void {
  for (const state of active) state.escaped ??= error;
}

const fakeExit = ((code?: unknown) => {
  const error = new RevisionExit(code);
  record(error);
  throw error;
}) as typeof process.exit;
const onException = (error: unknown) => record(error instanceof RevisionExit ? error : new EscapedError(error, "uncaughtException"));
const onRejection = (error: unknown) => record(error instanceof RevisionExit ? error : new EscapedError(error, "unhandledRejection"));

/** Put the guard up; guards may overlap in any order, and the process is restored when the last one is released. */
export function guardProcess(): ProcessGuard {
  const state: GuardState = { escaped: undefined };
  if (active.size === 0) {
    realExit = process.exit;
    process.exit = fakeExit;
    process.on("uncaughtException", onException);
    process.on("unhandledRejection", onRejection);
  }
  active.add(state);
  return {
    escaped: () => state.escaped,
    release() {
      if (!active.delete(state) || active.size > 0) return;
      if (realExit !== undefined) process.exit = realExit;
      process.off("uncaughtException", onException);
      process.off("unhandledRejection", onRejection);
    },
  };
}

/** Let timers and rejections that are already due fire (one turn of the event loop). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
