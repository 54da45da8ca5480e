/** CLI definition of `retort log [-n N] [--revision REV]`: the history table, newest first. */
import { defineCommand } from "citty";
import { formatLogLine, log } from "../../commands/log.ts";
import { resolveRevisions } from "../../core/resolve.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { lockTimeoutArgs } from "./shared.ts";

export default defineCommand({
  meta: { name: "log", description: "Show the history table: who applied what, when, how long it took, newest first" },
  args: {
    limit: { type: "string", alias: "n", valueHint: "N", description: "at most N rows" },
    revision: { type: "string", valueHint: "REV", description: "only the rows of this revision (id or unique prefix)" },
    ...lockTimeoutArgs,
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const limit = args.limit === undefined ? undefined : Number(args.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new UsageError(`-n takes a whole number of rows, got '${args.limit}'`);
    const revision = args.revision === undefined ? undefined : await revisionId(ctx, args.revision);
    const result = await log({ ...ctx.databaseReadOptions(args), historyTable: ctx.historyTable(), limit, revision });
    const { stored, ...json } = result;
    ctx.output.result({ text: stored.map((row) => `${formatLogLine(row)}\n`).join(""), json });
  },
});

/** The full id of REV when the revision files know it (prefixes, labels), else REV as given (its file may be gone). */
async function revisionId(ctx: CliContext, rev: string): Promise<string> {
  try {
    const [id, ...more] = resolveRevisions(await ctx.graph(), rev);
    if (id !== undefined && more.length === 0) return id;
  } catch {
    // unknown to the files: look for it in the history as written
  }
  return rev;
}
