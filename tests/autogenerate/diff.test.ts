/**
 * The pure diff, by cases: two models in, the ordered changes out (and the
 * SQL they render to where the wording matters). No database.
 */
import { describe, expect, test } from "bun:test";
import type { Change } from "../../src/autogenerate/changes.ts";
import { describeChange, destructiveReason } from "../../src/autogenerate/describe.ts";
import { diffModels } from "../../src/autogenerate/diff.ts";
import { renderChange, renderChanges } from "../../src/autogenerate/render.ts";
import { keys } from "../../src/autogenerate/keys.ts";
import { check, col, domain, enumType, fk, fn, index, model, pk, sequence, table, trigger, unique, view, type ModelParts } from "./model-builder.ts";

/** "kind subject": enough to see what happens to what, in order. */
function label(change: Change): string {
  switch (change.kind) {
    case "createTable":
    case "dropTable":
      return `${change.kind} ${change.table.name}`;
    case "addColumn":
    case "dropColumn":
      return `${change.kind} ${change.table}.${change.column.name}`;
    case "alterColumn":
      return `${change.kind} ${change.table}.${change.to.name}`;
    case "setDefault":
    case "dropDefault":
      return `${change.kind} ${change.table}.${change.column}`;
    case "addConstraint":
    case "dropConstraint":
    case "validateConstraint":
      return `${change.kind} ${change.constraint.name}`;
    case "createIndex":
    case "dropIndex":
      return `${change.kind} ${change.index.name}`;
    case "createView":
    case "dropView":
      return `${change.kind} ${change.view.name}`;
    case "createFunction":
    case "dropFunction":
      return `${change.kind} ${change.function.name}`;
    case "replaceFunction":
      return `${change.kind} ${change.to.name}`;
    case "createTrigger":
    case "dropTrigger":
      return `${change.kind} ${change.trigger.name}`;
    case "createEnum":
    case "dropEnum":
    case "addEnumValues":
      return `${change.kind} ${change.enum.name}`;
    case "recreateEnum":
      return `${change.kind} ${change.to.name}`;
    case "createDomain":
    case "dropDomain":
      return `${change.kind} ${change.domain.name}`;
    case "createSequence":
    case "dropSequence":
    case "setSequenceOwner":
      return `${change.kind} ${change.sequence.name}`;
    case "alterSequence":
      return `${change.kind} ${change.to.name}`;
    case "createSchema":
    case "dropSchema":
      return `${change.kind} ${change.schema.name}`;
    case "comment":
      return `${change.kind} ${change.target.display}`;
    default:
      return change.kind;
  }
}

const film = (extra: Parameters<typeof col>[2] = {}) =>
  table("film", [col("id", "integer", { notNull: true }), col("title", "character varying(20)", extra)], [pk("film_pkey", "id")]);

interface Case {
  name: string;
  a: ModelParts;
  b: ModelParts;
  /** the changes, in order, as label() prints them */
  changes: string[];
  /** statements that must appear in the upgrade SQL, in this order */
  sql?: string[];
  /** how many upgrade steps are destructive */
  destructive?: number;
}

