/**
 * The lint rules: squawk's catalogue under squawk's names, decided with the
 * schema at the revision's parent (a table created in the same revision is
 * exempt from lock rules, column types are known, indexes are known), plus
 * rules only a schema-aware, measuring linter can have. Pure: the statements
 * come parsed, the catalog and the measurement come as data.
 */
import type { Catalog } from "./catalog.ts";
import type { StatementMeasurement } from "./measure.ts";
import {
  columnConstraints,
  dropTargets,
  findAll,
  formatType,
  qualifiedName,
  relationName,
  strings,
  tableElements,
  typeOf,
  unwrap,
  type Fields,
  type Node,
} from "./tree.ts";

/** error: exit 1, `upgrade --lint=error` refuses; warning: reported only. */
export type Severity = "error" | "warning";

/** Every rule with its default severity and the safer way to write what it flags. */
export const RULES = {
  "adding-field-with-default": { severity: "error", help: "add the column without a default, set the default in a second statement, and backfill existing rows in batches" },
  "adding-foreign-key-constraint": { severity: "error", help: "add the foreign key NOT VALID, then VALIDATE CONSTRAINT in a later transaction (it takes a weaker lock)" },
  "adding-not-nullable-field": { severity: "error", help: "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later transaction, then SET NOT NULL (PostgreSQL 12+ skips the scan)" },
  "adding-required-field": { severity: "error", help: "add the column nullable or with a default, backfill, then make it NOT NULL" },
  "adding-serial-primary-key-field": { severity: "error", help: "create a unique index CONCURRENTLY first, then ADD PRIMARY KEY USING INDEX" },
  "ban-concurrent-index-creation-in-transaction": { severity: "error", help: "put `-- Transaction: false` in the revision header (TypeScript: `export const transaction = false`)" },
  "ban-drop-column": { severity: "error", help: "stop reading the column in the application first, deploy, then drop it" },
  "ban-drop-database": { severity: "error", help: "drop databases by hand, not in a migration" },
  "ban-drop-table": { severity: "error", help: "make sure nothing reads the table any more, deploy, then drop it" },
  "ban-truncate-cascade": { severity: "error", help: "truncate the tables by name instead of CASCADE, so nothing else is emptied by surprise" },
  "changing-column-type": { severity: "error", help: "add a new column, backfill it in batches, switch readers over, then drop the old column" },
  "constraint-missing-not-valid": { severity: "error", help: "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later transaction" },
  "disallowed-unique-constraint": { severity: "error", help: "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … UNIQUE USING INDEX" },
  "renaming-column": { severity: "warning", help: "add a new column and migrate readers, or make sure every client is deployed with the new name first" },
  "renaming-table": { severity: "warning", help: "create a view with the old name while clients move over, or deploy clients first" },
  "require-concurrent-index-creation": { severity: "error", help: "CREATE INDEX CONCURRENTLY, in a revision with `-- Transaction: false`" },
  "require-concurrent-index-deletion": { severity: "warning", help: "DROP INDEX CONCURRENTLY, in a revision with `-- Transaction: false`" },
  "require-enum-value-ordering": { severity: "warning", help: "say where the value goes with BEFORE or AFTER, so ordering comparisons stay meaningful" },
  "transaction-nesting": { severity: "error", help: "remove BEGIN/COMMIT: retort runs the revision in a transaction (or none with `-- Transaction: false`)" },
  "prefer-timestamp-tz": { severity: "warning", help: "use timestamptz (timestamp with time zone)" },
  "prefer-bigint-over-int": { severity: "warning", help: "use bigint: a 32-bit key runs out at 2^31" },
  "prefer-text-field": { severity: "warning", help: "use text with a CHECK (length(col) <= n) constraint, which can be changed without a rewrite" },
  "ban-char-field": { severity: "warning", help: "use text (or varchar); char(n) pads with blanks" },
  "identifier-too-long": { severity: "warning", help: "keep identifiers to 63 bytes: PostgreSQL truncates longer ones silently" },
  "require-lock-timeout": { severity: "warning", help: "SET lock_timeout = '2s' before it (and retry), so a waiting ACCESS EXCLUSIVE lock does not queue every query behind it" },
  "unindexed-foreign-key": { severity: "warning", help: "create an index whose leading columns are the foreign key's columns (deletes and updates on the referenced table scan the referencing one otherwise)" },
  "enum-value-used-in-same-transaction": { severity: "error", help: "use the new value in a later revision, or mark this one `-- Transaction: false`" },
  "irreversible-revision": { severity: "warning", help: "add a `-- migrate:downgrade` section (TypeScript: a downgrade function)" },
  "table-rewrite": { severity: "error", help: "avoid the rewrite (a new column plus a backfill), or run it in a maintenance window" },
  "drop-of-depended-object": { severity: "error", help: "drop or change the dependent objects explicitly first" },
  "syntax-error": { severity: "error", help: "fix the statement" },
  "revision-fails": { severity: "error", help: "fix the revision: it does not run on the database its parent leaves" },
  "unlintable-revision": { severity: "warning", help: "lint cannot see what a TypeScript revision does when it reads the database (op.query); review it by hand" },
  "unused-ignore": { severity: "warning", help: "remove the ignore comment, or name the rule it was meant for" },
} as const satisfies Record<string, { severity: Severity; help: string }>;

