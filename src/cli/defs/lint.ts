/** CLI definition of `retort lint [REV | RANGE] [--all] [--format text|github]`. */
import { defineCommand } from "citty";
import { lint } from "../../commands/lint.ts";
import { LintErrorsFound, UsageError } from "../../errors.ts";
import { lintGithub, lintJson, lintText, summaryLine } from "../../lint/format.ts";
import { checkLintConfig } from "../../lint/policy.ts";
import type { CliContext } from "../context.ts";
import { lockTimeoutArgs } from "./shared.ts";
import { redactUrl } from "../../config/url.ts";

export default defineCommand({
  meta: { name: "lint", description: "Lint revisions against the schema at their parent, measuring locks and rewrites" },
  args: {
    revision: { type: "positional", required: false, description: "a revision, or a from:to range (default: the revisions pending for the database)" },
    all: { type: "boolean", description: "lint every revision" },
    format: { type: "string", description: "text (default) or github (workflow annotations)" },
    ...lockTimeoutArgs,
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const [range, ...extra] = args._;
    if (extra.length > 0) throw new UsageError(`lint takes one revision or range, got: ${args._.join(" ")}`);
    const format = args.format ?? "text";
    if (format !== "text" && format !== "github") throw new UsageError(`--format takes text or github, got '${format}'`);
    if (args.all && range !== undefined) throw new UsageError("lint takes either --all or a revision/range, not both");
    const levels = checkLintConfig(ctx.config().path, ctx.config().lint);
    const fleet = await import("../fleet.ts");
    if (fleet.isFleet(ctx)) {
      if (args.all || range !== undefined) throw new UsageError("lint over several targets lints what is pending for each: it takes no --all or revision range");
      return fleet.runFleetLint(ctx, levels, ctx.lockTimeoutSeconds(args.lockTimeout));
    }
    const revisions = await ctx.revisions();
    const graph = await ctx.graph();
    const url = args.all || range !== undefined ? undefined : ctx.databaseUrl();
    const report = await lint({
      revisions,
      graph,
      range,
      all: args.all,
      url,
      engineOptions: ctx.engineReadOptions(args),
      ...ctx.versionTable(),
      levels,
    });
    // nothing linted, nothing measured: say why instead of a summary of zeros
    const nothing = report.revisions.length === 0 ? nothingToLint(range, args.all === true, url) : null;
    ctx.output.result({ text: format === "github" ? lintGithub(report) : (nothing ?? lintText(report)), json: () => lintJson(report) });
    if (format === "github") ctx.log.info(nothing ?? summaryLine(report));
    ctx.log.debug(`lint timings (ms): ${Object.entries(report.timings).map(([k, v]) => `${k} ${Math.round(v)}`).join(", ")}`);
    const errors = report.findings.filter((f) => f.severity === "error").length;
    if (errors > 0) throw new LintErrorsFound(`lint found ${errors} error-level finding(s)`);
  },
});

/** The line `lint` prints when there was no revision to lint. */
function nothingToLint(range: string | undefined, all: boolean, url: string | undefined): string {
  if (range !== undefined) return `Nothing to lint: ${range} holds no revision\n`;
  if (all || url === undefined) return "Nothing to lint: there are no revisions\n";
  return `Nothing to lint: no revision is pending for ${redactUrl(url)}\n`;
}
