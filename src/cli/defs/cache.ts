/** CLI definition of `retort cache [clear]`: list or empty the snapshot cache. */
import { defineCommand } from "citty";
import { clearCache, listCache, type CacheListResult } from "../../commands/cache.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";

export default defineCommand({
  meta: { name: "cache", description: "List the snapshot cache (databases at revisions), or empty it with `cache clear`" },
  args: {
    action: { type: "positional", required: false, description: "clear: remove every entry" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    const [action, ...extra] = args._;
    if (extra.length > 0 || (action !== undefined && action !== "clear")) throw new UsageError("cache takes no argument or `clear`, e.g. `retort cache clear`");
    const store = ctx.cacheStore();
    if (action === "clear") {
      const result = clearCache(store);
      ctx.output.result({ text: `Removed ${result.removed} cache entr${result.removed === 1 ? "y" : "ies"} from ${result.dir}`, json: result });
      return;
    }
    const result = listCache(store);
    ctx.output.result({ text: formatList(result), json: result });
  },
});

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** One line per entry: revision, key, size, last used; then the total against the cap. */
function formatList(result: CacheListResult): string {
  const rows = result.entries.map((e) => [e.revision, e.key, mb(e.sizeBytes), e.lastUsed.replace("T", " ").replace(/\.\d+Z$/, "Z")]);
  const header = ["revision", "key", "size", "last used"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  const total = `${result.entries.length} entr${result.entries.length === 1 ? "y" : "ies"}, ${mb(result.totalBytes)} of ${mb(result.maxBytes)} in ${result.dir}`;
  return rows.length === 0 ? total : [line(header), ...rows.map(line), total].join("\n");
}
