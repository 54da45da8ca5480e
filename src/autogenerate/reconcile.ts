/**
 * Expression definitions PostgreSQL prints do not always read back the same:
 * `status IN ('a', 'b')` on a varchar column prints as
 * `(status)::text = ANY ((ARRAY['a'::character varying, …])::text[])`, which
 * parses into a different tree that prints differently again; and a
 * PostgreSQL 15 server prints some things unlike PGlite's 18. So where the
 * two models hold different text for the same check constraint, default,
 * generated column, domain, index, view, trigger or function, both texts are
 * re-parsed in a scratch database that holds model B (inside a transaction
 * that is rolled back) and compared as PostgreSQL prints them back. Equal
 * ones take B's text in A, so the pure diff sees no change.
 */
import type { Engine } from "../drivers/engine.ts";
import { qualify, quoteIdent } from "../ops/quote.ts";
import { keys } from "./keys.ts";
import type { ColumnDef, ConstraintDef, DomainDef, FunctionDef, IndexDef, SchemaModel, TableDef, TriggerDef, ViewDef } from "./model.ts";

const PROBE = "retort_probe";

/** How to have PostgreSQL print one definition back, in the oracle database. */
type Probe = (engine: Engine, definition: string) => Promise<string | null>;

/** Model A with every definition that means the same as B's replaced by B's text. */
export async function reconcile(a: SchemaModel, b: SchemaModel, oracle: Engine): Promise<SchemaModel> {
  const candidates = findCandidates(a, b);
  if (candidates.length === 0) return a;
  const equal = new Set<string>();
  await oracle.execute("BEGIN");
  try {
    await oracle.execute("SET LOCAL search_path = ''");
    for (const c of candidates) {
      const left = await attempt(oracle, c.probe, c.a);
      const right = left === null ? null : await attempt(oracle, c.probe, c.b);
      if (left !== null && left === right) equal.add(c.id);
    }
  } finally {
    await oracle.execute("ROLLBACK");
  }
  return equal.size === 0 ? a : adopt(a, b, equal);
}

/** Run one probe under a savepoint: a definition that does not parse in B's context is simply not equal. */
async function attempt(engine: Engine, probe: Probe, definition: string): Promise<string | null> {
  await engine.execute("SAVEPOINT retort_probe");
  try {
    return await probe(engine, definition);
  } catch {
    return null;
  } finally {
    await engine.execute("ROLLBACK TO SAVEPOINT retort_probe");
  }
}

interface Candidate {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly probe: Probe;
}

const one = async (engine: Engine, sql: string, params: unknown[] = []) => {
  const [row] = await engine.query<{ d: string | null }>(sql, params);
  return row?.d ?? null;
};

function findCandidates(a: SchemaModel, b: SchemaModel): Candidate[] {
  const out: Candidate[] = [];
  const tablesB = new Map(b.tables.map((t) => [keys.table(t.schema, t.name), t]));
  for (const ta of a.tables) {
    const tb = tablesB.get(keys.table(ta.schema, ta.name));
    if (tb === undefined) continue;
    const table = qualify(tb.schema, tb.name);
    const constraintsB = new Map(tb.constraints.map((c) => [c.name, c]));
    for (const ca of ta.constraints) {
      const cb = constraintsB.get(ca.name);
      if (cb === undefined || cb.type !== ca.type || cb.definition === ca.definition || (ca.type !== "check" && ca.type !== "exclusion")) continue;
      out.push({ id: keys.constraint(ta.schema, ta.name, ca.name), a: ca.definition, b: cb.definition, probe: constraintProbe(table) });
    }
    const columnsB = new Map(tb.columns.map((c) => [c.name, c]));
    for (const ca of ta.columns) {
      const cb = columnsB.get(ca.name);
      if (cb === undefined || cb.type !== ca.type) continue;
      if (ca.default !== null && cb.default !== null && ca.default !== cb.default) {
        out.push({ id: keys.default(ta.schema, ta.name, ca.name), a: ca.default, b: cb.default, probe: defaultProbe(table, ca.name) });
      }
      const ga = ca.generated;
      const gb = cb.generated;
      if (ga !== null && gb !== null && ga.virtual === gb.virtual && ga.expression !== gb.expression) {
        out.push({ id: keys.column(ta.schema, ta.name, ca.name), a: ga.expression, b: gb.expression, probe: generatedProbe(table, ca.name) });
      }
    }
  }
  const domainsB = new Map(b.domains.map((d) => [keys.domain(d.schema, d.name), d]));
  for (const da of a.domains) {
    const id = keys.domain(da.schema, da.name);
    const db = domainsB.get(id);
    if (db === undefined || db.type !== da.type) continue;
    const name = qualify(db.schema, db.name);
    if (da.default !== null && db.default !== null && da.default !== db.default) out.push({ id: `${id} default`, a: da.default, b: db.default, probe: domainDefaultProbe(name) });
    for (const ca of da.constraints) {
      const cb = db.constraints.find((c) => c.name === ca.name);
      if (cb !== undefined && cb.definition !== ca.definition) out.push({ id: `${id} ${ca.name}`, a: ca.definition, b: cb.definition, probe: domainConstraintProbe(name) });
    }
  }
  const indexesB = new Map(b.indexes.map((i) => [keys.index(i.schema, i.name), i]));
  for (const ia of a.indexes) {
    const ib = indexesB.get(keys.index(ia.schema, ia.name));
    if (ib !== undefined && ib.definition !== ia.definition) out.push({ id: keys.index(ia.schema, ia.name), a: ia.definition, b: ib.definition, probe: indexProbe(ib) });
  }
  const viewsB = new Map(b.views.map((v) => [keys.view(v.schema, v.name), v]));
  for (const va of a.views) {
    const vb = viewsB.get(keys.view(va.schema, va.name));
    if (vb !== undefined && vb.materialized === va.materialized && vb.definition !== va.definition) {
      out.push({ id: keys.view(va.schema, va.name), a: va.definition, b: vb.definition, probe: viewProbe(vb.schema) });
    }
  }
  const triggersB = new Map(b.triggers.map((t) => [keys.trigger(t.schema, t.table, t.name), t]));
  for (const ta of a.triggers) {
    const tb = triggersB.get(keys.trigger(ta.schema, ta.table, ta.name));
    if (tb !== undefined && tb.definition !== ta.definition) out.push({ id: keys.trigger(ta.schema, ta.table, ta.name), a: ta.definition, b: tb.definition, probe: triggerProbe(tb) });
  }
  const functionsB = new Map(b.functions.map((f) => [keys.function(f.schema, f.name, f.signature), f]));
  for (const fa of a.functions) {
    const fb = functionsB.get(keys.function(fa.schema, fa.name, fa.signature));
    if (fb !== undefined && fb.definition !== fa.definition) out.push({ id: keys.function(fa.schema, fa.name, fa.signature), a: fa.definition, b: fb.definition, probe: functionProbe(fb) });
  }
  return out;
}

