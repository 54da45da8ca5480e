/** `retort upgrade <target>`: run the upgrades from the current heads to the target (or render them with --sql). */
import { planUpgrade } from "../core/plan.ts";
import { resolveStartingHeads } from "../core/resolve.ts";
import { migrate, type MigrateResult } from "../runtime/migrate.ts";
import { splitRange, type MigrationCommandOptions } from "./shared-db.ts";

/** Options of upgrade: the target identifier ("head", "heads", an id, "+2", "label@head"; "from:to" with --sql). */
export interface UpgradeOptions extends MigrationCommandOptions {
  readonly target: string;
}

/** Upgrade the database (or render the script); returns the steps with durations and the resulting heads. */
export async function upgrade(options: UpgradeOptions): Promise<MigrateResult> {
  const { from, to } = splitRange(options.target, options.sql === true);
  return migrate({
    ...options,
    checkApplied: true,
    startingHeads: from === null ? [] : resolveStartingHeads(options.graph, from),
    plan: (heads) => planUpgrade(options.graph, heads, to),
  });
}
