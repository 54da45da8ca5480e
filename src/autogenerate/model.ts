/**
 * The normalised schema model autogenerate compares: plain data read from the
 * catalogs (introspect.ts), no OIDs, so two databases of different servers
 * (PGlite 18, a PostgreSQL 15 in production) compare equal when they mean the
 * same thing. Every name is as spelled in the database; SQL fragments
 * (types, defaults, definitions) are what PostgreSQL itself prints with an
 * empty search_path, so they are always schema-qualified.
 */

/** A schema (namespace) other than the system ones. */
export interface SchemaDef {
  readonly name: string;
  readonly comment: string | null;
}

/** An installed extension (its version is ignored: servers ship different ones). */
export interface ExtensionDef {
  readonly name: string;
  readonly schema: string;
}

/** An enum type with its labels in sort order. */
export interface EnumDef {
  readonly schema: string;
  readonly name: string;
  readonly labels: readonly string[];
  readonly comment: string | null;
}

/** A domain: a base type with a default, NOT NULL and named check constraints. */
export interface DomainDef {
  readonly schema: string;
  readonly name: string;
  /** format_type() of the base type */
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly collation: string | null;
  /** check constraints by name; definitions as pg_get_constraintdef() prints them (NOT VALID included) */
  readonly constraints: readonly { readonly name: string; readonly definition: string }[];
  readonly comment: string | null;
}

/** Sequence options; numbers are kept as decimal strings (they are bigints). */
export interface SequenceOptions {
  /** "smallint", "integer" or "bigint" */
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
}

/** A free-standing sequence (identity sequences are part of their column). */
export interface SequenceDef extends SequenceOptions {
  readonly schema: string;
  readonly name: string;
  /** OWNED BY: a column of a table in the same schema */
  readonly ownedBy: { readonly table: string; readonly column: string } | null;
  readonly comment: string | null;
}

/** GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY and its sequence options. */
export interface IdentityDef extends SequenceOptions {
  readonly always: boolean;
}

/** A table column. At most one of default, identity and generated is set. */
export interface ColumnDef {
  readonly name: string;
  /** format_type(): "character varying(20)", "numeric(10,2)", "public.mood[]" */
  readonly type: string;
  readonly notNull: boolean;
  /** COLLATE clause (quoted, qualified when outside pg_catalog) when it differs from the type's default */
  readonly collation: string | null;
  /** pg_get_expr() of the default */
  readonly default: string | null;
  readonly identity: IdentityDef | null;
  /** GENERATED ALWAYS AS (expression) STORED, or VIRTUAL (PostgreSQL 18) */
  readonly generated: { readonly expression: string; readonly virtual: boolean } | null;
  readonly comment: string | null;
}

/** Constraint kinds autogenerate handles (NOT NULL is a column property, even on PostgreSQL 18). */
export type ConstraintType = "primary" | "unique" | "foreign" | "check" | "exclusion";

/** A table constraint; `definition` is pg_get_constraintdef() (with NOT VALID when unvalidated). */
export interface ConstraintDef {
  readonly name: string;
  readonly type: ConstraintType;
  readonly definition: string;
  /** the referenced table of a foreign key */
  readonly references: { readonly schema: string; readonly table: string } | null;
  readonly comment: string | null;
}

/** An ordinary table with its columns (in attnum order) and constraints (by name). */
export interface TableDef {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly constraints: readonly ConstraintDef[];
  readonly comment: string | null;
}

/** An index not owned by a constraint; `definition` is pg_get_indexdef(). */
export interface IndexDef {
  readonly schema: string;
  /** the table or materialized view it indexes (same schema) */
  readonly table: string;
  readonly name: string;
  readonly definition: string;
  readonly comment: string | null;
}

/** A view or materialized view; `definition` is pg_get_viewdef() without the final semicolon. */
export interface ViewDef {
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  readonly definition: string;
  /** reloptions, e.g. "check_option=local", "security_barrier=true" */
  readonly options: readonly string[];
  readonly comment: string | null;
}

/** A function or procedure (not an aggregate); `definition` is pg_get_functiondef(). */
export interface FunctionDef {
  readonly schema: string;
  readonly name: string;
  readonly kind: "function" | "procedure";
  /** pg_get_function_identity_arguments(): what DROP FUNCTION needs */
  readonly identityArguments: string;
  /** the argument types alone (oidvectortypes): with the name, what identifies the function */
  readonly signature: string;
  /** pg_get_function_arguments(): with names and defaults, which CREATE OR REPLACE cannot change */
  readonly arguments: string;
  /** pg_get_function_result(), null for procedures */
  readonly result: string | null;
  readonly definition: string;
  readonly comment: string | null;
}

/** A user trigger; `definition` is pg_get_triggerdef(). */
export interface TriggerDef {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly definition: string;
  readonly comment: string | null;
}

/** One "dependent needs dependency" edge between object keys (see keys.ts). */
export type Dependency = readonly [dependent: string, dependency: string];

/** Everything autogenerate compares, each list sorted by its identity. */
export interface SchemaModel {
  readonly schemas: readonly SchemaDef[];
  readonly extensions: readonly ExtensionDef[];
  readonly enums: readonly EnumDef[];
  readonly domains: readonly DomainDef[];
  readonly sequences: readonly SequenceDef[];
  readonly tables: readonly TableDef[];
  readonly indexes: readonly IndexDef[];
  readonly views: readonly ViewDef[];
  readonly functions: readonly FunctionDef[];
  readonly triggers: readonly TriggerDef[];
  /** edges read from pg_depend plus the structural ones (column → table…), sorted */
  readonly dependencies: readonly Dependency[];
  /** objects found that autogenerate does not compare, e.g. "partitioned table public.events" */
  readonly unsupported: readonly string[];
}

/** A model with nothing in it (not even the public schema). */
export function emptyModel(): SchemaModel {
  return {
    schemas: [],
    extensions: [],
    enums: [],
    domains: [],
    sequences: [],
    tables: [],
    indexes: [],
    views: [],
    functions: [],
    triggers: [],
    dependencies: [],
    unsupported: [],
  };
}

/** What a new database holds before anything is created in it (CREATE DATABASE from template1): the public schema and PL/pgSQL. */
export function freshDatabaseModel(): SchemaModel {
  return {
    ...emptyModel(),
    schemas: [{ name: "public", comment: "standard public schema" }],
    extensions: [{ name: "plpgsql", schema: "pg_catalog" }],
  };
}
