/**
 * databaseAt on real PostgreSQL: one template database per snapshot key,
 * built once (under an advisory lock, so concurrent callers never collide)
 * and kept across runs while the key is unchanged; every call clones it with
 * CREATE DATABASE … TEMPLATE. Templates of this project whose key no longer
 * belongs to any revision are dropped when a new one is built.
 */
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { processAlive } from "../embedded/unpack.ts";
import type { Engine } from "../drivers/engine.ts";
import { openEngine } from "../drivers/open.ts";
import { LockTimeoutError } from "../errors.ts";
import { quoteIdent, quoteLiteral } from "../ops/quote.ts";
import { planUpgrade } from "../core/plan.ts";
import { migrate } from "../runtime/migrate.ts";
import { keyAt, type CacheHistory } from "../cache/build.ts";

const PREFIX = "retort_tpl_";
const CLONE_PREFIX = "retort_db_";
/** One lock for every template operation on a server: builds are rare, clones short. */
const LOCK_KEY = createHash("sha256").update("retort:templates").digest().readBigInt64BE(0);
const LOCK_TIMEOUT_MS = 120_000;

/** The short tag that keeps projects on one server apart (from the revision directory's path). */
export function projectTag(dir: string): string {
  return createHash("sha256").update(dir).digest("hex").slice(0, 8);
}

/** The template database's name for a key. */
export function templateName(tag: string, key: string): string {
  return `${PREFIX}${tag}_${key.slice(0, 20)}`;
}

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** A clone of the template at `heads`: its URL and the admin URL that drops it. */
export interface Clone {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Clone the template for `heads` (building it first if needed) into a new database. */
export async function cloneAt(adminUrl: string, history: CacheHistory, tag: string, heads: readonly string[]): Promise<Clone> {
  const key = keyAt(history, heads);
  const template = templateName(tag, key);
  const name = `${CLONE_PREFIX}${tag}_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = await openEngine(adminUrl, { applicationName: "retort testing" });
  try {
    if (!(await admin.tryAdvisoryLock(LOCK_KEY, LOCK_TIMEOUT_MS))) throw new LockTimeoutError(`databaseAt: another process held retort's template lock on ${admin.displayUrl} for over ${LOCK_TIMEOUT_MS / 1000} s`);
    try {
      if (!(await exists(admin, template))) {
        await buildTemplate(admin, adminUrl, history, heads, template, tag);
        await dropStale(admin, history, tag, template);
      }
      await sweepOrphans(admin, tag);
      await admin.execute(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
      // who made it: a clone whose process is gone (killed before close()) is dropped by the next caller on this host
      await admin.execute(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(owner())}`);
    } finally {
      await admin.advisoryUnlock(LOCK_KEY).catch(() => {});
    }
  } finally {
    await admin.close();
  }
  return { name, url: withDatabase(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

const owner = () => `retort databaseAt pid ${process.pid} on ${hostname()}`;

/** Drop this project's clones left by processes on this host that no longer run. */
async function sweepOrphans(admin: Engine, tag: string): Promise<void> {
  const rows = await admin.query<{ datname: string; note: string | null }>(
    "SELECT datname, pg_catalog.shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname LIKE $1",
    [`${CLONE_PREFIX}${tag}\\_%`],
  );
  for (const { datname, note } of rows) {
    const match = /^retort databaseAt pid (\d+) on (.*)$/.exec(note ?? "");
    if (match && match[2] === hostname() && !processAlive(Number(match[1]))) {
      await admin.execute(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
  }
}

async function exists(admin: Engine, name: string): Promise<boolean> {
  const rows = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  return rows.length > 0;
}

/** Build under a temporary name, then rename: a template is complete or absent. */
async function buildTemplate(admin: Engine, adminUrl: string, history: CacheHistory, heads: readonly string[], template: string, tag: string): Promise<void> {
  // under the lock, a half-built template can only be a dead process's
  for (const row of await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${PREFIX}${tag}\\_%\\_building`])) {
    await admin.execute(`DROP DATABASE IF EXISTS ${quoteIdent(row.datname)} WITH (FORCE)`);
  }
  const building = `${template}_building`;
  await admin.execute(`CREATE DATABASE ${quoteIdent(building)}`);
  try {
    const engine = await openEngine(withDatabase(adminUrl, building), { applicationName: "retort testing" });
    try {
      for (const head of heads) {
        await migrate({
          url: withDatabase(adminUrl, building),
          engine,
          revisions: history.revisions,
          versionTable: history.versionTable,
          versionTableSchema: history.versionTableSchema,
          plan: (current) => planUpgrade(history.graph, current, head),
          log: () => {},
          // a scratch database keeps no history (README "History table")
          recordHistory: false,
        });
      }
    } finally {
      await engine.close();
    }
    await admin.execute(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(template)}`);
  } catch (error) {
    await admin.execute(`DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`).catch(() => {});
    throw error;
  }
}

/** Drop this project's templates whose key no longer belongs to any revision (nor to `keep`). */
async function dropStale(admin: Engine, history: CacheHistory, tag: string, keep: string): Promise<void> {
  const live = new Set([keep, ...history.graph.revisions.map((r) => templateName(tag, keyAt(history, [r.id]))), templateName(tag, keyAt(history, [...history.graph.heads]))]);
  const rows = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${PREFIX}${tag}\\_%`]);
  for (const { datname } of rows) {
    if (!live.has(datname)) await admin.execute(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = await openEngine(adminUrl, { applicationName: "retort testing" });
  try {
    await admin.execute(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await admin.close();
  }
}
