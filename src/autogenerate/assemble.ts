/**
 * Turn the rows of the catalog queries into the model (pure): attach
 * columns, constraints and identity options to their tables, normalise
 * server-version differences away, and translate pg_depend's OIDs into
 * object keys. Lists are sorted by code point, not by the server's collation,
 * so two servers with different locales produce the same model.
 */
import { dependencies } from "./dependencies.ts";
import { compareText } from "./text-order.ts";
import { unqualifySingleRelation } from "./sql-text.ts";
import type { ColumnDef, ConstraintDef, ConstraintType, IdentityDef, SchemaModel, SequenceOptions } from "./model.ts";

interface Owner {
  relid: string;
  attnum: number;
  table: string;
  column: string;
  identity: boolean;
}

/** What each catalog query returns (see catalog-queries.ts). */
export interface CatalogRows {
  server: { version: number }[];
  schemas: { oid: string; name: string; comment: string | null }[];
  extensions: { oid: string; name: string; schema: string }[];
  extensionMembers: { cls: string; oid: string; ext: string }[];
  enums: { oid: string; schema: string; name: string; labels: string[] | null; comment: string | null }[];
  domains: {
    oid: string;
    schema: string;
    name: string;
    type: string;
    notNull: boolean;
    default: string | null;
    collation: string | null;
    constraints: { oid: string; name: string; definition: string }[];
    comment: string | null;
  }[];
  unsupported: { what: string }[];
  types: { oid: string; elem: string; relid: string }[];
  sequences: (SequenceOptions & { oid: string; schema: string; name: string; comment: string | null; owner: Owner | null })[];
  relations: { oid: string; schema: string; name: string; kind: "r" | "v" | "m"; comment: string | null }[];
  columns: {
    relid: string;
    attnum: number;
    name: string;
    type: string;
    notNull: boolean;
    identity: "" | "a" | "d";
    generated: "" | "s" | "v";
    expr: string | null;
    defoid: string | null;
    collation: string | null;
    comment: string | null;
  }[];
  constraints: {
    oid: string;
    relid: string;
    name: string;
    type: "p" | "u" | "f" | "c" | "x";
    definition: string;
    indid: string;
    refschema: string | null;
    reftable: string | null;
    comment: string | null;
  }[];
  indexes: { oid: string; schema: string; table: string; name: string; definition: string; comment: string | null }[];
  views: {
    oid: string;
    schema: string;
    name: string;
    materialized: boolean;
    definition: string;
    options: string[];
    ruleoid: string | null;
    comment: string | null;
  }[];
  functions: {
    oid: string;
    schema: string;
    name: string;
    kind: "f" | "p" | "w";
    identityArguments: string;
    signature: string;
    arguments: string;
    result: string | null;
    definition: string;
    comment: string | null;
  }[];
  triggers: { oid: string; schema: string; table: string; name: string; definition: string; comment: string | null }[];
  depend: { cls: string; oid: string; sub: number; refcls: string; refoid: string; refsub: number }[];
}

const CONSTRAINT_TYPES: Record<string, ConstraintType> = { p: "primary", u: "unique", f: "foreign", c: "check", x: "exclusion" };


const byName = <T extends { name: string }>(a: T, b: T) => compareText(a.name, b.name);
const bySchemaName = <T extends { schema: string; name: string }>(a: T, b: T) => compareText(a.schema, b.schema) || compareText(a.name, b.name);