const cases: Case[] = [
  { name: "identical models produce no changes", a: { tables: [film()] }, b: { tables: [film()] }, changes: [] },
  {
    name: "a new table is one CREATE TABLE with its columns, key and checks; its index follows",
    a: {},
    b: { tables: [table("film", [col("id", "integer", { notNull: true }), col("year", "integer")], [pk("film_pkey", "id"), check("film_year_check", "year > 1900")])], indexes: [index("film", "film_year", "year")] },
    changes: ["createTable film", "createIndex film_year"],
    sql: ["CREATE TABLE public.film (\n    id integer NOT NULL,\n    year integer,\n    CONSTRAINT film_pkey PRIMARY KEY (id),\n    CONSTRAINT film_year_check CHECK ((year > 1900))\n);", "CREATE INDEX film_year ON public.film USING btree (year);"],
  },
  {
    name: "a dropped table takes its index and constraints along: one destructive DROP TABLE",
    a: { tables: [film()], indexes: [index("film", "film_title", "title")] },
    b: {},
    changes: ["dropTable film"],
    sql: ["-- DESTRUCTIVE: drops table public.film and its rows\nDROP TABLE public.film;"],
    destructive: 1,
  },
  {
    name: "a new column keeps its default inline, so existing rows get it",
    a: { tables: [film()] },
    b: { tables: [table("film", [...film().columns, col("rating", "text", { default: "'G'::text", notNull: true })], film().constraints)] },
    changes: ["addColumn film.rating"],
    sql: ["ALTER TABLE public.film ADD COLUMN rating text DEFAULT 'G'::text NOT NULL;"],
  },
  {
    name: "a referenced table is created before the table that references it, whatever their names",
    a: {},
    b: {
      tables: [
        table("a_rental", [col("id", "integer", { notNull: true }), col("store_id", "integer")], [pk("a_rental_pkey", "id"), fk("a_rental_store_fkey", "store_id", "z_store", "id")]),
        table("z_store", [col("id", "integer", { notNull: true })], [pk("z_store_pkey", "id")]),
      ],
    },
    changes: ["createTable z_store", "createTable a_rental"],
  },
  {
    name: "tables that reference each other are created first and their foreign keys added after",
    a: {},
    b: {
      tables: [
        table("staff", [col("id", "integer", { notNull: true }), col("store_id", "integer")], [pk("staff_pkey", "id"), fk("staff_store_fkey", "store_id", "store", "id")]),
        table("store", [col("id", "integer", { notNull: true }), col("manager_id", "integer")], [pk("store_pkey", "id"), fk("store_manager_fkey", "manager_id", "staff", "id")]),
      ],
    },
    changes: ["createTable staff", "createTable store", "addConstraint staff_store_fkey", "addConstraint store_manager_fkey"],
  },
  {
    name: "dropping a referenced and a referencing table drops the referencing one first",
    a: {
      tables: [
        table("a_store", [col("id", "integer", { notNull: true })], [pk("a_store_pkey", "id")]),
        table("z_rental", [col("id", "integer"), col("store_id", "integer")], [fk("z_rental_store_fkey", "store_id", "a_store", "id")]),
      ],
    },
    b: {},
    changes: ["dropTable z_rental", "dropTable a_store"],
    destructive: 2,
  },
  {
    name: "a column type change drops the view reading it first and creates it again after",
    a: { tables: [film()], views: [view("titles", "SELECT title\n   FROM public.film")], deps: [[keys.view("public", "titles"), keys.column("public", "film", "title")]] },
    b: { tables: [table("film", [film().columns[0]!, col("title", "text")], film().constraints)], views: [view("titles", "SELECT title\n   FROM public.film")], deps: [[keys.view("public", "titles"), keys.column("public", "film", "title")]] },
    changes: ["dropView titles", "alterColumn film.title", "createView titles"],
    sql: ["DROP VIEW public.titles;", "ALTER TABLE public.film ALTER COLUMN title TYPE text;", "CREATE VIEW public.titles AS\n SELECT title\n   FROM public.film;"],
    destructive: 0,
  },
  {
    name: "narrowing a column is destructive and casts with USING",
    a: { tables: [film()] },
    b: { tables: [table("film", [film().columns[0]!, col("title", "character varying(10)")], film().constraints)] },
    changes: ["alterColumn film.title"],
    sql: ["ALTER TABLE public.film ALTER COLUMN title TYPE character varying(10) USING title::character varying(10);"],
    destructive: 1,
  },
  {
    name: "replacing a primary key drops the foreign keys on it first and adds them back after",
    a: {
      tables: [
        table("store", [col("id", "integer", { notNull: true })], [pk("store_pkey", "id")]),
        table("staff", [col("store_id", "integer")], [fk("staff_store_fkey", "store_id", "store", "id")]),
      ],
    },
    b: {
      tables: [
        table("store", [col("id", "integer", { notNull: true })], [{ ...pk("store_pkey", "id"), definition: "PRIMARY KEY (id) DEFERRABLE" }]),
        table("staff", [col("store_id", "integer")], [fk("staff_store_fkey", "store_id", "store", "id")]),
      ],
    },
    changes: ["dropConstraint staff_store_fkey", "dropConstraint store_pkey", "addConstraint store_pkey", "addConstraint staff_store_fkey"],
    destructive: 0,
  },
  {
    name: "enum values added in the middle and at the end are placed with BEFORE and AFTER",
    a: { enums: [enumType("mood", ["ok", "happy"])] },
    b: { enums: [enumType("mood", ["sad", "ok", "meh", "happy", "ecstatic"])] },
    changes: ["addEnumValues mood"],
    sql: [
      "ALTER TYPE public.mood ADD VALUE 'sad' BEFORE 'ok';",
      "ALTER TYPE public.mood ADD VALUE 'meh' AFTER 'ok';",
      "ALTER TYPE public.mood ADD VALUE 'ecstatic' AFTER 'happy';",
    ],
  },
  {
    name: "removing an enum value rebuilds the type around its columns, the default reset before and after",
    a: { enums: [enumType("mood", ["sad", "ok", "happy"])], tables: [table("person", [col("m", "public.mood", { default: "'ok'::public.mood" }), col("history", "public.mood[]")])] },
    b: { enums: [enumType("mood", ["ok", "happy"])], tables: [table("person", [col("m", "public.mood", { default: "'ok'::public.mood" }), col("history", "public.mood[]")])] },
    changes: ["dropDefault person.m", "recreateEnum mood", "setDefault person.m"],
    sql: [
      "ALTER TABLE public.person ALTER COLUMN m DROP DEFAULT;",
      "ALTER TYPE public.mood RENAME TO mood__retort_old;",
      "CREATE TYPE public.mood AS ENUM ('ok', 'happy');",
      "ALTER TABLE public.person ALTER COLUMN history TYPE public.mood[] USING history::text[]::public.mood[];",
      "ALTER TABLE public.person ALTER COLUMN m TYPE public.mood USING m::text::public.mood;",
      "DROP TYPE public.mood__retort_old;",
      "ALTER TABLE public.person ALTER COLUMN m SET DEFAULT 'ok'::public.mood;",
    ],
    destructive: 1,
  },
  {
    name: "a domain is created before the table whose column uses it",
    a: {},
    b: { domains: [domain("year", "integer", { constraints: [{ name: "year_check", definition: "CHECK (((VALUE >= 1901) AND (VALUE <= 2155)))" }] })], tables: [table("film", [col("released", "public.year")])] },
    changes: ["createDomain year", "createTable film"],
    sql: ["CREATE DOMAIN public.year AS integer CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));", "CREATE TABLE public.film (\n    released public.year\n);"],
  },
  {
    name: "a domain's default, NOT NULL and constraints change in place",
    a: { domains: [domain("code", "text", { constraints: [{ name: "code_upper", definition: "CHECK ((VALUE = upper(VALUE)))" }] })] },
    b: { domains: [domain("code", "text", { notNull: true, default: "'X'::text", constraints: [{ name: "code_short", definition: "CHECK ((length(VALUE) < 10)) NOT VALID" }] })] },
    changes: ["alterDomain"],
    sql: [
      "ALTER DOMAIN public.code SET DEFAULT 'X'::text;",
      "ALTER DOMAIN public.code SET NOT NULL;",
      "ALTER DOMAIN public.code DROP CONSTRAINT code_upper;",
      "ALTER DOMAIN public.code ADD CONSTRAINT code_short CHECK ((length(VALUE) < 10)) NOT VALID;",
    ],
  },
  {
    name: "a domain's new base type rebuilds it and moves its columns over",
    a: { domains: [domain("year", "integer")], tables: [table("film", [col("released", "public.year")])] },
    b: { domains: [domain("year", "bigint")], tables: [table("film", [col("released", "public.year")])] },
    changes: ["recreateDomain"],
    sql: [
      "ALTER DOMAIN public.year RENAME TO year__retort_old;",
      "CREATE DOMAIN public.year AS bigint;",
      "ALTER TABLE public.film ALTER COLUMN released TYPE public.year USING released::public.year;",
      "DROP DOMAIN public.year__retort_old;",
    ],
    destructive: 1,
  },
  {
    name: "a function body change is a CREATE OR REPLACE; its trigger stays",
    a: { tables: [film()], functions: [fn("touch", "trigger", "BEGIN RETURN NEW; END")], triggers: [trigger("film", "film_touch", "touch")] },
    b: { tables: [film()], functions: [fn("touch", "trigger", "BEGIN RETURN NULL; END")], triggers: [trigger("film", "film_touch", "touch")] },
    changes: ["replaceFunction touch"],
  },
  {
    name: "a function whose result type changes is dropped and created again, its trigger around it",
    a: { tables: [film()], functions: [fn("touch", "trigger", "BEGIN RETURN NEW; END")], triggers: [trigger("film", "film_touch", "touch")] },
    b: { tables: [film()], functions: [fn("touch", "event_trigger", "BEGIN RETURN NEW; END")], triggers: [trigger("film", "film_touch", "touch")] },
    changes: ["dropTrigger film_touch", "dropFunction touch", "createFunction touch", "createTrigger film_touch"],
  },
  {
    name: "a sequence with its own options is created before its table and owned by the column after",
    a: {},
    b: {
      sequences: [sequence("film_id_seq", { type: "integer", max: "2147483647", cache: "10", ownedBy: { table: "film", column: "id" } })],
      tables: [table("film", [col("id", "integer", { notNull: true, default: "nextval('public.film_id_seq'::regclass)" })])],
    },
    changes: ["createSequence film_id_seq", "createTable film", "setSequenceOwner film_id_seq"],
    sql: ["CREATE SEQUENCE public.film_id_seq AS integer CACHE 10;", "CREATE TABLE public.film", "ALTER SEQUENCE public.film_id_seq OWNED BY public.film.id;"],
  },
  {
    name: "what serial would have made is written as serial",
    a: { tables: [table("film", [col("title", "text")])] },
    b: {
      sequences: [
        sequence("film_id_seq", { type: "integer", max: "2147483647", ownedBy: { table: "film", column: "id" } }),
        sequence("film_big_id_seq", { ownedBy: { table: "film", column: "big_id" } }),
      ],
      tables: [
        table("film", [
          col("title", "text"),
          col("id", "integer", { notNull: true, default: "nextval('public.film_id_seq'::regclass)" }),
          col("big_id", "bigint", { notNull: true, default: "nextval('public.film_big_id_seq'::regclass)" }),
        ]),
      ],
    },
    changes: ["addColumn film.big_id", "addColumn film.id"],
    sql: ["ALTER TABLE public.film ADD COLUMN big_id bigserial;", "ALTER TABLE public.film ADD COLUMN id serial;"],
  },
  {
    name: "a sequence owned by a dropped column goes with the column",
    a: {
      sequences: [sequence("film_id_seq", { ownedBy: { table: "film", column: "legacy_id" } })],
      tables: [table("film", [col("id", "integer"), col("legacy_id", "bigint", { default: "nextval('public.film_id_seq'::regclass)" })])],
    },
    b: { tables: [table("film", [col("id", "integer")])] },
    changes: ["dropColumn film.legacy_id"],
    destructive: 1,
  },
  {
    name: "a unique constraint replaced by a unique index of the same name is dropped before the index is created",
    a: { tables: [table("film", [col("title", "text")], [unique("film_title_key", "title")])] },
    b: { tables: [table("film", [col("title", "text")])], indexes: [{ ...index("film", "film_title_key", "title"), definition: "CREATE UNIQUE INDEX film_title_key ON public.film USING btree (title)" }] },
    changes: ["dropConstraint film_title_key", "createIndex film_title_key"],
    destructive: 1,
  },
  {
    name: "comment changes alone are COMMENT statements",
    a: { tables: [film()] },
    b: { tables: [table("film", [film().columns[0]!, col("title", "character varying(20)", { comment: "what it's called" })], film().constraints, { comment: "films" })] },
    changes: ["comment public.film", "comment public.film.title"],
    sql: ["COMMENT ON TABLE public.film IS 'films';", "COMMENT ON COLUMN public.film.title IS 'what it''s called';"],
  },
  {
    name: "a NOT VALID constraint that becomes valid is validated, not recreated",
    a: { tables: [table("film", [col("year", "integer")], [check("film_year_check", "year > 0", " NOT VALID")])] },
    b: { tables: [table("film", [col("year", "integer")], [check("film_year_check", "year > 0")])] },
    changes: ["validateConstraint film_year_check"],
    sql: ["ALTER TABLE public.film VALIDATE CONSTRAINT film_year_check;"],
  },
  {
    name: "a changed generation expression drops and re-adds the column, which loses nothing",
    a: { tables: [table("film", [col("price", "numeric"), col("tax", "numeric", { generated: { expression: "(price * 0.2)", virtual: false } })])] },
    b: { tables: [table("film", [col("price", "numeric"), col("tax", "numeric", { generated: { expression: "(price * 0.25)", virtual: false } })])] },
    changes: ["dropColumn film.tax", "addColumn film.tax"],
    sql: ["ALTER TABLE public.film ADD COLUMN tax numeric GENERATED ALWAYS AS (price * 0.25) STORED;"],
    destructive: 0,
  },
  {
    name: "turning a defaulted column into an identity drops the default first",
    a: { tables: [table("film", [col("id", "integer", { notNull: true, default: "0" })])] },
    b: {
      tables: [table("film", [col("id", "integer", { notNull: true, identity: { always: true, type: "integer", start: "1", increment: "1", min: "1", max: "2147483647", cache: "1", cycle: false } })])],
    },
    changes: ["dropDefault film.id", "alterColumn film.id"],
    sql: ["ALTER TABLE public.film ALTER COLUMN id DROP DEFAULT;", "ALTER TABLE public.film ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;"],
  },
  {
    name: "a schema is dropped after the tables in it",
    a: { schemas: ["public", "archive"], tables: [table("old", [col("id", "integer")], [], { schema: "archive" })] },
    b: {},
    changes: ["dropTable old", "dropSchema archive"],
    destructive: 2,
  },
  {
    name: "a new schema is created before the table in it",
    a: {},
    b: { schemas: ["public", "archive"], tables: [table("old", [col("id", "integer")], [], { schema: "archive" })] },
    changes: ["createSchema archive", "createTable old"],
    sql: ["CREATE SCHEMA archive;", "CREATE TABLE archive.old ("],
  },
];

