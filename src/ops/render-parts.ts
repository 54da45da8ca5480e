/**
 * SQL for the pieces operations and autogenerate share: column definitions,
 * constraints, foreign-key clauses, identity and sequence options, CREATE
 * TABLE, comments, index elements, defaults. Pure. The functions that take
 * `where` (e.g. `op.createTable("account")`) check what a revision author
 * passed and name that call in an error; the builders they end in
 * (columnSql, identitySql, sequenceClauses, createTableSql, commentSql)
 * format parts already checked, and autogenerate calls them too, so both
 * write a column, an identity or a table the same way.
 */
import { UsageError } from "../errors.ts";
import { describe, quoteLiteral } from "./literal.ts";
import type {
  Column,
  ColumnReference,
  ForeignKeyMatch,
  ForeignKeyOptions,
  IdentityOptions,
  IndexElement,
  ReferentialAction,
  ServerDefault,
  TableConstraint,
  UniqueOptions,
} from "./operations.ts";
import { qualify, quoteIdent } from "./quote.ts";

const referentialActions: ReadonlySet<ReferentialAction> = new Set(["CASCADE", "RESTRICT", "SET NULL", "SET DEFAULT", "NO ACTION"]);
const matchTypes: ReadonlySet<ForeignKeyMatch> = new Set(["SIMPLE", "FULL"]);

/** Throw a UsageError prefixed with the call it is about. */
export function fail(where: string, message: string): never {
  throw new UsageError(`${where}: ${message}`);
}

/** A name quoted as needed, with the call named if it is not a usable name. */
export function ident(where: string, name: unknown, what: string): string {
  if (typeof name !== "string" || name === "") fail(where, `${what} must be a non-empty string, got ${describe(name)}`);
  return quoteIdent(name);
}

/** `schema.table` quoted as needed, checking both parts. */
export function tableName(where: string, schema: unknown, table: unknown): string {
  ident(where, table, "the table name");
  if (schema !== undefined && schema !== null) ident(where, schema, "the schema");
  return qualify(schema as string | undefined, table as string);
}

/** A SQL fragment (type, expression, condition) that must be a non-empty string; written as is. */
export function fragment(where: string, value: unknown, what: string): string {
  if (typeof value !== "string" || value.trim() === "") fail(where, `${what} must be a non-empty SQL string, got ${describe(value)}`);
  return value.trim();
}

/** `(a, b)` from a non-empty list of column names. */
export function columnList(where: string, columns: unknown, what = "columns"): string {
  if (!Array.isArray(columns) || columns.length === 0) fail(where, `${what} must be a non-empty array of column names, got ${describe(columns)}`);
  return `(${columns.map((c) => ident(where, c, `each of ${what}`)).join(", ")})`;
}

/** The SQL of a server default: strings verbatim, numbers/bigints/booleans as literals. */
export function defaultSql(where: string, value: ServerDefault): string {
  switch (typeof value) {
    case "string":
      return fragment(where, value, "serverDefault");
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "TRUE" : "FALSE";
    case "number":
      if (Number.isFinite(value)) return String(value);
  }
  return fail(where, `serverDefault must be a SQL expression string, a finite number, a bigint or a boolean, got ${describe(value)}`);
}

/** DEFERRABLE / INITIALLY clauses; INITIALLY DEFERRED alone implies DEFERRABLE. */
export function deferral(where: string, options: UniqueOptions): string[] {
  const { deferrable, initiallyDeferred } = options;
  if (deferrable === false && initiallyDeferred === true) fail(where, "initiallyDeferred needs a deferrable constraint (deferrable: false was given)");
  const parts: string[] = [];
  if (deferrable === true || (deferrable === undefined && initiallyDeferred === true)) parts.push("DEFERRABLE");
  else if (deferrable === false) parts.push("NOT DEFERRABLE");
  if (initiallyDeferred === true) parts.push("INITIALLY DEFERRED");
  else if (initiallyDeferred === false) parts.push("INITIALLY IMMEDIATE");
  return parts;
}

