/** CLI definition of `retort show REVISION`. */
import { defineCommand } from "citty";
import { formatShow, revisionJson } from "../../core/format.ts";
import { resolveRevisions } from "../../core/resolve.ts";
import { ResolutionError, UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "show", description: "Show the revision(s) denoted by the given symbol" },
  args: {
    rev: { type: "positional", required: false, valueHint: "REVISION", description: "revision, e.g. head, an id prefix, label@head" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const [rev, ...extra] = args._;
    if (rev === undefined || extra.length > 0) throw new UsageError("show takes one revision, e.g. `retort show head`");
    const graph = await ctx.graph();
    // as Alembic's `show current`: the revisions the database is at (none: nothing printed)
    const ids = rev === "current" ? await currentIds(ctx) : resolveRevisions(graph, rev);
    ctx.output.result({ text: formatShow(graph, ids), json: { revisions: ids.map((id) => revisionJson(graph, id)) } });
  },
});

/** The known revisions alembic_version holds (read-only; unknown rows are reported by `current`). */
async function currentIds(ctx: CliContext): Promise<string[]> {
  const { current } = await import("../../commands/current.ts");
  const result = await current({ url: ctx.databaseUrl(), graph: await ctx.graph(), ...ctx.versionTable() });
  const unknown = result.entries.filter((e) => !e.known).map((e) => e.revision);
  if (unknown.length > 0) throw new ResolutionError(`Can't locate revision identified by '${unknown.join(", ")}', which the version table lists as current`, unknown[0]!);
  return result.entries.map((e) => e.revision);
}
