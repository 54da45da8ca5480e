// The example test of README "Testing with databaseAt", word for word: it runs in the suite so the README cannot rot.
import { afterAll, expect, test } from "bun:test";
import { databaseAt } from "retort/testing";

const db = await databaseAt("head");                  // revisions from retort.toml / migrations/versions
afterAll(() => db.close());

test("head has the seeded focus groups", async () => {
  const rows = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM focus_groups");
  expect(rows).toEqual([{ n: 6 }]);
});

test("the seed revision keeps rows that were there before it", async () => {
  const old = await databaseAt("dadf308f3867", { dir: "migrations/versions" });
  try {
    await old.query("INSERT INTO focus_groups (code, name) VALUES ($1, $2)", ["fin", "Finance"]);
    await old.migrate("+1");                            // seed at N, move to N+1, assert
    const rows = await old.query<{ n: number }>("SELECT count(*)::int AS n FROM focus_groups");
    expect(rows).toEqual([{ n: 7 }]);
  } finally {
    await old.close();
  }
});