describe("diffModels", () => {
  for (const c of cases) {
    test(c.name, () => {
      const changes = diffModels(model(c.a), model(c.b));
      expect(changes.map(label)).toEqual(c.changes);
      if (c.sql !== undefined) {
        const sql = renderChanges(changes);
        let at = 0;
        for (const statement of c.sql) {
          const found = sql.indexOf(statement, at);
          expect(found, `${JSON.stringify(statement)} in order in:\n${sql}`).toBeGreaterThanOrEqual(0);
          at = found + statement.length;
        }
      }
      if (c.destructive !== undefined) expect(changes.filter((x) => destructiveReason(x) !== null)).toHaveLength(c.destructive);
    });
  }

  test("the way back of every case leads to the starting model's changes in reverse roles", () => {
    for (const c of cases) {
      const back = diffModels(model(c.b), model(c.a));
      expect(back.length === 0, c.name).toBe(c.changes.length === 0);
    }
  });
});

describe("summary lines", () => {
  const lines = (a: ModelParts, b: ModelParts) => diffModels(model(a), model(b)).flatMap(describeChange);
  const summaries: [string, ModelParts, ModelParts, string[]][] = [
    ["an added table", {}, { tables: [film()] }, ["Detected added table 'public.film'"]],
    ["a removed column", { tables: [film()] }, { tables: [table("film", [film().columns[0]!], film().constraints)] }, ["Detected removed column 'public.film.title'"]],
    ["a type change", { tables: [film()] }, { tables: [table("film", [film().columns[0]!, col("title", "text")], film().constraints)] }, ["Detected type change from 'character varying(20)' to 'text' on 'public.film.title'"]],
    ["a NOT NULL", { tables: [film()] }, { tables: [film({ notNull: true })] }, ["Detected NOT NULL on column 'public.film.title'"]],
    ["a server default", { tables: [film()] }, { tables: [film({ default: "'x'::character varying" })] }, ["Detected server default on column 'public.film.title'"]],
  ];
  test.each(summaries)("%s is reported as Alembic words it", (_, a, b, expected) => {
    expect(lines(a, b)).toEqual(expected);
  });

  test("a view recreated only because of a dependency says so, once", () => {
    const deps = [[keys.view("public", "titles"), keys.column("public", "film", "title")]] as [string, string][];
    const out = lines(
      { tables: [film()], views: [view("titles", "SELECT title\n   FROM public.film")], deps },
      { tables: [table("film", [film().columns[0]!, col("title", "text")], film().constraints)], views: [view("titles", "SELECT title\n   FROM public.film")], deps },
    );
    expect(out).toEqual(["Detected type change from 'character varying(20)' to 'text' on 'public.film.title'", "Recreating view 'public.titles': it depends on a changed object"]);
  });
});

