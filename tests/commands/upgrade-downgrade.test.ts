import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TOOL_VERSION } from "../../src/cli/version.ts";
import { revisionChecksum } from "../../src/history/checksum.ts";
import { join } from "node:path";
import { downgrade } from "../../src/commands/downgrade.ts";
import { current } from "../../src/commands/current.ts";
import { stamp } from "../../src/commands/stamp.ts";
import { upgrade } from "../../src/commands/upgrade.ts";
import { RevisionGraph } from "../../src/core/graph.ts";
import { MultipleHeadsError, RevisionFileError, UsageError } from "../../src/errors.ts";
import { loadRevisionsFromDir } from "../../src/revisions/source.ts";
import type { LoadedRevision } from "../../src/revisions/types.ts";
import { versionTableExists } from "../../src/runtime/version-table.ts";
import { engineKinds, openTestEngine, type TestEngine } from "../runtime/engines.ts";
import { sqlRev } from "../runtime/fixtures.ts";

/**
 *   r1 ── r2 ─┬─ a1 (label "alpha") ── a2 ─┬─ m1
 *             └─ b1 (label "beta")  ──────┘
 *   x1 (another base, label "extra")
 */
function branched(): LoadedRevision[] {
  const create = (id: string) => `CREATE TABLE t_${id} (id int);`;
  const drop = (id: string) => `DROP TABLE t_${id};`;
  const rev = (id: string, down: string | string[] | null, labels: string[] = []) => ({ ...sqlRev(id, down, create(id), drop(id)), branchLabels: labels });
  return [rev("r1", null), rev("r2", "r1"), rev("a1", "r2", ["alpha"]), rev("a2", "a1"), rev("b1", "r2", ["beta"]), rev("m1", ["a2", "b1"]), rev("x1", null, ["extra"])];
}

const projectDir = join(import.meta.dir, "..", "..", "migrations", "versions");

