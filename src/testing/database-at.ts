/**
 * `databaseAt(target)`: a real database at any revision for a test. By
 * default an in-process PGlite opened from the snapshot cache (every call an
 * independent database; the first call for a revision builds the snapshot,
 * later calls and later runs read it); with `{ url }` a clone of a template
 * database on that PostgreSQL server (see templates.ts).
 */
import { ancestors } from "../core/closure.ts";
import { planDowngrade, planUpgrade } from "../core/plan.ts";
import { resolveRevisions } from "../core/resolve.ts";
import type { Engine, Row } from "../drivers/engine.ts";
import { openEngine } from "../drivers/open.ts";
import { openCachedDatabase } from "../cache/at.ts";
import { migrate as runMigration } from "../runtime/migrate.ts";
import { readHeads, versionTableName } from "../runtime/version-table.ts";
import { loadProject, type Project, type ProjectOptions } from "./project.ts";
import { cloneAt, projectTag } from "./templates.ts";

/** Options of databaseAt: where the revisions are, and which engine. */
export interface DatabaseAtOptions extends ProjectOptions {
  /** a PostgreSQL server (any database on it, used for CREATE DATABASE): clone a template there instead of using PGlite */
  readonly url?: string;
}

/** A database at a revision, for one test. */
export interface TestDatabase {
  /** run one statement and return its rows as plain objects (README "Testing" lists the JavaScript types) */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** run SQL (several statements when there are no params), discarding results */
  execute(sql: string, params?: readonly unknown[]): Promise<void>;
  /** upgrade or downgrade to `target` (`+1`, `-1`, `head`, an id, `base`); returns the revisions it is at afterwards */
  migrate(target: string): Promise<string[]>;
  /** the revisions it is at now */
  heads(): Promise<string[]>;
  /** close it; a PostgreSQL clone is dropped, a PGlite database deleted */
  close(): Promise<void>;
  /** the clone's connection URL on PostgreSQL (for code under test that connects itself); undefined on PGlite */
  readonly url: string | undefined;
  /** the engine underneath, for retort's own commands (upgrade, introspection) */
  readonly engine: Engine;
}

/** A fresh database at `target` (`head`, `heads`, an id, a label, `base`). */
export async function databaseAt(target: string, options: DatabaseAtOptions = {}): Promise<TestDatabase> {
  const project = await loadProject(options);
  const heads = [...new Set(resolveRevisions(project.history.graph, target))].sort();
  if (options.url !== undefined) {
    const clone = await cloneAt(options.url, project.history, projectTag(project.dir), heads);
    try {
      const engine = await openEngine(clone.url, { applicationName: "retort testing" });
      return wrap(project, engine, clone.url, async () => {
        await engine.close();
        await clone.drop();
      });
    } catch (error) {
      await clone.drop().catch(() => {});
      throw error;
    }
  }
  const engine = await openCachedDatabase(project.store, project.history, heads);
  return wrap(project, engine, undefined, () => engine.close());
}

function wrap(project: Project, engine: Engine, url: string | undefined, close: () => Promise<void>): TestDatabase {
  const { history } = project;
  const table = versionTableName(history.versionTable, history.versionTableSchema);
  let closed: Promise<void> | undefined;
  return {
    engine,
    url,
    query: (sql, params) => engine.query(sql, params),
    execute: (sql, params) => engine.execute(sql, params),
    heads: () => readHeads(engine, table),
    async migrate(target) {
      const down = isDowngrade(project, target, await readHeads(engine, table));
      const result = await runMigration({
        url: engine.displayUrl,
        engine,
        revisions: history.revisions,
        versionTable: history.versionTable,
        versionTableSchema: history.versionTableSchema,
        plan: (current) => (down ? planDowngrade(history.graph, current, target) : planUpgrade(history.graph, current, target)),
        log: () => {},
        // test databases keep no history, like the templates they come from
        recordHistory: false,
      });
      return result.heads;
    },
    close() {
      closed ??= close();
      return closed;
    },
  };
}

/** `-N`, `base`, or a revision below the current heads means down; anything else up. */
function isDowngrade(project: Project, target: string, current: readonly string[]): boolean {
  const t = target.trim();
  if (/^-\d+$/.test(t) || /@-\d+$/.test(t) || t === "base") return true;
  if (/^\+\d+$/.test(t) || /@\+\d+$/.test(t)) return false;
  const { graph } = project.history;
  let ids: string[];
  try {
    ids = resolveRevisions(graph, t);
  } catch {
    return false; // let the upgrade planner report the bad target
  }
  if (ids.length === 0 || current.length === 0) return ids.length === 0 && current.length > 0;
  const below = ancestors(graph, current.map((id) => graph.mustIndex(id)));
  return ids.every((id) => below[graph.mustIndex(id)] === 1 && !current.includes(id));
}
