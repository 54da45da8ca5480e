/**
 * Measuring what statements do, in a scratch database at a revision's
 * parent: every pre-existing table first gets one row (so a NOT NULL column
 * without a default fails as it would in production), then the statements run
 * in one transaction, each in a savepoint, and retort reads from pg_locks the
 * lock modes it took on pre-existing relations and from pg_class.relfilenode
 * which of them it rewrote. Everything is rolled back and the rows removed, so
 * the database is back at the parent afterwards.
 */
import type { Engine } from "../drivers/engine.ts";

/** What one statement was measured to do to relations that existed before the revision. */
export interface StatementMeasurement {
  /** lock modes newly taken, e.g. { relation: "public.orders", mode: "AccessExclusiveLock" } */
  readonly locks: { relation: string; mode: string }[];
  /** tables and indexes whose relfilenode changed (rewritten) */
  readonly rewrites: string[];
  /** PostgreSQL's error when the statement failed against the populated tables */
  readonly error?: string;
  /** why the statement was not measured (transaction control, CONCURRENTLY) */
  readonly notMeasured?: string;
}

/** A revision's measurement: one entry per statement, plus the tables that could not be given a row. */
export interface RevisionMeasurement {
  readonly statements: StatementMeasurement[];
  /** pre-existing tables that stayed empty during the measurement (a row could not be made up for them) */
  readonly emptyTables: string[];
}

/** What the measurement needs to know about each statement. */
export interface MeasuredStatement {
  readonly sql: string;
  /** the parse node's type (`TransactionStmt`, `IndexStmt`, …), or null when it did not parse */
  readonly kind: string | null;
  /** CREATE/DROP INDEX CONCURRENTLY and friends, which cannot run in a transaction */
  readonly concurrently: boolean;
}

