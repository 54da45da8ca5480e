/**
 * Turn per-object plans into change nodes: the changes themselves plus the
 * keys each one creates, alters, drops or invalidates, which order.ts uses
 * to put them in dependency order. Objects PostgreSQL creates or drops along
 * with another (columns inside CREATE TABLE, indexes of a dropped table, the
 * default of a dropped column) are folded into that change. Pure.
 */
import type { Change, RetypedColumn } from "./changes.ts";
import { keys, kindOf } from "./keys.ts";
import type { ConstraintDef } from "./model.ts";
import { dependentsOf, type ModelObject, type ObjectGraph } from "./objects.ts";
import { enumPlacements, type ObjectPlan } from "./plan.ts";
import { commentOfObject, commentTarget, names } from "./pg-names.ts";
import { compareText } from "./text-order.ts";

/** A change with what order.ts needs to know about it. */
export interface ChangeNode {
  change: Change;
  readonly creates: Set<string>;
  readonly alters: Set<string>;
  readonly drops: Set<string>;
  /** keys changed in a way their dependents cannot survive (a column's type, an enum's values) */
  readonly invalidates: Set<string>;
  /** keys whose creation or alteration must come first (comments) */
  readonly after: Set<string>;
  /** names in PostgreSQL's namespaces (relations, types, constraints) this change takes or frees */
  readonly takesNames: Set<string>;
  readonly freesNames: Set<string>;
  /** 0 drops, 1 alterations, 2 creations: the preferred order when dependencies allow */
  readonly phase: number;
  readonly rank: number;
  readonly seq: number;
}

/** Tables whose foreign keys are written as separate statements (they are part of a cycle). */
export interface BuildOptions {
  readonly splitForeignKeys: ReadonlySet<string>;
}

/** Keys are visited kind by kind (a sequence before its OWNED BY link), then by name. */
const KIND_ORDER: readonly string[] = ["schema", "extension", "enum", "domain", "sequence", "owner", "table", "column", "default", "constraint", "index", "view", "function", "trigger"];

const DROP_RANK: Partial<Record<Change["kind"], number>> = {
  dropTrigger: 0,
  dropView: 1,
  dropIndex: 2,
  dropConstraint: 3,
  dropDefault: 5,
  setSequenceOwner: 5,
  dropColumn: 6,
  dropTable: 7,
  dropSequence: 8,
  dropFunction: 9,
  dropEnum: 10,
  dropDomain: 10,
  dropExtension: 11,
  dropSchema: 12,
};
const ALTER_RANK: Partial<Record<Change["kind"], number>> = {
  alterExtension: 0,
  addEnumValues: 1,
  recreateEnum: 2,
  alterDomain: 2,
  recreateDomain: 2,
  alterSequence: 3,
  alterColumn: 5,
  setDefault: 6,
  validateConstraint: 7,
  replaceFunction: 8,
};
const CREATE_RANK: Partial<Record<Change["kind"], number>> = {
  createSchema: 0,
  createExtension: 1,
  createEnum: 2,
  createDomain: 2,
  createSequence: 3,
  createFunction: 4,
  createTable: 5,
  addColumn: 6,
  setDefault: 7,
  addConstraint: 8,
  createIndex: 10,
  createView: 12,
  createTrigger: 13,
  setSequenceOwner: 14,
  comment: 15,
};

/** Build the change nodes for plans of A → B. */
export function buildNodes(a: ObjectGraph, b: ObjectGraph, plans: ReadonlyMap<string, ObjectPlan>, options: BuildOptions): ChangeNode[] {
  const builder = new NodeBuilder(a, b, plans, options);
  const all = [...new Set([...a.objects.keys(), ...b.objects.keys()])].sort(
    (x, y) => KIND_ORDER.indexOf(kindOf(x)) - KIND_ORDER.indexOf(kindOf(y)) || compareText(x, y),
  );
  const byKind = (kinds: readonly string[]) => all.filter((key) => kinds.includes(kindOf(key)));
  // hosts first: tables, then columns
  builder.tables(byKind(["table"]));
  builder.columns(byKind(["column"]));
  builder.objects(all);
  builder.comments(all);
  return builder.nodes;
}

/** Builds the change nodes of one comparison: the plans of A → B, the hosts new or dropped tables offer their parts. */
class NodeBuilder {
  readonly nodes: ChangeNode[] = [];
  private readonly createHost = new Map<string, ChangeNode>();
  private readonly dropHost = new Map<string, ChangeNode>();
  private readonly inline = new Map<string, ConstraintDef[]>();

