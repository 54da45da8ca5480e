/**
 * Schema operations as plain data. The `op` helpers of TypeScript revisions
 * build these values and autogenerate produces the same ones; render.ts is
 * the one place that turns them into SQL. Names follow Alembic's `op`
 * (create_table, add_column, alter_column(server_default=, type_=,
 * new_column_name=, postgresql_using=)…) in camelCase.
 *
 * SQL fragments (types, defaults, conditions, expressions) are written
 * verbatim; names (tables, columns, constraints, schemas) are quoted where
 * needed, so pass them exactly as they are spelled in the database.
 */

/**
 * A server default. A string is a SQL expression written as is, e.g.
 * `"now()"`, `"0"` or `"'active'"` (note the quotes: unlike SQLAlchemy's
 * server_default, a bare string is not turned into a literal); numbers,
 * bigints and booleans are written as literals.
 */
export type ServerDefault = string | number | bigint | boolean;

/** Referential actions of a foreign key (upper or lower case). */
export type ReferentialAction = "CASCADE" | "RESTRICT" | "SET NULL" | "SET DEFAULT" | "NO ACTION";

/** A referential action as written by the author; rendered in upper case. */
export type ReferentialActionInput = ReferentialAction | Lowercase<ReferentialAction>;

/** How a foreign key matches multi-column keys containing NULLs (PARTIAL is not implemented by PostgreSQL). */
export type ForeignKeyMatch = "SIMPLE" | "FULL" | "simple" | "full";

/** Options shared by foreign keys, as in Alembic's create_foreign_key. */
export interface ForeignKeyOptions {
  /** ON DELETE action */
  readonly onDelete?: ReferentialActionInput;
  /** ON UPDATE action */
  readonly onUpdate?: ReferentialActionInput;
  /** DEFERRABLE (true) or NOT DEFERRABLE (false) */
  readonly deferrable?: boolean;
  /** INITIALLY DEFERRED (true) or INITIALLY IMMEDIATE (false); true implies DEFERRABLE */
  readonly initiallyDeferred?: boolean;
  readonly match?: ForeignKeyMatch;
}

/** Options of UNIQUE constraints. */
export interface UniqueOptions {
  readonly deferrable?: boolean;
  /** INITIALLY DEFERRED (true) or INITIALLY IMMEDIATE (false); true implies DEFERRABLE */
  readonly initiallyDeferred?: boolean;
}

/** The target of a column-level foreign key. */
export interface ColumnReference extends ForeignKeyOptions {
  readonly table: string;
  /** the referenced table's schema; unqualified (search_path) when omitted, as in Alembic */
  readonly schema?: string;
  /** the referenced column; the referenced table's primary key when omitted */
  readonly column?: string;
  /** constraint name; PostgreSQL picks `<table>_<column>_fkey` when omitted */
  readonly name?: string;
}

/** Identity column options (GENERATED … AS IDENTITY). */
export interface IdentityOptions {
  /** "always" rejects explicit values unless OVERRIDING SYSTEM VALUE; default "by default" */
  readonly generated?: "always" | "by default";
  readonly start?: number | bigint;
  readonly increment?: number | bigint;
  readonly minValue?: number | bigint;
  readonly maxValue?: number | bigint;
  readonly cache?: number | bigint;
  readonly cycle?: boolean;
}

/** A column, as given to createTable and addColumn (Alembic's sa.Column). */
export interface Column {
  readonly name: string;
  /** the SQL type, written as is: "integer", "varchar(50)", "timestamptz", "text[]" */
  readonly type: string;
  /** false writes NOT NULL; default true (primary key columns are NOT NULL anyway) */
  readonly nullable?: boolean;
  /** DEFAULT …; see ServerDefault for how strings are written */
  readonly serverDefault?: ServerDefault;
  /** part of the primary key; several primary-key columns make one composite key */
  readonly primaryKey?: boolean;
  /** a UNIQUE constraint on this column alone; a string names the constraint */
  readonly unique?: boolean | string;
  /** a foreign key: "table.column", "schema.table.column", or a ColumnReference */
  readonly references?: string | ColumnReference;
  /** an identity column: "always", "by default", or options with start/increment… */
  readonly identity?: "always" | "by default" | IdentityOptions;
  /** a generated column: GENERATED ALWAYS AS (expression) STORED */
  readonly generated?: string;
  /** COLLATE name, e.g. "C" or "en_US" */
  readonly collation?: string;
  /** COMMENT ON COLUMN, written as a separate statement */
  readonly comment?: string;
}

