import { describe, expect, test } from "bun:test";
import { sectionFromStatements } from "../../src/import-alembic/alembic-sql.ts";
import { convertFunction } from "../../src/import-alembic/convert.ts";
import { translateAlembicUrl } from "../../src/import-alembic/database-url.ts";
import { interpolate, parseIni, readAlembicIni, readEnvVersionTable } from "../../src/import-alembic/ini.ts";
import { readPythonModule } from "../../src/import-alembic/python-module.ts";

const upgradeOf = (body: string, prelude = "") => convertFunction(readPythonModule(`${prelude}\ndef upgrade():\n${body}\n`), "upgrade");

describe("the built-in converter takes op.execute() of literal SQL", () => {
  test.each([
    [`    op.execute("CREATE TABLE t (id int)")`, "CREATE TABLE t (id int);"],
    [`    op.execute("CREATE TABLE t (id int);")`, "CREATE TABLE t (id int);"],
    [`    op.execute(sa.text("SELECT 1"))`, "SELECT 1;"],
    [`    op.execute(text('''SELECT 2'''))`, "SELECT 2;"],
    [`    op.execute(sqlalchemy.text("SELECT 3",))`, "SELECT 3;"],
    [`    op.execute(\n        """\n        SELECT 4\n        """\n    )`, "SELECT 4;"],
    [`    op.execute("SELECT 'a' "\n               "|| 'b'")`, "SELECT 'a' || 'b';"],
    [`    """Docstring."""\n    # comment\n    op.execute("SELECT 5")\n    pass`, "SELECT 5;"],
    [`    op.execute("SELECT 1")\n    op.execute("SELECT 2")`, "SELECT 1;\n\nSELECT 2;"],
    [`    op.execute("SELECT now()::date, '10:30'::time")`, "SELECT now()::date, '10:30'::time;"],
    [`    op.execute("SELECT '\\\\:escaped'")`, "SELECT ':escaped';"],
    [`    op.execute("SELECT 1 -- trailing comment")`, "SELECT 1; -- trailing comment"],
    [`    op.execute("SELECT\\t1")`, "SELECT    1;"],
    [`    op.execute("RAISE NOTICE '100%'")`, "RAISE NOTICE '100%';"],
    [`    pass`, ""],
  ])("%s", (body, sql) => {
    const result = upgradeOf(body);
    expect(result.kind).toBe("sql");
    if (result.kind === "sql") expect(result.section.sql).toBe(sql);
  });

  test("a module-level SQL constant is a literal too", () => {
    const result = upgradeOf(`    op.execute(SQL)`, `SQL = """CREATE VIEW v AS SELECT 1"""`);
    expect(result.kind === "sql" && result.section.sql).toBe("CREATE VIEW v AS SELECT 1;");
  });

  test("autocommit_block() and an explicit COMMIT mean: outside a transaction", () => {
    const block = upgradeOf(`    with op.get_context().autocommit_block():\n        op.execute("ALTER TYPE mood ADD VALUE 'soso'")`);
    expect(block.kind === "sql" && [block.autocommit, block.section.sql]).toEqual([true, "ALTER TYPE mood ADD VALUE 'soso';"]);
    const commit = upgradeOf(`    op.execute("COMMIT")\n    op.execute("ALTER TYPE mood ADD VALUE 'x'")`);
    expect(commit.kind === "sql" && [commit.section.transactionControl, commit.section.sql]).toEqual([true, "ALTER TYPE mood ADD VALUE 'x';"]);
  });

  test("a downgrade that raises has no section", () => {
    expect(convertFunction(readPythonModule(`def downgrade():\n    raise NotImplementedError()`), "downgrade")).toEqual({ kind: "raises" });
  });

  test.each([
    [`    op.create_table("t", sa.Column("id", sa.Integer))`, "not an op.execute(...) call", 2],
    [`    op.execute(f"SELECT {x}")`, "op.execute() of something other than a literal string", 2],
    [`    op.execute(sql)`, "op.execute() of something other than a literal string", 2],
    [`    op.execute("SELECT :value")`, "bind parameter ':value'", 2],
    [`    op.execute("SELECT 1")\n    if x:\n        op.execute("SELECT 2")`, "not an op.execute(...) call: if x:", 3],
    [`    op.execute("SELECT 1")\n    raise RuntimeError()`, "raises after running SQL", 3],
    [`    conn = op.get_bind()`, "not an op.execute(...) call", 2],
  ])("%s is left to Alembic", (body, reason, line) => {
    const result = upgradeOf(body);
    expect(result.kind).toBe("unconvertible");
    if (result.kind === "unconvertible") {
      expect(result.reason).toContain(reason);
      expect(result.line).toBe(line + 1);
    }
  });

  test("a missing function is named", () => {
    expect(convertFunction(readPythonModule(`x = 1`), "upgrade")).toEqual({ kind: "unconvertible", reason: "no upgrade() function", line: null });
  });
});

