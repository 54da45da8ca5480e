/** `retort stamp <targets...>`: set alembic_version without running any migration. */
import { planStamp } from "../core/plan.ts";
import { resolveStartingHeads } from "../core/resolve.ts";
import { UsageError } from "../errors.ts";
import { migrate, type MigrateResult } from "../runtime/migrate.ts";
import { holdsNoVersions, noOpResult, splitRange, type MigrationCommandOptions } from "./shared-db.ts";

/** Options of stamp: one or more targets ("head", ids, "base"; "from:to" with --sql) and --purge. */
export interface StampOptions extends MigrationCommandOptions {
  readonly targets: readonly string[];
  /** empty the version table first (for a table listing unknown revisions); not with --sql */
  readonly purge?: boolean | undefined;
}

/** Stamp the database (or render the script); returns the stamp steps and the resulting heads. */
export async function stamp(options: StampOptions): Promise<MigrateResult> {
  const sql = options.sql === true;
  if (sql && options.purge) throw new UsageError("Can't use --purge with --sql mode");
  let from: string | null = null;
  const targets = options.targets.map((argument) => {
    const range = splitRange(argument, sql);
    if (range.from !== null) {
      if (from !== null && from !== range.from) throw new UsageError("Stamp operation with --sql only supports one starting revision at a time");
      from = range.from;
    }
    return range.to;
  });
  if (!sql && targets.length > 0 && targets.every((target) => target === "base") && (await holdsNoVersions(options))) return noOpResult(options);
  return migrate({
    ...options,
    purge: options.purge === true,
    // stamping is how the user records the state an interrupted revision left
    resolveInterrupted: true,
    startingHeads: from === null ? [] : resolveStartingHeads(options.graph, from),
    // with --purge the table is emptied first, so the stamp starts from no heads (and unknown rows are fine)
    plan: (heads) => planStamp(options.graph, options.purge ? [] : heads, targets),
  });
}
