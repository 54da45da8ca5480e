/**
 * Decide what happens to every object when turning model A into model B:
 * compare each key present on both sides, then push drops, replacements and
 * type changes to the objects that depend on them (a view on a column whose
 * type changes must be dropped first and created again after). Pure.
 */
import type { ColumnDef } from "./model.ts";
import { dependenciesOf, dependentsOf, type ModelObject, type ObjectGraph } from "./objects.ts";

/**
 * none: equal; create/drop: on one side only; alter: changed in place;
 * replace: dropped and created again; recreate: an enum or domain rebuilt
 * under a temporary name (values removed or reordered, a new base type),
 * its columns re-typed in between.
 */
export type Action = "none" | "create" | "drop" | "alter" | "replace" | "recreate";

/** The decision for one key. */
export interface ObjectPlan {
  readonly action: Action;
  /** replaced only because something it depends on changed */
  readonly dependent: boolean;
  /** a column whose type or collation changes (its dependents must be rebuilt) */
  readonly retype: boolean;
  /** a column re-typed inside its enum's or domain's recreation */
  readonly enumRetype: boolean;
  readonly commentChanged: boolean;
}

const plan = (action: Action, extra: Partial<ObjectPlan> = {}): ObjectPlan => ({
  action,
  dependent: false,
  retype: false,
  enumRetype: false,
  commentChanged: false,
  ...extra,
});

/** Whether `inner` appears in `outer` in the same relative order (ADD VALUE can insert anywhere, never remove or move). */
export function isOrderedSubset(inner: readonly string[], outer: readonly string[]): boolean {
  let i = 0;
  for (const label of outer) if (label === inner[i]) i++;
  return i === inner.length && new Set(inner).size === inner.length;
}

/** Where each new label goes: after the label before it in B, or before the first label when it leads. */
export function enumPlacements(from: readonly string[], to: readonly string[]): { value: string; before?: string; after?: string }[] {
  const present = new Set(from);
  const out: { value: string; before?: string; after?: string }[] = [];
  to.forEach((label, i) => {
    if (present.has(label)) return;
    const previous = to[i - 1];
    if (previous !== undefined) out.push({ value: label, after: previous });
    else {
      const next = to.find((l) => present.has(l));
      out.push(next === undefined ? { value: label } : { value: label, before: next });
    }
    present.add(label);
  });
  return out;
}

/** Constraint definitions that differ only in validation: A is NOT VALID, B is the same constraint validated. */
export function onlyValidation(a: string, b: string): boolean {
  return a.endsWith(" NOT VALID") && a.slice(0, -" NOT VALID".length) === b;
}

function commentOf(object: ModelObject): string | null {
  switch (object.kind) {
    case "extension":
    case "default":
    case "owner":
      return null;
    default:
      return object.def.comment;
  }
}

/** Compare one object present on both sides (ignoring its comment). */
function compare(a: ModelObject, b: ModelObject): ObjectPlan {
  switch (a.kind) {
    case "schema":
    case "table":
      return plan("none");
    case "extension":
      return plan(a.def.schema === (b as typeof a).def.schema ? "none" : "alter");
    case "enum": {
      const from = a.def.labels;
      const to = (b as typeof a).def.labels;
      if (from.join("\0") === to.join("\0") && from.length === to.length) return plan("none");
      return plan(isOrderedSubset(from, to) ? "alter" : "recreate");
    }
    case "domain": {
      const y = (b as typeof a).def;
      if (a.def.type !== y.type || a.def.collation !== y.collation) return plan("recreate");
      const same = a.def.notNull === y.notNull && a.def.default === y.default && JSON.stringify(a.def.constraints) === JSON.stringify(y.constraints);
      return plan(same ? "none" : "alter");
    }
    case "sequence": {
      const x = a.def;
      const y = (b as typeof a).def;
      const same = x.type === y.type && x.start === y.start && x.increment === y.increment && x.min === y.min && x.max === y.max && x.cache === y.cache && x.cycle === y.cycle;
      return plan(same ? "none" : "alter");
    }
    case "owner": {
      const y = (b as typeof a).ownedBy;
      return plan(a.ownedBy.table === y.table && a.ownedBy.column === y.column ? "none" : "alter");
    }
    case "column":
      return compareColumns(a.def, (b as typeof a).def);
    case "default":
      return plan(a.expression === (b as typeof a).expression ? "none" : "alter");
    case "constraint": {
      const x = a.def.definition;
      const y = (b as typeof a).def.definition;
      if (x === y) return plan("none");
      return plan(onlyValidation(x, y) ? "alter" : "replace");
    }
    case "index":
    case "trigger":
      return plan(a.def.definition === (b as typeof a).def.definition ? "none" : "replace");
    case "view": {
      const y = (b as typeof a).def;
      const same = a.def.definition === y.definition && a.def.materialized === y.materialized && a.def.options.join(",") === y.options.join(",");
      return plan(same ? "none" : "replace");
    }
    case "function": {
      const y = (b as typeof a).def;
      if (a.def.definition === y.definition) return plan("none");
      // CREATE OR REPLACE cannot change the result type, argument names or defaults, or the kind
      const compatible = a.def.arguments === y.arguments && a.def.result === y.result && a.def.kind === y.kind;
      return plan(compatible ? "alter" : "replace");
    }
  }
}

