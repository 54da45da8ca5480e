/** Revision directories for cache tests: small SQL chains written into a fresh folder. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One SQL revision as a file body. */
export function sqlRevision(id: string, down: string | null, upgrade: string, downgrade: string | null): string {
  const header = [`-- Revision ID: ${id}`, `-- Revises: ${down ?? ""}`, `-- Create Date: 2026-01-01 00:00:00`, `-- Message: ${id}`, ""];
  const body = ["-- migrate:upgrade", upgrade, ""];
  if (downgrade !== null) body.push("-- migrate:downgrade", downgrade, "");
  return [...header, ...body].join("\n");
}

/** The id of revision n of a generated chain (12 hex characters, in file-name order). */
export const chainId = (n: number) => n.toString(16).padStart(12, "0");

/** A directory with `n` revisions, each creating table t<i>; returns the directory. */
export function writeChain(n: number, dir = mkdtempSync(join(process.env.RETORT_TEST_TMP!, "chain-"))): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= n; i++) {
    const id = chainId(i);
    writeFileSync(
      join(dir, `${id}_t${i}.sql`),
      sqlRevision(id, i === 1 ? null : chainId(i - 1), `CREATE TABLE t${i} (id int PRIMARY KEY, name text);`, `DROP TABLE t${i};`),
    );
  }
  return dir;
}

/** A fresh empty directory under the test run's scratch folder. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(process.env.RETORT_TEST_TMP!, `${prefix}-`));
}
