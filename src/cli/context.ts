/**
 * Everything a command needs from the outside world, resolved lazily and
 * once per run: config file, revision directory, loaded revisions, graph,
 * database URL, logger and output. Commands that need no database never
 * touch the URL; commands that need no revisions never read files.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { ConsolaInstance } from "consola/core";
import { loadConfig, lockTimeoutProblem, type FileConfig } from "../config/config.ts";
import { resolveDatabaseUrl } from "../config/url.ts";
import { RevisionGraph } from "../core/graph.ts";
import { loadRevisionsFromDir } from "../revisions/source.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import type { MigrationCommandOptions } from "../commands/shared-db.ts";
import type { GlobalOptions } from "./argv.ts";
import type { Output } from "./output.ts";
import { ResolutionError, UsageError } from "../errors.ts";
import { splitList } from "../revisions/fields.ts";
import { compileFilter } from "../autogenerate/filter.ts";

/** --include and --exclude as citty hands them over (a repeated option arrives comma-joined). */
export interface ObjectFilterFlags {
  include?: string | undefined;
  exclude?: string | undefined;
}
import type { CacheStore } from "../cache/store.ts";
import { openCacheStore } from "../cache/location.ts";

/** Write (or clear, with null) the one live line on stderr, in place. */
function liveLine(text: string | null): void {
  process.stderr.write(text === null ? "\r\x1b[K" : `\r\x1b[K${text}`);
}

/** The default revision directory when neither --dir nor retort.toml names one. */
export const DEFAULT_REVISIONS_DIR = "migrations/versions";

/** Per-run state shared by all command definitions (handed to citty as `data`). */
export class CliContext {
  private configCache: FileConfig | undefined;
  private revisionsCache: Promise<readonly LoadedRevision[]> | undefined;
  private graphCache: Promise<RevisionGraph> | undefined;
  private urlCache: string | undefined;
  /** the embedded heads when the revisions came from the executable, else null (set once loaded) */
  private embeddedHeadsCache: readonly string[] | null = null;
  /** aborted by the CLI's SIGINT/SIGTERM handler (main.ts) for the commands that migrate */
  signal: AbortSignal | undefined;

  constructor(
    readonly globals: GlobalOptions,
    readonly log: ConsolaInstance,
    readonly output: Output,
    readonly cwd: string = process.cwd(),
  ) {}

  /** retort.toml (or the --config file), read once. */
  config(): FileConfig {
    this.configCache ??= loadConfig(this.globals.config ?? process.env.RETORT_CONFIG, this.cwd);
    return this.configCache;
  }

  /** The revision directory: --dir, else `dir` in retort.toml, else migrations/versions. */
  revisionsDir(): string {
    if (this.globals.dir !== undefined) return resolve(this.cwd, this.globals.dir);
    return this.config().dir ?? resolve(this.cwd, DEFAULT_REVISIONS_DIR);
  }

  /** Whether revisions come from a directory the user pointed at (vs. the default one). */
  revisionsDirIsExplicit(): boolean {
    return this.globals.dir !== undefined || this.config().dir !== undefined;
  }

  /** All revisions, in file-name order. */
  revisions(): Promise<readonly LoadedRevision[]> {
    this.revisionsCache ??= this.loadRevisions();
    return this.revisionsCache;
  }

  private async loadRevisions(): Promise<readonly LoadedRevision[]> {
    const dir = this.revisionsDir();
    if (!this.revisionsDirIsExplicit() && !existsSync(dir)) {
      const { embeddedRevisions, embeddedHeads } = await import("../embedded/revisions.ts");
      const embedded = await embeddedRevisions();
      if (embedded) {
        this.embeddedHeadsCache = (await embeddedHeads()) ?? [];
        this.log.info(
          `Using the ${embedded.length} revision(s) embedded in this executable (head ${this.embeddedHeadsCache.join(", ")}); ${dir} does not exist ('retort init' writes them out there)`,
        );
        return embedded;
      }
    }
    return loadRevisionsFromDir(dir, {
      onPythonFiles: (names) =>
        this.log.warn(
          `${dir} holds ${names.length} Python file(s) (${names.slice(0, 3).join(", ")}${names.length > 3 ? ", ..." : ""}) that retort does not load: Alembic revisions? Convert them with 'retort import-alembic', then remove them`,
        ),
    });
  }

