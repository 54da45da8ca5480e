/**
 * JavaScript values as PostgreSQL literals, for SQL that is written out
 * rather than sent with bound parameters. Pure: no I/O.
 */
import { UsageError } from "../errors.ts";

/**
 * A string literal. With standard_conforming_strings on (the default since
 * PostgreSQL 9.1) a backslash in '…' is an ordinary character, but with it
 * off it starts an escape; the E'…' form with doubled backslashes means the
 * same under both settings, so it is used exactly when a backslash appears
 * (as libpq's PQescapeLiteral does).
 */
export function quoteString(value: string): string {
  if (value.includes("\0")) throw new UsageError("a string literal cannot contain a NUL character (PostgreSQL text cannot store it)");
  const body = value.replaceAll("'", "''");
  return value.includes("\\") ? `E'${body.replaceAll("\\", "\\\\")}'` : `'${body}'`;
}

/**
 * A JavaScript value as a SQL literal: null → NULL, strings, finite numbers
 * and bigints as written, NaN/±Infinity quoted, booleans TRUE/FALSE, Dates as
 * ISO-8601 UTC text, arrays as PostgreSQL array literals ('{…}', which suit
 * any array column, even when empty), Uint8Array as bytea hex, and plain
 * objects (or anything with toJSON) as JSON text. Strings, arrays, Dates and
 * JSON are untyped literals, so PostgreSQL takes the type from the context.
 */
export function quoteLiteral(value: unknown): string {
  if (value === null) return "NULL";
  switch (typeof value) {
    case "string":
      return quoteString(value);
    case "number":
      return Number.isFinite(value) ? String(value) : `'${value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN"}'`;
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "TRUE" : "FALSE";
  }
  if (value instanceof Date) return quoteString(isoDate(value));
  if (value instanceof Uint8Array) return quoteString(byteaHex(value));
  if (Array.isArray(value)) return quoteString(arrayLiteral(value));
  if (isJsonObject(value)) return quoteString(toJson(value));
  throw new UsageError(`cannot write ${describe(value)} as a SQL literal`);
}

function isoDate(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new UsageError("cannot write an invalid Date as a SQL literal");
  return value.toISOString();
}

function byteaHex(value: Uint8Array): string {
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
}

function isJsonObject(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || typeof (value as { toJSON?: unknown }).toJSON === "function";
}

function toJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text;
  } catch (error) {
    throw new UsageError(`cannot write an object as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  throw new UsageError(`cannot write ${describe(value)} as JSON`);
}

/** The text of a PostgreSQL array value: every element double-quoted so empty strings, "NULL" and commas survive. */
function arrayLiteral(values: readonly unknown[]): string {
  return `{${values.map(arrayElement).join(",")}}`;
}

function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return arrayLiteral(value);
  switch (typeof value) {
    case "number":
      return String(value); // NaN, Infinity and -Infinity are valid array element input
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return quoteElement(value);
  }
  if (value instanceof Date) return quoteElement(isoDate(value));
  if (value instanceof Uint8Array) return quoteElement(byteaHex(value));
  if (isJsonObject(value)) return quoteElement(toJson(value));
  throw new UsageError(`cannot write ${describe(value)} inside an array literal`);
}

function quoteElement(value: string): string {
  if (value.includes("\0")) throw new UsageError("an array element cannot contain a NUL character");
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return `an object of type ${value.constructor?.name ?? "Object"}`;
  return `${typeof value} ${String(value)}`;
}
