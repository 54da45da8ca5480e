import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join, relative as relativePath } from "node:path";
import { ExitCode, RevisionFileError } from "../../src/errors.ts";
import { importTsRevision } from "../../src/revisions/ts-import.ts";
import { fromTsModule, leadingDocComment, type ModuleNamespace } from "../../src/revisions/ts-module.ts";

const upgrade = async () => {};
const downgrade = async () => {};
const VALID: ModuleNamespace = {
  revision: "ffa7dce781be",
  downRevision: null,
  branchLabels: [],
  dependsOn: [],
  message: "create sample_table",
  transaction: true,
  upgrade,
  downgrade,
};

function caught(fn: () => unknown): RevisionFileError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RevisionFileError) return error;
    throw error;
  }
  throw new Error("expected a RevisionFileError");
}

describe("fromTsModule", () => {
  test("turns the exports of a TypeScript revision into a loaded revision", () => {
    const rev = fromTsModule("v/ffa7dce781be_create_sample_table.ts", VALID);
    expect(rev).toMatchObject({
      id: "ffa7dce781be",
      downRevisions: [],
      branchLabels: [],
      dependsOn: [],
      message: "create sample_table",
      createDate: null,
      transaction: true,
      format: "ts",
      path: "v/ffa7dce781be_create_sample_table.ts",
      upgrade: { kind: "ts", fn: upgrade },
      downgrade: { kind: "ts", fn: downgrade },
    });
  });

  test.each([
    ["a string parent", { downRevision: "a1" }, { downRevisions: ["a1"] }],
    ["merge parents", { downRevision: ["a1", "b2"] }, { downRevisions: ["a1", "b2"] }],
    ["a single branch label as a string, like Alembic allows", { branchLabels: "seed" }, { branchLabels: ["seed"] }],
    ["dependencies", { dependsOn: ["a1", "lbl"] }, { dependsOn: ["a1", "lbl"] }],
    ["a non-transactional revision", { transaction: false }, { transaction: false }],
    ["a create date", { createDate: "2026-02-11 14:05:09" }, { createDate: "2026-02-11 14:05:09" }],
    ["no downgrade", { downgrade: undefined }, { downgrade: null }],
    ["no message, branch labels, dependencies or transaction", { message: undefined, branchLabels: undefined, dependsOn: undefined, transaction: undefined }, { message: "", branchLabels: [], dependsOn: [], transaction: true }],
  ] as const)("accepts %s", (_name, patch, expected) => {
    expect(fromTsModule("ffa7dce781be_x.ts", { ...VALID, ...patch })).toMatchObject(expected);
  });

  test.each([
    ["a missing revision", { revision: undefined }, "missing export 'revision'"],
    ["a revision that is not a string", { revision: 42 }, "export 'revision' must be a string, not number"],
    ["a missing downRevision", { downRevision: undefined }, "missing export 'downRevision'"],
    ["a downRevision of the wrong type", { downRevision: 7 }, "export 'downRevision' must be a string, an array of non-empty strings or null, not number"],
    ["branch labels with a non-string", { branchLabels: ["a", 1] }, "export 'branchLabels' must be a string, an array of non-empty strings or null"],
    ["a message that is not a string", { message: ["m"] }, "export 'message' must be a string"],
    ["a transaction that is not a boolean", { transaction: "false" }, "export 'transaction' must be a boolean, not string"],
    ["a missing upgrade", { upgrade: undefined }, "missing export 'upgrade'"],
    ["an upgrade that is not a function", { upgrade: "CREATE TABLE t ()" }, "export 'upgrade' must be a function"],
    ["a downgrade that is not a function", { downgrade: true }, "export 'downgrade' must be a function"],
    ["Alembic's snake_case names", { downRevision: undefined, down_revision: null }, "exports 'down_revision'; retort's TypeScript form calls it 'downRevision'"],
    ["a file name that disagrees with the id", { revision: "a1" }, "does not start with its revision id 'a1_'"],
  ] as const)("rejects %s", (_name, patch, message) => {
    const ns: Record<string, unknown> = { ...VALID, ...patch };
    // A module namespace has no key for a missing export.
    for (const key of Object.keys(ns)) if (ns[key] === undefined) delete ns[key];
    const error = caught(() => fromTsModule("ffa7dce781be_x.ts", ns));
    expect(error.message).toContain(message);
    expect(error.file).toBe("ffa7dce781be_x.ts");
    expect(error.exitCode).toBe(ExitCode.usage);
  });

  test("points a type error at the line of the export when the source is known", () => {
    const text = 'export const revision = "ffa7dce781be";\nexport const downRevision = null;\n\nexport const transaction = "no";\n';
    expect(caught(() => fromTsModule("ffa7dce781be_x.ts", { ...VALID, transaction: "no" }, text)).line).toBe(4);
  });

  test("uses the leading doc comment as the docstring", () => {
    const text = "/**\n * create sample_table\n *\n * Revision ID: ffa7dce781be\n */\nexport const revision = 'ffa7dce781be';\n";
    expect(fromTsModule("ffa7dce781be_x.ts", VALID, text).doc).toBe("create sample_table\n\nRevision ID: ffa7dce781be");
  });

  test("without a doc comment, writes the docstring Alembic's template would", () => {
    const rev = fromTsModule("ffa7dce781be_x.ts", { ...VALID, downRevision: ["a1", "b2"], createDate: "2026-02-11 14:05:09" }, "export const revision = 'x';");
    expect(rev.doc).toBe("create sample_table\n\nRevision ID: ffa7dce781be\nRevises: a1, b2\nCreate Date: 2026-02-11 14:05:09");
  });
});