describe("Alembic's offline output becomes a section body", () => {
  test.each<[string[], string, boolean]>([
    [["CREATE TABLE t (id int);"], "CREATE TABLE t (id int);", false],
    [["INSERT INTO t VALUES (1);;"], "INSERT INTO t VALUES (1);", false],
    [["BEGIN;", "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL\n);", "CREATE TABLE t (id int);", "INSERT INTO alembic_version (version_num) VALUES ('a') RETURNING alembic_version.version_num;", "COMMIT;"], "CREATE TABLE t (id int);", true],
    [["UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a';", "DELETE FROM alembic_version WHERE alembic_version.version_num = 'b';"], "", false],
    [["UPDATE alembic_version_extra SET x = 1;"], "UPDATE alembic_version_extra SET x = 1;", false],
    [["SELECT 1 -- why;"], "SELECT 1; -- why", false],
    [["\tSELECT\t1;", ";"], "SELECT    1;", false],
  ])("%j", (statements, sql, transactionControl) => {
    expect(sectionFromStatements(statements)).toEqual({ sql, transactionControl });
  });

  test("a custom version table is recognised, schema-qualified or quoted", () => {
    const out = sectionFromStatements(['INSERT INTO "ops"."my_versions" (version_num) VALUES (\'a\');', "INSERT INTO alembic_version VALUES ('kept');"], "my_versions");
    expect(out.sql).toBe("INSERT INTO alembic_version VALUES ('kept');");
  });
});

describe("alembic.ini", () => {
  test("configparser rules: sections, continuation lines, comments, %(here)s and %%", () => {
    const ini = parseIni("[alembic]\nscript_location = %(here)s/migrations\n# comment\nversion_locations =\n  a\n  b\nKey: Value\n[other]\nx = 1\n");
    expect(ini.get("alembic")?.get("version_locations")).toBe("a\nb");
    expect(ini.get("alembic")?.get("key")).toBe("Value");
    expect(interpolate("%(here)s/x %% y", (name) => (name === "here" ? "/p" : undefined))).toBe("/p/x % y");
  });

  test("paths resolve against the ini's directory; version_locations split by version_path_separator", () => {
    const read = readAlembicIni(
      "/proj/alembic.ini",
      "[alembic]\nscript_location = db\nversion_locations = %(here)s/db/versions:/abs/more\nversion_path_separator = os\nprepend_sys_path = . src\nsqlalchemy.url = postgresql://u:p@h/db\n",
    );
    expect(read).toEqual({ scriptLocation: "/proj/db", versionLocations: ["/proj/db/versions", "/abs/more"], url: "postgresql://u:p@h/db", prependSysPath: ["/proj", "/proj/src"] });
    expect(readAlembicIni("/p/alembic.ini", "[alembic]\nversion_locations = a, b c\n").versionLocations).toEqual(["/p/a", "/p/b", "/p/c"]);
    expect(readAlembicIni("/p/alembic.ini", "[other]\nx=1\n")).toEqual({ scriptLocation: null, versionLocations: [], url: null, prependSysPath: [] });
  });

  test("env.py's version table: literal, computed, absent", () => {
    expect(readEnvVersionTable(`context.configure(url=url, version_table="my_versions", version_table_schema=SCHEMA)`)).toEqual({
      versionTable: { literal: "my_versions" },
      versionTableSchema: { expression: "SCHEMA" },
    });
    expect(readEnvVersionTable(`context.configure(\n    connection=c,\n    version_table=f"{x}_version",\n)`)).toEqual({ versionTable: { expression: 'f"{x}_version"' } });
    expect(readEnvVersionTable(`context.configure(connection=c)`)).toEqual({});
  });
});

describe("sqlalchemy.url becomes retort's url, never with its password", () => {
  test.each([
    ["postgresql+psycopg2://app:s3cret@db:5432/app", "postgresql://app@db:5432/app", true],
    ["postgresql://app@db/app?sslmode=require", "postgresql://app@db/app?sslmode=require", false],
    ["postgres://a:b:c@h/d", "postgresql://a@h/d", true],
    ["postgresql+asyncpg://h/db?password=x&sslmode=require", "postgresql://h/db?sslmode=require", true],
    ["postgresql://h/db?sslmode=require&password=x", "postgresql://h/db?sslmode=require", true],
  ])("%s", (input, url, removed) => {
    expect(translateAlembicUrl(input)).toEqual({ url, passwordRemoved: removed });
  });

  test.each([
    ["driver://user:pass@localhost/dbname", "scheme 'driver'"],
    ["sqlite:///app.db", "scheme 'sqlite'"],
    ["", "no sqlalchemy.url"],
  ])("%s is not carried over", (input, why) => {
    const out = translateAlembicUrl(input);
    expect(out.url).toBeNull();
    expect(out.skipped).toContain(why);
    expect(JSON.stringify(out)).not.toContain(":pass@");
  });
});
