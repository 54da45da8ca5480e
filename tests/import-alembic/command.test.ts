/** importAlembic in process, built-in converter only (no Python is started): project shapes, hostile modules, existing config. */
import { describe, expect, test } from "bun:test";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { importAlembic, type ImportAlembicOptions } from "../../src/commands/import-alembic.ts";
import { UsageError } from "../../src/errors.ts";
import { tempDir } from "../helpers/cli.ts";

const PLATFORM = resolve(import.meta.dir, "../fixtures/alembic/platform");

function project(): { root: string; versions: string; options: (extra?: Partial<ImportAlembicOptions>) => ImportAlembicOptions } {
  const root = tempDir("import-cmd-");
  cpSync(PLATFORM, join(root, "alembic"), { recursive: true });
  const versions = join(root, "alembic/migrations/versions");
  return {
    root,
    versions,
    options: (extra = {}) => ({
      path: join(root, "alembic"),
      dir: join(root, "out/versions"),
      configPath: null,
      newConfigPath: join(root, "retort.toml"),
      python: null,
      cwd: root,
      ...extra,
    }),
  };
}

describe("importAlembic without Python", () => {
  test("PATH may be the versions directory itself; no alembic.ini means no url", async () => {
    const p = project();
    const result = await importAlembic(p.options({ path: p.versions }));
    expect(result.source.ini).toBeNull();
    expect(result.revisions.map((r) => r.revision)).toEqual(["0ee619f3516b", "dadf308f3867", "ffa7dce781be"]);
    expect(result.config.url).toBeNull();
    expect(result.config.notes).toContain("alembic.ini has no sqlalchemy.url; no url set");
    expect(readdirSync(join(p.root, "out/versions"))).toHaveLength(3);
  });

  test("an existing retort.toml is left alone, and the keys it may need are named without the password", async () => {
    const p = project();
    writeFileSync(join(p.root, "retort.toml"), "# mine\n");
    const result = await importAlembic(p.options({ configPath: join(p.root, "retort.toml") }));
    expect(readFileSync(join(p.root, "retort.toml"), "utf8")).toBe("# mine\n");
    expect(result.config.written).toBe(false);
    expect(result.config.notes.join("\n")).toContain('may need: url = "postgresql://platform@localhost:5432/platform"');
    expect(JSON.stringify(result)).not.toContain("s3cret-Pa55");
  });

  test("without Alembic the reason names the Python tried (or --python none) and how to pass another", async () => {
    const none = await importAlembic(project().options({ python: null, dryRun: true }));
    expect(none.alembic.reason).toBe("--python none");
    const lines: string[] = [];
    const missing = await importAlembic(project().options({ python: "/nonexistent/python3", dryRun: true, log: (line) => lines.push(line) }));
    expect(missing.alembic).toEqual({ used: false, python: "/nonexistent/python3", version: null, reason: "--python /nonexistent/python3 could not be run (no such file or command)" });
    expect(lines).toContain(
      "Alembic not used (--python /nonexistent/python3 could not be run (no such file or command)); converting op.execute() bodies with the built-in converter; pass a Python that can import alembic with --python CMD",
    );
  });

  test("a module that cannot be tokenized is named with its line; the others are written", async () => {
    const p = project();
    const broken = join(p.versions, "ffa7dce781be_create_sample_table.py");
    writeFileSync(broken, readFileSync(broken, "utf8").replace('revision: str = \'ffa7dce781be\'', "revision: str = 'ffa7dce781be"));
    const result = await importAlembic(p.options());
    expect(result.unconverted).toEqual([{ revision: null, source: broken, line: 15, reason: "unterminated string literal" }]);
    expect(result.rerun).toContain("install Alembic");
    expect(readdirSync(join(p.root, "out/versions")).sort()).toEqual(["0ee619f3516b_seed_initial_focus_groups_dimensions_weights_data.sql", "dadf308f3867_create_base_platform_tables.sql"]);
  });

  test("SQL holding a section marker line is refused, not written split; a docstring line that reads like a header key is left out", async () => {
    const p = project();
    const sample = join(p.versions, "ffa7dce781be_create_sample_table.py");
    writeFileSync(sample, readFileSync(sample, "utf8").replace("DROP TABLE sample_table;", "DROP TABLE sample_table;\n-- migrate:upgrade\nSELECT 1;"));
    const base = join(p.versions, "dadf308f3867_create_base_platform_tables.py");
    writeFileSync(base, readFileSync(base, "utf8").replace("Base tables of", "Important Note: base tables of"));
    const result = await importAlembic(p.options());
    expect(result.unconverted.map((u) => [u.revision, u.reason])).toEqual([["ffa7dce781be", "the SQL file would not load back (second '-- migrate:upgrade' section (the first is at line 6); merge them into one); edit the module or convert it by hand"]]);
    const platform = result.revisions.find((r) => r.revision === "dadf308f3867");
    expect(platform?.notes).toEqual(["docstring paragraphs after the message were left out (they read like header lines)"]);
    expect(readFileSync(platform?.target as string, "utf8")).not.toContain("Important Note");
  });

  test("two modules declaring one revision id stop the import before anything is written", async () => {
    const p = project();
    cpSync(join(p.versions, "ffa7dce781be_create_sample_table.py"), join(p.versions, "zz_copy.py"));
    await expect(importAlembic(p.options())).rejects.toThrow(UsageError);
    await expect(importAlembic(p.options())).rejects.toThrow("revision ffa7dce781be is also declared by");
    expect(existsSync(join(p.root, "out"))).toBe(false);
    expect(existsSync(join(p.root, "retort.toml"))).toBe(false);
  });

  test("a directory with neither alembic.ini nor revision modules is refused with the fix", async () => {
    const p = project();
    await expect(importAlembic(p.options({ path: p.root }))).rejects.toThrow("holds no alembic.ini and no .py revision files");
  });

  test("--dry-run writes nothing", async () => {
    const p = project();
    const result = await importAlembic(p.options({ dryRun: true }));
    expect(result.files.map((f) => f.status)).toEqual(["dry-run", "dry-run", "dry-run", "dry-run"]);
    expect(existsSync(join(p.root, "out"))).toBe(false);
    expect(existsSync(join(p.root, "retort.toml"))).toBe(false);
  });
});
