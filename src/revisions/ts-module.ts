/**
 * The TypeScript revision form (README "Revision files"): validate a
 * module's exports into a LoadedRevision. Pure: the module namespace comes
 * from a dynamic import (ts-import.ts) or from the bundle of a compiled
 * binary, and both go through this one check.
 */
import { RevisionFileError } from "../errors.ts";
import type { Op } from "../ops/op.ts";
import { fileNameProblem, revisionIdProblem } from "./fields.ts";
import type { LoadedRevision, MigrationScript } from "./types.ts";

/** A module namespace as import() returns it. */
export type ModuleNamespace = Readonly<Record<string, unknown>>;

/** Alembic's module variable names, so a file ported from Python gets a pointed message. */
const SNAKE_CASE: readonly (readonly [string, string])[] = [
  ["down_revision", "downRevision"],
  ["branch_labels", "branchLabels"],
  ["depends_on", "dependsOn"],
  ["create_date", "createDate"],
];

/** Turn a TypeScript revision module's exports into a LoadedRevision; `text` (the source) supplies the doc comment and error lines. */
export function fromTsModule(path: string, ns: ModuleNamespace, text?: string): LoadedRevision {
  const fail: Fail = (message, name) => {
    throw new RevisionFileError(message, path, name && text !== undefined ? exportLine(text, name) : undefined);
  };
  for (const [snake, camel] of SNAKE_CASE) {
    if (snake in ns && !(camel in ns)) fail(`exports '${snake}'; retort's TypeScript form calls it '${camel}'`, snake);
  }

  const id = ns.revision;
  if (id === undefined) fail("missing export 'revision' (the revision id string)");
  if (typeof id !== "string") return fail(`export 'revision' must be a string, not ${typeName(id)}`, "revision");
  const idProblem = revisionIdProblem(id) ?? fileNameProblem(path, id);
  if (idProblem) fail(idProblem, "revision");

  if (!("downRevision" in ns)) fail("missing export 'downRevision' (null for a base revision, a string, or an array for a merge)");
  const downRevisions = idList(ns.downRevision, "downRevision", fail);
  const branchLabels = idList(ns.branchLabels, "branchLabels", fail);
  const dependsOn = idList(ns.dependsOn, "dependsOn", fail);

  const message = optional(ns.message, "string", "message", fail) ?? "";
  const createDate = ns.createDate === null ? null : (optional(ns.createDate, "string", "createDate", fail) ?? null);
  const transaction = optional(ns.transaction, "boolean", "transaction", fail) ?? true;

  if (ns.upgrade === undefined) fail("missing export 'upgrade' (async function upgrade(op) { … })");
  const upgrade = script(ns.upgrade, "upgrade", fail);
  const downgrade = ns.downgrade === undefined || ns.downgrade === null ? null : script(ns.downgrade, "downgrade", fail);

  const doc = (text !== undefined ? leadingDocComment(text) : "") || synthesizedDoc(id, message, downRevisions, createDate);
  const revision: LoadedRevision = { id, downRevisions, branchLabels, dependsOn, message, createDate, path, doc, format: "ts", transaction, upgrade, downgrade };
  return text === undefined ? revision : { ...revision, source: text };
}

/** The text of the comment that opens a source file (block or `//` lines), without comment markers; "" when there is none. */
export function leadingDocComment(text: string): string {
  const src = text.replace(/^\uFEFF/, "").replace(/^#![^\n]*\n/, "").trimStart();
  if (src.startsWith("/*")) {
    const end = src.indexOf("*/");
    if (end < 0) return "";
    const body = src.slice(src.startsWith("/**") ? 3 : 2, end);
    return body
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, "").trimEnd())
      .join("\n")
      .replaceAll("*\\/", "*/") // the writer escapes a "*/" inside the comment this way
      .trim();
  }
  const lines: string[] = [];
  for (const line of src.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("//")) break;
    lines.push(trimmed.replace(/^\/\/\/? ?/, "").trimEnd());
  }
  return lines.join("\n").trim();
}

/** The docstring Alembic's template writes, for modules without a doc comment. */
function synthesizedDoc(id: string, message: string, downRevisions: readonly string[], createDate: string | null): string {
  const header = [`Revision ID: ${id}`, `Revises: ${downRevisions.join(", ")}`];
  if (createDate) header.push(`Create Date: ${createDate}`);
  return (message === "" ? header.join("\n") : `${message}\n\n${header.join("\n")}`).trim();
}

type Fail = (message: string, name?: string) => never;

/** A string, an array of strings, null or undefined, as Alembic's module variables allow. */
function idList(value: unknown, name: string, fail: Fail): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return value === "" ? [] : [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string" && item !== "")) return [...(value as string[])];
  return fail(`export '${name}' must be a string, an array of non-empty strings or null, not ${typeName(value)}`, name);
}

function optional<K extends "string" | "boolean">(value: unknown, type: K, name: string, fail: Fail): (K extends "string" ? string : boolean) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== type) fail(`export '${name}' must be a ${type}, not ${typeName(value)}`, name);
  return value as K extends "string" ? string : boolean;
}

function script(value: unknown, name: string, fail: Fail): MigrationScript {
  if (typeof value !== "function") return fail(`export '${name}' must be a function (async function ${name}(op) { … }), not ${typeName(value)}`, name);
  return { kind: "ts", fn: value as (op: Op) => Promise<void> | void };
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array with non-string items";
  return typeof value;
}

/** 1-based line of `export … name` in the source, so type errors point at the declaration. */
function exportLine(text: string, name: string): number | undefined {
  const match = new RegExp(`^[ \\t]*export[ \\t]+(?:(?:const|let|var)|(?:async[ \\t]+)?function\\*?)[ \\t]+${name}\\b`, "m").exec(text);
  if (!match) return undefined;
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < match.index; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
}
