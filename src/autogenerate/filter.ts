/**
 * Include and exclude patterns: which objects `check`, `diff` and
 * autogenerate compare (Alembic's include_object, Atlas's --exclude). A
 * pattern is `schema.name` with `*` (any run of characters) and `?` (one
 * character) in either part, split at the first dot; a bare `name` means
 * that name in any schema. Names are matched as spelled in the database
 * (case-sensitive, unquoted). Tables, views, sequences, enums, domains,
 * and functions are matched by their own name; a table's columns,
 * constraints, indexes, triggers and owned sequences go with it (an exclude
 * may still name an index or owned sequence); `schema.*` also covers the
 * schema itself. Pure.
 */
import { DEFAULT_HISTORY_TABLE } from "../history/table.ts";
import { UsageError } from "../errors.ts";
import type { SchemaModel } from "./model.ts";
import type { VersionTableOptions } from "../runtime/version-table.ts";

/** The patterns of one comparison: an object is compared when some include matches it (or there are none) and no exclude does. */
export interface ObjectFilter {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** One parsed pattern. */
interface Pattern {
  /** null: any schema (a bare name) */
  readonly schema: RegExp | null;
  readonly name: RegExp;
  /** the name part is `*`: the pattern covers whole schemas */
  readonly wholeSchema: boolean;
}

function glob(part: string): RegExp {
  const source = [...part].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`, "s");
}

/** Parse a pattern; an empty part is a UsageError naming the pattern. */
export function parsePattern(text: string): Pattern {
  const dot = text.indexOf(".");
  const schema = dot < 0 ? null : text.slice(0, dot);
  const name = dot < 0 ? text : text.slice(dot + 1);
  if (name === "" || schema === "") {
    throw new UsageError(`bad object pattern '${text}': write schema.name or name, with * and ? as wildcards (e.g. 'extra.*', 'tmp_*')`);
  }
  return { schema: schema === null ? null : glob(schema), name: glob(name), wholeSchema: name === "*" };
}

const matchesName = (p: Pattern, schema: string, name: string) => (p.schema === null || p.schema.test(schema)) && p.name.test(name);

/** Predicates of one filter: whether an object is kept, whether an exclude names it, whether a schema is kept. */
export function compileFilter(filter: ObjectFilter): {
  object(schema: string, name: string): boolean;
  excluded(schema: string, name: string): boolean;
  schema(name: string): boolean;
} {
  const include = filter.include.map(parsePattern);
  const exclude = filter.exclude.map(parsePattern);
  const excluded = (schema: string, name: string) => exclude.some((p) => matchesName(p, schema, name));
  return {
    object: (schema, name) => (include.length === 0 || include.some((p) => matchesName(p, schema, name))) && !excluded(schema, name),
    excluded,
    schema: (name) =>
      (include.length === 0 || include.some((p) => p.schema === null || p.schema.test(name))) && !exclude.some((p) => p.wholeSchema && p.schema !== null && p.schema.test(name)),
  };
}

/** Whether the filter has any pattern at all. */
export function isEmptyFilter(filter: ObjectFilter): boolean {
  return filter.include.length === 0 && filter.exclude.length === 0;
}

/** The model without the objects the filter leaves out (and what goes with them). */
export function filterModel(model: SchemaModel, filter: ObjectFilter): SchemaModel {
  if (isEmptyFilter(filter)) return model;
  const keep = compileFilter(filter);
  const inSchema = (o: { schema: string }) => keep.schema(o.schema);
  const kept = (o: { schema: string; name: string }) => inSchema(o) && keep.object(o.schema, o.name);
  const tables = model.tables.filter(kept);
  const views = model.views.filter(kept);
  const relations = new Set([...tables, ...views].map((r) => `${r.schema}.${r.name}`));
  const onRelation = (o: { schema: string; table: string }) => relations.has(`${o.schema}.${o.table}`);
  return {
    ...model,
    schemas: model.schemas.filter((s) => keep.schema(s.name)),
    enums: model.enums.filter(kept),
    domains: model.domains.filter(kept),
    // an owned sequence and an index follow their table; an exclude of their own name still applies
    sequences: model.sequences.filter((s) => (s.ownedBy === null ? kept(s) : relations.has(`${s.schema}.${s.ownedBy.table}`) && !keep.excluded(s.schema, s.name))),
    tables,
    views,
    indexes: model.indexes.filter((i) => onRelation(i) && !keep.excluded(i.schema, i.name)),
    functions: model.functions.filter(kept),
    triggers: model.triggers.filter(onRelation),
    // "partitioned table extra.events": the object named last, so a left-out one is not warned about either
    unsupported: model.unsupported.filter((what) => {
      const [schema, name] = splitAtDot(what.slice(what.lastIndexOf(" ") + 1));
      return name === undefined || (keep.schema(schema) && keep.object(schema, name));
    }),
  };
}

function splitAtDot(text: string): [string, string | undefined] {
  const dot = text.indexOf(".");
  return dot < 0 ? [text, undefined] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** The table retort's runner keeps its run history in by default (left out of every comparison, as the version table is). */
export const HISTORY_TABLE = DEFAULT_HISTORY_TABLE;

/**
 * `filter` plus the bookkeeping tables, which are never schema: the version
 * table (in its schema when one is configured, else in any) and the history
 * table, so a `pg_dump -s` of a migrated database compares clean.
 */
export function withBookkeeping(
  filter: ObjectFilter,
  versionTable: VersionTableOptions,
): ObjectFilter {
  const table = versionTable.versionTable ?? "alembic_version";
  const schema = versionTable.versionTableSchema;
  const literal = (part: string) => part.replace(/[*?]/g, "?");
  return {
    include: filter.include,
    exclude: [...filter.exclude, schema ? `${literal(schema)}.${literal(table)}` : literal(table), literal(versionTable.historyTable ?? HISTORY_TABLE)],
  };
}
