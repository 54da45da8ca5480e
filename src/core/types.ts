/**
 * The shapes the pure core works with. Nothing here does I/O; file loaders
 * produce RevisionMeta values, the runtime consumes PlannedStep values.
 */

/** A revision as the graph sees it: identity, edges and the text shown by history/show. */
export interface RevisionMeta {
  /** the revision id, e.g. "ffa7dce781be" */
  readonly id: string;
  /** parents: [] for a base, one id, or several for a merge (as written in the file) */
  readonly downRevisions: readonly string[];
  readonly branchLabels: readonly string[];
  /** dependencies as written: ids, unique prefixes or branch labels */
  readonly dependsOn: readonly string[];
  readonly message: string;
  /** "2026-02-11 14:05:09" as written in the file, if any */
  readonly createDate: string | null;
  /** where the revision came from (file path or embedded name); used in every error */
  readonly path: string;
  /** the header block (SQL) or doc comment (TS): what Alembic prints as the docstring */
  readonly doc: string;
}

/** One change to the rows of alembic_version, in the order they must be applied. */
export type VersionChange =
  | { readonly kind: "insert"; readonly version: string }
  | { readonly kind: "delete"; readonly version: string }
  | { readonly kind: "update"; readonly from: string; readonly to: string };

/**
 * One step of an upgrade, downgrade or stamp, in execution order.
 * `run` says which script to execute (none for a stamp step); `from`/`to` are
 * the ids Alembic prints in "Running upgrade a -> b, message"; the version
 * changes bring alembic_version from the heads before the step to the heads after.
 */
export interface PlannedStep {
  readonly direction: "up" | "down";
  /** the revision whose upgrade()/downgrade() runs; null for stamp-only steps */
  readonly run: string | null;
  /** the revision this step is about (same as run for migration steps) */
  readonly revision: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly message: string;
  readonly versionChanges: readonly VersionChange[];
}
