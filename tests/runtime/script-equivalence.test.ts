/**
 * The claim of the one step loop, as a property: for random revision graphs
 * (branches, merges, dependencies, `Transaction: false` revisions) and both
 * transaction modes, the `--sql` script applied by psql leaves the same
 * schema and the same version rows as the online run, on real PostgreSQL.
 *
 * psql runs the script with `-v ON_ERROR_STOP=1 -f`, not `-1`: the script
 * carries its own BEGIN/COMMIT (Alembic's layout) and runs `Transaction:
 * false` revisions between a COMMIT and the next BEGIN; psql's `-1` would
 * only wrap it in an outer BEGIN that the script's first COMMIT ends, and
 * `CREATE INDEX CONCURRENTLY` cannot run inside a transaction block.
 *
 * One seed runs in `npm test`, 20 in `npm run test:long` (RETORT_LONG=1); RETORT_PROPERTY_CASES=N runs N seeds.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { introspect } from "../../src/autogenerate/introspect.ts";
import type { PlannedStep, RevisionMeta } from "../../src/core/types.ts";
import { planDowngrade, planUpgrade } from "../../src/core/plan.ts";
import { RevisionGraph } from "../../src/core/graph.ts";
import type { Engine } from "../../src/drivers/engine.ts";
import { openEngine } from "../../src/drivers/open.ts";
import type { LoadedRevision } from "../../src/revisions/types.ts";
import { renderScript, runOnline } from "../../src/runtime/runner.ts";
import { readHeads } from "../../src/runtime/version-table.ts";
import { prng, randomGraph } from "../core/shapes.ts";
import { tempDir } from "../helpers/cli.ts";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const cases = Number(process.env.RETORT_PROPERTY_CASES ?? (process.env.RETORT_LONG === "1" ? 20 : 1));
const seeds = Array.from({ length: cases }, (_, i) => 7919 * (i + 1));
const table = { name: "alembic_version", schema: null };
const log = () => {};

/** Each revision creates a table, a view over every table it revises or depends on (so order matters), and an index (CONCURRENTLY outside a transaction). */
function loaded(metas: readonly RevisionMeta[], seed: number): LoadedRevision[] {
  const rnd = prng(seed + 1);
  return metas.map((meta) => {
    const outside = rnd() < 0.25;
    const refs = [...meta.downRevisions, ...meta.dependsOn];
    const up = [
      `CREATE TABLE t_${meta.id} (id int);`,
      ...refs.map((ref, j) => `CREATE VIEW v_${meta.id}_${j} AS SELECT id FROM t_${ref};`),
      `CREATE INDEX ${outside ? "CONCURRENTLY " : ""}i_${meta.id} ON t_${meta.id} (id);`,
    ];
    const down = [`DROP INDEX ${outside ? "CONCURRENTLY " : ""}i_${meta.id};`, ...refs.map((_, j) => `DROP VIEW v_${meta.id}_${j};`), `DROP TABLE t_${meta.id};`];
    return {
      ...meta,
      format: "sql",
      transaction: !outside,
      upgrade: { kind: "sql", sql: up.join("\n"), line: 8 },
      downgrade: { kind: "sql", sql: down.join("\n"), line: 9 + up.length + 2 },
    };
  });
}

async function psql(url: string, script: string): Promise<void> {
  const file = join(tempDir("equiv-"), "script.sql");
  writeFileSync(file, script);
  const child = Bun.spawn(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file, url], { stdout: "pipe", stderr: "pipe", env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" } });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`psql exited ${code}: ${stderr}\n--- script ---\n${script}`);
}

const available = await postgresAvailable();

describe.skipIf(!available)("--sql scripts applied by psql match online runs (random graphs, PostgreSQL)", () => {
  let online: TempDatabase;
  let offline: TempDatabase;
  let a: Engine;
  let b: Engine;
  beforeAll(async () => {
    [online, offline] = await Promise.all([createTempDatabase("retort_eq_on"), createTempDatabase("retort_eq_off")]);
    [a, b] = await Promise.all([openEngine(online.url), openEngine(offline.url)]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all([online.drop(), offline.drop()]);
  }, 20_000);

  const reset = (engine: Engine) => engine.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  const same = async () => {
    expect(await introspect(b)).toEqual(await introspect(a));
    expect(await readHeads(b, table)).toEqual(await readHeads(a, table));
  };

  for (const seed of seeds) {
    for (const perMigration of [false, true]) {
      test(`seed ${seed}, ${perMigration ? "a transaction per migration" : "one transaction per run"}: upgrade to heads, then downgrade`, async () => {
        const metas = randomGraph(seed, 10);
        const revisions = loaded(metas, seed);
        const graph = RevisionGraph.build(revisions);
        const map = new Map(revisions.map((r) => [r.id, r]));
        await Promise.all([reset(a), reset(b)]);
        const both = async (steps: PlannedStep[], startingHeads: string[]) => {
          const options = { steps, revisions: map, table, startingHeads, transactionPerMigration: perMigration, log };
          const { script } = await renderScript(options);
          await runOnline(a, options);
          await psql(offline.url, script);
          await same();
        };
        await both(planUpgrade(graph, [], "heads"), []);
        expect((await readHeads(a, table)).length).toBeGreaterThan(0);
        const heads = await readHeads(a, table);
        // down to a random applied revision (or base when the planner refuses that target)
        const rnd = prng(seed + 2);
        const target = rnd() < 0.3 ? "base" : (revisions[Math.floor(rnd() * revisions.length)]?.id ?? "base");
        let steps: PlannedStep[];
        try {
          steps = planDowngrade(graph, heads, target);
        } catch {
          steps = planDowngrade(graph, heads, "base");
        }
        await both(steps, heads);
      }, 30_000);
    }
  }
});
