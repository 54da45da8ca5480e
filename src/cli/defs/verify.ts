/** CLI definition of `retort verify [RANGE]`: every revision up, down, up again; exit 1 when a downgrade does not restore its parent's schema. */
import { defineCommand } from "citty";
import { verifyRevisions } from "../../commands/verify.ts";
import { DifferencesFound, UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { lockTimeoutArgs } from "./shared.ts";

export default defineCommand({
  meta: { name: "verify", description: "Check that every revision's downgrade restores its parent's schema (in a scratch database)" },
  args: {
    range: { type: "positional", required: false, description: "REV, or A:B (inclusive; default: every revision)" },
    strict: { type: "boolean", description: "irreversible revisions (no downgrade section) are errors, not warnings" },
    ...lockTimeoutArgs,
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const [range, ...extra] = args._;
    if (extra.length > 0) throw new UsageError("verify takes at most one range, e.g. `retort verify` or `retort verify base:head`");
    const result = await verifyRevisions({
      revisions: await ctx.revisions(),
      range,
      // only an explicit --url: verify never touches the configured database
      url: ctx.globals.url,
      engineOptions: ctx.engineReadOptions(args),
      cache: ctx.cacheStore(),
      strict: args.strict === true,
      ...ctx.versionTable(),
      log: (line) => ctx.log.info(line),
      warn: (line) => ctx.log.warn(line),
      debug: (line) => ctx.log.debug(line),
    });
    const verified = result.revisions.filter((r) => r.status === "ok").length;
    const message = result.ok
      ? `Verified ${verified} revision(s)${result.irreversible.length > 0 ? `; ${result.irreversible.length} irreversible` : ""}`
      : result.firstFailure !== null && result.revisions.some((r) => r.revision === result.firstFailure && r.status !== "irreversible")
        ? `Revision ${result.firstFailure} does not round-trip`
        : `${result.irreversible.length} irreversible revision(s) (--strict): ${result.irreversible.join(", ")}`;
    ctx.output.result({ text: message, json: result });
    if (!result.ok) throw new DifferencesFound(message);
  },
});
