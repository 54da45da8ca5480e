/**
 * Human-facing logs: consola, writing to stderr only, so stdout carries
 * nothing but command results. Lines look like Alembic's
 * (`INFO  [retort] Running upgrade a -> b, message`) so existing greps work.
 */
import { createConsola, type ConsolaInstance, type LogObject } from "consola/core";
import { escapeControls } from "./output.ts";

const TAGS: Record<number, string> = { 0: "ERROR", 1: "WARN ", 2: "INFO ", 3: "INFO ", 4: "DEBUG", 5: "TRACE" };

function plainReporter(stream: NodeJS.WriteStream) {
  return {
    log(entry: LogObject) {
      const text = entry.args.map((a) => (typeof a === "string" ? a : Bun.inspect(a))).join(" ");
      stream.write(`${TAGS[entry.level] ?? "INFO "} [retort] ${escapeControls(text)}\n`);
    },
  };
}

/** Log verbosity picked by -q / -v. */
export type Verbosity = "quiet" | "normal" | "verbose";

/** Make the logger for one run of the CLI. */
export function createLogger(verbosity: Verbosity, stream: NodeJS.WriteStream = process.stderr): ConsolaInstance {
  return createConsola({
    // -q: errors only (the FAILED line is written by main.ts either way), as --help says
    level: verbosity === "quiet" ? 0 : verbosity === "verbose" ? 4 : 3,
    reporters: [plainReporter(stream)],
    stdout: stream,
    stderr: stream,
    throttleMin: 0,
  });
}
