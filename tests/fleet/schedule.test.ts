import { describe, expect, test } from "bun:test";
import { UsageError } from "../../src/errors.ts";
import { fleetExitCode, KeyedMutex, parseScheduleOptions, schedule, type Finished, type ScheduleOptions, type TargetStatus } from "../../src/fleet/schedule.ts";

type Outcome = Finished & { name: string; reason?: string };

/** Run a fleet of named targets whose statuses are given; records start order and peak concurrency. */
async function simulate(statuses: TargetStatus[], options: ScheduleOptions, interruptAt = -1) {
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const outcomes = await schedule<TargetStatus, Outcome>(
    statuses,
    options,
    async (status, index) => {
      started.push(index);
      running++;
      peak = Math.max(peak, running);
      // later targets finish sooner, so completion order differs from start order
      await Bun.sleep(1 + ((statuses.length - index) % 3));
      running--;
      return { name: `t${index}`, status, exitCode: status === "failed" ? (interruptAt === index ? 130 : 1) : status === "unreachable" ? 3 : undefined };
    },
    (_status, index, reason) => ({ name: `t${index}`, status: "skipped", reason }),
  );
  return { outcomes, started, peak };
}

const ok = (n: number): TargetStatus[] => Array.from({ length: n }, () => "ok");

describe("the scheduler", () => {
  const cases: { name: string; statuses: TargetStatus[]; options: ScheduleOptions; peak: number; statusesAfter: string[] }[] = [
    { name: "runs everything, never more than --jobs at once", statuses: ok(10), options: { jobs: 3, canary: 0, failFast: false }, peak: 3, statusesAfter: ok(10) },
    { name: "--jobs 1 runs one at a time", statuses: ok(4), options: { jobs: 1, canary: 0, failFast: false }, peak: 1, statusesAfter: ok(4) },
    { name: "more jobs than targets", statuses: ok(2), options: { jobs: 8, canary: 0, failFast: false }, peak: 2, statusesAfter: ok(2) },
    {
      name: "a failure does not stop the others",
      statuses: ["ok", "failed", "unreachable", "ok", "ok"],
      options: { jobs: 2, canary: 0, failFast: false },
      peak: 2,
      statusesAfter: ["ok", "failed", "unreachable", "ok", "ok"],
    },
    {
      name: "--fail-fast starts nothing after a failure (those running finish)",
      statuses: ["ok", "failed", "ok", "ok", "ok", "ok"],
      options: { jobs: 1, canary: 0, failFast: true },
      peak: 1,
      statusesAfter: ["ok", "failed", "skipped", "skipped", "skipped", "skipped"],
    },
    {
      name: "--fail-fast counts an unreachable target as a failure",
      statuses: ["unreachable", "ok", "ok"],
      options: { jobs: 1, canary: 0, failFast: true },
      peak: 1,
      statusesAfter: ["unreachable", "skipped", "skipped"],
    },
    {
      name: "canaries that succeed let the rest run",
      statuses: ok(6),
      options: { jobs: 4, canary: 2, failFast: false },
      peak: 4,
      statusesAfter: ok(6),
    },
    {
      name: "a failed canary: the rest never start",
      statuses: ["ok", "failed", "ok", "ok"],
      options: { jobs: 4, canary: 2, failFast: false },
      peak: 2,
      statusesAfter: ["ok", "failed", "skipped", "skipped"],
    },
    { name: "--canary larger than the fleet", statuses: ok(2), options: { jobs: 4, canary: 5, failFast: false }, peak: 2, statusesAfter: ok(2) },
    { name: "an empty fleet", statuses: [], options: { jobs: 4, canary: 1, failFast: true }, peak: 0, statusesAfter: [] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { outcomes, peak } = await simulate(c.statuses, c.options);
      expect(outcomes.map((o) => o.status)).toEqual(c.statusesAfter as TargetStatus[]);
      expect(outcomes.map((o) => o.name)).toEqual(c.statuses.map((_, i) => `t${i}`));
      expect(peak).toBe(c.peak);
    });
  }

  test("canaries finish before any other target starts", async () => {
    const { started } = await simulate(ok(8), { jobs: 8, canary: 3, failFast: false });
    expect(started.slice(0, 3).sort()).toEqual([0, 1, 2]);
    expect(new Set(started).size).toBe(8);
  });

  test("a target stopped by SIGINT (exit 130) stops the run without --fail-fast", async () => {
    const { outcomes } = await simulate(["ok", "failed", "ok", "ok"], { jobs: 1, canary: 0, failFast: false }, 1);
    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
      ["ok", undefined],
      ["failed", undefined],
      ["skipped", "interrupted"],
      ["skipped", "interrupted"],
    ]);
    expect(fleetExitCode(outcomes)).toBe(130);
  });

  test("skipped targets say why", async () => {
    const canary = await simulate(["failed", "ok"], { jobs: 1, canary: 1, failFast: false });
    expect(canary.outcomes[1]).toMatchObject({ status: "skipped", reason: "canary" });
    const fast = await simulate(["failed", "ok"], { jobs: 1, canary: 0, failFast: true });
    expect(fast.outcomes[1]).toMatchObject({ status: "skipped", reason: "fail-fast" });
  });
});

