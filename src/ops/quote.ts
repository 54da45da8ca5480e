/**
 * Quoting for SQL that retort writes itself (op helpers, --sql scripts, bulk
 * inserts): identifiers here, literals and placeholder inlining re-exported
 * from their own modules. Pure: no I/O.
 */
import { UsageError } from "../errors.ts";
import { quotedKeywords } from "./keywords.ts";
import { describe } from "./literal.ts";

export { inlineParams } from "./inline-params.ts";
export { describe, quoteLiteral, quoteString } from "./literal.ts";

/**
 * Quote an identifier only where needed, with the rules of PostgreSQL's own
 * quote_ident(): bare when it is lowercase ASCII letters, digits and
 * underscores not starting with a digit, and not a non-unreserved keyword.
 */
export function quoteIdent(name: string): string {
  if (typeof name !== "string" || name === "") {
    throw new UsageError(`an identifier must be a non-empty string, got ${describe(name)}`);
  }
  if (name.includes("\0")) throw new UsageError(`identifier ${JSON.stringify(name)} contains a NUL character`);
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !quotedKeywords.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.name`, each part quoted as needed; just the name when schema is undefined or null. */
export function qualify(schema: string | undefined | null, name: string): string {
  return schema === undefined || schema === null ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

