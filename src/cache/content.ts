/**
 * The text of a revision that goes into its cache key: for SQL revisions
 * what the file says (header fields and both sections); for TypeScript
 * revisions the file's own text, read from disk (an embedded one, which has
 * no file, is keyed by the source of its functions).
 */
import { readFileSync } from "node:fs";
import type { LoadedRevision } from "../revisions/types.ts";

/** The content a revision's cache key is computed from. */
export function revisionContent(rev: LoadedRevision): string {
  const header = JSON.stringify([rev.id, rev.downRevisions, rev.dependsOn, rev.branchLabels, rev.transaction, rev.format]);
  if (rev.upgrade.kind === "sql") {
    const down = rev.downgrade?.kind === "sql" ? rev.downgrade.sql : null;
    return `${header}\n${rev.upgrade.sql}\n${JSON.stringify(down)}`;
  }
  try {
    return `${header}\n${readFileSync(rev.path, "utf8")}`;
  } catch {
    const down = rev.downgrade?.kind === "ts" ? rev.downgrade.fn.toString() : "null";
    return `${header}\n${rev.upgrade.fn.toString()}\n${down}`;
  }
}
