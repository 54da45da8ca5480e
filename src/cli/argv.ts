/**
 * Argument normalisation before citty sees anything. citty takes the first
 * non-flag word as the subcommand and reads `downgrade -1` as a flag, and it
 * ignores unknown options; the README promises global options in any position,
 * both `--x v` and `--x=v`, negative relative targets as arguments, and
 * unknown options rejected with exit 2. This module is pure.
 */
import type { ArgsDef } from "citty";
import { UsageError } from "../errors.ts";
import { didYouMean } from "./help.ts";
import { versionTableNameProblem } from "../runtime/version-table.ts";

/** Options every command accepts, before or after the command name. */
export interface GlobalOptions {
  /** the last --url (one URL: the single-database run) */
  url?: string;
  /** every --url in order (several: a fleet, see src/fleet/) */
  urls?: string[];
  dir?: string;
  config?: string;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  versionTable?: string;
  versionTableSchema?: string;
  historyTable?: string;
  help: boolean;
  version: boolean;
  /** fleet options (README "Fleets") */
  targets?: string;
  tenantSchemas?: string;
  tenantQuery?: string;
  createSchemas?: boolean;
  jobs?: string;
  canary?: string;
  failFast?: boolean;
}

interface OptionSpec {
  readonly name: keyof GlobalOptions;
  readonly takesValue: boolean;
}

const GLOBAL_SPECS: Record<string, OptionSpec> = {
  "--url": { name: "url", takesValue: true },
  "--dir": { name: "dir", takesValue: true },
  "--config": { name: "config", takesValue: true },
  "-c": { name: "config", takesValue: true },
  "--json": { name: "json", takesValue: false },
  "--verbose": { name: "verbose", takesValue: false },
  "-v": { name: "verbose", takesValue: false },
  "--quiet": { name: "quiet", takesValue: false },
  "-q": { name: "quiet", takesValue: false },
  "--version-table": { name: "versionTable", takesValue: true },
  "--version-table-schema": { name: "versionTableSchema", takesValue: true },
  "--history-table": { name: "historyTable", takesValue: true },
  "--help": { name: "help", takesValue: false },
  "-h": { name: "help", takesValue: false },
  "--version": { name: "version", takesValue: false },
  "--targets": { name: "targets", takesValue: true },
  "--tenant-schemas": { name: "tenantSchemas", takesValue: true },
  "--tenant-query": { name: "tenantQuery", takesValue: true },
  "--create-schemas": { name: "createSchemas", takesValue: false },
  "--jobs": { name: "jobs", takesValue: true },
  "--canary": { name: "canary", takesValue: true },
  "--fail-fast": { name: "failFast", takesValue: false },
};

/** Names of the global options, for help text. */
export const GLOBAL_OPTION_NAMES = Object.keys(GLOBAL_SPECS);

/** Single-letter flags that take no value, so `-vi` can mean `-v -i` (argparse's clusters). */
const SHORT_BOOLEANS = new Set(["v", "q", "h", "i"]);

/** `-vi` → `-v -i` when every letter is a value-less short flag; anything else is left as it is. */
export function expandShortClusters(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const token of argv) {
    if (token === "--") {
      out.push(...argv.slice(argv.indexOf(token)));
      break;
    }
    if (/^-[A-Za-z]{2,}$/.test(token) && [...token.slice(1)].every((c) => SHORT_BOOLEANS.has(c))) {
      out.push(...[...token.slice(1)].map((c) => `-${c}`));
    } else {
      out.push(token);
    }
  }
  return out;
}

/** `-1`, `-12`: a relative revision, not a flag. */
const NEGATIVE_NUMBER = /^-\d+$/;

/** The command line split into global options, the command name and the rest. */
export interface SplitArgv {
  readonly globals: GlobalOptions;
  readonly command: string | undefined;
  readonly rest: readonly string[];
}

/**
 * `--name=value` → [--name, value]; `-rVALUE` (argparse's attached short
 * value, as in Alembic's `history -r-3:`) → [-r, VALUE] when `-r` takes a value.
 */
function splitFlag(token: string, shortTakesValue: (flag: string) => boolean = () => false): [flag: string, inline: string | undefined] {
  if (token.startsWith("--")) {
    const eq = token.indexOf("=");
    return eq > 0 ? [token.slice(0, eq), token.slice(eq + 1)] : [token, undefined];
  }
  if (token.length > 2 && token[0] === "-" && shortTakesValue(token.slice(0, 2))) {
    // argparse reads `-r=X` as `-r X` too
    const value = token.slice(2);
    return [token.slice(0, 2), value.startsWith("=") ? value.slice(1) : value];
  }
  return [token, undefined];
}

/**
 * Pull the global options out of argv wherever they stand and find the
 * command name: the first word that is neither an option nor its value.
 */
