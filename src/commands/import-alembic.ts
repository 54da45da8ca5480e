/**
 * `retort import-alembic [PATH]`: an Alembic project's revision modules as
 * retort SQL revision files (same ids, parents, labels, dependencies, message
 * and create date), bodies rendered by Alembic's offline mode when the
 * machine has it, else by the built-in op.execute converter; plus a
 * retort.toml carrying alembic.ini's URL (without its password) and env.py's
 * version table. Everything is checked before the first file is written;
 * files already there with the same text count as done, so a rerun after
 * installing Alembic finishes the job.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { redactUrl } from "../config/url.ts";
import { UsageError } from "../errors.ts";
import { sectionFromStatements } from "../import-alembic/alembic-sql.ts";
import { probeAlembic, pythonCommand, type RenderedModule, type RenderedSection, renderWithAlembic } from "../import-alembic/alembic-render.ts";
import { convertFunction, type ConvertedSection } from "../import-alembic/convert.ts";
import { translateAlembicUrl } from "../import-alembic/database-url.ts";
import { readEnvVersionTable } from "../import-alembic/ini.ts";
import { findAlembicProject, targetStem } from "../import-alembic/project.ts";
import { type AlembicRevisionMeta, readRevisionSource, RevisionModuleError, revisionMeta } from "../import-alembic/revision-module.ts";
import type { PyModule } from "../import-alembic/python-module.ts";
import { parseSqlRevision } from "../revisions/sql-file.ts";
import { type NewSqlRevision, renderSqlRevision, revisionFileName } from "../revisions/writer.ts";
import { renderInitialConfig } from "./init.ts";

/** What import-alembic needs; paths absolute. */
export interface ImportAlembicOptions {
  /** directory holding alembic.ini, the .ini itself, or the versions directory */
  readonly path: string;
  /** retort's revision directory */
  readonly dir: string;
  /** the retort.toml in use, or null when there is none (one is then written at newConfigPath) */
  readonly configPath: string | null;
  readonly newConfigPath: string;
  /** the Python command for Alembic (`python3`, `/usr/bin/python3`, `uv run python`); null: do not use Alembic */
  readonly python: string | null;
  readonly dryRun?: boolean;
  readonly cwd?: string;
  readonly log?: (line: string) => void;
}

/** One revision that was imported. */
export interface ImportedRevision {
  readonly revision: string;
  readonly source: string;
  readonly target: string;
  readonly downRevisions: readonly string[];
  readonly branchLabels: readonly string[];
  readonly dependsOn: readonly string[];
  readonly message: string;
  readonly createDate: string | null;
  /** who wrote the bodies: Alembic's offline mode or the built-in converter */
  readonly converter: "alembic" | "builtin";
  /** false when the downgrade raises (or is missing): no downgrade section */
  readonly downgrade: boolean;
  readonly transaction: boolean;
  /** things worth knowing (downgrade raised, notes dropped, ...) */
  readonly notes: readonly string[];
}

/** One module left out, and why. */
export interface UnconvertedModule {
  readonly revision: string | null;
  readonly source: string;
  readonly line: number | null;
  readonly reason: string;
}

/** A file import-alembic writes (or would write with --dry-run). */
export interface PlannedFile {
  readonly path: string;
  /** written now, already there with this exact text, or shown only (--dry-run) */
  readonly status: "written" | "unchanged" | "dry-run";
  readonly content: string;
}

/** What import-alembic did. */
export interface ImportAlembicResult {
  readonly source: { readonly ini: string | null; readonly scriptLocation: string; readonly versionLocations: readonly string[]; readonly env: string | null };
  readonly alembic: { readonly used: boolean; readonly python: string | null; readonly version: string | null; readonly reason: string | null };
  readonly revisions: readonly ImportedRevision[];
  readonly unconverted: readonly UnconvertedModule[];
  readonly config: {
    readonly path: string;
    readonly written: boolean;
    /** redacted */
    readonly url: string | null;
    readonly versionTable: string | null;
    readonly versionTableSchema: string | null;
    readonly notes: readonly string[];
  };
  readonly files: readonly PlannedFile[];
  readonly dryRun: boolean;
  /** the command that would convert what was left out (null when nothing was) */
  readonly rerun: string | null;
}

