/** CLI definition of `retort stamp REVISION...`. */
import { defineCommand } from "citty";
import { stamp } from "../../commands/stamp.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { migrateArgs, migrateOutput } from "./migrate-args.ts";

export default defineCommand({
  meta: { name: "stamp", description: "Set the version table to the given revision(s) without running migrations" },
  args: {
    revisions: { type: "positional", required: false, valueHint: "REVISION...", description: "revision(s) to stamp, e.g. head" },
    purge: { type: "boolean", description: "empty the version table first" },
    ...migrateArgs,
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    if (args._.length === 0) throw new UsageError("stamp needs at least one revision, e.g. `retort stamp head`");
    const options = await ctx.migrationOptions(args);
    const fleet = await import("../fleet.ts");
    if (fleet.isFleet(ctx)) return fleet.runFleetMigration(ctx, "stamp", args._, options, (o) => stamp({ ...o, targets: args._, purge: args.purge ?? false }));
    const result = await stamp({ ...options, targets: args._, purge: args.purge ?? false });
    ctx.output.result(migrateOutput(result));
  },
});
