/**
 * The one way command results reach stdout: Alembic's plain-text formats, or
 * one JSON document with --json. Logs never come through here (see log.ts).
 */

/** C0 controls except tab and newline, DEL, and C1 controls (CSI is U+009B): what a terminal may act on. */
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Text safe for a terminal: control characters (ESC, BEL, CR, C1 ...) shown
 * as `\x1b`-style escapes, so a revision message or a database value
 * cannot move the cursor, recolour or retitle the terminal. Tabs and
 * newlines stay. Every text result, log line and error message goes through this.
 */
export function escapeControls(text: string): string {
  CONTROLS.lastIndex = 0;
  if (!CONTROLS.test(text)) return text;
  return text.replace(CONTROLS, (c) => (c === "\r" ? "\\r" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
}

/** A JSON document with DEL and C1 controls written as \u escapes too (JSON.stringify leaves them raw); the same value. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\x7f-\x9f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/** What a command hands back to print: its text form and its JSON form. */
export interface CommandOutput {
  /** plain text for stdout, exactly as Alembic formats it ("" prints nothing); control characters are escaped */
  readonly text: string;
  /** the text is a script or file to be used as it is (SQL from --sql, diff, revision --sql): printed without escaping */
  readonly verbatim?: boolean;
  /** the --json document (camelCase keys; shapes documented in README), or a function that builds it only when asked for */
  readonly json: unknown;
}

/**
 * Collects what goes to stdout and writes it in one go at the end (flush):
 * one Bun.write is several ms faster than the stream for large output, and
 * it resolves only once a pipe has taken everything. Remembers whether a
 * document went out so errors do not add a second.
 */
export class Output {
  private printedDocument = false;
  private readonly chunks: string[] = [];
  constructor(readonly json: boolean) {}

  /** Queue raw text for stdout (help, version). */
  write(text: string): void {
    this.chunks.push(text);
  }

  /** Write everything queued; a reader that went away (EPIPE, `| head`) is not an error. */
  async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join("");
    this.chunks.length = 0;
    await Bun.write(Bun.stdout, text).catch(() => {});
  }

  /** Print a command's result in the selected form. */
  result(output: CommandOutput): void {
    if (this.json) {
      const document = typeof output.json === "function" ? (output.json as () => unknown)() : output.json;
      this.write(`${jsonText(document)}\n`);
      this.printedDocument = true;
    } else if (output.text !== "") {
      const text = output.verbatim ? output.text : escapeControls(output.text);
      this.write(text.endsWith("\n") ? text : `${text}\n`);
    }
  }

  /** With --json, a failed command still prints one document: the error. */
  error(message: string, exitCode: number, kind: string): void {
    if (this.json && !this.printedDocument) {
      this.write(`${jsonText({ error: { kind, message, exitCode } })}\n`);
      this.printedDocument = true;
    }
  }
}