interface Bodies {
  readonly upgrade: string;
  readonly downgrade: string | null;
  readonly transaction: boolean;
  readonly notes: string[];
}

/** Import the Alembic project at `options.path`. */
export async function importAlembic(options: ImportAlembicOptions): Promise<ImportAlembicResult> {
  const log = options.log ?? (() => {});
  const project = findAlembicProject(options.path);
  if (project.files.length === 0) throw new UsageError(`no revision modules in ${project.versionDirs.join(", ")}`);
  const env = project.envPath ? readEnvVersionTable(readFileSync(project.envPath, "utf8")) : {};
  const versionTable = env.versionTable && "literal" in env.versionTable ? env.versionTable.literal : null;

  const unconverted: UnconvertedModule[] = [];
  const modules: { path: string; module: PyModule; meta: AlembicRevisionMeta }[] = [];
  const seen = new Map<string, string>();
  for (const path of project.files) {
    try {
      const module = readRevisionSource(readFileSync(path, "utf8"));
      const meta = revisionMeta(module);
      const other = seen.get(meta.id);
      if (other !== undefined) throw new UsageError(`${path}: revision ${meta.id} is also declared by ${other}; Alembic would refuse this project too`);
      seen.set(meta.id, path);
      modules.push({ path, module, meta });
    } catch (error) {
      if (!(error instanceof RevisionModuleError)) throw error;
      unconverted.push({ revision: null, source: path, line: error.line ?? null, reason: error.message });
    }
  }

  // a revision id already filed under another name is found before anything slow runs
  const clashes = idClashes(options.dir, modules.map(({ path, meta }) => ({ id: meta.id, target: targetPath(options.dir, path, meta) })));
  if (clashes.length > 0) throw new UsageError(`import-alembic writes nothing over existing files: ${clashes.join("; ")}. Move them away or import into another --dir`);

  const alembic = await alembicAvailability(options.python, options.cwd);
  if (alembic.used) log(`Rendering revision bodies with Alembic ${alembic.version} (${alembic.python}) in offline mode`);
  else if (alembic.python === null) log(`Alembic not used (${alembic.reason}); converting op.execute() bodies with the built-in converter`);
  else log(`Alembic not used (${alembic.reason}); converting op.execute() bodies with the built-in converter; pass a Python that can import alembic with --python CMD`);
  const rendered = alembic.used
    ? new Map((await renderWithAlembic(pythonCommand(options.python as string), modules.map((m) => m.path), sysPath(project), options.cwd)).map((r) => [r.path, r]))
    : null;

  const revisions: ImportedRevision[] = [];
  const files: { path: string; content: string }[] = [];
  for (const { path, module, meta } of modules) {
    const bodies = rendered ? fromAlembic(rendered.get(path), versionTable ?? undefined) : fromSource(module, versionTable ?? undefined);
    if ("reason" in bodies) {
      unconverted.push({ revision: meta.id, source: path, line: bodies.line, reason: bodies.reason });
      continue;
    }
    const target = targetPath(options.dir, path, meta);
    const spec: NewSqlRevision = {
      id: meta.id,
      downRevisions: meta.downRevisions,
      branchLabels: meta.branchLabels,
      dependsOn: meta.dependsOn,
      message: meta.message,
      createDate: meta.createDate,
      notes: meta.notes,
      transaction: bodies.transaction,
      upgradeSql: bodies.upgrade,
      downgradeSql: bodies.downgrade,
    };
    const notes = [...bodies.notes];
    let content = renderSqlRevision(spec);
    let problem = parseProblem(target, content, spec);
    if (problem !== null && meta.notes.length > 0) {
      // free docstring text that reads like a `Key: value` header line cannot go into the header
      content = renderSqlRevision({ ...spec, notes: [] });
      problem = parseProblem(target, content, spec);
      if (problem === null) notes.push("docstring paragraphs after the message were left out (they read like header lines)");
    }
    if (problem !== null) {
      unconverted.push({ revision: meta.id, source: path, line: null, reason: problem });
      continue;
    }
    files.push({ path: target, content });
    revisions.push({
      revision: meta.id,
      source: path,
      target,
      downRevisions: meta.downRevisions,
      branchLabels: meta.branchLabels,
      dependsOn: meta.dependsOn,
      message: meta.message,
      createDate: meta.createDate,
      converter: alembic.used ? "alembic" : "builtin",
      downgrade: bodies.downgrade !== null,
      transaction: bodies.transaction,
      notes,
    });
  }

  const config = configPlan(options, project.ini?.url ?? null, env);
  if (config.content !== null) files.push({ path: config.path, content: config.content });

  const planned = checkTargets(files);
  const dryRun = options.dryRun ?? false;
  if (!dryRun) writeAll(planned, options.dir);
  const rerun = unconverted.length === 0 ? null : rerunCommand(options, alembic);
  return {
    source: { ini: project.iniPath, scriptLocation: project.scriptLocation, versionLocations: project.versionDirs, env: project.envPath },
    alembic,
    revisions,
    unconverted,
    config: { path: config.path, written: config.content !== null, url: config.url, versionTable, versionTableSchema: config.versionTableSchema, notes: config.notes },
    files: planned.map((file) => ({ ...file, status: dryRun && file.status !== "unchanged" ? "dry-run" : file.status })),
    dryRun,
    rerun,
  };
}