function action(where: string, value: unknown, what: string): ReferentialAction {
  const normal = typeof value === "string" ? value.trim().toUpperCase().replace(/\s+/g, " ") : "";
  if (!referentialActions.has(normal as ReferentialAction)) {
    fail(where, `${what} must be one of ${[...referentialActions].join(", ")}, got ${describe(value)}`);
  }
  return normal as ReferentialAction;
}

/** `REFERENCES t (cols) [MATCH] [ON DELETE] [ON UPDATE] [DEFERRABLE…]`. */
export function referencesClause(
  where: string,
  target: { schema?: string | undefined; table: string; columns: readonly string[] },
  options: ForeignKeyOptions,
): string {
  const parts = [`REFERENCES ${tableName(where, target.schema, target.table)}`];
  if (target.columns.length > 0) parts[0] += ` ${columnList(where, target.columns, "referenced columns")}`;
  if (options.match !== undefined) {
    const match = typeof options.match === "string" ? options.match.toUpperCase() : options.match;
    if (!matchTypes.has(match as ForeignKeyMatch)) fail(where, `match must be SIMPLE or FULL, got ${describe(options.match)}`);
    parts.push(`MATCH ${match}`);
  }
  if (options.onDelete !== undefined) parts.push(`ON DELETE ${action(where, options.onDelete, "onDelete")}`);
  if (options.onUpdate !== undefined) parts.push(`ON UPDATE ${action(where, options.onUpdate, "onUpdate")}`);
  parts.push(...deferral(where, options));
  return parts.join(" ");
}

/** A column's `references`: "table", "table.column", "schema.table.column" or an object. */
export function parseReference(where: string, ref: string | ColumnReference): ColumnReference {
  if (typeof ref !== "string") {
    if (typeof ref !== "object" || ref === null) fail(where, `references must be "table.column" or { table, column }, got ${describe(ref)}`);
    return ref;
  }
  const parts = ref.split(".");
  if (parts.some((p) => p === "") || parts.length > 3) {
    fail(where, `references ${JSON.stringify(ref)} must be "table", "table.column" or "schema.table.column" (use { schema, table, column } for names containing dots)`);
  }
  if (parts.length === 3) return { schema: parts[0], table: parts[1] as string, column: parts[2] };
  if (parts.length === 2) return { table: parts[0] as string, column: parts[1] };
  return { table: parts[0] as string };
}

function sequenceNumber(where: string, value: unknown, what: string): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return fail(where, `identity ${what} must be an integer, got ${describe(value)}`);
}

/** `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [(sequence options)]`, checking what the author passed. */
export function identityClause(where: string, identity: "always" | "by default" | IdentityOptions): string {
  const options: IdentityOptions = typeof identity === "string" ? { generated: identity } : identity;
  if (typeof options !== "object" || options === null) fail(where, `identity must be "always", "by default" or an options object, got ${describe(identity)}`);
  const generated = options.generated ?? "by default";
  if (generated !== "always" && generated !== "by default") fail(where, `identity must be "always" or "by default", got ${describe(generated)}`);
  const number = (value: number | bigint | undefined, what: string) => (value === undefined ? undefined : sequenceNumber(where, value, what));
  return identitySql(generated === "always", {
    start: number(options.start, "start"),
    increment: number(options.increment, "increment"),
    min: number(options.minValue, "minValue"),
    max: number(options.maxValue, "maxValue"),
    cache: number(options.cache, "cache"),
    cycle: options.cycle,
  });
}

/** Sequence options to write, as decimal strings (`type`: smallint, integer or bigint); an absent one is left out. */
export type SequenceClauses = { readonly [K in "type" | "start" | "increment" | "min" | "max" | "cache"]?: string | undefined } & { readonly cycle?: boolean | undefined };