/** A table-level constraint of createTable. */
export type TableConstraint =
  | { readonly kind: "primaryKey"; readonly name?: string; readonly columns: readonly string[] }
  | ({ readonly kind: "unique"; readonly name?: string; readonly columns: readonly string[] } & UniqueOptions)
  | ({
      readonly kind: "foreignKey";
      readonly name?: string;
      readonly columns: readonly string[];
      readonly referentTable: string;
      readonly referentSchema?: string;
      readonly referentColumns: readonly string[];
    } & ForeignKeyOptions)
  | { readonly kind: "check"; readonly name?: string; readonly condition: string };

/** Sort order of an index element (upper or lower case). */
export type IndexOrder = "ASC" | "DESC" | "asc" | "desc";

/** Where NULLs sort in an index element (upper or lower case). */
export type IndexNulls = "FIRST" | "LAST" | "first" | "last";

/** One element of an index: a column name, or a column/expression with ordering options. */
export type IndexElement =
  | string
  | {
      /** a column name (quoted as needed) */
      readonly column: string;
      readonly order?: IndexOrder;
      readonly nulls?: IndexNulls;
      /** operator class, e.g. "text_pattern_ops", "gin_trgm_ops" */
      readonly opclass?: string;
      readonly collation?: string;
    }
  | {
      /** a SQL expression written as is, e.g. "lower(email)" (Alembic's sa.text) */
      readonly expression: string;
      readonly order?: IndexOrder;
      readonly nulls?: IndexNulls;
      readonly opclass?: string;
      readonly collation?: string;
    };

/** The `schema` option most operations take. */
export interface SchemaOption {
  /** the table's schema; unqualified (search_path) when omitted */
  readonly schema?: string;
}

/** Options of createTable (Alembic's create_table keyword arguments). */
export interface CreateTableOptions extends SchemaOption {
  /** table-level constraints, written after the columns */
  readonly constraints?: readonly TableConstraint[];
  readonly ifNotExists?: boolean;
  /** COMMENT ON TABLE, written as a separate statement */
  readonly comment?: string;
}

/** Options of dropTable. */
export interface DropTableOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
}

/** Options of addColumn. */
export interface AddColumnOptions extends SchemaOption {
  readonly ifNotExists?: boolean;
}

/** Options of dropColumn. */
export interface DropColumnOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
}

/**
 * The changes of alterColumn (Alembic's alter_column). Several changes in one
 * call become several statements, in Alembic's order (type, nullability,
 * default, comment, rename last), except that a type change with a new
 * default drops the old default first, since it may not cast to the new type.
 */
export interface AlterColumnOptions extends SchemaOption {
  /** ALTER COLUMN … TYPE (Alembic's type_) */
  readonly type?: string;
  /** USING expression of a type change (Alembic's postgresql_using); needs `type` */
  readonly using?: string;
  /** true: DROP NOT NULL; false: SET NOT NULL */
  readonly nullable?: boolean;
  /** SET DEFAULT; null: DROP DEFAULT */
  readonly serverDefault?: ServerDefault | null;
  /** RENAME COLUMN … TO (Alembic's new_column_name); done last */
  readonly newColumnName?: string;
  /** COMMENT ON COLUMN; null removes the comment */
  readonly comment?: string | null;
}

/** Options of createIndex (Alembic's create_index, postgresql_* options without the prefix). */
export interface CreateIndexOptions extends SchemaOption {
  readonly unique?: boolean;
  /** partial index predicate, written as is (postgresql_where) */
  readonly where?: string;
  /** CREATE INDEX CONCURRENTLY: cannot run inside a transaction (postgresql_concurrently) */
  readonly concurrently?: boolean;
  /** index method: "btree", "gin", "gist", "hash", "brin", "spgist"… (postgresql_using) */
  readonly using?: string;
  /** covering columns (postgresql_include) */
  readonly include?: readonly string[];
  readonly ifNotExists?: boolean;
}

/** Options of dropIndex. */
export interface DropIndexOptions extends SchemaOption {
  /** the index's table, as in Alembic's drop_index(table_name=); informative, PostgreSQL does not need it */
  readonly table?: string;
  /** DROP INDEX CONCURRENTLY: cannot run inside a transaction */
  readonly concurrently?: boolean;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
}

/** Options of createForeignKey (Alembic's source_schema/referent_schema, ondelete…). */
export interface CreateForeignKeyOptions extends ForeignKeyOptions {
  /** the schema of the table that gets the constraint */
  readonly sourceSchema?: string;
  /** the schema of the referenced table; unqualified when omitted, as in Alembic */
  readonly referentSchema?: string;
  /** NOT VALID: existing rows are not checked until VALIDATE CONSTRAINT */
  readonly notValid?: boolean;
}

