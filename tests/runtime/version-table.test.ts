import { describe, expect, test } from "bun:test";
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
});
