/**
 * The catalog query introspect.ts runs: one statement (one round trip, one
 * plan, the user relations listed once) whose parts, one per object kind,
 * each come back as a JSON array, so both drivers hand back the same plain
 * values (no int8, oid or array parsing differences). It runs with an empty
 * search_path, so every name PostgreSQL prints is qualified. $1 is the OID
 * of the version table to leave out (0 for none).
 */

const userNamespace = (n: string) => `${n}.nspname NOT IN ('pg_catalog', 'information_schema') AND ${n}.nspname !~ '^pg_(toast|temp_)'`;

const notExtensionMember = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.${catalog}'::pg_catalog.regclass AND e.objid = ${oid} AND e.deptype = 'e')`;

/** A comment looked up directly (obj_description() is a SQL function, run again for every row). */
const comment = (oid: string, catalog: string, sub = "0") =>
  `(SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = ${oid} AND d.classoid = 'pg_catalog.${catalog}'::pg_catalog.regclass AND d.objsubid = ${sub})`;

const json = (select: string, order: string) => `(SELECT coalesce(json_agg(x ORDER BY ${order}), '[]') FROM (${select}) x)`;

/** User relations (tables, views, materialized views, sequences), without the version table ($1), the history table ($2) and its identity sequence, and extension members. */
const rel = `rel AS MATERIALIZED (
  SELECT c.oid, c.relname, c.relkind, n.nspname
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'v', 'm', 'S') AND NOT c.relispartition AND ${userNamespace("n")} AND c.oid <> $1::oid AND c.oid <> $2::oid
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.refobjid = $2::oid AND d.deptype IN ('a', 'i'))
    AND ${notExtensionMember("pg_class", "c.oid")}
)`;

