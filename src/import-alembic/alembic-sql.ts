/**
 * Alembic's offline (--sql) output turned into a retort section body: the
 * statements Alembic emitted (one per static_output call, each ending with
 * its `;` terminator), without Alembic's own version-table statements and
 * BEGIN/COMMIT, each ending with exactly one `;`, separated by blank lines.
 * Pure; the built-in op.execute converter goes through the same function,
 * so both routes write the same text.
 */
import { terminate } from "../runtime/split-sql.ts";

/** A section body, and whether BEGIN/COMMIT had to be dropped (the revision wanted to leave the transaction). */
export interface SectionSql {
  readonly sql: string;
  readonly transactionControl: boolean;
}

const TRANSACTION_CONTROL = /^(?:BEGIN|COMMIT|START\s+TRANSACTION|END)(?:\s+(?:WORK|TRANSACTION))?\s*;?$/i;

/** Alembic's emitted statements (terminator included or not) as one section body. */
export function sectionFromStatements(statements: readonly string[], versionTable = "alembic_version"): SectionSql {
  const versionStatement = versionTablePattern(versionTable);
  const kept: string[] = [];
  let transactionControl = false;
  for (const raw of statements) {
    const text = raw.replace(/\t/g, "    ").trim();
    if (text === "" || text === ";") continue;
    if (TRANSACTION_CONTROL.test(text)) {
      transactionControl = true;
      continue;
    }
    if (versionStatement.test(text)) continue;
    // Alembic appends one ';' to what op.execute was given (SQL that ended in ';' comes out with two,
    // one that ended in a comment has it inside the comment): drop it, then terminate properly.
    const body = text.replace(/;$/, "").trimEnd();
    if (body !== "") kept.push(terminate(body));
  }
  return { sql: kept.join("\n\n"), transactionControl };
}

/** The statements Alembic writes for its version table: CREATE TABLE, INSERT, UPDATE, DELETE on it (optionally schema-qualified, quoted or not). */
function versionTablePattern(table: string): RegExp {
  const name = table.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^(?:CREATE\\s+TABLE|INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(?:"?[\\w$]+"?\\.)?"?${name}"?(?:\\s|\\(|;|$)`, "i");
}
