import { describe, expect, test } from "bun:test";
import { parsePostgresUrl, type PgConnectionParams } from "../../src/config/pg-url.ts";
import { ConfigError } from "../../src/errors.ts";

describe("reading a postgres:// URL the way libpq does", () => {
  const cases: [string, string, Partial<PgConnectionParams>][] = [
    ["user, password, host, port and database from the URL's parts", "postgres://app:pw@db.example:5433/prod", { user: "app", password: "pw", hosts: ["db.example"], ports: [5433], dbname: "prod" }],
    ["percent-encoding is decoded, '+' stays '+'", "postgres://a%40b:p%2Fw+x@h/d%20b", { user: "a@b", password: "p/w+x", dbname: "d b" }],
    ["?password= is the password (not a startup parameter)", "postgres://app@h/db?password=s3c@ret+1", { user: "app", password: "s3c@ret+1" }],
    ["?user= and ?dbname= override the URL's parts", "postgres://nobody@h/wrong?user=app&dbname=right", { user: "app", dbname: "right" }],
    ["a password with an unescaped '@' ends at the last '@'", "postgres://app:p@ss@h/db", { password: "p@ss", hosts: ["h"] }],
    ["several hosts, ports and an IPv6 address", "postgres://h1:5432,[::1]:5433/db", { hosts: ["h1", "::1"], ports: [5432, 5433] }],
    ["a Unix-socket directory in the query", "postgres:///db?host=/var/run/postgresql&port=5433", { hosts: ["/var/run/postgresql"], ports: [5433], dbname: "db" }],
    ["a percent-encoded socket directory as host", "postgres://%2Ftmp/db", { hosts: ["/tmp"] }],
    ["options and application_name", "postgres://h/db?options=-c%20search_path%3Dfoo&application_name=deploy", { options: "-c search_path=foo", applicationName: "deploy" }],
    ["sslmode and certificate files", "postgres://h/db?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem", { sslmode: "verify-full", sslrootcert: "/ca.pem", sslcert: "/c.pem", sslkey: "/k.pem" }],
    ["connect_timeout as libpq reads it (1 becomes 2, 0 waits forever)", "postgres://h/db?connect_timeout=1", { connectTimeout: 2 }],
    ["target_session_attrs=any is no constraint", "postgres://h/db?target_session_attrs=read-write&target_session_attrs=any", { dbname: "db" }],
    ["keywords that ask for what retort does anyway are accepted", "postgres://h/db?gssencmode=disable&channel_binding=prefer&client_encoding=UTF8&keepalives_count=3", { dbname: "db" }],
    ["surrounding spaces are ignored", "  postgres://h/db  ", { hosts: ["h"], dbname: "db" }],
  ];
  for (const [name, url, expected] of cases) {
    test(name, () => {
      const params = parsePostgresUrl(url);
      expect(params).toMatchObject(expected as Record<string, unknown>);
      if (url.includes("target_session_attrs")) expect(params.targetSessionAttrs).toBeUndefined();
    });
  }

  const secret = "Sup3r-secret";
  const errors: [string, string, RegExp][] = [
    ["an unknown query key is refused, naming the key", `postgres://app:${secret}@h/db?foo=${secret}`, /unknown query parameter 'foo'/],
    ["a server setting as a query key is refused, pointing at options", "postgres://h/db?search_path=app", /options=-c%20search_path/],
    ["PASSWORD= is not libpq's keyword", `postgres://h/db?PASSWORD=${secret}`, /lowercase \(password\)/],
    ["a libpq keyword retort cannot honour says so", "postgres://h/db?hostaddr=10.0.0.1", /'hostaddr' is not supported/],
    ["a password holding an unescaped '&' is not shown as a key", `postgres://h/db?password=ab&${secret}=x`, /percent-encode them/],
    ["bad percent-encoding in the password", `postgres://app:${secret}%zz@h/db`, /bad percent-encoding in the password/],
    ["bad percent-encoding in a query value", `postgres://h/db?password=${secret}%G1`, /bad percent-encoding in a query parameter value/],
    ["a port that is not a number (perhaps a password with an unescaped '/')", `postgres://app:${secret}/x@h/db`, /port is not a number/],
    ["a bad sslmode", "postgres://h/db?sslmode=sometimes", /sslmode must be one of/],
    ["channel binding retort cannot do", "postgres://h/db?channel_binding=require", /channel binding/],
    ["a Unix socket among other hosts", "postgres://h1,%2Ftmp/db", /Unix-socket host/],
  ];
  for (const [name, url, pattern] of errors) {
    test(`${name}: a ConfigError without the secret`, () => {
      let error: unknown;
      try {
        parsePostgresUrl(url);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(pattern);
      expect((error as Error).message).not.toContain(secret);
    });
  }
});
