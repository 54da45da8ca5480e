/** What a run says while it works: "Running …" before a step, "Done … (duration)" after, and a live line on a terminal for a long step. */
import { expect, test } from "bun:test";
import { runOnline } from "../../src/runtime/runner.ts";
import { engineKinds, openTestEngine } from "./engines.ts";
import { revMap, sqlRev, upChain } from "./fixtures.ts";

// PostgreSQL: PGlite runs a statement on the JavaScript thread, so nothing ticks until it returns
test.if(engineKinds.includes("postgres"))("a step longer than a few seconds shows a live line, cleared when it ends, between its Running and Done lines", async () => {
  const t = await openTestEngine("postgres");
  try {
    const slow = sqlRev("s1", null, "SELECT pg_sleep(3.6);");
    const quick = sqlRev("s2", "s1", "CREATE TABLE s2 (id int);");
    const events: string[] = [];
    await runOnline(t.engine, {
      steps: upChain([slow, quick]),
      revisions: revMap(slow, quick),
      table: { name: "alembic_version", schema: await t.freshSchema() },
      startingHeads: [],
      log: (line) => events.push(`log ${line}`),
      live: (text) => events.push(text === null ? "clear" : `live ${text}`),
    });
    const at = (prefix: string) => events.findIndex((e) => e.startsWith(prefix));
    expect(at("log Running upgrade  -> s1")).toBe(0);
    expect(at("live still running upgrade  -> s1, rev s1: 3 s")).toBeGreaterThan(0);
    expect(at("clear")).toBeGreaterThan(at("live still running"));
    expect(at("log Done upgrade  -> s1")).toBeGreaterThan(at("clear"));
    expect(at("log Running upgrade s1 -> s2")).toBeGreaterThan(at("log Done upgrade  -> s1"));
    expect(events.filter((e) => e.startsWith("live"))).not.toContainEqual(expect.stringContaining("s2"));
  } finally {
    await t.close();
  }
}, 30_000);