describe("rendering", () => {
  test("generated columns are written STORED, runnable on PostgreSQL 13", () => {
    const [change] = diffModels(model({}), model({ tables: [table("t", [col("a", "integer"), col("b", "integer", { generated: { expression: "(a * 2)", virtual: false } })])] }));
    expect(renderChange(change!)[0]).toContain("b integer GENERATED ALWAYS AS (a * 2) STORED");
  });

  test("identity options that differ from the defaults are written, the others are not", () => {
    const identity = { always: false, type: "bigint", start: "100", increment: "1", min: "1", max: "9223372036854775807", cache: "1", cycle: false };
    const [change] = diffModels(model({}), model({ tables: [table("t", [col("id", "bigint", { notNull: true, identity })])] }));
    expect(renderChange(change!)[0]).toContain("id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 100) NOT NULL");
  });

  test("sequence options are written only where they differ from CREATE SEQUENCE's defaults", () => {
    const [change] = diffModels(model({}), model({ sequences: [sequence("s", { type: "integer", max: "2147483647", increment: "10", cache: "5", cycle: true })] }));
    expect(renderChange(change!)).toEqual(["CREATE SEQUENCE public.s AS integer INCREMENT BY 10 CACHE 5 CYCLE;"]);
  });

  test("names that need quoting are quoted, literals are escaped", () => {
    const [change] = diffModels(model({}), model({ tables: [table("Order Items", [col("select", "text", { default: "'it''s'::text" })], [], { comment: "a 'quoted' note" })] }));
    expect(renderChange(change!)).toEqual(['CREATE TABLE public."Order Items" (\n    "select" text DEFAULT \'it\'\'s\'::text\n);', "COMMENT ON TABLE public.\"Order Items\" IS 'a ''quoted'' note';"]);
  });
});
