/**
 * The one renderer: an Operation becomes one or more SQL statements, each
 * WITHOUT a trailing semicolon (the sink or script writer adds `;`). The SQL
 * runs on PostgreSQL 13 and later: nothing newer (no NULLS NOT DISTINCT, no
 * VIRTUAL generated columns) is ever written. Pure.
 */
import { describe } from "./literal.ts";
import { inlineParams } from "./inline-params.ts";
import { quoteLiteral } from "./literal.ts";
import type {
  AddColumnOperation,
  AlterColumnOperation,
  BulkInsertOperation,
  CreateIndexOperation,
  CreateTableOperation,
  InsertRow,
  Operation,
} from "./operations.ts";
import {
  columnDefinition,
  columnList,
  commentSql,
  createTableSql,
  defaultSql,
  fail,
  fragment,
  ident,
  indexElement,
  tableConstraint,
  tableName,
} from "./render-parts.ts";

/** Rows per INSERT when bulkInsert is not given a batchSize. */
export const defaultBatchSize = 1000;

/** The statements of one operation, in execution order, without trailing semicolons. */
export function renderOperation(op: Operation): string[] {
  const where = describeOperation(op);
  switch (op.kind) {
    case "execute":
      fragment(where, op.sql, "the SQL");
      return [op.params !== undefined && op.params.length > 0 ? inlineParams(op.sql, op.params) : op.sql];
    case "createTable":
      return createTable(where, op);
    case "dropTable":
      return [`DROP TABLE ${op.ifExists ? "IF EXISTS " : ""}${tableName(where, op.schema, op.table)}${op.cascade ? " CASCADE" : ""}`];
    case "renameTable":
      return [`ALTER TABLE ${tableName(where, op.schema, op.table)} RENAME TO ${ident(where, op.newName, "the new table name")}`];
    case "addColumn":
      return addColumn(where, op);
    case "dropColumn":
      return [
        `ALTER TABLE ${tableName(where, op.schema, op.table)} DROP COLUMN ${op.ifExists ? "IF EXISTS " : ""}` +
          `${ident(where, op.column, "the column name")}${op.cascade ? " CASCADE" : ""}`,
      ];
    case "alterColumn":
      return alterColumn(where, op);
    case "createIndex":
      return [createIndex(where, op)];
    case "dropIndex":
      if (op.concurrently && op.cascade) fail(where, "DROP INDEX CONCURRENTLY cannot CASCADE; drop the dependent objects first");
      return [
        `DROP INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.ifExists ? "IF EXISTS " : ""}` +
          `${tableName(where, op.schema, op.name)}${op.cascade ? " CASCADE" : ""}`,
      ];
    case "createPrimaryKey":
      return [addConstraint(where, op, tableConstraint(where, { kind: "primaryKey", columns: op.columns }))];
    case "createForeignKey": {
      const sql = tableConstraint(where, {
        kind: "foreignKey",
        columns: op.columns,
        referentTable: op.referentTable,
        referentSchema: op.referentSchema,
        referentColumns: op.referentColumns,
        onDelete: op.onDelete,
        onUpdate: op.onUpdate,
        deferrable: op.deferrable,
        initiallyDeferred: op.initiallyDeferred,
        match: op.match,
      });
      return [addConstraint(where, op, sql + (op.notValid ? " NOT VALID" : ""))];
    }
    case "createUniqueConstraint":
      return [addConstraint(where, op, tableConstraint(where, { kind: "unique", columns: op.columns, deferrable: op.deferrable, initiallyDeferred: op.initiallyDeferred }))];
    case "createCheckConstraint":
      return [addConstraint(where, op, tableConstraint(where, { kind: "check", condition: op.condition }) + (op.notValid ? " NOT VALID" : ""))];
    case "dropConstraint":
      return [
        `ALTER TABLE ${tableName(where, op.schema, op.table)} DROP CONSTRAINT ${op.ifExists ? "IF EXISTS " : ""}` +
          `${ident(where, op.name, "the constraint name")}${op.cascade ? " CASCADE" : ""}`,
      ];
    case "bulkInsert":
      return bulkInsert(where, op);
    default:
      return fail("renderOperation", `unknown operation kind ${describe((op as { kind?: unknown }).kind)}`);
  }
}

