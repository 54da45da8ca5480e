/**
 * A lint run over a list of revisions: each is linted against the database
 * at its parent (catalog read, statements measured), then applied, so the
 * next revision of the same line reuses the database instead of replaying
 * its history again. A branch switch reopens one at the right revision.
 */
import { readFileSync } from "node:fs";
import type { RevisionGraph } from "../core/graph.ts";
import { planUpgrade } from "../core/plan.ts";
import type { LintLevel } from "../config/config.ts";
import type { Engine } from "../drivers/engine.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { EMPTY_CATALOG, existingAtStart, readCatalog, type Catalog } from "./catalog.ts";
import { measureStatements, type RevisionMeasurement } from "./measure.ts";
import { openAtHeads, openAtRevision, parentTargets, stateAt, stateBelow, upgradeTo } from "./parent-db.ts";
import { applyPolicy, readIgnores, type Finding, type Ignore } from "./policy.ts";
import { lintRevision } from "./rules.ts";
import { revisionStatements } from "./source.ts";
import { unwrap } from "./tree.ts";

/** One statement as `--json` reports it, with what was measured. */
export interface StatementReport {
  readonly revision: string;
  readonly file: string;
  readonly line: number;
  readonly sql: string;
  readonly locks: { relation: string; mode: string }[];
  readonly rewrites: string[];
  /** why it was not measured, or the error it ran into (text output only) */
  readonly note?: string;
}

/** The result of a run: findings, statements, the PostgreSQL major of the measuring PGlite, time per phase. */
export interface LintReport {
  readonly findings: Finding[];
  readonly statements: StatementReport[];
  readonly pgVersion: string;
  /** "catalog": every revision was decided with a given catalog (a live database's), nothing replayed or measured */
  readonly basis: "scratch" | "catalog";
  /** revisions in lint order, with tables left empty in their measurement */
  readonly revisions: { id: string; file: string; emptyTables: string[] }[];
  readonly timings: Record<string, number>;
}

/** What a run needs. */
export interface LintRunOptions {
  readonly revisions: readonly LoadedRevision[];
  readonly graph: RevisionGraph;
  /** the ids to lint (any order: they are linted parents first) */
  readonly ids: readonly string[];
  readonly levels?: Readonly<Record<string, LintLevel>>;
  /** revision path → file text, for revisions that are not on disk (embedded) */
  readonly texts?: ReadonlyMap<string, string>;
  /** false: decide with the parent's catalog only, without running the statements */
  readonly measure?: boolean;
  /** lint every revision against this catalog and open no scratch database (upgrade's pre-flight: the live database before the run) */
  readonly catalog?: Catalog;
  /**
   * the heads of the database the run starts from (`lint` of a database's pending revisions): a relation
   * that is not in the database at these heads was created by an earlier revision of this run, so it is
   * new, exempt from the lock rules and given no made-up row, as in upgrade's pre-flight (README "Lint")
   */
  readonly start?: readonly string[];
}

/** The version table the runner keeps in the scratch database (the default name): not part of the linted schema. */
const SCRATCH_VERSION_TABLE = { schema: "public", name: "alembic_version" };