for (const kind of engineKinds) {
  describe(`upgrade, downgrade, stamp and current on ${kind}`, () => {
    let t: TestEngine;
    let graph: RevisionGraph;
    let revisions: Map<string, LoadedRevision>;
    let lines: string[];
    beforeAll(async () => {
      t = await openTestEngine(kind);
      const revs = branched();
      graph = RevisionGraph.build(revs);
      revisions = new Map(revs.map((r) => [r.id, r]));
    });
    afterAll(() => t.close());

    async function options() {
      const schema = await t.freshSchema();
      lines = [];
      return { url: t.url, engine: t.engine, graph, revisions, versionTableSchema: schema, log: (l: string) => lines.push(l) };
    }
    const tablesIn = async (schema: string | null | undefined) =>
      (await t.engine.query<{ n: string }>("select table_name as n from information_schema.tables where table_schema = $1 and table_name like 't\\_%' order by 1", [schema])).map((r) => r.n);

    test("the project's own chain goes up to head and back down to base", async () => {
      const revs = await loadRevisionsFromDir(projectDir);
      const project = { ...(await options()), graph: RevisionGraph.build(revs), revisions: new Map(revs.map((r) => [r.id, r])) };
      const up = await upgrade({ ...project, target: "head" });
      expect(up.steps.map((s) => s.revision)).toEqual(["ffa7dce781be", "dadf308f3867", "0ee619f3516b"]);
      expect(up.heads).toEqual(["0ee619f3516b"]);
      expect(lines[2]).toBe("Running upgrade ffa7dce781be -> dadf308f3867, create base platform tables");
      expect(lines[3]).toMatch(/^Done upgrade ffa7dce781be -> dadf308f3867 \([\d.]+ m?s\)$/);
      expect((await current(project)).entries).toEqual([{ revision: "0ee619f3516b", known: true, isHead: true }]);
      const down = await downgrade({ ...project, target: "base" });
      expect(down.steps.map((s) => s.revision)).toEqual(["0ee619f3516b", "dadf308f3867", "ffa7dce781be"]);
      expect(down.heads).toEqual([]);
      expect((await current(project)).heads).toEqual([]);
    });

    test("upgrade heads runs every branch, and the merge collapses them", async () => {
      const o = await options();
      const result = await upgrade({ ...o, target: "heads" });
      expect(result.heads).toEqual(["m1", "x1"]);
      expect(await tablesIn(o.versionTableSchema)).toEqual(["t_a1", "t_a2", "t_b1", "t_m1", "t_r1", "t_r2", "t_x1"]);
      expect((await current(o)).heads).toEqual(["m1", "x1"]);
    });

    test("upgrade head with several heads is refused with Alembic's advice (exit 2)", async () => {
      const error = await upgrade({ ...(await options()), target: "head" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MultipleHeadsError);
      expect((error as MultipleHeadsError).exitCode).toBe(2);
    });

    test("labels, relative steps and partial ids pick the right revisions", async () => {
      const o = await options();
      expect((await upgrade({ ...o, target: "r1" })).heads).toEqual(["r1"]);
      expect((await upgrade({ ...o, target: "+1" })).heads).toEqual(["r2"]);
      expect((await upgrade({ ...o, target: "a2" })).heads).toEqual(["a2"]);
      expect((await upgrade({ ...o, target: "b1" })).heads).toEqual(["a2", "b1"]);
      expect((await upgrade({ ...o, target: "extra@head" })).heads).toEqual(["a2", "b1", "x1"]);
      expect((await downgrade({ ...o, target: "extra@base" })).heads).toEqual(["a2", "b1"]);
      expect((await upgrade({ ...o, target: "alpha@head" })).heads).toEqual(["m1"]);
      expect((await downgrade({ ...o, target: "r1" })).heads).toEqual(["r1"]);
      expect(await tablesIn(o.versionTableSchema)).toEqual(["t_r1"]);
    });

    test("stamp moves the version table without running anything, and --purge replaces unknown rows", async () => {
      const o = await options();
      const stamped = await stamp({ ...o, targets: ["a2", "b1"] });
      expect(stamped.heads).toEqual(["a2", "b1"]);
      expect(stamped.steps.every((s) => s.kind === "stamp")).toBe(true);
      expect(lines[0]).toBe("Running stamp_revision  -> a2");
      expect(lines[1]).toStartWith("Done stamp_revision  -> a2 (");
      expect(await tablesIn(o.versionTableSchema)).toEqual([]);
      await t.engine.execute(`INSERT INTO ${o.versionTableSchema}.alembic_version VALUES ('deadbeef0000')`);
      expect((await current({ ...o, graph })).entries).toContainEqual({ revision: "deadbeef0000", known: false, isHead: false });
      const purged = await stamp({ ...o, targets: ["r2"], purge: true });
      expect(purged.heads).toEqual(["r2"]);
      expect((await current(o)).heads).toEqual(["r2"]);
      expect((await upgrade({ ...o, target: "m1" })).steps.map((s) => s.revision).sort()).toEqual(["a1", "a2", "b1", "m1"]);
    });

    test("a downgrade through a revision without a downgrade section is refused before anything runs", async () => {
      const revs = [sqlRev("n1", null, "CREATE TABLE t_n1 ();", "DROP TABLE t_n1;"), sqlRev("n2", "n1", "CREATE TABLE t_n2 ();"), sqlRev("n3", "n2", "CREATE TABLE t_n3 ();", "DROP TABLE t_n3;")];
      const o = { ...(await options()), graph: RevisionGraph.build(revs), revisions: new Map(revs.map((r) => [r.id, r])) };
      await upgrade({ ...o, target: "head" });
      const error = await downgrade({ ...o, target: "base" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RevisionFileError);
      expect((error as RevisionFileError).exitCode).toBe(2);
      expect((error as Error).message).toContain("n2 has no downgrade section");
      expect(await tablesIn(o.versionTableSchema)).toEqual(["t_n1", "t_n2", "t_n3"]);
      expect((await current(o)).heads).toEqual(["n3"]);
    });

    test("current never creates the version table", async () => {
      const o = await options();
      expect((await current(o)).heads).toEqual([]);
      expect(await versionTableExists(t.engine, { name: "alembic_version", schema: o.versionTableSchema })).toBe(false);
    });

    test("a custom version table name and schema are used", async () => {
      const o = { ...(await options()), versionTable: "retort_versions" };
      await upgrade({ ...o, target: "r2" });
      expect(await t.engine.query(`select version_num from ${o.versionTableSchema}.retort_versions`)).toEqual([{ version_num: "r2" }]);
      expect((await current(o)).heads).toEqual(["r2"]);
    });
  });
}

describe("--sql scripts from the commands", () => {
  const revs = branched();
  const graph = RevisionGraph.build(revs);
  const base = { url: "postgres://app:s3cret@nowhere.invalid/db", graph, revisions: new Map(revs.map((r) => [r.id, r])), sql: true, log: () => {} };

  test("upgrade --sql renders from base without connecting, and the result URL is redacted", async () => {
    const result = await upgrade({ ...base, target: "alpha@head" });
    expect(result.url).toBe("postgres://app:***@nowhere.invalid/db");
    expect(result.sql).toContain("-- Running upgrade  -> r1\n\nCREATE TABLE t_r1 (id int);");
    expect(result.sql).toContain("-- Running upgrade a1 -> a2");
    expect(result.sql).toStartWith("BEGIN;\n\nCREATE TABLE alembic_version");
  });

  test("upgrade --sql from:to starts from the given revision", async () => {
    const result = await upgrade({ ...base, target: "r2:a2" });
    expect(result.previousHeads).toEqual(["r2"]);
    expect(result.steps.map((s) => s.revision)).toEqual(["a1", "a2"]);
    expect(result.sql).not.toContain("CREATE TABLE alembic_version");
  });

  test("downgrade --sql needs from:to, and renders the downgrades", async () => {
    expect(await downgrade({ ...base, target: "base" }).catch((e: unknown) => e)).toBeInstanceOf(UsageError);
    const result = await downgrade({ ...base, target: "a2:r2" });
    expect(result.steps.map((s) => s.revision)).toEqual(["a2", "a1"]);
    expect(result.sql).toContain("-- Running downgrade a1 -> r2");
  });

  test("a range the wrong way round is exit 2, naming it and the command that reads it that way (Alembic prints an empty upgrade script)", async () => {
    const refused = async (run: Promise<unknown>) => {
      const error = await run.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      return (error as Error).message;
    };
    expect(await refused(upgrade({ ...base, target: "a2:r2" }))).toBe(
      "upgrade --sql a2:r2: 'r2' is below 'a2', and an upgrade range goes up from its start (exclusive) to its end; for the script that takes a2 down to r2, run 'retort downgrade --sql a2:r2', or for the upgrade from r2 to a2, 'retort upgrade --sql r2:a2'",
    );
    expect(await refused(upgrade({ ...base, target: "heads:base" }))).toContain("'retort downgrade --sql heads:base'");
    expect(await refused(downgrade({ ...base, target: "r2:a2" }))).toBe(
      "downgrade --sql r2:a2: 'a2' is not below 'r2', and a downgrade range goes down from its start to its end; for the script that takes r2 up to a2, run 'retort upgrade --sql r2:a2', or for the downgrade from a2 to r2, 'retort downgrade --sql a2:r2'",
    );
    expect(await refused(downgrade({ ...base, target: "base:alpha@head" }))).toContain("'retort upgrade --sql base:alpha@head'");
  });

  test("an empty range renders a script that runs nothing, and says why on stderr", async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const up = await upgrade({ ...base, log, target: "a2:a2" });
    const down = await downgrade({ ...base, log, target: "a2:a2" });
    expect([up.steps, down.steps]).toEqual([[], []]);
    expect(up.sql).toBe("BEGIN;\n\nCOMMIT;\n\n");
    expect(lines).toEqual([
      "upgrade --sql a2:a2: nothing to upgrade from a2 to a2 (the range is empty: its start is exclusive), so the script runs no revision",
      "downgrade --sql a2:a2: nothing to downgrade from a2 to a2 (the range is empty), so the script runs no revision",
    ]);
    lines.length = 0;
    await upgrade({ ...base, log, target: "r2:a2" });
    expect(lines.filter((l) => l.includes("nothing to"))).toEqual([]);
  });

  test("stamp --sql renders only version rows (and its history row), and refuses --purge", async () => {
    const result = await stamp({ ...base, targets: ["r1:r2"] });
    expect(result.sql).toStartWith("BEGIN;\n\nCREATE TABLE IF NOT EXISTS retort_history (");
    expect(result.sql).toContain(
      "-- Running stamp_revision r1 -> r2\n\nUPDATE alembic_version SET version_num='r2' WHERE alembic_version.version_num = 'r1';\n\nINSERT INTO retort_history (",
    );
    const checksum = await revisionChecksum(revs.find((r) => r.id === "r2")!);
    expect(result.sql).toContain(`NULL, NULL, '${TOOL_VERSION}'\nFROM json_to_recordset('[{"r":"r2","k":"stamp","b":"r1","a":"r2","c":"${checksum}","s":null,"d":null,"ok":true,"q":null,"e":null}]')`);
    expect(result.sql).toEndWith(";\n\nCOMMIT;\n\n");
    expect(result.sql).not.toContain("CREATE TABLE alembic_version");
    expect(await stamp({ ...base, targets: ["head"], purge: true }).catch((e: unknown) => e)).toBeInstanceOf(UsageError);
  });

  test("a from:to range online is refused (exit 2)", async () => {
    const error = await upgrade({ ...base, sql: false, target: "r1:r2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain("Range revision not allowed");
  });
});
