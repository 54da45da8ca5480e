/**
 * The declarative schema: where it is (--schema, `schema` in retort.toml,
 * else schema.sql beside retort.toml), reading it (one file, or a directory
 * of .sql files in name order) and loading it into a database statement by
 * statement, so an error names the file, the line and PostgreSQL's message.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { FileConfig } from "../config/config.ts";
import type { Engine } from "../drivers/engine.ts";
import { formatPgError } from "../drivers/errors.ts";
import { ConfigError, ConnectionError, RetortError, StatementError } from "../errors.ts";
import { compareFileNames } from "../revisions/source.ts";
import { lineAndColumn } from "../runtime/split-sql.ts";
import { schemaStatements, type SchemaStatement } from "./schema-statements.ts";

/** One file of the declarative schema. */
export interface SchemaFile {
  readonly path: string;
  readonly text: string;
}

/** The schema path: --schema (relative to cwd), else `schema` from retort.toml, else schema.sql beside retort.toml (or in cwd). */
export function resolveSchemaPath(flag: string | undefined, config: Pick<FileConfig, "path" | "schema">, cwd: string = process.cwd()): string {
  if (flag !== undefined) return resolve(cwd, flag);
  if (config.schema !== undefined) return config.schema;
  return join(config.path !== null ? dirname(config.path) : cwd, "schema.sql");
}

/** Read the schema file, or every `.sql` file of the schema directory in name order. */
export function readSchemaFiles(path: string): SchemaFile[] {
  if (!existsSync(path)) {
    throw new ConfigError(`schema ${path} does not exist; write your declarative schema there, or point --schema (or schema in retort.toml) at it`);
  }
  let files: SchemaFile[];
  if (!statSync(path).isDirectory()) files = [{ path, text: readFileSync(path, "utf8") }];
  else {
    const names = readdirSync(path)
      .filter((name) => name.endsWith(".sql") && !name.startsWith("."))
      .sort(compareFileNames);
    if (names.length === 0) throw new ConfigError(`schema directory ${path} holds no .sql files`);
    files = names.map((name) => ({ path: join(path, name), text: readFileSync(join(path, name), "utf8") }));
  }
  // a statement that is not schema fails now, before any scratch database starts
  for (const file of files) statementsToRun(file);
  return files;
}

/** The statements of a schema file to execute (pg_dump's additions left out); a refused one is a ConfigError naming file:line. */
function statementsToRun(file: SchemaFile): SchemaStatement[] {
  const statements = schemaStatements(file.text);
  const refused = statements.find((s) => s.action === "refuse");
  if (refused !== undefined) {
    throw new ConfigError(
      `${file.path}:${refused.line}: ${refused.reason}; a schema file holds the objects of one database (tables, types, views, functions…): remove "${excerpt(refused.text)}"`,
    );
  }
  return statements.filter((s) => s.action === "run");
}

/**
 * Run the schema files on `engine`; a failing or refused statement is a
 * ConfigError (exit 2) naming file:line. Whatever a file sets for the
 * session (pg_dump empties search_path) is reset before the next file.
 */
export async function loadSchemaFiles(engine: Engine, files: readonly SchemaFile[]): Promise<void> {
  for (const file of files) {
    for (const statement of statementsToRun(file)) {
      try {
        await engine.execute(statement.text);
      } catch (error) {
        if (!(error instanceof StatementError) || error.pg === undefined) {
          if (error instanceof RetortError && !(error instanceof ConnectionError)) throw error;
          throw new ConfigError(`${file.path}:${statement.line}: ${error instanceof Error ? error.message : String(error)}`);
        }
        const offset = statement.start + (error.pg.position !== undefined ? error.pg.position - 1 : 0);
        const { line } = lineAndColumn(file.text, offset);
        throw new ConfigError(`${file.path}:${line}: ${formatPgError(error.pg).replace(/^ERROR( [0-9A-Z]{5})?: /, "")}`);
      }
    }
    await engine.execute("RESET ALL");
  }
}

/** The first line of a statement, shortened, to name it in a message. */
function excerpt(text: string): string {
  const first = text.split("\n")[0]!.trim();
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}