  constructor(
    private readonly a: ObjectGraph,
    private readonly b: ObjectGraph,
    private readonly plans: ReadonlyMap<string, ObjectPlan>,
    private readonly options: BuildOptions,
  ) {}

    /** Add a node for `change` in `phase` (0 drop, 1 alter, 2 create), ranked within it. */
    node(change: Change, phase: number, sets: Partial<Record<"creates" | "alters" | "drops" | "invalidates" | "after", string[]>>): ChangeNode {
      const ranks = phase === 0 ? DROP_RANK : phase === 1 ? ALTER_RANK : CREATE_RANK;
      let rank = ranks[change.kind] ?? 9;
      if (change.kind === "addConstraint" && change.constraint.type === "foreign") rank = 9;
      if (change.kind === "dropConstraint" && change.constraint.type !== "foreign") rank = 4;
      // SQL functions are checked against the tables they read when created: after tables and views' inputs
      if (change.kind === "createFunction" && /\n LANGUAGE sql\b/.test(change.function.definition)) rank = 11;
      const n: ChangeNode = {
        change,
        creates: new Set(sets.creates),
        alters: new Set(sets.alters),
        drops: new Set(sets.drops),
        invalidates: new Set(sets.invalidates),
        after: new Set(sets.after),
        takesNames: new Set(),
        freesNames: new Set(),
        phase,
        rank,
        seq: this.nodes.length,
      };
      this.nodes.push(n);
      return n;
    }

  /** A change of a replaced object says so (and whether it goes only because what it depends on does). */
  withDependent<C extends Change>(change: C, p: ObjectPlan): C {
    return p.action !== "replace" ? change : p.dependent ? { ...change, recreated: true, dependent: true } : { ...change, recreated: true };
  }

  /** Tables first: the hosts that columns, constraints and indexes of a new (or dropped) table are written into. */
  tables(objectKeys: readonly string[]): void {
    for (const key of objectKeys) {
      const p = this.plans.get(key)!;
      const from = this.a.objects.get(key);
      const to = this.b.objects.get(key);
      if (p.action === "drop" && from?.kind === "table") {
        const n = this.node({ kind: "dropTable", table: from.def }, 0, { drops: [key] });
        this.dropHost.set(key, n);
        names(n.freesNames, key, from);
      } else if (p.action === "create" && to?.kind === "table") {
        const constraints: ConstraintDef[] = [];
        this.inline.set(key, constraints);
        const n = this.node({ kind: "createTable", table: to.def, constraints }, 2, { creates: [key] });
        this.createHost.set(key, n);
        names(n.takesNames, key, to);
      }
    }
  }

  /** Columns next: added into a new table, or ADD/DROP/ALTER COLUMN. */
  columns(objectKeys: readonly string[]): void {
    for (const key of objectKeys) {
      const p = this.plans.get(key)!;
      const from = this.a.objects.get(key);
      const to = this.b.objects.get(key);
      if ((p.action === "drop" || p.action === "replace") && from?.kind === "column") {
        const tableKey = this.a.parent.get(key)!;
        const host = p.action === "drop" ? this.dropHost.get(tableKey) : undefined;
        if (host !== undefined) {
          host.drops.add(key);
          this.dropHost.set(key, host);
        } else {
          const n = this.node(this.withDependent({ kind: "dropColumn", schema: from.table.schema, table: from.table.name, column: from.def }, p), 0, { drops: [key] });
          this.dropHost.set(key, n);
          names(n.freesNames, key, from);
        }
      }
      if ((p.action === "create" || p.action === "replace") && to?.kind === "column") {
        const tableKey = this.b.parent.get(key)!;
        const host = p.action === "create" ? this.createHost.get(tableKey) : undefined;
        if (host !== undefined) {
          host.creates.add(key);
          this.createHost.set(key, host);
        } else {
          const n = this.node(this.withDependent({ kind: "addColumn", schema: to.table.schema, table: to.table.name, column: to.def }, p), 2, { creates: [key] });
          this.createHost.set(key, n);
          names(n.takesNames, key, to);
        }
      }
      if (p.action === "alter" && from?.kind === "column" && to?.kind === "column") {
        this.node({ kind: "alterColumn", schema: to.table.schema, table: to.table.name, from: from.def, to: to.def }, 1, {
          alters: [key],
          invalidates: p.retype ? [key] : [],
        });
      }
    }
  }

