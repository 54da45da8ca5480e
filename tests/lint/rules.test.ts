/**
 * Every rule with a statement that fires it and one that must not, decided
 * against a hand-made catalog of the parent (users, orders with an index on
 * user_id, events, an enum and a view) and, for the measured rules, a
 * hand-made measurement. The statements go through PostgreSQL's parser.
 */
import { describe, expect, test } from "bun:test";
import type { Catalog, CatalogTable } from "../../src/lint/catalog.ts";
import type { StatementMeasurement } from "../../src/lint/measure.ts";
import { binaryCoercible, lintRevision, longIdentifiers, RULES, type RuleName } from "../../src/lint/rules.ts";
import { statementsOf } from "../../src/lint/source.ts";

function table(columns: Record<string, string>, indexes: string[][] = [], extra: Partial<CatalogTable> = {}): CatalogTable {
  return {
    columns: new Map(Object.entries(columns).map(([name, type]) => [name, { type, notNull: false }])),
    indexes,
    dependents: [],
    columnDependents: new Map(),
    ...extra,
  };
}

const catalog: Catalog = {
  tables: new Map([
    ["public.users", table({ id: "bigint", email: "text", name: "character varying(50)", score: "integer" }, [["id"]], {
      dependents: ["foreign key orders_user_id_fkey of public.orders"],
      columnDependents: new Map([["email", ["view public.user_emails"]]]),
    })],
    ["public.orders", table({ id: "bigint", user_id: "bigint", total: "numeric(10,2)", note: "text" }, [["id"], ["user_id"]])],
    ["public.events", table({ id: "bigint", user_id: "bigint" }, [["id"]])],
  ]),
  indexes: new Map([["public.orders_user_id_idx", "public.orders"], ["public.users_pkey", "public.users"]]),
  enums: new Map([["public.mood", ["happy", "sad"]]]),
  views: new Set(["public.user_emails"]),
};

const exclusive = (relation: string, rewrites: string[] = []): StatementMeasurement => ({ locks: [{ relation, mode: "AccessExclusiveLock" }], rewrites });

interface Case {
  readonly sql: string;
  readonly transactional?: boolean;
  readonly hasDowngrade?: boolean;
  /** measurements by statement index */
  readonly measured?: Record<number, StatementMeasurement>;
}

async function rulesOf(c: Case): Promise<RuleName[]> {
  const statements = await statementsOf(c.sql, 1);
  const raw = lintRevision({
    transactional: c.transactional ?? true,
    hasDowngrade: c.hasDowngrade ?? true,
    catalog,
    statements: statements.map((s, i) => ({ ...s, ...(c.measured?.[i] ? { measured: c.measured[i] } : {}) })),
  });
  return [...new Set(raw.map((f) => f.rule))];
}

