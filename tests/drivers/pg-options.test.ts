import { describe, expect, test } from "bun:test";
import { connectionOptions } from "../../src/drivers/pg-options.ts";

const files: Record<string, string> = { "/ca.pem": "CA", "/c.pem": "CERT", "/k.pem": "KEY", "/crl.pem": "CRL" };
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: ${path}`);
  return text;
};
const options = (url: string, name?: string) => connectionOptions(url, name, read) as Record<string, unknown>;

describe("a URL as postgres.js options", () => {
  test("only user, database, options and application_name reach the startup packet", () => {
    const o = options("postgres://app:pw@h:5433/db?password=pw2&options=-c%20search_path%3Dx&application_name=deploy&connect_timeout=5");
    expect(o).toEqual({
      host: ["h"],
      port: [5433],
      user: "app",
      pass: "pw2",
      database: "db",
      connect_timeout: 5,
      connection: { application_name: "deploy", options: "-c search_path=x" },
    });
  });

  test("application_name: the URL's, else the program's, else fallback_application_name", () => {
    expect(options("postgres://h/db").connection).toEqual({ application_name: "retort" });
    expect(options("postgres://h/db?fallback_application_name=fb").connection).toEqual({ application_name: "fb" });
    expect(options("postgres://h/db?fallback_application_name=fb", "worker").connection).toEqual({ application_name: "worker" });
    expect(options("postgres://h/db", "worker").connection).toEqual({ application_name: "worker" });
    expect(options("postgres://h/db?application_name=mine", "worker").connection).toEqual({ application_name: "mine" });
  });

  test("a Unix-socket directory becomes the socket path, with the port in its name", () => {
    expect(options("postgres:///db?host=/run/pg&port=6543")).toMatchObject({ path: "/run/pg/.s.PGSQL.6543", host: ["/run/pg"], port: [6543] });
  });

  const ssl: [string, unknown][] = [
    ["", undefined],
    ["?sslmode=disable", false],
    ["?sslmode=allow", "prefer"],
    ["?sslmode=prefer", "prefer"],
    ["?sslmode=require", "require"],
    ["?sslmode=verify-full", "verify-full"],
    ["?sslmode=verify-full&sslrootcert=/ca.pem", { rejectUnauthorized: true, ca: "CA" }],
    ["?sslmode=require&sslrootcert=/ca.pem", { rejectUnauthorized: true, ca: "CA" }],
    ["?sslrootcert=system", "verify-full"],
    ["?sslmode=require&sslcert=/c.pem&sslkey=/k.pem&sslpassword=pp&sslcrl=/crl.pem", { rejectUnauthorized: false, cert: "CERT", key: "KEY", passphrase: "pp", crl: "CRL" }],
    ["?sslmode=require&ssl_min_protocol_version=TLSv1.3", { rejectUnauthorized: false, minVersion: "TLSv1.3" }],
  ];
  for (const [query, expected] of ssl) {
    test(`ssl for '${query || "no query"}'`, () => {
      const value = options(`postgres://h/db${query}`).ssl;
      if (typeof expected === "object" && expected !== null) expect(value).toMatchObject(expected as Record<string, unknown>);
      else expect(value).toEqual(expected);
    });
  }

  test("verify-ca checks the chain but not the host name", () => {
    const value = options("postgres://h/db?sslmode=verify-ca&sslrootcert=/ca.pem").ssl as { rejectUnauthorized: boolean; checkServerIdentity?: () => unknown };
    expect(value.rejectUnauthorized).toBe(true);
    expect(value.checkServerIdentity?.()).toBeUndefined();
  });

  test("keepalives=0 turns TCP keepalives off; keepalives_idle sets their delay", () => {
    expect(options("postgres://h/db?keepalives=0").keep_alive).toBeNull();
    expect(options("postgres://h/db?keepalives_idle=30").keep_alive).toBe(30);
  });

  test("a missing SSL file is the file system's error", () => {
    expect(() => options("postgres://h/db?sslrootcert=/nope.pem")).toThrow("ENOENT");
  });
});
