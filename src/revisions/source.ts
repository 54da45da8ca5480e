/**
 * Where revisions come from: a directory on disk, or in-memory entries (the
 * files a compiled binary embeds). Both read files in file-name order and
 * either load every revision or throw; nothing is returned half-loaded.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
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

/** What loading a directory may report besides its revisions. */
export interface LoadDirOptions {
  /** called once with the `*.py` files found (Alembic revision modules, which retort does not load) */
  readonly onPythonFiles?: (names: readonly string[]) => void;
}

/** Load every revision file in `dir` (not recursive), in file-name order. */
export async function loadRevisionsFromDir(dir: string, options: LoadDirOptions = {}): Promise<LoadedRevision[]> {
  const python: string[] = [];
  const names = revisionFileNames(dir, python);
  if (python.length > 0) options.onPythonFiles?.(python.sort());
  // Synchronous reads and parses: thousands of small files cost one syscall
  // each, while a promise per file (and a pool of them) costs more than the read.
  const results: (PromiseSettledResult<LoadedRevision> | Promise<LoadedRevision>)[] = new Array(names.length);
  let anyAsync = false;
  // names come from readdir (no separators), so plain concatenation is join() without its per-call normalising
  const prefix = join(dir, "/");
  for (let i = 0; i < names.length; i++) {
    const path = prefix + names[i]!;
    try {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (error) {
        throw new RevisionFileError(`cannot read revision file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, path);
      }
      if (path.endsWith(".sql")) results[i] = { status: "fulfilled", value: parseSqlRevision(path, text) };
      else {
        results[i] = importTsRevision(path, text);
        anyAsync = true;
      }
    } catch (error) {
      results[i] = { status: "rejected", reason: error };
    }
  }
  if (!anyAsync) return collect(results as PromiseSettledResult<LoadedRevision>[]);
  return collect(await Promise.allSettled(results.map((r) => ("status" in r ? settledToPromise(r) : r))));
}

function settledToPromise<T>(r: PromiseSettledResult<T>): Promise<T> {
  return r.status === "fulfilled" ? Promise.resolve(r.value) : Promise.reject(r.reason);
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

function revisionFileNames(dir: string, python: string[]): string[] {
  let dirents;
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "ENOTDIR" ? "is not a directory" : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError(`revision directory ${dir} ${why}; run 'retort init' to create it, or point --dir at your revisions`);
  }
  const names: string[] = [];
  for (const dirent of dirents) {
    if (!isRevisionFileName(dirent.name)) {
      if (dirent.name.endsWith(".py") && !dirent.name.startsWith("__init__") && !dirent.name.startsWith(".")) python.push(dirent.name);
      continue;
    }
    // A symlink counts when it points at a file; a directory named x.sql does not.
    if (dirent.isFile() || (dirent.isSymbolicLink() && statIsFile(join(dir, dirent.name)))) names.push(dirent.name);
  }
  // Test for surrogates once per name, not twice per comparison.
  return names.some((name) => SURROGATE.test(name)) ? names.sort(compareFileNames) : names.sort();
}

function statIsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
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
