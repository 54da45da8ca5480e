/** CLI definition of `retort init [DIRECTORY]`. */
import { defineCommand } from "citty";
import { init } from "../../commands/init.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "init", description: "Create retort.toml and a revision directory (DIRECTORY/versions)" },
  args: {
    directory: { type: "positional", required: false, valueHint: "[DIRECTORY]", default: "migrations", description: "where to create versions/" },
  },
  run({ args, data }) {
    const ctx = data as CliContext;
    if (args._.length > 1) throw new UsageError(`init takes one directory, got: ${args._.join(" ")}`);
    const result = init(args.directory ?? "migrations", ctx.cwd);
    const lines = [
      ...result.directories.map((path) => `  Creating directory ${path} ...  done`),
      ...result.files.map((path) => `  Generating ${path} ...  done`),
      `  Please edit ${result.configPath} before proceeding.`,
    ];
    ctx.output.result({ text: lines.join("\n"), json: result });
  },
});
