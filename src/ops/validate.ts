/**
 * Checks of what revision authors pass to `op`. TypeScript revisions are
 * loaded without type checking, and people coming from Alembic will write
 * `server_default` or `postgresql_using`; an unknown key must be an error
 * that names the right one, not an option silently ignored.
 */
import { UsageError } from "../errors.ts";
import { describe } from "./literal.ts";

/** The allowed keys of an options object; a Record over keyof T so the compiler keeps the list complete. */
export type KeySet<T> = Readonly<Record<keyof T, true>>;

/** Alembic's spelling reduced to a comparable form: `postgresql_using` → "using", `type_` → "type", `ondelete` → "ondelete". */
function normalize(key: string): string {
  return key.replace(/^postgresql_/, "").replaceAll("_", "").toLowerCase();
}

/** Throw unless `value` is undefined or an object whose keys are all in `allowed`. */
export function checkKeys<T>(where: string, what: string, value: unknown, allowed: KeySet<T>): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: ${what} must be an object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(allowed, key)) continue;
    const names = Object.keys(allowed);
    const match = names.find((name) => normalize(name) === normalize(key));
    const hint = match !== undefined ? `did you mean ${match}?` : `allowed: ${names.join(", ")}`;
    throw new UsageError(`${where}: unknown ${what} key ${JSON.stringify(key)} (${hint})`);
  }
}
