/**
 * Words for changes: Alembic-style "Detected …" summary lines (what
 * `revision --autogenerate` logs and `check` reports) and the reason a step
 * is destructive (a drop that loses data, a type change that can fail or
 * rewrite the table). Pure.
 */
import type { Change } from "./changes.ts";
import type { ConstraintType } from "./model.ts";
import { isSafeTypeChange } from "./sql-text.ts";

const CONSTRAINT_WORDS: Record<ConstraintType, string> = {
  primary: "primary key",
  unique: "unique constraint",
  foreign: "foreign key",
  check: "check constraint",
  exclusion: "exclusion constraint",
};

const dotted = (...parts: string[]) => parts.join(".");

/** The summary lines of one change; dependent recreations say why, their drop half says nothing. */
export function describeChange(change: Change): string[] {
  const verb = (added: string) => (change.recreated ? "changed" : added);
  if (change.dependent) {
    const what = dependentSubject(change);
    return what === null ? [] : [`Recreating ${what}: it depends on a changed object`];
  }
  switch (change.kind) {
    case "createSchema":
      return [`Detected added schema '${change.schema.name}'`];
    case "dropSchema":
      return [`Detected removed schema '${change.schema.name}'`];
    case "createExtension":
      return [`Detected added extension '${change.extension.name}'`];
    case "dropExtension":
      return [`Detected removed extension '${change.extension.name}'`];
    case "alterExtension":
      return [`Detected extension '${change.to.name}' moved from schema '${change.from.schema}' to '${change.to.schema}'`];
    case "createEnum":
      return [`Detected added enum '${dotted(change.enum.schema, change.enum.name)}'`];
    case "dropEnum":
      return [`Detected removed enum '${dotted(change.enum.schema, change.enum.name)}'`];
    case "addEnumValues":
      return change.values.map((v) => `Detected added value '${v.value}' in enum '${dotted(change.enum.schema, change.enum.name)}'`);
    case "recreateEnum": {
      const removed = change.from.labels.filter((l) => !change.to.labels.includes(l));
      const what = removed.length > 0 ? `removed value(s) ${removed.map((l) => `'${l}'`).join(", ")}` : "reordered values";
      return [`Detected ${what} in enum '${dotted(change.to.schema, change.to.name)}'`];
    }
    case "createDomain":
      return [`Detected added domain '${dotted(change.domain.schema, change.domain.name)}'`];
    case "dropDomain":
      return [`Detected removed domain '${dotted(change.domain.schema, change.domain.name)}'`];
    case "alterDomain":
      return [`Detected changed domain '${dotted(change.to.schema, change.to.name)}'`];
    case "recreateDomain":
      return [
        change.from.type !== change.to.type
          ? `Detected base type change from '${change.from.type}' to '${change.to.type}' on domain '${dotted(change.to.schema, change.to.name)}'`
          : `Detected collation change on domain '${dotted(change.to.schema, change.to.name)}'`,
      ];
    case "createSequence":
      return [`Detected added sequence '${dotted(change.sequence.schema, change.sequence.name)}'`];
    case "alterSequence":
      return [`Detected changed sequence '${dotted(change.to.schema, change.to.name)}'`];
    case "dropSequence":
      return [`Detected removed sequence '${dotted(change.sequence.schema, change.sequence.name)}'`];
    case "setSequenceOwner": {
      const name = dotted(change.sequence.schema, change.sequence.name);
      return change.ownedBy === null
        ? [`Detected sequence '${name}' no longer owned by a column`]
        : [`Detected sequence '${name}' owned by '${dotted(change.sequence.schema, change.ownedBy.table, change.ownedBy.column)}'`];
    }
    case "createTable":
      return [`Detected added table '${dotted(change.table.schema, change.table.name)}'`];
    case "dropTable":
      return [`Detected removed table '${dotted(change.table.schema, change.table.name)}'`];
    case "addColumn":
      return [`Detected ${verb("added")} column '${dotted(change.schema, change.table, change.column.name)}'`];
    case "dropColumn":
      return change.recreated ? [] : [`Detected removed column '${dotted(change.schema, change.table, change.column.name)}'`];
    case "alterColumn":
      return alterLines(change);
    case "setDefault":
    case "dropDefault":
      return change.recreated && change.kind === "dropDefault" ? [] : [`Detected server default on column '${dotted(change.schema, change.table, change.column)}'`];
    case "addConstraint":
      return [`Detected ${verb("added")} ${CONSTRAINT_WORDS[change.constraint.type]} '${change.constraint.name}' on '${dotted(change.schema, change.table)}'`];
    case "dropConstraint":
      return change.recreated ? [] : [`Detected removed ${CONSTRAINT_WORDS[change.constraint.type]} '${change.constraint.name}' on '${dotted(change.schema, change.table)}'`];
    case "validateConstraint":
      return [`Detected validated ${CONSTRAINT_WORDS[change.constraint.type]} '${change.constraint.name}' on '${dotted(change.schema, change.table)}'`];
    case "createIndex":
      return [`Detected ${verb("added")} index '${change.index.name}' on '${dotted(change.index.schema, change.index.table)}'`];
    case "dropIndex":
      return change.recreated ? [] : [`Detected removed index '${change.index.name}' on '${dotted(change.index.schema, change.index.table)}'`];
    case "createView":
      return [`Detected ${verb("added")} ${viewWord(change.view.materialized)} '${dotted(change.view.schema, change.view.name)}'`];
    case "dropView":
      return change.recreated ? [] : [`Detected removed ${viewWord(change.view.materialized)} '${dotted(change.view.schema, change.view.name)}'`];
    case "createFunction":
      return [`Detected ${verb("added")} ${change.function.kind} '${functionName(change.function)}'`];
    case "replaceFunction":
      return [`Detected changed ${change.to.kind} '${functionName(change.to)}'`];
    case "dropFunction":
      return change.recreated ? [] : [`Detected removed ${change.function.kind} '${functionName(change.function)}'`];
    case "createTrigger":
      return [`Detected ${verb("added")} trigger '${change.trigger.name}' on '${dotted(change.trigger.schema, change.trigger.table)}'`];
    case "dropTrigger":
      return change.recreated ? [] : [`Detected removed trigger '${change.trigger.name}' on '${dotted(change.trigger.schema, change.trigger.table)}'`];
    case "comment":
      return [`Detected ${change.target.objectType.toLowerCase()} comment '${change.target.display}'`];
  }
}

