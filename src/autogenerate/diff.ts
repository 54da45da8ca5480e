/**
 * The diff: model A and model B in, the ordered changes that turn A into B
 * out. Pure; run it the other way round for the downgrade.
 */
import { buildNodes, type ChangeNode } from "./build.ts";
import type { Change } from "./changes.ts";
import { keys } from "./keys.ts";
import type { SchemaModel } from "./model.ts";
import { objectGraph } from "./objects.ts";
import { before, orderNodes } from "./order.ts";
import { planChanges } from "./plan.ts";

/** The changes that turn `a` into `b`, in an order PostgreSQL accepts. */
export function diffModels(a: SchemaModel, b: SchemaModel): Change[] {
  const graphA = objectGraph(a);
  const graphB = objectGraph(b);
  const plans = planChanges(graphA, graphB);
  const split = new Set<string>();
  for (;;) {
    const nodes = buildNodes(graphA, graphB, plans, { splitForeignKeys: split });
    const { ordered, stuck } = orderNodes(nodes, graphA, graphB);
    if (stuck.length === 0) return ordered.map((n) => n.change);
    // a cycle through foreign keys: write those tables' foreign keys as separate statements
    const tables = stuck.flatMap(tableOf).filter((key) => !split.has(key));
    if (tables.length === 0) return [...ordered, ...stuck.sort((x, y) => (before(x, y) ? -1 : 1))].map((n) => n.change);
    for (const key of tables) split.add(key);
  }
}

function tableOf(node: ChangeNode): string[] {
  const change = node.change;
  if (change.kind === "createTable" || change.kind === "dropTable") return [keys.table(change.table.schema, change.table.name)];
  return [];
}
