/**
 * Enums and domains as SQL: creating and altering domains, and rebuilding an
 * enum or domain whose values or base type changed, with its columns moved
 * over to the new type. Pure.
 */
import { qualify, quoteIdent, quoteString } from "../ops/quote.ts";
import { commentSql } from "../ops/render-parts.ts";
import type { Change, RetypedColumn } from "./changes.ts";
import type { DomainDef } from "./model.ts";
import { onlyValidation } from "./plan.ts";

/** The COMMENT ON statement of an object created with a comment; none without one. */
export function comment(objectType: string, name: string, text: string | null): string[] {
  return text === null ? [] : [`${commentSql(objectType, name, text)};`];
}

/** Rebuild an enum under its name: rename the old one away, create the new one, move the columns, drop the old one. */
export function recreateEnum(change: Change & { kind: "recreateEnum" }): string[] {
  const name = qualify(change.to.schema, change.to.name);
  const old = retiredName(change.from.name);
  const out = [
    `ALTER TYPE ${name} RENAME TO ${quoteIdent(old)};`,
    `CREATE TYPE ${name} AS ENUM (${change.to.labels.map(quoteString).join(", ")});`,
  ];
  out.push(...retypeColumns(change.columns, true));
  out.push(`DROP TYPE ${qualify(change.from.schema, old)};`);
  out.push(...comment("TYPE", name, change.to.comment));
  return out;
}

/** Columns moved onto a rebuilt type; enum values go through text, domains cast directly. */
export function retypeColumns(columns: readonly RetypedColumn[], viaText: boolean): string[] {
  return columns.map((c) => {
    const via = viaText ? `::text${c.type.endsWith("[]") ? "[]" : ""}` : "";
    return `ALTER TABLE ${qualify(c.schema, c.table)} ALTER COLUMN ${quoteIdent(c.column)} TYPE ${c.type} USING ${quoteIdent(c.column)}${via}::${c.type};`;
  });
}

/** CREATE DOMAIN with its valid constraints inline; NOT VALID ones can only be added afterwards. */
export function createDomain(d: DomainDef): string[] {
  const name = qualify(d.schema, d.name);
  const parts = [`CREATE DOMAIN ${name} AS ${d.type}`];
  if (d.collation !== null) parts.push(`COLLATE ${d.collation}`);
  if (d.default !== null) parts.push(`DEFAULT ${d.default}`);
  if (d.notNull) parts.push("NOT NULL");
  const later: string[] = [];
  for (const c of d.constraints) {
    if (c.definition.endsWith(" NOT VALID")) later.push(`ALTER DOMAIN ${name} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition};`);
    else parts.push(`CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  }
  return [`${parts.join(" ")};`, ...later, ...comment("DOMAIN", name, d.comment)];
}

/** ALTER DOMAIN statements for a changed default, NOT NULL and check constraints (a validation only is VALIDATE CONSTRAINT). */
export function alterDomain(from: DomainDef, to: DomainDef): string[] {
  const alter = `ALTER DOMAIN ${qualify(to.schema, to.name)}`;
  const out: string[] = [];
  if (from.default !== to.default) out.push(to.default === null ? `${alter} DROP DEFAULT;` : `${alter} SET DEFAULT ${to.default};`);
  if (from.notNull !== to.notNull) out.push(`${alter} ${to.notNull ? "SET" : "DROP"} NOT NULL;`);
  const before = new Map(from.constraints.map((c) => [c.name, c.definition]));
  const after = new Map(to.constraints.map((c) => [c.name, c.definition]));
  for (const [name, definition] of before) {
    const next = after.get(name);
    if (next === definition) continue;
    if (next !== undefined && onlyValidation(definition, next)) out.push(`${alter} VALIDATE CONSTRAINT ${quoteIdent(name)};`);
    else out.push(`${alter} DROP CONSTRAINT ${quoteIdent(name)};`);
  }
  for (const [name, definition] of after) {
    const previous = before.get(name);
    if (previous === definition || (previous !== undefined && onlyValidation(previous, definition))) continue;
    out.push(`${alter} ADD CONSTRAINT ${quoteIdent(name)} ${definition};`);
  }
  return out;
}

/** The temporary name of an enum or domain being rebuilt, within PostgreSQL's 63-byte limit. */
export function retiredName(name: string): string {
  const suffix = "__retort_old";
  let base = name;
  while (Buffer.byteLength(base + suffix) > 63) base = base.slice(0, -1);
  return base + suffix;
}