/** A rule name. */
export type RuleName = keyof typeof RULES;

/** One statement of the revision being linted, with what the measurement saw. */
export interface RuleStatement {
  readonly sql: string;
  readonly line: number;
  readonly node: Node | null;
  readonly syntaxError?: string;
  readonly measured?: StatementMeasurement;
}

/** Everything the rules need about a revision. */
export interface RevisionInput {
  readonly transactional: boolean;
  readonly hasDowngrade: boolean;
  readonly statements: readonly RuleStatement[];
  /** the schema at the revision's parent */
  readonly catalog: Catalog;
  /** tables that stayed empty during the measurement */
  readonly emptyTables?: readonly string[];
}

/** A finding before severities and ignores are applied: statement index -1 is the revision as a whole. */
export interface RawFinding {
  readonly rule: RuleName;
  readonly statement: number;
  readonly line: number;
  readonly message: string;
}

/** Per-revision state the rules accumulate while walking the statements in order. */
interface State {
  readonly created: Set<string>;
  readonly createdIndexes: Set<string>;
  readonly addedValues: Map<string, Set<string>>;
  lockTimeout: boolean;
  /** index leading-column lists created anywhere in this revision, per table */
  readonly newIndexes: Map<string, string[][]>;
}

const LONG_NAME_BYTES = 63;

/** Lint one revision: every rule over every statement, in order. */
export function lintRevision(input: RevisionInput): RawFinding[] {
  const findings: RawFinding[] = [];
  const state: State = { created: new Set(), createdIndexes: new Set(), addedValues: new Map(), lockTimeout: false, newIndexes: collectNewIndexes(input.statements) };
  if (!input.hasDowngrade) {
    findings.push({ rule: "irreversible-revision", statement: -1, line: 1, message: "this revision has no downgrade: `retort downgrade` cannot go back through it" });
  }
  input.statements.forEach((statement, index) => {
    // every finding says what the measurement saw, when there was one
    const add = (rule: RuleName, message: string) =>
      findings.push({ rule, statement: index, line: statement.line, message: statement.measured && !/\((?:not )?measured/.test(message) ? `${message} (${measuredWords(statement.measured)})` : message });
    if (statement.node === null) {
      add("syntax-error", statement.syntaxError ?? "syntax error");
      return;
    }
    checkStatement(statement, input, state, add);
  });
  return findings;
}

function collectNewIndexes(statements: readonly RuleStatement[]): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  const push = (table: string, cols: string[]) => out.set(table, [...(out.get(table) ?? []), cols]);
  for (const s of statements) {
    if (!s.node) continue;
    const { kind, fields } = unwrap(s.node);
    if (kind === "IndexStmt") push(relationName(fields.relation), (fields.indexParams ?? []).map((p: Fields) => p.IndexElem?.name ?? ""));
    const constraints: { table: string; c: Fields }[] = [];
    if (kind === "CreateStmt") {
      const table = relationName(fields.relation);
      const { columns, constraints: cs } = tableElements(fields);
      for (const c of cs) constraints.push({ table, c });
      for (const col of columns) for (const c of columnConstraints(col)) if (c.contype === "CONSTR_PRIMARY" || c.contype === "CONSTR_UNIQUE") push(table, [col.colname]);
    }
    if (kind === "AlterTableStmt") for (const cmd of fields.cmds ?? []) if (cmd.AlterTableCmd?.def?.Constraint) constraints.push({ table: relationName(fields.relation), c: cmd.AlterTableCmd.def.Constraint });
    for (const { table, c } of constraints) if (c.contype === "CONSTR_PRIMARY" || c.contype === "CONSTR_UNIQUE") push(table, strings(c.keys));
  }
  return out;
}

