/**
 * Writes src/MAP.md: one line per source file, taken from the file's first
 * doc comment. `bun scripts/map.ts --check` exits 1 when the map is stale
 * (tests/map.test.ts runs it, so the map stays current).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dir, "..");
const SRC = join(ROOT, "src");
const MAP = join(SRC, "MAP.md");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith(".ts") ? [path] : [];
    });
}

/** The first sentence of the file's leading doc comment. */
export function summary(text: string): string {
  const match = /^(?:#![^\n]*\n)?\s*\/\*\*([\s\S]*?)\*\//.exec(text);
  if (!match) return "(no doc comment)";
  const prose = match[1]!
    .split("\n")
    .map((line) => line.replace(/^\s*\*\s?/, "").trim())
    .filter((line) => line !== "")
    .join(" ");
  const sentence = /^(.*?\.)(\s|$)/.exec(prose);
  return (sentence ? sentence[1]! : prose).replace(/\.$/, "");
}

/** The text of src/MAP.md for the tree as it is. */
export function renderMap(): string {
  const lines = sourceFiles(SRC).map((path) => `- \`${relative(SRC, path)}\` — ${summary(readFileSync(path, "utf8"))}`);
  return `# Map of src/\n\nOne line per file, from its leading doc comment (regenerate: \`bun scripts/map.ts\`).\n\n${lines.join("\n")}\n`;
}

if (import.meta.main) {
  const map = renderMap();
  if (process.argv.includes("--check")) {
    const current = (() => {
      try {
        return readFileSync(MAP, "utf8");
      } catch {
        return "";
      }
    })();
    if (current !== map) {
      console.error("src/MAP.md is stale: run `bun scripts/map.ts`");
      process.exit(1);
    }
  } else {
    writeFileSync(MAP, map);
  }
}