/** Add a check as NOT VALID (rows in the oracle must not decide), and print it back as it was written. */
async function addCheck(engine: Engine, alter: string, definition: string, read: string, params: unknown[]): Promise<string | null> {
  const check = definition.startsWith("CHECK ");
  const valid = check && !definition.endsWith(" NOT VALID");
  await engine.execute(`${alter} ADD CONSTRAINT ${PROBE} ${definition}${valid ? " NOT VALID" : ""}`);
  const printed = await one(engine, read, params);
  return printed !== null && valid ? printed.replace(/ NOT VALID$/, "") : printed;
}

function constraintProbe(table: string): Probe {
  return (engine, definition) =>
    addCheck(engine, `ALTER TABLE ${table}`, definition, `SELECT pg_catalog.pg_get_constraintdef(oid) AS d FROM pg_catalog.pg_constraint WHERE conrelid = $1::regclass AND conname = '${PROBE}'`, [table]);
}

function domainConstraintProbe(domain: string): Probe {
  return (engine, definition) =>
    addCheck(engine, `ALTER DOMAIN ${domain}`, definition, `SELECT pg_catalog.pg_get_constraintdef(oid) AS d FROM pg_catalog.pg_constraint WHERE contypid = $1::regtype AND conname = '${PROBE}'`, [domain]);
}

function domainDefaultProbe(domain: string): Probe {
  return async (engine, expression) => {
    await engine.execute(`ALTER DOMAIN ${domain} SET DEFAULT ${expression}`);
    return one(engine, `SELECT pg_catalog.pg_get_expr(typdefaultbin, 0) AS d FROM pg_catalog.pg_type WHERE oid = $1::regtype`, [domain]);
  };
}

function defaultProbe(table: string, column: string): Probe {
  return async (engine, expression) => {
    await engine.execute(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} SET DEFAULT ${expression}`);
    return one(engine, `SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS d FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = $1::regclass AND a.attname = $2`, [table, column]);
  };
}

function generatedProbe(table: string, column: string): Probe {
  return async (engine, expression) => {
    // SET EXPRESSION is PostgreSQL 17+: the oracle is always a scratch PGlite (18)
    await engine.execute(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} SET EXPRESSION AS (${expression})`);
    return one(engine, `SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS d FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = $1::regclass AND a.attname = $2`, [table, column]);
  };
}

/** Swap the object name after `prefix` (a keyword run like "CREATE UNIQUE INDEX ") for the probe's. */
function renamed(definition: string, head: RegExp): string | null {
  const m = head.exec(definition);
  if (m === null) return null;
  return `${m[1]}${PROBE}${definition.slice(m[0].length)}`;
}

