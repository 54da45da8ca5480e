/**
 * Compact builders of schema models for the pure diff tests: objects in the
 * public schema unless said otherwise, SQL fragments written the way
 * PostgreSQL prints them, and the dependencies introspection would find
 * derived from those fragments (plus any given explicitly).
 */
import { keys } from "../../src/autogenerate/keys.ts";
import type {
  ColumnDef,
  ConstraintDef,
  Dependency,
  DomainDef,
  EnumDef,
  FunctionDef,
  IndexDef,
  SchemaModel,
  SequenceDef,
  TableDef,
  TriggerDef,
  ViewDef,
} from "../../src/autogenerate/model.ts";

/** A column; nullable, no default, unless `extra` says otherwise. */
export function col(name: string, type: string, extra: Partial<ColumnDef> = {}): ColumnDef {
  return { name, type, notNull: false, collation: null, default: null, identity: null, generated: null, comment: null, ...extra };
}

/** A table in `schema` (default public). */
export function table(name: string, columns: readonly ColumnDef[], constraints: readonly ConstraintDef[] = [], extra: Partial<TableDef> = {}): TableDef {
  return { schema: "public", name, columns, constraints, comment: null, ...extra };
}

const constraint = (name: string, type: ConstraintDef["type"], definition: string, references: ConstraintDef["references"] = null): ConstraintDef => ({
  name,
  type,
  definition,
  references,
  comment: null,
});

/** PRIMARY KEY (columns). */
export const pk = (name: string, columns: string) => constraint(name, "primary", `PRIMARY KEY (${columns})`);
/** UNIQUE (columns). */
export const unique = (name: string, columns: string) => constraint(name, "unique", `UNIQUE (${columns})`);
/** CHECK ((expression)). */
export const check = (name: string, expression: string, suffix = "") => constraint(name, "check", `CHECK ((${expression}))${suffix}`);
/** FOREIGN KEY (columns) REFERENCES public.table(columns) …. */
export const fk = (name: string, columns: string, refTable: string, refColumns: string, suffix = "") =>
  constraint(name, "foreign", `FOREIGN KEY (${columns}) REFERENCES public.${refTable}(${refColumns})${suffix}`, { schema: "public", table: refTable });

/** An enum in public. */
export const enumType = (name: string, labels: string[]): EnumDef => ({ schema: "public", name, labels, comment: null });

/** A domain in public over `type`. */
export const domain = (name: string, type: string, extra: Partial<DomainDef> = {}): DomainDef => ({
  schema: "public",
  name,
  type,
  notNull: false,
  default: null,
  collation: null,
  constraints: [],
  comment: null,
  ...extra,
});

/** A plain sequence in public. */
export const sequence = (name: string, extra: Partial<SequenceDef> = {}): SequenceDef => ({
  schema: "public",
  name,
  type: "bigint",
  start: "1",
  increment: "1",
  min: "1",
  max: "9223372036854775807",
  cache: "1",
  cycle: false,
  ownedBy: null,
  comment: null,
  ...extra,
});

/** A btree index on one column of a table in public. */
export const index = (tableName: string, name: string, columns: string, extra: Partial<IndexDef> = {}): IndexDef => ({
  schema: "public",
  table: tableName,
  name,
  definition: `CREATE INDEX ${name} ON public.${tableName} USING btree (${columns})`,
  comment: null,
  ...extra,
});

/** A view in public. */
export const view = (name: string, definition: string, extra: Partial<ViewDef> = {}): ViewDef => ({
  schema: "public",
  name,
  materialized: false,
  definition,
  options: [],
  comment: null,
  ...extra,
});

/** A plpgsql function in public with no arguments. */
export const fn = (name: string, result: string, body: string, extra: Partial<FunctionDef> = {}): FunctionDef => ({
  schema: "public",
  name,
  kind: "function",
  identityArguments: "",
  signature: "",
  arguments: "",
  result,
  definition: `CREATE OR REPLACE FUNCTION public.${name}()\n RETURNS ${result}\n LANGUAGE plpgsql\nAS $function$${body}$function$`,
  comment: null,
  ...extra,
});

/** A row trigger calling public.fn(). */
export const trigger = (tableName: string, name: string, fnName: string): TriggerDef => ({
  schema: "public",
  table: tableName,
  name,
  definition: `CREATE TRIGGER ${name} BEFORE UPDATE ON public.${tableName} FOR EACH ROW EXECUTE FUNCTION public.${fnName}()`,
  comment: null,
});