function compareColumns(a: ColumnDef, b: ColumnDef): ObjectPlan {
  const ga = a.generated;
  const gb = b.generated;
  if (gb !== null && (ga === null || ga.expression !== gb.expression || ga.virtual !== gb.virtual)) return plan("replace");
  // PostgreSQL 13–16 cannot change a generation expression, and no version can drop a virtual one's
  if (ga !== null && gb === null && ga.virtual) return plan("replace");
  const retype = a.type !== b.type || a.collation !== b.collation;
  const altered = retype || a.notNull !== b.notNull || JSON.stringify(a.identity) !== JSON.stringify(b.identity) || (ga !== null && gb === null);
  return plan(altered ? "alter" : "none", { retype });
}

/** What a change to an object forces on the objects depending on it. */
type Cause = "drop" | "retype" | "recreate";

/** Plan every key of A and B. */
export function planChanges(a: ObjectGraph, b: ObjectGraph): Map<string, ObjectPlan> {
  const plans = new Map<string, ObjectPlan>();
  for (const [key, objectA] of a.objects) {
    const objectB = b.objects.get(key);
    if (objectB === undefined || objectB.kind !== objectA.kind) {
      plans.set(key, plan("drop"));
      continue;
    }
    const decided = compare(objectA, objectB);
    plans.set(key, { ...decided, commentChanged: commentOf(objectA) !== commentOf(objectB) });
  }
  for (const [key, objectB] of b.objects) {
    const existing = plans.get(key);
    if (existing === undefined) plans.set(key, plan("create"));
    else if (existing.action === "drop" && a.objects.get(key)?.kind !== objectB.kind) {
      // same key, different kind cannot happen with kind-prefixed keys; kept total for safety
      plans.set(key, plan("replace"));
    }
  }
  propagate(a, plans);
  unbindRetypedPairs(a, plans);
  return plans;
}

/**
 * A rebuilt enum's or domain's columns move to the new type one ALTER at a
 * time, so whatever binds two of them (a foreign key between them, a
 * constraint or index comparing them) would for a moment join the old type
 * with the new one, which PostgreSQL refuses (42804): drop it before the
 * rebuild and create it again after.
 */
function unbindRetypedPairs(a: ObjectGraph, plans: Map<string, ObjectPlan>): void {
  const queue: [string, Cause][] = [];
  for (const [key, object] of a.objects) {
    if (object.kind !== "constraint" && object.kind !== "index") continue;
    const current = plans.get(key);
    if (current === undefined || (current.action !== "none" && current.action !== "alter")) continue;
    let bound = 0;
    for (const dependency of dependenciesOf(a, key)) if (plans.get(dependency)?.enumRetype === true) bound++;
    if (bound < 2) continue;
    plans.set(key, { ...current, action: "replace", dependent: current.action === "none" });
    queue.push([key, "drop"]);
  }
  spread(a, plans, queue);
}

/** Push drops, replacements and type changes to dependents, transitively. */
function propagate(a: ObjectGraph, plans: Map<string, ObjectPlan>): void {
  const queue: [string, Cause][] = [];
  for (const [key, p] of plans) {
    if (p.action === "drop" || p.action === "replace") queue.push([key, "drop"]);
    else if (p.action === "recreate") queue.push([key, "recreate"]);
    else if (p.retype) queue.push([key, "retype"]);
  }
  spread(a, plans, queue);
}

/** Work through `queue`, pushing each cause to the dependents of its key and their dependents in turn. */
function spread(a: ObjectGraph, plans: Map<string, ObjectPlan>, queue: [string, Cause][]): void {
  while (queue.length > 0) {
    const [key, cause] = queue.shift()!;
    for (const dependent of dependentsOf(a, key)) {
      const current = plans.get(dependent);
      const object = a.objects.get(dependent);
      if (current === undefined || object === undefined) continue;
      if (current.action === "drop" || current.action === "replace" || current.action === "recreate") continue;
      const next = consequence(object, current, cause);
      if (next === null) continue;
      plans.set(dependent, next);
      if (next.action === "replace") queue.push([dependent, "drop"]);
      else if (next.action === "recreate") queue.push([dependent, "recreate"]);
      else if (next.enumRetype && !current.retype) queue.push([dependent, "retype"]);
    }
  }
}

/** The new plan of `object` (currently `current`) when something it depends on goes through `cause`; null: unaffected. */
function consequence(object: ModelObject, current: ObjectPlan, cause: Cause): ObjectPlan | null {
  const replaced = { ...current, action: "replace" as const, dependent: current.action === "none" };
  switch (object.kind) {
    case "column":
      if (object.def.generated !== null) return replaced;
      // a plain column only depends on its type: re-applied inside the enum's recreation
      if (cause === "recreate" && !current.retype) return { ...current, enumRetype: true };
      return null;
    case "default":
      // the old default may not cast to the new type, or names what is being dropped
      return replaced;
    case "constraint":
    case "index":
      // PostgreSQL rebuilds them itself when a column's type changes
      return cause === "retype" ? null : replaced;
    case "view":
    case "trigger":
    case "function":
      return replaced;
    case "domain":
      // a domain over a type that is rebuilt must be rebuilt on top of the new one
      return cause === "retype" ? null : { ...current, action: "recreate", dependent: current.action === "none" };
    default:
      return null;
  }
}
