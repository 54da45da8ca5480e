/**
 * The rows of alembic_version while a plan is built, and the inserts,
 * updates and deletes each step makes (Alembic's HeadMaintainer with
 * RevisionStep / StampStep). The rows always hold the applied revisions
 * that nothing applied revises or depends on; where Alembic's own
 * bookkeeping would break that (or crash), this keeps it.
 */
import type { Marks } from "./closure.ts";
import { ancestors } from "./closure.ts";
import type { RevisionGraph } from "./graph.ts";
import type { VersionChange } from "./types.ts";

/** The version table during planning. */
export class VersionRows {
  private readonly rows: number[];
  private readonly inRows: Uint8Array;
  /** everything the rows imply is applied; computed when a downgrade first needs it */
  private applied: Marks | null = null;

  constructor(private readonly g: RevisionGraph, rows: readonly number[]) {
    this.rows = [...new Set(rows)];
    this.inRows = new Uint8Array(g.size);
    for (const r of this.rows) this.inRows[r] = 1;
  }

  /** the current rows, in the order they were written */
  get heads(): readonly number[] {
    return this.rows;
  }

  /** true when a revision is a row */
  has(r: number): boolean {
    return this.inRows[r] === 1;
  }

  /** Upgrading r: its parents (and dependencies) that are rows give way to it; with none, it is a new row. */
  upgrade(r: number): VersionChange[] {
    const present = this.g.links.normDown[r]!.filter((p) => this.inRows[p]);
    if (this.applied) this.applied[r] = 1;
    if (present.length === 0) return [this.insert(r)];
    return [...present.slice(0, -1).map((p) => this.delete(p)), this.update(present.at(-1)!, r)];
  }

  /**
   * Downgrading r (a row): its parents that nothing else applied still
   * implies become rows again; with none, r's row is deleted.
   */
  downgrade(r: number): VersionChange[] {
    if (!this.inRows[r]) throw new Error(`internal error: downgrading ${this.g.idAt(r)}, which is not a current head`);
    this.applied ??= ancestors(this.g, this.rows);
    const applied = this.applied;
    applied[r] = 0;
    const { normDown, allNext } = this.g.links;
    const back = normDown[r]!.filter((p) => !allNext[p]!.some((c) => applied[c]));
    if (back.length === 0) return [this.delete(r)];
    return [...back.slice(0, -1).map((p) => this.insert(p)), this.update(r, back.at(-1)!)];
  }

  /**
   * A stamp step (Alembic's StampStep): `from` rows move to `to`. A new
   * branch inserts, a move to base deletes, several rows merge into one.
   */
  stamp(from: readonly number[], to: number | null): VersionChange[] {
    this.applied = null;
    if (to === null) return from.map((f) => this.delete(f));
    if (from.length === 0) return this.inRows[to] ? [] : [this.insert(to)];
    return [...from.slice(0, -1).map((f) => this.delete(f)), this.update(from.at(-1)!, to)];
  }

  private insert(r: number): VersionChange {
    this.rows.push(r);
    this.inRows[r] = 1;
    return { kind: "insert", version: this.g.idAt(r) };
  }

  private delete(r: number): VersionChange {
    this.rows.splice(this.rows.indexOf(r), 1);
    this.inRows[r] = 0;
    return { kind: "delete", version: this.g.idAt(r) };
  }

  private update(from: number, to: number): VersionChange {
    this.rows[this.rows.indexOf(from)] = to;
    this.inRows[from] = 0;
    this.inRows[to] = 1;
    return { kind: "update", from: this.g.idAt(from), to: this.g.idAt(to) };
  }
}
