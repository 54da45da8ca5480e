/** The command table: one citty definition per command, in src/cli/defs/. */
import { defineCommand, type CommandDef } from "citty";
import { TOOL_VERSION } from "./version.ts";
/** Every command by name; main.ts dispatches through this table. */
export const commands: Record<string, () => Promise<CommandDef<any>>> = {
  init: () => import("./defs/init.ts").then((m) => m.default),
  revision: () => import("./defs/revision.ts").then((m) => m.default),
  merge: () => import("./defs/merge.ts").then((m) => m.default),
  upgrade: () => import("./defs/upgrade.ts").then((m) => m.default),
  downgrade: () => import("./defs/downgrade.ts").then((m) => m.default),
  stamp: () => import("./defs/stamp.ts").then((m) => m.default),
  current: () => import("./defs/current.ts").then((m) => m.default),
  history: () => import("./defs/history.ts").then((m) => m.default),
  heads: () => import("./defs/heads.ts").then((m) => m.default),
  branches: () => import("./defs/branches.ts").then((m) => m.default),
  show: () => import("./defs/show.ts").then((m) => m.default),
  check: () => import("./defs/check.ts").then((m) => m.default),
  diff: () => import("./defs/diff.ts").then((m) => m.default),
  verify: () => import("./defs/verify.ts").then((m) => m.default),
  cache: () => import("./defs/cache.ts").then((m) => m.default),
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