/** Lint `ids` (see LintRunOptions); the scratch databases are closed before this returns. */
export async function runLint(options: LintRunOptions): Promise<LintReport> {
  const { graph } = options;
  const byId = new Map(options.revisions.map((r) => [r.id, r]));
  const wanted = new Set(options.ids);
  const order = planUpgrade(graph, [], "heads").map((s) => s.revision).filter((id) => wanted.has(id));
  const timings: Record<string, number> = { open: 0, apply: 0, parse: 0, catalog: 0, measure: 0, rules: 0 };
  const time = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      timings[phase] = (timings[phase] ?? 0) + performance.now() - t;
    }
  };
  const findings: Finding[] = [];
  const statements: StatementReport[] = [];
  const revisions: LintReport["revisions"] = [];
  let engine: Engine | null = null;
  let state = new Set<string>();
  let pgVersion = "";
  // the schema the run starts from, in the scratch database's own names; in a linear history the first
  // revision's parent is this same database, so it costs one catalog read
  let startCatalog: Catalog | undefined;
  try {
    if (options.start !== undefined && options.catalog === undefined && order.length > 0) {
      const heads = options.start;
      try {
        engine = await time("open", () => openAtHeads(options.revisions, graph, heads));
        state = stateAt(graph, heads);
        const e: Engine = engine;
        startCatalog = await time("catalog", () => readCatalog(e, SCRATCH_VERSION_TABLE));
      } catch {
        // the history below the run does not apply: each revision says so below, judged as without a start
        await engine?.close().catch(() => {});
        engine = null;
        state = new Set();
      }
    }
    for (const id of order) {
      const rev = byId.get(id)!;
      const needed = stateBelow(graph, id);
      // reuse the database when it holds a subset of what this revision stands on; otherwise start again
      let failure: string | undefined;
      if (options.catalog === undefined) try {
        if (engine === null || ![...state].every((s) => needed.has(s))) {
          await engine?.close();
          engine = null;
          engine = await time("open", () => openAtRevision(options.revisions, graph, id));
        } else if (needed.size > state.size) {
          const e: Engine = engine;
          await time("apply", async () => {
            for (const target of parentTargets(graph, id)) await upgradeTo(e, byId, graph, target);
          });
        }
        state = needed;
      } catch (error) {
        await engine?.close().catch(() => {});
        engine = null;
        state = new Set();
        failure = `a revision below it does not apply: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (pgVersion === "" && engine) pgVersion = String((await engine.query<{ v: string }>("SELECT current_setting('server_version') AS v"))[0]?.v ?? "");
      const text = options.texts?.get(rev.path) ?? readText(rev);
      const sql = await time("parse", () => revisionStatements(rev, text));
      const catalog = options.catalog ?? (engine ? await time("catalog", () => readCatalog(engine!, SCRATCH_VERSION_TABLE)) : undefined);
      // tables an earlier revision of the run created are as that revision left them: no made-up row
      const newInRun = catalog && startCatalog ? [...catalog.tables.keys()].filter((t) => !startCatalog!.tables.has(t)) : [];
      let measurement: RevisionMeasurement | undefined;
      if (engine && catalog && options.measure !== false) {
        const e: Engine = engine;
        measurement = await time("measure", () =>
          measureStatements(e, sql.statements.map((s) => {
            const kind = s.node ? unwrap(s.node).kind : null;
            const f = s.node ? unwrap(s.node).fields : {};
            return { sql: s.sql, kind, concurrently: Boolean(f.concurrent) };
          }), { skipTables: new Set([`${SCRATCH_VERSION_TABLE.schema}.${SCRATCH_VERSION_TABLE.name}`, ...newInRun]) }),
        );
      }
      const ruleStatements = sql.statements.map((s, i) => ({ ...s, ...(measurement ? { measured: measurement.statements[i]! } : {}) }));
      const raw = lintRevision({
        transactional: rev.transaction,
        hasDowngrade: rev.downgrade !== null,
        statements: ruleStatements,
        catalog: catalog === undefined ? EMPTY_CATALOG : startCatalog ? existingAtStart(catalog, startCatalog) : catalog,
        emptyTables: measurement?.emptyTables ?? [],
      });
      if (failure) raw.push({ rule: "revision-fails", statement: -1, line: 1, message: `not linted against its parent: ${failure}` });
      if (sql.renderError) raw.push({ rule: "unlintable-revision", statement: -1, line: 1, message: `its upgrade cannot be rendered offline, so it was not linted: ${sql.renderError}` });
      const statementIgnores = new Map<number, Ignore[]>();
      sql.statements.forEach((s, i) => {
        const ignores = readIgnores(s.leadingComments, "ignore", s.line - s.leadingComments.split("\n").length);
        if (ignores.length > 0) statementIgnores.set(i, ignores);
      });
      findings.push(...applyPolicy({ revision: id, file: rev.path, raw, statementIgnores, fileIgnores: readIgnores(sql.header, "ignore-file"), levels: options.levels ?? {} }));
      sql.statements.forEach((s, i) => {
        const m = measurement?.statements[i];
        const note = m?.notMeasured ?? m?.error;
        statements.push({ revision: id, file: rev.path, line: s.line, sql: s.sql, locks: m?.locks ?? [], rewrites: m?.rewrites ?? [], ...(note ? { note } : {}) });
      });
      revisions.push({ id, file: rev.path, emptyTables: measurement?.emptyTables ?? [] });
      // bring the database to this revision for the next one (a failure here is a finding, and the next one starts afresh)
      if (engine) {
        const e: Engine = engine;
        const syntaxError = raw.some((f) => f.rule === "syntax-error");
        try {
          await time("apply", () => upgradeTo(e, byId, graph, id));
          state = new Set([...state, id]);
        } catch (error) {
          // a syntax error was already reported; that the revision then fails says nothing new
          if (!syntaxError) findings.push(...applyPolicy({ revision: id, file: rev.path, raw: [{ rule: "revision-fails", statement: -1, line: 1, message: `its upgrade fails on the database at its parent: ${error instanceof Error ? error.message : String(error)}` }], statementIgnores: new Map(), fileIgnores: [], levels: options.levels ?? {} }));
          await e.close().catch(() => {});
          engine = null;
          state = new Set();
        }
      }
    }
  } finally {
    await engine?.close().catch(() => {});
  }
  return { findings, statements, pgVersion, basis: options.catalog === undefined ? "scratch" : "catalog", revisions, timings };
}

/** The file text (for `ignore-file`); an embedded SQL revision without its text falls back to its header block. */
function readText(rev: LoadedRevision): string {
  try {
    return readFileSync(rev.path, "utf8");
  } catch {
    return rev.format === "sql" ? `${rev.doc.split("\n").map((l) => `-- ${l}`).join("\n")}\n-- migrate:upgrade\n` : "";
  }
}

/**
 * Several reports as one, for printing once (a fleet's targets linted from
 * different heads): each revision once, in upgrade order, with its statements
 * from the first report that has it and the findings of all, each finding once.
 */
export function mergeLintReports(graph: RevisionGraph, reports: readonly LintReport[]): LintReport {
  const order = new Map(planUpgrade(graph, [], "heads").map((s, i) => [s.revision, i]));
  const revisions = new Map<string, LintReport["revisions"][number]>();
  const statements = new Map<string, StatementReport[]>();
  const findings = new Map<string, Finding>();
  const timings: Record<string, number> = {};
  for (const report of reports) {
    for (const rev of report.revisions) {
      if (revisions.has(rev.id)) continue;
      revisions.set(rev.id, rev);
      statements.set(rev.id, report.statements.filter((s) => s.revision === rev.id));
    }
    for (const f of report.findings) findings.set(JSON.stringify([f.revision, f.statement, f.line, f.rule, f.severity, f.message]), f);
    for (const [phase, ms] of Object.entries(report.timings)) timings[phase] = (timings[phase] ?? 0) + ms;
  }
  const sorted = [...revisions.values()].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const rank = new Map(sorted.map((r, i) => [r.id, i]));
  return {
    revisions: sorted,
    statements: sorted.flatMap((r) => statements.get(r.id) ?? []),
    findings: [...findings.values()].sort((a, b) => (rank.get(a.revision) ?? 0) - (rank.get(b.revision) ?? 0)),
    pgVersion: reports.find((r) => r.pgVersion !== "")?.pgVersion ?? "",
    basis: reports.every((r) => r.basis === "catalog") ? "catalog" : "scratch",
    timings,
  };
}