/** What the measurement saw for a statement, as words for a finding. */
export function measuredWords(m: StatementMeasurement | undefined): string {
  if (!m) return "not measured";
  if (m.notMeasured) return `not measured: ${m.notMeasured}`;
  if (m.error) return `measured: it failed in the scratch database, whose tables each held a row: ${m.error}`;
  const locks = m.locks.length === 0 ? "no new lock on existing relations" : m.locks.map((l) => `${l.mode} on ${l.relation}`).join(", ");
  const rewrites = m.rewrites.length === 0 ? "no rewrite" : `rewrote ${m.rewrites.join(", ")}`;
  return `measured: ${locks}; ${rewrites}`;
}

function takesAccessExclusive(m: StatementMeasurement | undefined, catalog: Catalog): string | undefined {
  return m?.locks.find((l) => l.mode === "AccessExclusiveLock" && catalog.tables.has(l.relation))?.relation;
}

function checkStatement(statement: RuleStatement, input: RevisionInput, state: State, add: (rule: RuleName, message: string) => void): void {
  const { kind, fields } = unwrap(statement.node!);
  const { catalog } = input;
  const m = statement.measured;
  const existing = (table: string) => catalog.tables.has(table) && !state.created.has(table);
  const measured = measuredWords(m);

  // identifiers and column types anywhere in a definition
  // the parser has already cut long names to 63 bytes, so they are looked for in the text
  for (const id of longIdentifiers(statement.sql)) {
    add("identifier-too-long", `identifier "${id.slice(0, 40)}…" is ${Buffer.byteLength(id, "utf8")} bytes; PostgreSQL keeps the first ${LONG_NAME_BYTES}`);
  }
  for (const { column, typeName } of columnTypesOf(kind, fields)) checkColumnType(column, typeName, add);

  // a statement that takes ACCESS EXCLUSIVE on a table that exists, with no lock_timeout set before it
  if (kind === "VariableSetStmt" && fields.name === "lock_timeout") state.lockTimeout = true;
  const usable = m !== undefined && !m.error && !m.notMeasured;
  const exclusive = usable ? takesAccessExclusive(m, catalog) : documentedExclusive(kind, fields, catalog, state);
  if (exclusive && !state.lockTimeout && !state.created.has(exclusive)) {
    const how = usable ? measured : `${measured}; PostgreSQL documents ACCESS EXCLUSIVE for this statement`;
    add("require-lock-timeout", `takes ACCESS EXCLUSIVE on ${exclusive} with no lock_timeout set (${how})`);
  }

  // measured rewrites of existing tables, whatever the statement
  const rewritten = (m?.rewrites ?? []).filter((r) => catalog.tables.has(r) && !state.created.has(r));
  if (rewritten.length > 0 && kind !== "TruncateStmt" && kind !== "ClusterStmt" && kind !== "VacuumStmt") {
    add("table-rewrite", `rewrites ${rewritten.join(", ")} under ${m!.locks.find((l) => rewritten.includes(l.relation))?.mode ?? "an earlier lock of this revision"} (${measured})`);
  }

  switch (kind) {
    case "TransactionStmt": {
      if (["TRANS_STMT_BEGIN", "TRANS_STMT_START", "TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK"].includes(fields.kind)) {
        add("transaction-nesting", input.transactional ? "transaction control inside a revision that retort already runs in a transaction" : "transaction control in a revision: retort decides the transactions (`-- Transaction:` header)");
      }
      break;
    }
    case "DropdbStmt":
      add("ban-drop-database", `drops database ${fields.dbname}`);
      break;
    case "CreateStmt":
      for (const { c, columns } of foreignKeysOfCreate(fields)) checkForeignKey(relationName(fields.relation), columns, c, state, add);
      state.created.add(relationName(fields.relation));
      break;
    case "CreateTableAsStmt":
      state.created.add(relationName(fields.into?.rel));
      break;
    case "IndexStmt": {
      const table = relationName(fields.relation);
      if (fields.idxname) state.createdIndexes.add(`${fields.relation?.schemaname ?? "public"}.${fields.idxname}`);
      if (fields.concurrent && input.transactional) add("ban-concurrent-index-creation-in-transaction", "CREATE INDEX CONCURRENTLY cannot run inside the transaction retort runs this revision in");
      if (!fields.concurrent && existing(table)) add("require-concurrent-index-creation", `builds an index on existing table ${table} without CONCURRENTLY: writes to it block until the build ends (${measured})`);
      break;
    }
    case "DropStmt":
      checkDrop(fields, input, state, add, measured);
      break;
    case "RenameStmt": {
      const table = relationName(fields.relation);
      if (!existing(table)) break;
      if (fields.renameType === "OBJECT_COLUMN") add("renaming-column", `renames column ${table}.${fields.subname} to ${fields.newname}: clients still using the old name break`);
      if (fields.renameType === "OBJECT_TABLE") add("renaming-table", `renames table ${table} to ${fields.newname}: clients still using the old name break`);
      break;
    }
    case "TruncateStmt":
      if (fields.behavior === "DROP_CASCADE") add("ban-truncate-cascade", `TRUNCATE … CASCADE also empties every table that references ${(fields.relations ?? []).map((r: Fields) => relationName(r.RangeVar)).join(", ")}`);
      break;
    case "AlterEnumStmt": {
      const name = qualifiedName(fields.typeName ?? []);
      if (fields.newVal !== undefined) {
        state.addedValues.set(name, new Set([...(state.addedValues.get(name) ?? []), fields.newVal]));
        if (fields.newValNeighbor === undefined && catalog.enums.has(name)) add("require-enum-value-ordering", `adds '${fields.newVal}' to ${name} without BEFORE/AFTER: it sorts after ${catalog.enums.get(name)!.map((l) => `'${l}'`).join(", ")}`);
      }
      break;
    }
    case "AlterTableStmt":
      if (fields.objtype === "OBJECT_TABLE" || fields.objtype === undefined) checkAlterTable(fields, input, state, add, m);
      break;
  }

  // a value added to an enum in this transaction cannot be used before COMMIT: the measurement says so (55P04)
  // when the statement ran; without one, a string constant equal to the new label is taken as a use
  const ranCleanly = m !== undefined && !m.notMeasured && !m.error;
  if (input.transactional && kind !== "AlterEnumStmt" && state.addedValues.size > 0 && !ranCleanly) {
    const constants = findAll(statement.node, "sval").map(String);
    const constStrings = findAll(statement.node, "A_Const").map((c) => c.sval?.sval).filter((v): v is string => typeof v === "string");
    for (const [type, values] of state.addedValues) {
      const used = [...values].filter((v) => constStrings.includes(v) || constants.includes(v));
      if (used.length > 0) add("enum-value-used-in-same-transaction", `uses ${used.map((v) => `'${v}'`).join(", ")}, added to ${type} earlier in this transaction: PostgreSQL refuses (unsafe use of new value)${m?.error ? `; ${measured}` : ""}`);
    }
  }
}

