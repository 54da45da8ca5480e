/** Flags shared by upgrade, downgrade and stamp, and how their results print. */
import { defineCommand } from "citty";
import type { MigrationCommandOptions } from "../../commands/shared-db.ts";
import { UsageError } from "../../errors.ts";
import type { MigrateResult } from "../../runtime/migrate.ts";
import type { CliContext } from "../context.ts";
import type { CommandOutput } from "../output.ts";

/** --sql, --transaction-per-migration, --lock-timeout. */
export const migrateArgs = {
  sql: { type: "boolean", description: "print the SQL script instead of running it (no connection)" },
  transactionPerMigration: { type: "boolean", description: "one transaction per revision instead of one per run" },
  lockTimeout: { type: "string", valueHint: "SECONDS", description: "seconds to wait for the migration lock (default 60)" },
  resolveInterrupted: { type: "boolean", description: "run although a Transaction: false revision was interrupted earlier (after checking the database)" },
} as const;

/** Text: the script in --sql mode, nothing otherwise (steps are logged on stderr). JSON: the result. */
export function migrateOutput(result: MigrateResult): CommandOutput {
  const { sql, ...rest } = result;
  return { text: sql ?? "", verbatim: true, json: sql === undefined ? rest : { ...rest, sql } };
}

/** The definition of upgrade or downgrade: one target revision, the shared flags, the result printed. */
export function singleTargetCommand(
  name: "upgrade" | "downgrade",
  description: string,
  example: string,
  run: (options: MigrationCommandOptions & { target: string }) => Promise<MigrateResult>,
) {
  return defineCommand({
    meta: { name, description },
    args: {
      revision: { type: "positional", required: false, valueHint: "REVISION", description: `target revision, e.g. ${example} (from:to with --sql)` },
      ...migrateArgs,
      allowChanged: { type: "string", valueHint: "REV", description: "accept the changed (or vanished) file of this applied revision; repeatable" },
    },
    async run({ args, data, rawArgs }) {
      const ctx = data as CliContext;
      const [target, ...extra] = args._;
      if (target === undefined) throw new UsageError(`${name} needs a target revision, e.g. \`retort ${name} ${example}\``);
      if (extra.length > 0) throw new UsageError(`${name} takes one target revision, got: ${args._.join(" ")}`);
      const options = { ...(await ctx.migrationOptions(args)), allowChanged: repeatedOption(rawArgs, "--allow-changed") };
      const result = await run({ ...options, target }).catch((error: unknown) => {
        throw ctx.explain(error);
      });
      ctx.output.result(migrateOutput(result));
    },
  });
}

/** Every value of a repeatable option, from the raw arguments (citty keeps only the last): `--x a --x=b` and `--x a,b` give [a, b]. */
export function repeatedOption(rawArgs: readonly string[], flag: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--") break;
    if (arg === flag && rawArgs[i + 1] !== undefined) values.push(rawArgs[++i] as string);
    else if (arg.startsWith(`${flag}=`)) values.push(arg.slice(flag.length + 1));
  }
  return values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}
