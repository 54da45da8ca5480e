/** CLI definition of `retort validate`: exit 1 when an applied revision's file changed or disappeared. */
import { defineCommand } from "citty";
import { validate } from "../../commands/validate.ts";
import { DifferencesFound } from "../../errors.ts";
import { describeProblem } from "../../history/compare.ts";
import type { CliContext } from "../context.ts";
import { lockTimeoutArgs } from "./shared.ts";

export default defineCommand({
  meta: { name: "validate", description: "Check the revisions the database applied against their files (checksums), without running anything" },
  args: { ...lockTimeoutArgs },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const fleet = await import("../fleet.ts");
    if (fleet.isFleet(ctx)) return fleet.runFleetValidate(ctx, ctx.lockTimeoutSeconds(args.lockTimeout));
    const result = await validate({
      ...ctx.databaseReadOptions(args),
      graph: await ctx.graph(),
      revisions: await ctx.revisionMap(),
      historyTable: ctx.historyTable(),
    });
    const { details, ...json } = result;
    const text = !result.historyExists
      ? `No history table ${result.historyTable} yet: nothing recorded to compare (the next upgrade, downgrade or stamp creates it)`
      : result.ok
        ? `OK: ${result.compared} applied revision(s) with a recorded checksum match their files`
        : details.map(describeProblem).join("\n");
    ctx.output.result({ text, json });
    if (!result.ok) throw new DifferencesFound(`${details.length} applied revision(s) changed or missing since they ran`);
  },
});