/** Options of createUniqueConstraint. */
export interface CreateUniqueConstraintOptions extends SchemaOption, UniqueOptions {}

/** Options of createCheckConstraint. */
export interface CreateCheckConstraintOptions extends SchemaOption {
  /** NOT VALID: existing rows are not checked until VALIDATE CONSTRAINT */
  readonly notValid?: boolean;
}

/** Options of dropConstraint. */
export interface DropConstraintOptions extends SchemaOption {
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
}

/** Options of bulkInsert. */
export interface BulkInsertOptions extends SchemaOption {
  /** rows per INSERT statement; default 1000 */
  readonly batchSize?: number;
}

/** A row for bulkInsert: column name to value; a missing or undefined value is written as DEFAULT. */
export type InsertRow = Readonly<Record<string, unknown>>;

/** Run SQL as written; params are bound online and inlined as literals offline. */
export interface ExecuteOperation {
  readonly kind: "execute";
  readonly sql: string;
  readonly params?: readonly unknown[];
}

/** CREATE TABLE, plus COMMENT statements for table and column comments. */
export interface CreateTableOperation extends CreateTableOptions {
  readonly kind: "createTable";
  readonly table: string;
  readonly columns: readonly Column[];
}

/** DROP TABLE. */
export interface DropTableOperation extends DropTableOptions {
  readonly kind: "dropTable";
  readonly table: string;
}

/** ALTER TABLE … RENAME TO (the table stays in its schema). */
export interface RenameTableOperation extends SchemaOption {
  readonly kind: "renameTable";
  readonly table: string;
  readonly newName: string;
}

/** ALTER TABLE … ADD COLUMN. */
export interface AddColumnOperation extends AddColumnOptions {
  readonly kind: "addColumn";
  readonly table: string;
  readonly column: Column;
}

/** ALTER TABLE … DROP COLUMN. */
export interface DropColumnOperation extends DropColumnOptions {
  readonly kind: "dropColumn";
  readonly table: string;
  readonly column: string;
}

/** ALTER TABLE … ALTER COLUMN / RENAME COLUMN and COMMENT ON COLUMN. */
export interface AlterColumnOperation extends AlterColumnOptions {
  readonly kind: "alterColumn";
  readonly table: string;
  readonly column: string;
}

/** CREATE INDEX. */
export interface CreateIndexOperation extends CreateIndexOptions {
  readonly kind: "createIndex";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly IndexElement[];
}

/** DROP INDEX. */
export interface DropIndexOperation extends DropIndexOptions {
  readonly kind: "dropIndex";
  readonly name: string;
}

/** ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY. */
export interface CreatePrimaryKeyOperation extends SchemaOption {
  readonly kind: "createPrimaryKey";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
}

/** ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY. */
export interface CreateForeignKeyOperation extends ForeignKeyOptions {
  readonly kind: "createForeignKey";
  readonly name: string;
  readonly table: string;
  readonly schema?: string;
  readonly columns: readonly string[];
  readonly referentTable: string;
  readonly referentSchema?: string;
  readonly referentColumns: readonly string[];
  readonly notValid?: boolean;
}

/** ALTER TABLE … ADD CONSTRAINT … UNIQUE. */
export interface CreateUniqueConstraintOperation extends CreateUniqueConstraintOptions {
  readonly kind: "createUniqueConstraint";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
}

/** ALTER TABLE … ADD CONSTRAINT … CHECK. */
export interface CreateCheckConstraintOperation extends CreateCheckConstraintOptions {
  readonly kind: "createCheckConstraint";
  readonly name: string;
  readonly table: string;
  readonly condition: string;
}

/** ALTER TABLE … DROP CONSTRAINT. */
export interface DropConstraintOperation extends DropConstraintOptions {
  readonly kind: "dropConstraint";
  readonly name: string;
  readonly table: string;
}

/** INSERT … VALUES with literal rows, batchSize rows per statement. */
export interface BulkInsertOperation extends BulkInsertOptions {
  readonly kind: "bulkInsert";
  readonly table: string;
  readonly rows: readonly InsertRow[];
}

/** Every schema operation retort can render. */
export type Operation =
  | ExecuteOperation
  | CreateTableOperation
  | DropTableOperation
  | RenameTableOperation
  | AddColumnOperation
  | DropColumnOperation
  | AlterColumnOperation
  | CreateIndexOperation
  | DropIndexOperation
  | CreatePrimaryKeyOperation
  | CreateForeignKeyOperation
  | CreateUniqueConstraintOperation
  | CreateCheckConstraintOperation
  | DropConstraintOperation
  | BulkInsertOperation;

/** The `kind` of an operation. */
export type OperationKind = Operation["kind"];
