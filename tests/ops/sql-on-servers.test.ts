/**
 * The SQL the ops module writes, run for real on PGlite (PostgreSQL 18) and
 * on the PostgreSQL 15 server, checked through the catalogs: proof that it is
 * valid on both ends of the supported range.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { PGlite } from "@electric-sql/pglite";
import { freshPgliteOptions } from "../../src/embedded/pglite.ts";
import postgres from "postgres";
import type { Row } from "../../src/drivers/engine.ts";
import { createOp, type Op } from "../../src/ops/op.ts";
import { inlineParams, qualify, quoteIdent, quoteLiteral } from "../../src/ops/quote.ts";
import type { Sink } from "../../src/runtime/sink.ts";
import { createTempDatabase, postgresAvailable } from "../helpers/postgres.ts";

/** The little each server needs to offer here: run a script, run one statement with params and get text rows. */
interface Server {
  readonly name: string;
  run(sql: string, params?: readonly unknown[]): Promise<void>;
  rows<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

const servers: Server[] = [];
const cleanups: (() => Promise<void>)[] = [];

// a fresh database from the shared snapshot: no initdb
const lite = new PGlite(await freshPgliteOptions());
cleanups.push(() => lite.close());
servers.push({
  name: "PGlite (PostgreSQL 18)",
  async run(sql, params) {
    if (params === undefined) await lite.exec(sql);
    else await lite.query(sql, [...params]);
  },
  async rows<T extends Row = Row>(sql: string, params?: readonly unknown[]) {
    return (await lite.query<T>(sql, params === undefined ? undefined : [...params])).rows;
  },
});

if (await postgresAvailable()) {
  const database = await createTempDatabase("retort_ops");
  // one connection, so that SET applies to the statements that follow it
  const pg = postgres(database.url, { max: 1, onnotice: () => {} });
  cleanups.push(async () => {
    await pg.end({ timeout: 1 });
    await database.drop();
  });
  servers.push({
    name: "PostgreSQL server",
    async run(sql, params) {
      await pg.unsafe(sql, params === undefined ? undefined : ([...params] as never[]));
    },
    async rows<T extends Row = Row>(sql: string, params?: readonly unknown[]) {
      return [...(await pg.unsafe(sql, params === undefined ? undefined : ([...params] as never[])))] as unknown as T[];
    },
  });
}

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** A sink that runs every statement on the server, the way the online runner does. */
function onlineSink(server: Server): Sink {
  return { offline: false, execute: (sql, params) => server.run(sql, params), query: (sql, params) => server.rows(sql, params) };
}

/** A sink that writes a script, the way --sql does: parameters inlined, statements ended by `;`. */
function scriptSink(lines: string[]): Sink {
  return {
    offline: true,
    async execute(sql, params) {
      lines.push(`${params === undefined ? sql : inlineParams(sql, params)};`);
    },
    async query() {
      throw new Error("offline");
    },
  };
}

let schemas = 0;
function freshSchema(label: string): string {
  schemas += 1;
  return `Ops ${label} ${schemas}`; // upper case and spaces: every name must be quoted correctly
}

/** A representative migration: every kind of operation, with names that need quoting. */
async function migrate(op: Op, s: string, { concurrently }: { concurrently: boolean }): Promise<void> {
  await op.execute(`CREATE SCHEMA ${quoteIdent(s)}`);
  await op.createTable(
    "org",
    [
      { name: "id", type: "integer", identity: "always", primaryKey: true },
      { name: "Name", type: "text", nullable: false, collation: "C", comment: "display name" },
    ],
    { schema: s, comment: "organisations" },
  );
  await op.createTable(
    "user",
    [
      { name: "id", type: "bigint", identity: { start: 100 }, primaryKey: true },
      { name: "org_id", type: "integer", references: { schema: s, table: "org", column: "id", onDelete: "CASCADE" } },
      { name: "email", type: "text", nullable: false, unique: "uq_user_email" },
      { name: "price", type: "numeric(10,2)", serverDefault: 0 },
      { name: "quantity", type: "integer", serverDefault: 1, nullable: false },
      { name: "total", type: "numeric", generated: "price * quantity" },
      { name: "status", type: "varchar(20)", serverDefault: "'new'" },
      { name: "tags", type: "text[]" },
      { name: "meta", type: "jsonb" },
      { name: "avatar", type: "bytea" },
      { name: "created_at", type: "timestamptz", serverDefault: "now()", nullable: false },
    ],
    {
      schema: s,
      constraints: [
        { kind: "check", name: "ck_quantity", condition: "quantity > 0" },
        { kind: "unique", name: "uq_org_status", columns: ["org_id", "status"], deferrable: true, initiallyDeferred: true },
      ],
    },
  );
  await op.addColumn("user", { name: "Level", type: "text", serverDefault: "'1'" }, { schema: s });
  await op.addColumn("user", { name: "obsolete", type: "text" }, { schema: s });
  await op.alterColumn("user", "Level", {
    schema: s,
    type: "integer",
    using: `"Level"::integer`,
    serverDefault: 1,
    nullable: false,
    comment: "access level",
    newColumnName: "level",
  });
  await op.createIndex("ix_user_email_lower", "user", [{ expression: "lower(email)" }], { schema: s, unique: true, where: "status <> 'deleted'", include: ["id"] });
  await op.createIndex("ix_user_tags", "user", ["tags"], { schema: s, using: "gin" });
  await op.createIndex("ix_user_org", "user", [{ column: "org_id", order: "DESC", nulls: "LAST" }], { schema: s, concurrently, ifNotExists: true });
  await op.bulkInsert("org", [{ Name: "acme" }, { Name: "it's \\ fine" }], { schema: s });
  await op.bulkInsert(
    "user",
    [
      { org_id: 1, email: "a@x", price: 1.5, quantity: 2, tags: ["a", "b,c", 'q"'], meta: { k: "v", n: [1, null] }, avatar: new Uint8Array([0, 92, 39, 255]) },
      { org_id: 2, email: "b@x", status: "vip" },
    ],
    { schema: s, batchSize: 1 },
  );
  await op.createTable("audit", [{ name: "user_id", type: "bigint" }, { name: "at", type: "timestamptz" }], { schema: s });
  await op.createPrimaryKey("pk_audit", "audit", ["user_id", "at"], { schema: s });
  await op.createForeignKey("fk_audit_user", "audit", "user", ["user_id"], ["id"], {
    sourceSchema: s,
    referentSchema: s,
    onDelete: "CASCADE",
    deferrable: true,
    initiallyDeferred: true,
    notValid: true,
  });
  await op.createUniqueConstraint("uq_audit_at", "audit", ["at"], { schema: s });
  await op.createCheckConstraint("ck_audit_at", "audit", "at > '2000-01-01'", { schema: s, notValid: true });
  await op.dropConstraint("uq_audit_at", "audit", { schema: s });
  await op.dropIndex("ix_user_tags", { schema: s, concurrently, ifExists: true });
  await op.renameTable("audit", "Audit Log", { schema: s });
  await op.dropColumn("user", "obsolete", { schema: s, ifExists: true, cascade: true });
  await op.execute(`UPDATE ${qualify(s, "user")} SET quantity = $1, meta = meta || $2 WHERE email = $3`, [5, { added: "it's" }, "a@x"]);
  await op.createTable("scratch", [{ name: "id", type: "integer" }], { schema: s });
  await op.dropTable("scratch", { schema: s, cascade: true });
}

/** What `migrate` must leave behind, read from the catalogs. */
async function expectMigrated(server: Server, s: string): Promise<void> {
  const columns = await server.rows<{ column_name: string; data_type: string; is_nullable: string; is_identity: string; identity_generation: string | null; is_generated: string }>(
    `SELECT column_name, data_type, is_nullable, is_identity, identity_generation, is_generated
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'user' ORDER BY ordinal_position`,
    [s],
  );
  expect(columns.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable} ${c.is_identity}/${c.identity_generation ?? "-"} ${c.is_generated}`)).toEqual([
    "id bigint NO YES/BY DEFAULT NEVER",
    "org_id integer YES NO/- NEVER",
    "email text NO NO/- NEVER",
    "price numeric YES NO/- NEVER",
    "quantity integer NO NO/- NEVER",
    "total numeric YES NO/- ALWAYS",
    "status character varying YES NO/- NEVER",
    "tags ARRAY YES NO/- NEVER",
    "meta jsonb YES NO/- NEVER",
    "avatar bytea YES NO/- NEVER",
    "created_at timestamp with time zone NO NO/- NEVER",
    "level integer NO NO/- NEVER",
  ]);

  const [org] = await server.rows<{ generation: string; collation: string; table_comment: string; column_comment: string; level_default: string; level_comment: string }>(
    `SELECT (SELECT identity_generation FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'org' AND column_name = 'id') AS generation,
            (SELECT collation_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'org' AND column_name = 'Name') AS collation,
            obj_description(format('%I.%I', $1::text, 'org')::regclass, 'pg_class') AS table_comment,
            col_description(format('%I.%I', $1::text, 'org')::regclass, 2) AS column_comment,
            (SELECT column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'user' AND column_name = 'level') AS level_default,
            (SELECT col_description(attrelid, attnum) FROM pg_attribute
              WHERE attrelid = format('%I.%I', $1::text, 'user')::regclass AND attname = 'level') AS level_comment`,
    [s],
  );
  expect(org).toEqual({ generation: "ALWAYS", collation: "C", table_comment: "organisations", column_comment: "display name", level_default: "1", level_comment: "access level" });

  const constraints = await server.rows<{ conname: string; contype: string; condeferrable: boolean; condeferred: boolean; convalidated: boolean; rel: string }>(
    `SELECT conname, contype, condeferrable, condeferred, convalidated, conrelid::regclass::text AS rel
       FROM pg_constraint WHERE connamespace = $1::regnamespace AND contype <> 'n' ORDER BY conname`, // 18 lists NOT NULLs too
    [quoteIdent(s)],
  );
  const audit = `${quoteIdent(s)}."Audit Log"`;
  const user = `${quoteIdent(s)}."user"`;
  expect(constraints.map((c) => `${c.conname} ${c.contype} ${c.rel} ${c.condeferrable ? "deferrable" : "-"} ${c.condeferred ? "deferred" : "-"} ${c.convalidated ? "valid" : "not-valid"}`)).toEqual([
    `ck_audit_at c ${audit} - - not-valid`,
    `ck_quantity c ${user} - - valid`,
    `fk_audit_user f ${audit} deferrable deferred not-valid`,
    `org_pkey p ${quoteIdent(s)}.org - - valid`,
    `pk_audit p ${audit} - - valid`,
    `uq_org_status u ${user} deferrable deferred valid`,
    `uq_user_email u ${user} - - valid`,
    `user_org_id_fkey f ${user} - - valid`,
    `user_pkey p ${user} - - valid`,
  ]);

  const indexes = await server.rows<{ indexname: string; indexdef: string }>(
    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'user' ORDER BY indexname",
    [s],
  );
  expect(indexes.map((i) => i.indexname)).toEqual(["ix_user_email_lower", "ix_user_org", "uq_org_status", "uq_user_email", "user_pkey"]);
  const lower = indexes.find((i) => i.indexname === "ix_user_email_lower")?.indexdef ?? "";
  expect(lower).toContain("CREATE UNIQUE INDEX ix_user_email_lower");
  expect(lower).toContain("(lower(email)) INCLUDE (id) WHERE");
  expect(indexes.find((i) => i.indexname === "ix_user_org")?.indexdef).toContain("(org_id DESC NULLS LAST)");

  const rows = await server.rows(
    `SELECT id::text, email, total::text, status, level::text, array_to_json(tags)::text AS tags, meta::text, encode(avatar, 'hex') AS avatar,
            (SELECT string_agg("Name", '|' ORDER BY id) FROM ${qualify(s, "org")}) AS orgs
       FROM ${qualify(s, "user")} ORDER BY id`,
  );
  expect(rows).toEqual([
    { id: "100", email: "a@x", total: "7.50", status: "new", level: "1", tags: '["a","b,c","q\\""]', meta: '{"k": "v", "n": [1, null], "added": "it\'s"}', avatar: "005c27ff", orgs: "acme|it's \\ fine" },
    { id: "101", email: "b@x", total: "0.00", status: "vip", level: "1", tags: null, meta: null, avatar: null, orgs: "acme|it's \\ fine" },
  ]);
  const [tables] = await server.rows<{ renamed: string | null; old: string | null; scratch: string | null }>(
    "SELECT to_regclass($1)::text AS renamed, to_regclass($2)::text AS old, to_regclass($3)::text AS scratch",
    [audit, qualify(s, "audit"), qualify(s, "scratch")],
  );
  expect(tables).toEqual({ renamed: audit, old: null, scratch: null });
}

const keywordsAndNames = [
  "account",
  "Account",
  "2fast",
  "with space",
  "dollar$sign",
  'say "hi"',
  "żółw",
  "_x",
  "a1",
];

/** Values, the type to read them back as, and the text PostgreSQL must give back. */
const literals: [string, unknown, string, string | null][] = [
  ["a string with quotes", "it's 'quoted'", "text", "it's 'quoted'"],
  ["a string with backslashes", "C:\\temp\\new \\' end", "text", "C:\\temp\\new \\' end"],
  ["the empty string", "", "text", ""],
  ["unicode", "żółw 🐢", "text", "żółw 🐢"],
  ["null", null, "text", null],
  ["an integer", 42, "integer", "42"],
  ["a negative decimal", -1.5, "numeric", "-1.5"],
  ["a bigint beyond 2^53", 12345678901234567890n, "numeric", "12345678901234567890"],
  ["NaN", Number.NaN, "float8", "NaN"],
  ["-Infinity", Number.NEGATIVE_INFINITY, "float8", "-Infinity"],
  ["true", true, "boolean", "true"],
  ["a Date", new Date(Date.UTC(2026, 1, 11, 14, 5, 9, 120)), "timestamptz", "2026-02-11 14:05:09.12+00"],
  ["a text array with awkward elements", ["a", "", "NULL", null, 'q"uote', "back\\slash", "it's", "x,y", " sp "], "text[]", '["a","","NULL",null,"q\\"uote","back\\\\slash","it\'s","x,y"," sp "]'],
  ["an empty array", [], "integer[]", "[]"],
  ["a two-dimensional array", [[1, 2], [3, 4]], "integer[]", "[[1,2],[3,4]]"],
  ["JSON with quotes and backslashes", { s: "it's \\ \"q\"", n: null, a: [1] }, "jsonb", '{"a": [1], "n": null, "s": "it\'s \\\\ \\"q\\""}'],
  ["bytes", new Uint8Array([0, 1, 171, 255, 92, 39]), "bytea", "0001abff5c27"],
];

/** How a literal of `type` is read back as comparable text. */
function readBack(literal: string, type: string): string {
  if (type.endsWith("[]")) return `array_to_json((${literal})::${type})::text`;
  if (type === "bytea") return `encode((${literal})::bytea, 'hex')`;
  return `(${literal})::${type}::text`;
}

for (const server of servers) {
  describe(`SQL written by ops on ${server.name}`, () => {
    test("quoteIdent quotes exactly what quote_ident() quotes, for every keyword and awkward names", async () => {
      const words = (await server.rows<{ word: string }>("SELECT word FROM pg_get_keywords()")).map((r) => r.word);
      const names = [...words, ...keywordsAndNames];
      const rows = await server.rows<{ quoted: string }>("SELECT quote_ident(n) AS quoted FROM unnest($1::text[]) WITH ORDINALITY AS t(n, i) ORDER BY i", [names]);
      expect(rows.map((r) => r.quoted)).toEqual(names.map(quoteIdent));
    });

    test("quoteLiteral values read back unchanged, with standard_conforming_strings on and off", async () => {
      for (const setting of ["on", "off"]) {
        await server.run(`SET standard_conforming_strings = ${setting}; SET TimeZone = 'UTC'`);
        try {
          for (const [name, value, type, expected] of literals) {
            const [row] = await server.rows<{ v: string | null }>(`SELECT ${readBack(quoteLiteral(value), type)} AS v`);
            expect({ name, setting, v: row?.v }).toEqual({ name, setting, v: expected });
          }
        } finally {
          await server.run("RESET standard_conforming_strings; RESET TimeZone");
        }
      }
    });

    test("inlineParams gives the same rows as binding the parameters", async () => {
      const sql = `SELECT $1::text AS a, '$1' AS b, ($2::int - $3::int)::text AS c, /* $1 */ $$ $2 $$ AS d,
                          (10-$3)::text AS e, "x$1".v::text AS f, E'\\' $1' AS g -- $3
                     FROM (SELECT 1 AS v) AS "x$1"`;
      const params = ["it's \\ here", 10, -5];
      const bound = await server.rows(sql, params);
      expect(await server.rows(inlineParams(sql, params))).toEqual(bound);
      expect(bound).toEqual([{ a: "it's \\ here", b: "$1", c: "15", d: " $2 ", e: "15", f: "1", g: "' $1" }]);
    });

    test("every operation runs through createOp and leaves the catalogs as intended", async () => {
      const s = freshSchema("online");
      await migrate(createOp(onlineSink(server)), s, { concurrently: true });
      await expectMigrated(server, s);
    });

    test("the same operations written as a --sql script run as one script with the same result", async () => {
      const s = freshSchema("script");
      const lines: string[] = [];
      // CONCURRENTLY cannot run in a multi-statement script (an implicit transaction)
      await migrate(createOp(scriptSink(lines)), s, { concurrently: false });
      await server.run(lines.join("\n\n"));
      await expectMigrated(server, s);
    });
  });
}
