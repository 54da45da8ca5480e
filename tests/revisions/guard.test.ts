import { describe, expect, test } from "bun:test";
import { guardProcess, RevisionExit } from "../../src/revisions/guard.ts";

describe("the process guard around revision code", () => {
  test("process.exit throws RevisionExit while a guard is up, and every guard up at the time records it", () => {
    const real = process.exit;
    const a = guardProcess();
    const b = guardProcess();
    expect(() => process.exit(4)).toThrow(RevisionExit);
    expect(a.escaped()).toBeInstanceOf(RevisionExit);
    expect((b.escaped() as RevisionExit).code).toBe(4);
    a.release();
    b.release();
    expect(process.exit).toBe(real);
  });

  test("overlapping guards released out of order (parallel imports) put the real process.exit back", () => {
    const real = process.exit;
    const a = guardProcess();
    const b = guardProcess();
    a.release();
    expect(process.exit).not.toBe(real);
    const c = guardProcess();
    b.release();
    c.release();
    expect(process.exit).toBe(real);
  });
});
