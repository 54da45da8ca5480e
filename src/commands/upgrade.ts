/** `retort upgrade <target>`: run the upgrades from the current heads to the target (or render them with --sql). */
import { planUpgrade, rangeIsReversed } from "../core/plan.ts";
import { resolveStartingHeads } from "../core/resolve.ts";
import { migrate, type MigrateResult } from "../runtime/migrate.ts";
import { emptyScriptNote, splitRange, wrongWayRange, type MigrationCommandOptions } from "./shared-db.ts";

/** Options of upgrade: the target identifier ("head", "heads", an id, "+2", "label@head"; "from:to" with --sql). */
export interface UpgradeOptions extends MigrationCommandOptions {
  readonly target: string;
}

/** Upgrade the database (or render the script); returns the steps with durations and the resulting heads. */
export async function upgrade(options: UpgradeOptions): Promise<MigrateResult> {
  const { from, to } = splitRange(options.target, options.sql === true);
  const result = await migrate({
    ...options,
    checkApplied: true,
    startingHeads: from === null ? [] : resolveStartingHeads(options.graph, from),
    plan: (heads) => {
      const steps = planUpgrade(options.graph, heads, to);
      // --sql b:a: an empty script would hide that the range is the wrong way round
      if (steps.length === 0 && options.sql === true && from !== null && rangeIsReversed(options.graph, heads, to)) throw wrongWayRange("upgrade", from, to);
      return steps;
    },
  });
  if (options.sql === true && result.steps.length === 0) options.log(emptyScriptNote("upgrade", from, to));
  return result;
}