function alterLines(change: Change & { kind: "alterColumn" }): string[] {
  const { from, to } = change;
  const name = dotted(change.schema, change.table, to.name);
  const lines: string[] = [];
  if (from.generated !== null && to.generated === null) lines.push(`Detected removed generation expression on column '${name}'`);
  if (from.type !== to.type) lines.push(`Detected type change from '${from.type}' to '${to.type}' on '${name}'`);
  if (from.collation !== to.collation) lines.push(`Detected collation change from ${from.collation ?? "default"} to ${to.collation ?? "default"} on '${name}'`);
  if (from.notNull !== to.notNull) lines.push(`Detected ${to.notNull ? "NOT NULL" : "NULL"} on column '${name}'`);
  if (JSON.stringify(from.identity) !== JSON.stringify(to.identity)) {
    lines.push(from.identity === null ? `Detected added identity on column '${name}'` : to.identity === null ? `Detected removed identity on column '${name}'` : `Detected identity change on column '${name}'`);
  }
  return lines;
}

function viewWord(materialized: boolean): string {
  return materialized ? "materialized view" : "view";
}

function functionName(f: { schema: string; name: string; identityArguments: string }): string {
  return `${f.schema}.${f.name}(${f.identityArguments})`;
}

/** What a dependent recreation is about, named on its create half only. */
function dependentSubject(change: Change): string | null {
  switch (change.kind) {
    case "addColumn":
      return `generated column '${dotted(change.schema, change.table, change.column.name)}'`;
    case "setDefault":
      return `server default of '${dotted(change.schema, change.table, change.column)}'`;
    case "addConstraint":
      return `${CONSTRAINT_WORDS[change.constraint.type]} '${change.constraint.name}' on '${dotted(change.schema, change.table)}'`;
    case "createIndex":
      return `index '${change.index.name}' on '${dotted(change.index.schema, change.index.table)}'`;
    case "createView":
      return `${viewWord(change.view.materialized)} '${dotted(change.view.schema, change.view.name)}'`;
    case "createFunction":
      return `${change.function.kind} '${functionName(change.function)}'`;
    case "createTrigger":
      return `trigger '${change.trigger.name}' on '${dotted(change.trigger.schema, change.trigger.table)}'`;
    default:
      return null;
  }
}

/** Why a change is destructive (lost data, or a type change that can fail or rewrite), or null when it is not. */
export function destructiveReason(change: Change): string | null {
  switch (change.kind) {
    case "dropTable":
      return `drops table ${dotted(change.table.schema, change.table.name)} and its rows`;
    case "dropColumn":
      return change.column.generated !== null ? null : `drops column ${dotted(change.schema, change.table, change.column.name)} and its values`;
    case "dropEnum":
      return `drops type ${dotted(change.enum.schema, change.enum.name)}`;
    case "recreateEnum": {
      const removed = change.from.labels.filter((l) => !change.to.labels.includes(l));
      const name = dotted(change.to.schema, change.to.name);
      return removed.length > 0
        ? `recreates type ${name} without ${removed.map((l) => `'${l}'`).join(", ")}; fails if a row still holds one`
        : `recreates type ${name} with its values reordered; rewrites the tables that use it`;
    }
    case "dropDomain":
      return `drops domain ${dotted(change.domain.schema, change.domain.name)}`;
    case "recreateDomain":
      return `rebuilds domain ${dotted(change.to.schema, change.to.name)} as ${change.to.type}${change.to.collation ? ` COLLATE ${change.to.collation}` : ""}; can fail on existing values and rewrites the tables that use it`;
    case "dropConstraint":
      return change.recreated ? null : `drops constraint ${change.constraint.name} on ${dotted(change.schema, change.table)}`;
    case "dropSequence":
      return `drops sequence ${dotted(change.sequence.schema, change.sequence.name)} and its current value`;
    case "dropSchema":
      return `drops schema ${change.schema.name}`;
    case "dropExtension":
      return `drops extension ${change.extension.name} and what it provides`;
    case "alterColumn": {
      const { from, to } = change;
      if (from.type === to.type || isSafeTypeChange(from.type, to.type)) return null;
      return `changes the type of ${dotted(change.schema, change.table, to.name)} from ${from.type} to ${to.type}; can fail on existing values and rewrites the table`;
    }
    default:
      return null;
  }
}