  /** Every other object: dropped, created, altered or its type rebuilt, as its plan says. */
  objects(objectKeys: readonly string[]): void {
    for (const key of objectKeys) {
      const kind = kindOf(key);
      if (kind === "table" || kind === "column") continue;
      const p = this.plans.get(key)!;
      const from = this.a.objects.get(key);
      const to = this.b.objects.get(key);
      if ((p.action === "drop" || p.action === "replace") && from !== undefined) this.drop(key, from, p);
      if ((p.action === "create" || p.action === "replace") && to !== undefined) this.create(key, to, p);
      if (p.action === "alter" && from !== undefined && to !== undefined) this.alter(key, from, to);
      if (p.action === "recreate" && from !== undefined && to !== undefined) this.recreateType(key, from, to);
    }
  }

  /** Comments of objects that stay (a recreated object gets its comment when it is created again). */
  comments(objectKeys: readonly string[]): void {
    for (const key of objectKeys) {
      const p = this.plans.get(key)!;
      const to = this.b.objects.get(key);
      // a recreated type gets its comment when it is created again
      if ((p.action === "none" || p.action === "alter") && p.commentChanged && to !== undefined) {
        const target = commentTarget(to);
        if (target !== null) this.node({ kind: "comment", target, comment: commentOfObject(to) }, 2, { after: [key] });
      }
    }
  }

  /** A foreign key between two tables of a cycle: written as its own statement, not inside CREATE/DROP TABLE. */
  splitsCycle(object: ModelObject & { kind: "constraint" }): boolean {
    const ref = object.def.references;
    if (object.def.type !== "foreign" || ref === null || selfReference(object)) return false;
    return this.options.splitForeignKeys.has(keys.table(object.table.schema, object.table.name)) && this.options.splitForeignKeys.has(keys.table(ref.schema, ref.table));
  }

  drop(key: string, object: ModelObject, p: ObjectPlan): void {
    const parentKey = this.a.parent.get(key);
    const host = parentKey !== undefined && p.action === "drop" ? this.dropHost.get(parentKey) : undefined;
    const absorb = () => {
      host!.drops.add(key);
      this.dropHost.set(key, host!);
    };
    const freeing = (change: Change, phase = 0) => {
      const n = this.node(this.withDependent(change, p), phase, { drops: [key] });
      names(n.freesNames, key, object);
      this.dropHost.set(key, n);
    };
    switch (object.kind) {
      case "schema":
        return freeing({ kind: "dropSchema", schema: object.def });
      case "extension":
        return freeing({ kind: "dropExtension", extension: object.def });
      case "enum":
        return freeing({ kind: "dropEnum", enum: object.def });
      case "domain":
        return freeing({ kind: "dropDomain", domain: object.def });
      case "sequence": {
        // OWNED BY: PostgreSQL drops the sequence with its column
        const owner = object.def.ownedBy;
        const ownerHost = owner ? this.dropHost.get(keys.column(object.def.schema, owner.table, owner.column)) : undefined;
        if (ownerHost !== undefined && p.action === "drop") {
          ownerHost.drops.add(key);
          this.dropHost.set(key, ownerHost);
          return;
        }
        return freeing({ kind: "dropSequence", sequence: object.def });
      }
      case "owner": {
        const sequenceHost = this.dropHost.get(keys.sequence(object.def.schema, object.def.name));
        if (sequenceHost !== undefined && p.action === "drop") {
          sequenceHost.drops.add(key);
          return;
        }
        const next = this.b.objects.get(keys.sequence(object.def.schema, object.def.name));
        this.node({ kind: "setSequenceOwner", sequence: next?.kind === "sequence" ? next.def : object.def, ownedBy: null }, 0, { drops: [key] });
        return;
      }
      case "default":
        if (host !== undefined) return absorb();
        return freeing({ kind: "dropDefault", schema: object.table.schema, table: object.table.name, column: object.column.name, expression: object.expression });
      case "constraint": {
        const split = this.splitsCycle(object);
        if (host !== undefined && !split) return absorb();
        return freeing({ kind: "dropConstraint", schema: object.table.schema, table: object.table.name, constraint: object.def });
      }
      case "index":
        if (host !== undefined && kindOf(parentKey!) === "table") return absorb();
        return freeing({ kind: "dropIndex", index: object.def });
      case "trigger":
        if (host !== undefined && kindOf(parentKey!) === "table") return absorb();
        return freeing({ kind: "dropTrigger", trigger: object.def });
      case "view":
        return freeing({ kind: "dropView", view: object.def });
      case "function":
        return freeing({ kind: "dropFunction", function: object.def });
      case "table":
      case "column":
        return;
    }
  }

