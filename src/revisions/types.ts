/** A revision file after loading: the graph's view plus what it runs. */
import type { RevisionMeta } from "../core/types.ts";
import type { Op } from "../ops/op.ts";

/** The body of one direction of a revision. */
export type MigrationScript =
  /** SQL text of a `-- migrate:upgrade` / `-- migrate:downgrade` section; line = 1-based line of its first body line in the file */
  | { readonly kind: "sql"; readonly sql: string; readonly line: number }
  /** the exported upgrade()/downgrade() function of a TypeScript revision */
  | { readonly kind: "ts"; readonly fn: (op: Op) => Promise<void> | void };

/** A loaded revision file. */
export interface LoadedRevision extends RevisionMeta {
  readonly format: "sql" | "ts";
  /** false: run outside any transaction (Transaction: false / transaction = false) */
  readonly transaction: boolean;
  readonly upgrade: MigrationScript;
  /** null: the file has no downgrade; downgrading through it is refused before anything runs */
  readonly downgrade: MigrationScript | null;
  /** a TypeScript revision's source text, when known: the checksum falls back to it (src/history/checksum.ts) */
  readonly source?: string;
}
