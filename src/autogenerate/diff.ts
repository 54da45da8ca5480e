/**
 * The diff: model A and model B in, the ordered changes that turn A into B
 * out. Pure; run it the other way round for the downgrade.
 */
import { buildNodes, type ChangeNode } from "./build.ts";
import type { Change } from "./changes.ts";
import { keys } from "./keys.ts";
import { qualify } from "../ops/quote.ts";
import type { ColumnDef, SchemaModel } from "./model.ts";
import { dependentsOf, objectGraph, type ObjectGraph } from "./objects.ts";
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
    const { ordered, stuck, cycles } = orderNodes(nodes, graphA, graphB);
    if (stuck.length === 0) return collapseSerials(ordered.map((n) => n.change), graphB);
    // a cycle through foreign keys: write the foreign keys of the tables in it as separate statements
    const tables = cycles.flat().flatMap(tableOf).filter((key) => !split.has(key));
    if (tables.length === 0) return [...ordered, ...stuck.sort((x, y) => (before(x, y) ? -1 : 1))].map((n) => n.change);
    for (const key of tables) split.add(key);
  }
}

const SERIALS: Record<string, { type: string; max: string }> = {
  smallint: { type: "smallserial", max: "32767" },
  integer: { type: "serial", max: "2147483647" },
  bigint: { type: "bigserial", max: "9223372036854775807" },
};

/**
 * Write what `serial` would have made as `serial`: a new column whose default
 * is nextval() of a new sequence named <table>_<column>_seq, with default
 * options, owned by that column and used by nothing else. The CREATE
 * SEQUENCE and OWNED BY changes disappear into the column.
 */
function collapseSerials(changes: Change[], b: ObjectGraph): Change[] {
  const created = new Map<string, Change & { kind: "createSequence" }>();
  for (const c of changes) if (c.kind === "createSequence") created.set(keys.sequence(c.sequence.schema, c.sequence.name), c);
  const collapsed = new Set<string>();
  const serialType = (schema: string, table: string, column: ColumnDef): string | null => {
    const serial = SERIALS[column.type];
    const sequence = `${table}_${column.name}_seq`;
    const key = keys.sequence(schema, sequence);
    const s = created.get(key)?.sequence;
    if (serial === undefined || s === undefined || column.identity !== null || column.default !== `nextval('${qualify(schema, sequence)}'::regclass)`) return null;
    const plain = s.type === column.type && s.start === "1" && s.increment === "1" && s.min === "1" && s.max === serial.max && s.cache === "1" && !s.cycle && s.comment === null;
    if (!plain || s.ownedBy?.table !== table || s.ownedBy.column !== column.name) return null;
    const users = [...dependentsOf(b, key)];
    if (users.some((u) => u !== keys.owner(schema, sequence) && u !== keys.default(schema, table, column.name))) return null;
    collapsed.add(key);
    return serial.type;
  };
  const asSerial = (schema: string, table: string, column: ColumnDef): ColumnDef => {
    const type = serialType(schema, table, column);
    return type === null ? column : { ...column, type, default: null, notNull: false };
  };
  const out = changes.map((c): Change => {
    if (c.kind === "createTable") return { ...c, table: { ...c.table, columns: c.table.columns.map((col) => asSerial(c.table.schema, c.table.name, col)) } };
    if (c.kind === "addColumn") return { ...c, column: asSerial(c.schema, c.table, c.column) };
    return c;
  });
  return out.filter((c) => {
    if (c.kind !== "createSequence" && !(c.kind === "setSequenceOwner" && c.ownedBy !== null)) return true;
    return !collapsed.has(keys.sequence(c.sequence.schema, c.sequence.name));
  });
}

function tableOf(node: ChangeNode): string[] {
  const change = node.change;
  if (change.kind === "createTable" || change.kind === "dropTable") return [keys.table(change.table.schema, change.table.name)];
  return [];
}
