/**
 * Revision code runs inside retort's process: a TypeScript revision that
 * calls process.exit() or throws from a timer must fail the run (rollback,
 * exit 1, the revision named), not end the process half done or let it
 * commit. While the guard is up, process.exit throws RevisionExit, and
 * uncaught exceptions and unhandled rejections are kept for the runner.
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

/** Put the guard up (nesting is fine: each release restores what it replaced). */
export function guardProcess(): ProcessGuard {
  let escaped: Error | undefined;
  const exit = process.exit;
  process.exit = ((code?: unknown) => {
    const error = new RevisionExit(code);
    escaped ??= error;
    throw error;
  }) as typeof process.exit;
  const onException = (error: unknown) => {
    escaped ??= error instanceof RevisionExit ? error : new EscapedError(error, "uncaughtException");
  };
  const onRejection = (error: unknown) => {
    escaped ??= error instanceof RevisionExit ? error : new EscapedError(error, "unhandledRejection");
  };
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  return {
    escaped: () => escaped,
    release() {
      process.exit = exit;
      process.off("uncaughtException", onException);
      process.off("unhandledRejection", onRejection);
    },
  };
}

/** Let timers and rejections that are already due fire (one turn of the event loop). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
