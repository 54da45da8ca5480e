/**
 * How PostgreSQL names objects: the namespaces a name lives in (a table, a
 * view, an index and a sequence share one per schema; so do types), which
 * orders a drop before a create of the same name, and what COMMENT ON
 * calls each kind of object. Pure.
 */
import { qualify as qualifyName, quoteIdent as quote } from "../ops/quote.ts";
import type { ModelObject } from "./objects.ts";

/** The names an object holds in PostgreSQL's namespaces: relations and types per schema, constraints per table. */
export function names(into: Set<string>, key: string, object: ModelObject): void {
  const rel = (schema: string, name: string) => into.add(`rel:${JSON.stringify([schema, name])}`);
  const type = (schema: string, name: string) => into.add(`type:${JSON.stringify([schema, name])}`);
  into.add(key);
  switch (object.kind) {
    case "table":
    case "view":
      rel(object.def.schema, object.def.name);
      type(object.def.schema, object.def.name);
      return;
    case "sequence":
    case "index":
      rel(object.def.schema, object.def.name);
      return;
    case "enum":
    case "domain":
      type(object.def.schema, object.def.name);
      return;
    case "constraint":
      if (object.def.type !== "check" && object.def.type !== "foreign") rel(object.table.schema, object.def.name);
      return;
  }
}

/** What COMMENT ON names for an object, or null for objects without comments. */
export function commentTarget(object: ModelObject): { objectType: string; name: string; display: string } | null {
  const q = (schema: string, name: string) => qualifyName(schema, name);
  switch (object.kind) {
    case "schema":
      return { objectType: "SCHEMA", name: quote(object.def.name), display: object.def.name };
    case "enum":
      return { objectType: "TYPE", name: q(object.def.schema, object.def.name), display: `${object.def.schema}.${object.def.name}` };
    case "domain":
      return { objectType: "DOMAIN", name: q(object.def.schema, object.def.name), display: `${object.def.schema}.${object.def.name}` };
    case "sequence":
      return { objectType: "SEQUENCE", name: q(object.def.schema, object.def.name), display: `${object.def.schema}.${object.def.name}` };
    case "table":
      return { objectType: "TABLE", name: q(object.def.schema, object.def.name), display: `${object.def.schema}.${object.def.name}` };
    case "column":
      return {
        objectType: "COLUMN",
        name: `${q(object.table.schema, object.table.name)}.${quote(object.def.name)}`,
        display: `${object.table.schema}.${object.table.name}.${object.def.name}`,
      };
    case "constraint":
      return {
        objectType: "CONSTRAINT",
        name: `${quote(object.def.name)} ON ${q(object.table.schema, object.table.name)}`,
        display: `${object.def.name} on ${object.table.schema}.${object.table.name}`,
      };
    case "index":
      return { objectType: "INDEX", name: q(object.def.schema, object.def.name), display: `${object.def.schema}.${object.def.name}` };
    case "view":
      return {
        objectType: object.def.materialized ? "MATERIALIZED VIEW" : "VIEW",
        name: q(object.def.schema, object.def.name),
        display: `${object.def.schema}.${object.def.name}`,
      };
    case "function":
      return {
        objectType: object.def.kind === "procedure" ? "PROCEDURE" : "FUNCTION",
        name: `${q(object.def.schema, object.def.name)}(${object.def.identityArguments})`,
        display: `${object.def.schema}.${object.def.name}(${object.def.identityArguments})`,
      };
    case "trigger":
      return {
        objectType: "TRIGGER",
        name: `${quote(object.def.name)} ON ${q(object.def.schema, object.def.table)}`,
        display: `${object.def.name} on ${object.def.schema}.${object.def.table}`,
      };
    default:
      return null;
  }
}

/** The comment an object carries (null for kinds without one). */
export function commentOfObject(object: ModelObject): string | null {
  return "def" in object && "comment" in object.def ? (object.def.comment ?? null) : null;
}