/** The option clauses of CREATE/ALTER SEQUENCE and identities, always in this order: AS, START WITH, INCREMENT BY, MINVALUE, MAXVALUE, CACHE, CYCLE. */
export function sequenceClauses(o: SequenceClauses): string[] {
  const out: string[] = [];
  if (o.type !== undefined) out.push(`AS ${o.type}`);
  if (o.start !== undefined) out.push(`START WITH ${o.start}`);
  if (o.increment !== undefined) out.push(`INCREMENT BY ${o.increment}`);
  if (o.min !== undefined) out.push(`MINVALUE ${o.min}`);
  if (o.max !== undefined) out.push(`MAXVALUE ${o.max}`);
  if (o.cache !== undefined) out.push(`CACHE ${o.cache}`);
  if (o.cycle !== undefined) out.push(o.cycle ? "CYCLE" : "NO CYCLE");
  return out;
}

/** `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY` with the given sequence options in parentheses (op helpers and autogenerate alike). */
export function identitySql(always: boolean, options: SequenceClauses): string {
  const clauses = sequenceClauses(options);
  const head = `GENERATED ${always ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`;
  return clauses.length > 0 ? `${head} (${clauses.join(" ")})` : head;
}

/** The pieces of one column definition, already rendered. */
export interface ColumnParts {
  /** the quoted name */
  readonly name: string;
  readonly type: string;
  /** the quoted collation name */
  readonly collation?: string | null | undefined;
  /** where values come from: `DEFAULT …`, an identity clause or `GENERATED ALWAYS AS (…) STORED` */
  readonly producer?: string | null | undefined;
  readonly notNull: boolean;
  /** inline constraints after NOT NULL (PRIMARY KEY, UNIQUE, REFERENCES …) */
  readonly constraints?: readonly string[] | undefined;
}

/** One column as written in CREATE TABLE and ADD COLUMN: name, type, COLLATE, its producer, NOT NULL, inline constraints. */
export function columnSql(c: ColumnParts): string {
  const parts = [c.name, c.type];
  if (c.collation !== undefined && c.collation !== null) parts.push(`COLLATE ${c.collation}`);
  if (c.producer !== undefined && c.producer !== null) parts.push(c.producer);
  if (c.notNull) parts.push("NOT NULL");
  parts.push(...(c.constraints ?? []));
  return parts.join(" ");
}

/** `COMMENT ON <objectType> <name> IS '…'` (NULL removes the comment), for op helpers and autogenerate alike. */
export function commentSql(objectType: string, name: string, text: string | null): string {
  return `COMMENT ON ${objectType} ${name} IS ${quoteLiteral(text)}`;
}

/** `CREATE TABLE head (` one item per line `)`, or `()` with no items. */
export function createTableSql(head: string, items: readonly string[]): string {
  return items.length === 0 ? `${head} ()` : `${head} (\n${items.map((i) => `    ${i}`).join(",\n")}\n)`;
}

function named(where: string, name: unknown): string {
  return name === undefined || name === null ? "" : `CONSTRAINT ${ident(where, name, "the constraint name")} `;
}

/**
 * One column definition. `inlinePrimaryKey` is false in a CREATE TABLE with a
 * composite key, which is then written as a table constraint instead.
 */
