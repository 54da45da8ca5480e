/**
 * Object keys: one string per comparable object, the same on both sides of a
 * comparison, e.g. `table:public.film` or `column:public.film.title`. Parts
 * are quoted like identifiers, so a name holding a dot cannot collide.
 */
import { quoteIdent } from "../ops/quote.ts";

/** The kinds of objects autogenerate compares. */
export type ObjectKind =
  | "schema"
  | "extension"
  | "enum"
  | "domain"
  | "sequence"
  | "owner"
  | "table"
  | "column"
  | "default"
  | "constraint"
  | "index"
  | "view"
  | "function"
  | "trigger";

const q = (parts: readonly string[]) => parts.map(quoteIdent).join(".");

/** Key builders, one per kind. */
export const keys = {
  schema: (name: string) => `schema:${q([name])}`,
  extension: (name: string) => `extension:${q([name])}`,
  enum: (schema: string, name: string) => `enum:${q([schema, name])}`,
  domain: (schema: string, name: string) => `domain:${q([schema, name])}`,
  sequence: (schema: string, name: string) => `sequence:${q([schema, name])}`,
  /** a sequence's OWNED BY link, separate from the sequence: it can only exist once the column does */
  owner: (schema: string, sequence: string) => `owner:${q([schema, sequence])}`,
  table: (schema: string, name: string) => `table:${q([schema, name])}`,
  column: (schema: string, table: string, column: string) => `column:${q([schema, table, column])}`,
  default: (schema: string, table: string, column: string) => `default:${q([schema, table, column])}`,
  constraint: (schema: string, table: string, name: string) => `constraint:${q([schema, table, name])}`,
  index: (schema: string, name: string) => `index:${q([schema, name])}`,
  view: (schema: string, name: string) => `view:${q([schema, name])}`,
  function: (schema: string, name: string, signature: string) => `function:${q([schema, name])}(${signature})`,
  trigger: (schema: string, table: string, name: string) => `trigger:${q([schema, table, name])}`,
} as const;

/** The kind a key was built for. */
export function kindOf(key: string): ObjectKind {
  return key.slice(0, key.indexOf(":")) as ObjectKind;
}
