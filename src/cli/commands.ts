/** The command table: one citty definition per command, in src/cli/defs/. */
import { defineCommand, type CommandDef } from "citty";
import { TOOL_VERSION } from "./version.ts";
import init from "./defs/init.ts";

/** Every command by name; main.ts dispatches through this table. */
export const commands: Record<string, CommandDef<any>> = {
  init,
};

/** The root command, used only for `retort --help`. */
export const rootCommand = defineCommand({
  meta: {
    name: "retort",
    version: TOOL_VERSION,
    description:
      "PostgreSQL schema migrations with Alembic's model. Global options (any position): --url, --dir, -c/--config, --json, -v/--verbose, -q/--quiet, --version-table, --version-table-schema",
  },
  subCommands: commands,
});
