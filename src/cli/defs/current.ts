/** CLI definition of `retort current [-v]`. */
import { defineCommand } from "citty";
import { current } from "../../commands/current.ts";
import { formatCurrent } from "../../core/format.ts";
import { currentRevisions } from "../../core/history.ts";
import type { AppliedInfo } from "../../commands/current.ts";
import { formatTimestamp } from "../../history/compare.ts";
import type { CliContext } from "../context.ts";
import { lockTimeoutArgs } from "./shared.ts";

export default defineCommand({
  meta: { name: "current", description: "Display the current revision(s) of the database" },
  args: { ...lockTimeoutArgs },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const fleet = await import("../fleet.ts");
    if (fleet.isFleet(ctx)) return fleet.runFleetCurrent(ctx, ctx.lockTimeoutSeconds(args.lockTimeout));
    const graph = await ctx.graph();
    const verbose = ctx.globals.verbose;
    const result = await current({ ...ctx.databaseReadOptions(args), graph, withHistory: verbose, historyTable: ctx.historyTable() });
    // current() already says which rows the graph knows
    const ids = currentRevisions(graph, result.entries.filter((e) => e.known).map((e) => e.revision));
    const unknown = result.entries.filter((e) => !e.known).map((e) => e.revision);
    const embedded = ctx.usingEmbedded();
    for (const id of unknown) {
      ctx.log.warn(
        embedded === null
          ? `the version table holds ${id}, which no revision file defines (revisions from ${ctx.revisionsDir()})`
          : `the version table holds ${id}, which this executable does not know (it embeds revisions up to ${embedded.join(", ")}): the database may have been migrated by a newer release`,
      );
    }
    const header = ctx.globals.verbose ? `Current revision(s) for ${result.url}:\n` : "";
    const unknownLines = unknown.map((id) => `${id} (unknown revision)\n`).join("");
    // -v: each head's block ends with when and by whom the history table says it was applied
    const applied = new Map(result.entries.map((e) => [e.revision, e.applied]));
    const body = verbose ? ids.map((id) => formatCurrent(graph, [id], { verbose }) + appliedLine(applied.get(id))).join("") : formatCurrent(graph, ids, {});
    ctx.output.result({ text: header + body + unknownLines, json: result });
  },
});

/** "Applied: 2026-12-07 10:04:11 UTC by deploy@web-1 (database user app), retort 0.2.0", or why it is not known. */
function appliedLine(info: AppliedInfo | undefined): string {
  if (info === undefined) return "Applied: not recorded (no history row)\n";
  const what = info.kind === "baseline" ? "Adopted (applied before the history table existed)" : info.kind === "upgrade" ? "Applied" : info.kind === "accept" ? "Change accepted" : info.kind === "stamp" ? "Stamped" : "Recorded";
  return `${what}: ${formatTimestamp(new Date(info.at))} UTC by ${info.by}, retort ${info.retortVersion}\n`;
}