/** Build the model from catalog rows. */
export function assembleModel(rows: CatalogRows): SchemaModel {
  const serverVersion = rows.server[0]?.version ?? 160000;
  const relations = new Map(rows.relations.map((r) => [r.oid, r]));
  const identityOf = new Map<string, IdentityDef>();
  for (const s of rows.sequences) {
    if (s.owner?.identity) identityOf.set(`${s.owner.relid}:${s.owner.attnum}`, { ...sequenceOptions(s), always: false });
  }

  const columnsOf = new Map<string, ColumnDef[]>();
  for (const c of rows.columns) {
    const list = columnsOf.get(c.relid) ?? [];
    const generated = c.generated === "" ? null : { expression: c.expr ?? "", virtual: c.generated === "v" };
    const identity = c.identity === "" ? null : { ...(identityOf.get(`${c.relid}:${c.attnum}`) ?? defaultIdentity(c.type)), always: c.identity === "a" };
    list.push({
      name: c.name,
      type: c.type,
      notNull: c.notNull,
      collation: c.collation,
      default: generated === null ? c.expr : null,
      identity,
      generated,
      comment: c.comment,
    });
    columnsOf.set(c.relid, list);
  }

  const constraintsOf = new Map<string, ConstraintDef[]>();
  for (const c of rows.constraints) {
    const list = constraintsOf.get(c.relid) ?? [];
    const references = c.type === "f" && c.refschema !== null && c.reftable !== null ? { schema: c.refschema, table: c.reftable } : null;
    list.push({ name: c.name, type: CONSTRAINT_TYPES[c.type] ?? "check", definition: c.definition, references, comment: c.comment });
    constraintsOf.set(c.relid, list);
  }

  const tables = rows.relations
    .filter((r) => r.kind === "r")
    .map((r) => ({
      schema: r.schema,
      name: r.name,
      columns: columnsOf.get(r.oid) ?? [],
      constraints: (constraintsOf.get(r.oid) ?? []).sort(byName),
      comment: r.comment,
    }))
    .sort(bySchemaName);

  return {
    schemas: rows.schemas.map((s) => ({ name: s.name, comment: s.comment })).sort(byName),
    extensions: rows.extensions.map((e) => ({ name: e.name, schema: e.schema })).sort(byName),
    enums: rows.enums.map((e) => ({ schema: e.schema, name: e.name, labels: e.labels ?? [], comment: e.comment })).sort(bySchemaName),
    domains: rows.domains
      .map((d) => ({
        schema: d.schema,
        name: d.name,
        type: d.type,
        notNull: d.notNull,
        default: d.default,
        collation: d.collation,
        constraints: d.constraints.map((c) => ({ name: c.name, definition: c.definition })).sort(byName),
        comment: d.comment,
      }))
      .sort(bySchemaName),
    sequences: rows.sequences
      .filter((s) => !s.owner?.identity)
      .map((s) => ({
        schema: s.schema,
        name: s.name,
        ...sequenceOptions(s),
        ownedBy: s.owner ? { table: s.owner.table, column: s.owner.column } : null,
        comment: s.comment,
      }))
      .sort(bySchemaName),
    tables,
    indexes: rows.indexes.map((i) => ({ schema: i.schema, table: i.table, name: i.name, definition: i.definition, comment: i.comment })).sort(bySchemaName),
    views: rows.views
      .map((v) => ({
        schema: v.schema,
        name: v.name,
        materialized: v.materialized,
        definition: normaliseViewDefinition(v.definition, serverVersion),
        options: [...v.options].sort(compareText),
        comment: v.comment,
      }))
      .sort(bySchemaName),
    functions: rows.functions
      .map((f) => ({
        schema: f.schema,
        name: f.name,
        kind: f.kind === "p" ? ("procedure" as const) : ("function" as const),
        identityArguments: f.identityArguments,
        signature: f.signature,
        arguments: f.arguments,
        result: f.result,
        definition: f.definition.trimEnd(),
        comment: f.comment,
      }))
      .sort((a, b) => bySchemaName(a, b) || compareText(a.signature, b.signature)),
    triggers: rows.triggers
      .map((t) => ({ schema: t.schema, table: t.table, name: t.name, definition: t.definition, comment: t.comment }))
      .sort((a, b) => compareText(a.schema, b.schema) || compareText(a.table, b.table) || compareText(a.name, b.name)),
    dependencies: dependencies(rows, relations),
    unsupported: rows.unsupported.map((u) => u.what).sort(compareText),
  };

}

function sequenceOptions(s: SequenceOptions): SequenceOptions {
  return { type: s.type, start: s.start, increment: s.increment, min: s.min, max: s.max, cache: s.cache, cycle: s.cycle };
}

/** pg_get_viewdef() starts with a space and ends with a semicolon; the model keeps the query alone, as 16+ prints it. */
function normaliseViewDefinition(text: string, serverVersion: number): string {
  const query = text.trim().replace(/;$/, "");
  return serverVersion < 160000 ? unqualifySingleRelation(query) : query;
}

/** Identity options when the sequence was not found (it always is; this keeps the type total). */
function defaultIdentity(type: string): IdentityDef {
  const max = type === "smallint" ? "32767" : type === "integer" ? "2147483647" : "9223372036854775807";
  return { type, start: "1", increment: "1", min: "1", max, cache: "1", cycle: false, always: false };
}
