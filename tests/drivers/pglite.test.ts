import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { hostname } from "node:os";
import { openEngine } from "../../src/drivers/open.ts";
import { LockTimeoutError } from "../../src/errors.ts";
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

  test("a second session on the same directory is excluded by its lock until the first closes", async () => {
    const other = `pglite:${join(process.env.RETORT_TEST_TMP as string, "pglite-second-session")}`;
    const first = await openEngine(other);
    const lines: string[] = [];
    try {
      const second = await openEngine(other, { lockTimeoutSeconds: 0.2, log: (l) => lines.push(l) }).catch((e: unknown) => e);
      expect(second).toBeInstanceOf(LockTimeoutError);
      expect((second as Error).message).toStartWith(`could not take the lock on ${other} within 0.2 s: it is held by pid ${process.pid} on host ${hostname()}`);
      expect(lines).toHaveLength(1);
    } finally {
      await first.close();
    }
    const after = await openEngine(other, { lockTimeoutSeconds: 0.2 });
    await after.close();
  });
});
