/**
 * One comparison of two models, ready for a command to report: the ordered
 * changes both ways, their SQL, summary lines and destructive steps. Pure.
 */
import type { Change } from "./changes.ts";
import { describeChange, destructiveReason } from "./describe.ts";
import { diffModels } from "./diff.ts";
import type { SchemaModel } from "./model.ts";
import { qualify, quoteString } from "../ops/quote.ts";
import { renderChange, renderChanges } from "./render.ts";

/** What comparing `from` with `to` found. */
export interface Comparison {
  /** changes that turn `from` into `to`, in order */
  readonly upgrade: readonly Change[];
  /** changes that turn `to` back into `from`, in order */
  readonly downgrade: readonly Change[];
  readonly upgradeSql: string;
  readonly downgradeSql: string;
  /** Alembic-style "Detected …" lines for the upgrade */
  readonly summary: readonly string[];
  /** why each destructive upgrade step is destructive */
  readonly destructive: readonly string[];
  /** the same for the downgrade */
  readonly destructiveDowngrade: readonly string[];
  /** the upgrade uses an enum value it adds, which PostgreSQL refuses inside the adding transaction */
  readonly upgradeNeedsAutocommit: boolean;
  readonly downgradeNeedsAutocommit: boolean;
}

/** Compare two models both ways. */
export function compareModels(from: SchemaModel, to: SchemaModel): Comparison {
  const upgrade = diffModels(from, to);
  const downgrade = upgrade.length === 0 ? [] : diffModels(to, from);
  const reasons = (changes: readonly Change[]) => changes.map(destructiveReason).filter((r): r is string => r !== null);
  return {
    upgrade,
    downgrade,
    upgradeSql: renderChanges(upgrade),
    downgradeSql: renderChanges(downgrade),
    summary: upgrade.flatMap(describeChange),
    destructive: reasons(upgrade),
    destructiveDowngrade: reasons(downgrade),
    upgradeNeedsAutocommit: usesAddedEnumValue(upgrade),
    downgradeNeedsAutocommit: usesAddedEnumValue(downgrade),
  };
}

/** Whether a statement after an ADD VALUE names one of the added values ('value'::schema.type, as PostgreSQL prints it). */
export function usesAddedEnumValue(changes: readonly Change[]): boolean {
  const added: string[] = [];
  for (const change of changes) {
    const sql = renderChange(change).join("\n");
    if (added.some((token) => sql.includes(token))) return true;
    if (change.kind === "addEnumValues") {
      const type = qualify(change.enum.schema, change.enum.name);
      for (const v of change.values) added.push(`${quoteString(v.value)}::${type}`);
    }
  }
  return false;
}
