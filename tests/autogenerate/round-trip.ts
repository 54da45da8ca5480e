/**
 * The round-trip property of autogenerate, for one pair of schemas A and B:
 * both are read the way autogenerate reads them (loaded into a scratch
 * PGlite), then on each target database holding A, the generated upgrade
 * gives B, the downgrade gives A again, and comparing once more finds
 * nothing to do.
 */
import { expect } from "bun:test";
import type { SchemaModel } from "../../src/autogenerate/model.ts";
import { compareModels } from "../../src/autogenerate/summary.ts";
import { diffModels } from "../../src/autogenerate/diff.ts";
import { reconcile } from "../../src/autogenerate/reconcile.ts";
import { splitStatements } from "../../src/runtime/split-sql.ts";
import type { Engine } from "../../src/drivers/engine.ts";
import { comparable, type TestDatabase } from "./helpers.ts";

/** Read a schema's model through the reader database. */
export async function modelOf(reader: TestDatabase, sql: string, path = "schema.sql"): Promise<SchemaModel> {
  await reader.load(sql, path);
  return reader.model();
}

/** Run a generated section as the runner would: in one transaction, or statement by statement when it must commit as it goes. */
async function run(engine: Engine, sql: string, autocommit: boolean, label: string): Promise<void> {
  try {
    if (!autocommit) {
      await engine.execute("BEGIN");
      try {
        await engine.execute(sql);
        await engine.execute("COMMIT");
      } catch (error) {
        await engine.execute("ROLLBACK").catch(() => {});
        throw error;
      }
    } else for (const s of splitStatements(sql)) await engine.execute(s.text);
  } catch (error) {
    throw new Error(`${label} failed: ${error instanceof Error ? error.message : String(error)}\n--- SQL ---\n${sql}`);
  }
}

/** Two readers: scratch PGlites holding A and B, the oracles definitions are re-read in (as autogenerate's scratch databases are). */
export interface Readers {
  readonly a: TestDatabase;
  readonly b: TestDatabase;
}

/** `actual` equals `expected` as autogenerate sees it: equivalent definitions reconciled through `oracle` (which holds `expected`). */
async function expectSame(actual: SchemaModel, expected: SchemaModel, oracle: TestDatabase, message: string): Promise<void> {
  const reconciled = await reconcile(actual, expected, oracle.engine);
  expect(comparable(reconciled), message).toEqual(comparable(expected));
  expect(diffModels(reconciled, expected), `${message}: nothing left to generate`).toEqual([]);
}

/** Check the property for (A, B) on every target; `what` names the case in failure messages. */
export async function checkRoundTrip(readers: Readers, targets: readonly TestDatabase[], what: string, a: string, b: string): Promise<void> {
  const modelA = await modelOf(readers.a, a, `${what} (A)`);
  const modelB = await modelOf(readers.b, b, `${what} (B)`);
  const comparison = compareModels(await reconcile(modelA, modelB, readers.b.engine), modelB);
  for (const target of targets) {
    const where = `${what} on ${target.kind}`;
    await target.load(a, `${what} (A)`);
    await expectSame(await target.model(), modelA, readers.a, `${where}: A reads the same as on PGlite`);
    await run(target.engine, comparison.upgradeSql, comparison.upgradeNeedsAutocommit, `${where}: upgrade`);
    await expectSame(await target.model(), modelB, readers.b, `${where}: after the upgrade the database is B\n${comparison.upgradeSql}`);
    await run(target.engine, comparison.downgradeSql, comparison.downgradeNeedsAutocommit, `${where}: downgrade`);
    await expectSame(await target.model(), modelA, readers.a, `${where}: after the downgrade the database is A again\n${comparison.downgradeSql}`);
  }
}