const cases: { rule: RuleName; fires: Case; quiet: Case }[] = [
  {
    rule: "adding-field-with-default",
    fires: { sql: "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid()" },
    quiet: { sql: "ALTER TABLE orders ADD COLUMN currency text DEFAULT 'EUR'" },
  },
  {
    rule: "adding-foreign-key-constraint",
    fires: { sql: "ALTER TABLE events ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id)" },
    quiet: { sql: "ALTER TABLE events ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID" },
  },
  {
    rule: "adding-not-nullable-field",
    fires: { sql: "ALTER TABLE orders ALTER COLUMN note SET NOT NULL" },
    quiet: { sql: "CREATE TABLE t (id bigint, note text); ALTER TABLE t ALTER COLUMN note SET NOT NULL" },
  },
  {
    rule: "adding-required-field",
    fires: { sql: "ALTER TABLE events ADD COLUMN kind text NOT NULL" },
    quiet: { sql: "ALTER TABLE events ADD COLUMN kind text NOT NULL DEFAULT 'web'" },
  },
  {
    rule: "adding-serial-primary-key-field",
    fires: { sql: "ALTER TABLE events ADD COLUMN serial_id bigserial PRIMARY KEY" },
    quiet: { sql: "ALTER TABLE events ADD CONSTRAINT events_pk PRIMARY KEY USING INDEX events_id_key" },
  },
  {
    rule: "ban-concurrent-index-creation-in-transaction",
    fires: { sql: "CREATE INDEX CONCURRENTLY i ON users (email)" },
    quiet: { sql: "CREATE INDEX CONCURRENTLY i ON users (email)", transactional: false },
  },
  {
    rule: "ban-drop-column",
    fires: { sql: "ALTER TABLE orders DROP COLUMN note" },
    quiet: { sql: "CREATE TABLE t (id bigint, x text); ALTER TABLE t DROP COLUMN x" },
  },
  { rule: "ban-drop-database", fires: { sql: "DROP DATABASE prod" }, quiet: { sql: "DROP TABLE IF EXISTS not_there" } },
  {
    rule: "ban-drop-table",
    fires: { sql: "DROP TABLE events" },
    quiet: { sql: "CREATE TABLE stage (id bigint); DROP TABLE stage" },
  },
  { rule: "ban-truncate-cascade", fires: { sql: "TRUNCATE users CASCADE" }, quiet: { sql: "TRUNCATE events" } },
  {
    rule: "changing-column-type",
    fires: { sql: "ALTER TABLE users ALTER COLUMN score TYPE bigint" },
    quiet: { sql: "ALTER TABLE users ALTER COLUMN name TYPE varchar(100)" },
  },
  {
    rule: "constraint-missing-not-valid",
    fires: { sql: "ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0)" },
    quiet: { sql: "ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID" },
  },
  {
    rule: "disallowed-unique-constraint",
    fires: { sql: "ALTER TABLE users ADD CONSTRAINT u UNIQUE (email)" },
    quiet: { sql: "ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_email_key" },
  },
  {
    rule: "renaming-column",
    fires: { sql: "ALTER TABLE orders RENAME COLUMN note TO remark" },
    quiet: { sql: "CREATE TABLE t (a text); ALTER TABLE t RENAME COLUMN a TO b" },
  },
  {
    rule: "renaming-table",
    fires: { sql: "ALTER TABLE events RENAME TO happenings" },
    quiet: { sql: "CREATE TABLE t (a text); ALTER TABLE t RENAME TO u" },
  },
  {
    rule: "require-concurrent-index-creation",
    fires: { sql: "CREATE INDEX i ON users (email)" },
    quiet: { sql: "CREATE TABLE t (a text); CREATE INDEX i ON t (a)" },
  },
  {
    rule: "require-concurrent-index-deletion",
    fires: { sql: "DROP INDEX orders_user_id_idx" },
    quiet: { sql: "DROP INDEX CONCURRENTLY orders_user_id_idx", transactional: false },
  },
  {
    rule: "require-enum-value-ordering",
    fires: { sql: "ALTER TYPE mood ADD VALUE 'meh'" },
    quiet: { sql: "ALTER TYPE mood ADD VALUE 'meh' AFTER 'happy'" },
  },
  { rule: "transaction-nesting", fires: { sql: "BEGIN; CREATE TABLE t (id bigint); COMMIT" }, quiet: { sql: "CREATE TABLE t (id bigint)" } },
  { rule: "prefer-timestamp-tz", fires: { sql: "CREATE TABLE t (at timestamp)" }, quiet: { sql: "CREATE TABLE t (at timestamptz)" } },
  { rule: "prefer-bigint-over-int", fires: { sql: "CREATE TABLE t (id serial)" }, quiet: { sql: "CREATE TABLE t (id bigint)" } },
  { rule: "prefer-text-field", fires: { sql: "CREATE TABLE t (a varchar(20))" }, quiet: { sql: "CREATE TABLE t (a text)" } },
  { rule: "ban-char-field", fires: { sql: "CREATE TABLE t (a char(2))" }, quiet: { sql: "CREATE TABLE t (a text)" } },
  {
    rule: "identifier-too-long",
    fires: { sql: `CREATE TABLE ${"x".repeat(64)} (id bigint)` },
    quiet: { sql: `CREATE TABLE ${"x".repeat(63)} (id bigint, note text DEFAULT '${"y".repeat(70)}')` },
  },
  {
    rule: "require-lock-timeout",
    fires: { sql: "ALTER TABLE events ADD COLUMN a text", measured: { 0: exclusive("public.events") } },
    quiet: { sql: "SET lock_timeout = '2s'; ALTER TABLE events ADD COLUMN a text", measured: { 1: exclusive("public.events") } },
  },
  {
    rule: "require-lock-timeout",
    fires: { sql: "ALTER TABLE events ADD COLUMN kind text NOT NULL", measured: { 0: { locks: [], rewrites: [], error: "contains null values" } } },
    quiet: { sql: "ALTER TABLE events ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID", measured: { 0: { locks: [], rewrites: [], error: "x" } } },
  },
  {
    rule: "unindexed-foreign-key",
    fires: { sql: "CREATE TABLE pay (id bigint, user_id bigint REFERENCES users (id))" },
    quiet: { sql: "CREATE TABLE pay (id bigint, user_id bigint REFERENCES users (id)); CREATE INDEX pay_user ON pay (user_id, id)" },
  },
  {
    rule: "enum-value-used-in-same-transaction",
    fires: { sql: "ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad'; UPDATE events SET id = id WHERE 'meh'::mood IS NOT NULL" },
    quiet: { sql: "ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad'; UPDATE events SET id = id WHERE 'meh'::mood IS NOT NULL", transactional: false },
  },
  { rule: "irreversible-revision", fires: { sql: "SELECT 1", hasDowngrade: false }, quiet: { sql: "SELECT 1" } },
  {
    rule: "table-rewrite",
    fires: { sql: "ALTER TABLE users ALTER COLUMN score TYPE bigint", measured: { 0: exclusive("public.users", ["public.users"]) } },
    quiet: { sql: "ALTER TABLE users ALTER COLUMN name TYPE varchar(80)", measured: { 0: exclusive("public.users") } },
  },
  {
    rule: "drop-of-depended-object",
    fires: { sql: "ALTER TABLE users DROP COLUMN email CASCADE" },
    quiet: { sql: "ALTER TABLE users DROP COLUMN name" },
  },
  { rule: "syntax-error", fires: { sql: "CREATE TABLE t (id bigint); ALTER TABLE t ADD COLUMN;" }, quiet: { sql: "CREATE TABLE t (id bigint)" } },
];

