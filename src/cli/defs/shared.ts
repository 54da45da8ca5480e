/** Small argument helpers shared by command definitions. */

/** "a,b, c" → ["a", "b", "c"]; undefined → []. Repeated options arrive comma-joined (argv.ts). */
export function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(",").map((part) => part.trim()).filter((part) => part !== "");
}
