/**
 * Revisions compiled into the executable. From source nothing is embedded
 * (the functions return null / nothing); a build carries the files that were
 * in migrations/versions when it was made.
 */
import { loadRevisionsFromEntries, type RevisionEntry } from "../revisions/source.ts";
import type { LoadedRevision } from "../revisions/types.ts";
import { bundle } from "./bundle.ts";

/** The embedded revision files (path, text, and the module of a .ts file); empty from source. */
export function embeddedRevisionEntries(): readonly RevisionEntry[] {
  return bundle?.revisions ?? [];
}

/** What an embedded revision's path starts with, so `show`, history -v and errors say where it lives. */
export const EMBEDDED_PATH_PREFIX = "embedded:";

/** The embedded revisions, loaded through the same parsers as files on disk; null when none are embedded. */
export async function embeddedRevisions(): Promise<LoadedRevision[] | null> {
  const entries = embeddedRevisionEntries();
  if (entries.length === 0) return null;
  return loadRevisionsFromEntries(entries.map((entry) => ({ ...entry, path: `${EMBEDDED_PATH_PREFIX}${entry.path}` })));
}

/** Heads of the embedded revisions (for --version), or null when none are embedded. */
export async function embeddedHeads(): Promise<string[] | null> {
  return bundle === null || bundle.revisions.length === 0 ? null : [...bundle.heads];
}
