/**
 * The round-trip property on edited schemas: every mutation kind applied to
 * each fixture at once, then seeded random mutations (RETORT_MUTATIONS
 * cases, default 8 to keep the suite under a minute, from RETORT_MUTATION_SEED; past
 * those, every other case starts from linked enum columns), on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SchemaModel } from "../../src/autogenerate/model.ts";
import { engineKinds, fixture, FIXTURES, openTestDatabase, type TestDatabase } from "./helpers.ts";
import { MUTATIONS, rng, withLinkedEnumColumns, type Mutation, type Rng } from "./mutations.ts";
import { checkRoundTrip, modelOf, type Readers } from "./round-trip.ts";

const SEED = Number(process.env.RETORT_MUTATION_SEED ?? 20260211);
/** Random cases in `npm test`; a longer search (RETORT_MUTATIONS=200) adds cases that start from linked enum columns. */
const DEFAULT_COUNT = 8;
const COUNT = Number(process.env.RETORT_MUTATIONS ?? DEFAULT_COUNT);

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
  for (const name of FIXTURES) {
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
      const base = i >= DEFAULT_COUNT && i % 2 === 1 ? start(name) : fixture(name);
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
