#!/usr/bin/env bun
/**
 * The CLI entry and the only place that exits: parse argv, run one command,
 * turn any error into one line on stderr and DESIGN.md's exit code.
 */
import { renderUsage, runCommand, type ArgsDef, type CommandDef } from "citty";
import { ExitCode, RetortError } from "../errors.ts";
import { expandShortClusters, normalizeCommandArgs, splitArgv, type GlobalOptions } from "./argv.ts";
import { commands, rootCommand } from "./commands.ts";
import { CliContext } from "./context.ts";
import { createLogger } from "./log.ts";
import { Output } from "./output.ts";
import { versionLine } from "./version.ts";

const commandNames = new Set(Object.keys(commands));

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
      output.write(`${await versionLine()}\n`);
      return ExitCode.ok;
    }
    if (split.command === undefined) {
      output.write(`${kebabFlags(await renderUsage(rootCommand))}\n`);
      return globals.help ? ExitCode.ok : ExitCode.usage;
    }
    const def = (await commands[split.command]!()) as CommandDef<ArgsDef>;
    if (globals.help) {
      output.write(`${kebabFlags(await renderUsage(def, rootCommand))}\n`);
      return ExitCode.ok;
    }
    const argsDef = (typeof def.args === "function" ? await def.args() : await def.args) ?? {};
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
    return report(error, output, log, globals?.verbose ?? argv.includes("--verbose"));
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
      process.exit(name === "SIGINT" ? ExitCode.interrupted : ExitCode.terminated);
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
 * citty prints option names as declared (camelCase keys); users type and
 * Alembic documents kebab-case, which argv.ts accepts, so help shows that.
 */
export function kebabFlags(usage: string): string {
  // citty colours unless NO_COLOR/CI is set; a pipe or file gets plain text
  const plain = process.stdout.isTTY ? usage : usage.replace(/\x1b\[[0-9;]*m/g, "");
  return plain.replace(/--([a-z]+(?:[A-Z_][a-z]+)+)/g, (_, name: string) => `--${name.replace(/_/g, "-").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
}

/** Print one line for the error (stack only with --verbose) and pick the exit code. */
function report(error: unknown, output: Output, log: ReturnType<typeof createLogger>, verbose: boolean): number {
  if (error instanceof RetortError) {
    process.stderr.write(`FAILED: ${error.message}\n`);
    if (verbose && error.cause) process.stderr.write(`${Bun.inspect(error.cause)}\n`);
    output.error(error.message, error.exitCode, error.name);
    return error.exitCode;
  }
  // citty's own argument errors (e.g. a missing required positional) are usage errors.
  if (error instanceof Error && error.name === "CLIError") {
    process.stderr.write(`FAILED: ${error.message}\n`);
    output.error(error.message, ExitCode.usage, "UsageError");
    return ExitCode.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`FAILED: internal error: ${message}${verbose ? "" : " (run with --verbose for details)"}\n`);
  if (verbose) log.error(error);
  output.error(message, ExitCode.failed, "InternalError");
  return ExitCode.failed;
}

if (import.meta.main) {
  // main() has flushed stdout with Bun.write, which resolves once a pipe took everything,
  // so process.exit() cannot cut output short
  process.exit(await main(process.argv.slice(2)));
}
