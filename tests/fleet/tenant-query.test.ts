/** --tenant-query on the real server, in process: what it finds, and a query that finds nothing (exit 2, like an empty --targets list). */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { UsageError } from "../../src/errors.ts";
import { fleetTargets, type FleetSpec } from "../../src/fleet/run.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const available = await postgresAvailable();
const schedule = { jobs: 2, canary: 0, failFast: false };

describe.if(available)("--tenant-query", () => {
  const dbs: TempDatabase[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) dbs.push(await createTempDatabase("retort_tenant_query_targets"));
  });
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });
  const spec = (tenantQuery: string, urls = dbs.map((db) => db.url)): FleetSpec => ({ urls, schemas: null, tenantQuery, createSchemas: false });

  test("each URL's rows are its tenants", async () => {
    const { targets, failures } = await fleetTargets(spec("select s from (values ('acme'), ('globex')) v(s)"), schedule);
    expect(failures).toEqual([]);
    expect(targets.map((t) => t.schema)).toEqual(["acme", "globex", "acme", "globex"]);
  });

  test("no schema on any URL: exit 2 naming the URLs and the query, as an empty --targets list", async () => {
    const query = "select nspname from pg_namespace where false";
    for (const urls of [[dbs[0]!.url], dbs.map((db) => db.url)]) {
      const error = await fleetTargets(spec(query, urls), schedule).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as UsageError).message).toContain("no targets");
      expect((error as UsageError).message).toContain(`(query: ${query})`);
      for (const db of urls) expect((error as UsageError).message).toContain(db);
    }
  });
});
