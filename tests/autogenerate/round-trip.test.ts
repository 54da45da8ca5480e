/**
 * The round-trip property on the realistic fixture schemas and the project's
 * own schema: from nothing to each schema and back, on PGlite and on
 * PostgreSQL (when the server is there).
 */
import { afterAll, beforeAll, describe, test } from "bun:test";
import { join } from "node:path";
import { RevisionGraph } from "../../src/core/graph.ts";
import { planUpgrade } from "../../src/core/plan.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";
import { engineKinds, fixture, FIXTURES, openTestDatabase, type TestDatabase } from "./helpers.ts";
import { checkRoundTrip, type Readers } from "./round-trip.ts";

/** The project's schema as one script: every revision's upgrade, in upgrade order. */
async function projectSchema(): Promise<string> {
  const revisions = await loadRevisionsFromDir(join(import.meta.dir, "..", "..", "migrations", "versions"));
  const byId = new Map(revisions.map((r) => [r.id, r]));
  const steps = planUpgrade(RevisionGraph.build(revisions), [], "heads");
  return steps.map((s) => {
    const script = byId.get(s.revision)!.upgrade;
    return script.kind === "sql" ? `${script.sql}\n;` : "";
  }).join("\n");
}

let readers: Readers;
const targets: TestDatabase[] = [];

beforeAll(async () => {
  readers = { a: await openTestDatabase("pglite"), b: await openTestDatabase("pglite") };
  for (const kind of engineKinds) targets.push(await openTestDatabase(kind));
}, 60_000);
afterAll(async () => {
  await readers?.a.close();
  await readers?.b.close();
  for (const t of targets) await t.close();
}, 60_000);

describe("round trip from nothing and back", () => {
  for (const name of FIXTURES) {
    test(`the ${name} schema is created from nothing and dropped again`, async () => {
      await checkRoundTrip(readers, targets, `empty -> ${name}`, "", fixture(name));
    }, 60_000);
    test(`dropping the ${name} schema entirely is undone by its downgrade`, async () => {
      await checkRoundTrip(readers, targets, `${name} -> empty`, fixture(name), "");
    }, 60_000);
  }
  test("the project's own schema (the revision chain at head) round-trips", async () => {
    await checkRoundTrip(readers, targets, "empty -> project", "", await projectSchema());
  }, 60_000);
});
