/** CLI definition of `retort dump [-r REV]`: the schema the revisions build, as SQL on stdout. */
import { defineCommand } from "citty";
import { dumpSchema } from "../../commands/dump.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "dump", description: "Print the schema the revisions build (at head, or at -r REV) as SQL in dependency order" },
  args: {
    revision: { type: "string", alias: "r", description: "the revision to dump the schema at (default: head)" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const result = await dumpSchema({ revisions: await ctx.revisions(), revision: args.revision, warn: (line) => ctx.log.warn(line) });
    const at = result.heads.length > 0 ? result.heads.join(", ") : "base";
    ctx.output.result({
      text: `-- Schema at ${at}, written by retort dump\n\n${result.sql}`,
      json: { heads: result.heads, sql: result.sql, timings: result.timings },
    });
  },
});
