/**
 * A project whose Alembic directory is a Python package named `alembic`
 * (`alembic init alembic` plus an __init__.py) must not stand in for the
 * alembic package when retort starts Python: not from the working directory
 * (`python -c` puts it first on sys.path), not from alembic.ini's
 * prepend_sys_path.
 */
import { expect, test } from "bun:test";
import { cpSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { importAlembic } from "../../src/commands/import-alembic.ts";
import { ALEMBIC_PYTHON, alembicAvailable } from "../helpers/alembic.ts";
import { tempDir } from "../helpers/cli.ts";

const OPERATIONS = resolve(import.meta.dir, "../fixtures/alembic/operations");

test.skipIf(!(await alembicAvailable()))("a project directory named alembic/ does not shadow the alembic package", async () => {
  const root = tempDir("import-shadow-");
  cpSync(OPERATIONS, root, { recursive: true });
  renameSync(join(root, "migrations"), join(root, "alembic"));
  writeFileSync(join(root, "alembic/__init__.py"), "");
  const ini = join(root, "alembic.ini");
  writeFileSync(ini, readFileSync(ini, "utf8").replace("script_location = migrations", "script_location = alembic"));
  const result = await importAlembic({
    path: root,
    dir: join(root, "out/versions"),
    configPath: null,
    newConfigPath: join(root, "retort.toml"),
    python: ALEMBIC_PYTHON,
    dryRun: true,
    // the working directory is the project's, as when a user runs retort there
    cwd: root,
  });
  expect(result.alembic).toMatchObject({ used: true, reason: null });
  expect(result.unconverted).toEqual([]);
  expect(result.revisions.map((r) => [r.revision, r.converter])).toEqual([
    ["a10000000001", "alembic"],
    ["b20000000002", "alembic"],
    ["c30000000003", "alembic"],
    ["d40000000004", "alembic"],
  ]);
});
