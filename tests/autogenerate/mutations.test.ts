/**
 * The round-trip property on edited schemas: every mutation kind applied to
 * a fixture at once, then seeded random mutations (RETORT_MUTATIONS cases from
 * RETORT_MUTATION_SEED), on PGlite and PostgreSQL. `npm test` runs the
 * smallest fixture and 3 cases to stay under a minute; `npm run test:long`
 * (RETORT_LONG=1, also run by CI) runs every fixture and 40 cases; past the
 * first 8, every other case starts from linked enum columns.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SchemaModel } from "../../src/autogenerate/model.ts";
import { engineKinds, fixture, FIXTURES, openTestDatabase, type TestDatabase } from "./helpers.ts";
import { MUTATIONS, rng, withLinkedEnumColumns, type Mutation, type Rng } from "./mutations.ts";
import { checkRoundTrip, modelOf, type Readers } from "./round-trip.ts";

const SEED = Number(process.env.RETORT_MUTATION_SEED ?? 20260211);
const LONG = process.env.RETORT_LONG === "1";
const COUNT = Number(process.env.RETORT_MUTATIONS ?? (LONG ? 40 : 3));
/** every fixture in the long run; the quickest one (northwind, ~5 s) in `npm test` */
const ALL_KINDS_FIXTURES = LONG ? FIXTURES : FIXTURES.filter((name) => name === "northwind");
/** Random cases from this index on alternate with ones that start from linked enum columns. */
const LINKED_FROM = 8;

/** A fixture with its enum columns linked in pairs: where every mutation kind starts, so the enum mutations rebuild types whose columns are bound to each other. */
const start = (name: string) => withLinkedEnumColumns(fixture(name));

let readers: Readers;
let scratch: TestDatabase;
const targets: TestDatabase[] = [];

beforeAll(async () => {
  readers = { a: await openTestDatabase("pglite"), b: await openTestDatabase("pglite") };
  scratch = await openTestDatabase("pglite");
  for (const kind of engineKinds) targets.push(await openTestDatabase(kind));
}, 60_000);
afterAll(async () => {
  await readers?.a.close();
  await readers?.b.close();
  await scratch?.close();
  for (const t of targets) await t.close();
}, 60_000);

/** Apply `mutation` if it yields a schema PostgreSQL accepts; the new source and model, or null. */
async function tryMutation(mutation: Mutation, source: string, model: SchemaModel, r: Rng, n: number): Promise<{ source: string; model: SchemaModel } | null> {
  const next = mutation.apply(source, model, r, n);
  if (next === null) return null;
  try {
    return { source: next, model: await modelOf(scratch, next) };
  } catch {
    return null;
  }
}

describe("every mutation kind", () => {
  for (const name of ALL_KINDS_FIXTURES) {
    test(`all mutation kinds applied together to ${name} round-trip`, async () => {
      const r = rng(SEED);
      let source = start(name);
      let model = await modelOf(scratch, source);
      const applied: string[] = [];
      for (const [i, mutation] of MUTATIONS.entries()) {
        const next = await tryMutation(mutation, source, model, r, i);
        if (next === null) continue;
        ({ source, model } = next);
        applied.push(mutation.name);
      }
      expect(applied.length, `applied: ${applied.join("; ")}`).toBeGreaterThanOrEqual(MUTATIONS.length - 4);
      await checkRoundTrip(readers, targets, `${name} with every mutation`, start(name), source);
    }, 180_000);
  }
});

describe("random mutations", () => {
  for (let i = 0; i < COUNT; i++) {
    const seed = SEED + i;
    test(`random mutation case ${i} (seed ${seed}) round-trips`, async () => {
      const r = rng(seed);
      const name = FIXTURES[i % FIXTURES.length]!;
      // the default cases cost what they always did; every other case past them starts from linked enum columns
      const base = i >= LINKED_FROM && i % 2 === 1 ? start(name) : fixture(name);
      let source = base;
      let model = await modelOf(scratch, source);
      const wanted = 1 + r.int(3);
      const applied: string[] = [];
      for (let attempt = 0; applied.length < wanted && attempt < 20; attempt++) {
        const mutation = r.pick(MUTATIONS);
        const next = await tryMutation(mutation, source, model, r, 100 + attempt);
        if (next === null) continue;
        ({ source, model } = next);
        applied.push(mutation.name);
      }
      expect(applied.length, "at least one mutation applies").toBeGreaterThan(0);
      await checkRoundTrip(readers, targets, `${name} + ${applied.join(" + ")} (seed ${seed})`, base, source);
    }, 60_000);
  }
});
