/** One of the processes of the cache race test: build (or read) a snapshot, open it, print its tables. */
import { cacheHistory, snapshotAt } from "../../src/cache/build.ts";
import { openDataDirTar } from "../../src/cache/open.ts";
import { CacheStore } from "../../src/cache/store.ts";
import { RevisionGraph } from "../../src/core/graph.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";

const [dir, cacheDir, head] = process.argv.slice(2) as [string, string, string];
const revisions = await loadRevisionsFromDir(dir);
const snapshot = await snapshotAt(new CacheStore(cacheDir, 1 << 30), cacheHistory(RevisionGraph.build(revisions), revisions), [head]);
const db = await openDataDirTar(snapshot.tar, snapshot.manifest.extensions, "pglite:memory (race)");
const rows = await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
await db.close();
console.log(rows.map((r) => r.t).join(","));
