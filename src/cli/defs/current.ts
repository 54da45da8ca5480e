/** CLI definition of `retort current [-v]`. */
import { defineCommand } from "citty";
import { current } from "../../commands/current.ts";
import { formatCurrent } from "../../core/format.ts";
import { currentRevisions } from "../../core/history.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "current", description: "Display the current revision(s) of the database" },
  args: {},
  async run({ data }) {
    const ctx = data as CliContext;
    const fleet = await import("../fleet.ts");
    if (fleet.isFleet(ctx)) return fleet.runFleetCurrent(ctx);
    const graph = await ctx.graph();
    const result = await current({ ...ctx.databaseReadOptions(), graph });
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
    ctx.output.result({ text: header + formatCurrent(graph, ids, { verbose: ctx.globals.verbose }) + unknownLines, json: result });
  },
});
