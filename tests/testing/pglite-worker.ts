/** A test process that opens two PGlite databases at head, writes to one, says so, and waits to be killed (see killed-worker.slow.test.ts). */
import { databaseAt } from "../../src/testing/index.ts";

const [dir, cacheDir] = process.argv.slice(2) as [string, string];
const one = await databaseAt("head", { dir, cacheDir });
await databaseAt("head", { dir, cacheDir });
await one.execute("INSERT INTO t2 SELECT g, 'killed' FROM generate_series(1, 1000) g");
console.log("ready");
await new Promise(() => {}); // never closes
