/** Run the CLI from source in a child process, as a user would. */
import { mkdtempSync } from "node:fs";
import { join, resolve } from "node:path";

const MAIN = resolve(import.meta.dir, "../../src/cli/main.ts");

/** What one run printed and how it exited. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `retort ARGS` in cwd with a clean environment plus `env`. */
export async function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  const child = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...options.env },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

/** A fresh directory under the test run's scratch folder. */
export function tempDir(prefix = "cli-"): string {
  return mkdtempSync(join(process.env.RETORT_TEST_TMP ?? "/tmp", prefix));
}
