/**
 * The one way command results reach stdout: Alembic's plain-text formats, or
 * one JSON document with --json. Logs never come through here (see log.ts).
 */

/** What a command hands back to print: its text form and its JSON form. */
export interface CommandOutput {
  /** plain text for stdout, exactly as Alembic formats it ("" prints nothing) */
  readonly text: string;
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
      this.write(`${JSON.stringify(document, null, 2)}\n`);
      this.printedDocument = true;
    } else if (output.text !== "") {
      this.write(output.text.endsWith("\n") ? output.text : `${output.text}\n`);
    }
  }

  /** With --json, a failed command still prints one document: the error. */
  error(message: string, exitCode: number, kind: string): void {
    if (this.json && !this.printedDocument) {
      this.write(`${JSON.stringify({ error: { kind, message, exitCode } }, null, 2)}\n`);
      this.printedDocument = true;
    }
  }
}