/** ALTER TABLE subcommands that take a lock weaker than ACCESS EXCLUSIVE (PostgreSQL's ALTER TABLE documentation). */
const WEAKER_ALTERS = new Set(["AT_ValidateConstraint", "AT_SetStatistics", "AT_ClusterOn", "AT_DropCluster", "AT_SetRelOptions", "AT_ResetRelOptions", "AT_AttachPartition", "AT_EnableTrig", "AT_DisableTrig"]);

/** When a statement could not be measured: the existing table it takes ACCESS EXCLUSIVE on, as PostgreSQL documents it. */
function documentedExclusive(kind: string, f: Fields, catalog: Catalog, state: State): string | undefined {
  const existing = (t: string) => (catalog.tables.has(t) && !state.created.has(t) ? t : undefined);
  if (kind === "AlterTableStmt") {
    const cmds: Fields[] = (f.cmds ?? []).map((c: Fields) => c.AlterTableCmd ?? {});
    const weaker = (c: Fields) => WEAKER_ALTERS.has(c.subtype) || (c.subtype === "AT_AddConstraint" && c.def?.Constraint?.contype === "CONSTR_FOREIGN");
    return cmds.every(weaker) ? undefined : existing(relationName(f.relation));
  }
  if (kind === "RenameStmt" && f.relation) return existing(relationName(f.relation));
  if (kind === "TruncateStmt") return (f.relations ?? []).map((r: Fields) => existing(relationName(r.RangeVar))).find(Boolean);
  if (kind === "DropStmt" && f.removeType === "OBJECT_TABLE") return dropTargets(f).map(existing).find(Boolean);
  if (kind === "DropStmt" && f.removeType === "OBJECT_INDEX" && !f.concurrent) return dropTargets(f).map((i) => catalog.indexes.get(i)).map((t) => (t ? existing(t) : undefined)).find(Boolean);
  return undefined;
}

