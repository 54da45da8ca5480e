/**
 * Where revisions come from: a directory on disk, or in-memory entries (the
 * files a compiled binary embeds). Both read files in file-name order and
 * either load every revision or throw; nothing is returned half-loaded.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, RevisionFileError } from "../errors.ts";
import { baseName } from "./fields.ts";
import { parseSqlRevision } from "./sql-file.ts";
import { importTsRevision } from "./ts-import.ts";
import { fromTsModule, type ModuleNamespace } from "./ts-module.ts";
import type { LoadedRevision } from "./types.ts";

/** An embedded revision file: SQL files need `text`; TypeScript files need `module` (and `text` for the doc comment). */
export interface RevisionEntry {
  readonly path: string;
  readonly text?: string;
  readonly module?: ModuleNamespace;
}

/** Whether a file name is a revision file: `*.sql` or `*.ts`, not a dotfile, not a `*.d.ts`. */
export function isRevisionFileName(name: string): boolean {
  if (name.startsWith(".") || name.endsWith(".d.ts")) return false;
  return name.endsWith(".sql") || name.endsWith(".ts");
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Byte order of UTF-8 names, so every machine lists revisions the same way. */
export function compareFileNames(a: string, b: string): number {
  // UTF-16 order is UTF-8 byte order unless a name holds characters beyond U+FFFF.
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Load every revision file in `dir` (not recursive), in file-name order. */
export async function loadRevisionsFromDir(dir: string): Promise<LoadedRevision[]> {
  const names = await revisionFileNames(dir);
  const paths = names.map((name) => join(dir, name));
  const texts = await mapLimited(paths, 64, (path) =>
    readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new RevisionFileError(`cannot read revision file (${error.code ?? error.message})`, path);
    }),
  );
  const results = await Promise.allSettled(
    paths.map((path, i) => {
      const text = texts[i] ?? "";
      return path.endsWith(".sql") ? Promise.resolve().then(() => parseSqlRevision(path, text)) : importTsRevision(path, text);
    }),
  );
  return collect(results);
}

/** Load embedded revision files, in file-name order; the same parsers and checks as loadRevisionsFromDir. */
export function loadRevisionsFromEntries(entries: readonly RevisionEntry[]): LoadedRevision[] {
  const sorted = entries
    .filter((entry) => isRevisionFileName(baseName(entry.path)))
    .sort((a, b) => compareFileNames(baseName(a.path), baseName(b.path)) || compareFileNames(a.path, b.path));
  const results = sorted.map((entry): PromiseSettledResult<LoadedRevision> => {
    try {
      return { status: "fulfilled", value: loadEntry(entry) };
    } catch (error) {
      return { status: "rejected", reason: error };
    }
  });
  return collect(results);
}

function loadEntry(entry: RevisionEntry): LoadedRevision {
  if (entry.path.endsWith(".sql")) {
    if (entry.text === undefined) throw new RevisionFileError("embedded SQL revision has no text", entry.path);
    return parseSqlRevision(entry.path, entry.text);
  }
  if (entry.module === undefined) throw new RevisionFileError("embedded TypeScript revision has no module", entry.path);
  return fromTsModule(entry.path, entry.module, entry.text);
}

async function revisionFileNames(dir: string): Promise<string[]> {
  let dirents;
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "ENOTDIR" ? "is not a directory" : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError(`revision directory ${dir} ${why}; run 'retort init' to create it, or point --dir at your revisions`);
  }
  const names: string[] = [];
  for (const dirent of dirents) {
    if (!isRevisionFileName(dirent.name)) continue;
    // A symlink counts when it points at a file; a directory named x.sql does not.
    if (dirent.isFile() || (dirent.isSymbolicLink() && (await stat(join(dir, dirent.name)).catch(() => undefined))?.isFile())) {
      names.push(dirent.name);
    }
  }
  return names.sort(compareFileNames);
}

/** All revisions, or the first failure in file-name order (saying how many other files failed too). */
function collect(results: readonly PromiseSettledResult<LoadedRevision>[]): LoadedRevision[] {
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
  const first = failures[0]?.reason;
  if (first === undefined) return results.map((result) => (result as PromiseFulfilledResult<LoadedRevision>).value);
  if (failures.length === 1 || !(first instanceof RevisionFileError)) throw first;
  const prefix = `${first.file}${first.line !== undefined ? `:${first.line}` : ""}: `;
  const message = first.message.startsWith(prefix) ? first.message.slice(prefix.length) : first.message;
  const others = failures.length - 1;
  throw new RevisionFileError(`${message} (and ${others} more bad revision file${others === 1 ? "" : "s"})`, first.file, first.line);
}

/** Map with at most `limit` calls in flight: thousands of files must not exhaust file descriptors. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
