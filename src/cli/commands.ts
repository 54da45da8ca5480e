/** The command table: one citty definition per command, in src/cli/defs/. */
import type { CommandDef } from "citty";
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
  validate: () => import("./defs/validate.ts").then((m) => m.default),
  log: () => import("./defs/log.ts").then((m) => m.default),
  "import-alembic": () => import("./defs/import-alembic.ts").then((m) => m.default),
  dump: () => import("./defs/dump.ts").then((m) => m.default),
  lint: () => import("./defs/lint.ts").then((m) => m.default),
  verify: () => import("./defs/verify.ts").then((m) => m.default),
  cache: () => import("./defs/cache.ts").then((m) => m.default),
};
