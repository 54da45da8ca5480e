/** CLI definition of `retort init [DIRECTORY]`. */
import { defineCommand } from "citty";
import { init } from "../../commands/init.ts";
import { UsageError } from "../../errors.ts";
import { baseName } from "../../revisions/fields.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "init", description: "Create retort.toml and a revision directory (DIRECTORY/versions)" },
  args: {
    directory: { type: "positional", required: false, valueHint: "[DIRECTORY]", default: "migrations", description: "where to create versions/" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    if (args._.length > 1) throw new UsageError(`init takes one directory, got: ${args._.join(" ")}`);
    // an executable's embedded revisions are written out, so `revision -m` can build on them
    const { embeddedRevisionEntries } = await import("../../embedded/revisions.ts");
    const seed = embeddedRevisionEntries().flatMap((entry) => (entry.text === undefined ? [] : [{ name: baseName(entry.path), text: entry.text }]));
    const result = init(args.directory ?? "migrations", ctx.cwd, seed);
    const lines = [
      ...result.directories.map((path) => `  Creating directory ${path} ...  done`),
      ...result.files.map((path) => `  Generating ${path} ...  done`),
      `  Please edit ${result.configPath} before proceeding.`,
    ];
    // -q: nothing on stdout but a --json document (Alembic's init is silent with -q too)
    ctx.output.result({ text: ctx.globals.quiet ? "" : lines.join("\n"), json: result });
  },
});
