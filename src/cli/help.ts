/**
 * Help text, rendered from the command definitions themselves (so a new
 * option cannot be missing from it): the top-level page names the commands,
 * the global options, the URL forms, the environment variables and the exit
 * codes; a command's page lists its arguments, its options, the global ones
 * and the exit codes. On a server `--help` is the only manual, so every
 * page stands on its own. Pure: definitions in, text or JSON out.
 */
import type { ArgDef, ArgsDef } from "citty";

/** What help needs of one command: its name, description and argument definitions. */
export interface CommandHelp {
  readonly name: string;
  readonly description: string;
  readonly args: ArgsDef;
}

/** One documented global option (the names argv.ts accepts, with what they mean). */
export interface GlobalOptionHelp {
  readonly flags: readonly string[];
  readonly value?: string;
  readonly description: string;
}

/** The global options, in the order help lists them; tests check this matches argv.ts. */
export const GLOBAL_OPTIONS: readonly GlobalOptionHelp[] = [
  { flags: ["--url"], value: "URL", description: "database: postgres://USER@HOST/DB, pglite:DIR or pglite:memory" },
  { flags: ["--dir"], value: "DIR", description: "revision directory (default: dir in retort.toml, else migrations/versions)" },
  { flags: ["-c", "--config"], value: "FILE", description: "retort.toml to read (default: RETORT_CONFIG, else ./retort.toml)" },
  { flags: ["--json"], description: "print one JSON document on stdout (logs stay on stderr)" },
  { flags: ["-v", "--verbose"], description: "more detail on stderr, including the causes of an error" },
  { flags: ["-q", "--quiet"], description: "only errors on stderr" },
  { flags: ["--version-table"], value: "NAME", description: "version table name (default alembic_version)" },
  { flags: ["--version-table-schema"], value: "SCHEMA", description: "schema of the version table (default: the search_path's first)" },
  { flags: ["--history-table"], value: "NAME", description: "history table name, in the version table's schema (default retort_history)" },
  { flags: ["-h", "--help"], description: "this help; `retort help COMMAND` for one command" },
  { flags: ["--version"], description: "retort's version and the head of the revisions it embeds" },
  { flags: ["--targets"], value: "FILE|@GROUP", description: "fleet: one URL per line (- for stdin), or [targets.GROUP] in retort.toml; --url may repeat too" },
  { flags: ["--tenant-schemas"], value: "LIST", description: "fleet: run in each of these schemas (comma-separated) on every target URL" },
  { flags: ["--tenant-query"], value: "SQL", description: "fleet: the tenant schemas, as a query run on every target URL" },
  { flags: ["--create-schemas"], description: "fleet: create a tenant schema that does not exist (else that tenant fails)" },
  { flags: ["--jobs"], value: "N", description: "fleet: targets run at once, and connections per server (default 4)" },
  { flags: ["--canary"], value: "N", description: "fleet: the first N targets run alone first; the rest only if they succeeded" },
  { flags: ["--fail-fast"], description: "fleet: start no further target once one failed" },
];

/** The exit codes every command uses. */
export const EXIT_CODES: readonly (readonly [code: string, meaning: string])[] = [
  ["0", "done"],
  ["1", "a migration or SQL statement failed (rolled back), or check/diff found differences"],
  ["2", "bad usage or input: unknown command/option/revision, malformed revision file, broken graph"],
  ["3", "database unreachable, authentication failed, or the migration lock not taken in time"],
  ["130", "interrupted by Ctrl-C (SIGINT); 143 for SIGTERM"],
];

const URL_FORMS: readonly (readonly [string, string])[] = [
  ["postgres://USER@HOST:5432/DB?sslmode=require", "real PostgreSQL (postgresql:// too; libpq query options)"],
  ["pglite:DIR", "embedded PGlite (PostgreSQL 18) persisted in DIR"],
  ["pglite:memory", "embedded PGlite in memory, gone at exit"],
];

const ENVIRONMENT: readonly (readonly [string, string])[] = [
  ["RETORT_DATABASE_URL", "database URL when --url is not given"],
  ["DATABASE_URL", "database URL when neither --url nor RETORT_DATABASE_URL is given"],
  ["RETORT_CONFIG", "path of retort.toml when -c is not given"],
  ["RETORT_CACHE_DIR", "the snapshot cache directory (else cache_dir in retort.toml, else .retort/cache)"],
  ["NO_COLOR", "no colours in logs"],
];

/** Two aligned columns, no trailing spaces. */
function table(rows: readonly (readonly [string, string])[], indent = "  "): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => (right === "" ? `${indent}${left}` : `${indent}${left.padEnd(width)}  ${right}`).trimEnd());
}