export function splitArgv(argv: readonly string[], commandNames: ReadonlySet<string>): SplitArgv {
  const globals: GlobalOptions = { json: false, verbose: false, quiet: false, help: false, version: false };
  const record = globals as unknown as Record<string, string | boolean | undefined>;
  let command: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    const [flag, inline] = splitFlag(token, (short) => GLOBAL_SPECS[short]?.takesValue === true);
    const spec = GLOBAL_SPECS[flag];
    if (spec) {
      if (spec.takesValue) {
        const value = inline ?? argv[++i];
        if (value === undefined) throw new UsageError(`option ${flag} needs a value`);
        record[spec.name] = value;
        if (spec.name === "url") globals.urls = [...(globals.urls ?? []), value];
      } else {
        if (inline !== undefined) throw new UsageError(`option ${flag} takes no value`);
        record[spec.name] = true;
      }
      continue;
    }
    if (command === undefined) {
      if (token.startsWith("-") && !NEGATIVE_NUMBER.test(token)) {
        throw new UsageError(`unknown option ${flag}${suggestion(flag, Object.keys(GLOBAL_SPECS))}${commandHint(commandNames)}`);
      }
      if (!commandNames.has(token)) {
        throw new UsageError(`unknown command '${token}'${suggestion(token, commandNames)}${commandHint(commandNames)}`);
      }
      command = token;
      continue;
    }
    rest.push(token);
  }
  // checked here, before any file or database is touched
  for (const [flag, value] of [["--version-table", globals.versionTable], ["--version-table-schema", globals.versionTableSchema], ["--history-table", globals.historyTable]] as const) {
    const problem = value === undefined ? undefined : versionTableNameProblem(value, flag);
    if (problem !== undefined) throw new UsageError(problem);
  }
  return { globals, command, rest };
}

/** The fleet options a command line gives (README "Fleets"), as typed; none: a one-database run. */
export function fleetOptionsGiven(globals: GlobalOptions): string[] {
  const given: string[] = [];
  const urls = globals.urls?.length ?? 0;
  if (urls > 1) given.push(`--url (${urls} times)`);
  const valued: [string, string | undefined][] = [["--targets", globals.targets], ["--tenant-schemas", globals.tenantSchemas], ["--tenant-query", globals.tenantQuery], ["--jobs", globals.jobs], ["--canary", globals.canary]];
  for (const [flag, value] of valued) if (value !== undefined) given.push(flag);
  if (globals.createSchemas === true) given.push("--create-schemas");
  if (globals.failFast === true) given.push("--fail-fast");
  return given;
}

/** The commands that run over a fleet (README "Fleets"); every other one refuses the fleet options. */
export const FLEET_COMMANDS: ReadonlySet<string> = new Set(["upgrade", "downgrade", "stamp", "current", "diff", "validate", "lint"]);

/** Exit 2 when `command` is not a fleet command but the command line gives fleet options (it would ignore them). */
export function refuseFleetOptions(command: string, globals: GlobalOptions): void {
  if (FLEET_COMMANDS.has(command)) return;
  const given = fleetOptionsGiven(globals);
  if (given.length === 0) return;
  throw new UsageError(
    `${command} works on one database: it takes no fleet options (got ${given.join(", ")}); give at most one --url, or use a command that runs over several targets (${[...FLEET_COMMANDS].join(", ")})`,
  );
}

/** "; did you mean 'upgrade'?" for a close misspelling, else nothing. */
function suggestion(word: string, names: Iterable<string>): string {
  const near = didYouMean(word, names);
  return near === undefined ? "" : `; did you mean '${near}'?`;
}

function commandHint(commandNames: ReadonlySet<string>): string {
  return ` (commands: ${[...commandNames].join(", ")}; see retort --help)`;
}

/**
 * Check a command's own arguments against its citty definition and rewrite
 * them so citty parses them as meant: options first as `--name=value`, then
 * `--`, then the positionals (so `-1` stays a positional). A repeated
 * option (`--depends-on a --depends-on b`) arrives as one comma-separated value.
 */
export function normalizeCommandArgs(command: string, rest: readonly string[], def: ArgsDef): string[] {
  const byFlag = new Map<string, { name: string; takesValue: boolean }>();
  for (const [name, arg] of Object.entries(def)) {
    if (arg.type === "positional") continue;
    const takesValue = arg.type === "string" || arg.type === "enum";
    byFlag.set(`--${name}`, { name, takesValue });
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    byFlag.set(`--${kebab}`, { name, takesValue });
    const aliases = "alias" in arg && arg.alias ? (Array.isArray(arg.alias) ? arg.alias : [arg.alias]) : [];
    for (const alias of aliases) byFlag.set(alias.length === 1 ? `-${alias}` : `--${alias}`, { name, takesValue });
  }
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (token === "--") {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (!token.startsWith("-") || token === "-" || NEGATIVE_NUMBER.test(token)) {
      positionals.push(token);
      continue;
    }
    const [flag, inline] = splitFlag(token, (short) => byFlag.get(short)?.takesValue === true);
    const spec = byFlag.get(flag);
    if (!spec) throw new UsageError(`unknown option ${flag} for 'retort ${command}'${suggestion(flag, byFlag.keys())} (see retort ${command} --help)`);
    if (spec.takesValue) {
      const value = inline ?? rest[++i];
      if (value === undefined) throw new UsageError(`option ${flag} of 'retort ${command}' needs a value`);
      values.set(spec.name, [...(values.get(spec.name) ?? []), value]);
    } else {
      if (inline !== undefined) throw new UsageError(`option ${flag} of 'retort ${command}' takes no value`);
      flags.add(spec.name);
    }
  }
  if (positionals.length > 0 && !Object.values(def).some((arg) => arg.type === "positional")) {
    // Alembic's argparse wording; a forgotten flag (`history ae10:` for `history -r ae10:`) must not be ignored
    throw new UsageError(`unrecognized arguments for 'retort ${command}': ${positionals.join(" ")} (see retort ${command} --help)`);
  }
  const options = [...flags].map((name) => `--${name}`);
  for (const [name, list] of values) options.push(`--${name}=${list.join(",")}`);
  return [...options, "--", ...positionals];
}
