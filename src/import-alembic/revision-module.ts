/**
 * An Alembic revision module's identity, read from its source: `revision`,
 * `down_revision`, `branch_labels`, `depends_on` and the docstring (message,
 * `Create Date`, further paragraphs), as Alembic's Script reads them. Pure.
 */
import type { RevisionMeta } from "../core/types.ts";
import { type PyModule, type PyValue, readPythonModule } from "./python-module.ts";
import { PySyntaxError } from "./python-tokens.ts";

/** What an Alembic revision module declares about itself: the graph's fields (message = the docstring's first paragraph, Alembic's Script.doc) and the rest of its docstring. */
export interface AlembicRevisionMeta extends Omit<RevisionMeta, "path" | "doc"> {
  /** docstring paragraphs after the first, without Alembic's Revision ID/Revises/Create Date lines */
  readonly notes: readonly string[];
}

/** A revision module that could not be read: the reason, and the 1-based line if known. */
export class RevisionModuleError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** A module's source, read into its parts (RevisionModuleError when it cannot be tokenized). */
export function readRevisionSource(source: string): PyModule {
  try {
    return readPythonModule(source);
  } catch (error) {
    if (error instanceof PySyntaxError) throw new RevisionModuleError(error.message, error.line);
    throw error;
  }
}

/** The revision a parsed module declares (RevisionModuleError when a variable is missing or not a literal). */
export function revisionMeta(module: PyModule): AlembicRevisionMeta {
  const id = module.assignments.get("revision");
  if (!id) throw new RevisionModuleError("no module-level 'revision = \"...\"'");
  if (id.value.kind !== "str" || id.value.value === "") throw new RevisionModuleError("'revision' is not a string literal", id.line);
  const doc = (module.docstring ?? "").trim();
  const paragraphs = doc === "" ? [] : doc.split("\n\n");
  const message = paragraphs[0] ?? "";
  const rest = paragraphs.slice(1).join("\n\n");
  const createDate = /^Create Date: *(.*)$/m.exec(rest)?.[1]?.trim() || null;
  const notes = rest
    .split("\n")
    .filter((line) => !/^(Revision ID|Revises|Create Date):/.test(line.trim()))
    .join("\n")
    .trim();
  return {
    id: id.value.value,
    downRevisions: idList(module, "down_revision", true),
    branchLabels: idList(module, "branch_labels"),
    dependsOn: idList(module, "depends_on"),
    message,
    createDate,
    notes: notes === "" ? [] : notes.split("\n").map((line) => line.trimEnd()),
  };
}

/** A variable holding None, a string, or a tuple/list of strings; absent means None, except down_revision, which Alembic requires. */
function idList(module: PyModule, name: string, required = false): string[] {
  const found = module.assignments.get(name);
  if (!found && required) throw new RevisionModuleError(`no module-level '${name} = ...' (None for a base revision)`);
  if (!found) return [];
  const list = stringList(found.value);
  if (list === null) throw new RevisionModuleError(`'${name}' is not None, a string, or a tuple/list of strings`, found.line);
  return list;
}

function stringList(value: PyValue): string[] | null {
  if (value.kind === "none") return [];
  // Alembic's util.to_tuple: a string is one id
  if (value.kind === "str") return [value.value];
  if (value.kind === "seq") {
    const out: string[] = [];
    for (const item of value.items) {
      if (item.kind !== "str") return null;
      out.push(item.value);
    }
    return out;
  }
  return null;
}
