import { describe, expect, test } from "bun:test";
import { ExitCode, RevisionFileError } from "../../src/errors.ts";
import { parseSqlRevision } from "../../src/revisions/sql-file.ts";

const FULL = `-- Revision ID: 0ee619f3516b
-- Revises: dadf308f3867
-- Create Date: 2026-02-11 14:05:09
-- Message: seed initial focus groups/dimensions/weights data
-- Branch Labels: platform, seed
-- Depends On: ffa7dce781be
-- Transaction: false

-- migrate:upgrade
INSERT INTO t VALUES (1);
INSERT INTO t VALUES (2);

-- migrate:downgrade
DELETE FROM t;
`;

/** A file: `header`, a blank line, then `body` (by default a one-statement upgrade section). */
function file(header: string, body = "-- migrate:upgrade\nSELECT 1;\n"): string {
  return `${header}\n\n${body}`;
}

describe("parseSqlRevision", () => {
  test("reads every header field and both sections", () => {
    const rev = parseSqlRevision("versions/0ee619f3516b_seed.sql", FULL);
    expect(rev).toMatchObject({
      id: "0ee619f3516b",
      downRevisions: ["dadf308f3867"],
      createDate: "2026-02-11 14:05:09",
      message: "seed initial focus groups/dimensions/weights data",
      branchLabels: ["platform", "seed"],
      dependsOn: ["ffa7dce781be"],
      transaction: false,
      format: "sql",
      path: "versions/0ee619f3516b_seed.sql",
      upgrade: { kind: "sql", sql: "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);", line: 10 },
      downgrade: { kind: "sql", sql: "DELETE FROM t;", line: 14 },
    });
  });

  test("renders the header as Alembic's docstring: the message, a blank line, then the other header lines", () => {
    const rev = parseSqlRevision("0ee619f3516b_seed.sql", FULL);
    expect(rev.doc).toBe(
      [
        "seed initial focus groups/dimensions/weights data",
        "",
        "Revision ID: 0ee619f3516b",
        "Revises: dadf308f3867",
        "Create Date: 2026-02-11 14:05:09",
        "Branch Labels: platform, seed",
        "Depends On: ffa7dce781be",
        "Transaction: false",
      ].join("\n"),
    );
  });

  test("keeps free-form header comments in the docstring", () => {
    const text = file("-- Revision ID: abc\n-- Message: add things\n--\n-- Adds the tables: a and b.\n-- see https://example.com/x");
    expect(parseSqlRevision("abc_add_things.sql", text).doc).toBe(
      "add things\n\nRevision ID: abc\n\nAdds the tables: a and b.\nsee https://example.com/x",
    );
  });

  test("an empty Revises is a base and a comma-separated one is a merge", () => {
    expect(parseSqlRevision("a1_x.sql", file("-- Revision ID: a1\n-- Revises:")).downRevisions).toEqual([]);
    expect(parseSqlRevision("a1_x.sql", file("-- Revision ID: a1\n-- Revises: b2, c3,d4")).downRevisions).toEqual(["b2", "c3", "d4"]);
  });

  test("defaults: no message, no create date, transactional, no downgrade", () => {
    const rev = parseSqlRevision("a1.sql", file("-- Revision ID: a1"));
    expect(rev).toMatchObject({ message: "", createDate: null, transaction: true, downgrade: null, branchLabels: [], dependsOn: [] });
    expect(rev.doc).toBe("Revision ID: a1");
  });

  test("an empty downgrade section is a no-op downgrade, not a missing one", () => {
    const rev = parseSqlRevision("a1_x.sql", file("-- Revision ID: a1", "-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\n\n"));
    expect(rev.downgrade).toEqual({ kind: "sql", sql: "", line: 6 });
  });

  test("sections may come in either order and keep comments and blank lines inside their bodies", () => {
    const body = "-- migrate:downgrade\nDROP TABLE t;\n-- migrate:upgrade\n\n-- make t\nCREATE TABLE t ();\n";
    const rev = parseSqlRevision("a1_x.sql", file("-- Revision ID: a1", body));
    expect(rev.upgrade).toEqual({ kind: "sql", sql: "\n-- make t\nCREATE TABLE t ();", line: 6 });
    expect(rev.downgrade).toEqual({ kind: "sql", sql: "DROP TABLE t;", line: 4 });
  });

  test("header keys and markers are matched case-insensitively and with loose spacing", () => {
    const rev = parseSqlRevision("a1_x.sql", "--revision id:a1\n--   TRANSACTION:   False\n--migrate:UPGRADE\nSELECT 1;");
    expect(rev).toMatchObject({ id: "a1", transaction: false, upgrade: { sql: "SELECT 1;", line: 4 } });
  });

  test("CRLF line endings and a byte-order mark do not leak into ids or SQL", () => {
    const rev = parseSqlRevision("a1_x.sql", "\uFEFF-- Revision ID: a1\r\n-- Revises: b2\r\n\r\n-- migrate:upgrade\r\nSELECT 1;\r\nSELECT 2;\r\n");
    expect(rev).toMatchObject({ id: "a1", downRevisions: ["b2"], upgrade: { sql: "SELECT 1;\nSELECT 2;", line: 5 } });
  });

  test("a file named after the id alone, or Windows-style paths, pass the file-name check", () => {
    expect(parseSqlRevision("a1.sql", file("-- Revision ID: a1")).id).toBe("a1");
    expect(parseSqlRevision("C:\\m\\a1_x.sql", file("-- Revision ID: a1")).id).toBe("a1");
  });

  const malformed: [name: string, path: string, text: string, message: string, line: number | undefined][] = [
    ["an unknown header key", "a1_x.sql", "-- Revision ID: a1\n-- Revisse: b2\n-- migrate:upgrade\n", "unknown header key 'Revisse'", 2],
    ["a missing Revision ID", "a1_x.sql", "-- Revises: b2\n-- migrate:upgrade\nSELECT 1;", "missing '-- Revision ID:' header line", undefined],
    ["an empty Revision ID", "a1_x.sql", "-- Revision ID:\n-- migrate:upgrade\n", "empty revision id", 1],
    ["a file name that disagrees with the id", "b2_x.sql", "-- Message: m\n-- Revision ID: a1\n-- migrate:upgrade\n", "does not start with its revision id 'a1_'", 2],
    ["a file name that only shares a prefix with the id", "a10_x.sql", "-- Revision ID: a1\n-- migrate:upgrade\n", "file name 'a10_x.sql'", 1],
    ["two upgrade sections", "a1_x.sql", "-- Revision ID: a1\n-- migrate:upgrade\nSELECT 1;\n-- migrate:upgrade\nSELECT 2;", "second '-- migrate:upgrade' section (the first is at line 2)", 4],
    ["two downgrade sections", "a1_x.sql", "-- Revision ID: a1\n-- migrate:upgrade\n-- migrate:downgrade\n\n-- migrate:downgrade\n", "second '-- migrate:downgrade' section (the first is at line 3)", 5],
    ["no upgrade section", "a1_x.sql", "-- Revision ID: a1\n\n-- migrate:downgrade\nDROP TABLE t;", "no '-- migrate:upgrade' section", undefined],
    ["a bad Transaction value", "a1_x.sql", "-- Revision ID: a1\n-- Transaction: sometimes\n-- migrate:upgrade\n", "bad Transaction value 'sometimes'; use true or false", 2],
    ["a duplicate header key", "a1_x.sql", "-- Revision ID: a1\n-- Revises: b2\n-- revises: c3\n-- migrate:upgrade\n", "duplicate 'revises' header line (the first is at line 2)", 3],
    ["SQL before the first section", "a1_x.sql", "-- Revision ID: a1\nCREATE TABLE t ();\n-- migrate:upgrade\n", "SQL before the first section marker", 2],
    ["an unknown section marker", "a1_x.sql", "-- Revision ID: a1\n-- migrate:up\nSELECT 1;", "unknown section marker '-- migrate:up'", 2],
    ["an id with a character Alembic forbids", "a-1_x.sql", "-- Revision ID: a-1\n-- migrate:upgrade\n", "character(s) '-' not allowed in revision id 'a-1'", 1],
    ["an id too long for alembic_version", `${"a".repeat(33)}.sql`, `-- Revision ID: ${"a".repeat(33)}\n-- migrate:upgrade\n`, "longer than 32 characters", 1],
  ];

  test.each(malformed)("rejects %s with the file, line and cause", (_name, path, text, message, line) => {
    let caught: unknown;
    try {
      parseSqlRevision(path, text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RevisionFileError);
    const error = caught as RevisionFileError;
    expect(error.message).toContain(message);
    expect(error.file).toBe(path);
    expect(error.line).toBe(line);
    expect(error.message.startsWith(line === undefined ? `${path}: ` : `${path}:${line}: `)).toBe(true);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).not.toContain("\n");
  });
});
