/**
 * What the build put into the executable. This checked-in module says
 * "nothing embedded"; scripts/build.ts substitutes a generated module for it
 * (a bundler plugin, so nothing generated is ever written into src/).
 */
import type { EmbeddedBundle } from "./types.ts";

/** The embedded bundle, or null when running from source. */
export const bundle: EmbeddedBundle | null = null;
