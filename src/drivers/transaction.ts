/** BEGIN/COMMIT around a function, shared by every engine. */

/**
 * Build an engine's transaction(): `run` executes one statement on the
 * engine's single session. A failed COMMIT is rolled back too, so the
 * session is never left inside an aborted transaction.
 */
export function sessionTransaction(run: (sql: string) => Promise<unknown>): <T>(fn: () => Promise<T>) => Promise<T> {
  let inTransaction = false;
  return async function transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (inTransaction) throw new Error("nested engine transactions are not supported");
    inTransaction = true;
    try {
      await run("BEGIN");
      let result: T;
      try {
        result = await fn();
      } catch (error) {
        await run("ROLLBACK").catch(() => {});
        throw error;
      }
      try {
        await run("COMMIT");
      } catch (error) {
        await run("ROLLBACK").catch(() => {});
        throw error;
      }
      return result;
    } finally {
      inTransaction = false;
    }
  };
}
