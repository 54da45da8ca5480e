/**
 * A child process for the directory-lock tests: takes the lock on the
 * directory argv[2], prints "locked" and keeps it until killed.
 */
import { lockDirectory } from "../../src/drivers/dir-lock.ts";

await lockDirectory(process.argv[2] as string, { timeoutSeconds: 10, displayUrl: "holder" });
console.log("locked");
setInterval(() => {}, 1 << 30);
