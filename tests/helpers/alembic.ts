/**
 * The real Alembic (Debian's python3-alembic, installed by .ci/run) for tests
 * that compare retort with it. One Python process per call runs several
 * Alembic commands, since each process start costs ~0.3 s.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The Python that has Alembic and psycopg2 (Debian's). */
export const ALEMBIC_PYTHON = process.env.RETORT_TEST_ALEMBIC_PYTHON ?? "/usr/bin/python3";

let available: Promise<boolean> | undefined;

/** Whether Alembic and psycopg2 import; in CI (CI=true) a missing Alembic is a failure, not a skip. */
export function alembicAvailable(): Promise<boolean> {
  available ??= (async () => {
    let ok = false;
    try {
      const child = Bun.spawn([ALEMBIC_PYTHON, "-c", "import alembic, psycopg2"], { stdout: "ignore", stderr: "ignore" });
      ok = (await child.exited) === 0;
    } catch {
      ok = false;
    }
    if (!ok && process.env.CI === "true") throw new Error(`Alembic is required in CI: ${ALEMBIC_PYTHON} cannot import alembic, psycopg2 (see .ci/run)`);
    if (!ok) console.warn(`skipping Alembic comparison tests: ${ALEMBIC_PYTHON} cannot import alembic, psycopg2 (apt-get install python3-alembic python3-psycopg2)`);
    return ok;
  })();
  return available;
}

/** One Alembic command: `history`, or `upgrade TARGET` against a database URL (passed to env.py as `-x url=`). */
export type AlembicStep = { readonly command: "history" } | { readonly command: "upgrade"; readonly target: string; readonly url: string };

const SCRIPT = String.raw`
import argparse, io, json, sys
from alembic import command
from alembic.config import Config
out = {}
for index, step in enumerate(json.load(open(sys.argv[1]))):
    buf = io.StringIO()
    cfg = Config("alembic.ini", stdout=buf)
    cfg.cmd_opts = argparse.Namespace(x=["url=" + step["url"]] if "url" in step else [])
    if step["command"] == "history":
        command.history(cfg)
    else:
        command.upgrade(cfg, step["target"])
    out[str(index)] = buf.getvalue()
json.dump(out, open(sys.argv[2], "w"))
`;

/** Run the steps in order in the Alembic project at `projectDir`; returns each step's stdout. */
export async function runAlembic(projectDir: string, steps: readonly AlembicStep[]): Promise<string[]> {
  const dir = mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", "alembic-"));
  const sqlalchemy = steps.map((step) => (step.command === "upgrade" ? { ...step, url: step.url.replace(/^postgres:/, "postgresql:") } : step));
  writeFileSync(join(dir, "run.py"), SCRIPT);
  writeFileSync(join(dir, "steps.json"), JSON.stringify(sqlalchemy));
  const child = Bun.spawn([ALEMBIC_PYTHON, join(dir, "run.py"), join(dir, "steps.json"), join(dir, "out.json")], {
    cwd: projectDir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PYTHONDONTWRITEBYTECODE: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`alembic failed in ${projectDir} (exit ${code}):\n${stderr}`);
  const out = (await Bun.file(join(dir, "out.json")).json()) as Record<string, string>;
  return steps.map((_, index) => out[String(index)] ?? "");
}
