/**
 * A child process for the concurrency and crash tests: upgrades the database
 * at argv[2] through five revisions that each record themselves in `applied`.
 * argv[3] = "slow" makes the third revision sleep 30 s (to be killed there).
 * Prints the migrate result as JSON on stdout; exit code = the error's exit code.
 */
import { RetortError } from "../../src/errors.ts";
import { migrate } from "../../src/runtime/migrate.ts";
import { revMap, sqlRev, upChain } from "./fixtures.ts";

const [url, mode] = process.argv.slice(2);
const revs = ["w1", "w2", "w3", "w4", "w5"].map((id, i, all) =>
  sqlRev(
    id,
    all[i - 1] ?? null,
    `INSERT INTO applied VALUES ('${id}', pg_backend_pid());\nCREATE TABLE t_${id} (id int);\nSELECT pg_sleep(${id === "w3" && mode === "slow" ? 30 : 0.02});`,
  ),
);
const chain = upChain(revs);
try {
  const result = await migrate({
    url: url as string,
    revisions: revMap(...revs),
    plan: (heads) => chain.slice(heads.length === 0 ? 0 : revs.findIndex((r) => r.id === heads[0]) + 1),
    lockTimeoutSeconds: 60,
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof RetortError ? error.exitCode : 70);
}