export function columnDefinition(where: string, column: Column, inlinePrimaryKey: boolean): string {
  if (typeof column !== "object" || column === null) fail(where, `a column must be an object { name, type, … }, got ${describe(column)}`);
  const at = `${where}, column ${JSON.stringify(column.name)}`;
  const name = ident(where, column.name, "a column name");
  const type = fragment(at, column.type, "type");
  const collation = column.collation !== undefined ? ident(at, column.collation, "collation") : null;
  const producers = [column.serverDefault !== undefined && "serverDefault", column.identity !== undefined && "identity", column.generated !== undefined && "generated"].filter(Boolean);
  if (producers.length > 1) fail(at, `${producers.join(" and ")} cannot be combined; a column gets its value from one of them`);
  let producer: string | null = null;
  if (column.serverDefault !== undefined) producer = `DEFAULT ${defaultSql(at, column.serverDefault)}`;
  if (column.identity !== undefined) producer = identityClause(at, column.identity);
  if (column.generated !== undefined) producer = `GENERATED ALWAYS AS (${fragment(at, column.generated, "generated")}) STORED`;
  if (column.primaryKey === true && column.nullable === true) fail(at, "a primary key column cannot be nullable");
  const constraints: string[] = [];
  if (column.primaryKey === true && inlinePrimaryKey) constraints.push("PRIMARY KEY");
  if (column.unique !== undefined && column.unique !== false) {
    constraints.push(`${named(at, column.unique === true ? undefined : column.unique)}UNIQUE`);
  }
  if (column.references !== undefined) {
    const ref = parseReference(at, column.references);
    const target = { schema: ref.schema, table: ref.table, columns: ref.column === undefined ? [] : [ref.column] };
    constraints.push(`${named(at, ref.name)}${referencesClause(at, target, ref)}`);
  }
  return columnSql({ name, type, collation, producer, notNull: column.nullable === false, constraints });
}

/** A table constraint, as in CREATE TABLE or ALTER TABLE … ADD. */
export function tableConstraint(where: string, constraint: TableConstraint): string {
  if (typeof constraint !== "object" || constraint === null) fail(where, `a constraint must be an object { kind, … }, got ${describe(constraint)}`);
  const name = named(where, constraint.name);
  switch (constraint.kind) {
    case "primaryKey":
      return `${name}PRIMARY KEY ${columnList(where, constraint.columns)}`;
    case "unique":
      return [`${name}UNIQUE ${columnList(where, constraint.columns)}`, ...deferral(where, constraint)].join(" ");
    case "foreignKey": {
      const local = columnList(where, constraint.columns);
      const remote = constraint.referentColumns;
      if (!Array.isArray(remote) || (remote.length > 0 && remote.length !== constraint.columns.length)) {
        fail(where, `a foreign key needs as many referenced columns as columns (${constraint.columns.length}), got ${describe(remote)}`);
      }
      const target = { schema: constraint.referentSchema, table: constraint.referentTable, columns: remote };
      return `${name}FOREIGN KEY ${local} ${referencesClause(where, target, constraint)}`;
    }
    case "check":
      return `${name}CHECK (${fragment(where, constraint.condition, "condition")})`;
    default:
      return fail(where, `unknown constraint kind ${describe((constraint as { kind: unknown }).kind)} (primaryKey, unique, foreignKey or check)`);
  }
}

const orders = new Set(["ASC", "DESC"]);
const nullsOrders = new Set(["FIRST", "LAST"]);

/** One index element: a column or a parenthesized expression, with collation, operator class and ordering. */
export function indexElement(where: string, element: IndexElement): string {
  if (typeof element === "string") return ident(where, element, "an index column");
  if (typeof element !== "object" || element === null) fail(where, `an index element must be a column name, { column } or { expression }, got ${describe(element)}`);
  const parts =
    "expression" in element
      ? [`(${fragment(where, element.expression, "an index expression")})`]
      : [ident(where, element.column, "an index column")];
  if (element.collation !== undefined) parts.push(`COLLATE ${ident(where, element.collation, "collation")}`);
  if (element.opclass !== undefined) parts.push(fragment(where, element.opclass, "opclass"));
  if (element.order !== undefined) {
    const order = String(element.order).toUpperCase();
    if (!orders.has(order)) fail(where, `order must be ASC or DESC, got ${describe(element.order)}`);
    parts.push(order);
  }
  if (element.nulls !== undefined) {
    const nulls = String(element.nulls).toUpperCase();
    if (!nullsOrders.has(nulls)) fail(where, `nulls must be FIRST or LAST, got ${describe(element.nulls)}`);
    parts.push(`NULLS ${nulls}`);
  }
  return parts.join(" ");
}
