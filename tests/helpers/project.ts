/**
 * Projects of SQL revisions on disk, and the CLI started on one as a child
 * process that a test can signal, race or watch.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir, type CliRun } from "./cli.ts";
import { createTempDatabase, type TempDatabase } from "./postgres.ts";

const MAIN = resolve(import.meta.dir, "../../src/cli/main.ts");

/** One SQL revision: id, parent (null for a base) and its upgrade SQL. */
export interface SqlRevisionSpec {
  readonly id: string;
  readonly revises: string | null;
  readonly upgrade: string;
  readonly downgrade?: string;
}

/** The text of a SQL revision file: `revises` "" for a base, `downgrade` null for none, `transaction` false for `-- Transaction: false`. */
export function sqlRevisionText(
  id: string,
  revises: string,
  upgrade: string,
  options: { readonly downgrade?: string | null; readonly transaction?: boolean; readonly createDate?: string } = {},
): string {
  const header = [`-- Revision ID: ${id}`, `-- Revises: ${revises}`];
  if (options.createDate !== undefined) header.push(`-- Create Date: ${options.createDate}`);
  header.push(`-- Message: ${id}`);
  if (options.transaction === false) header.push("-- Transaction: false");
  const downgrade = options.downgrade === undefined ? "SELECT 1;" : options.downgrade;
  return `${header.join("\n")}\n\n-- migrate:upgrade\n${upgrade}\n${downgrade === null ? "" : `\n-- migrate:downgrade\n${downgrade}\n`}`;
}

/** Write `<id>_r.sql` (see sqlRevisionText) into `dir`. */
export function writeSqlRevision(dir: string, id: string, revises: string, upgrade: string, options: Parameters<typeof sqlRevisionText>[3] = {}): void {
  writeFileSync(join(dir, `${id}_r.sql`), sqlRevisionText(id, revises, upgrade, options));
}

/**
 * A temporary project whose `versions/` holds `files` (name → text), and a
 * database URL of `kind`: a pglite directory inside it, or a new PostgreSQL
 * database added to `databases` for the caller to drop.
 */
export async function projectOn(kind: "pglite" | "postgres", files: Record<string, string>, databases: TempDatabase[], prefix: string): Promise<{ cwd: string; url: string }> {
  const cwd = tempDir(`${prefix}-`);
  mkdirSync(join(cwd, "versions"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, "versions", name), text);
  if (kind === "pglite") return { cwd, url: `pglite:${resolve(cwd, "db")}` };
  const db = await createTempDatabase(`retort_${prefix}`);
  databases.push(db);
  return { cwd, url: db.url };
}

/** A temporary project whose migrations/versions holds `revisions`; returns its directory. */
export function writeProject(revisions: readonly SqlRevisionSpec[]): string {
  const cwd = tempDir("project-");
  const dir = join(cwd, "migrations", "versions");
  mkdirSync(dir, { recursive: true });
  for (const r of revisions) {
    writeFileSync(
      join(dir, `${r.id}_rev.sql`),
      `-- Revision ID: ${r.id}\n-- Revises: ${r.revises ?? ""}\n-- Message: ${r.id}\n\n-- migrate:upgrade\n${r.upgrade}\n\n-- migrate:downgrade\n${r.downgrade ?? "SELECT 1;"}\n`,
    );
  }
  return cwd;
}

/** A CLI run in progress: signal it, then await `done`. */
export interface CliProcess {
  readonly proc: ReturnType<typeof Bun.spawn>;
  readonly done: Promise<CliRun>;
}

/** Start `retort ARGS` in cwd (clean environment), without waiting for it. */
export function startCli(args: readonly string[], cwd: string): CliProcess {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const done = Promise.all([new Response(proc.stdout as ReadableStream).text(), new Response(proc.stderr as ReadableStream).text(), proc.exited]).then(
    ([stdout, stderr, code]) => ({ code, stdout, stderr }),
  );
  return { proc, done };
}

/** Poll `check` every 20 ms until it holds; throws after timeoutMs. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await Bun.sleep(20);
  }
}

/** Read `stream` (a child's stderr) until it has said `text`, or until timeoutMs; returns what was read. */
export async function readUntil(stream: ReadableStream<Uint8Array>, text: string, timeoutMs = 20_000): Promise<string> {
  let seen = "";
  const reader = stream.getReader();
  const deadline = Date.now() + timeoutMs;
  const decoder = new TextDecoder();
  while (!seen.includes(text) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value);
  }
  reader.releaseLock();
  return seen;
}
