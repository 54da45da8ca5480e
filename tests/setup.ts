/**
 * Preloaded before every test file (bunfig.toml): a developer's environment
 * must never leak into tests, and each test run gets its own scratch folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "bun:test";

for (const name of ["DATABASE_URL", "RETORT_DATABASE_URL", "RETORT_CONFIG", "PGPASSWORD", "PGHOST", "PGUSER", "PGDATABASE", "PGPORT"]) {
  delete process.env[name];
}

const scratch = mkdtempSync(join(tmpdir(), "retort-test-"));
process.env.RETORT_TEST_TMP = scratch;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
