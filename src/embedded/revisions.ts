/**
 * Revisions compiled into the executable. From source nothing is embedded
 * (both functions return null); the build replaces this with the revisions
 * that were in migrations/versions at build time.
 */
import type { LoadedRevision } from "../revisions/types.ts";

/** The embedded revisions, or null when this is not a build that carries any. */
export async function embeddedRevisions(): Promise<LoadedRevision[] | null> {
  return null;
}

/** Heads of the embedded revisions (for --version), or null when none are embedded. */
export async function embeddedHeads(): Promise<string[] | null> {
  return null;
}