/** The parts of a model; `deps` adds dependencies the builders cannot guess (a view's columns). */
export interface ModelParts {
  readonly schemas?: readonly string[];
  readonly enums?: readonly EnumDef[];
  readonly domains?: readonly DomainDef[];
  readonly sequences?: readonly SequenceDef[];
  readonly tables?: readonly TableDef[];
  readonly indexes?: readonly IndexDef[];
  readonly views?: readonly ViewDef[];
  readonly functions?: readonly FunctionDef[];
  readonly triggers?: readonly TriggerDef[];
  readonly deps?: readonly Dependency[];
}

/** A model with the dependencies introspection would record. */
export function model(parts: ModelParts): SchemaModel {
  const deps: Dependency[] = [...(parts.deps ?? [])];
  const enums = parts.enums ?? [];
  const sequences = parts.sequences ?? [];
  const tables = parts.tables ?? [];
  const functions = parts.functions ?? [];
  const mentions = (text: string, from: string) => {
    for (const e of enums) if (text.includes(`public.${e.name}`)) deps.push([from, keys.enum(e.schema, e.name)]);
    for (const d of parts.domains ?? []) if (text.includes(`public.${d.name}`)) deps.push([from, keys.domain(d.schema, d.name)]);
    for (const s of sequences) if (text.includes(`'public.${s.name}'`)) deps.push([from, keys.sequence(s.schema, s.name)]);
    for (const f of functions) if (text.includes(`public.${f.name}(`)) deps.push([from, keys.function(f.schema, f.name, f.signature)]);
  };
  for (const e of enums) deps.push([keys.enum(e.schema, e.name), keys.schema(e.schema)]);
  for (const d of parts.domains ?? []) deps.push([keys.domain(d.schema, d.name), keys.schema(d.schema)]);
  for (const s of sequences) {
    deps.push([keys.sequence(s.schema, s.name), keys.schema(s.schema)]);
    if (s.ownedBy) {
      deps.push([keys.owner(s.schema, s.name), keys.sequence(s.schema, s.name)]);
      deps.push([keys.owner(s.schema, s.name), keys.column(s.schema, s.ownedBy.table, s.ownedBy.column)]);
    }
  }
  for (const f of functions) deps.push([keys.function(f.schema, f.name, f.signature), keys.schema(f.schema)]);
  for (const t of tables) {
    const tk = keys.table(t.schema, t.name);
    deps.push([tk, keys.schema(t.schema)]);
    for (const c of t.columns) {
      const ck = keys.column(t.schema, t.name, c.name);
      deps.push([ck, tk]);
      mentions(c.type, ck);
      if (c.default !== null) {
        const dk = keys.default(t.schema, t.name, c.name);
        deps.push([dk, ck]);
        mentions(c.default, dk);
      }
      if (c.generated !== null) {
        for (const other of t.columns) if (other !== c && c.generated.expression.includes(other.name)) deps.push([ck, keys.column(t.schema, t.name, other.name)]);
      }
    }
    for (const k of t.constraints) {
      const kk = keys.constraint(t.schema, t.name, k.name);
      deps.push([kk, tk]);
      const local = /\(([^)]*)\)/.exec(k.definition)?.[1] ?? "";
      for (const c of t.columns) if (local.split(/[ ,()]+/).includes(c.name)) deps.push([kk, keys.column(t.schema, t.name, c.name)]);
      if (k.references !== null) {
        const target = tables.find((x) => x.name === k.references!.table);
        const key = target?.constraints.find((x) => x.type === "primary" || x.type === "unique");
        if (target && key) deps.push([kk, keys.constraint(target.schema, target.name, key.name)]);
      }
      mentions(k.definition, kk);
    }
  }
  for (const i of parts.indexes ?? []) {
    const ik = keys.index(i.schema, i.name);
    deps.push([ik, keys.table(i.schema, i.table)]);
    const t = tables.find((x) => x.name === i.table);
    for (const c of t?.columns ?? []) if (i.definition.includes(`(${c.name}`)) deps.push([ik, keys.column(i.schema, i.table, c.name)]);
  }
  for (const v of parts.views ?? []) {
    deps.push([keys.view(v.schema, v.name), keys.schema(v.schema)]);
    mentions(v.definition, keys.view(v.schema, v.name));
  }
  for (const t of parts.triggers ?? []) {
    const tk = keys.trigger(t.schema, t.table, t.name);
    deps.push([tk, keys.table(t.schema, t.table)]);
    mentions(t.definition, tk);
  }
  return {
    schemas: (parts.schemas ?? ["public"]).map((name) => ({ name, comment: null })),
    extensions: [],
    enums,
    domains: parts.domains ?? [],
    sequences,
    tables,
    indexes: parts.indexes ?? [],
    views: parts.views ?? [],
    functions,
    triggers: parts.triggers ?? [],
    dependencies: deps,
    unsupported: [],
  };
}