/** Identifiers (bare or quoted) longer than PostgreSQL keeps, outside string literals and comments. */
export function longIdentifiers(sql: string): string[] {
  const code = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, "").replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, "''");
  const out: string[] = [];
  for (const m of code.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)/g)) {
    const id = m[1] ?? m[2]!;
    if (Buffer.byteLength(id, "utf8") > LONG_NAME_BYTES && !out.includes(id)) out.push(id);
  }
  return out;
}

function columnTypesOf(kind: string, f: Fields): { column: string; typeName: Fields }[] {
  const out: { column: string; typeName: Fields }[] = [];
  if (kind === "CreateStmt") for (const col of tableElements(f).columns) if (col.typeName) out.push({ column: col.colname, typeName: col.typeName });
  if (kind === "AlterTableStmt") {
    for (const cmd of f.cmds ?? []) {
      const c = cmd.AlterTableCmd;
      if ((c?.subtype === "AT_AddColumn" || c?.subtype === "AT_AlterColumnType") && c.def?.ColumnDef?.typeName) out.push({ column: c.def.ColumnDef.colname ?? c.name, typeName: c.def.ColumnDef.typeName });
    }
  }
  return out;
}

function checkColumnType(column: string, typeName: Fields, add: (rule: RuleName, message: string) => void): void {
  const { name, mods } = typeOf(typeName);
  if (name === "timestamp") add("prefer-timestamp-tz", `column ${column} is timestamp without time zone`);
  if (["int4", "int", "integer", "serial", "serial4", "int2", "smallint", "smallserial", "serial2"].includes(name)) add("prefer-bigint-over-int", `column ${column} is ${formatType(typeName)}`);
  if (name === "varchar" && mods.length > 0) add("prefer-text-field", `column ${column} is varchar(${mods.join(",")}): changing the limit later can mean a rewrite and an ACCESS EXCLUSIVE lock`);
  if (name === "bpchar" || name === "char" || name === "character") add("ban-char-field", `column ${column} is char${mods.length > 0 ? `(${mods.join(",")})` : ""}`);
}

function foreignKeysOfCreate(f: Fields): { c: Fields; columns: string[] }[] {
  const out: { c: Fields; columns: string[] }[] = [];
  const { columns, constraints } = tableElements(f);
  for (const col of columns) for (const c of columnConstraints(col)) if (c.contype === "CONSTR_FOREIGN") out.push({ c, columns: [col.colname] });
  for (const c of constraints) if (c.contype === "CONSTR_FOREIGN") out.push({ c, columns: strings(c.fk_attrs) });
  return out;
}

/** unindexed-foreign-key: no index (existing, or created in this revision) leads with the referencing columns. */
function checkForeignKey(table: string, columns: string[], c: Fields, state: State, add: (rule: RuleName, message: string) => void, catalog?: Catalog): void {
  const leads = (index: readonly (string | null)[]) => columns.every((col, i) => index[i] === col);
  const existingIndexes = catalog?.tables.get(table)?.indexes ?? [];
  const fresh = state.newIndexes.get(table) ?? [];
  if (![...existingIndexes, ...fresh].some(leads)) {
    add("unindexed-foreign-key", `foreign key ${table} (${columns.join(", ")}) → ${relationName(c.pktable)}: no index leads with (${columns.join(", ")}), so each delete or key update on ${relationName(c.pktable)} scans ${table}`);
  }
}

