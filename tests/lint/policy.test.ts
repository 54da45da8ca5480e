/** Ignores (statement and file), unused ignores, and `[lint]` levels. */
import { describe, expect, test } from "bun:test";
import { parseConfig } from "../../src/config/config.ts";
import { ConfigError } from "../../src/errors.ts";
import { applyPolicy, checkLintConfig, readIgnores } from "../../src/lint/policy.ts";
import type { RawFinding } from "../../src/lint/rules.ts";

const raw: RawFinding[] = [
  { rule: "require-concurrent-index-creation", statement: 0, line: 8, message: "index" },
  { rule: "prefer-text-field", statement: 1, line: 9, message: "varchar" },
  { rule: "ban-char-field", statement: 1, line: 9, message: "char" },
];
const run = (over: Partial<Parameters<typeof applyPolicy>[0]>) =>
  applyPolicy({ revision: "r", file: "f.sql", raw, statementIgnores: new Map(), fileIgnores: [], levels: {}, ...over }).map((f) => `${f.severity} ${f.rule}@${f.line}`);

describe("readIgnores", () => {
  test("reads statement and file directives with their lines and rule lists", () => {
    const text = "-- Message: x\n-- retort-lint: ignore-file prefer-text-field, ban-char-field\n-- retort-lint: ignore ban-drop-table";
    expect(readIgnores(text, "ignore-file", 1)).toEqual([{ rules: ["prefer-text-field", "ban-char-field"], line: 2 }]);
    expect(readIgnores(text, "ignore", 1)).toEqual([{ rules: ["ban-drop-table"], line: 3 }]);
  });
});

describe("applyPolicy", () => {
  test("without ignores or config every finding stays, at its rule's default severity", () => {
    expect(run({})).toEqual(["error require-concurrent-index-creation@8", "warning ban-char-field@9", "warning prefer-text-field@9"]);
  });

  test("a statement ignore suppresses only the named rule on that statement", () => {
    expect(run({ statementIgnores: new Map([[1, [{ rules: ["prefer-text-field"], line: 8 }]]]) })).toEqual(["error require-concurrent-index-creation@8", "warning ban-char-field@9"]);
  });

  test("an ignore-file suppresses the rule everywhere in the file", () => {
    expect(run({ fileIgnores: [{ rules: ["ban-char-field", "require-concurrent-index-creation"], line: 2 }] })).toEqual(["warning prefer-text-field@9"]);
  });

  test("an ignore that suppresses nothing (or names no rule) is itself a finding", () => {
    const out = run({ statementIgnores: new Map([[0, [{ rules: ["prefer-text-field", "no-such-rule"], line: 7 }]]]) });
    expect(out.filter((l) => l.includes("unused-ignore"))).toEqual(["warning unused-ignore@7", "warning unused-ignore@7"]);
  });

  test("[lint] turns rules off and re-grades them", () => {
    expect(run({ levels: { "require-concurrent-index-creation": "warning", "ban-char-field": "off", "prefer-text-field": "error" } })).toEqual([
      "warning require-concurrent-index-creation@8",
      "error prefer-text-field@9",
    ]);
  });
});

describe("[lint] in retort.toml", () => {
  test("is read as rule = level", () => {
    expect(parseConfig("/x/retort.toml", '[lint]\nprefer-text-field = "off"\nrequire-lock-timeout = "error"\n').lint).toEqual({ "prefer-text-field": "off", "require-lock-timeout": "error" });
  });
  test("a level other than error, warning or off is a config error naming the rule", () => {
    expect(() => parseConfig("/x/retort.toml", '[lint]\nprefer-text-field = "loud"\n')).toThrow(/\[lint\] prefer-text-field must be "error", "warning" or "off"/);
  });
  test("an unknown rule name is a config error", () => {
    expect(() => checkLintConfig("/x/retort.toml", { "prefer-txt": "off" })).toThrow(ConfigError);
    expect(checkLintConfig(null, { "prefer-text-field": "off" })).toEqual({ "prefer-text-field": "off" });
  });
});
