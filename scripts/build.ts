#!/usr/bin/env bun
/**
 * Build the self-contained executable: `bun run build` makes dist/retort for
 * this machine, `bun run release` one per platform plus dist/SHA256SUMS.
 * The executable embeds every revision file of migrations/versions, PGlite's
 * wasm modules and fs bundle, and a data dir initialised here (fast start).
 * Whatever runs on this machine is smoke-tested before the build succeeds.
 *
 *   bun scripts/build.ts [--release] [--target bun-linux-arm64] [--outfile dist/x] [--no-smoke]
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { BunPlugin } from "bun";
import { RevisionGraph } from "../src/core/graph.ts";
import { renderBundleModule, type BundleInput, type RevisionFileInput } from "../src/embedded/codegen.ts";
import { cachedSnapshot } from "../src/embedded/snapshot.ts";
import { compareFileNames, isRevisionFileName, loadRevisionsFromDir } from "../src/revisions/source.ts";

const ROOT = resolve(import.meta.dir, "..");
const ENTRY = join(ROOT, "src/cli/main.ts");
const REVISIONS_DIR = join(ROOT, "migrations/versions");
const DIST = join(ROOT, "dist");

/** Release artifacts: Bun compile target and file name. */
const RELEASE_TARGETS = [
  { target: "bun-linux-x64", name: "retort-linux-x64" },
  { target: "bun-linux-arm64", name: "retort-linux-arm64" },
  { target: "bun-darwin-x64", name: "retort-darwin-x64" },
  { target: "bun-darwin-arm64", name: "retort-darwin-arm64" },
  { target: "bun-windows-x64", name: "retort-windows-x64.exe" },
] as const;

/** The compile target of the machine running the build. */
function hostTarget(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  return `bun-${os}-${process.arch}`;
}

/** Every revision file of migrations/versions, with the heads of its graph (the build fails on a broken graph). */
async function gatherRevisions(): Promise<{ files: RevisionFileInput[]; heads: string[] }> {
  if (!existsSync(REVISIONS_DIR)) return { files: [], heads: [] };
  const names = readdirSync(REVISIONS_DIR)
    .filter((name) => isRevisionFileName(name) && statSync(join(REVISIONS_DIR, name)).isFile())
    .sort(compareFileNames);
  const files = names.map((name) => {
    const file = join(REVISIONS_DIR, name);
    return { path: relative(ROOT, file).replaceAll("\\", "/"), file, text: readFileSync(file, "utf8") };
  });
  const heads = files.length === 0 ? [] : [...RevisionGraph.build(await loadRevisionsFromDir(REVISIONS_DIR)).heads];
  return { files, heads };
}

/** PGlite's own asset files in node_modules, plus the snapshot (made once and cached) copied into buildDir. */
async function pgliteAssets(buildDir: string): Promise<NonNullable<BundleInput["pglite"]>> {
  const dist = dirname(Bun.resolveSync("@electric-sql/pglite", ROOT));
  const snapshot = join(buildDir, "pglite-snapshot.tar.gz");
  writeFileSync(snapshot, await cachedSnapshot());
  return {
    wasm: join(dist, "pglite.wasm"),
    initdbWasm: join(dist, "initdb.wasm"),
    fsBundle: join(dist, "pglite.data"),
    snapshot,
  };
}

/** Serves the generated module in place of the checked-in src/embedded/bundle.ts. */
function embedPlugin(source: string): BunPlugin {
  return {
    name: "retort-embedded-bundle",
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]embedded[\\/]bundle\.ts$/ }, () => ({ contents: source, loader: "ts" }));
    },
  };
}