function checkDrop(f: Fields, input: RevisionInput, state: State, add: (rule: RuleName, message: string) => void, measured: string): void {
  const { catalog } = input;
  const targets = dropTargets(f);
  const cascade = f.behavior === "DROP_CASCADE";
  for (const target of targets) {
    if (f.removeType === "OBJECT_TABLE") {
      if (!catalog.tables.has(target) || state.created.has(target)) continue;
      add("ban-drop-table", `drops table ${target} and its data`);
      const table = catalog.tables.get(target)!;
      const deps = [...new Set([...table.dependents, ...[...table.columnDependents.values()].flat().filter((d) => d.startsWith("view "))])];
      if (deps.length > 0) add("drop-of-depended-object", `${target} is depended on by ${deps.join(", ")}: ${cascade ? "CASCADE drops them too" : "the drop fails without CASCADE"}`);
    }
    if (f.removeType === "OBJECT_INDEX") {
      const table = catalog.indexes.get(target);
      if (!table || state.createdIndexes.has(target)) continue;
      if (!f.concurrent) add("require-concurrent-index-deletion", `drops index ${target} of ${table} without CONCURRENTLY: takes ACCESS EXCLUSIVE on ${table} (${measured})`);
      else if (input.transactional) add("ban-concurrent-index-creation-in-transaction", "DROP INDEX CONCURRENTLY cannot run inside the transaction retort runs this revision in");
    }
    if (f.removeType === "OBJECT_VIEW" || f.removeType === "OBJECT_TYPE") {
      // dependants of views and types are not in the catalog; the measurement shows whether the drop fails
    }
  }
}

function checkAlterTable(f: Fields, input: RevisionInput, state: State, add: (rule: RuleName, message: string) => void, m: StatementMeasurement | undefined): void {
  const table = relationName(f.relation);
  const info = input.catalog.tables.get(table);
  const existing = info !== undefined && !state.created.has(table);
  const measured = measuredWords(m);
  // the measured answer to "was the table rewritten?", when the statement ran
  const measuredRewrite = m && !m.error && !m.notMeasured ? m.rewrites.includes(table) : undefined;
  for (const wrapper of f.cmds ?? []) {
    const cmd = wrapper.AlterTableCmd as Fields | undefined;
    if (!cmd) continue;
    const def = cmd.def ?? {};
    switch (cmd.subtype) {
      case "AT_AddColumn": {
        const col = def.ColumnDef as Fields;
        const cons = columnConstraints(col);
        const hasDefault = cons.some((c) => c.contype === "CONSTR_DEFAULT") || col.raw_default !== undefined;
        const notNull = cons.some((c) => c.contype === "CONSTR_NOTNULL" || c.contype === "CONSTR_PRIMARY");
        const serial = ["serial", "bigserial", "smallserial", "serial4", "serial8", "serial2"].includes(typeOf(col.typeName).name);
        const identity = cons.some((c) => c.contype === "CONSTR_IDENTITY");
        for (const c of cons) if (c.contype === "CONSTR_FOREIGN") checkForeignKey(table, [col.colname], c, state, add, input.catalog);
        if (!existing) break;
        if (notNull && !hasDefault && !serial && !identity) add("adding-required-field", `adds NOT NULL column ${col.colname} without a default to existing table ${table}: it fails as soon as the table has a row (${measured})`);
        if (hasDefault && (measuredRewrite ?? !isConstantDefault(cons))) add("adding-field-with-default", `adds column ${col.colname} to existing table ${table} with a volatile default: every row is rewritten under ACCESS EXCLUSIVE (${measured})`);
        if ((serial || identity) && cons.some((c) => c.contype === "CONSTR_PRIMARY")) add("adding-serial-primary-key-field", `adds a ${serial ? "serial" : "identity"} primary key to existing table ${table}: fills every row and builds the index under ACCESS EXCLUSIVE (${measured})`);
        for (const c of cons) {
          if (c.contype === "CONSTR_FOREIGN") add("adding-foreign-key-constraint", `adds a foreign key column ${col.colname} to existing table ${table}: validation locks ${table} and ${relationName(c.pktable)} (${measured})`);
          if (c.contype === "CONSTR_UNIQUE") add("disallowed-unique-constraint", `adds a UNIQUE column ${col.colname} to existing table ${table}: the index is built under ACCESS EXCLUSIVE (${measured})`);
        }
        break;
      }
      case "AT_DropColumn":
        if (!existing) break;
        add("ban-drop-column", `drops column ${table}.${cmd.name} and its data: clients still reading it break (${measured})`);
        if (info && (info.columnDependents.get(cmd.name) ?? []).length > 0) {
          const deps = info.columnDependents.get(cmd.name)!;
          add("drop-of-depended-object", `${table}.${cmd.name} is depended on by ${deps.join(", ")}: ${cmd.behavior === "DROP_CASCADE" ? "CASCADE drops them too" : "the drop fails without CASCADE"}`);
        }
        break;
      case "AT_AlterColumnType": {
        if (!existing) break;
        const before = info!.columns.get(cmd.name)?.type;
        const after = formatType(def.ColumnDef?.typeName);
        const rewrites = measuredRewrite ?? !binaryCoercible(before, after);
        if (rewrites) add("changing-column-type", `changes ${table}.${cmd.name} from ${before ?? "?"} to ${after}: the table and its indexes are rewritten under ACCESS EXCLUSIVE (${measured})`);
        break;
      }
      case "AT_SetNotNull":
        if (existing) add("adding-not-nullable-field", `SET NOT NULL on ${table}.${cmd.name} scans the whole table under ACCESS EXCLUSIVE (${measured})`);
        break;
      case "AT_AddConstraint": {
        const c = def.Constraint as Fields;
        if (c.contype === "CONSTR_FOREIGN") checkForeignKey(table, strings(c.fk_attrs), c, state, add, input.catalog);
        if (!existing) break;
        if (c.contype === "CONSTR_FOREIGN" && !c.skip_validation) {
          add("adding-foreign-key-constraint", `adds foreign key ${c.conname ?? ""} on existing table ${table} and validates it at once: locks ${table} and ${relationName(c.pktable)} while every row is checked (${measured})`);
        }
        if ((c.contype === "CONSTR_CHECK" || c.contype === "CONSTR_FOREIGN") && !c.skip_validation) {
          add("constraint-missing-not-valid", `adds ${c.contype === "CONSTR_CHECK" ? "check" : "foreign key"} constraint ${c.conname ?? ""} to existing table ${table} without NOT VALID: every row is checked while the lock is held (${measured})`);
        }
        if (c.contype === "CONSTR_UNIQUE" && !c.indexname) add("disallowed-unique-constraint", `adds UNIQUE ${c.conname ?? ""} to existing table ${table}: the index is built while writes are blocked (${measured})`);
        if (c.contype === "CONSTR_PRIMARY" && !c.indexname) add("adding-serial-primary-key-field", `adds a primary key to existing table ${table}: the index is built while writes are blocked (${measured})`);
        break;
      }
      case "AT_ValidateConstraint":
        break;
    }
  }
}

