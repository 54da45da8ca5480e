/**
 * The `op` object a TypeScript revision's upgrade(op)/downgrade(op) receives.
 * Each helper checks its arguments, builds an Operation, renders it with the
 * one renderer and sends every statement to the Sink, so online runs and
 * --sql scripts get the same SQL. Argument names follow Alembic's `op`.
 */
import type { Row } from "../drivers/engine.ts";
import { UsageError } from "../errors.ts";
import type { Sink } from "../runtime/sink.ts";
import { describe } from "./literal.ts";
import type {
  AddColumnOptions,
  AlterColumnOptions,
  BulkInsertOptions,
  Column,
  ColumnReference,
  CreateCheckConstraintOptions,
  CreateForeignKeyOptions,
  CreateIndexOptions,
  CreateTableOptions,
  CreateUniqueConstraintOptions,
  DropColumnOptions,
  DropConstraintOptions,
  DropIndexOptions,
  DropTableOptions,
  IdentityOptions,
  IndexElement,
  InsertRow,
  Operation,
  SchemaOption,
  TableConstraint,
} from "./operations.ts";
import { renderOperation } from "./render.ts";
import { checkKeys, type KeySet } from "./validate.ts";

export type * from "./operations.ts";

/** What upgrade(op) and downgrade(op) receive. Every method is async: await each call. */
export interface Op {
  /** true in --sql mode: statements are written to a script and query() is an error */
  readonly offline: boolean;
  /** Run SQL as written (several statements allowed without params); params bind $1..$n online and are inlined as literals offline. */
  execute(sql: string, params?: readonly unknown[]): Promise<void>;
  /** Read from the database (online only: in --sql mode this throws a UsageError). */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** CREATE TABLE with columns, table constraints, and COMMENT statements (Alembic's create_table). */
  createTable(table: string, columns: readonly Column[], options?: CreateTableOptions): Promise<void>;
  /** DROP TABLE (drop_table). */
  dropTable(table: string, options?: DropTableOptions): Promise<void>;
  /** ALTER TABLE … RENAME TO (rename_table). */
  renameTable(oldName: string, newName: string, options?: SchemaOption): Promise<void>;
  /** ALTER TABLE … ADD COLUMN (add_column). */
  addColumn(table: string, column: Column, options?: AddColumnOptions): Promise<void>;
  /** ALTER TABLE … DROP COLUMN (drop_column). */
  dropColumn(table: string, column: string, options?: DropColumnOptions): Promise<void>;
  /** Change a column's type (with USING), nullability, default, comment and/or name (alter_column). */
  alterColumn(table: string, column: string, changes: AlterColumnOptions): Promise<void>;
  /** CREATE INDEX on columns and/or { expression }s (create_index). */
  createIndex(name: string, table: string, columns: readonly IndexElement[], options?: CreateIndexOptions): Promise<void>;
  /** DROP INDEX (drop_index); pass `schema` for an index outside the search_path. */
  dropIndex(name: string, options?: DropIndexOptions): Promise<void>;
  /** ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY (create_primary_key). */
  createPrimaryKey(name: string, table: string, columns: readonly string[], options?: SchemaOption): Promise<void>;
  /** ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY (create_foreign_key). */
  createForeignKey(
    name: string,
    sourceTable: string,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options?: CreateForeignKeyOptions,
  ): Promise<void>;
  /** ALTER TABLE … ADD CONSTRAINT … UNIQUE (create_unique_constraint). */
  createUniqueConstraint(name: string, table: string, columns: readonly string[], options?: CreateUniqueConstraintOptions): Promise<void>;
  /** ALTER TABLE … ADD CONSTRAINT … CHECK (create_check_constraint); the condition is SQL written as is. */
  createCheckConstraint(name: string, table: string, condition: string, options?: CreateCheckConstraintOptions): Promise<void>;
  /** ALTER TABLE … DROP CONSTRAINT (drop_constraint). */
  dropConstraint(name: string, table: string, options?: DropConstraintOptions): Promise<void>;
  /** INSERT rows as literals, batchSize rows per statement (bulk_insert); a missing key is DEFAULT. */
  bulkInsert(table: string, rows: readonly InsertRow[], options?: BulkInsertOptions): Promise<void>;
}

const schemaKeys: KeySet<SchemaOption> = { schema: true };
const createTableKeys: KeySet<CreateTableOptions> = { schema: true, constraints: true, ifNotExists: true, comment: true };
const dropTableKeys: KeySet<DropTableOptions> = { schema: true, ifExists: true, cascade: true };
const addColumnKeys: KeySet<AddColumnOptions> = { schema: true, ifNotExists: true };
const dropColumnKeys: KeySet<DropColumnOptions> = { schema: true, ifExists: true, cascade: true };
const alterColumnKeys: KeySet<AlterColumnOptions> = {
  schema: true,
  type: true,
  using: true,
  nullable: true,
  serverDefault: true,
  newColumnName: true,
  comment: true,
};
const createIndexKeys: KeySet<CreateIndexOptions> = {
  schema: true,
  unique: true,
  where: true,
  concurrently: true,
  using: true,
  include: true,
  ifNotExists: true,
};
const dropIndexKeys: KeySet<DropIndexOptions> = { schema: true, table: true, concurrently: true, ifExists: true, cascade: true };
const foreignKeyKeys: KeySet<CreateForeignKeyOptions> = {
  sourceSchema: true,
  referentSchema: true,
  onDelete: true,
  onUpdate: true,
  deferrable: true,
  initiallyDeferred: true,
  match: true,
  notValid: true,
};
const uniqueKeys: KeySet<CreateUniqueConstraintOptions> = { schema: true, deferrable: true, initiallyDeferred: true };
const checkKeysSet: KeySet<CreateCheckConstraintOptions> = { schema: true, notValid: true };
const dropConstraintKeys: KeySet<DropConstraintOptions> = { schema: true, ifExists: true, cascade: true };
const bulkInsertKeys: KeySet<BulkInsertOptions> = { schema: true, batchSize: true };
const columnKeys: KeySet<Column> = {
  name: true,
  type: true,
  nullable: true,
  serverDefault: true,
  primaryKey: true,
  unique: true,
  references: true,
  identity: true,
  generated: true,
  collation: true,
  comment: true,
};
const referenceKeys: KeySet<ColumnReference> = {
  table: true,
  schema: true,
  column: true,
  name: true,
  onDelete: true,
  onUpdate: true,
  deferrable: true,
  initiallyDeferred: true,
  match: true,
};
const identityKeys: KeySet<IdentityOptions> = {
  generated: true,
  start: true,
  increment: true,
  minValue: true,
  maxValue: true,
  cache: true,
  cycle: true,
};
const constraintKeys: { readonly [K in TableConstraint["kind"]]: KeySet<Extract<TableConstraint, { kind: K }>> } = {
  primaryKey: { kind: true, name: true, columns: true },
  unique: { kind: true, name: true, columns: true, deferrable: true, initiallyDeferred: true },
  foreignKey: {
    kind: true,
    name: true,
    columns: true,
    referentTable: true,
    referentSchema: true,
    referentColumns: true,
    onDelete: true,
    onUpdate: true,
    deferrable: true,
    initiallyDeferred: true,
    match: true,
  },
  check: { kind: true, name: true, condition: true },
};
const indexElementKeys: KeySet<{ column: 1; expression: 1; order: 1; nulls: 1; opclass: 1; collation: 1 }> = {
  column: true,
  expression: true,
  order: true,
  nulls: true,
  opclass: true,
  collation: true,
};

function checkColumn(where: string, column: unknown): void {
  checkKeys(where, "column", column, columnKeys);
  if (typeof column !== "object" || column === null) throw new UsageError(`${where}: a column must be an object { name, type, … }, got ${describe(column)}`);
  const { references, identity } = column as Column;
  if (typeof references === "object") checkKeys(where, "references", references, referenceKeys);
  if (typeof identity === "object") checkKeys(where, "identity", identity, identityKeys);
}

function checkColumns(where: string, columns: unknown): void {
  if (!Array.isArray(columns)) throw new UsageError(`${where}: columns must be an array of { name, type, … }, got ${describe(columns)}`);
  for (const column of columns) checkColumn(where, column);
}

function checkConstraints(where: string, constraints: unknown): void {
  if (constraints === undefined) return;
  if (!Array.isArray(constraints)) throw new UsageError(`${where}: constraints must be an array, got ${describe(constraints)}`);
  for (const constraint of constraints) {
    const kind = (constraint as { kind?: unknown } | null)?.kind;
    if (typeof kind !== "string" || !Object.hasOwn(constraintKeys, kind)) {
      throw new UsageError(`${where}: a constraint needs kind "primaryKey", "unique", "foreignKey" or "check", got ${describe(kind)}`);
    }
    checkKeys(where, `${kind} constraint`, constraint, constraintKeys[kind as TableConstraint["kind"]]);
  }
}

function checkIndexElements(where: string, columns: unknown): void {
  if (!Array.isArray(columns)) return; // the renderer says what is wrong with it
  for (const element of columns) {
    if (typeof element === "object" && element !== null) checkKeys(where, "index element", element, indexElementKeys);
  }
}

/** An `op` whose statements go to `sink`: executed online, appended to the script in --sql mode. */
export function createOp(sink: Sink): Op {
  async function run(operation: Operation): Promise<void> {
    for (const statement of renderOperation(operation)) await sink.execute(statement);
  }
  const call = (method: string, ...names: unknown[]) => `op.${method}(${names.map((n) => (typeof n === "string" ? JSON.stringify(n) : describe(n))).join(", ")})`;

  return {
    get offline() {
      return sink.offline;
    },

    async execute(sql, params) {
      if (typeof sql !== "string" || sql.trim() === "") throw new UsageError(`op.execute() needs a SQL string, got ${describe(sql)}`);
      if (params !== undefined && !Array.isArray(params)) throw new UsageError(`op.execute(): params must be an array of values for $1..$n, got ${describe(params)}`);
      // params go to the sink untouched: bound by the server online, inlined by the offline sink
      await sink.execute(sql, params !== undefined && params.length > 0 ? params : undefined);
    },

    async query(sql, params) {
      if (typeof sql !== "string" || sql.trim() === "") throw new UsageError(`op.query() needs a SQL string, got ${describe(sql)}`);
      return sink.query(sql, params);
    },

    async createTable(table, columns, options = {}) {
      const where = call("createTable", table);
      checkKeys(where, "option", options, createTableKeys);
      checkColumns(where, columns);
      checkConstraints(where, options.constraints);
      await run({ kind: "createTable", table, columns, ...options });
    },

    async dropTable(table, options = {}) {
      checkKeys(call("dropTable", table), "option", options, dropTableKeys);
      await run({ kind: "dropTable", table, ...options });
    },

    async renameTable(oldName, newName, options = {}) {
      checkKeys(call("renameTable", oldName, newName), "option", options, schemaKeys);
      await run({ kind: "renameTable", table: oldName, newName, ...options });
    },

    async addColumn(table, column, options = {}) {
      const where = call("addColumn", table);
      checkKeys(where, "option", options, addColumnKeys);
      checkColumn(where, column);
      await run({ kind: "addColumn", table, column, ...options });
    },

    async dropColumn(table, column, options = {}) {
      checkKeys(call("dropColumn", table, column), "option", options, dropColumnKeys);
      await run({ kind: "dropColumn", table, column, ...options });
    },

    async alterColumn(table, column, changes) {
      const where = call("alterColumn", table, column);
      if (changes === undefined) throw new UsageError(`${where}: say what to change, e.g. { nullable: false } or { type: "bigint" }`);
      checkKeys(where, "option", changes, alterColumnKeys);
      await run({ kind: "alterColumn", table, column, ...changes });
    },

    async createIndex(name, table, columns, options = {}) {
      const where = call("createIndex", name, table);
      checkKeys(where, "option", options, createIndexKeys);
      checkIndexElements(where, columns);
      await run({ kind: "createIndex", name, table, columns, ...options });
    },

    async dropIndex(name, options = {}) {
      const where = call("dropIndex", name);
      if (typeof options === "string") {
        throw new UsageError(`${where}: the second argument is an options object; Alembic's table_name is { table: ${JSON.stringify(options)} }`);
      }
      checkKeys(where, "option", options, dropIndexKeys);
      await run({ kind: "dropIndex", name, ...options });
    },

    async createPrimaryKey(name, table, columns, options = {}) {
      checkKeys(call("createPrimaryKey", name, table), "option", options, schemaKeys);
      await run({ kind: "createPrimaryKey", name, table, columns, ...options });
    },

    async createForeignKey(name, sourceTable, referentTable, localColumns, remoteColumns, options = {}) {
      checkKeys(call("createForeignKey", name, sourceTable), "option", options, foreignKeyKeys);
      const { sourceSchema, ...rest } = options;
      await run({
        kind: "createForeignKey",
        name,
        table: sourceTable,
        schema: sourceSchema,
        columns: localColumns,
        referentTable,
        referentColumns: remoteColumns,
        ...rest,
      });
    },

    async createUniqueConstraint(name, table, columns, options = {}) {
      checkKeys(call("createUniqueConstraint", name, table), "option", options, uniqueKeys);
      await run({ kind: "createUniqueConstraint", name, table, columns, ...options });
    },

    async createCheckConstraint(name, table, condition, options = {}) {
      checkKeys(call("createCheckConstraint", name, table), "option", options, checkKeysSet);
      await run({ kind: "createCheckConstraint", name, table, condition, ...options });
    },

    async dropConstraint(name, table, options = {}) {
      checkKeys(call("dropConstraint", name, table), "option", options, dropConstraintKeys);
      await run({ kind: "dropConstraint", name, table, ...options });
    },

    async bulkInsert(table, rows, options = {}) {
      checkKeys(call("bulkInsert", table), "option", options, bulkInsertKeys);
      await run({ kind: "bulkInsert", table, rows, ...options });
    },
  };
}
