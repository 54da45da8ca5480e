/** CLI definition of `retort revision`. */
import { defineCommand } from "citty";
import { newRevisionSpec, renderRevisionFile, writeRevisionFile } from "../../commands/revision.ts";
import { UsageError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { filterArgs, lockTimeoutArgs, revisionRequest } from "./shared.ts";

export default defineCommand({
  meta: { name: "revision", description: "Create a new revision file" },
  args: {
    message: { type: "string", alias: "m", description: "message of the revision" },
    revId: { type: "string", description: "use this revision id instead of a random one" },
    head: { type: "string", description: "build on this revision (default head; base for a new root)" },
    splice: { type: "boolean", description: "allow --head to be a non-head revision (starts a branch)" },
    branchLabel: { type: "string", valueHint: "LABEL", description: "branch label(s) of the new revision, comma-separated" },
    dependsOn: { type: "string", valueHint: "REVISION", description: "revision(s) or labels the new revision depends on" },
    ts: { type: "boolean", description: "write a TypeScript revision instead of SQL" },
    autogenerate: { type: "boolean", description: "fill the revision from the difference to schema.sql" },
    schema: { type: "string", valueHint: "PATH", description: "declarative schema file or directory (with --autogenerate)" },
    against: { type: "string", valueHint: "URL", description: "compare this live database instead of the replayed head" },
    ...filterArgs,
    ...lockTimeoutArgs,
    sql: { type: "boolean", description: "print the new revision file on stdout instead of writing it" },
  },
  async run({ args, data }) {
    const ctx = data as CliContext;
    if (!args.sql) await ctx.requireRevisionsOnDisk("retort revision");
    if (args.autogenerate) {
      if (args.sql) throw new UsageError("Using --sql with --autogenerate does not make any sense");
      if (args.ts) throw new UsageError("--autogenerate writes SQL revisions; drop --ts");
      const { runAutogenerateRevision } = await import("./autogenerate-revision.ts");
      return runAutogenerateRevision(ctx, args);
    }
    if (args.schema !== undefined || args.against !== undefined || args.include !== undefined || args.exclude !== undefined || args.lockTimeout !== undefined) {
      throw new UsageError("--schema, --against, --include, --exclude and --lock-timeout go with --autogenerate");
    }
    const graph = await ctx.graph();
    const spec = newRevisionSpec(graph, revisionRequest(args));
    const file = renderRevisionFile(ctx.revisionsDir(), spec, args.ts ? "ts" : "sql");
    if (args.sql) {
      ctx.output.result({ text: file.text, verbatim: true, json: { ...spec, path: null, text: file.text } });
      return;
    }
    const path = writeRevisionFile(file);
    ctx.output.result({ text: `  Generating ${path} ...  done`, json: { ...spec, path } });
  },
});
