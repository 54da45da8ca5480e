import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openEngine } from "../../src/drivers/open.ts";
import { ConnectionError } from "../../src/errors.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";
import { engineConformance } from "./conformance.ts";
import { engineSafetyConformance } from "./conformance-safety.ts";

const up = await postgresAvailable();

describe.if(up)("PostgreSQL", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase("retort_drv");
  });
  afterAll(() => db.drop());

  engineConformance("PostgreSQL", () => openEngine(db.url));
  engineSafetyConformance("PostgreSQL", () => openEngine(db.url), { sessions: true });

  test("connections say application_name=retort", async () => {
    const engine = await openEngine(db.url);
    try {
      expect(await engine.query("SHOW application_name")).toEqual([{ application_name: "retort" }]);
    } finally {
      await engine.close();
    }
  });

  test("libpq query options are honoured: sslmode=disable connects, sslmode=require refuses a server without SSL", async () => {
    const plain = await openEngine(`${db.url}?sslmode=disable&application_name=deploy-bot`);
    try {
      expect(await plain.query("SHOW application_name")).toEqual([{ application_name: "deploy-bot" }]);
    } finally {
      await plain.close();
    }
    const error = await openEngine(`${db.url}?sslmode=require`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).exitCode).toBe(3);
    expect((error as ConnectionError).message).toContain("the URL requires SSL");
  });
});
