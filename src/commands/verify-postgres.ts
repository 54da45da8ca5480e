/**
 * `verify --url`: an empty real database verify moves around in. Moving to a
 * set of revisions empties it and replays up to them; closing empties it
 * again, giving the public schema back its owner and grants, so the database
 * ends as it was found. A database that holds anything is refused untouched.
 */
import type { CacheHistory } from "../cache/build.ts";
import { planUpgrade } from "../core/plan.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { parseDatabaseUrl } from "../config/url.ts";
import { openEngine } from "../drivers/open.ts";
import { UsageError } from "../errors.ts";
import { quoteIdent } from "../ops/quote.ts";
import { migrate } from "../runtime/migrate.ts";

/** A database verify can move to any set of applied revisions. */
export interface Workspace {
  readonly engine: Engine;
  moveTo(heads: readonly string[]): Promise<void>;
  checkpoint(id: string, catalog: string): Promise<void>;
  close(): Promise<void>;
}

/** An empty real database verify may use: moving means emptying it and replaying; closing empties it again. */
export class PostgresWorkspace implements Workspace {
  private constructor(
    readonly engine: Engine,
    private readonly history: CacheHistory,
    /** how public was found (null: there was none), to give it back the same owner and grants */
    private readonly publicSchema: { owner: string; grants: { grantee: string; privilege: string }[] } | null,
  ) {}

  static async open(url: string, history: CacheHistory, engineOptions?: EngineOptions): Promise<PostgresWorkspace> {
    // a new pglite:<dir> is an empty database; a PostgreSQL database must exist (createdb)
    const engine = await openEngine(url, { ...engineOptions, create: parseDatabaseUrl(url).kind === "pglite" });
    try {
      const held = await userObjects(engine);
      if (held.names.length > 0) {
        const more = held.total - held.names.length;
        throw new UsageError(
          `verify needs an empty database, and ${engine.displayUrl} holds ${held.names.join(", ")}${more > 0 ? ` and ${more} more` : ""}; create an empty one (createdb) and pass its URL`,
        );
      }
    } catch (error) {
      await engine.close();
      throw error;
    }
    const [owner] = await engine.query<{ owner: string }>("SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'public'");
    const grants = await engine.query<{ grantee: string; privilege: string }>(
      `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee, a.privilege_type AS privilege
         FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND a.grantee <> n.nspowner`,
    );
    return new PostgresWorkspace(engine, history, owner ? { owner: owner.owner, grants } : null);
  }

  async moveTo(heads: readonly string[]): Promise<void> {
    await this.empty();
    for (const head of heads) {
      await migrate({
        url: this.engine.displayUrl,
        engine: this.engine,
        revisions: this.history.revisions,
        versionTable: this.history.versionTable,
        versionTableSchema: this.history.versionTableSchema,
        plan: (current) => planUpgrade(this.history.graph, current, head),
        log: () => {},
        // a scratch database keeps no history (README "History table")
        recordHistory: false,
      });
    }
  }

  async checkpoint(): Promise<void> {}

  /** Drop every schema verify's revisions made (the database was empty to begin with) and give back an empty public. */
  private async empty(): Promise<void> {
    const schemas = await this.engine.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'",
    );
    for (const { nspname } of schemas) await this.engine.execute(`DROP SCHEMA ${quoteIdent(nspname)} CASCADE`);
    if (this.publicSchema !== null) {
      // regrole text is already quoted where it needs to be
      await this.engine.execute(`CREATE SCHEMA public AUTHORIZATION ${this.publicSchema.owner}`);
      for (const g of this.publicSchema.grants) await this.engine.execute(`GRANT ${g.privilege} ON SCHEMA public TO ${g.grantee}`);
    }
    for (const { extname } of await this.engine.query<{ extname: string }>("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'")) {
      await this.engine.execute(`DROP EXTENSION IF EXISTS ${quoteIdent(extname)} CASCADE`);
    }
  }

  async close(): Promise<void> {
    try {
      await this.empty();
    } finally {
      await this.engine.close();
    }
  }
}

/** What a database holds besides PostgreSQL's own objects and an empty public schema: the first few names (in name order) and how many there are in all. */
async function userObjects(engine: Engine): Promise<{ names: string[]; total: number }> {
  const rows = await engine.query<{ what: string; total: number }>(`
    SELECT what, (count(*) OVER ())::int AS total FROM (
    SELECT 'relation ' || n.nspname || '.' || c.relname AS what FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
    UNION ALL
    SELECT 'function ' || n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
    UNION ALL
    SELECT 'type ' || n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' AND t.typrelid = 0 AND t.typelem = 0
    UNION ALL
    SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT IN ('public', 'pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
    UNION ALL
    SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
    ) held
    ORDER BY what COLLATE "C"
    LIMIT 5`);
  return { names: rows.map((r) => r.what), total: Number(rows[0]?.total ?? 0) };
}
