/** CLI definition of `retort upgrade REVISION`. */
import { defineCommand } from "citty";
import { upgrade } from "../../commands/upgrade.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { migrateArgs, migrateOutput } from "./migrate-args.ts";

export default defineCommand({
  meta: { name: "upgrade", description: "Upgrade to a later revision" },
  args: {
    revision: { type: "positional", required: false, description: "target revision, e.g. head (from:to with --sql)" },
    ...migrateArgs,
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const [target, ...extra] = args._;
    if (target === undefined) throw new UsageError("upgrade needs a target revision, e.g. `retort upgrade head`");
    if (extra.length > 0) throw new UsageError(`upgrade takes one target revision, got: ${args._.join(" ")}`);
    const options = await ctx.migrationOptions(args);
    const result = await upgrade({ ...options, target });
    ctx.output.result(migrateOutput(result));
  },
});
