/** `retort --version`: the tool version and the head of the embedded revisions. */
import packageJson from "../../package.json" with { type: "json" };

/** The tool's version, from package.json at build time. */
export const TOOL_VERSION: string = packageJson.version;

/** "retort 0.1.0" plus the embedded head when the binary carries revisions. */
export async function versionLine(): Promise<string> {
  const { embeddedHeads } = await import("../embedded/revisions.ts");
  const heads = await embeddedHeads();
  return heads === null ? `retort ${TOOL_VERSION}` : `retort ${TOOL_VERSION} (embedded head: ${heads.join(", ") || "none"})`;
}
