/**
 * One mapping from PostgreSQL result types to JavaScript values, used by
 * both engines (README "Query results"), so `op.query` returns the same
 * values on PGlite and on PostgreSQL: int8 and numeric as exact strings,
 * arrays of built-in types as arrays, timestamps as Date, date as
 * 'YYYY-MM-DD', bytea as Uint8Array; other types as PostgreSQL's text.
 */

/** Turns one value's text form into its JavaScript value. */
export type TextParser = (text: string) => unknown;

const asNumber: TextParser = (text) => Number(text);
const asText: TextParser = (text) => text;

/** Result parsers by type OID, scalars; both drivers' own defaults are replaced by these. */
const SCALARS: Readonly<Record<number, TextParser>> = {
  16: (text) => text === "t", // bool
  17: parseBytea, // bytea
  20: asText, // int8: exact, whatever its size
  21: asNumber, // int2
  23: asNumber, // int4
  25: asText, // text
  26: asNumber, // oid
  114: (text) => JSON.parse(text), // json
  700: asNumber, // float4
  701: asNumber, // float8
  1042: asText, // bpchar
  1043: asText, // varchar
  1082: asText, // date: 'YYYY-MM-DD', no time zone to shift it
  1114: (text) => parseTimestamp(text), // timestamp: read as UTC
  1184: (text) => parseTimestamp(text), // timestamptz
  1700: asText, // numeric: exact
  3802: (text) => JSON.parse(text), // jsonb
};

/** Built-in array type OID → element type OID (pg_type.typarray); arrays of other types stay text. */
const ARRAYS: Readonly<Record<number, number>> = {
  143: 142, 199: 114, 651: 650, 791: 790, 1000: 16, 1001: 17, 1002: 18, 1003: 19, 1005: 21, 1007: 23, 1009: 25,
  1014: 1042, 1015: 1043, 1016: 20, 1021: 700, 1022: 701, 1028: 26, 1040: 829, 1041: 869, 1115: 1114, 1182: 1082,
  1183: 1083, 1185: 1184, 1187: 1186, 1231: 1700, 1270: 1266, 1561: 1560, 1563: 1562, 2951: 2950, 3807: 3802,
};

/** Every result parser by type OID (scalars and built-in arrays); a type not listed comes back as its text. */
export const RESULT_PARSERS: Readonly<Record<number, TextParser>> = {
  ...SCALARS,
  ...Object.fromEntries(
    Object.entries(ARRAYS).map(([array, element]) => {
      const parseElement = SCALARS[element];
      return [Number(array), (text: string) => parseArray(text, parseElement)];
    }),
  ),
};

/**
 * An array's text form (`{1,NULL,"a \"b\""}`, nested `{{1,2},{3,4}}`,
 * `[0:1]={5,6}` with explicit bounds) as nested JavaScript arrays; unquoted
 * NULL is null, quoted "NULL" the string.
 */
export function parseArray(text: string, element: TextParser | undefined): unknown[] {
  let i = text.startsWith("[") ? text.indexOf("=") + 1 : 0;
  const level = (): unknown[] => {
    i++; // '{'
    const out: unknown[] = [];
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === "{") {
        out.push(level());
      } else if (text[i] === '"') {
        let value = "";
        let start = ++i;
        while (text[i] !== '"') {
          if (text[i] === "\\") {
            value += text.slice(start, i);
            start = ++i;
          }
          i++;
        }
        value += text.slice(start, i++);
        out.push(element ? element(value) : value);
      } else {
        const start = i;
        while (text[i] !== "," && text[i] !== "}") i++;
        const raw = text.slice(start, i);
        out.push(raw === "NULL" ? null : element ? element(raw) : raw);
      }
      if (text[i++] === "}") return out;
    }
  };
  return level();
}

/**
 * Array parameters as array literals, for postgres.js (PGlite's driver does
 * this itself): without it postgres.js sends [1, 2] as '1,2' and declares an
 * array of Dates a timestamptz.
 */
export function arrayParams(params: readonly unknown[] | undefined): readonly unknown[] | undefined {
  return params?.some(Array.isArray) ? params.map((p) => (Array.isArray(p) ? arrayLiteral(p) : p)) : params;
}

/** A JavaScript array as an array literal: every element quoted, null as NULL, nested arrays as dimensions. */
export function arrayLiteral(values: unknown): string {
  if (!Array.isArray(values)) return String(values); // already a literal, e.g. '{1,2}'
  const element = (value: unknown): string => {
    if (value === null || value === undefined) return "NULL";
    if (Array.isArray(value)) return arrayLiteral(value);
    return `"${elementText(value).replace(/[\\"]/g, "\\$&")}"`;
  };
  return `{${values.map(element).join(",")}}`;
}

function elementText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const TIMESTAMP = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?( BC)?$/;

/**
 * A timestamp(tz) in the ISO output style as a Date (to the millisecond; a
 * timestamp without time zone is read as UTC, so the machine's zone never
 * shifts it); `infinity` and `-infinity` as ±Infinity.
 */
export function parseTimestamp(text: string): Date | number {
  if (text === "infinity") return Infinity;
  if (text === "-infinity") return -Infinity;
  const m = TIMESTAMP.exec(text);
  if (m === null) return new Date(text);
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om, os, bc] = m;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as they are
  date.setUTCFullYear(bc ? 1 - Number(y) : Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), fraction ? Number(`${fraction.slice(1)}00`.slice(0, 3)) : 0);
  if (sign !== undefined) {
    const offset = (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * 1000;
    date.setTime(date.getTime() - (sign === "+" ? offset : -offset));
  }
  return date;
}

/** bytea's hex output (`\x00ff`) as bytes. */
export function parseBytea(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.slice(2), "hex"));
}
