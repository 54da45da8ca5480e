/**
 * `retort check`: would `revision --autogenerate` write something? For CI:
 * the CLI exits 1 when `differences` is true. Prints nothing.
 */
import type { Timings } from "../autogenerate/compare.ts";
import type { Comparison } from "../autogenerate/summary.ts";
import { compareWithSchema, type SchemaCompareOptions } from "./autogenerate.ts";

/** Options of `check` (the same inputs as autogenerate, nothing is written). */
export type CheckOptions = SchemaCompareOptions;

/** What check found. */
export interface CheckResult {
  readonly differences: boolean;
  /** Alembic's one-line verdict: "No new upgrade operations detected." or "New upgrade operations detected: …" */
  readonly message: string;
  readonly comparison: Comparison;
  readonly timings: Timings;
}

/** Compare head with the declared schema; nothing is written anywhere. */
export async function checkSchema(options: CheckOptions): Promise<CheckResult> {
  const timings: Timings = {};
  const comparison = await compareWithSchema(options, timings);
  const differences = comparison.upgrade.length > 0;
  const message = differences
    ? `New upgrade operations detected: ${comparison.summary.length} change(s); run 'retort revision --autogenerate -m MESSAGE' to write them`
    : "No new upgrade operations detected.";
  return { differences, message, comparison, timings };
}
