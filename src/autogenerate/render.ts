/**
 * Changes to SQL: each change becomes one or more statements (terminated by
 * `;`), and a list of changes becomes a revision section with destructive
 * steps marked by a comment. Everything written runs on PostgreSQL 13 and
 * later (generated columns say STORED). Pure.
 */
import { qualify, quoteIdent, quoteString } from "../ops/quote.ts";
import { columnSql, commentSql, createTableSql } from "../ops/render-parts.ts";
import type { Change } from "./changes.ts";
import { destructiveReason } from "./describe.ts";
import type { ColumnDef, ConstraintDef } from "./model.ts";
import { identityChanges, identityClause, sequenceOptions } from "./render-sequence.ts";
import { alterDomain, comment, createDomain, recreateEnum, retiredName, retypeColumns } from "./render-types.ts";
import { isSafeTypeChange, unwrapParens } from "./sql-text.ts";

const CONSTRAINT_ORDER = ["primary", "unique", "exclusion", "check", "foreign"];

/** The statements of one change, each ending with `;`. */
export function renderChange(change: Change): string[] {
  switch (change.kind) {
    case "createSchema":
      return [`CREATE SCHEMA ${quoteIdent(change.schema.name)};`, ...comment("SCHEMA", quoteIdent(change.schema.name), change.schema.comment)];
    case "dropSchema":
      return [`DROP SCHEMA ${quoteIdent(change.schema.name)};`];
    case "createExtension":
      return [`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(change.extension.name)} WITH SCHEMA ${quoteIdent(change.extension.schema)};`];
    case "dropExtension":
      return [`DROP EXTENSION ${quoteIdent(change.extension.name)};`];
    case "alterExtension":
      return [`ALTER EXTENSION ${quoteIdent(change.to.name)} SET SCHEMA ${quoteIdent(change.to.schema)};`];
    case "createEnum": {
      const name = qualify(change.enum.schema, change.enum.name);
      return [`CREATE TYPE ${name} AS ENUM (${change.enum.labels.map(quoteString).join(", ")});`, ...comment("TYPE", name, change.enum.comment)];
    }
    case "dropEnum":
      return [`DROP TYPE ${qualify(change.enum.schema, change.enum.name)};`];
    case "addEnumValues": {
      const name = qualify(change.enum.schema, change.enum.name);
      return change.values.map((v) => {
        const place = v.after !== undefined ? ` AFTER ${quoteString(v.after)}` : v.before !== undefined ? ` BEFORE ${quoteString(v.before)}` : "";
        return `ALTER TYPE ${name} ADD VALUE ${quoteString(v.value)}${place};`;
      });
    }
    case "recreateEnum":
      return recreateEnum(change);
    case "createDomain":
      return createDomain(change.domain);
    case "dropDomain":
      return [`DROP DOMAIN ${qualify(change.domain.schema, change.domain.name)};`];
    case "alterDomain":
      return alterDomain(change.from, change.to);
    case "recreateDomain": {
      const old = retiredName(change.from.name);
      return [
        `ALTER DOMAIN ${qualify(change.from.schema, change.from.name)} RENAME TO ${quoteIdent(old)};`,
        ...createDomain(change.to),
        ...retypeColumns(change.columns, false),
        `DROP DOMAIN ${qualify(change.from.schema, old)};`,
      ];
    }
    case "createSequence": {
      const name = qualify(change.sequence.schema, change.sequence.name);
      const options = sequenceOptions(change.sequence, null);
      return [`CREATE SEQUENCE ${name}${options.length > 0 ? ` ${options.join(" ")}` : ""};`, ...comment("SEQUENCE", name, change.sequence.comment)];
    }
    case "alterSequence":
      return [`ALTER SEQUENCE ${qualify(change.to.schema, change.to.name)} ${sequenceOptions(change.to, change.from).join(" ")};`];
    case "dropSequence":
      return [`DROP SEQUENCE ${qualify(change.sequence.schema, change.sequence.name)};`];
    case "setSequenceOwner": {
      const owner = change.ownedBy === null ? "NONE" : `${qualify(change.sequence.schema, change.ownedBy.table)}.${quoteIdent(change.ownedBy.column)}`;
      return [`ALTER SEQUENCE ${qualify(change.sequence.schema, change.sequence.name)} OWNED BY ${owner};`];
    }
    case "createTable":
      return createTable(change);
    case "dropTable":
      return [`DROP TABLE ${qualify(change.table.schema, change.table.name)};`];
    case "addColumn": {
      const table = qualify(change.schema, change.table);
      return [
        `ALTER TABLE ${table} ADD COLUMN ${columnDefinition(change.column)};`,
        ...comment("COLUMN", `${table}.${quoteIdent(change.column.name)}`, change.column.comment),
      ];
    }
    case "dropColumn":
      return [`ALTER TABLE ${qualify(change.schema, change.table)} DROP COLUMN ${quoteIdent(change.column.name)};`];
    case "alterColumn":
      return alterColumn(qualify(change.schema, change.table), change.from, change.to);
    case "setDefault":
      return [`ALTER TABLE ${qualify(change.schema, change.table)} ALTER COLUMN ${quoteIdent(change.column)} SET DEFAULT ${change.expression};`];
    case "dropDefault":
      return [`ALTER TABLE ${qualify(change.schema, change.table)} ALTER COLUMN ${quoteIdent(change.column)} DROP DEFAULT;`];
    case "addConstraint": {
      const table = qualify(change.schema, change.table);
      return [
        `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(change.constraint.name)} ${change.constraint.definition};`,
        ...comment("CONSTRAINT", `${quoteIdent(change.constraint.name)} ON ${table}`, change.constraint.comment),
      ];
    }
    case "dropConstraint":
      return [`ALTER TABLE ${qualify(change.schema, change.table)} DROP CONSTRAINT ${quoteIdent(change.constraint.name)};`];
    case "validateConstraint":
      return [`ALTER TABLE ${qualify(change.schema, change.table)} VALIDATE CONSTRAINT ${quoteIdent(change.constraint.name)};`];
    case "createIndex": {
      const name = qualify(change.index.schema, change.index.name);
      return [`${change.index.definition};`, ...comment("INDEX", name, change.index.comment)];
    }
    case "dropIndex":
      return [`DROP INDEX ${qualify(change.index.schema, change.index.name)};`];
    case "createView": {
      const v = change.view;
      const name = qualify(v.schema, v.name);
      const kind = v.materialized ? "MATERIALIZED VIEW" : "VIEW";
      const options = v.options.length > 0 ? ` WITH (${v.options.join(", ")})` : "";
      return [`CREATE ${kind} ${name}${options} AS\n${indentQuery(v.definition)};`, ...comment(kind, name, v.comment)];
    }
    case "dropView":
      return [`DROP ${change.view.materialized ? "MATERIALIZED VIEW" : "VIEW"} ${qualify(change.view.schema, change.view.name)};`];
    case "createFunction":
    case "replaceFunction": {
      const f = change.kind === "createFunction" ? change.function : change.to;
      const signature = `${qualify(f.schema, f.name)}(${f.identityArguments})`;
      return [`${f.definition};`, ...(change.kind === "createFunction" ? comment(f.kind === "procedure" ? "PROCEDURE" : "FUNCTION", signature, f.comment) : [])];
    }
    case "dropFunction": {
      const f = change.function;
      return [`DROP ${f.kind === "procedure" ? "PROCEDURE" : "FUNCTION"} ${qualify(f.schema, f.name)}(${f.identityArguments});`];
    }
    case "createTrigger": {
      const t = change.trigger;
      return [`${t.definition};`, ...comment("TRIGGER", `${quoteIdent(t.name)} ON ${qualify(t.schema, t.table)}`, t.comment)];
    }
    case "dropTrigger":
      return [`DROP TRIGGER ${quoteIdent(change.trigger.name)} ON ${qualify(change.trigger.schema, change.trigger.table)};`];
    case "comment":
      return [`${commentSql(change.target.objectType, change.target.name, change.comment)};`];
  }
}