describe("leadingDocComment", () => {
  test.each([
    ["a JSDoc block", "/**\n * one\n *\n * two\n */\ncode();", "one\n\ntwo"],
    ["a plain block", "/* one\n   two */", "one\n   two"],
    ["line comments", "// one\n// two\n\n// three\ncode();", "one\ntwo"],
    ["leading blank lines and a shebang", "#!/usr/bin/env bun\n\n/** doc */", "doc"],
    ["code before any comment", "code();\n/** late */", ""],
    ["an unterminated block", "/** never ends", ""],
  ])("reads %s", (_name, text, doc) => {
    expect(leadingDocComment(text)).toBe(doc);
  });
});

describe("importTsRevision", () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "ts-import-"));
  });

  test("imports a module from disk, with type-only imports of modules that do not exist", async () => {
    const text = [
      "/** create sample_table */",
      'import type { Op } from "retort-not-installed";',
      'export const revision = "ffa7dce781be";',
      "export const downRevision: string | string[] | null = null;",
      'export const message = "create sample_table";',
      "export const transaction = false;",
      "export async function upgrade(op: Op) { await op.execute('CREATE TABLE t ()'); }",
    ].join("\n");
    const rev = await importTsRevision(write("ffa7dce781be_create_sample_table.ts", text), text);
    expect(rev).toMatchObject({ id: "ffa7dce781be", transaction: false, doc: "create sample_table", downgrade: null });
    const executed: string[] = [];
    if (rev.upgrade.kind !== "ts") throw new Error("expected a ts script");
    await rev.upgrade.fn({ execute: async (sql: string) => void executed.push(sql) } as never);
    expect(executed).toEqual(["CREATE TABLE t ()"]);
  });

  test("turns a syntax error into a one-line RevisionFileError with the line", async () => {
    const path = write("a1_syntax.ts", 'export const revision = "a1";\nexport const downRevision = null;\nexport const x = {;\n');
    const error = await importTsRevision(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RevisionFileError);
    expect((error as RevisionFileError).line).toBe(3);
    expect((error as RevisionFileError).message).toStartWith(`${path}:3: cannot compile TypeScript revision: `);
    expect((error as RevisionFileError).message).not.toContain("\n");
  });

  test("rejects a module without an upgrade function", async () => {
    const path = write("b2_no_upgrade.ts", 'export const revision = "b2";\nexport const downRevision = null;\n');
    await expect(importTsRevision(path)).rejects.toThrow(`${path}: missing export 'upgrade'`);
  });

  test("reports a module that throws while loading, at the throwing line", async () => {
    const path = write("c3_throws.ts", 'export const revision = "c3";\n\nthrow new Error("boom");\n');
    const error = (await importTsRevision(path).catch((e: unknown) => e)) as RevisionFileError;
    expect(error).toBeInstanceOf(RevisionFileError);
    expect(error.message).toBe(`${path}:3: error while loading TypeScript revision: boom`);
  });

  test("reports a relative path as given", async () => {
    const path = write("d4_rel.ts", 'export const revision = "d4";\nexport const downRevision = "c3";\nexport function upgrade() {}\n');
    const relative = relativePath(process.cwd(), path);
    const rev = await importTsRevision(relative);
    expect(rev.path).toBe(relative);
    expect(rev.downRevisions).toEqual(["c3"]);
  });
});