/** The parts of the catalog query by name: each a JSON array of rows (see assemble.ts for their shapes). */
export const catalogParts = {
  server: json("SELECT pg_catalog.current_setting('server_version_num')::int AS version", "x.version"),

  schemas: json(
    `SELECT n.oid::text AS oid, n.nspname AS name, ${comment("n.oid", "pg_namespace")} AS comment
     FROM pg_catalog.pg_namespace n
     WHERE ${userNamespace("n")} AND ${notExtensionMember("pg_namespace", "n.oid")}`,
    "x.name",
  ),

  extensions: json(
    `SELECT e.oid::text AS oid, e.extname AS name, n.nspname AS schema
     FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace`,
    "x.name",
  ),

  /** every object that belongs to an extension, as (catalog, oid) */
  extensionMembers: json(
    `SELECT CASE d.classid WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN 'class' WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN 'type'
              WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'proc' WHEN 'pg_catalog.pg_namespace'::pg_catalog.regclass THEN 'namespace' ELSE 'other' END AS cls,
            d.objid::text AS oid, d.refobjid::text AS ext
     FROM pg_catalog.pg_depend d WHERE d.deptype = 'e' AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass`,
    "x.oid",
  ),

  enums: json(
    `SELECT t.oid::text AS oid, n.nspname AS schema, t.typname AS name,
            (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) AS labels,
            ${comment("t.oid", "pg_type")} AS comment
     FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typtype = 'e' AND ${userNamespace("n")} AND ${notExtensionMember("pg_type", "t.oid")}`,
    "x.schema, x.name",
  ),

  domains: json(
    `SELECT t.oid::text AS oid, n.nspname AS schema, t.typname AS name,
            pg_catalog.format_type(t.typbasetype, t.typtypmod) AS type, t.typnotnull AS "notNull",
            pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS "default",
            CASE WHEN t.typcollation <> bt.typcollation THEN
              (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                           ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                 FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                WHERE co.oid = t.typcollation)
            END AS collation,
            (SELECT coalesce(json_agg(json_build_object('oid', c.oid::text, 'name', c.conname, 'definition', pg_catalog.pg_get_constraintdef(c.oid))), '[]')
               FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') AS constraints,
            ${comment("t.oid", "pg_type")} AS comment
     FROM pg_catalog.pg_type t
     JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
     WHERE t.typtype = 'd' AND ${userNamespace("n")} AND ${notExtensionMember("pg_type", "t.oid")}`,
    "x.schema, x.name",
  ),

  /** what exists but is not compared, described for a warning */
  unsupported: json(
    `SELECT 'partitioned table ' || n.nspname || '.' || c.relname AS what FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'p' AND ${userNamespace("n")} AND ${notExtensionMember("pg_class", "c.oid")}
     UNION ALL
     SELECT 'partition ' || n.nspname || '.' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relispartition AND ${userNamespace("n")}
     UNION ALL
     SELECT 'foreign table ' || n.nspname || '.' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'f' AND ${userNamespace("n")} AND ${notExtensionMember("pg_class", "c.oid")}
     UNION ALL
     SELECT 'inheritance of ' || n.nspname || '.' || c.relname FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE NOT c.relispartition AND ${userNamespace("n")}
     UNION ALL
     SELECT 'composite type ' || n.nspname || '.' || t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE c.relkind = 'c' AND ${userNamespace("n")} AND ${notExtensionMember("pg_type", "t.oid")}
     UNION ALL
     SELECT 'range type ' || n.nspname || '.' || t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype IN ('r', 'm') AND ${userNamespace("n")} AND ${notExtensionMember("pg_type", "t.oid")}
     UNION ALL
     SELECT 'aggregate ' || n.nspname || '.' || p.proname FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE p.prokind = 'a' AND ${userNamespace("n")} AND ${notExtensionMember("pg_proc", "p.oid")}
     UNION ALL
     SELECT 'policy ' || pol.polname || ' on ' || n.nspname || '.' || c.relname FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${userNamespace("n")}
     UNION ALL
     SELECT 'row level security on ' || n.nspname || '.' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relrowsecurity AND ${userNamespace("n")}
     UNION ALL
     SELECT 'unlogged table ' || n.nspname || '.' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND c.relpersistence = 'u' AND ${userNamespace("n")}
     UNION ALL
     SELECT 'storage parameters of ' || n.nspname || '.' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'm') AND c.reloptions IS NOT NULL AND ${userNamespace("n")}
     UNION ALL
     SELECT 'comment on view column ' || n.nspname || '.' || c.relname || '.' || a.attname FROM pg_catalog.pg_description d
      JOIN pg_catalog.pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND d.objsubid > 0 AND ${userNamespace("n")}
     UNION ALL
     SELECT 'rule ' || r.rulename || ' on ' || n.nspname || '.' || c.relname FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE r.rulename <> '_RETURN' AND ${userNamespace("n")}`,
    "x.what",
  ),

  /** array and row types of user objects, to map a dependency on them to their element or relation */
  types: json(
    `SELECT t.oid::text AS oid, t.typelem::text AS elem, t.typrelid::text AS relid
     FROM pg_catalog.pg_type t
     WHERE t.oid >= 16384 AND (t.typelem <> 0 OR t.typrelid <> 0)`,
    "x.oid",
  ),

  sequences: json(
    `     SELECT c.oid::text AS oid, c.nspname AS schema, c.relname AS name, pg_catalog.format_type(s.seqtypid, NULL) AS type,
            s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
            s.seqcache::text AS cache, s.seqcycle AS cycle, ${comment("c.oid", "pg_class")} AS comment,
            (SELECT json_build_object('relid', d.refobjid::text, 'attnum', d.refobjsubid, 'table', tc.relname, 'column', a.attname, 'identity', d.deptype = 'i')
               FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
               JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
              WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
                AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
              LIMIT 1) AS owner
     FROM rel c JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
     WHERE c.relkind = 'S'`,
    "x.schema, x.name",
  ),

  relations: json(
    `     SELECT c.oid::text AS oid, c.nspname AS schema, c.relname AS name, c.relkind AS kind,
            ${comment("c.oid", "pg_class")} AS comment
     FROM rel c WHERE c.relkind IN ('r', 'v', 'm')`,
    "x.schema, x.name",
  ),

  columns: json(
    `     SELECT a.attrelid::text AS relid, a.attnum AS attnum, a.attname AS name,
            pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
            a.attidentity AS identity, a.attgenerated AS generated,
            pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS expr, ad.oid::text AS defoid,
            CASE WHEN a.attcollation <> t.typcollation THEN
              (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                           ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                 FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                WHERE co.oid = a.attcollation)
            END AS collation,
            ${comment("a.attrelid", "pg_class", "a.attnum")} AS comment
     FROM rel c
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
     JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
     WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
    "x.relid, x.attnum",
  ),

  constraints: json(
    `     SELECT co.oid::text AS oid, co.conrelid::text AS relid, co.conname AS name, co.contype AS type,
            pg_catalog.pg_get_constraintdef(co.oid) AS definition, co.conindid::text AS indid,
            rn.nspname AS refschema, rc.relname AS reftable,
            ${comment("co.oid", "pg_constraint")} AS comment
     FROM rel c
     JOIN pg_catalog.pg_constraint co ON co.conrelid = c.oid
     LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid
     LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
     WHERE c.relkind = 'r' AND co.contype IN ('p', 'u', 'f', 'c', 'x')`,
    "x.relid, x.name",
  ),

  indexes: json(
    `     SELECT i.indexrelid::text AS oid, c.nspname AS schema, c.relname AS table, ic.relname AS name,
            pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
            ${comment("i.indexrelid", "pg_class")} AS comment
     FROM rel c
     JOIN pg_catalog.pg_index i ON i.indrelid = c.oid
     JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
     WHERE c.relkind IN ('r', 'm')
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co
                        WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x'))`,
    "x.schema, x.name",
  ),

  views: json(
    `     SELECT c.oid::text AS oid, c.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized,
            pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
            coalesce(pg_catalog.array_to_json(pc.reloptions), '[]') AS options,
            (SELECT r.oid::text FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN') AS ruleoid,
            ${comment("c.oid", "pg_class")} AS comment
     FROM rel c JOIN pg_catalog.pg_class pc ON pc.oid = c.oid
     WHERE c.relkind IN ('v', 'm')`,
    "x.schema, x.name",
  ),

  functions: json(
    `SELECT p.oid::text AS oid, n.nspname AS schema, p.proname AS name, p.prokind AS kind,
            pg_catalog.pg_get_function_identity_arguments(p.oid) AS "identityArguments",
            pg_catalog.oidvectortypes(p.proargtypes) AS signature,
            pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
            CASE WHEN p.prokind = 'p' THEN NULL ELSE pg_catalog.pg_get_function_result(p.oid) END AS result,
            pg_catalog.pg_get_functiondef(p.oid) AS definition,
            ${comment("p.oid", "pg_proc")} AS comment
     FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
     WHERE p.prokind IN ('f', 'p', 'w') AND ${userNamespace("n")} AND ${notExtensionMember("pg_proc", "p.oid")}`,
    "x.schema, x.name, x.signature",
  ),

  triggers: json(
    `     SELECT t.oid::text AS oid, c.nspname AS schema, c.relname AS table, t.tgname AS name,
            pg_catalog.pg_get_triggerdef(t.oid) AS definition,
            ${comment("t.oid", "pg_trigger")} AS comment
     FROM rel c JOIN pg_catalog.pg_trigger t ON t.tgrelid = c.oid
     WHERE NOT t.tgisinternal`,
    "x.schema, x.table, x.name",
  ),

  /** dependencies of user objects, catalogs named by short codes */
  depend: json(
    `SELECT ${catalogCode("d.classid")} AS cls, d.objid::text AS oid, d.objsubid AS sub,
            ${catalogCode("d.refclassid")} AS refcls, d.refobjid::text AS refoid, d.refobjsubid AS refsub
     FROM pg_catalog.pg_depend d
     WHERE d.objid >= 16384 AND d.deptype IN ('n', 'a', 'i')`,
    "x.oid, x.sub, x.refoid, x.refsub",
  ),
} as const;

/** The whole catalog query: one row, one column `model`, a JSON object of the parts. */
export const catalogQuery = `WITH ${rel}
SELECT json_build_object(
${Object.entries(catalogParts)
  .map(([name, part]) => `  '${name}', ${part}`)
  .join(",\n")}
)::text AS model`;

function catalogCode(column: string): string {
  const codes = ["class", "type", "proc", "namespace", "constraint", "attrdef", "trigger", "rewrite", "extension"];
  const whens = codes.map((code) => `WHEN 'pg_catalog.pg_${code}'::pg_catalog.regclass THEN '${code}'`).join(" ");
  return `CASE ${column} ${whens} ELSE 'other' END`;
}