/** A revision section: the statements of every change, blank-line separated, destructive ones under a warning comment. */
export function renderChanges(changes: readonly Change[]): string {
  return changes
    .map((change) => {
      const reason = destructiveReason(change);
      const sql = renderChange(change).join("\n");
      return reason === null ? sql : `-- DESTRUCTIVE: ${reason}\n${sql}`;
    })
    .join("\n\n");
}

/** pg_get_viewdef() indents continuation lines already; the first line gets the same margin. */
function indentQuery(query: string): string {
  return ` ${query}`;
}

/** One column as written in CREATE TABLE and ADD COLUMN. */
export function columnDefinition(column: ColumnDef): string {
  let producer: string | null = null;
  if (column.generated !== null) {
    producer = `GENERATED ALWAYS AS (${unwrapParens(column.generated.expression)}) ${column.generated.virtual ? "VIRTUAL" : "STORED"}`;
  } else if (column.identity !== null) producer = identityClause(column.identity);
  else if (column.default !== null) producer = `DEFAULT ${column.default}`;
  return columnSql({ name: quoteIdent(column.name), type: column.type, collation: column.collation, producer, notNull: column.notNull });
}

function createTable(change: Change & { kind: "createTable" }): string[] {
  const t = change.table;
  const name = qualify(t.schema, t.name);
  const constraints = [...change.constraints].sort(
    (a, b) => CONSTRAINT_ORDER.indexOf(a.type) - CONSTRAINT_ORDER.indexOf(b.type) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const items = [...t.columns.map(columnDefinition), ...constraints.map((c) => `CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`)];
  const statements = [`${createTableSql(`CREATE TABLE ${name}`, items)};`];
  statements.push(...comment("TABLE", name, t.comment));
  for (const c of t.columns) statements.push(...comment("COLUMN", `${name}.${quoteIdent(c.name)}`, c.comment));
  for (const c of constraints) statements.push(...constraintComment(name, c));
  return statements;
}

function constraintComment(table: string, c: ConstraintDef): string[] {
  return comment("CONSTRAINT", `${quoteIdent(c.name)} ON ${table}`, c.comment);
}

function alterColumn(table: string, from: ColumnDef, to: ColumnDef): string[] {
  const alter = `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(to.name)}`;
  const out: string[] = [];
  if (from.generated !== null && to.generated === null) out.push(`${alter} DROP EXPRESSION;`);
  if (from.identity !== null && to.identity === null) out.push(`${alter} DROP IDENTITY;`);
  if (from.type !== to.type || from.collation !== to.collation) {
    const collate = to.collation !== null ? ` COLLATE ${to.collation}` : "";
    const using = from.type === to.type || isSafeTypeChange(from.type, to.type) ? "" : ` USING ${quoteIdent(to.name)}::${to.type}`;
    out.push(`${alter} TYPE ${to.type}${collate}${using};`);
  }
  if (from.notNull !== to.notNull) out.push(`${alter} ${to.notNull ? "SET" : "DROP"} NOT NULL;`);
  if (to.identity !== null) {
    if (from.identity === null) out.push(`${alter} ADD ${identityClause(to.identity)};`);
    else {
      const sets: string[] = [];
      if (from.identity.always !== to.identity.always) sets.push(`SET GENERATED ${to.identity.always ? "ALWAYS" : "BY DEFAULT"}`);
      sets.push(...identityChanges(from.identity, to.identity));
      if (sets.length > 0) out.push(`${alter} ${sets.join(" ")};`);
    }
  }
  return out;
}