const RELATIONS = `SELECT c.oid::int AS oid, n.nspname || '.' || c.relname AS name, c.relfilenode::int AS filenode, c.relkind::text AS kind
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'i', 'm', 'S', 'v', 'I') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

/** Relation locks this session holds and the relfilenode of the given relations, in one round trip. */
const PROBE = `SELECT
  (SELECT coalesce(json_agg(json_build_object('oid', oid::int, 'filenode', relfilenode::int)), '[]') FROM pg_class WHERE oid = ANY ($1::oid[])) AS nodes,
  (SELECT coalesce(json_agg(json_build_object('oid', relation::int, 'mode', mode)), '[]') FROM pg_locks
     WHERE locktype = 'relation' AND pid = pg_backend_pid() AND granted) AS locks`;

interface Probe {
  readonly filenodes: Map<number, number>;
  readonly locks: Set<string>;
}

/** Per table, the NOT NULL columns a made-up row must fill, and what each may be filled with. */
const FILL_COLUMNS = `SELECT n.nspname || '.' || c.relname AS tbl, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qtbl,
    quote_ident(a.attname) AS col, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory::text AS cat,
    (SELECT quote_literal(e.enumlabel) FROM pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder LIMIT 1) AS label,
    (SELECT format('(SELECT %I FROM %I.%I LIMIT 1)', fa.attname, fn.nspname, fc.relname)
       FROM pg_constraint f JOIN pg_class fc ON fc.oid = f.confrelid JOIN pg_namespace fn ON fn.oid = fc.relnamespace
       JOIN pg_attribute fa ON fa.attrelid = f.confrelid
       AND fa.attnum = f.confkey[array_position(f.conkey, a.attnum)]
       WHERE f.conrelid = c.oid AND f.contype = 'f' AND a.attnum = ANY (f.conkey) LIMIT 1) AS ref
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    AND ((a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = '')
         OR EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = c.oid AND f.contype = 'f' AND a.attnum = ANY (f.conkey)))
  ORDER BY c.oid, a.attnum`;

// whether each table holds a row, in the same round trip (query_to_xml runs the per-table query)
const TABLES = `SELECT n.nspname || '.' || c.relname AS tbl, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qtbl,
    (xpath('/row/e/text()', query_to_xml(format('SELECT EXISTS (SELECT 1 FROM %I.%I) AS e', n.nspname, c.relname), false, true, '')))[1]::text = 'true' AS has_row
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  ORDER BY c.oid`;

/** A literal of the type's category that satisfies most columns (null: none known). */
function valueFor(col: { type: string; cat: string; label: string | null; ref: string | null }): string | null {
  if (col.ref !== null) return col.ref;
  if (col.label !== null) return col.label;
  const cast = (v: string) => `${v}::${col.type}`;
  switch (col.cat) {
    case "N": return cast("1");
    case "S": return cast("'x'");
    case "B": return cast("true");
    case "D": return cast("now()");
    case "T": return cast("'1 day'");
    case "A": return cast("'{}'");
    case "U":
      if (col.type === "uuid") return "gen_random_uuid()";
      if (col.type === "json" || col.type === "jsonb") return cast("'{}'");
      return null;
    default: return null;
  }
}

/** Give every empty user table one row; returns the rows to remove afterwards and the tables left empty. */
async function fillTables(engine: Engine, skip: ReadonlySet<string>): Promise<{ added: { qtbl: string; ctid: string }[]; empty: string[] }> {
  const tables = (await engine.query<{ tbl: string; qtbl: string; has_row: boolean }>(TABLES)).filter((t) => !skip.has(t.tbl));
  let pending = tables.filter((t) => !t.has_row);
  const added: { qtbl: string; ctid: string }[] = [];
  if (pending.length === 0) return { added, empty: [] };
  const columns = await engine.query<{ tbl: string; col: string; type: string; cat: string; label: string | null; ref: string | null }>(FILL_COLUMNS);
  // a table referencing another empty one can only get its row once that one has its row: a few passes
  for (let pass = 0; pass < 4 && pending.length > 0; pass++) {
    const failed: typeof pending = [];
    for (const t of pending) {
      const cols = columns.filter((c) => c.tbl === t.tbl);
      const values = cols.map(valueFor);
      const sql = cols.length === 0
        ? `INSERT INTO ${t.qtbl} DEFAULT VALUES RETURNING ctid::text AS ctid`
        : `INSERT INTO ${t.qtbl} (${cols.map((c) => c.col).join(", ")}) VALUES (${values.map((v) => v ?? "NULL").join(", ")}) RETURNING ctid::text AS ctid`;
      try {
        const rows = await engine.query<{ ctid: string }>(sql);
        added.push({ qtbl: t.qtbl, ctid: rows[0]!.ctid });
      } catch {
        failed.push(t);
      }
    }
    if (failed.length === pending.length) break;
    pending = failed;
  }
  return { added, empty: pending.map((t) => t.tbl) };
}

/** Run `statements` in a transaction on `engine` (at the revision's parent) and record what each did; the database is left as it was. */
export async function measureStatements(
  engine: Engine,
  statements: readonly MeasuredStatement[],
  options: { readonly skipTables?: ReadonlySet<string> } = {},
): Promise<RevisionMeasurement> {
  // user triggers must not fire for the made-up rows (their side effects would outlive the measurement)
  await engine.execute("SET session_replication_role = replica");
  const { added, empty } = await fillTables(engine, options.skipTables ?? new Set()).finally(() => engine.execute("RESET session_replication_role"));
  const results: StatementMeasurement[] = [];
  try {
    const relations = await engine.query<{ oid: number; name: string; filenode: number; kind: string }>(RELATIONS);
    const byOid = new Map(relations.map((r) => [r.oid, r]));
    const oids = relations.map((r) => r.oid);
    const probe = async (): Promise<Probe> => {
      const row = (await engine.query<{ nodes: unknown; locks: unknown }>(PROBE, [oids]))[0]!;
      const parse = <T>(v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as T;
      const nodes = parse<{ oid: number; filenode: number }[]>(row.nodes);
      const locks = parse<{ oid: number; mode: string }[]>(row.locks);
      return { filenodes: new Map(nodes.map((r) => [r.oid, r.filenode])), locks: new Set(locks.filter((l) => byOid.has(l.oid)).map((l) => `${l.oid} ${l.mode}`)) };
    };
    await engine.execute("BEGIN");
    try {
      let before = await probe();
      for (const statement of statements) {
        const { result, after } = await measureOne(engine, statement, { byOid, before, probe });
        results.push(result);
        before = after;
      }
    } finally {
      await engine.execute("ROLLBACK");
    }
  } finally {
    if (added.length > 0) {
      await engine.execute("SET session_replication_role = replica");
      for (const row of added.reverse()) await engine.execute(`DELETE FROM ${row.qtbl} WHERE ctid = '${row.ctid}'`).catch(() => {});
      await engine.execute("RESET session_replication_role");
    }
  }
  return { statements: results, emptyTables: empty };
}

async function measureOne(
  engine: Engine,
  statement: MeasuredStatement,
  ctx: { byOid: ReadonlyMap<number, { name: string; kind: string }>; before: Probe; probe: () => Promise<Probe> },
): Promise<{ result: StatementMeasurement; after: Probe }> {
  const { before } = ctx;
  if (statement.kind === null) return { result: { locks: [], rewrites: [], notMeasured: "it does not parse" }, after: before };
  if (statement.kind === "TransactionStmt") return { result: { locks: [], rewrites: [], notMeasured: "transaction control is not run by the measurement" }, after: before };
  // CONCURRENTLY cannot run inside the measuring transaction: its plain form runs instead, so later statements see its effect
  const sql = statement.concurrently ? statement.sql.replace(/\bconcurrently\b/i, "") : statement.sql;
  let error: string | undefined;
  try {
    // one round trip: a failure aborts the rest, and the savepoint is rolled back below
    await engine.execute(`SAVEPOINT retort_lint;\n${sql}\n;\nRELEASE SAVEPOINT retort_lint`);
  } catch (e) {
    error = e instanceof Error ? e.message.replace(/\s+/g, " ") : String(e);
    await engine.execute("ROLLBACK TO SAVEPOINT retort_lint; RELEASE SAVEPOINT retort_lint");
  }
  const after = await ctx.probe();
  if (statement.concurrently) {
    return { result: { locks: [], rewrites: [], notMeasured: "CONCURRENTLY cannot run inside a transaction, so its locks were not measured", ...(error ? { error } : {}) }, after };
  }
  if (error !== undefined) return { result: { locks: [], rewrites: [], error }, after };
  const locks: { relation: string; mode: string }[] = [];
  for (const key of after.locks) {
    if (before.locks.has(key)) continue;
    const [oid, mode] = key.split(" ") as [string, string];
    locks.push({ relation: ctx.byOid.get(Number(oid))!.name, mode });
  }
  const rewrites: string[] = [];
  for (const [oid, node] of after.filenodes) {
    const rel = ctx.byOid.get(oid);
    if (rel && rel.kind !== "S" && node !== 0 && before.filenodes.get(oid) !== node) rewrites.push(rel.name);
  }
  locks.sort((a, b) => (a.relation === b.relation ? a.mode.localeCompare(b.mode) : a.relation < b.relation ? -1 : 1));
  rewrites.sort();
  return { result: { locks, rewrites }, after };
}