function indexProbe(index: IndexDef): Probe {
  return async (engine, definition) => {
    const sql = renamed(definition, /^(CREATE (?:UNIQUE )?INDEX )(?:"(?:[^"]|"")+"|\S+)/);
    if (sql === null) return null;
    await engine.execute(sql);
    return one(engine, `SELECT pg_catalog.pg_get_indexdef($1::regclass) AS d`, [qualify(index.schema, PROBE)]);
  };
}

function viewProbe(schema: string): Probe {
  return async (engine, query) => {
    const name = qualify(schema, PROBE);
    await engine.execute(`CREATE VIEW ${name} AS ${query}`);
    return one(engine, `SELECT pg_catalog.pg_get_viewdef($1::regclass, true) AS d`, [name]);
  };
}

function triggerProbe(trigger: TriggerDef): Probe {
  return async (engine, definition) => {
    const sql = renamed(definition, /^(CREATE (?:CONSTRAINT )?TRIGGER )(?:"(?:[^"]|"")+"|\S+)/);
    if (sql === null) return null;
    await engine.execute(sql);
    const d = await one(
      engine,
      `SELECT pg_catalog.pg_get_triggerdef(oid) AS d FROM pg_catalog.pg_trigger WHERE tgrelid = $1::regclass AND tgname = '${PROBE}'`,
      [qualify(trigger.schema, trigger.table)],
    );
    return d;
  };
}

function functionProbe(f: FunctionDef): Probe {
  return async (engine, definition) => {
    const name = `${qualify(f.schema, f.name)}(`;
    const at = definition.indexOf(name);
    if (at < 0) return null;
    await engine.execute(`${definition.slice(0, at)}${qualify(f.schema, PROBE)}(${definition.slice(at + name.length)}`);
    return one(
      engine,
      `SELECT pg_catalog.pg_get_functiondef(p.oid) AS d FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = '${PROBE}'`,
      [f.schema],
    );
  };
}

/** A copy of A where the objects found equal carry B's definitions. */
function adopt(a: SchemaModel, b: SchemaModel, equal: ReadonlySet<string>): SchemaModel {
  const tablesB = new Map(b.tables.map((t) => [keys.table(t.schema, t.name), t]));
  const tables = a.tables.map((ta): TableDef => {
    const tb = tablesB.get(keys.table(ta.schema, ta.name));
    if (tb === undefined) return ta;
    const constraints = ta.constraints.map((ca): ConstraintDef => {
      const cb = tb.constraints.find((c) => c.name === ca.name);
      return cb !== undefined && equal.has(keys.constraint(ta.schema, ta.name, ca.name)) ? { ...ca, definition: cb.definition } : ca;
    });
    const columns = ta.columns.map((ca): ColumnDef => {
      const cb = tb.columns.find((c) => c.name === ca.name);
      if (cb === undefined) return ca;
      let next = ca;
      if (equal.has(keys.default(ta.schema, ta.name, ca.name))) next = { ...next, default: cb.default };
      if (equal.has(keys.column(ta.schema, ta.name, ca.name)) && cb.generated !== null) next = { ...next, generated: cb.generated };
      return next;
    });
    return { ...ta, constraints, columns };
  });
  const pick = <T>(list: readonly T[], others: readonly T[], key: (x: T) => string, merge: (x: T, y: T) => T): T[] => {
    const byKey = new Map(others.map((o) => [key(o), o]));
    return list.map((x) => {
      const y = byKey.get(key(x));
      return y !== undefined && equal.has(key(x)) ? merge(x, y) : x;
    });
  };
  const domainsB = new Map(b.domains.map((d) => [keys.domain(d.schema, d.name), d]));
  const domains = a.domains.map((da): DomainDef => {
    const id = keys.domain(da.schema, da.name);
    const db = domainsB.get(id);
    if (db === undefined) return da;
    return {
      ...da,
      default: equal.has(`${id} default`) ? db.default : da.default,
      constraints: da.constraints.map((c) => {
        const cb = db.constraints.find((x) => x.name === c.name);
        return cb !== undefined && equal.has(`${id} ${c.name}`) ? { ...c, definition: cb.definition } : c;
      }),
    };
  });
  return {
    ...a,
    tables,
    domains,
    indexes: pick(a.indexes, b.indexes, (i: IndexDef) => keys.index(i.schema, i.name), (x, y) => ({ ...x, definition: y.definition })),
    views: pick(a.views, b.views, (v: ViewDef) => keys.view(v.schema, v.name), (x, y) => ({ ...x, definition: y.definition })),
    triggers: pick(a.triggers, b.triggers, (t: TriggerDef) => keys.trigger(t.schema, t.table, t.name), (x, y) => ({ ...x, definition: y.definition })),
    functions: pick(a.functions, b.functions, (f: FunctionDef) => keys.function(f.schema, f.name, f.signature), (x, y) => ({ ...x, definition: y.definition })),
  };
}
