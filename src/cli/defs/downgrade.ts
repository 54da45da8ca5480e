/** CLI definition of `retort downgrade REVISION`. */
import { defineCommand } from "citty";
import { downgrade } from "../../commands/downgrade.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { migrateArgs, migrateOutput } from "./migrate-args.ts";

export default defineCommand({
  meta: { name: "downgrade", description: "Revert to a previous revision" },
  args: {
    revision: { type: "positional", required: false, description: "target revision, e.g. -1 (from:to with --sql)" },
    ...migrateArgs,
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const [target, ...extra] = args._;
    if (target === undefined) throw new UsageError("downgrade needs a target revision, e.g. `retort downgrade -1`");
    if (extra.length > 0) throw new UsageError(`downgrade takes one target revision, got: ${args._.join(" ")}`);
    const options = await ctx.migrationOptions(args);
    const result = await downgrade({ ...options, target });
    ctx.output.result(migrateOutput(result));
  },
});