describe("each rule", () => {
  test("the table covers every rule except the ones decided elsewhere", () => {
    const covered = new Set(cases.map((c) => c.rule));
    const elsewhere = ["unused-ignore", "revision-fails", "unlintable-revision"]; // tests/lint/policy.test.ts, tests/lint/run.test.ts
    expect(Object.keys(RULES).filter((r) => !covered.has(r as RuleName) && !elsewhere.includes(r))).toEqual([]);
  });
  for (const c of cases) {
    test(`${c.rule} fires on: ${c.fires.sql}`, async () => {
      expect(await rulesOf(c.fires)).toContain(c.rule);
    });
    test(`${c.rule} stays quiet on: ${c.quiet.sql}`, async () => {
      expect(await rulesOf(c.quiet)).not.toContain(c.rule);
    });
  }
});

describe("the schema changes the answer", () => {
  test("a type change the measurement saw rewrite nothing is not a changing-column-type finding, whatever the types", async () => {
    const sql = "ALTER TABLE users ALTER COLUMN score TYPE bigint";
    expect(await rulesOf({ sql, measured: { 0: exclusive("public.users") } })).not.toContain("changing-column-type");
    expect(await rulesOf({ sql, measured: { 0: exclusive("public.users", ["public.users"]) } })).toContain("changing-column-type");
  });

  test("a foreign key whose columns an existing index leads with is not unindexed", async () => {
    expect(await rulesOf({ sql: "ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID" })).not.toContain("unindexed-foreign-key");
    expect(await rulesOf({ sql: "ALTER TABLE events ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID" })).toContain("unindexed-foreign-key");
  });

  test("dropping a table that another table references is a drop of a depended object", async () => {
    expect(await rulesOf({ sql: "DROP TABLE users CASCADE" })).toEqual(expect.arrayContaining(["ban-drop-table", "drop-of-depended-object"]));
    expect(await rulesOf({ sql: "DROP TABLE events" })).not.toContain("drop-of-depended-object");
  });
});

describe("the measurement changes the answer", () => {
  test("a string equal to a new enum label is not a use when the statement ran cleanly; PostgreSQL's refusal is", async () => {
    const sql = "ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad'; INSERT INTO orders (note) VALUES ('meh')";
    expect(await rulesOf({ sql, measured: { 1: { locks: [], rewrites: [] } } })).not.toContain("enum-value-used-in-same-transaction");
    expect(await rulesOf({ sql, measured: { 1: { locks: [], rewrites: [], error: "ERROR 55P04: unsafe use of new value" } } })).toContain("enum-value-used-in-same-transaction");
  });
});

describe("binaryCoercible", () => {
  const table: [string, string, boolean][] = [
    ["character varying(10)", "character varying(20)", true],
    ["character varying(20)", "character varying(10)", false],
    ["character varying(10)", "text", true],
    ["character varying(10)", "character varying", true],
    ["numeric(10,2)", "numeric(12,2)", true],
    ["numeric(10,2)", "numeric(12,3)", false],
    ["numeric(10,2)", "numeric", true],
    ["integer", "bigint", false],
    ["text", "character varying(5)", false],
    ["cidr", "inet", true],
  ];
  for (const [before, after, expected] of table) {
    test(`${before} → ${after}: ${expected ? "no rewrite" : "rewrite"}`, () => expect(binaryCoercible(before, after)).toBe(expected));
  }
});

describe("longIdentifiers", () => {
  test("finds bare and quoted names over 63 bytes, not string literals or comments", () => {
    const long = "n".repeat(64);
    expect(longIdentifiers(`CREATE TABLE ${long} ("${"é".repeat(32)}" text) -- ${"c".repeat(70)}`)).toEqual([long, "é".repeat(32)]);
    expect(longIdentifiers(`SELECT '${"s".repeat(80)}'`)).toEqual([]);
  });
});
