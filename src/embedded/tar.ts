/**
 * A minimal ustar writer: enough to pack a PostgreSQL data dir (regular
 * files and directories, short names), which Bun.Archive and PGlite's
 * loadDataDir both read. Bun.Archive cannot write empty directories, and a
 * data dir needs them (pg_tblspc, pg_notify, …).
 */

/** One member of the archive; directory names end without a slash. */
export interface TarEntry {
  readonly name: string;
  readonly kind: "file" | "dir";
  readonly data?: Uint8Array;
  /** permission bits, e.g. 0o600 */
  readonly mode: number;
  /** seconds since the epoch */
  readonly mtime: number;
}

const BLOCK = 512;
const encoder = new TextEncoder();

function field(header: Uint8Array, offset: number, length: number, value: string): void {
  header.set(encoder.encode(value).subarray(0, length), offset);
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, "0")}\0`;
}

function headerFor(entry: TarEntry): Uint8Array {
  const name = entry.kind === "dir" ? `${entry.name}/` : entry.name;
  const bytes = encoder.encode(name);
  let prefix = "";
  let short = name;
  if (bytes.length > 100) {
    // ustar splits long names at a slash into prefix (155) and name (100)
    const cut = name.lastIndexOf("/", name.length - 2);
    prefix = name.slice(0, cut);
    short = name.slice(cut + 1);
    if (cut < 0 || encoder.encode(prefix).length > 155 || encoder.encode(short).length > 100) {
      throw new Error(`tar: name too long: ${name}`);
    }
  }
  const header = new Uint8Array(BLOCK);
  field(header, 0, 100, short);
  field(header, 100, 8, octal(entry.mode & 0o7777, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(entry.kind === "file" ? (entry.data?.length ?? 0) : 0, 12));
  field(header, 136, 12, octal(Math.floor(entry.mtime), 12));
  field(header, 148, 8, "        ");
  field(header, 156, 1, entry.kind === "file" ? "0" : "5");
  field(header, 257, 6, "ustar\0");
  field(header, 263, 2, "00");
  field(header, 345, 155, prefix);
  const sum = header.reduce((total, byte) => total + byte, 0);
  field(header, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

/** Pack entries, in the order given, into an uncompressed tar. */
export function writeTar(entries: readonly TarEntry[]): Uint8Array<ArrayBuffer> {
  let size = 2 * BLOCK; // two zero blocks end the archive
  for (const entry of entries) size += BLOCK + Math.ceil((entry.kind === "file" ? (entry.data?.length ?? 0) : 0) / BLOCK) * BLOCK;
  const out = new Uint8Array(size);
  let at = 0;
  for (const entry of entries) {
    out.set(headerFor(entry), at);
    at += BLOCK;
    if (entry.kind === "file" && entry.data) {
      out.set(entry.data, at);
      at += Math.ceil(entry.data.length / BLOCK) * BLOCK;
    }
  }
  return out;
}
