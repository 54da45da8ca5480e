/** `retort init`: scaffold retort.toml and a revision directory, never overwriting. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { CONFIG_FILE_NAME } from "../config/config.ts";
import { UsageError } from "../errors.ts";

/** What init created. */
export interface InitResult {
  readonly configPath: string;
  readonly versionsDir: string;
  /** directories created, in order */
  readonly directories: readonly string[];
  /** files written */
  readonly files: readonly string[];
}

/** The retort.toml that init writes: every key, commented where it has a default. */
export function renderInitialConfig(versionsDir: string): string {
  return `# retort configuration. Paths are relative to this file.

# Where revision files live.
dir = ${JSON.stringify(versionsDir)}

# Database URL. Resolution order: --url, RETORT_DATABASE_URL, DATABASE_URL,
# this key, then the embedded PGlite database at pglite:.retort/db.
# url = "postgres://user@localhost:5432/app"

# Alembic's version table; change only to match an existing setup.
# version_table = "alembic_version"
# version_table_schema = "public"
# history_table = "retort_history"

# One transaction per revision instead of one for the whole run.
# transaction_per_migration = false

# Seconds to wait for the migration lock held by another run.
# lock_timeout = 60

# Declarative schema for check/diff/revision --autogenerate.
# schema = "schema.sql"

# retort lint: turn rules off or re-grade them ("error", "warning" or "off").
# [lint]
# prefer-bigint-over-int = "off"
# require-lock-timeout = "error"

# Objects check/diff/revision --autogenerate compare: schema.name patterns
# with * and ?, a bare name in any schema (keep this table last).
# [autogenerate]
# exclude = ["extra.*", "tmp_*"]
# include = []
`;
}

/** A revision file to write into the new versions directory (the executable's embedded revisions). */
export interface SeedFile {
  /** file name, e.g. ffa7dce781be_create_sample_table.sql */
  readonly name: string;
  readonly text: string;
}

/**
 * Create `<directory>/versions` and retort.toml in cwd, and write `seed` (the
 * revisions an executable embeds) into it; refuse if anything is already there.
 */
export function init(directory: string, cwd: string = process.cwd(), seed: readonly SeedFile[] = []): InitResult {
  const root = resolve(cwd, directory);
  const versionsDir = join(root, "versions");
  const configPath = join(cwd, CONFIG_FILE_NAME);
  if (existsSync(root) && readdirSync(root).length > 0) {
    throw new UsageError(`Directory ${root} already exists and is not empty`);
  }
  if (existsSync(configPath)) {
    throw new UsageError(`File ${configPath} already exists; remove it or run init elsewhere`);
  }
  const directories = existsSync(root) ? [versionsDir] : [root, versionsDir];
  for (const file of seed) {
    if (basename(file.name) !== file.name || file.name.startsWith(".")) throw new UsageError(`embedded revision file name '${file.name}' is not a plain file name`);
  }
  mkdirSync(versionsDir, { recursive: true });
  writeFileSync(configPath, renderInitialConfig(relative(cwd, versionsDir) || "."), { flag: "wx" });
  const written = seed.map((file) => {
    const path = join(versionsDir, file.name);
    writeFileSync(path, file.text, { flag: "wx" });
    return path;
  });
  return { configPath, versionsDir, directories, files: [configPath, ...written] };
}
