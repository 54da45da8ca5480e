#!/usr/bin/env bun
/**
 * The CLI entry and the only place that exits: parse argv, run one command,
 * turn any error into one line on stderr and the README's exit code.
 */
import { runCommand, type ArgsDef, type CommandDef } from "citty";
import { ExitCode, RetortError, UsageError } from "../errors.ts";
import { expandShortClusters, normalizeCommandArgs, refuseFleetOptions, splitArgv, type GlobalOptions } from "./argv.ts";
import { commands } from "./commands.ts";
import { CliContext } from "./context.ts";
import { commandHelp, helpJson, rootHelp, type CommandHelp } from "./help.ts";
import { createLogger } from "./log.ts";
import { escapeControls, Output } from "./output.ts";
import { TOOL_VERSION, versionLine } from "./version.ts";

/** process.exit as it was when the CLI loaded, before any revision guard replaced it. */
const exitNow: (code: number) => never = process.exit.bind(process);

/** `help` is not a command definition of its own: `retort help X` is `retort X --help`. */
const commandNames = new Set([...Object.keys(commands), "help"]);

async function argsOf(def: CommandDef<ArgsDef>): Promise<ArgsDef> {
  return (typeof def.args === "function" ? await def.args() : await def.args) ?? {};
}

/** What help needs of a command, read from its citty definition. */
async function helpOf(name: string): Promise<CommandHelp> {
  const def = (await commands[name]!()) as CommandDef<ArgsDef>;
  const meta = typeof def.meta === "function" ? await def.meta() : await def.meta;
  return { name, description: meta?.description ?? "", args: await argsOf(def) };
}

/** The help page (or its JSON) for one command, or for retort as a whole. */
async function printHelp(output: Output, json: boolean, name: string | undefined): Promise<void> {
  if (name !== undefined && !(name in commands)) throw new UsageError(`no help for unknown command '${name}' (see retort --help)`);
  const command = name === undefined ? undefined : await helpOf(name);
  if (json) {
    const all = await Promise.all(Object.keys(commands).map(helpOf));
    output.write(`${JSON.stringify(helpJson(TOOL_VERSION, all, command), null, 2)}\n`);
    return;
  }
  output.write(command ? commandHelp(command) : rootHelp(TOOL_VERSION, await Promise.all(Object.keys(commands).map(helpOf))));
}

/** Run the CLI on argv (without the executable and script) and return the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let globals: GlobalOptions | undefined;
  let output = new Output(argv.includes("--json"));
  let log = createLogger("normal");
  try {
    const split = splitArgv(expandShortClusters(argv), commandNames);
    globals = split.globals;
    output = new Output(globals.json);
    log = createLogger(globals.quiet ? "quiet" : globals.verbose ? "verbose" : "normal");
    if (globals.version) {
      const line = await versionLine();
      output.write(globals.json ? `${JSON.stringify({ version: TOOL_VERSION, text: line }, null, 2)}\n` : `${line}\n`);
      return ExitCode.ok;
    }
    if (split.command === "help") {
      if (split.rest.length > 1) throw new UsageError(`help takes one command name, got: ${split.rest.join(" ")}`);
      await printHelp(output, globals.json, split.rest[0]);
      return ExitCode.ok;
    }
    if (split.command === undefined) {
      if (!globals.help) {
        // no command: the help page on stderr (stdout stays for results), exit 2 as for any usage error
        process.stderr.write(rootHelp(TOOL_VERSION, await Promise.all(Object.keys(commands).map(helpOf))));
        return ExitCode.usage;
      }
      await printHelp(output, globals.json, undefined);
      return ExitCode.ok;
    }
    const def = (await commands[split.command]!()) as CommandDef<ArgsDef>;
    if (globals.help) {
      await printHelp(output, globals.json, split.command);
      return ExitCode.ok;
    }
    // a command that works on one database would silently ignore --targets, --tenant-*, several --url, ...
    refuseFleetOptions(split.command, globals);
    const argsDef = await argsOf(def);
    const rawArgs = normalizeCommandArgs(split.command, split.rest, argsDef);
    const context = new CliContext(globals, log, output);
    const stopOnSignals = MIGRATING_COMMANDS.has(split.command) ? interruptOnSignals() : undefined;
    context.signal = stopOnSignals?.signal;
    try {
      await runCommand(def, { rawArgs, data: context });
    } finally {
      stopOnSignals?.dispose();
    }
    return ExitCode.ok;
  } catch (error) {
    return report(error, output, globals?.verbose ?? argv.includes("--verbose"));
  } finally {
    await output.flush();
  }
}

/** Commands that change the database: a signal stops them cleanly instead of killing them. */
const MIGRATING_COMMANDS = new Set(["upgrade", "downgrade", "stamp"]);

/**
 * SIGINT/SIGTERM during a migration: the first aborts the run (the running
 * statement is cancelled and rolled back, then the command fails with exit
 * 130/143); a second one exits at once.
 */
function interruptOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handle = (name: "SIGINT" | "SIGTERM") => {
    if (controller.signal.aborted) {
      process.stderr.write(`${name} again: exiting at once; the server rolls back what was running when it notices\n`);
      // the real exit: while revision code runs, process.exit is guarded (src/revisions/guard.ts)
      exitNow(name === "SIGINT" ? ExitCode.interrupted : ExitCode.terminated);
    }
    process.stderr.write(`${name}: stopping: cancelling the running statement and rolling back (${name === "SIGINT" ? "Ctrl-C" : "signal"} again to exit at once)\n`);
    controller.abort(name);
  };
  const onInt = () => handle("SIGINT");
  const onTerm = () => handle("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    },
  };
}

/**
 * With --verbose: each error of the cause chain as its name, message and stack
 * frames. Never Bun.inspect, which prints the surrounding source (in a compiled
 * executable, kilobytes of minified bundle).
 */
export function causeChain(error: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && !seen.has(current) && depth < 10; depth++) {
    seen.add(current);
    const prefix = depth === 0 ? "" : "caused by: ";
    if (current instanceof Error) {
      const frames = (current.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
      lines.push(`${prefix}${current.name}: ${current.message}`, ...frames);
      current = current.cause;
    } else {
      lines.push(`${prefix}${String(current)}`);
      break;
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** Print one line for the error (stack only with --verbose) and pick the exit code. */
function report(error: unknown, output: Output, verbose: boolean): number {
  if (error instanceof RetortError) {
    process.stderr.write(`FAILED: ${escapeControls(error.message)}\n`);
    if (verbose && error.cause !== undefined) process.stderr.write(escapeControls(causeChain(error.cause)));
    output.error(error.message, error.exitCode, error.name);
    return error.exitCode;
  }
  // citty's own argument errors (e.g. a missing required positional) are usage errors.
  if (error instanceof Error && error.name === "CLIError") {
    process.stderr.write(`FAILED: ${escapeControls(error.message)}\n`);
    output.error(error.message, ExitCode.usage, "UsageError");
    return ExitCode.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`FAILED: internal error: ${escapeControls(message)}${verbose ? "" : " (run with --verbose for details)"}\n`);
  if (verbose) process.stderr.write(escapeControls(causeChain(error)));
  output.error(message, ExitCode.failed, "InternalError");
  return ExitCode.failed;
}

if (import.meta.main) {
  // main() has flushed stdout with Bun.write, which resolves once a pipe took everything,
  // so process.exit() cannot cut output short
  process.exit(await main(process.argv.slice(2)));
}
