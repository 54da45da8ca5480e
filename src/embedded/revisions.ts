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

/** The embedded revisions, loaded through the same parsers as files on disk; null when none are embedded. */
export async function embeddedRevisions(): Promise<LoadedRevision[] | null> {
  const entries = embeddedRevisionEntries();
  return entries.length === 0 ? null : loadRevisionsFromEntries(entries);
}

/** Heads of the embedded revisions (for --version), or null when none are embedded. */
export async function embeddedHeads(): Promise<string[] | null> {
  return bundle === null || bundle.revisions.length === 0 ? null : [...bundle.heads];
}
