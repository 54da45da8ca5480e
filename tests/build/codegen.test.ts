import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderBundleModule, type BundleInput } from "../../src/embedded/codegen.ts";
import type { EmbeddedBundle } from "../../src/embedded/types.ts";

const scratch = join(process.env.RETORT_TEST_TMP ?? "/tmp", `codegen-${crypto.randomUUID()}`);

/** Write the generated module (and the files it imports) to a scratch dir and import it, as the bundler would. */
async function loadGenerated(input: BundleInput): Promise<EmbeddedBundle | null> {
  const dir = join(scratch, crypto.randomUUID());
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "bundle.ts");
  writeFileSync(file, renderBundleModule(input));
  return ((await import(file)) as { bundle: EmbeddedBundle | null }).bundle;
}

function fixture(name: string, text: string): string {
  mkdirSync(scratch, { recursive: true });
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

const base = { version: "9.9.9", builtAt: "2026-01-01T00:00:00.000Z", target: "bun-linux-x64", heads: [], revisions: [], pglite: null };

describe("renderBundleModule", () => {
  test("a build with nothing to embed still yields a bundle with its version and no revisions", async () => {
    const bundle = await loadGenerated(base);
    expect(bundle).toEqual({ ...base, heads: [], revisions: [], libpgQueryWasm: null });
  });

  test("SQL revisions are carried as text, byte for byte, including quotes, backslashes and non-ASCII", async () => {
    const text = "-- Revision ID: aaa\n-- Revises:\n-- Message: it's \"quoted\" \\ ${x} `tick` — ü\n\n-- migrate:upgrade\nSELECT 1;\n";
    const bundle = await loadGenerated({
      ...base,
      heads: ["aaa"],
      revisions: [{ path: "migrations/versions/aaa_x.sql", file: "/nowhere/aaa_x.sql", text }],
    });
    expect(bundle?.heads).toEqual(["aaa"]);
    expect(bundle?.revisions).toEqual([{ path: "migrations/versions/aaa_x.sql", text }]);
  });

  test("TypeScript revisions are imported as modules so the bundler compiles them in", async () => {
    const text = 'export const revision = "bbb";\nexport const downRevision = null;\nexport async function upgrade() {}\n';
    const file = fixture("bbb_y.ts", text);
    const bundle = await loadGenerated({ ...base, revisions: [{ path: "migrations/versions/bbb_y.ts", file, text }] });
    const entry = bundle?.revisions[0];
    expect(entry?.text).toBe(text);
    expect(entry?.module?.revision).toBe("bbb");
    expect(typeof entry?.module?.upgrade).toBe("function");
  });

  test("PGlite's assets are imported as embedded files, which from source are their paths", async () => {
    const pglite = {
      wasm: fixture("a.wasm", "w"),
      initdbWasm: fixture("b.wasm", "i"),
      fsBundle: fixture("c.data", "d"),
      snapshot: fixture("d.tar.gz", "s"),
      extensions: { pg_trgm: fixture("pg_trgm.tar.gz", "t"), "uuid-ossp": fixture("uuid-ossp.tar.gz", "u") },
    };
    const bundle = await loadGenerated({ ...base, pglite });
    expect(bundle?.pglite).toEqual(pglite);
  });

  test("libpg-query's wasm is imported as an embedded file, which from source is its path", async () => {
    const libpgQueryWasm = fixture("libpg-query.wasm", "q");
    expect((await loadGenerated({ ...base, libpgQueryWasm }))?.libpgQueryWasm).toBe(libpgQueryWasm);
    expect((await loadGenerated(base))?.libpgQueryWasm).toBeNull();
  });
});
