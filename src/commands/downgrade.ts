/** `retort downgrade <target>`: run the downgrades from the current heads to the target (or render them with --sql). */
import { planDowngrade } from "../core/plan.ts";
import { resolveStartingHeads } from "../core/resolve.ts";
import { UsageError } from "../errors.ts";
import { migrate, type MigrateResult } from "../runtime/migrate.ts";
import { holdsNoVersions, noOpResult, splitRange, type MigrationCommandOptions } from "./shared-db.ts";

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
  return migrate({
    ...options,
    checkApplied: true,
    startingHeads: from === null ? [] : resolveStartingHeads(options.graph, from),
    plan: (heads) => planDowngrade(options.graph, heads, to),
  });
}
