/** databaseAt under `bun test --parallel=2`: two worker processes share one cold cache and both get correct databases. */
import { expect, test } from "bun:test";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { scratchDir, writeChain } from "../cache/helpers.ts";

const TESTING = resolve(import.meta.dir, "../../src/testing/index.ts");

test("two bun test workers asking for head at once both pass and leave one cache entry", async () => {
  const project = scratchDir("workers");
  writeChain(3, join(project, "migrations", "versions"));
  mkdirSync(join(project, "tests"));
  for (const name of ["a", "b"]) {
    writeFileSync(
      join(project, "tests", `${name}.test.ts`),
      `import { expect, test } from "bun:test";
import { databaseAt } from ${JSON.stringify(TESTING)};
test("${name}: head has every table, and each database is its own", async () => {
  const one = await databaseAt("head");
  const two = await databaseAt("head");
  await one.execute("INSERT INTO t3 VALUES (1, '${name}')");
  expect(await two.query("SELECT count(*)::int AS n FROM t3")).toEqual([{ n: 0 }]);
  expect(await one.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ n: 4 }]);
  await one.close(); await two.close();
}, 60000);
`,
    );
  }
  const child = Bun.spawn([process.execPath, "test", "--parallel=2", "tests"], { cwd: project, stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" } });
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  expect(`${out}${err}`).toContain("2 pass");
  expect(code).toBe(0);
  expect(readdirSync(join(project, ".retort", "cache")).filter((n) => !n.startsWith("."))).toHaveLength(1);
}, 60_000);
