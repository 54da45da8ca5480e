import { describe, expect, test } from "bun:test";
import { UsageError } from "../../src/errors.ts";
import { renderScript } from "../../src/runtime/runner.ts";
import { downChain, revMap, sqlRev, step, tsRev, upChain } from "./fixtures.ts";

const first = sqlRev("ffa7dce781be", null, "CREATE TABLE t1 (id int)", "DROP TABLE t1", { message: "create sample" });
const second = sqlRev("dadf308f3867", "ffa7dce781be", "CREATE TABLE t2 (id int)", "DROP TABLE t2", { message: "create base platform tables" });
const third = sqlRev("0ee619f3516b", "dadf308f3867", "CREATE INDEX CONCURRENTLY i ON t2 (id)", "DROP INDEX i", { transaction: false });
const revisions = revMap(first, second, third);
const table = { name: "alembic_version", schema: null };
const noLog = () => {};

// What Alembic 1.8.1 prints for the same revisions with `upgrade head --sql` (captured from a real run).
const alembicUpgrade = `BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> ffa7dce781be

CREATE TABLE t1 (id int);

INSERT INTO alembic_version (version_num) VALUES ('ffa7dce781be') RETURNING alembic_version.version_num;

-- Running upgrade ffa7dce781be -> dadf308f3867

CREATE TABLE t2 (id int);

UPDATE alembic_version SET version_num='dadf308f3867' WHERE alembic_version.version_num = 'ffa7dce781be';

COMMIT;

`;

const alembicDowngrade = `BEGIN;

-- Running downgrade dadf308f3867 -> ffa7dce781be

DROP TABLE t2;

UPDATE alembic_version SET version_num='ffa7dce781be' WHERE alembic_version.version_num = 'dadf308f3867';

-- Running downgrade ffa7dce781be -> 

DROP TABLE t1;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'ffa7dce781be';

DROP TABLE alembic_version;

COMMIT;

`;

describe("offline --sql scripts", () => {
  test("upgrade from base is byte for byte what Alembic prints", async () => {
    const lines: string[] = [];
    const result = await renderScript({ steps: upChain([first, second]), revisions, table, startingHeads: [], log: (l) => lines.push(l) });
    expect(result.script).toBe(alembicUpgrade);
    expect(result.heads).toEqual(["dadf308f3867"]);
    expect(lines).toEqual(["Running upgrade  -> ffa7dce781be, create sample", "Running upgrade ffa7dce781be -> dadf308f3867, create base platform tables"]);
  });

  test("downgrade to base deletes the last row and drops the version table, as Alembic does offline", async () => {
    const result = await renderScript({ steps: downChain([first, second]), revisions, table, startingHeads: ["dadf308f3867"], log: noLog });
    expect(result.script).toBe(alembicDowngrade);
    expect(result.heads).toEqual([]);
  });

  test("stamp steps write only version rows, logged as stamp_revision", async () => {
    const stamp = { ...step("up", second, ["ffa7dce781be"], ["dadf308f3867"], [{ kind: "update", from: "ffa7dce781be", to: "dadf308f3867" }]), run: null };
    const result = await renderScript({ steps: [stamp], revisions, table, startingHeads: ["ffa7dce781be"], log: noLog });
    expect(result.script).toBe(
      "BEGIN;\n\n-- Running stamp_revision ffa7dce781be -> dadf308f3867\n\nUPDATE alembic_version SET version_num='dadf308f3867' WHERE alembic_version.version_num = 'ffa7dce781be';\n\nCOMMIT;\n\n",
    );
  });

  test("transaction per migration wraps each revision, and a transaction=false revision runs between COMMIT and BEGIN", async () => {
    const perMigration = await renderScript({ steps: upChain([first, second, third]).slice(1), revisions, table, startingHeads: ["ffa7dce781be"], transactionPerMigration: true, log: noLog });
    expect(perMigration.script).toBe(
      "BEGIN;\n\n-- Running upgrade ffa7dce781be -> dadf308f3867\n\nCREATE TABLE t2 (id int);\n\nUPDATE alembic_version SET version_num='dadf308f3867' WHERE alembic_version.version_num = 'ffa7dce781be';\n\nCOMMIT;\n\n" +
        "-- Running upgrade dadf308f3867 -> 0ee619f3516b\n\nCREATE INDEX CONCURRENTLY i ON t2 (id);\n\nUPDATE alembic_version SET version_num='0ee619f3516b' WHERE alembic_version.version_num = 'dadf308f3867';\n\n",
    );
    const perRun = await renderScript({ steps: upChain([first, second, third]).slice(2), revisions, table, startingHeads: ["dadf308f3867"], log: noLog });
    expect(perRun.script).toBe(
      "BEGIN;\n\n-- Running upgrade dadf308f3867 -> 0ee619f3516b\n\nCOMMIT;\n\nCREATE INDEX CONCURRENTLY i ON t2 (id);\n\nUPDATE alembic_version SET version_num='0ee619f3516b' WHERE alembic_version.version_num = 'dadf308f3867';\n\nBEGIN;\n\nCOMMIT;\n\n",
    );
  });

  test("a schema-qualified version table and SQL sections that end in a comment are rendered safely", async () => {
    const commented = sqlRev("c1", null, "CREATE TABLE x (id int) -- trailing note", null);
    const result = await renderScript({ steps: upChain([commented]), revisions: revMap(commented), table: { name: "versions", schema: "Ops" }, startingHeads: [], log: noLog });
    expect(result.script).toContain('CREATE TABLE "Ops".versions (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT versions_pkc PRIMARY KEY (version_num)\n);');
    expect(result.script).toContain("CREATE TABLE x (id int); -- trailing note\n\n");
    expect(result.script).toContain(`INSERT INTO "Ops".versions (version_num) VALUES ('c1') RETURNING "Ops".versions.version_num;`);
  });

  test("a TypeScript revision renders its op calls, with parameters inlined", async () => {
    const rev = tsRev("ts1", null, async (op) => {
      await op.execute("INSERT INTO t (a, b) VALUES ($1, $2)", ["it's", 3]);
    });
    const result = await renderScript({ steps: upChain([rev]), revisions: revMap(rev), table, startingHeads: [], log: noLog });
    expect(result.script).toContain("INSERT INTO t (a, b) VALUES ('it''s', 3);\n\n");
  });

  test("op.query in --sql mode is a clear usage error naming the revision", async () => {
    const rev = tsRev("tsq", null, async (op) => {
      await op.query("SELECT count(*) FROM users");
    });
    const error = await renderScript({ steps: upChain([rev]), revisions: revMap(rev), table, startingHeads: [], log: noLog }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain("migrations/versions/tsq_rev.ts");
    expect((error as Error).message).toContain("op.query cannot run in --sql mode");
  });

  test("--purge is refused in --sql mode", async () => {
    const error = await renderScript({ steps: [], revisions, table, startingHeads: [], purge: true, log: noLog }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
  });
});
