/**
 * The three sides autogenerate compares, each read into a model: the
 * revision history replayed in a scratch PGlite ("head"), the declarative
 * schema loaded into another scratch PGlite ("declared"), and a live
 * database. Scratch databases are closed before these return.
 */
import { readFileSync } from "node:fs";
import { RevisionGraph } from "../core/graph.ts";
import { planUpgrade } from "../core/plan.ts";
import type { Engine, EngineOptions } from "../drivers/engine.ts";
import { openEngine } from "../drivers/open.ts";
import { UsageError } from "../errors.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { migrate } from "../runtime/migrate.ts";
import { readHeads, versionTableName } from "../runtime/version-table.ts";
import { introspect } from "./introspect.ts";
import { reconcile } from "./reconcile.ts";
import type { SchemaModel } from "./model.ts";
import { extensionsIn, openScratch } from "./scratch.ts";
import { loadSchemaFiles, type SchemaFile } from "./schema-source.ts";

/** Milliseconds spent per phase, for -v output and the benchmark. */
export type Timings = Record<string, number>;

/** Names the version table; it is never part of a model. */
export interface VersionTableOptions {
  readonly versionTable?: string | undefined;
  readonly versionTableSchema?: string | null | undefined;
  /** the history table beside it (history_table / --history-table), also left out */
  readonly historyTable?: string | undefined;
}

/** Run `fn` and add its wall time to `timings[name]`. */
export async function timed<T>(timings: Timings, name: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    timings[name] = (timings[name] ?? 0) + (performance.now() - started);
  }
}

/** The SQL texts revisions run, for spotting CREATE EXTENSION (TypeScript revisions are read from disk when they can be). */
export function revisionTexts(revisions: readonly LoadedRevision[]): string[] {
  const texts: string[] = [];
  for (const rev of revisions) {
    if (rev.upgrade.kind === "sql") texts.push(rev.upgrade.sql);
    else {
      try {
        texts.push(readFileSync(rev.path, "utf8"));
      } catch {
        // embedded TypeScript revisions have no file; they cannot ask for an extension PGlite would not load anyway
      }
    }
  }
  return texts;
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

/** Replay every revision up to `targets` (default: all heads) in a fresh scratch database and read its schema. */
export async function replayedSide(
  revisions: readonly LoadedRevision[],
  options: { readonly targets?: readonly string[]; readonly extensions?: readonly string[]; readonly timings?: Timings },
): Promise<ScratchSide> {
  const timings = options.timings ?? {};
  const graph = RevisionGraph.build(revisions);
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

/** Load the declarative schema into a fresh scratch database and read it back. */
export async function declaredSide(
  files: readonly SchemaFile[],
  options: { readonly extensions?: readonly string[]; readonly timings?: Timings } = {},
): Promise<ScratchSide> {
  const timings = options.timings ?? {};
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