/** A DEFAULT PostgreSQL 11+ stores without rewriting: constants, casts of constants, now()-like stable calls. */
function isConstantDefault(cons: readonly Fields[]): boolean {
  const def = cons.find((c) => c.contype === "CONSTR_DEFAULT")?.raw_expr;
  if (def === undefined) return true;
  const calls = findAll(def, "FuncCall").map((fc) => strings(fc.funcname).filter((n) => n !== "pg_catalog").join("."));
  const volatile = calls.filter((name) => !["now", "current_timestamp", "statement_timestamp", "transaction_timestamp", "current_date", "current_user", "lower", "upper"].includes(name));
  return volatile.length === 0 && findAll(def, "SubLink").length === 0;
}

/** Type changes PostgreSQL makes without a rewrite (binary-coercible, or a wider limit). */
export function binaryCoercible(before: string | undefined, after: string): boolean {
  if (before === undefined) return false;
  if (before === after) return true;
  const limit = (t: string, base: string) => {
    const m = new RegExp(`^${base}(?:\\((\\d+)(?:,(\\d+))?\\))?$`).exec(t);
    return m ? { n: m[1] === undefined ? Infinity : Number(m[1]), s: m[2] === undefined ? undefined : Number(m[2]) } : undefined;
  };
  for (const base of ["character varying", "bit varying"]) {
    const a = limit(before, base);
    const b = limit(after, base);
    if (a && b) return b.n >= a.n;
  }
  if (limit(before, "character varying") && after === "text") return true;
  if (before === "cidr" && after === "inet") return true;
  const na = limit(before, "numeric");
  const nb = limit(after, "numeric");
  if (na && nb) return nb.n === Infinity || (na.n !== Infinity && nb.s === na.s && nb.n >= na.n);
  return false;
}