/** How an operation is named in error messages, e.g. `op.addColumn("account", "email")`. */
export function describeOperation(op: Operation): string {
  const name = (value: unknown) => (typeof value === "string" ? JSON.stringify(value) : describe(value));
  const table = (schema: unknown, t: unknown) => name(typeof schema === "string" && typeof t === "string" ? `${schema}.${t}` : t);
  switch (op.kind) {
    case "execute":
      return "op.execute()";
    case "addColumn":
      return `op.addColumn(${table(op.schema, op.table)}, ${name(op.column?.name)})`;
    case "dropColumn":
    case "alterColumn":
      return `op.${op.kind}(${table(op.schema, op.table)}, ${name(op.column)})`;
    case "createIndex":
    case "createPrimaryKey":
    case "createForeignKey":
    case "createUniqueConstraint":
    case "createCheckConstraint":
    case "dropConstraint":
      return `op.${op.kind}(${name(op.name)}, ${table(op.schema, op.table)})`;
    case "dropIndex":
      return `op.dropIndex(${table(op.schema, op.name)})`;
    case "renameTable":
      return `op.renameTable(${table(op.schema, op.table)}, ${name(op.newName)})`;
    default:
      return `op.${String((op as { kind?: unknown }).kind)}(${table((op as { schema?: unknown }).schema, (op as { table?: unknown }).table)})`;
  }
}

function addConstraint(where: string, op: { schema?: string; table: string; name: string }, body: string): string {
  return `ALTER TABLE ${tableName(where, op.schema, op.table)} ADD CONSTRAINT ${ident(where, op.name, "the constraint name")} ${body}`;
}

function columnComment(where: string, table: string, column: string, comment: unknown): string {
  if (comment !== null && typeof comment !== "string") fail(where, `comment must be a string or null, got ${describe(comment)}`);
  return commentSql("COLUMN", `${table}.${ident(where, column, "the column name")}`, comment as string | null);
}

function createTable(where: string, op: CreateTableOperation): string[] {
  const table = tableName(where, op.schema, op.table);
  if (!Array.isArray(op.columns)) fail(where, `columns must be an array of { name, type, … }, got ${describe(op.columns)}`);
  const constraints = op.constraints ?? [];
  if (!Array.isArray(constraints)) fail(where, `constraints must be an array, got ${describe(constraints)}`);
  const keyColumns = op.columns.filter((c) => c?.primaryKey === true);
  if (keyColumns.length > 0 && constraints.some((c) => c?.kind === "primaryKey")) {
    fail(where, "the primary key is given twice: by primaryKey columns and by a primaryKey constraint");
  }
  const composite = keyColumns.length > 1;
  const items = op.columns.map((c) => columnDefinition(where, c, !composite));
  if (composite) items.push(`PRIMARY KEY (${keyColumns.map((c) => ident(where, c.name, "a column name")).join(", ")})`);
  items.push(...constraints.map((c) => tableConstraint(where, c)));
  const statements = [createTableSql(`CREATE TABLE ${op.ifNotExists ? "IF NOT EXISTS " : ""}${table}`, items)];
  if (op.comment !== undefined) statements.push(commentSql("TABLE", table, op.comment));
  for (const column of op.columns) {
    if (column.comment !== undefined) statements.push(columnComment(where, table, column.name, column.comment));
  }
  return statements;
}

function addColumn(where: string, op: AddColumnOperation): string[] {
  const table = tableName(where, op.schema, op.table);
  const statements = [`ALTER TABLE ${table} ADD COLUMN ${op.ifNotExists ? "IF NOT EXISTS " : ""}${columnDefinition(where, op.column, true)}`];
  if (op.column.comment !== undefined) statements.push(columnComment(where, table, op.column.name, op.column.comment));
  return statements;
}

