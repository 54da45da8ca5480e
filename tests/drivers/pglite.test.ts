import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openEngine } from "../../src/drivers/open.ts";
import { engineConformance } from "./conformance.ts";
import { engineSafetyConformance } from "./conformance-safety.ts";

const dir = join(process.env.RETORT_TEST_TMP as string, "pglite-conformance", "nested", "db");
const url = `pglite:${dir}`;

// one PGlite on a directory that does not exist yet; reopened at the end to check that data persisted
engineConformance("PGlite", () => openEngine(url), async (engine) => {
  await engine.execute("CREATE TABLE persisted (id int); INSERT INTO persisted VALUES (7)");
  await engine.close();
});

// one session only: the cases that need a second session are PostgreSQL's
engineSafetyConformance("PGlite", () => openEngine("pglite:memory"), { sessions: false });

describe("PGlite directories", () => {
  test("a pglite:<dir> URL creates the directory and keeps data across opens", async () => {
    expect(existsSync(dir)).toBe(true);
    const again = await openEngine(url);
    try {
      expect(again.kind).toBe("pglite");
      expect(again.displayUrl).toBe(url);
      expect(await again.query("SELECT id FROM persisted")).toEqual([{ id: 7 }]);
    } finally {
      await again.close();
    }
  });
});
