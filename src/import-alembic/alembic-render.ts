/**
 * Rendering revision bodies with the machine's own Alembic: one Python
 * process (a script written to a temporary file) loads each revision module
 * and calls its upgrade() and downgrade() under an offline (as_sql)
 * MigrationContext for PostgreSQL, exactly as `alembic upgrade --sql` runs a
 * step, but per revision (so merges and branches need no range arithmetic)
 * and without env.py or the version table. The statements Alembic emits come
 * back one by one; `autocommit_block()` is recorded instead of emitting
 * COMMIT/BEGIN. This runs the revision modules' Python code (no database is
 * connected): the price of converting every op.* call exactly.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One direction as Alembic rendered it: its statements, or the exception it raised. */
export type RenderedSection =
  | { readonly statements: readonly string[]; readonly autocommit: boolean }
  | { readonly error: string; readonly missing?: boolean };

/** One module: its two directions, or why it could not even be loaded. */
export interface RenderedModule {
  readonly path: string;
  readonly loadError?: string;
  readonly upgrade?: RenderedSection;
  readonly downgrade?: RenderedSection;
}

// Alembic is imported before the project's directories go on sys.path (as
// the alembic command itself does), so a project directory named alembic/
// (with an __init__.py) cannot stand in for the package.
const SCRIPT = String.raw`
import contextlib, importlib.util, io, json, sys, traceback
request = json.load(open(sys.argv[1]))
from alembic.runtime.migration import MigrationContext
from alembic.operations import Operations
sys.path[:0] = request["sysPath"]

def describe(error):
    last = traceback.extract_tb(error.__traceback__)[-1:]
    where = " (%s:%d)" % (last[0].filename, last[0].lineno) if last else ""
    return "%s: %s%s" % (type(error).__name__, error, where)

def render(fn):
    statements = []
    flags = {"autocommit": False}
    ctx = MigrationContext.configure(
        dialect_name="postgresql",
        opts={"as_sql": True, "output_buffer": io.StringIO(), "literal_binds": True},
        dialect_opts={"paramstyle": "named"},
    )
    ctx.impl.static_output = lambda text: statements.append(text)
    @contextlib.contextmanager
    def autocommit_block():
        flags["autocommit"] = True
        yield
    ctx.autocommit_block = autocommit_block
    with Operations.context(ctx):
        fn()
    return {"statements": statements, "autocommit": flags["autocommit"]}

results = []
for index, path in enumerate(request["files"]):
    result = {"path": path}
    try:
        spec = importlib.util.spec_from_file_location("_retort_import_%d" % index, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except BaseException as error:
        result["loadError"] = describe(error)
        results.append(result)
        continue
    for name in ("upgrade", "downgrade"):
        fn = getattr(module, name, None)
        if fn is None:
            result[name] = {"error": "no %s() function" % name, "missing": True}
            continue
        try:
            result[name] = render(fn)
        except BaseException as error:
            result[name] = {"error": describe(error)}
    results.append(result)
json.dump(results, open(sys.argv[2], "w"))
`;

/** The --python value as argv: `python3`, `/usr/bin/python3`, or a command with arguments (`uv run python`). */
export function pythonCommand(value: string): string[] {
  return value.trim().split(/\s+/).filter((part) => part !== "");
}

/**
 * `python -c` puts the working directory first on sys.path (as ''), where a
 * project's own alembic/ directory would be found instead of the package:
 * the probe takes it off again. (Python 3.11's -P would leave it out, but
 * older Pythons refuse the option; with -P, -I or PYTHONSAFEPATH there is
 * no '' to take off.)
 */
const PROBE = "import sys\nif sys.path[:1] == ['']: del sys.path[0]\nimport alembic\nsys.stdout.write(alembic.__version__)";

/** Whether the Python imports alembic, and Alembic's version if so; `started` false when the command could not be run at all. */
export async function probeAlembic(python: readonly string[], cwd?: string): Promise<{ ok: true; version: string } | { ok: false; started: boolean; reason: string }> {
  let child: ReturnType<typeof Bun.spawn>;
  try {
    child = Bun.spawn([...python, "-c", PROBE], { stdout: "pipe", stderr: "pipe", stdin: "ignore", ...(cwd === undefined ? {} : { cwd }) });
  } catch (error) {
    const missing = (error as { code?: unknown } | null)?.code === "ENOENT";
    return { ok: false, started: false, reason: missing ? "no such file or command" : error instanceof Error ? error.message : String(error) };
  }
  const [out, err, code] = await Promise.all([new Response(child.stdout as ReadableStream).text(), new Response(child.stderr as ReadableStream).text(), child.exited]);
  if (code === 0) return { ok: true, version: out.trim() };
  return { ok: false, started: true, reason: err.trim().split("\n").at(-1) || `exit ${code}` };
}

/** Render every module's upgrade and downgrade in one Python process. */
export async function renderWithAlembic(python: readonly string[], files: readonly string[], sysPath: readonly string[], cwd?: string): Promise<RenderedModule[]> {
  const dir = mkdtempSync(join(tmpdir(), "retort-import-"));
  try {
    const script = join(dir, "render.py");
    const request = join(dir, "request.json");
    const output = join(dir, "result.json");
    writeFileSync(script, SCRIPT);
    writeFileSync(request, JSON.stringify({ files, sysPath }));
    // no __pycache__ left in the user's project
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: "1" };
    const child = Bun.spawn([...python, script, request, output], { stdout: "ignore", stderr: "pipe", stdin: "ignore", env, ...(cwd === undefined ? {} : { cwd }) });
    const [err, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
    if (code !== 0) throw new Error(`${python.join(" ")} failed (exit ${code}): ${err.trim().split("\n").at(-1) ?? ""}`);
    return JSON.parse(readFileSync(output, "utf8")) as RenderedModule[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
