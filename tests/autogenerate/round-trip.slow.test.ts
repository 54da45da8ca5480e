/**
 * The round-trip property on the realistic fixture schemas and the project's
 * own schema: from nothing to each schema and back, on PGlite and on
 * PostgreSQL (when the server is there); and enum columns bound to each
 * other (a foreign key between two columns of the type, a constraint or
 * index comparing two of them, a view), which must be unbound around a
 * rebuild of the type and bound again after it, in both directions.
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

/** Two tables whose enum columns are linked by foreign keys, a check and an index comparing two of them, and a view. */
const linkedEnums = (labels: string) => `
CREATE TYPE status AS ENUM (${labels});
CREATE TABLE states (
    status status PRIMARY KEY,
    previous status,
    CONSTRAINT states_moves CHECK (previous IS DISTINCT FROM status)
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    status status NOT NULL REFERENCES states (status),
    wanted status[],
    CONSTRAINT orders_previous FOREIGN KEY (status) REFERENCES states (status) ON DELETE CASCADE
);
ALTER TABLE states ADD CONSTRAINT states_previous FOREIGN KEY (previous) REFERENCES states (status);
CREATE UNIQUE INDEX states_pair ON states ((previous = status), status);
CREATE VIEW same_status AS SELECT o.id FROM orders o JOIN states s ON s.status = o.status;
`;

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

describe("enum columns linked to each other", () => {
  test("a value inserted in the middle, and its removal on the way down, keep the foreign keys between the columns", async () => {
    await checkRoundTrip(readers, targets, "enum value inserted", linkedEnums("'new', 'done'"), linkedEnums("'new', 'doing', 'done'"));
  }, 60_000);
  test("a value appended, and its removal on the way down", async () => {
    await checkRoundTrip(readers, targets, "enum value appended", linkedEnums("'new', 'done'"), linkedEnums("'new', 'done', 'archived'"));
  }, 60_000);
  test("values reordered both ways", async () => {
    await checkRoundTrip(readers, targets, "enum values reordered", linkedEnums("'new', 'done', 'archived'"), linkedEnums("'done', 'new', 'archived'"));
  }, 60_000);
});
