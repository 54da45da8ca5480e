import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderMap, summary } from "../../scripts/map.ts";

test("src/MAP.md lists every source file as the tree is now (run `bun scripts/map.ts` after adding one)", () => {
  expect(readFileSync(join(import.meta.dir, "../../src/MAP.md"), "utf8")).toBe(renderMap());
});

test("a file's summary is the first sentence of its leading doc comment", () => {
  expect(summary("/**\n * Does a thing. And more.\n */\nexport {}")).toBe("Does a thing");
  expect(summary("#!/usr/bin/env bun\n/** One line */")).toBe("One line");
  expect(summary("export const x = 1;")).toBe("(no doc comment)");
});
