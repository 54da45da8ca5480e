/** The command table: one citty definition per command, in src/cli/defs/. */
import { defineCommand, type CommandDef } from "citty";
import { TOOL_VERSION } from "./version.ts";
import branches from "./defs/branches.ts";
import current from "./defs/current.ts";
import downgrade from "./defs/downgrade.ts";
import heads from "./defs/heads.ts";
import history from "./defs/history.ts";
import init from "./defs/init.ts";
import merge from "./defs/merge.ts";
import revision from "./defs/revision.ts";
import show from "./defs/show.ts";
import stamp from "./defs/stamp.ts";
import upgrade from "./defs/upgrade.ts";

/** Every command by name; main.ts dispatches through this table. */
export const commands: Record<string, CommandDef<any>> = {
  init,
  revision,
  merge,
  upgrade,
  downgrade,
  stamp,
  current,
  history,
  heads,
  branches,
  show,
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
