/**
 * PostgreSQL's own parser (libpg-query, compiled to WebAssembly): a SQL text
 * into its raw parse tree with each statement's byte location. The wasm file
 * is embedded in a compiled executable (src/embedded/codegen.ts) and read
 * from node_modules when running from source.
 */
// @ts-expect-error the emscripten factory ships without type declarations
import PgQueryModule from "libpg-query/wasm/libpg-query.js";
import { bundle } from "../embedded/bundle.ts";

/** One raw statement as the parser returns it: a node keyed by its type name, plus its byte span. */
export interface RawStmt {
  readonly stmt: Record<string, unknown>;
  readonly stmt_location?: number;
  readonly stmt_len?: number;
}

/** The parse tree of a text: its PostgreSQL version number and statements. */
export interface ParseTree {
  readonly version: number;
  readonly stmts: RawStmt[];
}

/** A syntax error: PostgreSQL's message and the 0-based byte offset it points at. */
export class PgSyntaxError extends Error {
  constructor(
    message: string,
    readonly byteOffset: number,
  ) {
    super(message);
  }
}

interface WasmModule {
  _malloc(n: number): number;
  _free(p: number): void;
  _wasm_parse_query_raw(p: number): number;
  _wasm_free_parse_result(p: number): void;
  lengthBytesUTF8(s: string): number;
  stringToUTF8(s: string, p: number, n: number): void;
  UTF8ToString(p: number): string;
  getValue(p: number, type: "i32"): number;
}

let loading: Promise<WasmModule> | undefined;

/** Load the parser once per process (~20 ms); parseSql needs it loaded. */
export function loadParser(): Promise<WasmModule> {
  const embedded = bundle?.libpgQueryWasm;
  loading ??= (async () => {
    const options = embedded ? { wasmBinary: await Bun.file(embedded).bytes() } : {};
    return (await (PgQueryModule as (o: object) => Promise<WasmModule>)(options)) as WasmModule;
  })();
  return loading;
}

/** Parse `sql` with PostgreSQL's grammar; throws PgSyntaxError on a syntax error. */
export async function parseSql(sql: string): Promise<ParseTree> {
  const m = await loadParser();
  if (sql.trim() === "") return { version: 0, stmts: [] };
  const size = m.lengthBytesUTF8(sql) + 1;
  const input = m._malloc(size);
  let result = 0;
  try {
    m.stringToUTF8(sql, input, size);
    result = m._wasm_parse_query_raw(input);
    if (!result) throw new Error("libpg-query: out of memory");
    const tree = m.getValue(result, "i32");
    const error = m.getValue(result + 8, "i32");
    if (error) {
      const message = m.UTF8ToString(m.getValue(error, "i32"));
      const cursor = m.getValue(error + 16, "i32");
      throw new PgSyntaxError(message, cursor > 0 ? cursor - 1 : 0);
    }
    const parsed = JSON.parse(m.UTF8ToString(tree)) as { version: number; stmts?: RawStmt[] };
    return { version: parsed.version, stmts: parsed.stmts ?? [] };
  } finally {
    m._free(input);
    if (result) m._wasm_free_parse_result(result);
  }
}
