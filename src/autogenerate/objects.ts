/**
 * A model flattened into keyed objects, with its dependency graph both ways,
 * so the diff can look any object up by key and walk to its dependents.
 * Pure.
 */
import { keys } from "./keys.ts";
import type {
  ColumnDef,
  ConstraintDef,
  DomainDef,
  EnumDef,
  ExtensionDef,
  FunctionDef,
  IndexDef,
  SchemaDef,
  SchemaModel,
  SequenceDef,
  TableDef,
  TriggerDef,
  ViewDef,
} from "./model.ts";

/** One comparable object; `table` is the table a column, default or constraint belongs to. */
export type ModelObject =
  | { readonly kind: "schema"; readonly def: SchemaDef }
  | { readonly kind: "extension"; readonly def: ExtensionDef }
  | { readonly kind: "enum"; readonly def: EnumDef }
  | { readonly kind: "domain"; readonly def: DomainDef }
  | { readonly kind: "sequence"; readonly def: SequenceDef }
  | { readonly kind: "owner"; readonly def: SequenceDef; readonly ownedBy: { readonly table: string; readonly column: string } }
  | { readonly kind: "table"; readonly def: TableDef }
  | { readonly kind: "column"; readonly table: TableDef; readonly def: ColumnDef }
  | { readonly kind: "default"; readonly table: TableDef; readonly column: ColumnDef; readonly expression: string }
  | { readonly kind: "constraint"; readonly table: TableDef; readonly def: ConstraintDef }
  | { readonly kind: "index"; readonly def: IndexDef }
  | { readonly kind: "view"; readonly def: ViewDef }
  | { readonly kind: "function"; readonly def: FunctionDef }
  | { readonly kind: "trigger"; readonly def: TriggerDef };

/** A model as keyed objects plus adjacency in both directions. */
export interface ObjectGraph {
  readonly objects: ReadonlyMap<string, ModelObject>;
  /** key → keys it depends on */
  readonly dependencies: ReadonlyMap<string, ReadonlySet<string>>;
  /** key → keys that depend on it */
  readonly dependents: ReadonlyMap<string, ReadonlySet<string>>;
  /** key → the key of the object it is dropped with by PostgreSQL (a column's table, a default's column…) */
  readonly parent: ReadonlyMap<string, string>;
}

/** Flatten a model. */
export function objectGraph(model: SchemaModel): ObjectGraph {
  const objects = new Map<string, ModelObject>();
  const parent = new Map<string, string>();
  for (const def of model.schemas) objects.set(keys.schema(def.name), { kind: "schema", def });
  for (const def of model.extensions) objects.set(keys.extension(def.name), { kind: "extension", def });
  for (const def of model.enums) objects.set(keys.enum(def.schema, def.name), { kind: "enum", def });
  for (const def of model.domains) objects.set(keys.domain(def.schema, def.name), { kind: "domain", def });
  for (const def of model.sequences) {
    objects.set(keys.sequence(def.schema, def.name), { kind: "sequence", def });
    if (def.ownedBy !== null) {
      const key = keys.owner(def.schema, def.name);
      objects.set(key, { kind: "owner", def, ownedBy: def.ownedBy });
      parent.set(key, keys.sequence(def.schema, def.name));
    }
  }
  for (const table of model.tables) {
    const tableKey = keys.table(table.schema, table.name);
    objects.set(tableKey, { kind: "table", def: table });
    for (const column of table.columns) {
      const key = keys.column(table.schema, table.name, column.name);
      objects.set(key, { kind: "column", table, def: column });
      parent.set(key, tableKey);
      if (column.default !== null) {
        const defaultKey = keys.default(table.schema, table.name, column.name);
        objects.set(defaultKey, { kind: "default", table, column, expression: column.default });
        parent.set(defaultKey, key);
      }
    }
    for (const constraint of table.constraints) {
      const key = keys.constraint(table.schema, table.name, constraint.name);
      objects.set(key, { kind: "constraint", table, def: constraint });
      parent.set(key, tableKey);
    }
  }
  const relationKey = (schema: string, name: string) => {
    const table = keys.table(schema, name);
    return objects.has(table) ? table : keys.view(schema, name);
  };
  for (const def of model.views) objects.set(keys.view(def.schema, def.name), { kind: "view", def });
  for (const def of model.indexes) {
    const key = keys.index(def.schema, def.name);
    objects.set(key, { kind: "index", def });
    parent.set(key, relationKey(def.schema, def.table));
  }
  for (const def of model.functions) objects.set(keys.function(def.schema, def.name, def.signature), { kind: "function", def });
  for (const def of model.triggers) {
    const key = keys.trigger(def.schema, def.table, def.name);
    objects.set(key, { kind: "trigger", def });
    parent.set(key, relationKey(def.schema, def.table));
  }

  const dependencies = new Map<string, Set<string>>();
  const dependents = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, from: string, to: string) => {
    let set = map.get(from);
    if (set === undefined) map.set(from, (set = new Set()));
    set.add(to);
  };
  for (const [from, to] of model.dependencies) {
    if (!objects.has(from) || !objects.has(to)) continue;
    add(dependencies, from, to);
    add(dependents, to, from);
  }
  return { objects, dependencies, dependents, parent };
}

const NONE: ReadonlySet<string> = new Set();

/** The keys `key` depends on in `graph` (empty when none or unknown). */
export function dependenciesOf(graph: ObjectGraph, key: string): ReadonlySet<string> {
  return graph.dependencies.get(key) ?? NONE;
}

/** The keys that depend on `key` in `graph`. */
export function dependentsOf(graph: ObjectGraph, key: string): ReadonlySet<string> {
  return graph.dependents.get(key) ?? NONE;
}
