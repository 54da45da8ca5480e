/** CLI definition of `retort upgrade REVISION [--lint=warn|error] [--no-lint]`. */
import { upgrade } from "../../commands/upgrade.ts";
import { UsageError } from "../../errors.ts";
import { singleTargetCommand } from "./migrate-args.ts";

export default singleTargetCommand("upgrade", "Upgrade to a later revision", "head", upgrade, {
  args: {
    lint: { type: "string", description: "lint the pending revisions first: warn (default: print findings) or error (refuse on error-level findings)" },
    noLint: { type: "boolean", description: "do not lint the pending revisions first" },
  },
  async before(ctx, args, options, target) {
    const mode = (args.lint as string | undefined) ?? "warn";
    if (mode !== "warn" && mode !== "error") throw new UsageError(`--lint takes warn or error, got '${mode}'`);
    if (args.noLint === true || options.sql) return;
    // loaded only when it runs: the parser's wasm and the lint rules cost nothing to an upgrade that skips them
    const { lintBeforeUpgrade } = await import("../../commands/lint.ts");
    const { checkLintConfig } = await import("../../lint/policy.ts");
    await lintBeforeUpgrade({
      revisions: await ctx.revisions(),
      graph: options.graph,
      url: options.url,
      target,
      versionTable: options.versionTable,
      versionTableSchema: options.versionTableSchema,
      levels: checkLintConfig(ctx.config().path, ctx.config().lint),
      refuseOnErrors: mode === "error",
      lockTimeoutSeconds: options.lockTimeoutSeconds,
      warn: (line) => ctx.log.warn(line),
      debug: (line) => ctx.log.debug(line),
    });
  },
});
