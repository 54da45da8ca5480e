/** CLI definition of `retort import-alembic [PATH] [--python CMD] [--dry-run]`. */
import { defineCommand } from "citty";
import { dirname, resolve } from "node:path";
import { CONFIG_FILE_NAME } from "../../config/config.ts";
import { importAlembic, type ImportAlembicResult } from "../../commands/import-alembic.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "import-alembic", description: "Turn an Alembic project's revisions into retort SQL revision files" },
  args: {
    path: { type: "positional", required: false, default: ".", description: "directory holding alembic.ini, or the Alembic versions directory" },
    python: { type: "string", default: "python3", description: "Python that can import alembic, to render op.* calls ('none': built-in op.execute converter only)" },
    dryRun: { type: "boolean", description: "print what would be written, write nothing" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    if (args._.length > 1) throw new UsageError(`import-alembic takes one PATH, got: ${args._.join(" ")}`);
    const config = ctx.config();
    if (args.python !== undefined && args.python.trim() === "") throw new UsageError("--python is empty: give a Python command that can import alembic (python3, /usr/bin/python3, 'uv run python'), or none");
    const python = args.python === undefined || args.python === "none" ? null : args.python;
    const result = await importAlembic({
      path: resolve(ctx.cwd, args.path ?? "."),
      dir: ctx.revisionsDir(),
      configPath: config.path,
      newConfigPath: resolve(ctx.cwd, CONFIG_FILE_NAME),
      python,
      dryRun: args.dryRun ?? false,
      cwd: ctx.cwd,
      log: (line) => ctx.log.info(line),
    });
    for (const note of [...result.config.notes, ...result.revisions.flatMap((r) => r.notes.map((n) => `${r.revision}: ${n}`))]) ctx.log.warn(note);
    ctx.output.result({ text: formatText(result), json: result });
    if (result.unconverted.length > 0) {
      const list = result.unconverted.map((u) => `${u.source}${u.line === null ? "" : `:${u.line}`}: ${u.reason}`).join("; ");
      throw new UsageError(`${result.unconverted.length} revision module(s) not converted: ${list}. To convert them: ${result.rerun}`);
    }
  },
});

/** Alembic-style progress lines, or the files themselves with --dry-run. */
function formatText(result: ImportAlembicResult): string {
  if (result.dryRun) {
    return result.files.map((file) => `==> ${file.path}${file.status === "unchanged" ? " (already there)" : ""} <==\n${file.content}`).join("\n");
  }
  const lines = result.files.map((file) => `  ${file.status === "unchanged" ? "Keeping" : "Generating"} ${file.path} ...  ${file.status === "unchanged" ? "unchanged" : "done"}`);
  const besideModules = new Set(result.revisions.filter((r) => dirname(r.target) === dirname(r.source)).map((r) => dirname(r.source)));
  for (const dir of besideModules) lines.push(`  retort does not read the .py modules in ${dir}: remove them once the SQL files are checked.`);
  return lines.join("\n");
}
