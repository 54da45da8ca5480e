import { describe, expect, test } from "bun:test";
import { writeTar, type TarEntry } from "../../src/embedded/tar.ts";

const text = (s: string) => new TextEncoder().encode(s);

describe("writeTar", () => {
  const entries: TarEntry[] = [
    { name: "PG_VERSION", kind: "file", mode: 0o600, mtime: 1_700_000_000, data: text("18\n") },
    { name: "pg_tblspc", kind: "dir", mode: 0o700, mtime: 1_700_000_000 },
    { name: "base", kind: "dir", mode: 0o700, mtime: 1_700_000_000 },
    { name: "base/5", kind: "dir", mode: 0o700, mtime: 1_700_000_000 },
    { name: "base/5/empty", kind: "file", mode: 0o600, mtime: 1_700_000_000, data: new Uint8Array(0) },
    { name: "base/5/page", kind: "file", mode: 0o600, mtime: 1_700_000_000, data: new Uint8Array(8192).fill(7) },
    { name: `${"d".repeat(90)}/${"f".repeat(60)}`, kind: "file", mode: 0o600, mtime: 1_700_000_000, data: text("long") },
  ];

  test("writes an archive Bun reads back file for file, including empty files and long names", async () => {
    const files = await new Bun.Archive(writeTar(entries)).files();
    const back = new Map<string, Uint8Array>();
    for (const [name, file] of files) back.set(name, await file.bytes());
    expect(back.get("PG_VERSION")).toEqual(text("18\n"));
    expect(back.get("base/5/empty")?.length).toBe(0);
    expect(back.get("base/5/page")).toEqual(new Uint8Array(8192).fill(7));
    expect(back.get(`${"d".repeat(90)}/${"f".repeat(60)}`)).toEqual(text("long"));
  });

  test("keeps empty directories, which a PostgreSQL data dir needs", async () => {
    const dir = `${process.env.RETORT_TEST_TMP ?? "/tmp"}/tar-${crypto.randomUUID()}`;
    await new Bun.Archive(writeTar(entries)).extract(dir);
    const { statSync } = await import("node:fs");
    expect(statSync(`${dir}/pg_tblspc`).isDirectory()).toBe(true);
    expect(statSync(`${dir}/base/5/page`).size).toBe(8192);
  });

  test("pads every member to 512-byte blocks and ends with two zero blocks", () => {
    const tar = writeTar(entries.slice(0, 1));
    expect(tar.length).toBe(512 + 512 + 1024);
    expect(new TextDecoder().decode(tar.subarray(257, 262))).toBe("ustar");
  });

  test("refuses a name that ustar cannot hold", () => {
    expect(() => writeTar([{ name: "x".repeat(120), kind: "file", mode: 0o600, mtime: 0, data: text("") }])).toThrow("name too long");
  });
});