/** Compile one executable for `target` into `outfile`. */
async function compile(target: string, outfile: string, input: Omit<BundleInput, "target">): Promise<void> {
  const started = performance.now();
  const result = await Bun.build({
    entrypoints: [ENTRY],
    compile: {
      target: target as Bun.Build.CompileTarget,
      outfile,
      // a user's .env or bunfig.toml must not change what the tool does (bunfig could even preload code)
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
    format: "esm",
    // not identifiers: error class names are part of --json output, and Bun's keepNames does not keep class names
    minify: { whitespace: true, syntax: true, identifiers: false },
    bytecode: true,
    sourcemap: "none",
    plugins: [embedPlugin(renderBundleModule({ ...input, target }))],
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`build for ${target} failed`);
  }
  const mb = (statSync(outfile).size / 1024 / 1024).toFixed(1);
  console.log(`built ${relative(ROOT, outfile)} (${target}, ${mb} MiB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Run the executable in a scratch directory with a clean environment; throws unless it exits 0. */
async function run(exe: string, args: string[], cwd: string): Promise<string> {
  const child = Bun.spawn([exe, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`smoke: retort ${args.join(" ")} exited ${code}\n${stdout}${stderr}`);
  return stdout;
}

/** `--version`, then `upgrade head` on pglite:memory and on a new pglite: directory, from outside the checkout. */
async function smoke(exe: string, version: string, heads: readonly string[]): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), "retort-smoke-"));
  try {
    const line = await run(exe, ["--version"], cwd);
    if (!line.includes(version) || !heads.every((head) => line.includes(head))) {
      throw new Error(`smoke: --version printed ${JSON.stringify(line)}, expected ${version} and heads ${heads.join(", ")}`);
    }
    await run(exe, ["upgrade", "head", "--url", "pglite:memory"], cwd);
    await run(exe, ["upgrade", "head", "--url", "pglite:./db"], cwd);
    const current = await run(exe, ["current", "--url", "pglite:./db"], cwd);
    if (!heads.every((head) => current.includes(head))) throw new Error(`smoke: current printed ${JSON.stringify(current)}`);
    console.log(`smoke ok: ${line.trim()}`);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** sha256sum's format, so `sha256sum -c SHA256SUMS` checks the downloads. */
function writeChecksums(files: readonly string[]): void {
  const lines = files.map((file) => `${new Bun.CryptoHasher("sha256").update(readFileSync(file)).digest("hex")}  ${basename(file)}`);
  writeFileSync(join(DIST, "SHA256SUMS"), `${lines.join("\n")}\n`);
  console.log(`wrote dist/SHA256SUMS (${files.length} files)`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Bun.argv.slice(2),
    options: {
      release: { type: "boolean", default: false },
      target: { type: "string" },
      outfile: { type: "string" },
      "no-smoke": { type: "boolean", default: false },
    },
  });
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  const { files, heads } = await gatherRevisions();
  const buildDir = mkdtempSync(join(tmpdir(), "retort-build-"));
  try {
    const libpgQueryWasm = join(dirname(Bun.resolveSync("libpg-query", ROOT)), "libpg-query.wasm");
    const input = { version: pkg.version, builtAt: new Date().toISOString(), heads, revisions: files, pglite: await pgliteAssets(buildDir), libpgQueryWasm };
    await buildAll(input, values);
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
}

/** Compile every requested target, smoke-test what runs here, and write checksums for a release. */
async function buildAll(
  input: Omit<BundleInput, "target">,
  values: { release?: boolean; target?: string; outfile?: string; "no-smoke"?: boolean },
): Promise<void> {
  const { revisions, heads, version } = input;
  console.log(`embedding ${revisions.length} revision file(s), head ${heads.join(", ") || "(none)"}, PGlite assets and a data dir snapshot`);
  mkdirSync(DIST, { recursive: true });
  const host = hostTarget();
  const builds = values.release
    ? RELEASE_TARGETS.map(({ target, name }) => ({ target, outfile: join(DIST, name) }))
    : [{ target: values.target ?? host, outfile: resolve(values.outfile ?? join(DIST, "retort")) }];
  for (const { target, outfile } of builds) await compile(target, outfile, input);
  if (!values["no-smoke"]) {
    for (const { target, outfile } of builds) if (target === host) await smoke(outfile, version, heads);
  }
  if (values.release) writeChecksums(builds.map((b) => b.outfile));
}

await main();
