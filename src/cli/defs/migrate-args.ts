/** Flags shared by upgrade, downgrade and stamp, and how their results print. */
import type { MigrateResult } from "../../runtime/migrate.ts";
import type { CommandOutput } from "../output.ts";

/** --sql, --transaction-per-migration, --lock-timeout. */
export const migrateArgs = {
  sql: { type: "boolean", description: "print the SQL script instead of running it (no connection)" },
  transactionPerMigration: { type: "boolean", description: "one transaction per revision instead of one per run" },
  lockTimeout: { type: "string", description: "seconds to wait for the migration lock (default 60)" },
} as const;

/** Text: the script in --sql mode, nothing otherwise (steps are logged on stderr). JSON: the result. */
export function migrateOutput(result: MigrateResult): CommandOutput {
  const { sql, ...rest } = result;
  return { text: sql ?? "", json: sql === undefined ? rest : { ...rest, sql } };
}
