/**
 * The password promise, checked on the real CLI: every URL shape a user may
 * write (well-formed or not) × every command path that prints a URL, and
 * the password (or any part of it) never appears on stdout or stderr.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir, type CliRun } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const up = await postgresAvailable();

// two halves around the special character: printing either half is a leak
const A = "Zq9Xk";
const B = "Wv7Yp";

/** URL shapes; HOST is 127.0.0.1:5432 (reachable, trust auth ignores the password) or 127.0.0.1:1 (closed); DB the database. */
/** Shapes that run every command path by default; RETORT_TEST_FULL_REDACTION=1 runs every path for every shape (~15 s of CPU). */
const FULL = process.env.RETORT_TEST_FULL_REDACTION === "1";
const EVERY_PATH = new Set(["?password= holding '@'", "no // after the scheme", "a password holding '#'"]);

const SHAPES: [name: string, url: string][] = [
  ["user:password@", `postgres://postgres:${A}-${B}@HOST/DB`],
  ["postgresql:// scheme", `postgresql://postgres:${A}-${B}@HOST/DB`],
  ["no // after the scheme", `postgres:postgres:${A}-${B}@HOST/DB`],
  ["no // and no user name (postgres: may be the user)", `postgres:${A}-${B}@HOST/DB`],
  ["no scheme at all", `app:${A}-${B}@HOST/DB`],
  ["a password holding '@'", `postgres://postgres:${A}@${B}@HOST/DB`],
  ["a password holding ':'", `postgres://postgres:${A}:${B}@HOST/DB`],
  ["a password holding '/'", `postgres://postgres:${A}/${B}@HOST/DB`],
  ["a password holding '?'", `postgres://postgres:${A}?${B}@HOST/DB`],
  ["a password holding '#'", `postgres://postgres:${A}#${B}@HOST/DB`],
  ["a password holding a bad '%'", `postgres://postgres:${A}%${B}@HOST/DB`],
  ["a password holding a space", `postgres://postgres:${A} ${B}@HOST/DB`],
  ["a percent-encoded password", `postgres://postgres:${A}%40${B}@HOST/DB`],
  ["?password= holding '@'", `postgres://postgres@HOST/DB?password=${A}@${B}`],
  ["&password= in the middle", `postgres://postgres@HOST/DB?sslmode=disable&password=${A}@${B}&application_name=redaction`],
  ["uppercase PASSWORD=", `postgres://postgres@HOST/DB?PASSWORD=${A}-${B}`],
  ["a percent-encoded ?password=", `postgres://postgres@HOST/DB?password=${A}%40${B}`],
  ["?password= holding '&'", `postgres://postgres@HOST/DB?password=${A}&${B}=1`],
  ["an IPv6 host", `postgres://postgres:${A}-${B}@[::1]:1/DB`],
  ["a Unix-socket host in the query", `postgres://postgres:${A}-${B}@/DB?host=/nonexistent/socket/dir`],
  ["surrounding spaces", `  postgres://postgres:${A}-${B}@HOST/DB  `],
  ["a pglite: URL with a query", `pglite:./db?password=${A}-${B}`],
];

function expectNoSecret(run: CliRun, what: string): void {
  for (const half of [A, B]) {
    if (run.stdout.includes(half) || run.stderr.includes(half)) {
      throw new Error(`${what} printed part of the password:\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
    }
  }
  expect(`${run.stdout}${run.stderr}`).not.toContain(A);
}

describe("no URL shape prints its password, on any command path", () => {
  let cwd: string;
  let db: TempDatabase | undefined;
  beforeAll(async () => {
    cwd = tempDir("redact-");
    mkdirSync(join(cwd, "migrations/versions"), { recursive: true });
    writeFileSync(
      join(cwd, "migrations/versions/aaaa00000001_one.sql"),
      "-- Revision ID: aaaa00000001\n-- Revises:\n-- Message: one\n\n-- migrate:upgrade\nCREATE TABLE t (id int);\n\n-- migrate:downgrade\nDROP TABLE t;\n",
    );
    writeFileSync(join(cwd, "schema.sql"), "CREATE TABLE t (id int);\n");
    if (up) db = await createTempDatabase("retort_redact");
  });
  afterAll(() => db?.drop());

  for (const [name, shape] of SHAPES) {
    test(name, async () => {
      const at = (host: string) => shape.replace("HOST", host).replace("DB", db?.name ?? "postgres");
      const reachable = at("127.0.0.1:5432");
      const closed = at("127.0.0.1:1");
      const configDir = tempDir("redact-config-");
      mkdirSync(join(configDir, "versions"));
      writeFileSync(join(configDir, "retort.toml"), `dir = "versions"\nurl = ${JSON.stringify(closed)}\n`);
      const arrayDir = tempDir("redact-config-");
      writeFileSync(join(arrayDir, "retort.toml"), `url = [${JSON.stringify(closed)}]\n`);
      const paths: [string, readonly string[], { cwd?: string; env?: Record<string, string> }?][] = [
        ["upgrade --sql --json", ["upgrade", "head", "--sql", "--json", "--url", reachable]],
        ["current --json on a closed port", ["current", "--json", "--url", closed]],
      ];
      if (db !== undefined) paths.push(["current --json -v on the server", ["current", "--json", "-v", "--url", reachable]]);
      const every = FULL || EVERY_PATH.has(name);
      if (every) paths.push(
        ["upgrade -v on a closed port", ["upgrade", "head", "-v", "--url", closed]],
        ["a non-string url in retort.toml", ["current", "--json"], { cwd: arrayDir }],
        ["upgrade --sql -v", ["upgrade", "head", "--sql", "-v", "--url", reachable]],
        ["history -i on a closed port", ["history", "-i", "--url", closed]],
        ["diff on a closed port", ["diff", "--json", "--url", closed]],
        ["revision --autogenerate --against a closed port", ["revision", "--autogenerate", "-m", "x", "--against", closed, "--sql"]],
        ["url in retort.toml", ["current", "-v"], { cwd: configDir }],
        ["DATABASE_URL", ["current", "-v", "--json"], { env: { DATABASE_URL: closed } }],
      );
      if (every && db !== undefined) {
        paths.push(
          ["current -v on the server", ["current", "-v", "--url", reachable]],
          ["upgrade -v on the server", ["upgrade", "head", "-v", "--url", reachable]],
          ["revision --autogenerate --against a database not at head", ["revision", "--autogenerate", "-m", "x", "--against", reachable]],
        );
      }
      const runs = await Promise.all(paths.map(([, args, options]) => runCli(args, { cwd: options?.cwd ?? cwd, env: options?.env })));
      runs.forEach((run, i) => expectNoSecret(run, `${name}: ${paths[i]![0]}`));
      // the runs did reach the paths they are meant to cover
      const byName = new Map(paths.map(([what], i) => [what, runs[i]!]));
      if (every) expect(byName.get("a non-string url in retort.toml")?.stderr).toContain("'url' must be a string, got an array");
      expect(byName.get("current --json on a closed port")?.code).not.toBe(0);
    }, 60_000);
  }
});
