import postgres from "postgres";
import { RevisionGraph } from "../src/core/graph.ts";
import { planUpgrade } from "../src/core/plan.ts";
import { migrate } from "../src/runtime/migrate.ts";
import type { LoadedRevision } from "../src/revisions/types.ts";
const id = (i: number) => `bench${String(i).padStart(7, "0")}`;
const revisions: LoadedRevision[] = Array.from({ length: 1000 }, (_, i) => ({ id: id(i), downRevisions: i === 0 ? [] : [id(i - 1)], branchLabels: [], dependsOn: [], message: `m`, createDate: null, path: `b/${id(i)}_c.sql`, doc: "", format: "sql", transaction: true, upgrade: { kind: "sql", sql: `CREATE TABLE bench_${i} (id int);`, line: 9 }, downgrade: { kind: "sql", sql: `DROP TABLE bench_${i};`, line: 12 } }));
const graph = RevisionGraph.build(revisions);
const map = new Map(revisions.map((r) => [r.id, r]));
const admin = postgres("postgres://postgres@127.0.0.1:5432/postgres", { max: 1, onnotice: () => {} });
const res: Record<string, number[]> = { on: [], off: [] };
for (let k = 0; k < 8; k++) {
  for (const mode of ["on", "off"]) {
    const name = `hb_${crypto.randomUUID().slice(0, 8)}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const t = performance.now();
    await migrate({ url: `postgres://postgres@127.0.0.1:5432/${name}`, revisions: map, graph, plan: (h) => planUpgrade(graph, h, "head"), log: () => {}, recordHistory: mode === "on" });
    res[mode]!.push(performance.now() - t);
    await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
  }
}
await admin.end();
const med = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)]!;
console.log(JSON.stringify({ on: med(res.on!), off: med(res.off!), ratio: med(res.on!) / med(res.off!), all: res }));