  create(key: string, object: ModelObject, p: ObjectPlan): void {
    const parentKey = this.b.parent.get(key);
    const host = parentKey !== undefined ? this.createHost.get(parentKey) : undefined;
    const taking = (change: Change) => {
      const n = this.node(this.withDependent(change, p), 2, { creates: [key] });
      names(n.takesNames, key, object);
      this.createHost.set(key, n);
    };
    switch (object.kind) {
      case "schema":
        return taking({ kind: "createSchema", schema: object.def });
      case "extension":
        return taking({ kind: "createExtension", extension: object.def });
      case "enum":
        return taking({ kind: "createEnum", enum: object.def });
      case "domain":
        return taking({ kind: "createDomain", domain: object.def });
      case "sequence":
        return taking({ kind: "createSequence", sequence: object.def });
      case "owner":
        this.node({ kind: "setSequenceOwner", sequence: object.def, ownedBy: object.ownedBy }, 2, { creates: [key] });
        return;
      case "default":
        // written inside ADD COLUMN / CREATE TABLE: existing rows get the default, as declared
        if (host !== undefined) {
          host.creates.add(key);
          return;
        }
        return taking({ kind: "setDefault", schema: object.table.schema, table: object.table.name, column: object.column.name, expression: object.expression, previous: null });
      case "constraint": {
        const tableKey = keys.table(object.table.schema, object.table.name);
        const list = this.inline.get(tableKey);
        const split = this.splitsCycle(object);
        if (host !== undefined && list !== undefined && !split && !object.def.definition.endsWith(" NOT VALID")) {
          list.push(object.def);
          host.creates.add(key);
          names(host.takesNames, key, object);
          return;
        }
        return taking({ kind: "addConstraint", schema: object.table.schema, table: object.table.name, constraint: object.def });
      }
      case "index":
        return taking({ kind: "createIndex", index: object.def });
      case "trigger":
        return taking({ kind: "createTrigger", trigger: object.def });
      case "view":
        return taking({ kind: "createView", view: object.def });
      case "function":
        return taking({ kind: "createFunction", function: object.def });
      case "table":
      case "column":
        return;
    }
  }

  alter(key: string, from: ModelObject, to: ModelObject): void {
    const alters = { alters: [key] };
    if (from.kind === "extension" && to.kind === "extension") this.node({ kind: "alterExtension", from: from.def, to: to.def }, 1, alters);
    else if (from.kind === "enum" && to.kind === "enum") this.node({ kind: "addEnumValues", enum: to.def, values: enumPlacements(from.def.labels, to.def.labels) }, 1, alters);
    else if (from.kind === "domain" && to.kind === "domain") this.node({ kind: "alterDomain", from: from.def, to: to.def }, 1, alters);
    else if (from.kind === "sequence" && to.kind === "sequence") this.node({ kind: "alterSequence", from: from.def, to: to.def }, 1, alters);
    else if (from.kind === "owner" && to.kind === "owner") this.node({ kind: "setSequenceOwner", sequence: to.def, ownedBy: to.ownedBy }, 2, alters);
    else if (from.kind === "default" && to.kind === "default") {
      this.node({ kind: "setDefault", schema: to.table.schema, table: to.table.name, column: to.column.name, expression: to.expression, previous: from.expression }, 1, alters);
    } else if (from.kind === "constraint" && to.kind === "constraint") {
      this.node({ kind: "validateConstraint", schema: to.table.schema, table: to.table.name, constraint: to.def }, 1, alters);
    } else if (from.kind === "function" && to.kind === "function") this.node({ kind: "replaceFunction", from: from.def, to: to.def }, 1, alters);
  }

  recreateType(key: string, from: ModelObject, to: ModelObject): void {
    const columns: RetypedColumn[] = [];
    const columnKeys: string[] = [];
    for (const dependent of [...dependentsOf(this.a, key)].sort(compareText)) {
      const object = this.b.objects.get(dependent);
      if (object?.kind !== "column" || this.plans.get(dependent)?.enumRetype !== true) continue;
      columns.push({ schema: object.table.schema, table: object.table.name, column: object.def.name, type: object.def.type });
      columnKeys.push(dependent);
    }
    const sets = { invalidates: [key, ...columnKeys] };
    const p = this.plans.get(key)!;
    const tag = <C extends Change>(change: C): C => (p.dependent ? { ...change, dependent: true } : change);
    if (from.kind === "enum" && to.kind === "enum") this.node(tag({ kind: "recreateEnum", from: from.def, to: to.def, columns }), 1, sets);
    else if (from.kind === "domain" && to.kind === "domain") this.node(tag({ kind: "recreateDomain", from: from.def, to: to.def, columns }), 1, sets);
  }
}

function selfReference(object: ModelObject & { kind: "constraint" }): boolean {
  const ref = object.def.references;
  return ref !== null && ref.schema === object.table.schema && ref.table === object.table.name;
}
