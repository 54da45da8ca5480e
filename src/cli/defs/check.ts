/** CLI definition of `retort check`: exit 1 when `revision --autogenerate` would write something. */
import { defineCommand } from "citty";
import { checkSchema } from "../../commands/check.ts";
import { DifferencesFound } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { filterArgs, lockTimeoutArgs } from "./shared.ts";

export default defineCommand({
  meta: { name: "check", description: "Check whether the declarative schema differs from what the revisions build" },
  args: {
    schema: { type: "string", valueHint: "PATH", description: "declarative schema file or directory (default schema.sql)" },
    against: { type: "string", valueHint: "URL", description: "compare this live database (at head) instead of replaying the revisions" },
    ...filterArgs,
    ...lockTimeoutArgs,
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const result = await checkSchema(await ctx.schemaCompareOptions(args));
    const { comparison } = result;
    ctx.output.result({
      // the "Detected …" lines went to stderr as they were found; a failing verdict is the one FAILED line
      text: result.differences ? "" : result.message,
      json: {
        differences: result.differences,
        message: result.message,
        changes: comparison.summary,
        destructive: comparison.destructive,
        upgradeSql: comparison.upgradeSql,
        timings: result.timings,
      },
    });
    if (result.differences) throw new DifferencesFound(result.message);
  },
});
