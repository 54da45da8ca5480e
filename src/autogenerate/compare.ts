/**
 * The three sides autogenerate compares, each read into a model: the
 * revision history replayed in a scratch PGlite ("head"), the declarative
 * schema loaded into another scratch PGlite ("declared"), and a live
 * database. Scratch databases are closed before these return.
 */
import { cacheHistory, snapshotAt } from "../cache/build.ts";
import { declaredSnapshot } from "../cache/declared.ts";
import { openSnapshot, snapshotCatalog, type Snapshot } from "../cache/entry.ts";
import type { CacheStore } from "../cache/store.ts";
import { RevisionGraph } from "../core/graph.ts";
import { planUpgrade } from "../core/plan.ts";
import { resolveRevisions } from "../core/resolve.ts";
import type { Engine, EngineOptions, Row } from "../drivers/engine.ts";
import { openEngine } from "../drivers/open.ts";
import { UsageError } from "../errors.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { migrate } from "../runtime/migrate.ts";
import { readHeads, versionTableName } from "../runtime/version-table.ts";
import { introspect, modelFromCatalog, type IntrospectOptions } from "./introspect.ts";
import { reconcile } from "./reconcile.ts";
import type { SchemaModel } from "./model.ts";
import { openScratch } from "./scratch.ts";
import type { VersionTableOptions } from "../runtime/version-table.ts";
export type { VersionTableOptions } from "../runtime/version-table.ts";
import { extensionsIn, revisionTexts } from "../drivers/pglite-extensions.ts";
import { loadSchemaFiles, type SchemaFile } from "./schema-source.ts";

/** Milliseconds spent per phase, for -v output and the benchmark. */
export type Timings = Record<string, number>;


/** Run `fn` and add its wall time to `timings[name]`. */
export async function timed<T>(timings: Timings, name: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    timings[name] = (timings[name] ?? 0) + (performance.now() - started);
  }
}


/** A model read from a scratch database that is still open, so other models can be reconciled against it. */
export interface ScratchSide {
  readonly model: SchemaModel;
  /** `other` with every definition that means the same as this side's taking this side's text */
  reconcile(other: SchemaModel): Promise<SchemaModel>;
  close(): Promise<void>;
}

function scratchSide(engine: Engine, model: SchemaModel, timings: Timings): ScratchSide {
  return {
    model,
    reconcile: (other) => timed(timings, "reconcile", () => reconcile(other, model, engine)),
    close: () => engine.close(),
  };
}

/**
 * A side read from a cached database: the model comes from the entry's
 * catalog, and the database itself is opened only if reconciling needs it.
 */
async function cachedSide(store: CacheStore, snapshot: Snapshot, extensions: readonly string[], catalog: IntrospectOptions, timings: Timings, name: string): Promise<ScratchSide> {
  let opened: Promise<Engine> | undefined;
  const open = () => (opened ??= timed(timings, "cacheOpen", () => openSnapshot(snapshot, `pglite:memory (${name})`, extensions)));
  const text = await timed(timings, `introspect${name[0]!.toUpperCase()}${name.slice(1)}`, () => snapshotCatalog(store, snapshot, catalog, open));
  const model = modelFromCatalog(text);
  return {
    model,
    reconcile: (other) => timed(timings, "reconcile", () => reconcile(other, model, lazyEngine(open))),
    close: async () => {
      if (opened !== undefined) await (await opened).close();
    },
  };
}

/** An engine that opens on its first use (reconcile needs one only when definitions differ in text). */
function lazyEngine(open: () => Promise<Engine>): Engine {
  return {
    kind: "pglite",
    displayUrl: "pglite:memory (cached)",
    execute: async (sql, params) => (await open()).execute(sql, params),
    query: async <T extends Row = Row>(sql: string, params?: readonly unknown[]) => (await open()).query<T>(sql, params),
    tryAdvisoryLock: async (key, timeoutMs) => (await open()).tryAdvisoryLock(key, timeoutMs),
    advisoryUnlock: async (key) => (await open()).advisoryUnlock(key),
    cancel: async () => (await open()).cancel(),
    close: async () => (await open()).close(),
  };
}

/**
 * The revision history at `targets` (default: all heads) and its schema:
 * from the snapshot cache when one is given (built on a miss from the
 * nearest cached ancestor), else replayed in a fresh scratch database.
 */
