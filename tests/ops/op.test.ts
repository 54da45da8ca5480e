import { describe, expect, test } from "bun:test";
import type { Row } from "../../src/drivers/engine.ts";
import { UsageError } from "../../src/errors.ts";
import { createOp, type Op } from "../../src/ops/op.ts";
import type { Sink } from "../../src/runtime/sink.ts";

/** A sink that records what it is given; query() answers with `rows`, or throws like the offline sink. */
function recordingSink(offline = false, rows: Row[] = []) {
  const executed: { sql: string; params?: readonly unknown[] }[] = [];
  const queried: { sql: string; params?: readonly unknown[] }[] = [];
  const sink: Sink = {
    offline,
    async execute(sql, params) {
      executed.push(params === undefined ? { sql } : { sql, params });
    },
    async query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      if (offline) throw new UsageError("op.query() needs a database connection and cannot run in --sql mode (revision abc123)");
      queried.push(params === undefined ? { sql } : { sql, params });
      return rows as T[];
    },
  };
  return { sink, executed, queried, op: createOp(sink) };
}

describe("createOp", () => {
  const calls: [string, (op: Op) => Promise<void>, string[]][] = [
    [
      "createTable",
      (op) => op.createTable("account", [{ name: "id", type: "integer", primaryKey: true }, { name: "name", type: "text", comment: "shown" }], { schema: "s" }),
      ["CREATE TABLE s.account (\n    id integer PRIMARY KEY,\n    name text\n)", "COMMENT ON COLUMN s.account.name IS 'shown'"],
    ],
    ["dropTable", (op) => op.dropTable("account", { ifExists: true }), ["DROP TABLE IF EXISTS account"]],
    ["renameTable", (op) => op.renameTable("a", "b", { schema: "s" }), ["ALTER TABLE s.a RENAME TO b"]],
    ["addColumn", (op) => op.addColumn("t", { name: "c", type: "int", nullable: false, serverDefault: 0 }), ["ALTER TABLE t ADD COLUMN c int DEFAULT 0 NOT NULL"]],
    ["dropColumn", (op) => op.dropColumn("t", "c", { cascade: true }), ["ALTER TABLE t DROP COLUMN c CASCADE"]],
    [
      "alterColumn",
      (op) => op.alterColumn("t", "c", { nullable: false, newColumnName: "d" }),
      ["ALTER TABLE t ALTER COLUMN c SET NOT NULL", "ALTER TABLE t RENAME COLUMN c TO d"],
    ],
    [
      "createIndex",
      (op) => op.createIndex("ix", "t", ["a", { expression: "lower(b)" }], { unique: true, where: "a > 0" }),
      ["CREATE UNIQUE INDEX ix ON t (a, (lower(b))) WHERE a > 0"],
    ],
    ["dropIndex", (op) => op.dropIndex("ix", { table: "t", concurrently: true }), ["DROP INDEX CONCURRENTLY ix"]],
    ["createPrimaryKey", (op) => op.createPrimaryKey("pk", "t", ["id"], { schema: "s" }), ["ALTER TABLE s.t ADD CONSTRAINT pk PRIMARY KEY (id)"]],
    [
      "createForeignKey maps sourceSchema to the constrained table",
      (op) => op.createForeignKey("fk", "t", "u", ["u_id"], ["id"], { sourceSchema: "a", referentSchema: "b", onDelete: "CASCADE" }),
      ["ALTER TABLE a.t ADD CONSTRAINT fk FOREIGN KEY (u_id) REFERENCES b.u (id) ON DELETE CASCADE"],
    ],
    ["createUniqueConstraint", (op) => op.createUniqueConstraint("uq", "t", ["a"]), ["ALTER TABLE t ADD CONSTRAINT uq UNIQUE (a)"]],
    ["createCheckConstraint", (op) => op.createCheckConstraint("ck", "t", "a > 0"), ["ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0)"]],
    ["dropConstraint", (op) => op.dropConstraint("ck", "t"), ["ALTER TABLE t DROP CONSTRAINT ck"]],
    ["bulkInsert", (op) => op.bulkInsert("t", [{ a: 1 }, { a: 2 }]), ["INSERT INTO t (a) VALUES\n    (1),\n    (2)"]],
  ];
  test.each(calls)("%s sends its rendered statements to the sink, one by one, without params", async (_name, call, expected) => {
    const { op, executed } = recordingSink();
    await call(op);
    expect(executed).toEqual(expected.map((sql) => ({ sql })));
  });

  test("execute hands SQL and params to the sink untouched, so online runs bind them", async () => {
    const { op, executed } = recordingSink();
    await op.execute("UPDATE t SET a = $1", ["x"]);
    await op.execute("SELECT 1; SELECT 2");
    await op.execute("SELECT 3", []);
    expect(executed).toEqual([{ sql: "UPDATE t SET a = $1", params: ["x"] }, { sql: "SELECT 1; SELECT 2" }, { sql: "SELECT 3" }]);
  });

  test("query returns the sink's rows", async () => {
    const { op, queried } = recordingSink(false, [{ n: 1 }]);
    const rows = await op.query<{ n: number }>("SELECT $1::int AS n", [1]);
    expect(rows).toEqual([{ n: 1 }]);
    expect(queried).toEqual([{ sql: "SELECT $1::int AS n", params: [1] }]);
  });

  test("query lets the offline sink's UsageError through unchanged", async () => {
    const { op } = recordingSink(true);
    const error = await op.query("SELECT 1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe("op.query() needs a database connection and cannot run in --sql mode (revision abc123)");
  });

  test("offline reports the sink's mode", () => {
    expect(recordingSink(true).op.offline).toBe(true);
    expect(recordingSink(false).op.offline).toBe(false);
  });

  test("a failing sink stops the remaining statements of the operation", async () => {
    const executed: string[] = [];
    const sink: Sink = {
      offline: false,
      async execute(sql) {
        executed.push(sql);
        throw new Error("boom");
      },
      async query() {
        return [];
      },
    };
    await expect(createOp(sink).alterColumn("t", "c", { nullable: false, newColumnName: "d" })).rejects.toThrow("boom");
    expect(executed).toEqual(["ALTER TABLE t ALTER COLUMN c SET NOT NULL"]);
  });

  const misuse: [string, (op: Op) => Promise<unknown>, RegExp][] = [
    ["Alembic's server_default", (op) => op.alterColumn("t", "c", { server_default: "0" } as never), /op\.alterColumn\("t", "c"\): unknown option key "server_default" \(did you mean serverDefault\?\)/],
    ["Alembic's postgresql_using", (op) => op.alterColumn("t", "c", { type: "int", postgresql_using: "c::int" } as never), /unknown option key "postgresql_using" \(did you mean using\?\)/],
    ["Alembic's type_", (op) => op.alterColumn("t", "c", { type_: "int" } as never), /did you mean type\?/],
    ["Alembic's ondelete", (op) => op.createForeignKey("fk", "t", "u", ["a"], ["b"], { ondelete: "CASCADE" } as never), /did you mean onDelete\?/],
    ["Alembic's postgresql_concurrently", (op) => op.createIndex("ix", "t", ["a"], { postgresql_concurrently: true } as never), /did you mean concurrently\?/],
    ["server_default on a column", (op) => op.addColumn("t", { name: "c", type: "int", server_default: "0" } as never), /unknown column key "server_default" \(did you mean serverDefault\?\)/],
    ["a misspelt reference key", (op) => op.addColumn("t", { name: "c", type: "int", references: { table: "u", on_delete: "CASCADE" } } as never), /unknown references key "on_delete" \(did you mean onDelete\?\)/],
    ["an unknown identity key", (op) => op.addColumn("t", { name: "c", type: "int", identity: { always: true } } as never), /unknown identity key "always" \(allowed: generated, start/],
    ["an unknown option", (op) => op.dropTable("t", { force: true } as never), /unknown option key "force" \(allowed: schema, ifExists, cascade\)/],
    ["a constraint without kind", (op) => op.createTable("t", [], { constraints: [{ columns: ["a"] }] } as never), /a constraint needs kind "primaryKey", "unique", "foreignKey" or "check"/],
    ["a constraint with a key of another kind", (op) => op.createTable("t", [], { constraints: [{ kind: "check", condition: "a > 0", columns: ["a"] }] } as never), /unknown check constraint key "columns"/],
    ["an unknown index element key", (op) => op.createIndex("ix", "t", [{ column: "a", desc: true }] as never), /unknown index element key "desc"/],
    ["Alembic's positional table_name for dropIndex", (op) => op.dropIndex("ix", "account" as never), /Alembic's table_name is \{ table: "account" \}/],
    ["columns that are not an array", (op) => op.createTable("t", { id: "int" } as never), /columns must be an array/],
    ["alterColumn without changes", (op) => op.alterColumn("t", "c", undefined as never), /say what to change/],
    ["options that are not an object", (op) => op.dropColumn("t", "c", true as never), /option must be an object, got boolean true/],
    ["execute without SQL", (op) => op.execute(undefined as never), /op\.execute\(\) needs a SQL string/],
    ["execute with params that are not an array", (op) => op.execute("SELECT $1", 5 as never), /params must be an array/],
  ];
  test.each(misuse)("refuses %s before anything reaches the sink", async (_name, call, message) => {
    const { op, executed } = recordingSink();
    const error = await call(op).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect(executed).toEqual([]);
  });
});