/** Whether the Python given can import alembic; the reason names the command tried (or --python none). */
async function alembicAvailability(python: string | null, cwd: string | undefined): Promise<ImportAlembicResult["alembic"]> {
  if (python === null || python.trim() === "") return { used: false, python: null, version: null, reason: "--python none" };
  const probe = await probeAlembic(pythonCommand(python), cwd);
  if (probe.ok) return { used: true, python, version: probe.version, reason: null };
  const why = probe.started ? `cannot import alembic: ${probe.reason}` : `could not be run (${probe.reason})`;
  return { used: false, python, version: null, reason: `--python ${quoted(python)} ${why}` };
}

/** A --python value as typed on a shell command line (quoted when it has arguments). */
function quoted(python: string): string {
  return /\s/.test(python.trim()) ? `'${python.trim()}'` : python.trim();
}

/** sys.path for the revision modules: alembic.ini's prepend_sys_path, then the ini's directory. */
function sysPath(project: ReturnType<typeof findAlembicProject>): string[] {
  const paths = [...(project.ini?.prependSysPath ?? [])];
  if (project.iniPath) paths.push(join(project.iniPath, ".."));
  return paths;
}

function fromAlembic(module: RenderedModule | undefined, versionTable: string | undefined): Bodies | { reason: string; line: number | null } {
  if (!module) return { reason: "Alembic returned nothing for this module", line: null };
  if (module.loadError) return { reason: `Python could not load it: ${module.loadError}`, line: null };
  const up = module.upgrade;
  if (!up || "error" in up) return { reason: `upgrade() failed in Alembic's offline mode: ${up?.error ?? "missing"}`, line: null };
  const upgrade = sectionFromStatements(up.statements, versionTable);
  const notes: string[] = [];
  const down = downgradeSection(module.downgrade, versionTable, notes);
  const autocommit = up.autocommit || (module.downgrade !== undefined && "autocommit" in module.downgrade && module.downgrade.autocommit);
  return { upgrade: upgrade.sql, downgrade: down.sql, transaction: !(autocommit || upgrade.transactionControl || down.transactionControl), notes };
}

