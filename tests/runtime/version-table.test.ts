import { describe, expect, test } from "bun:test";
import { netChangeSql } from "../../src/runtime/runner.ts";
import { createVersionTableSql, versionChangeSql } from "../../src/runtime/version-table.ts";

const plain = { name: "alembic_version", schema: null };

describe("version table SQL", () => {
  test("renders Alembic's DDL with the configured name and schema", () => {
    expect(createVersionTableSql({ name: "my_versions", schema: "app" })).toBe(
      "CREATE TABLE app.my_versions (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT my_versions_pkc PRIMARY KEY (version_num)\n)",
    );
  });

  test("renders row changes as Alembic does", () => {
    expect(versionChangeSql(plain, { kind: "insert", version: "a" })).toBe("INSERT INTO alembic_version (version_num) VALUES ('a') RETURNING alembic_version.version_num");
    expect(versionChangeSql(plain, { kind: "update", from: "a", to: "b" })).toBe("UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a'");
    expect(versionChangeSql(plain, { kind: "delete", version: "b" })).toBe("DELETE FROM alembic_version WHERE alembic_version.version_num = 'b'");
  });

  const net: [string, string[], string[], string[]][] = [
    ["nothing when the heads did not change", ["a"], ["a"], []],
    ["an update when one head moved", ["a"], ["c"], ["UPDATE"]],
    ["an insert for a new head", [], ["a"], ["INSERT"]],
    ["a delete for a head that went away", ["a", "b"], ["a"], ["DELETE"]],
    ["an update and a delete for a merge", ["a", "b"], ["m"], ["UPDATE", "DELETE"]],
    ["an update and an insert for an unmerge", ["m"], ["a", "b"], ["UPDATE", "INSERT"]],
  ];
  for (const [name, from, to, verbs] of net) {
    test(`the net change of a deferred run writes ${name}`, () => {
      const sql = netChangeSql(plain, from, to);
      expect([...sql.matchAll(/^\s*(INSERT|UPDATE|DELETE)\b/gm)].map((m) => m[1])).toEqual(verbs);
    });
  }
});
