/**
 * Sequence and identity options as SQL: only what differs from the defaults
 * PostgreSQL would pick (CREATE) or from the current options (ALTER). Pure.
 */
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
  const out: string[] = [];
  if (to.type !== base.type) out.push(`AS ${to.type}`);
  if (to.increment !== base.increment) out.push(`INCREMENT BY ${to.increment}`);
  if (to.min !== base.min || (from !== null && to.type !== from.type)) out.push(`MINVALUE ${to.min}`);
  if (to.max !== base.max || (from !== null && to.type !== from.type)) out.push(`MAXVALUE ${to.max}`);
  if (to.start !== base.start) out.push(`START WITH ${to.start}`);
  if (to.cache !== base.cache) out.push(`CACHE ${to.cache}`);
  if (to.cycle !== base.cycle) out.push(to.cycle ? "CYCLE" : "NO CYCLE");
  return out;
}

/** `GENERATED … AS IDENTITY` with the options that differ from the defaults. */
export function identityClause(identity: IdentityDef): string {
  const defaults = sequenceDefaults(identity);
  const base = { ...identity, start: defaults.start, increment: "1", min: defaults.min, max: defaults.max, cache: "1", cycle: false };
  const options = sequenceOptions(identity, base);
  const head = `GENERATED ${identity.always ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`;
  return options.length > 0 ? `${head} (${options.join(" ")})` : head;
}

/** ALTER COLUMN … SET option clauses for an identity's changed sequence options (its type follows the column). */
export function identityChanges(from: IdentityDef, to: IdentityDef): string[] {
  const out: string[] = [];
  if (to.increment !== from.increment) out.push(`SET INCREMENT BY ${to.increment}`);
  if (to.min !== from.min) out.push(`SET MINVALUE ${to.min}`);
  if (to.max !== from.max) out.push(`SET MAXVALUE ${to.max}`);
  if (to.start !== from.start) out.push(`SET START WITH ${to.start}`);
  if (to.cache !== from.cache) out.push(`SET CACHE ${to.cache}`);
  if (to.cycle !== from.cycle) out.push(to.cycle ? "SET CYCLE" : "SET NO CYCLE");
  return out;
}