  /**
   * A new revision file needs its parents on disk: with the embedded revisions
   * a file written to the (missing) revision directory would stand alone, and
   * every later command would stop using the embedded ones and fail.
   */
  async requireRevisionsOnDisk(command: string): Promise<void> {
    await this.revisions();
    if (this.embeddedHeadsCache === null) return;
    throw new UsageError(
      `${command} would write into ${this.revisionsDir()}, which does not exist: the revisions so far are embedded in this executable. Run 'retort init' first (it writes them out there), then '${command}' again`,
    );
  }

  /** The heads of the embedded revisions when this run uses them (after revisions() resolved), else null. */
  usingEmbedded(): readonly string[] | null {
    return this.embeddedHeadsCache;
  }

  /**
   * A revision the database is at but no file defines, on a run that uses the
   * embedded revisions, most likely comes from a newer release: say so before
   * the generic advice.
   */
  explain(error: unknown): unknown {
    const heads = this.embeddedHeadsCache;
    if (heads === null || !(error instanceof ResolutionError) || !/version table|Can't locate/.test(error.message)) return error;
    return new ResolutionError(
      `${error.message}. This executable embeds revisions up to ${heads.join(", ")}: the database may have been migrated by a newer release; use that release (or its revision files with --dir) before considering 'stamp --purge'`,
      error.identifier,
      error.candidates,
    );
  }

  /** The validated revision graph. */
  graph(): Promise<RevisionGraph> {
    this.graphCache ??= this.revisions().then((revisions) => RevisionGraph.build(revisions));
    return this.graphCache;
  }

  /** Revisions by id, for commands that run or show them. */
  async revisionMap(): Promise<ReadonlyMap<string, LoadedRevision>> {
    return new Map((await this.revisions()).map((r) => [r.id, r]));
  }

  /** The database URL in the README's resolution order; the embedded default is announced once on stderr. */
  databaseUrl(): string {
    this.urlCache ??= resolveDatabaseUrl({ flag: this.globals.url, configUrl: this.config().url }, (line) =>
      this.log.info(line),
    ).url;
    return this.urlCache;
  }

  /** Version table name and schema: global options, then retort.toml. */
  versionTable(): { versionTable: string | undefined; versionTableSchema: string | undefined } {
    return {
      versionTable: this.globals.versionTable ?? this.config().versionTable,
      versionTableSchema: this.globals.versionTableSchema ?? this.config().versionTableSchema,
    };
  }

  /** The history table name: --history-table, then retort.toml (undefined: retort_history). */
  historyTable(): string | undefined {
    return this.globals.historyTable ?? this.config().historyTable;
  }

  /** Seconds to wait for a lock: --lock-timeout (checked here, exit 2), else `lock_timeout` in retort.toml (checked when read); undefined: the default. */
  lockTimeoutSeconds(flag: string | undefined): number | undefined {
    const seconds = flag === undefined ? undefined : flag.trim() === "" ? NaN : Number(flag);
    const problem = seconds === undefined ? undefined : lockTimeoutProblem(seconds);
    if (problem !== undefined) throw new UsageError(`--lock-timeout ${problem}, got '${flag}'`);
    return seconds ?? this.config().lockTimeout;
  }

  /** How a command opens its database: a pglite:<dir>'s lock waited for as long as --lock-timeout says (src/cli/defs/shared.ts lockTimeoutArgs), the "Waiting …" line on stderr. */
  engineReadOptions(flags: { lockTimeout?: string | undefined }): { log: (line: string) => void; lockTimeoutSeconds: number | undefined } {
    return { log: (line: string) => this.log.info(line), lockTimeoutSeconds: this.lockTimeoutSeconds(flags.lockTimeout) };
  }

  /** What read-only commands that open the database (current, log, validate, history -i, show current) need: URL, version table, stderr sinks, how to open it. */
  databaseReadOptions(flags: { lockTimeout?: string | undefined }) {
    return {
      url: this.databaseUrl(),
      ...this.versionTable(),
      log: (line: string) => this.log.warn(line),
      engineOptions: this.engineReadOptions(flags),
    };
  }

  /** What upgrade/downgrade/stamp need, from globals, retort.toml and the command's flags. */
  async migrationOptions(flags: {
    sql?: boolean | undefined;
    transactionPerMigration?: boolean | undefined;
    lockTimeout?: string | undefined;
    resolveInterrupted?: boolean | undefined;
  }): Promise<MigrationCommandOptions> {
    const graph = await this.graph();
    const lockTimeout = this.lockTimeoutSeconds(flags.lockTimeout);
    return {
      // --sql connects to nothing, so it never needs (or announces) a URL
      url: flags.sql ? (this.globals.url ?? "") : (await import("./fleet.ts")).isFleet(this) ? "" : this.databaseUrl(),
      graph,
      revisions: await this.revisionMap(),
      ...this.versionTable(),
      sql: flags.sql ?? false,
      transactionPerMigration: flags.transactionPerMigration || this.config().transactionPerMigration,
      lockTimeoutSeconds: lockTimeout,
      historyTable: this.historyTable(),
      resolveInterrupted: flags.resolveInterrupted === true,
      log: (line) => this.log.info(line),
      debug: (line) => this.log.debug(line),
      // a live "still running …" line only where someone watches a terminal
      live: process.stderr.isTTY === true && !this.globals.quiet && !this.globals.json ? liveLine : undefined,
      signal: this.signal,
    };
  }

  /** The snapshot cache: RETORT_CACHE_DIR, `cache_dir` in retort.toml, else .retort/cache beside it (or in cwd). */
  cacheStore(): CacheStore {
    return openCacheStore(this.config(), this.cwd);
  }

  /** The declarative schema: --schema, else `schema` in retort.toml, else schema.sql beside it (or in cwd). */
  async schemaPath(flag: string | undefined): Promise<string> {
    const { resolveSchemaPath } = await import("../autogenerate/schema-source.ts");
    return resolveSchemaPath(flag, this.config(), this.cwd);
  }

  /** Which objects check, diff and autogenerate compare: [autogenerate] in retort.toml plus --include/--exclude. */
  objectFilter(flags: ObjectFilterFlags): { include: string[]; exclude: string[] } {
    const section = this.config().autogenerate;
    const filter = {
      include: [...(section?.include ?? []), ...(flags.include === undefined ? [] : splitList(flags.include))],
      exclude: [...(section?.exclude ?? []), ...(flags.exclude === undefined ? [] : splitList(flags.exclude))],
    };
    compileFilter(filter); // a bad pattern fails here, before any scratch database starts
    return filter;
  }

  /** What check and revision --autogenerate share: revisions, schema, version table, object filter, log sinks. */
  async schemaCompareOptions(flags: { schema?: string | undefined; against?: string | undefined; lockTimeout?: string | undefined } & ObjectFilterFlags) {
    return {
      // --against opens a live database
      engineOptions: this.engineReadOptions(flags),
      revisions: await this.revisions(),
      schemaPath: await this.schemaPath(flags.schema),
      against: flags.against,
      filter: this.objectFilter(flags),
      cache: this.cacheStore(),
      ...this.versionTable(),
      historyTable: this.historyTable(),
      log: (line: string) => this.log.info(line),
      warn: (line: string) => this.log.warn(line),
      debug: (line: string) => this.log.debug(line),
    };
  }
}