function alterColumn(where: string, op: AlterColumnOperation): string[] {
  const table = tableName(where, op.schema, op.table);
  const alter = `ALTER TABLE ${table} ALTER COLUMN ${ident(where, op.column, "the column name")}`;
  if (op.using !== undefined && op.type === undefined) fail(where, "using needs type: it is the USING expression of a type change");
  const statements: string[] = [];
  // a type change fails when the old default does not cast to the new type; PostgreSQL's documented fix is to drop it first
  const dropDefaultFirst = op.type !== undefined && op.serverDefault !== undefined;
  if (dropDefaultFirst) statements.push(`${alter} DROP DEFAULT`);
  if (op.type !== undefined) {
    const using = op.using === undefined ? "" : ` USING ${fragment(where, op.using, "using")}`;
    statements.push(`${alter} TYPE ${fragment(where, op.type, "type")}${using}`);
  }
  if (op.nullable !== undefined) statements.push(`${alter} ${op.nullable ? "DROP" : "SET"} NOT NULL`);
  if (op.serverDefault === null) {
    if (!dropDefaultFirst) statements.push(`${alter} DROP DEFAULT`);
  } else if (op.serverDefault !== undefined) {
    statements.push(`${alter} SET DEFAULT ${defaultSql(where, op.serverDefault)}`);
  }
  if (op.comment !== undefined) statements.push(columnComment(where, table, op.column, op.comment));
  if (op.newColumnName !== undefined) {
    statements.push(`ALTER TABLE ${table} RENAME COLUMN ${ident(where, op.column, "the column name")} TO ${ident(where, op.newColumnName, "newColumnName")}`);
  }
  if (statements.length === 0) fail(where, "nothing to change: give type, nullable, serverDefault, comment or newColumnName");
  return statements;
}

function createIndex(where: string, op: CreateIndexOperation): string {
  if (!Array.isArray(op.columns) || op.columns.length === 0) fail(where, `columns must be a non-empty array of column names or { expression }, got ${describe(op.columns)}`);
  const parts = [
    `CREATE ${op.unique ? "UNIQUE " : ""}INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.ifNotExists ? "IF NOT EXISTS " : ""}` +
      `${ident(where, op.name, "the index name")} ON ${tableName(where, op.schema, op.table)}`,
  ];
  if (op.using !== undefined) parts.push(`USING ${ident(where, op.using, "using")}`);
  parts.push(`(${op.columns.map((c) => indexElement(where, c)).join(", ")})`);
  if (op.include !== undefined) parts.push(`INCLUDE ${columnList(where, op.include, "include")}`);
  if (op.where !== undefined) parts.push(`WHERE ${fragment(where, op.where, "where")}`);
  return parts.join(" ");
}

function bulkInsert(where: string, op: BulkInsertOperation): string[] {
  const table = tableName(where, op.schema, op.table);
  if (!Array.isArray(op.rows)) fail(where, `rows must be an array of objects, got ${describe(op.rows)}`);
  const batchSize = op.batchSize ?? defaultBatchSize;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) fail(where, `batchSize must be a positive integer, got ${describe(batchSize)}`);
  const columns = insertColumns(where, op.rows);
  if (columns.length === 0) return op.rows.map(() => `INSERT INTO ${table} DEFAULT VALUES`);
  const head = `INSERT INTO ${table} (${columns.map((c) => ident(where, c, "a column name")).join(", ")}) VALUES`;
  const tuples = op.rows.map((row, r) => `(${columns.map((c) => insertValue(where, row, r, c)).join(", ")})`);
  const statements: string[] = [];
  for (let i = 0; i < tuples.length; i += batchSize) {
    const batch = tuples.slice(i, i + batchSize);
    statements.push(batch.length === 1 ? `${head} ${batch[0]}` : `${head}\n${batch.map((t) => `    ${t}`).join(",\n")}`);
  }
  return statements;
}

/** Every key that has a value in some row, in first-seen order, so all batches share one column list. */
function insertColumns(where: string, rows: readonly InsertRow[]): string[] {
  const seen = new Set<string>();
  rows.forEach((row, r) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) fail(where, `row ${r + 1} must be an object of column values, got ${describe(row)}`);
    for (const [key, value] of Object.entries(row)) if (value !== undefined) seen.add(key);
  });
  return [...seen];
}

function insertValue(where: string, row: InsertRow, r: number, column: string): string {
  const value = row[column];
  if (value === undefined) return "DEFAULT";
  try {
    return quoteLiteral(value);
  } catch (error) {
    return fail(where, `row ${r + 1}, column ${JSON.stringify(column)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
