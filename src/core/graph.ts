/**
 * The revision graph (Alembic's RevisionMap): built once from the revision
 * files in file-name order, validated before anything else, then queried by
 * resolution, planning, history and formatting. Pure: no I/O.
 */
import { ResolutionError } from "../errors.ts";
import { effectiveLabels } from "./labels.ts";
import { link, type Linked } from "./link.ts";
import type { RevisionMeta } from "./types.ts";

/** A validated, indexed revision graph. Lists are in file order unless said otherwise. */
export class RevisionGraph {
  /** index-level adjacency used by the other core modules */
  readonly links: Linked;
  /** effective branch labels per revision index (own and inherited) */
  readonly labelsByIndex: readonly (readonly string[])[];
  /** every revision, in file order */
  readonly revisions: readonly RevisionMeta[];
  /** versioned heads: revisions no other revision revises (Alembic's `heads`) */
  readonly heads: readonly string[];
  /** heads that nothing depends on either (what `heads` resolves to; Alembic's _real_heads) */
  readonly realHeads: readonly string[];
  /** revisions with no down revision */
  readonly bases: readonly string[];
  /** bases with no dependencies either */
  readonly realBases: readonly string[];
  /** revisions with more than one versioned child */
  readonly branchPoints: readonly string[];
  /** revisions with more than one down revision */
  readonly mergePoints: readonly string[];

  private constructor(links: Linked) {
    this.links = links;
    this.revisions = links.metas;
    this.labelsByIndex = effectiveLabels(links);
    const heads: string[] = [];
    const realHeads: string[] = [];
    const bases: string[] = [];
    const realBases: string[] = [];
    const branchPoints: string[] = [];
    const mergePoints: string[] = [];
    const { metas, next, allNext, down, deps } = links;
    for (let i = 0; i < metas.length; i++) {
      const id = metas[i]!.id;
      const children = next[i]!.length;
      const parents = down[i]!.length;
      if (children === 0) heads.push(id);
      if (allNext[i]!.length === 0) realHeads.push(id);
      if (parents === 0) bases.push(id);
      if (parents === 0 && deps[i]!.length === 0) realBases.push(id);
      if (children > 1) branchPoints.push(id);
      if (parents > 1) mergePoints.push(id);
    }
    this.heads = heads;
    this.realHeads = realHeads;
    this.bases = bases;
    this.realBases = realBases;
    this.branchPoints = branchPoints;
    this.mergePoints = mergePoints;
  }

  /** Validates and indexes the revisions (given in file-name order); throws GraphError naming the file(s). */
  static build(revisions: readonly RevisionMeta[]): RevisionGraph {
    return new RevisionGraph(link(revisions));
  }

  /** number of revisions */
  get size(): number {
    return this.revisions.length;
  }

  /** true when a revision has exactly this id */
  has(id: string): boolean {
    return this.links.index.has(id);
  }

  /** the index of a revision id, or undefined */
  indexOf(id: string): number | undefined {
    return this.links.index.get(id);
  }

  /** the index of a revision id; throws ResolutionError for an unknown id */
  mustIndex(id: string): number {
    const i = this.links.index.get(id);
    if (i === undefined) throw new ResolutionError(`Can't locate revision identified by '${id}'`, id);
    return i;
  }

  /** the revision with exactly this id (no prefixes or symbols; see resolve.ts for those) */
  get(id: string): RevisionMeta {
    return this.revisions[this.mustIndex(id)]!;
  }

  /** the id of the revision at an index */
  idAt(i: number): string {
    return this.revisions[i]!.id;
  }

  /** the ids of the revisions at some indices */
  idsAt(indices: Iterable<number>): string[] {
    return Array.from(indices, (i) => this.revisions[i]!.id);
  }

  /** revisions whose down revisions include this one (Alembic's nextrev) */
  children(id: string): string[] {
    return this.idsAt(this.links.next[this.mustIndex(id)]!);
  }

  /** revisions that revise or depend on this one (Alembic's _all_nextrev) */
  dependents(id: string): string[] {
    return this.idsAt(this.links.allNext[this.mustIndex(id)]!);
  }

  /** the dependencies of a revision resolved to revision ids */
  resolvedDependsOn(id: string): string[] {
    return this.idsAt(this.links.deps[this.mustIndex(id)]!);
  }

  /** branch labels that apply to a revision: its own and those inherited along its branch */
  branchLabels(id: string): readonly string[] {
    return this.labelsByIndex[this.mustIndex(id)]!;
  }

  /** the revision that declares a branch label, or undefined */
  labelOwner(label: string): string | undefined {
    const i = this.links.labelOwner.get(label);
    return i === undefined ? undefined : this.idAt(i);
  }

  /** no revision revises this one */
  isHead(id: string): boolean {
    return this.links.next[this.mustIndex(id)]!.length === 0;
  }

  /** no revision revises or depends on this one */
  isRealHead(id: string): boolean {
    return this.links.allNext[this.mustIndex(id)]!.length === 0;
  }

  /** has no down revision */
  isBase(id: string): boolean {
    return this.links.down[this.mustIndex(id)]!.length === 0;
  }

  /** more than one revision revises this one */
  isBranchPoint(id: string): boolean {
    return this.links.next[this.mustIndex(id)]!.length > 1;
  }

  /** revises more than one revision */
  isMergePoint(id: string): boolean {
    return this.links.down[this.mustIndex(id)]!.length > 1;
  }
}