describe("the exit code of a fleet run", () => {
  const o = (status: TargetStatus, exitCode?: number): Finished => ({ status, exitCode });
  const cases: [string, Finished[], number][] = [
    ["all ok", [o("ok"), o("ok")], 0],
    ["nothing to do", [], 0],
    ["one failed", [o("ok"), o("failed", 1)], 1],
    ["failed wins over unreachable", [o("unreachable", 3), o("failed", 1), o("ok")], 1],
    ["only unreachable ones", [o("ok"), o("unreachable", 3)], 3],
    ["skipped after a failure", [o("failed", 1), o("skipped")], 1],
    ["every failure bad input (e.g. an unknown revision)", [o("failed", 2), o("failed", 2)], 2],
    ["bad input and a real failure", [o("failed", 2), o("failed", 1)], 1],
    ["interrupted by SIGINT wins", [o("failed", 1), o("failed", 130), o("skipped")], 130],
    ["terminated by SIGTERM", [o("ok"), o("failed", 143)], 143],
  ];
  for (const [name, outcomes, code] of cases) test(name, () => expect(fleetExitCode(outcomes)).toBe(code));
});

describe("--jobs and --canary", () => {
  const good: [Parameters<typeof parseScheduleOptions>[0], ScheduleOptions][] = [
    [{}, { jobs: 4, canary: 0, failFast: false }],
    [{ jobs: "1", canary: "0" }, { jobs: 1, canary: 0, failFast: false }],
    [{ jobs: " 16 ", canary: "3", failFast: true }, { jobs: 16, canary: 3, failFast: true }],
  ];
  for (const [flags, options] of good) test(`reads ${JSON.stringify(flags)}`, () => expect(parseScheduleOptions(flags)).toEqual(options));
  for (const flags of [{ jobs: "0" }, { jobs: "-1" }, { jobs: "2.5" }, { jobs: "many" }, { canary: "-1" }, { jobs: "" }]) {
    test(`refuses ${JSON.stringify(flags)}`, () => expect(() => parseScheduleOptions(flags)).toThrow(UsageError));
  }
});

describe("targets that must take turns (one PGlite directory)", () => {
  /** Run calls with these keys at once; report the peak overlap per key and the order each key ran in. */
  async function overlap(keys: (string | null)[], failAt = -1) {
    const mutex = new KeyedMutex();
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const order: number[] = [];
    const results = await Promise.allSettled(
      keys.map((key, i) =>
        mutex.run(key, async () => {
          const k = key ?? "(none)";
          running.set(k, (running.get(k) ?? 0) + 1);
          peak.set(k, Math.max(peak.get(k) ?? 0, running.get(k)!));
          order.push(i);
          await Bun.sleep(2);
          running.set(k, running.get(k)! - 1);
          if (i === failAt) throw new Error("boom");
          return i;
        }),
      ),
    );
    return { peak: Object.fromEntries(peak), order, results };
  }

  test("calls with one key never overlap and run in call order", async () => {
    const { peak, order } = await overlap(["a", "a", "a"]);
    expect(peak).toEqual({ a: 1 });
    expect(order).toEqual([0, 1, 2]);
  });
  test("different keys, and no key, run side by side", async () => {
    const { peak } = await overlap(["a", "b", null, null, "a"]);
    expect(peak).toEqual({ a: 1, b: 1, "(none)": 2 });
  });
  test("a call that throws still lets the next one run", async () => {
    const { results, peak } = await overlap(["a", "a"], 0);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    expect(peak).toEqual({ a: 1 });
  });
});
