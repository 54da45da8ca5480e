/** --allow-changed values resolved to full ids (src/history/allow-changed.ts). */
import { expect, test } from "bun:test";
import { RevisionGraph } from "../../src/core/graph.ts";
import { ResolutionError } from "../../src/errors.ts";
import { resolveAllowChanged } from "../../src/history/allow-changed.ts";
import { sqlRev } from "../runtime/fixtures.ts";

// abcd1234 -> abcd5678 -> ffff0003
const graph = RevisionGraph.build([sqlRev("abcd1234", null, "SELECT 1;"), sqlRev("abcd5678", "abcd1234", "SELECT 1;"), sqlRev("ffff0003", "abcd5678", "SELECT 1;")]);

function refused(value: string, vanished: string[] = []): ResolutionError {
  try {
    resolveAllowChanged(graph, [value], vanished);
  } catch (error) {
    expect(error).toBeInstanceOf(ResolutionError);
    expect((error as ResolutionError).exitCode).toBe(2);
    return error as ResolutionError;
  }
  throw new Error(`--allow-changed ${value} was accepted`);
}

test("full ids, unique prefixes of 4 or more characters and `head` resolve to full ids", () => {
  expect([...resolveAllowChanged(graph, ["abcd1234", "abcd5", "ffff", "head"])]).toEqual([
    ["abcd1234", ["abcd1234"]],
    ["abcd5", ["abcd5678"]],
    ["ffff", ["ffff0003"]],
    ["head", ["ffff0003"]],
  ]);
});

test("an id that names no revision is refused, naming the value", () => {
  expect(refused("zzzz9").message).toBe("--allow-changed zzzz9: Can't locate revision identified by 'zzzz9'");
  expect(refused("base").message).toStartWith("--allow-changed base: names no revision");
});

test("a prefix shorter than 4 characters is refused even when it is unique", () => {
  expect(refused("ff").message).toBe("--allow-changed ff: a revision id prefix needs at least 4 characters; give more of the id");
});

test("an ambiguous prefix is refused with its candidates", () => {
  const error = refused("abcd");
  expect(error.message).toBe("--allow-changed abcd: Multiple revisions start with 'abcd': 'abcd1234', 'abcd5678'; give more characters of the revision id");
  expect(error.candidates).toEqual(["abcd1234", "abcd5678"]);
});

test("a revision whose file vanished is found among the vanished ids by the same rules", () => {
  expect(resolveAllowChanged(graph, ["eeee0004", "eeee"], ["eeee0004"]).get("eeee")).toEqual(["eeee0004"]);
  expect(refused("eee", ["eeee0004"]).message).toContain("at least 4 characters");
  expect(refused("ffff", ["ffff9999"]).message).toBe("--allow-changed ffff: Multiple revisions start with 'ffff': 'ffff0003', 'ffff9999'; give more characters of the revision id");
});
