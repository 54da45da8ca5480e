/**
 * Sequence and identity options as SQL: only what differs from the defaults
 * PostgreSQL would pick (CREATE) or from the current options (ALTER). Pure.
 */
import { identitySql, sequenceClauses, type SequenceClauses } from "../ops/render-parts.ts";
import type { IdentityDef, SequenceOptions } from "./model.ts";

/** Type bounds of sequence types, for leaving default options out. */
function typeBounds(type: string): { min: bigint; max: bigint } {
  if (type === "smallint") return { min: -32768n, max: 32767n };
  if (type === "integer") return { min: -2147483648n, max: 2147483647n };
  return { min: -9223372036854775808n, max: 9223372036854775807n };
}

/** What CREATE SEQUENCE would pick for min, max and start given the type and increment. */
function sequenceDefaults(o: SequenceOptions): { min: string; max: string; start: string } {
  const bounds = typeBounds(o.type);
  const ascending = BigInt(o.increment) > 0n;
  const min = ascending ? "1" : bounds.min.toString();
  const max = ascending ? bounds.max.toString() : "-1";
  return { min, max, start: ascending ? o.min : o.max };
}

/** Sequence options for CREATE (from = null: those differing from the defaults) or ALTER (those differing from `from`). */
export function sequenceOptions(to: SequenceOptions, from: SequenceOptions | null): string[] {
  const defaults = sequenceDefaults(to);
  const base: SequenceOptions = from ?? { type: "bigint", start: defaults.start, increment: "1", min: defaults.min, max: defaults.max, cache: "1", cycle: false };
  const retyped = from !== null && to.type !== from.type;
  return sequenceClauses({
    type: to.type !== base.type ? to.type : undefined,
    start: to.start !== base.start ? to.start : undefined,
    increment: to.increment !== base.increment ? to.increment : undefined,
    min: to.min !== base.min || retyped ? to.min : undefined,
    max: to.max !== base.max || retyped ? to.max : undefined,
    cache: to.cache !== base.cache ? to.cache : undefined,
    cycle: to.cycle !== base.cycle ? to.cycle : undefined,
  });
}

/** The options of `to` that differ from `base` (identity options: the type follows the column). */
function changedOptions(to: IdentityDef, base: SequenceOptions): SequenceClauses {
  const changed = (key: "start" | "increment" | "min" | "max" | "cache") => (to[key] !== base[key] ? to[key] : undefined);
  return {
    start: changed("start"),
    increment: changed("increment"),
    min: changed("min"),
    max: changed("max"),
    cache: changed("cache"),
    cycle: to.cycle !== base.cycle ? to.cycle : undefined,
  };
}

/** `GENERATED … AS IDENTITY` with the options that differ from the defaults. */
export function identityClause(identity: IdentityDef): string {
  const defaults = sequenceDefaults(identity);
  return identitySql(identity.always, changedOptions(identity, { ...identity, start: defaults.start, increment: "1", min: defaults.min, max: defaults.max, cache: "1", cycle: false }));
}

/** ALTER COLUMN … SET option clauses for an identity's changed sequence options (its type follows the column). */
export function identityChanges(from: IdentityDef, to: IdentityDef): string[] {
  return sequenceClauses(changedOptions(to, from)).map((clause) => `SET ${clause}`);
}