function downgradeSection(section: RenderedSection | undefined, versionTable: string | undefined, notes: string[]): { sql: string | null; transactionControl: boolean } {
  if (!section || "error" in section) {
    notes.push(`no downgrade section: downgrade() ${section && "error" in section ? `raised ${section.error}` : "is missing"}`);
    return { sql: null, transactionControl: false };
  }
  return sectionFromStatements(section.statements, versionTable);
}

function fromSource(module: PyModule, versionTable: string | undefined): Bodies | { reason: string; line: number | null } {
  const up = convertFunction(module, "upgrade", versionTable);
  if (up.kind !== "sql") return { reason: up.kind === "raises" ? "upgrade() raises" : up.reason, line: up.kind === "raises" ? null : up.line };
  const down: ConvertedSection = convertFunction(module, "downgrade", versionTable);
  if (down.kind === "unconvertible" && module.functions.has("downgrade")) return { reason: down.reason, line: down.line };
  const notes = down.kind === "sql" ? [] : ["no downgrade section: downgrade() raises or is missing"];
  const downSql = down.kind === "sql" ? down.section : null;
  const transaction = !(up.autocommit || up.section.transactionControl || (down.kind === "sql" && (down.autocommit || down.section.transactionControl)));
  return { upgrade: up.section.sql, downgrade: downSql?.sql ?? null, transaction, notes };
}

/** Why the rendered file would not load back as exactly this revision (SQL that holds a `-- migrate:` line, an id retort refuses), or null. */
function parseProblem(path: string, content: string, spec: NewSqlRevision): string | null {
  const body = (sql: string | null | undefined) => (sql === null ? null : (sql ?? "").replace(/^\s*\n/, "").trimEnd());
  try {
    const parsed = parseSqlRevision(path, content);
    const upgrade = parsed.upgrade.kind === "sql" ? parsed.upgrade.sql : null;
    const downgrade = parsed.downgrade?.kind === "sql" ? parsed.downgrade.sql : null;
    if (upgrade !== body(spec.upgradeSql) || downgrade !== body(spec.downgradeSql)) {
      return "its SQL holds a '-- migrate:' section marker line, which would split the file differently; edit the module or convert it by hand";
    }
    if (parsed.id !== spec.id || parsed.downRevisions.join(",") !== spec.downRevisions.join(",")) return "its header does not read back unchanged";
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `the SQL file would not load back (${message.startsWith(path) ? message.slice(path.length).replace(/^:\d*:? */, "") : message}); edit the module or convert it by hand`;
  }
}

interface ConfigPlan {
  readonly path: string;
  readonly content: string | null;
  readonly url: string | null;
  readonly versionTableSchema: string | null;
  readonly notes: string[];
}

