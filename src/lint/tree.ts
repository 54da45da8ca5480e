/**
 * Small readers over libpg-query's JSON parse tree (nodes are `{ TypeName:
 * { …fields } }` objects): node kind, qualified relation names, type names
 * as PostgreSQL spells them, column definitions. Pure.
 */

/** A parse node as the parser emits it: one key, the node type. */
export type Node = Record<string, unknown>;
/** The fields of a node. */
export type Fields = Record<string, any>;

/** The node's type name (`IndexStmt`) and its fields. */
export function unwrap(node: Node): { kind: string; fields: Fields } {
  const kind = Object.keys(node)[0] ?? "";
  return { kind, fields: (node[kind] ?? {}) as Fields };
}

/** `schema.name` of a RangeVar, `public` when unqualified (retort lints against the default search_path). */
export function relationName(rangeVar: Fields | undefined): string {
  if (!rangeVar) return "";
  return `${rangeVar.schemaname ?? "public"}.${rangeVar.relname}`;
}

/** `schema.name` from a list of String nodes (DROP objects, type names). */
export function qualifiedName(items: readonly Node[]): string {
  const parts = items.map((i) => String((i as Fields).String?.sval ?? ""));
  return parts.length === 1 ? `public.${parts[0]}` : parts.slice(-2).join(".");
}

/** The object lists of a DropStmt as qualified names. */
export function dropTargets(fields: Fields): string[] {
  return (fields.objects ?? []).map((o: Fields) => (o.List ? qualifiedName(o.List.items ?? []) : o.String ? `public.${o.String.sval}` : qualifiedName(o.TypeName?.names ?? [])));
}

/** A TypeName as words: base name without pg_catalog, its modifiers, and array bounds. */
export function typeOf(typeName: Fields | undefined): { name: string; mods: number[]; array: boolean } {
  const names: string[] = (typeName?.names ?? []).map((n: Fields) => String(n.String?.sval ?? ""));
  const name = names.filter((n) => n !== "pg_catalog").join(".");
  const mods = (typeName?.typmods ?? []).map((m: Fields) => Number(m.A_Const?.ival?.ival ?? NaN));
  return { name, mods, array: (typeName?.arrayBounds ?? []).length > 0 };
}

/** How PostgreSQL's format_type() would print a TypeName (enough to compare with the catalog). */
export function formatType(typeName: Fields | undefined): string {
  const { name, mods, array } = typeOf(typeName);
  const canonical: Record<string, string> = {
    int4: "integer", int: "integer", integer: "integer", int8: "bigint", bigint: "bigint", int2: "smallint", smallint: "smallint",
    varchar: "character varying", bpchar: "character", float8: "double precision", float4: "real", bool: "boolean",
    timestamp: "timestamp without time zone", timestamptz: "timestamp with time zone", numeric: "numeric", text: "text",
    time: "time without time zone", timetz: "time with time zone",
  };
  const base = canonical[name] ?? name;
  const withMods = mods.length > 0 && !mods.some(Number.isNaN) ? `${base}(${mods.join(",")})` : base;
  return array ? `${withMods}[]` : withMods;
}

/** The constraints of a ColumnDef by kind. */
export function columnConstraints(column: Fields): Fields[] {
  return (column.constraints ?? []).map((c: Fields) => c.Constraint as Fields).filter(Boolean);
}

/** Every column name and raw constraint in a CreateStmt. */
export function tableElements(fields: Fields): { columns: Fields[]; constraints: Fields[] } {
  const columns: Fields[] = [];
  const constraints: Fields[] = [];
  for (const element of fields.tableElts ?? []) {
    if (element.ColumnDef) columns.push(element.ColumnDef);
    else if (element.Constraint) constraints.push(element.Constraint);
  }
  return { columns, constraints };
}

/** String node list to plain strings. */
export function strings(items: readonly Fields[] | undefined): string[] {
  return (items ?? []).map((i) => String(i.String?.sval ?? ""));
}

/** Every node of a given type anywhere below `node` (depth first). */
export function findAll(node: unknown, kind: string, out: Fields[] = []): Fields[] {
  if (Array.isArray(node)) for (const item of node) findAll(item, kind, out);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === kind) out.push(value as Fields);
      findAll(value, kind, out);
    }
  }
  return out;
}
