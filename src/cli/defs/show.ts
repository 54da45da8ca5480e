/** CLI definition of `retort show REVISION`. */
import { defineCommand } from "citty";
import { formatShow, revisionJson } from "../../core/format.ts";
import { show } from "../../commands/show.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { lockTimeoutArgs } from "./shared.ts";

export default defineCommand({
  meta: { name: "show", description: "Show the revision(s) denoted by the given symbol" },
  args: {
    rev: { type: "positional", required: false, valueHint: "REVISION", description: "revision, e.g. head, an id prefix, label@head" },
    ...lockTimeoutArgs,
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const [rev, ...extra] = args._;
    if (rev === undefined || extra.length > 0) throw new UsageError("show takes one revision, e.g. `retort show head`");
    ctx.lockTimeoutSeconds(args.lockTimeout); // a bad value is exit 2 whatever the revision
    const graph = await ctx.graph();
    // as Alembic's `show current`: the revisions the database is at (none: nothing printed)
    const ids = await show(graph, rev, rev === "current" ? ctx.databaseReadOptions(args) : undefined);
    ctx.output.result({ text: formatShow(graph, ids), json: { revisions: ids.map((id) => revisionJson(graph, id)) } });
  },
});