/** retort.toml: written only when there is none; notes say what the user must carry over by hand. */
function configPlan(options: ImportAlembicOptions, alembicUrl: string | null, env: ReturnType<typeof readEnvVersionTable>): ConfigPlan {
  const notes: string[] = [];
  const url = translateAlembicUrl(alembicUrl);
  if (url.skipped) notes.push(`${url.skipped}; no url set`);
  if (url.passwordRemoved) notes.push("the password in sqlalchemy.url was left out: pass it through DATABASE_URL (or RETORT_DATABASE_URL)");
  const versionTable = env.versionTable && "literal" in env.versionTable ? env.versionTable.literal : null;
  if (env.versionTable && "expression" in env.versionTable) {
    notes.push(`env.py computes version_table (${env.versionTable.expression}); set version_table in retort.toml by hand`);
  }
  let versionTableSchema: string | null = null;
  if (env.versionTableSchema && "literal" in env.versionTableSchema) versionTableSchema = env.versionTableSchema.literal;
  else if (env.versionTableSchema) {
    notes.push(`env.py sets version_table_schema (${env.versionTableSchema.expression}), which cannot be read without running env.py; set version_table_schema in retort.toml by hand`);
  }
  if (options.configPath !== null) {
    const wanted = [url.url && `url = ${JSON.stringify(url.url)}`, versionTable && `version_table = ${JSON.stringify(versionTable)}`, versionTableSchema && `version_table_schema = ${JSON.stringify(versionTableSchema)}`].filter(Boolean);
    if (wanted.length > 0) notes.push(`${options.configPath} exists and was left as it is; it may need: ${wanted.join(", ")}`);
    return { path: options.configPath, content: null, url: url.url && redactUrl(url.url), versionTableSchema, notes };
  }
  let content = renderInitialConfig(relative(join(options.newConfigPath, ".."), options.dir) || ".");
  if (url.url !== null) {
    const comment = url.passwordRemoved ? "# From alembic.ini, without its password: pass that through DATABASE_URL.\n" : "# From alembic.ini.\n";
    content = content.replace(/^# url = .*$/m, `${comment}url = ${JSON.stringify(url.url)}`);
  }
  if (versionTable !== null) content = content.replace(/^# version_table = .*$/m, `version_table = ${JSON.stringify(versionTable)}`);
  if (versionTableSchema !== null) content = content.replace(/^# version_table_schema = .*$/m, `version_table_schema = ${JSON.stringify(versionTableSchema)}`);
  return { path: options.newConfigPath, content, url: url.url && redactUrl(url.url), versionTableSchema, notes };
}

/** Where a module's SQL file goes: its own stem when it reads `<rev>_<slug>`, else Alembic's default name. */
function targetPath(dir: string, modulePath: string, meta: AlembicRevisionMeta): string {
  const stem = targetStem(modulePath, meta.id);
  return join(dir, stem === null ? revisionFileName(meta.id, meta.message, "sql") : `${stem}.sql`);
}

/** Revision files already in `dir` under another name than the one the import would write for the same id. */
function idClashes(dir: string, targets: readonly { id: string; target: string }[]): string[] {
  const existing = existsSync(dir) ? readdirSync(dir).filter((name) => /\.(sql|ts)$/.test(name)) : [];
  const problems: string[] = [];
  for (const { id, target } of targets) {
    const clash = existing.find((name) => (name.startsWith(`${id}_`) || name.startsWith(`${id}.`)) && join(dir, name) !== target);
    if (clash !== undefined) problems.push(`revision ${id} is already in ${join(dir, clash)}`);
  }
  return problems;
}

/** Every file checked before any is written: a different file in the way stops the import; the same text counts as done. */
function checkTargets(files: readonly { path: string; content: string }[]): PlannedFile[] {
  const problems: string[] = [];
  const planned: PlannedFile[] = [];
  for (const file of files) {
    if (existsSync(file.path)) {
      if (readFileSync(file.path, "utf8") === file.content) planned.push({ ...file, status: "unchanged" });
      else problems.push(`${file.path} already exists`);
      continue;
    }
    planned.push({ ...file, status: "written" });
  }
  if (problems.length > 0) {
    throw new UsageError(`import-alembic writes nothing over existing files: ${problems.join("; ")}. Move them away or import into another --dir`);
  }
  return planned;
}

/** Each file appears whole under its name (written aside, then hard-linked into place, which fails rather than overwrite). */
function writeAll(files: readonly PlannedFile[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    if (file.status !== "written") continue;
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.content, { flag: "wx" });
    try {
      linkSync(temp, file.path);
    } finally {
      rmSync(temp, { force: true });
    }
  }
}

function rerunCommand(options: ImportAlembicOptions, alembic: ImportAlembicResult["alembic"]): string {
  const rel = relative(options.cwd ?? process.cwd(), options.path) || ".";
  const path = rel.startsWith("..") ? options.path : rel;
  if (alembic.used) return `fix the modules listed, then: retort import-alembic ${path} --python ${quoted(alembic.python as string)}`;
  const install = "install Alembic (apt-get install python3-alembic python3-psycopg2, or pip install alembic psycopg2-binary)";
  if (alembic.python === null) return `${install}, then: retort import-alembic ${path} --python python3`;
  return `${install} for ${alembic.python}, then: retort import-alembic ${path} --python ${quoted(alembic.python)}; or pass another Python that has it with --python CMD`;
}
