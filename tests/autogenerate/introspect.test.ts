/**
 * Introspection: what the catalogs become in the model, what is left out
 * (version table, extension members, PostgreSQL 18's NOT NULL constraints),
 * and that PostgreSQL 15 and PGlite 18 read the same schema identically.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { introspect } from "../../src/autogenerate/introspect.ts";
import { keys } from "../../src/autogenerate/keys.ts";
import type { SchemaModel } from "../../src/autogenerate/model.ts";
import { comparable, engineKinds, fixture, FIXTURES, openTestDatabase, type TestDatabase } from "./helpers.ts";

const SCHEMA = `
CREATE EXTENSION citext;
CREATE SCHEMA meta;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE person (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
    name varchar(40) COLLATE "C" NOT NULL,
    email citext,
    feeling mood DEFAULT 'ok',
    tags text[],
    score numeric(6,2),
    score_x2 numeric GENERATED ALWAYS AS (score * 2) STORED
);
ALTER TABLE person ADD CONSTRAINT person_score_positive CHECK (score > 0) NOT VALID;
COMMENT ON COLUMN person.name IS 'full name';
CREATE TABLE booking (id serial PRIMARY KEY, person_id bigint REFERENCES person ON DELETE CASCADE DEFERRABLE, during tstzrange);
CREATE VIEW happy_people AS SELECT id, name FROM person WHERE feeling = 'happy';
CREATE DOMAIN positive AS numeric(8,2) DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TABLE price (amount positive);
CREATE TABLE events (id integer, at date) PARTITION BY RANGE (at);
CREATE TYPE pair AS (a integer, b integer);
CREATE UNLOGGED TABLE scratchpad (note text) WITH (fillfactor = 70);
CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
CREATE TABLE meta.my_versions (version_num varchar(32) PRIMARY KEY);
`;

let db: TestDatabase;
let model: SchemaModel;

beforeAll(async () => {
  db = await openTestDatabase("pglite");
  await db.load(SCHEMA);
  model = await db.model();
}, 60_000);
afterAll(() => db?.close());

const person = () => model.tables.find((t) => t.name === "person")!;
const column = (name: string) => person().columns.find((c) => c.name === name)!;

describe("introspection on PGlite", () => {
  test("columns keep types with lengths, collation, defaults, identity options and generation", () => {
    expect(column("name")).toMatchObject({ type: "character varying(40)", notNull: true, collation: '"C"', comment: "full name" });
    expect(column("tags").type).toBe("text[]");
    expect(column("score").type).toBe("numeric(6,2)");
    expect(column("feeling").default).toBe("'ok'::public.mood");
    expect(column("id").identity).toMatchObject({ always: true, start: "10", increment: "5", type: "bigint" });
    expect(column("id").default).toBeNull();
    expect(column("score_x2").generated).toEqual({ expression: "(score * (2)::numeric)", virtual: false });
  });

  test("constraints are read whole, NOT VALID included, and NOT NULL is a column property only", () => {
    expect(person().constraints.map((c) => [c.name, c.type, c.definition])).toEqual([
      ["person_pkey", "primary", "PRIMARY KEY (id)"],
      ["person_score_positive", "check", "CHECK ((score > (0)::numeric)) NOT VALID"],
    ]);
    const booking = model.tables.find((t) => t.name === "booking")!;
    expect(booking.constraints.find((c) => c.type === "foreign")).toMatchObject({
      definition: "FOREIGN KEY (person_id) REFERENCES public.person(id) ON DELETE CASCADE DEFERRABLE",
      references: { schema: "public", table: "person" },
    });
  });

  test("enums keep their labels in order; serial sequences know their owner", () => {
    expect(model.enums).toEqual([{ schema: "public", name: "mood", labels: ["sad", "ok", "happy"], comment: null }]);
    expect(model.sequences.map((s) => [s.name, s.type, s.ownedBy])).toEqual([["booking_id_seq", "integer", { table: "booking", column: "id" }]]);
  });

  test("domains keep their base type, default, NOT NULL and named checks; columns name the domain", () => {
    expect(model.domains).toEqual([
      { schema: "public", name: "positive", type: "numeric(8,2)", notNull: true, default: "1", collation: null, constraints: [{ name: "positive_check", definition: "CHECK ((VALUE > (0)::numeric))" }], comment: null },
    ]);
    expect(model.tables.find((t) => t.name === "price")!.columns[0]!.type).toBe("public.positive");
    expect(model.dependencies).toContainEqual([keys.column("public", "price", "amount"), keys.domain("public", "positive")]);
  });

  test("what is not compared is listed, not silently skipped", () => {
    expect(model.unsupported).toEqual([
      "composite type public.pair",
      "partitioned table public.events",
      "storage parameters of public.scratchpad",
      "unlogged table public.scratchpad",
    ]);
  });

  test("the version table is left out, by its default name or a configured one", async () => {
    expect(model.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(["meta.my_versions", "public.booking", "public.person", "public.price", "public.scratchpad"]);
    const custom = await introspect(db.engine, { versionTable: "my_versions", versionTableSchema: "meta" });
    expect(custom.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(["public.alembic_version", "public.booking", "public.person", "public.price", "public.scratchpad"]);
  });

  test("objects that belong to an extension are not part of the schema, the extension is", () => {
    expect(model.extensions.map((e) => e.name)).toEqual(["citext", "plpgsql"]);
    expect(model.functions).toEqual([]);
    expect(model.dependencies).toContainEqual([keys.column("public", "person", "email"), keys.extension("citext")]);
  });

  test("dependencies link views to the columns they read and sequences' OWNED BY to their column", () => {
    expect(model.dependencies).toContainEqual([keys.view("public", "happy_people"), keys.column("public", "person", "feeling")]);
    expect(model.dependencies).toContainEqual([keys.view("public", "happy_people"), keys.enum("public", "mood")]);
    expect(model.dependencies).toContainEqual([keys.owner("public", "booking_id_seq"), keys.column("public", "booking", "id")]);
    expect(model.dependencies).not.toContainEqual([keys.sequence("public", "booking_id_seq"), keys.column("public", "booking", "id")]);
  });

  test("the session's search_path is left as it was", async () => {
    await db.engine.execute("SET search_path TO meta, public");
    await introspect(db.engine);
    const [row] = await db.engine.query<{ path: string }>("SELECT current_setting('search_path') AS path");
    expect(row?.path).toBe("meta, public");
    await db.engine.execute("RESET search_path");
  });
});

describe.if(engineKinds.includes("postgres"))("PostgreSQL 15 and PGlite 18", () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await openTestDatabase("postgres");
  }, 60_000);
  afterAll(() => pg?.close());

  for (const name of FIXTURES) {
    test(`read the ${name} schema identically`, async () => {
      await db.load(fixture(name));
      await pg.load(fixture(name));
      expect(comparable(await pg.model())).toEqual(comparable(await db.model()));
    }, 30_000);
  }
});
