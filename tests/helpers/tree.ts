/** A directory tree's fingerprint, for "this directory was never written" checks. */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/** Every entry under dir with its mode, and a file's size and content hash or a link's target, in name order. */
export function treeFingerprint(dir: string): string {
  const lines: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(dir, rel, name);
      const st = lstatSync(path);
      if (st.isDirectory()) {
        lines.push(`${rel}/${name}/ ${st.mode}`);
        walk(`${rel}/${name}`);
      } else if (st.isSymbolicLink()) {
        lines.push(`${rel}/${name} -> ${readlinkSync(path)}`);
      } else {
        lines.push(`${rel}/${name} ${st.mode} ${st.size} ${createHash("sha1").update(readFileSync(path)).digest("hex")}`);
      }
    }
  };
  walk("");
  return lines.join("\n");
}
