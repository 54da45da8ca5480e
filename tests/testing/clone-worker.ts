/** A test process that opens a PostgreSQL clone and then waits to be killed (see database-at.test.ts). */
import { databaseAt } from "../../src/testing/index.ts";

const [dir, url, cacheDir] = process.argv.slice(2) as [string, string, string];
const db = await databaseAt("head", { dir, url, cacheDir });
console.log(new URL(db.url!).pathname.slice(1));
await new Promise(() => {}); // never closes
