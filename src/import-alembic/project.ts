/**
 * Finding an Alembic project on disk: the alembic.ini (or the versions
 * directory given directly), the directories Alembic reads revision modules
 * from, env.py, and the revision modules themselves, named as Alembic's
 * ScriptDirectory names them (`*.py`, not `__init__.py`, not editor `.#` files).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../errors.ts";
import { type AlembicIni, readAlembicIni } from "./ini.ts";

/** Where an Alembic project keeps what an import reads. */
export interface AlembicProject {
  /** alembic.ini, or null when PATH named the versions directory itself */
  readonly iniPath: string | null;
  readonly ini: AlembicIni | null;
  readonly scriptLocation: string;
  readonly versionDirs: readonly string[];
  /** env.py if it exists */
  readonly envPath: string | null;
  /** every revision module, in file-name order per directory */
  readonly files: readonly string[];
}

/** Whether a file name is one Alembic loads as a revision module. */
export function isAlembicModuleName(name: string): boolean {
  return name.endsWith(".py") && !name.startsWith(".#") && !name.startsWith("__init__");
}

/** Find the project PATH names: a directory holding alembic.ini, an .ini file, or a versions directory. */
export function findAlembicProject(path: string): AlembicProject {
  if (!existsSync(path)) throw new UsageError(`${path} does not exist; pass the directory holding alembic.ini (or the Alembic versions directory)`);
  const iniPath = statSync(path).isFile() ? path : existsSync(join(path, "alembic.ini")) ? join(path, "alembic.ini") : null;
  if (iniPath === null) {
    const files = moduleFiles(path);
    if (files.length === 0) throw new UsageError(`${path} holds no alembic.ini and no .py revision files; pass the directory holding alembic.ini or the versions directory`);
    const scriptLocation = dirname(path);
    return { iniPath: null, ini: null, scriptLocation, versionDirs: [path], envPath: existingFile(join(scriptLocation, "env.py")), files };
  }
  const ini = readAlembicIni(iniPath, readFileSync(iniPath, "utf8"));
  if (ini.scriptLocation === null) throw new UsageError(`${iniPath}: no script_location in the [alembic] section`);
  if (!existsSync(ini.scriptLocation)) {
    throw new UsageError(`${iniPath}: script_location ${ini.scriptLocation} does not exist (a package resource such as 'pkg:dir' is not supported; give the path)`);
  }
  const versionDirs = ini.versionLocations.length > 0 ? ini.versionLocations : [join(ini.scriptLocation, "versions")];
  const files = versionDirs.flatMap((dir) => (existsSync(dir) ? moduleFiles(dir) : []));
  return { iniPath, ini, scriptLocation: ini.scriptLocation, versionDirs, envPath: existingFile(join(ini.scriptLocation, "env.py")), files };
}

function moduleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && isAlembicModuleName(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(dir, name));
}

function existingFile(path: string): string | null {
  return existsSync(path) ? path : null;
}

/** The retort file name for a module: its own stem when it already reads `<rev>_<slug>`, else Alembic's default template. */
export function targetStem(modulePath: string, id: string): string | null {
  const stem = basename(modulePath, ".py");
  return stem === id || stem.startsWith(`${id}_`) ? stem : null;
}