export async function replayedSide(
  revisions: readonly LoadedRevision[],
  options: VersionTableOptions & {
    readonly targets?: readonly string[];
    readonly extensions?: readonly string[];
    readonly timings?: Timings;
    readonly cache?: CacheStore | undefined;
    /** progress lines (a cache miss says what it builds from) */
    readonly debug?: ((line: string) => void) | undefined;
  },
): Promise<ScratchSide> {
  const timings = options.timings ?? {};
  const graph = RevisionGraph.build(revisions);
  if (options.cache !== undefined) {
    const table = { versionTable: options.versionTable, versionTableSchema: options.versionTableSchema };
    const history = cacheHistory(graph, revisions, table);
    const targets = options.targets ?? (graph.heads.length > 0 ? ["heads"] : []);
    const heads = [...new Set(targets.flatMap((t) => resolveRevisions(graph, t)))];
    if (heads.length > 0) {
      const cache = options.cache;
      const snapshot = await timed(timings, "cache", () => snapshotAt(cache, history, heads, options.debug));
      return cachedSide(cache, snapshot, options.extensions ?? [], table, timings, "head");
    }
  }
  const byId = new Map(revisions.map((r) => [r.id, r]));
  const engine = await timed(timings, "scratchStart", () => openScratch(options.extensions ?? extensionsIn(revisionTexts(revisions))));
  try {
    await timed(timings, "replay", async () => {
      const targets = options.targets ?? (graph.heads.length > 0 ? ["heads"] : []);
      for (const target of targets) {
        // a scratch database keeps no history: it would only be left out of the comparison again
        await migrate({ url: "pglite:memory", engine, revisions: byId, plan: (current) => planUpgrade(graph, current, target), log: () => {}, recordHistory: false });
      }
    });
    return scratchSide(engine, await timed(timings, "introspectHead", () => introspect(engine)), timings);
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/** The declarative schema loaded into a database (from the snapshot cache when one is given) and read back. */
export async function declaredSide(
  files: readonly SchemaFile[],
  options: { readonly extensions?: readonly string[]; readonly timings?: Timings; readonly cache?: CacheStore | undefined; readonly label?: string; readonly debug?: ((line: string) => void) | undefined } = {},
): Promise<ScratchSide> {
  const timings = options.timings ?? {};
  if (options.cache !== undefined) {
    const cache = options.cache;
    const extensions = options.extensions ?? extensionsIn(files.map((f) => f.text));
    const snapshot = await timed(timings, "cache", () => declaredSnapshot(cache, files, extensions, options.label ?? "declared schema", options.debug));
    return cachedSide(cache, snapshot, extensions, {}, timings, "declared");
  }
  const engine = await timed(timings, "scratchStart", () => openScratch(options.extensions ?? extensionsIn(files.map((f) => f.text))));
  try {
    await timed(timings, "loadSchema", () => loadSchemaFiles(engine, files));
    return scratchSide(engine, await timed(timings, "introspectDeclared", () => introspect(engine)), timings);
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/** A live database's schema and its current heads; opens `url` unless an engine is given. */
export async function liveModel(
  url: string,
  options: VersionTableOptions & { readonly engine?: Engine; readonly engineOptions?: EngineOptions; readonly timings?: Timings },
): Promise<{ model: SchemaModel; heads: string[]; displayUrl: string }> {
  const timings = options.timings ?? {};
  const engine = options.engine ?? (await timed(timings, "connect", () => openEngine(url, { ...options.engineOptions, create: false })));
  try {
    const heads = await readHeads(engine, versionTableName(options.versionTable, options.versionTableSchema));
    const model = await timed(timings, "introspectLive", () =>
      introspect(engine, { versionTable: options.versionTable, versionTableSchema: options.versionTableSchema, historyTable: options.historyTable }),
    );
    return { model, heads, displayUrl: engine.displayUrl };
  } finally {
    if (options.engine === undefined) await engine.close();
  }
}

/** Alembic's rule for --against: the live database must be at the head revision(s). */
export function requireAtHeads(revisions: readonly LoadedRevision[], heads: readonly string[], displayUrl: string): void {
  const graph = RevisionGraph.build(revisions);
  const expected = [...graph.heads].sort();
  const actual = [...heads].sort();
  if (expected.join(",") !== actual.join(",")) {
    const at = actual.length > 0 ? actual.join(", ") : "base (no version rows)";
    throw new UsageError(`Target database is not up to date: ${displayUrl} is at ${at}, head is ${expected.join(", ") || "base"}; run 'retort upgrade heads' first`);
  }
}
