/**
 * Schema mutations for the round-trip property: each takes a declarative
 * schema (its text and its model) and returns an edited schema, the way a
 * developer edits schema.sql, or null when it does not apply. Edits change
 * column lines of CREATE TABLE, statements (enum labels, view and function
 * bodies), or append DDL. A seeded generator picks them, so a failing case
 * can be replayed from its seed.
 */
import type { ColumnDef, SchemaModel, TableDef } from "../../src/autogenerate/model.ts";
import { qualify, quoteIdent } from "../../src/ops/quote.ts";
import { splitStatements } from "../../src/runtime/split-sql.ts";

/** A deterministic random source (mulberry32). */
export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast, good enough to pick mutations reproducibly. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** One edit of a schema; null when nothing in the schema fits it. */
export interface Mutation {
  readonly name: string;
  apply(source: string, model: SchemaModel, r: Rng, n: number): string | null;
}

const tableName = (t: { schema: string; name: string }) => (t.schema === "public" ? quoteIdent(t.name) : qualify(t.schema, t.name));
const plainColumns = (t: TableDef) => t.columns.filter((c) => c.identity === null && c.generated === null);
const isKey = (t: TableDef, c: ColumnDef) => t.constraints.some((k) => (k.type === "primary" || k.type === "foreign") && k.definition.includes(`(${c.name}`));

