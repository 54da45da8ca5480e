/** What a schema file may say: each statement run, passed over (pg_dump's additions) or refused with its line. */
import { describe, expect, test } from "bun:test";
import { schemaStatements } from "../../src/autogenerate/schema-statements.ts";

const cases: { name: string; sql: string; want: [action: string, line: number, text: string][] }[] = [
  { name: "plain DDL runs", sql: "CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);", want: [["run", 1, "CREATE TABLE a (id int)"], ["run", 2, "CREATE INDEX a_id ON a (id)"]] },
  {
    name: "pg_dump's fence lines are passed over, the preamble runs",
    sql: "--\n-- dump\n--\n\n\\restrict abc123\n\n-- Dumped by pg_dump\n\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.a (id int);\n\n\\unrestrict abc123\n",
    want: [
      ["skip", 5, "\\restrict abc123"],
      ["run", 9, "SET statement_timeout = 0"],
      ["run", 10, "SELECT pg_catalog.set_config('search_path', '', false)"],
      ["run", 11, "CREATE TABLE public.a (id int)"],
      ["skip", 13, "\\unrestrict abc123"],
    ],
  },
  {
    name: "owners and privileges are passed over",
    sql: "ALTER TABLE public.a OWNER TO app;\nALTER FUNCTION public.f() OWNER TO \"App\";\nGRANT SELECT ON public.a TO reader;\nREVOKE ALL ON SCHEMA public FROM PUBLIC;\nALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader;\nCOMMENT ON DATABASE prod IS 'x';",
    want: [
      ["skip", 1, "ALTER TABLE public.a OWNER TO app"],
      ["skip", 2, "ALTER FUNCTION public.f() OWNER TO \"App\""],
      ["skip", 3, "GRANT SELECT ON public.a TO reader"],
      ["skip", 4, "REVOKE ALL ON SCHEMA public FROM PUBLIC"],
      ["skip", 5, "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader"],
      ["skip", 6, "COMMENT ON DATABASE prod IS 'x'"],
    ],
  },
  {
    name: "statements about the cluster or a whole database are refused",
    sql: "DROP DATABASE prod;\ncreate   database x;\nCREATE ROLE app;\nALTER USER app PASSWORD 'x';\nCREATE TABLESPACE t LOCATION '/x';\nALTER SYSTEM SET work_mem = '1MB';\nDROP OWNED BY app;",
    want: [
      ["refuse", 1, "DROP DATABASE prod"],
      ["refuse", 2, "create   database x"],
      ["refuse", 3, "CREATE ROLE app"],
      ["refuse", 4, "ALTER USER app PASSWORD 'x'"],
      ["refuse", 5, "CREATE TABLESPACE t LOCATION '/x'"],
      ["refuse", 6, "ALTER SYSTEM SET work_mem = '1MB'"],
      ["refuse", 7, "DROP OWNED BY app"],
    ],
  },
  {
    name: "other psql meta-commands are refused, the statement after them still counts",
    sql: "CREATE TABLE a (id int);\n\\connect other\nCREATE TABLE b (id int);",
    want: [["run", 1, "CREATE TABLE a (id int)"], ["refuse", 2, "\\connect other"], ["run", 3, "CREATE TABLE b (id int)"]],
  },
  {
    name: "look-alikes of refused and skipped statements run",
    sql: "CREATE USER MAPPING FOR PUBLIC SERVER s;\nCREATE TABLE owner_to (owner text);\nCOMMENT ON TABLE a IS 'GRANT';\nCREATE TABLE roles (database text);",
    want: [
      ["run", 1, "CREATE USER MAPPING FOR PUBLIC SERVER s"],
      ["run", 2, "CREATE TABLE owner_to (owner text)"],
      ["run", 3, "COMMENT ON TABLE a IS 'GRANT'"],
      ["run", 4, "CREATE TABLE roles (database text)"],
    ],
  },
];

describe("schemaStatements", () => {
  for (const c of cases) {
    test(c.name, () => {
      expect(schemaStatements(c.sql).map((s) => [s.action, s.line, s.text])).toEqual(c.want);
    });
  }
  test("a refusal says why", () => {
    expect(schemaStatements("DROP DATABASE x;")[0]?.reason).toBe("DROP DATABASE is not part of a database's schema");
    expect(schemaStatements("\\c other\n")[0]?.reason).toBe("psql meta-command \\c is not SQL");
  });
});
