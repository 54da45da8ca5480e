/**
 * Import a TypeScript revision from disk (Bun transpiles it) and validate it.
 * The I/O half of ts-module.ts: a module that does not compile or throws
 * while loading becomes a one-line RevisionFileError, never a stack trace.
 */
import { isAbsolute, resolve } from "node:path";
import { RevisionFileError } from "../errors.ts";
import { guardProcess, RevisionExit } from "./guard.ts";
import { fromTsModule, type ModuleNamespace } from "./ts-module.ts";
import type { LoadedRevision } from "./types.ts";

/** Load the TypeScript revision at `path` (reported as given); `text` is its source, for the doc comment. */
export async function importTsRevision(path: string, text?: string): Promise<LoadedRevision> {
  const absolute = isAbsolute(path) ? path : resolve(path);
  let ns: ModuleNamespace;
  // a module whose top level calls process.exit() must not end retort silently
  const guard = guardProcess();
  try {
    ns = (await import(absolute)) as ModuleNamespace;
  } catch (error) {
    throw importError(path, absolute, error);
  } finally {
    guard.release();
  }
  const escaped = guard.escaped();
  if (escaped !== undefined) throw importError(path, absolute, escaped);
  return fromTsModule(path, ns, text);
}

/** Bun's shape of a build error: BuildMessage / ResolveMessage carry a position. */
interface BunMessage {
  readonly message?: unknown;
  readonly position?: { readonly line?: unknown } | null;
}

function importError(path: string, absolute: string, error: unknown): RevisionFileError {
  // A file that does not compile comes as one BuildMessage, or an AggregateError of them.
  const first: unknown = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const built = first as BunMessage | null;
  if (built && typeof built === "object" && "position" in built) {
    const line = typeof built.position?.line === "number" && built.position.line > 0 ? built.position.line : undefined;
    return new RevisionFileError(`cannot compile TypeScript revision: ${oneLine(built.message)}`, path, line);
  }
  if (error instanceof RevisionExit) return new RevisionFileError(`the module calls process.exit(${String(error.code ?? "")}) while loading; revisions must not exit the process`, path);
  // The module compiled but threw while its top level ran: point at the line in this file, if the stack says.
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const at = stack.split("\n").find((frame) => frame.includes(`${absolute}:`));
  const line = at ? Number(at.slice(at.indexOf(`${absolute}:`) + absolute.length + 1).split(":")[0]) : NaN;
  const message = error instanceof Error ? error.message : error;
  return new RevisionFileError(`error while loading TypeScript revision: ${oneLine(message)}`, path, Number.isInteger(line) && line > 0 ? line : undefined);
}

function oneLine(message: unknown): string {
  return String(message).split("\n")[0]?.trim() ?? "";
}
