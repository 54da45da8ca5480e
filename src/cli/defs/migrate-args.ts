/** Flags shared by upgrade, downgrade and stamp, and how their results print. */
import { defineCommand, type ArgsDef } from "citty";
import type { MigrationCommandOptions } from "../../commands/shared-db.ts";
import { UsageError } from "../../errors.ts";
import type { MigrateResult } from "../../runtime/migrate.ts";
import type { CliContext } from "../context.ts";
import type { CommandOutput } from "../output.ts";

/** --sql, --transaction-per-migration, --lock-timeout. */
export const migrateArgs = {
  sql: { type: "boolean", description: "print the SQL script instead of running it (no connection)" },
  transactionPerMigration: { type: "boolean", description: "one transaction per revision instead of one per run" },
  lockTimeout: { type: "string", valueHint: "SECONDS", description: "seconds to wait for the migration lock, or a pglite:<dir> database's directory lock (default 60, or lock_timeout)" },
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
  hooks?: {
    readonly args: ArgsDef;
    /** runs before the migration, with the options it will get (upgrade lints the pending revisions here) */
    readonly before: (ctx: CliContext, args: Record<string, unknown>, options: MigrationCommandOptions, target: string) => Promise<void>;
  },
) {
  return defineCommand({
    meta: { name, description },
    args: {
      revision: { type: "positional", required: false, valueHint: "REVISION", description: `target revision, e.g. ${example} (from:to with --sql)` },
      ...migrateArgs,
      allowChanged: { type: "string", valueHint: "REV", description: "accept the changed (or vanished) file of this applied revision; repeatable" },
      ...hooks?.args,
    },
    async run({ args, data }) {
      const ctx = data as CliContext;
      const [target, ...extra] = args._;
      if (target === undefined) throw new UsageError(`${name} needs a target revision, e.g. \`retort ${name} ${example}\``);
      if (extra.length > 0) throw new UsageError(`${name} takes one target revision, got: ${args._.join(" ")}`);
      const fleet = await import("../fleet.ts");
      if (fleet.isFleet(ctx)) return fleet.runFleetMigration(ctx, name, [target], { ...(await ctx.migrationOptions(args)), allowChanged: listOption(args.allowChanged) }, (o) => run({ ...o, target }));
      const options = { ...(await ctx.migrationOptions(args)), allowChanged: listOption(args.allowChanged) };
      await hooks?.before(ctx, args, options, target);
      const result = await run({ ...options, target }).catch((error: unknown) => {
        throw ctx.explain(error);
      });
      ctx.output.result(migrateOutput(result));
    },
  });
}

/** A repeatable option's values: argv.ts joins repeated values with commas (`--x a --x=b` and `--x a,b` give [a, b]). */
function listOption(value: string | undefined): string[] {
  return (value ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "");
}
