/**
 * Enum and domain columns bound to each other (a foreign key between two
 * columns of the type, a constraint or index over two of them, a view) are
 * dropped around a rebuild of the type and created again after it, in both
 * directions, on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, test } from "bun:test";
import { engineKinds, openTestDatabase, type TestDatabase } from "./helpers.ts";
import { checkRoundTrip, type Readers } from "./round-trip.ts";

const schema = (labels: string) => `
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

describe("enum columns linked to each other", () => {
  test("a value inserted in the middle, and its removal on the way down, keep the foreign keys between the columns", async () => {
    await checkRoundTrip(readers, targets, "enum value inserted", schema("'new', 'done'"), schema("'new', 'doing', 'done'"));
  }, 60_000);
  test("a value appended, and its removal on the way down", async () => {
    await checkRoundTrip(readers, targets, "enum value appended", schema("'new', 'done'"), schema("'new', 'done', 'archived'"));
  }, 60_000);
  test("values reordered both ways", async () => {
    await checkRoundTrip(readers, targets, "enum values reordered", schema("'new', 'done', 'archived'"), schema("'done', 'new', 'archived'"));
  }, 60_000);
});