/** The text of the CREATE TABLE statement of `table`, with its place in `source`. */
function createTableStatement(source: string, table: TableDef): { start: number; end: number; text: string } | null {
  const names = [tableName(table), qualify(table.schema, table.name)];
  for (const s of splitStatements(source)) {
    const m = /^CREATE TABLE (\S+) \(/.exec(s.text);
    if (m !== null && names.includes(m[1]!)) return { start: s.start, end: s.end, text: s.text };
  }
  return null;
}

/** Replace the line that declares `column` in its CREATE TABLE; null when it is not declared there. */
function editColumnLine(source: string, table: TableDef, column: string, edit: (line: string) => string | null): string | null {
  const statement = createTableStatement(source, table);
  if (statement === null) return null;
  const lines = statement.text.split("\n");
  const i = lines.findIndex((line) => line.startsWith(`    ${quoteIdent(column)} `));
  if (i < 0) return null;
  const edited = edit(lines[i]!);
  if (edited === null || edited === lines[i]) return null;
  lines[i] = edited;
  return source.slice(0, statement.start) + lines.join("\n") + source.slice(statement.end);
}

/** Replace the statement matching `pattern` (its first match) through `edit`. */
function editStatement(source: string, pattern: RegExp, edit: (text: string) => string | null, r: Rng): string | null {
  const matches = splitStatements(source).filter((s) => pattern.test(s.text));
  if (matches.length === 0) return null;
  const s = r.pick(matches);
  const edited = edit(s.text);
  if (edited === null) return null;
  return source.slice(0, s.start) + edited + source.slice(s.end);
}

const append = (source: string, sql: string) => `${source}\n\n${sql}\n`;

const NEW_TYPES = ["integer", "bigint", "text", "varchar(30)", "numeric(8,3)", "timestamptz(2)", "boolean", "jsonb", "text[]", "uuid", "date"];
const DEFAULTS: Record<string, string> = { integer: "42", bigint: "7", text: "'none'", "varchar(30)": "'x'", "numeric(8,3)": "1.5", boolean: "true", jsonb: "'{}'", "text[]": "'{}'", date: "CURRENT_DATE", "timestamptz(2)": "now()" };
const WIDER: Record<string, string> = {
  integer: "bigint",
  smallint: "integer",
  text: "varchar(500)",
  boolean: "text",
  date: "timestamp without time zone",
  real: "double precision",
};

function widerType(c: ColumnDef): string | null {
  const varchar = /^character varying\((\d+)\)$/.exec(c.type);
  if (varchar) return `varchar(${Number(varchar[1]) + 20})`;
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(c.type);
  if (numeric) return `numeric(${Number(numeric[1]) + 2},${numeric[2]})`;
  return WIDER[c.type] ?? null;
}

const tables = (m: SchemaModel) => m.tables.filter((t) => t.columns.length > 0);

/** Every mutation kind. */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: "add a column",
    apply(source, m, r, n) {
      const t = r.pick(tables(m));
      const type = r.pick(NEW_TYPES);
      const withDefault = r.next() < 0.5 && DEFAULTS[type] !== undefined;
      return append(source, `ALTER TABLE ${tableName(t)} ADD COLUMN mut_col_${n} ${type}${withDefault ? ` DEFAULT ${DEFAULTS[type]} NOT NULL` : ""};`);
    },
  },
  {
    name: "drop a column",
    apply(source, m, r) {
      const t = r.pick(tables(m));
      const candidates = t.columns.filter((c) => !isKey(t, c));
      if (candidates.length === 0) return null;
      return append(source, `ALTER TABLE ${tableName(t)} DROP COLUMN ${quoteIdent(r.pick(candidates).name)} CASCADE;`);
    },
  },
  {
    name: "widen a column's type (views on it must be rebuilt)",
    apply(source, m, r) {
      const candidates = tables(m).flatMap((t) => plainColumns(t).filter((c) => widerType(c) !== null).map((c) => [t, c] as const));
      if (candidates.length === 0) return null;
      const [t, c] = r.pick(candidates);
      return editColumnLine(source, t, c.name, (line) => {
        const m2 = /^( {4}\S+ )([a-z]+(?: [a-z]+)*(?:\(\d+(?:,\s*\d+)?\))?)(.*)$/.exec(line);
        return m2 === null ? null : `${m2[1]}${widerType(c)}${m2[3]}`;
      });
    },
  },
  {
    name: "toggle NOT NULL",
    apply(source, m, r) {
      const t = r.pick(tables(m));
      const c = r.pick(plainColumns(t).filter((col) => !isKey(t, col)).concat([]));
      if (c === undefined) return null;
      return editColumnLine(source, t, c.name, (line) => {
        const comma = line.endsWith(",") ? "," : "";
        const body = comma ? line.slice(0, -1) : line;
        return body.includes(" NOT NULL") ? body.replace(" NOT NULL", "") + comma : `${body} NOT NULL${comma}`;
      });
    },
  },
  {
    name: "change a default",
    apply(source, m, r) {
      const candidates = tables(m).flatMap((t) =>
        plainColumns(t)
          .filter((c) => ["integer", "text", "boolean", "bigint", "smallint"].includes(c.type))
          .map((c) => [t, c] as const),
      );
      if (candidates.length === 0) return null;
      const [t, c] = r.pick(candidates);
      const value = c.type === "text" ? "'changed'" : c.type === "boolean" ? "false" : "11";
      return editColumnLine(source, t, c.name, (line) => {
        const current = / DEFAULT (?:'[^']*'|[^\s,]+)/;
        if (current.test(line)) return r.next() < 0.5 ? line.replace(current, "") : line.replace(current, ` DEFAULT ${value}`);
        const comma = line.endsWith(",") ? "," : "";
        return `${comma ? line.slice(0, -1) : line} DEFAULT ${value}${comma}`;
      });
    },
  },
  {
    name: "set a collation",
    apply(source, m, r) {
      const candidates = tables(m).flatMap((t) =>
        plainColumns(t)
          .filter((c) => (c.type === "text" || c.type.startsWith("character varying")) && c.collation === null)
          .map((c) => [t, c] as const),
      );
      if (candidates.length === 0) return null;
      const [t, c] = r.pick(candidates);
      return editColumnLine(source, t, c.name, (line) => line.replace(/^( {4}\S+ (?:text|varchar\(\d+\)|character varying\(\d+\)))/, `$1 COLLATE "C"`));
    },
  },
  {
    name: "change a generation expression",
    apply(source, m, r) {
      const candidates = tables(m).flatMap((t) => t.columns.filter((c) => c.generated !== null).map((c) => [t, c] as const));
      if (candidates.length === 0) return null;
      const [t, c] = r.pick(candidates);
      return editColumnLine(source, t, c.name, (line) => line.replace(/GENERATED ALWAYS AS \((.*)\) STORED/, "GENERATED ALWAYS AS (coalesce($1, $1)) STORED"));
    },
  },
  {
    name: "change an identity",
    apply(source, m, r) {
      const candidates = tables(m).flatMap((t) => t.columns.filter((c) => c.identity !== null).map((c) => [t, c] as const));
      if (candidates.length === 0) return null;
      const [t, c] = r.pick(candidates);
      return editColumnLine(source, t, c.name, (line) =>
        r.next() < 0.3
          ? line.replace(/ GENERATED (ALWAYS|BY DEFAULT) AS IDENTITY( \([^)]*\))?/, " NOT NULL")
          : line.replace(/GENERATED (ALWAYS|BY DEFAULT) AS IDENTITY( \([^)]*\))?/, (_, kind: string) => `GENERATED ${kind === "ALWAYS" ? "BY DEFAULT" : "ALWAYS"} AS IDENTITY (START WITH 7 INCREMENT BY 3)`),
      );
    },
  },
  {
    name: "add an index",
    apply(source, m, r, n) {
      const t = r.pick(tables(m));
      const c = r.pick(t.columns);
      const other = r.pick(t.columns);
      const col = quoteIdent(c.name);
      const variants = [
        `CREATE INDEX mut_ix_${n} ON ${tableName(t)} (${col})`,
        `CREATE INDEX mut_ix_${n} ON ${tableName(t)} (${col} DESC NULLS LAST) WHERE ${col} IS NOT NULL`,
        `CREATE INDEX mut_ix_${n} ON ${tableName(t)} ((${col}::text))`,
        `CREATE INDEX mut_ix_${n} ON ${tableName(t)} USING hash (${col})`,
        `CREATE INDEX mut_ix_${n} ON ${tableName(t)} USING brin (${col})`,
        `CREATE UNIQUE INDEX mut_ix_${n} ON ${tableName(t)} (${col}) INCLUDE (${quoteIdent(other.name)}) WHERE false`,
      ];
      return append(source, `${r.pick(variants)};`);
    },
  },
  {
    name: "drop an index",
    apply(source, _m, r) {
      return editStatement(source, /^CREATE (UNIQUE )?INDEX /, () => "SELECT 1", r);
    },
  },
  {
    name: "add a check constraint",
    apply(source, m, r, n) {
      const t = r.pick(tables(m));
      const c = quoteIdent(r.pick(t.columns).name);
      return append(source, `ALTER TABLE ${tableName(t)} ADD CONSTRAINT mut_ck_${n} CHECK (${c} IS NOT DISTINCT FROM ${c})${r.next() < 0.5 ? " NOT VALID" : ""};`);
    },
  },
  {
    name: "drop a constraint",
    apply(source, m, r) {
      const candidates = tables(m).flatMap((t) => t.constraints.map((k) => [t, k] as const));
      if (candidates.length === 0) return null;
      const [t, k] = r.pick(candidates);
      return append(source, `ALTER TABLE ${tableName(t)} DROP CONSTRAINT ${quoteIdent(k.name)} CASCADE;`);
    },
  },
  {
    name: "replace a primary key",
    apply(source, m, r) {
      const candidates = tables(m).filter((t) => t.constraints.some((k) => k.type === "primary"));
      if (candidates.length === 0) return null;
      const t = r.pick(candidates);
      const pk = t.constraints.find((k) => k.type === "primary")!;
      const cols = /PRIMARY KEY \((.*)\)/.exec(pk.definition)![1]!;
      return append(source, `ALTER TABLE ${tableName(t)} DROP CONSTRAINT ${quoteIdent(pk.name)} CASCADE;\nALTER TABLE ${tableName(t)} ADD CONSTRAINT ${quoteIdent(pk.name)} PRIMARY KEY (${cols}) DEFERRABLE;`);
    },
  },
  {
    name: "add a foreign key",
    apply(source, m, r, n) {
      const parents = tables(m).filter((t) => t.constraints.some((k) => k.type === "primary" && !k.definition.includes(",")));
      if (parents.length === 0) return null;
      const parent = r.pick(parents);
      const child = r.pick(tables(m));
      const keyColumn = /PRIMARY KEY \((.*)\)/.exec(parent.constraints.find((k) => k.type === "primary")!.definition)![1]!;
      const type = parent.columns.find((c) => quoteIdent(c.name) === keyColumn)?.type ?? "integer";
      const tail = r.pick([" ON DELETE SET NULL", " ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED", " NOT VALID", " MATCH FULL ON DELETE CASCADE"]);
      return append(
        source,
        `ALTER TABLE ${tableName(child)} ADD COLUMN mut_ref_${n} ${type};\nALTER TABLE ${tableName(child)} ADD CONSTRAINT mut_fk_${n} FOREIGN KEY (mut_ref_${n}) REFERENCES ${tableName(parent)}${tail};`,
      );
    },
  },
  {
    name: "drop a table",
    apply(source, m, r) {
      return append(source, `DROP TABLE ${tableName(r.pick(tables(m)))} CASCADE;`);
    },
  },
  {
    name: "add a table",
    apply(source, m, r, n) {
      const parent = r.pick(tables(m).filter((t) => t.constraints.some((k) => k.type === "primary" && !k.definition.includes(","))));
      const ref = parent
        ? `,\n    parent_id ${parent.columns.find((c) => `PRIMARY KEY (${quoteIdent(c.name)})` === parent.constraints.find((k) => k.type === "primary")!.definition)?.type ?? "integer"} REFERENCES ${tableName(parent)} ON DELETE CASCADE`
        : "";
      return append(
        source,
        `CREATE TABLE mut_table_${n} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    label text NOT NULL UNIQUE,\n    amount numeric(10,2) DEFAULT 0 CHECK (amount >= 0),\n    tags varchar(20)[],\n    created_at timestamptz(3) DEFAULT now() NOT NULL${ref}\n);\nCREATE INDEX mut_table_${n}_created ON mut_table_${n} (created_at DESC);\nCOMMENT ON TABLE mut_table_${n} IS 'added by a mutation';`,
      );
    },
  },
  {
    name: "add an enum value in the middle",
    apply(source, _m, r, n) {
      return editStatement(source, /^CREATE TYPE \S+ AS ENUM/, (text) => text.replace(/\('([^']*)', /, `('$1', 'mut_${n}', `), r);
    },
  },
  {
    name: "remove or reorder enum values",
    apply(source, _m, r) {
      return editStatement(
        source,
        /^CREATE TYPE \S+ AS ENUM/,
        (text) => {
          const labels = /\((.*)\)/s.exec(text)![1]!.split(",").map((l) => l.trim());
          if (labels.length < 3) return null;
          const next = r.next() < 0.5 ? labels.slice(0, -1) : [labels[1]!, labels[0]!, ...labels.slice(2)];
          return text.replace(/\((.*)\)/s, `(${next.join(", ")})`);
        },
        r,
      );
    },
  },
  {
    name: "change a domain",
    apply(source, _m, r) {
      return editStatement(
        source,
        /^CREATE DOMAIN /,
        (text) => {
          const variants = [
            (t: string) => t.replace(/ AS integer/, " AS bigint").replace(/ AS varchar\((\d+)\)/, " AS varchar(200)").replace(/ AS text/, " AS varchar(300)"),
            (t: string) => (t.includes(" DEFAULT ") ? t.replace(/ DEFAULT '[^']*'/, "") : t.replace(/ AS (\S+)/, (m) => `${m} DEFAULT NULL`)),
            (t: string) => t.replace(/CHECK \(/, "CHECK (VALUE IS NULL OR "),
            (t: string) => (t.includes(" NOT NULL") ? t.replace(" NOT NULL", "") : t.replace(/ AS (\S+)/, (m) => `${m} NOT NULL`)),
          ];
          const edited = r.pick(variants)(text);
          return edited === text ? null : edited;
        },
        r,
      );
    },
  },
  {
    name: "change a view's query",
    apply(source, _m, r) {
      return editStatement(
        source,
        /^CREATE (MATERIALIZED )?VIEW /,
        (text) => {
          const m2 = /^(CREATE (?:MATERIALIZED )?VIEW \S+(?: WITH \([^)]*\))?) AS\n([\s\S]*?)(\nWITH (?:LOCAL |CASCADED )?(?:NO DATA|CHECK OPTION))?$/.exec(text);
          if (m2 === null) return null;
          return `${m2[1]} AS\nSELECT * FROM (${m2[2]}) AS mutated WHERE true${m2[3] ?? ""}`;
        },
        r,
      );
    },
  },
  {
    name: "change a function body",
    apply(source, _m, r) {
      return editStatement(source, /^CREATE (FUNCTION|PROCEDURE) [\s\S]*\$\$/, (text) => text.replace("$$", () => "$$ /* changed */ "), r);
    },
  },
  {
    name: "add a trigger",
    apply(source, m, r, n) {
      const t = r.pick(tables(m));
      return append(
        source,
        `CREATE FUNCTION mut_touch_${n}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER mut_trg_${n} BEFORE INSERT OR UPDATE ON ${tableName(t)} FOR EACH ROW EXECUTE FUNCTION mut_touch_${n}();`,
      );
    },
  },
  {
    name: "drop a trigger",
    apply(source, _m, r) {
      return editStatement(source, /^CREATE (CONSTRAINT )?TRIGGER /, () => "SELECT 1", r);
    },
  },
  {
    name: "change or add a sequence",
    apply(source, m, r, n) {
      if (m.sequences.length > 0 && r.next() < 0.6) {
        const s = r.pick(m.sequences);
        return append(source, `ALTER SEQUENCE ${tableName(s)} INCREMENT BY 7 CACHE 3 ${s.cycle ? "NO CYCLE" : "CYCLE"};`);
      }
      const t = r.pick(tables(m));
      return append(
        source,
        `CREATE SEQUENCE ${t.schema === "public" ? "" : `${quoteIdent(t.schema)}.`}mut_seq_${n} AS integer START WITH 50;\nALTER TABLE ${tableName(t)} ADD COLUMN mut_seq_col_${n} integer DEFAULT nextval('${t.schema === "public" ? "" : `${t.schema}.`}mut_seq_${n}');\nALTER SEQUENCE ${t.schema === "public" ? "" : `${quoteIdent(t.schema)}.`}mut_seq_${n} OWNED BY ${tableName(t)}.mut_seq_col_${n};`,
      );
    },
  },
  {
    name: "change comments",
    apply(source, m, r) {
      const t = r.pick(tables(m));
      const c = r.pick(t.columns);
      const text = r.next() < 0.3 ? "NULL" : "'mutated comment'";
      return append(source, `COMMENT ON TABLE ${tableName(t)} IS ${text};\nCOMMENT ON COLUMN ${tableName(t)}.${quoteIdent(c.name)} IS 'column note';`);
    },
  },
  {
    name: "add a schema with a table, or drop one",
    apply(source, m, r, n) {
      const others = m.schemas.filter((s) => s.name !== "public");
      if (others.length > 0 && r.next() < 0.4) return append(source, `DROP SCHEMA ${quoteIdent(r.pick(others).name)} CASCADE;`);
      return append(source, `CREATE SCHEMA mut_schema_${n};\nCREATE TABLE mut_schema_${n}.things (id integer PRIMARY KEY, name text COLLATE "C");\nCOMMENT ON SCHEMA mut_schema_${n} IS 'mutation';`);
    },
  },
  {
    name: "add or drop an extension",
    apply(source, m, r) {
      const present = m.extensions.map((e) => e.name).filter((e) => e !== "plpgsql");
      if (present.length > 0 && r.next() < 0.5) return append(source, `DROP EXTENSION ${quoteIdent(r.pick(present))} CASCADE;`);
      const missing = ["pgcrypto", "citext", "hstore", "pg_trgm"].filter((e) => !present.includes(e));
      if (missing.length === 0) return null;
      return append(source, `CREATE EXTENSION ${quoteIdent(r.pick(missing))};`);
    },
  },
  {
    name: "rename a column (not guessed: a drop and an add)",
    apply(source, m, r) {
      const t = r.pick(tables(m));
      const c = r.pick(t.columns);
      return append(source, `ALTER TABLE ${tableName(t)} RENAME COLUMN ${quoteIdent(c.name)} TO ${quoteIdent(`${c.name}_renamed`)};`);
    },
  },
];

/**
 * The schema with every enum's columns linked in pairs: a table keyed by the
 * enum and one referencing it (a foreign key between two columns of the
 * type), plus a unique index comparing two of them. The mutations that
 * insert, remove or reorder labels then exercise the rebuild of a type whose
 * columns are bound to each other, in both directions.
 */
export function withLinkedEnumColumns(source: string): string {
  const enums = splitStatements(source)
    .map((s) => /^CREATE TYPE (\S+) AS ENUM/.exec(s.text)?.[1])
    .filter((name): name is string => name !== undefined);
  return enums.reduce((text, type, i) => append(text, [
    `CREATE TABLE enum_link_${i} (state ${type} PRIMARY KEY, previous ${type});`,
    `CREATE TABLE enum_link_${i}_ref (id integer PRIMARY KEY, state ${type} NOT NULL REFERENCES enum_link_${i} (state));`,
    `CREATE UNIQUE INDEX enum_link_${i}_moves ON enum_link_${i} ((previous = state), state);`,
  ].join("\n")), source);
}
