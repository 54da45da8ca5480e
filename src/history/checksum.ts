/**
 * Revision checksums (README "History table"): a SHA-256 over what a revision
 * does and how it sits in the graph, with formatting that cannot change
 * behaviour left out. SQL is reduced to its tokens (sqlTokens: comments,
 * whitespace, line endings and blank lines fall away; string literals, quoted
 * identifiers and dollar quotes stay byte for byte). TypeScript revisions are
 * rendered offline (as --sql renders them) and their SQL reduced the same
 * way; one that cannot be rendered (op.query) falls back to its source text.
 */
import { createHash } from "node:crypto";
import { guardProcess, settle } from "../revisions/guard.ts";
import type { LoadedRevision, MigrationScript } from "../revisions/types.ts";
import { sqlTokens } from "../runtime/split-sql.ts";

/** The header fields that define the graph and how a revision runs: part of every checksum. */
export interface ChecksumHeader {
  readonly downRevisions: readonly string[];
  readonly dependsOn: readonly string[];
  readonly branchLabels: readonly string[];
  readonly transaction: boolean;
}

/** What a revision's body is reduced to before hashing. */
export type ChecksumBody =
  /** the tokens of the upgrade and downgrade SQL (null: no downgrade) */
  | { readonly kind: "sql"; readonly upgrade: string; readonly downgrade: string | null }
  /** a source file that cannot be rendered to SQL */
  | { readonly kind: "source"; readonly text: string };

/** The checksum of a header and a body (hex SHA-256). Pure. */
export function checksumOf(header: ChecksumHeader, body: ChecksumBody): string {
  const canonical = {
    revises: header.downRevisions,
    dependsOn: header.dependsOn,
    branchLabels: header.branchLabels,
    transaction: header.transaction,
    ...(body.kind === "sql"
      ? { upgrade: sqlTokens(body.upgrade), downgrade: body.downgrade === null ? null : sqlTokens(body.downgrade) }
      : { source: sourceLines(body.text) }),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

/** Source text without line-ending, trailing-whitespace and blank-line differences. */
export function sourceLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== "");
}

/** A SQL revision's checksum, computed synchronously (the runner takes it while the server works). */
export function sqlRevisionChecksum(rev: LoadedRevision): string {
  return checksumOf(rev, { kind: "sql", upgrade: sqlOf(rev.upgrade), downgrade: rev.downgrade === null ? null : sqlOf(rev.downgrade) });
}

/** A revision's checksum: its SQL sections, or the SQL its TypeScript functions render offline, else its source. */
export async function revisionChecksum(rev: LoadedRevision): Promise<string> {
  if (rev.format === "sql") return sqlRevisionChecksum(rev);
  try {
    const upgrade = await render(rev.upgrade);
    const downgrade = rev.downgrade === null ? null : await render(rev.downgrade);
    return checksumOf(rev, { kind: "sql", upgrade, downgrade });
  } catch {
    // op.query (or anything else that needs a database): the file is all there is to compare
    return checksumOf(rev, { kind: "source", text: rev.source ?? `${String(rev.upgrade.kind === "ts" ? rev.upgrade.fn : "")}\n${String(rev.downgrade?.kind === "ts" ? rev.downgrade.fn : "")}` });
  }
}

function sqlOf(script: MigrationScript): string {
  return script.kind === "sql" ? script.sql : "";
}

async function render(script: MigrationScript): Promise<string> {
  if (script.kind === "sql") return script.sql;
  // loaded only for TypeScript revisions
  const [{ ScriptSink }, { createOp }] = await Promise.all([import("../runtime/offline-sink.ts"), import("../ops/op.ts")]);
  const sink = new ScriptSink();
  // revision code runs here too: process.exit or an escaped error must not end retort (the run reports it properly)
  const guard = guardProcess();
  try {
    await script.fn(createOp(sink));
    await settle();
    const escaped = guard.escaped();
    if (escaped !== undefined) throw escaped;
  } finally {
    guard.release();
  }
  return sink.text();
}

/** Checksums of many revisions (TypeScript ones rendered one after another). */
export async function revisionChecksums(revisions: Iterable<LoadedRevision>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rev of revisions) out.set(rev.id, await revisionChecksum(rev));
  return out;
}

/** The first 12 hex digits, for messages. */
export function shortChecksum(checksum: string | null): string {
  return checksum === null ? "unknown" : checksum.slice(0, 12);
}
