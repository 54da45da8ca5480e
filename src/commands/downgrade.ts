/** `retort downgrade <target>`: run the downgrades from the current heads to the target (or render them with --sql). */
import { planDowngrade, planUpgrade } from "../core/plan.ts";
import { resolveStartingHeads } from "../core/resolve.ts";
import { ResolutionError, UsageError } from "../errors.ts";
import { migrate, type MigrateResult } from "../runtime/migrate.ts";
import { emptyScriptNote, holdsNoVersions, noOpResult, splitRange, wrongWayRange, type MigrationCommandOptions } from "./shared-db.ts";

/** Options of downgrade: the target ("base", an id, "-1", "label@-1"; "from:to" required with --sql). */
export interface DowngradeOptions extends MigrationCommandOptions {
  readonly target: string;
}

/**
 * Downgrade the database (or render the script). A revision on the way
 * without a downgrade section stops everything before anything runs (exit 2).
 */
export async function downgrade(options: DowngradeOptions): Promise<MigrateResult> {
  const { from, to } = splitRange(options.target, options.sql === true);
  if (options.sql === true && from === null) {
    throw new UsageError(`downgrade with --sql requires <fromrev>:<torev>, e.g. 'downgrade --sql head:${options.target}'`);
  }
  if (options.sql !== true && to === "base" && (await holdsNoVersions(options))) return noOpResult(options);
  const result = await migrate({
    ...options,
    checkApplied: true,
    startingHeads: from === null ? [] : resolveStartingHeads(options.graph, from),
    plan: (heads) => {
      try {
        return planDowngrade(options.graph, heads, to);
      } catch (error) {
        // --sql a:b with b above a: Alembic's "not a valid downgrade target", said in terms of the range
        if (options.sql === true && from !== null && error instanceof ResolutionError && goesUp(options, heads, to)) throw wrongWayRange("downgrade", from, to);
        throw error;
      }
    },
  });
  if (options.sql === true && result.steps.length === 0) options.log(emptyScriptNote("downgrade", from, to));
  return result;
}

/** Whether an upgrade from `heads` to `to` would run something: `to` is above them (or beside them, on another branch). */
function goesUp(options: DowngradeOptions, heads: readonly string[], to: string): boolean {
  try {
    return planUpgrade(options.graph, heads, to).length > 0;
  } catch {
    return false;
  }
}
