import { describe, expect, test } from "bun:test";
import { DEFAULT_DATABASE_URL, parseDatabaseUrl, redactText, redactUrl, resolveDatabaseUrl } from "../../src/config/url.ts";
import { ConfigError } from "../../src/errors.ts";

describe("resolving the database URL", () => {
  const cases: [string, Parameters<typeof resolveDatabaseUrl>[0], string, string][] = [
    ["--url wins over everything", { flag: "postgres://f/db", configUrl: "pglite:c", env: { RETORT_DATABASE_URL: "postgres://r/db", DATABASE_URL: "postgres://d/db" } }, "postgres://f/db", "flag"],
    ["RETORT_DATABASE_URL comes next", { configUrl: "pglite:c", env: { RETORT_DATABASE_URL: "postgres://r/db", DATABASE_URL: "postgres://d/db" } }, "postgres://r/db", "RETORT_DATABASE_URL"],
    ["then DATABASE_URL", { configUrl: "pglite:c", env: { DATABASE_URL: "postgres://d/db" } }, "postgres://d/db", "DATABASE_URL"],
    ["then url in retort.toml", { configUrl: "pglite:c", env: { DATABASE_URL: "" } }, "pglite:c", "config"],
    ["then the embedded default", { env: {} }, DEFAULT_DATABASE_URL, "default"],
  ];
  for (const [name, inputs, url, source] of cases) {
    test(name, () => {
      expect(resolveDatabaseUrl(inputs)).toEqual({ url, source: source as never });
    });
  }

  test("announces the embedded default once, and nothing otherwise", () => {
    const lines: string[] = [];
    resolveDatabaseUrl({ env: {} }, (l) => lines.push(l));
    resolveDatabaseUrl({ flag: "pglite:memory", env: {} }, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("using pglite:.retort/db");
  });
});

describe("parsing database URLs", () => {
  test("recognises PostgreSQL and PGlite URLs", () => {
    expect(parseDatabaseUrl("postgresql://u@h:5433/db?sslmode=require")).toEqual({ kind: "postgres", url: "postgresql://u@h:5433/db?sslmode=require" });
    expect(parseDatabaseUrl("pglite:memory")).toEqual({ kind: "pglite", dataDir: null });
    expect(parseDatabaseUrl("pglite:.retort/db", "/srv/app")).toEqual({ kind: "pglite", dataDir: "/srv/app/.retort/db" });
    expect(parseDatabaseUrl("pglite:/var/lib/db", "/srv/app")).toEqual({ kind: "pglite", dataDir: "/var/lib/db" });
    expect(parseDatabaseUrl("postgres://u@h1:5432,h2:5433/db").kind).toBe("postgres");
  });

  const malformed = ["mysql://u:s3cret@h/db", "just-a-word", "pglite:", "postgres://u:s3cret@h:99999/db", "postgres://u:s3cret@h:port/db"];
  for (const url of malformed) {
    test(`rejects ${redactUrl(url)} with a ConfigError (exit 2) that hides the password`, () => {
      let error: unknown;
      try {
        parseDatabaseUrl(url);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).exitCode).toBe(2);
      expect((error as Error).message).toContain("malformed database URL");
      expect((error as Error).message).not.toContain("s3cret");
    });
  }
});

describe("redacting passwords", () => {
  const cases: [string, string][] = [
    ["postgres://app:s3cret@db.example:5432/prod", "postgres://app:***@db.example:5432/prod"],
    ["postgresql://app:p%40ss@h/db?sslmode=require", "postgresql://app:***@h/db?sslmode=require"],
    ["postgres://app:we/ird?pw#@h/db", "postgres://app:***@h/db"],
    ["postgres://app:p@ss@h/db", "postgres://app:***@h/db"],
    ["postgres://app@h/db?password=s3cret&sslmode=require", "postgres://app@h/db?password=***&sslmode=require"],
    ["postgres://app@h:5432/db?password=s3c@ret-of-23-chars", "postgres://app@h:5432/db?password=***"],
    ["postgres://app@h/db?sslmode=disable&Password=s3cret&application_name=a@b", "postgres://app@h/db?sslmode=disable&Password=***&application_name=a@b"],
    ["postgres://app@h/db?pass%77ord=s3cret", "postgres://app@h/db?pass%77ord=***"],
    ["postgres://app@h/db?password=s3&cret&sslmode=require", "postgres://app@h/db?password=***&sslmode=require"],
    ["postgres:app:s3cret@h/db", "postgres:app:***@h/db"],
    ["postgres:s3cret@h/db", "postgres:***@h/db"],
    ["app:s3cret@h/db", "app:***@h/db"],
    ["  postgres://app:s3cret@h/db  ", "postgres://app:***@h/db"],
    ["postgres://app:s3cret@[::1]:5432/db", "postgres://app:***@[::1]:5432/db"],
    ["postgres://app:s3cret@/db?host=/var/run/postgresql", "postgres://app:***@/db?host=/var/run/postgresql"],
    ["postgres://h/my@db", "postgres://***@db"],
    ["postgres://h/db", "postgres://h/db"],
    ["pglite:.retort/db", "pglite:.retort/db"],
    ["pglite:./db?password=s3cret", "pglite:./db?password=***"],
  ];
  for (const [url, shown] of cases) {
    test(`shows ${JSON.stringify(url)} as ${shown}`, () => {
      expect(redactUrl(url)).toBe(shown);
    });
  }

  test("redactText hides URLs and the bare password in any message", () => {
    const url = "postgres://app:hunter22@h/db";
    expect(redactText(`failed for ${url}: password hunter22 rejected`, url)).toBe("failed for postgres://app:***@h/db: password *** rejected");
    const query = "postgres://app@h/db?password=p%40ss-word";
    expect(redactText(`bad p@ss-word and p%40ss-word in ${query}`, query)).toBe("bad *** and *** in postgres://app@h/db?password=***");
  });

  test("a malformed URL's message never shows its password", () => {
    for (const url of ["postgres://app:s3c%zzret@h/db", "postgres:app:s3cret@h/db", "postgres://app@h/db?password=s3cret&x=1", "app:s3cret@h/db", "postgres://app:s3/cret@h/db"]) {
      let message = "";
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toStartWith("malformed database URL");
      expect(message).not.toContain("s3");
    }
  });
});