/** The kebab-case spelling users type (`transactionPerMigration` → `transaction-per-migration`). */
export function kebab(name: string): string {
  return name.replace(/_/g, "-").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * A positional the command cannot run without. Commands keep citty's own
 * check off (`required: false`) to give their own message, and mark the
 * argument as needed by spelling its placeholder in capitals (`valueHint`).
 */
function positionalRequired(arg: ArgDef): boolean {
  if (arg.required !== false) return true;
  return typeof arg.valueHint === "string" && arg.valueHint === arg.valueHint.toUpperCase() && !arg.valueHint.startsWith("[");
}

/** How help shows a positional: its `valueHint` (e.g. `REVISION...`), else its name in capitals. */
function placeholder(name: string, arg: ArgDef): string {
  return typeof arg.valueHint === "string" && arg.valueHint !== "" ? arg.valueHint.replace(/^\[|\]$/g, "") : kebab(name).toUpperCase();
}

function optionFlags(name: string, arg: ArgDef): string {
  const aliases = "alias" in arg && arg.alias ? (Array.isArray(arg.alias) ? arg.alias : [arg.alias]) : [];
  const flags = [...aliases.map((a) => (a.length === 1 ? `-${a}` : `--${a}`)), `--${kebab(name)}`];
  const takesValue = arg.type === "string" || arg.type === "enum";
  const value = takesValue ? ` ${typeof arg.valueHint === "string" && arg.valueHint !== "" ? arg.valueHint : kebab(name).toUpperCase()}` : "";
  return `${flags.join(", ")}${value}`;
}

/** The `Usage:` line of a command. */
export function usageLine(command: CommandHelp): string {
  const parts = ["retort", command.name];
  if (Object.values(command.args).some((arg) => arg.type !== "positional")) parts.push("[OPTIONS]");
  for (const [name, arg] of Object.entries(command.args)) {
    if (arg.type !== "positional") continue;
    const text = placeholder(name, arg);
    parts.push(positionalRequired(arg) ? text : `[${text}]`);
  }
  return parts.join(" ");
}

function globalRows(): [string, string][] {
  return GLOBAL_OPTIONS.map((o) => [`${o.flags.join(", ")}${o.value ? ` ${o.value}` : ""}`, o.description]);
}

/** `retort COMMAND --help`. */
export function commandHelp(command: CommandHelp): string {
  const lines = [`Usage: ${usageLine(command)}`, "", command.description];
  const positionals = Object.entries(command.args).filter(([, arg]) => arg.type === "positional");
  const options = Object.entries(command.args).filter(([, arg]) => arg.type !== "positional");
  if (positionals.length > 0) {
    lines.push("", "Arguments:");
    lines.push(
      ...table(
        positionals.map(([name, arg]) => {
          const notes = [positionalRequired(arg) ? "required" : "", arg.default !== undefined ? `default ${String(arg.default)}` : ""].filter(Boolean);
          return [placeholder(name, arg), `${arg.description ?? ""}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`];
        }),
      ),
    );
  }
  if (options.length > 0) {
    lines.push("", "Options:");
    lines.push(...table(options.map(([name, arg]) => [optionFlags(name, arg), arg.description ?? ""])));
  }
  lines.push("", "Global options (before or after the command):", ...table(globalRows()));
  lines.push("", "Exit codes:", ...table(EXIT_CODES));
  return `${lines.join("\n")}\n`;
}

/** `retort --help`. */
export function rootHelp(version: string, commands: readonly CommandHelp[]): string {
  const lines = [
    `retort ${version}: PostgreSQL schema migrations with Alembic's model, in one executable`,
    "",
    "Usage: retort [GLOBAL OPTIONS] COMMAND [ARGUMENTS]",
    "       retort help COMMAND",
    "",
    "Commands:",
    ...table(commands.map((c) => [c.name, c.description])),
    "",
    "Global options (before or after the command):",
    ...table(globalRows()),
    "",
    "Database URLs (--url, else RETORT_DATABASE_URL, DATABASE_URL, url in retort.toml, else pglite:.retort/db):",
    ...table(URL_FORMS),
    "",
    "Environment:",
    ...table(ENVIRONMENT),
    "",
    "Exit codes:",
    ...table(EXIT_CODES),
    "",
    "Examples:",
    "  retort upgrade head                          migrate the default database to the newest revision",
    "  retort --url postgres://app@db/app current   where a server's database is",
    "  retort revision -m \"add users\"               a new SQL revision on the current head",
  ];
  return `${lines.join("\n")}\n`;
}

/** Help as data, for `--help --json`. */
export function helpJson(version: string, commands: readonly CommandHelp[], command?: CommandHelp): unknown {
  const describe = (c: CommandHelp) => ({
    name: c.name,
    description: c.description,
    usage: usageLine(c),
    arguments: Object.entries(c.args)
      .filter(([, arg]) => arg.type === "positional")
      .map(([name, arg]) => ({ name: placeholder(name, arg), description: arg.description ?? "", required: positionalRequired(arg) })),
    options: Object.entries(c.args)
      .filter(([, arg]) => arg.type !== "positional")
      .map(([name, arg]) => ({ flags: optionFlags(name, arg), description: arg.description ?? "", takesValue: arg.type === "string" || arg.type === "enum" })),
  });
  const globals = GLOBAL_OPTIONS.map((o) => ({ flags: o.flags, ...(o.value ? { value: o.value } : {}), description: o.description }));
  const exitCodes = EXIT_CODES.map(([code, meaning]) => ({ code: Number(code), meaning }));
  if (command) return { version, command: describe(command), globalOptions: globals, exitCodes };
  return { version, commands: commands.map(describe), globalOptions: globals, exitCodes };
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest name to a misspelling, if it is close enough to be what was meant. */
export function didYouMean(word: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = name.startsWith(word) && word.length >= 3 ? 1 : distance(word.toLowerCase(), name);
    if (d < bestDistance) (best = name), (bestDistance = d);
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}
