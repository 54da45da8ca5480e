import { describe, expect, test } from "bun:test";
import { type PyValue, readPythonModule } from "../../src/import-alembic/python-module.ts";
import { PySyntaxError, tokenizePython } from "../../src/import-alembic/python-tokens.ts";
import { readRevisionSource, RevisionModuleError, revisionMeta } from "../../src/import-alembic/revision-module.ts";

const str = (value: string): PyValue => ({ kind: "str", value });

describe("string literals decode as Python decodes them", () => {
  test.each([
    [`x = "plain"`, "plain"],
    [`x = 'single'`, "single"],
    [`x = "a\\nb\\t\\\\c\\'d"`, "a\nb\t\\c'd"],
    [`x = r"raw\\n\\d"`, "raw\\n\\d"],
    [`x = R'^[a-z]\\w+$'`, "^[a-z]\\w+$"],
    [`x = "\\x41\\u00e9\\U0001F600\\101"`, "Aé😀A"],
    [`x = "unknown \\d escape"`, "unknown \\d escape"],
    [`x = """triple\n"quoted" 'x'\n"""`, `triple\n"quoted" 'x'\n`],
    [`x = '''it''s'''`, "it''s"],
    [`x = ("implicit "\n     'concatenation')`, "implicit concatenation"],
    [`x = "one" "two"`, "onetwo"],
    [`x = "line \\\ncontinued"`, "line continued"],
    [`x = u"unicode"`, "unicode"],
    [`x = b"bytes"`, "bytes"],
    [`x = rb"\\raw"`, "\\raw"],
    [`x = "# not a comment"  # a comment`, "# not a comment"],
    [`x = "semi;colon"; y = 2`, "semi;colon"],
  ])("%s", (source, expected) => {
    expect(readPythonModule(source).assignments.get("x")?.value).toEqual(str(expected));
  });

  test("an f-string is not a literal", () => {
    expect(readPythonModule(`x = f"{a}"`).assignments.get("x")?.value.kind).toBe("other");
  });
});

describe("module-level assignments", () => {
  test.each<[string, PyValue]>([
    [`down_revision = None`, { kind: "none" }],
    [`down_revision: Union[str, None] = "abc"`, str("abc")],
    [`down_revision: Union[str, Sequence[str], None] = ("a", "b")`, { kind: "seq", items: [str("a"), str("b")] }],
    [`down_revision = "a", "b"`, { kind: "seq", items: [str("a"), str("b")] }],
    [`down_revision = ("a",)`, { kind: "seq", items: [str("a")] }],
    [`down_revision = ("a")`, str("a")],
    [`down_revision = ["a",\n    "b",\n]`, { kind: "seq", items: [str("a"), str("b")] }],
    [`down_revision = []`, { kind: "seq", items: [] }],
    [`down_revision = True`, { kind: "bool", value: true }],
    [`down_revision = make_id()`, { kind: "other", text: "down_revision = make_id()" }],
    [`down_revision = ("a", other)`, { kind: "seq", items: [str("a"), { kind: "other", text: `down_revision = ("a", other)` }] }],
  ])("%s", (source, expected) => {
    expect(readPythonModule(source).assignments.get("down_revision")?.value).toEqual(expected);
  });

  test("only top-level assignments count, and the last one wins", () => {
    const module = readPythonModule(`revision = "a"\nif x:\n    revision = "b"\ndef f():\n    revision = "c"\nrevision = "d"\n`);
    expect(module.assignments.get("revision")?.value).toEqual(str("d"));
  });

  test("a keyword argument is not an assignment", () => {
    expect(readPythonModule(`f(revision="x")`).assignments.size).toBe(0);
  });
});

describe("docstrings and functions", () => {
  test("the module docstring is the first statement's string", () => {
    expect(readPythonModule(`"""doc\n\nmore"""\nx = 1`).docstring).toBe("doc\n\nmore");
    expect(readPythonModule(`# comment first\n\n'''doc'''`).docstring).toBe("doc");
    expect(readPythonModule(`import x\n"""not a docstring"""`).docstring).toBeNull();
  });

  test("function bodies are their indented logical lines", () => {
    const module = readPythonModule(`def upgrade() -> None:\n    op.execute(\n"""\nSELECT 1\n"""\n)\n    # comment\n    pass\n\n\ndef downgrade(): pass\nx = 1\n`);
    const up = module.functions.get("upgrade");
    expect(up?.body.map((line) => line.tokens.map((t) => t.value).join(" "))).toEqual(["op . execute ( \nSELECT 1\n )", "pass"]);
    expect(module.functions.get("downgrade")?.body.map((line) => line.text)).toEqual(["pass"]);
    expect(module.assignments.get("x")).toBeDefined();
  });
});

describe("tokenizer errors name the line", () => {
  test.each([
    [`x = "unterminated\ny = 1`, 1],
    [`x = 1\ny = """never closed`, 2],
    [`x = (1,\n`, 2],
    [`x = 1)`, 1],
  ])("%p", (source, line) => {
    try {
      tokenizePython(source);
      throw new Error("no error");
    } catch (error) {
      expect(error).toBeInstanceOf(PySyntaxError);
      expect((error as PySyntaxError).line).toBe(line);
    }
  });
});

describe("revision metadata", () => {
  const module = (body: string) => readRevisionSource(body);

  test("Alembic's template: message, create date, notes, ids", () => {
    const meta = revisionMeta(
      module(`"""add users

Users sign in with email.
Second line.

Revision ID: ae1027a6acf
Revises: 1975ea83b712
Create Date: 2026-02-10 09:12:41.318829

"""
from alembic import op
revision: str = 'ae1027a6acf'
down_revision: Union[str, None] = '1975ea83b712'
branch_labels = ('core',)
depends_on = ['aaa', 'bbb']
`),
    );
    expect(meta).toEqual({
      id: "ae1027a6acf",
      downRevisions: ["1975ea83b712"],
      branchLabels: ["core"],
      dependsOn: ["aaa", "bbb"],
      message: "add users",
      createDate: "2026-02-10 09:12:41.318829",
      notes: ["Users sign in with email.", "Second line."],
    });
  });

  test.each([
    [`down_revision = None`, "no module-level 'revision"],
    [`revision = make()\ndown_revision = None`, "'revision' is not a string literal"],
    [`revision = "a"`, "no module-level 'down_revision"],
    [`revision = "a"\ndown_revision = compute()`, "'down_revision' is not None, a string, or a tuple/list of strings"],
    [`revision = "a"\ndown_revision = None\nbranch_labels = (1, 2)`, "'branch_labels' is not None"],
  ])("%p is refused", (source, message) => {
    expect(() => revisionMeta(module(source))).toThrow(RevisionModuleError);
    expect(() => revisionMeta(module(source))).toThrow(message);
  });

  test("no docstring: empty message, no create date", () => {
    const meta = revisionMeta(module(`revision = "a"\ndown_revision = ("b", "c")`));
    expect(meta.message).toBe("");
    expect(meta.createDate).toBeNull();
    expect(meta.downRevisions).toEqual(["b", "c"]);
  });
});
