/**
 * pg_depend in terms of object keys: every catalog OID the model knows is
 * mapped to the key of the object it belongs to (an index backing a
 * constraint to the constraint, an identity sequence to its column, an
 * array type to its element, an extension's members to the extension), and
 * the structural edges pg_depend leaves implicit (column → table) are
 * added. Pure.
 */
import type { CatalogRows } from "./assemble.ts";
import { compareText } from "./text-order.ts";
import { keys } from "./keys.ts";
import type { Dependency } from "./model.ts";

/** Translate pg_depend rows into key edges, and add the structural ones pg_depend leaves implicit. */
export function dependencies(rows: CatalogRows, relations: Map<string, CatalogRows["relations"][number]>): Dependency[] {
  const byCatalog = new Map<string, string>();
  const set = (cls: string, oid: string, key: string) => byCatalog.set(`${cls}:${oid}`, key);
  const columnKeys = new Map<string, string>();
  const edges = new Set<string>();
  const edge = (from: string, to: string) => from !== to && edges.add(JSON.stringify([from, to]));
  const views = new Set(rows.relations.filter((r) => r.kind !== "r").map((r) => JSON.stringify([r.schema, r.name])));

  for (const s of rows.schemas) set("namespace", s.oid, keys.schema(s.name));
  for (const e of rows.extensions) set("extension", e.oid, keys.extension(e.name));
  for (const e of rows.enums) {
    set("type", e.oid, keys.enum(e.schema, e.name));
    edge(keys.enum(e.schema, e.name), keys.schema(e.schema));
  }
  for (const d of rows.domains) {
    const key = keys.domain(d.schema, d.name);
    set("type", d.oid, key);
    for (const c of d.constraints) set("constraint", c.oid, key);
    edge(key, keys.schema(d.schema));
  }
  for (const r of rows.relations) {
    const key = r.kind === "r" ? keys.table(r.schema, r.name) : keys.view(r.schema, r.name);
    set("class", r.oid, key);
    edge(key, keys.schema(r.schema));
  }
  for (const c of rows.columns) {
    const table = relations.get(c.relid);
    if (table === undefined) continue;
    const column = keys.column(table.schema, table.name, c.name);
    columnKeys.set(`${c.relid}:${c.attnum}`, column);
    edge(column, keys.table(table.schema, table.name));
    if (c.defoid !== null) {
      // a generated column's expression is the column itself; a default is its own object
      if (c.generated !== "") set("attrdef", c.defoid, column);
      else {
        const key = keys.default(table.schema, table.name, c.name);
        set("attrdef", c.defoid, key);
        edge(key, column);
      }
    }
  }
  for (const s of rows.sequences) {
    if (s.owner?.identity) {
      const column = columnKeys.get(`${s.owner.relid}:${s.owner.attnum}`);
      if (column !== undefined) set("class", s.oid, column);
      continue;
    }
    set("class", s.oid, keys.sequence(s.schema, s.name));
    edge(keys.sequence(s.schema, s.name), keys.schema(s.schema));
  }
  for (const c of rows.constraints) {
    const table = relations.get(c.relid);
    if (table === undefined) continue;
    const key = keys.constraint(table.schema, table.name, c.name);
    set("constraint", c.oid, key);
    if (c.type === "p" || c.type === "u" || c.type === "x") set("class", c.indid, key);
    edge(key, keys.table(table.schema, table.name));
  }
  for (const i of rows.indexes) {
    const key = keys.index(i.schema, i.name);
    set("class", i.oid, key);
    edge(key, tableOrView(i.schema, i.table));
  }
  for (const v of rows.views) if (v.ruleoid !== null) set("rewrite", v.ruleoid, keys.view(v.schema, v.name));
  for (const f of rows.functions) {
    const key = keys.function(f.schema, f.name, f.signature);
    set("proc", f.oid, key);
    edge(key, keys.schema(f.schema));
  }
  for (const t of rows.triggers) {
    const key = keys.trigger(t.schema, t.table, t.name);
    set("trigger", t.oid, key);
    edge(key, tableOrView(t.schema, t.table));
  }
  for (const t of rows.types) {
    // array types stand for their element, row types for their relation
    const target = t.elem !== "0" ? byCatalog.get(`type:${t.elem}`) : byCatalog.get(`class:${t.relid}`);
    if (target !== undefined && !byCatalog.has(`type:${t.oid}`)) set("type", t.oid, target);
  }
  const members = new Map(rows.extensionMembers.map((m) => [`${m.cls}:${m.oid}`, m.ext]));
  const extensionKeys = new Map(rows.extensions.map((e) => [e.oid, keys.extension(e.name)]));

  const resolve = (cls: string, oid: string, sub: number): string | undefined => {
    const ext = members.get(`${cls}:${oid}`);
    if (ext !== undefined) return extensionKeys.get(ext);
    if (cls === "class" && sub > 0) {
      const column = columnKeys.get(`${oid}:${sub}`);
      if (column !== undefined) return column;
    }
    return byCatalog.get(`${cls}:${oid}`);
  };
  const ownerOf = new Map<string, string>();
  for (const s of rows.sequences) {
    if (s.owner === null || s.owner.identity) continue;
    const column = columnKeys.get(`${s.owner.relid}:${s.owner.attnum}`);
    if (column === undefined) continue;
    ownerOf.set(`${keys.sequence(s.schema, s.name)} ${column}`, keys.owner(s.schema, s.name));
    edge(keys.owner(s.schema, s.name), keys.sequence(s.schema, s.name));
  }
  for (const d of rows.depend) {
    let from = resolve(d.cls, d.oid, d.sub);
    const to = resolve(d.refcls, d.refoid, d.refsub);
    if (from === undefined || to === undefined) continue;
    // OWNED BY is its own object: the sequence exists before the column that owns it
    from = ownerOf.get(`${from} ${to}`) ?? from;
    edge(from, to);
  }
  return [...edges].sort(compareText).map((e) => JSON.parse(e) as [string, string]);

  function tableOrView(schema: string, name: string): string {
    return views.has(JSON.stringify([schema, name])) ? keys.view(schema, name) : keys.table(schema, name);
  }
}
