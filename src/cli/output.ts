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

/** Writes results; remembers whether a document went out so errors do not add a second. */
export class Output {
  private printedDocument = false;
  constructor(
    readonly json: boolean,
    private readonly write: (text: string) => void = (text) => void process.stdout.write(text),
  ) {}

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
