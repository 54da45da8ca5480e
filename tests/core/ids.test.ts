import { expect, test } from "bun:test";
import { newRevisionId } from "../../src/core/ids.ts";

test("a new revision id is 12 lowercase hex characters", () => {
  for (let i = 0; i < 100; i++) expect(newRevisionId()).toMatch(/^[0-9a-f]{12}$/);
});

test("new revision ids do not repeat", () => {
  const ids = new Set(Array.from({ length: 10_000 }, () => newRevisionId()));
  expect(ids.size).toBe(10_000);
});
