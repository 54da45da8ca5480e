/** CLI definition of `retort diff`: the live database against its revision history (drift). */
import { defineCommand } from "citty";
import { diffDatabase } from "../../commands/diff.ts";
import { DifferencesFound } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { filterArgs, lockTimeoutArgs } from "./shared.ts";

export default defineCommand({
  meta: { name: "diff", description: "Show, as SQL, how the live database differs from its revision history" },
  args: { ...filterArgs, ...lockTimeoutArgs },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const fleet = await import("../fleet.ts");
    if (fleet.isFleet(ctx)) return fleet.runFleetDiff(ctx, ctx.lockTimeoutSeconds(args.lockTimeout));
    const result = await diffDatabase({
      url: ctx.databaseUrl(),
      engineOptions: ctx.engineReadOptions(args),
      revisions: await ctx.revisions(),
      filter: ctx.objectFilter(args),
      cache: ctx.cacheStore(),
      ...ctx.versionTable(),
      historyTable: ctx.historyTable(),
      log: (line) => ctx.log.info(line),
      warn: (line) => ctx.log.warn(line),
      debug: (line) => ctx.log.debug(line),
    });
    ctx.output.result({
      text: result.differences ? result.sql : "No drift detected.",
      verbatim: result.differences,
      json: { differences: result.differences, url: result.url, heads: result.heads, drift: result.drift, sql: result.sql, timings: result.timings },
    });
    if (result.differences) {
      throw new DifferencesFound(`${result.url} differs from its revision history at ${result.heads.join(", ") || "base"} (${result.drift.length} change(s))`);
    }
  },
});
