/**
 * alembic.ini and env.py, read for what an import needs: where the revisions
 * are (`script_location`, `version_locations`), `sqlalchemy.url`,
 * `prepend_sys_path`, and the version table env.py passes to
 * `context.configure(...)`. The ini is read the way Python's configparser
 * reads it (continuation lines, `%(here)s` and `%%` interpolation). Pure.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { readValue } from "./python-module.ts";
import { tokenizePython } from "./python-tokens.ts";

/** The `[alembic]` settings an import uses; paths absolute. */
export interface AlembicIni {
  readonly scriptLocation: string | null;
  readonly versionLocations: readonly string[];
  readonly url: string | null;
  readonly prependSysPath: readonly string[];
}

/** An ini file's sections as configparser reads them (keys lowercased, values raw). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const rawLine of text.replace(/\r\n?/g, "\n").split("\n")) {
    const trimmed = rawLine.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) {
      lastKey = trimmed === "" ? undefined : lastKey;
      continue;
    }
    const section = /^\[([^\]]+)\]/.exec(trimmed);
    if (section && !/^\s/.test(rawLine)) {
      const name = (section[1] as string).trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = undefined;
      continue;
    }
    if (/^\s/.test(rawLine) && current && lastKey !== undefined) {
      current.set(lastKey, `${current.get(lastKey) ?? ""}\n${trimmed}`.replace(/^\n/, ""));
      continue;
    }
    const sep = /[=:]/.exec(rawLine);
    if (!current || !sep) continue;
    lastKey = rawLine.slice(0, sep.index).trim().toLowerCase();
    current.set(lastKey, rawLine.slice(sep.index + 1).trim());
  }
  return sections;
}

/** configparser's BasicInterpolation: `%(name)s` from the section (or DEFAULT, or `here`), `%%` a percent sign. */
export function interpolate(value: string, lookup: (name: string) => string | undefined, depth = 0): string {
  return value.replace(/%(%|\(([^)]+)\)s)/g, (whole, _m: string, name: string | undefined) => {
    if (name === undefined) return "%";
    const found = lookup(name.toLowerCase());
    if (found === undefined || depth > 10) return whole;
    return interpolate(found, lookup, depth + 1);
  });
}

/** The `[alembic]` section of an alembic.ini at `iniPath`, interpolated, with paths resolved like Alembic's Config. */
export function readAlembicIni(iniPath: string, text: string): AlembicIni {
  const sections = parseIni(text);
  const here = dirname(iniPath);
  const section = sections.get("alembic") ?? new Map<string, string>();
  const defaults = sections.get("DEFAULT") ?? new Map<string, string>();
  const lookup = (name: string): string | undefined => (name === "here" ? here : (section.get(name) ?? defaults.get(name)));
  const get = (key: string): string | undefined => {
    const raw = section.get(key) ?? defaults.get(key);
    return raw === undefined ? undefined : interpolate(raw, lookup);
  };
  const separator = get("version_path_separator");
  const scriptLocation = get("script_location");
  const split = (value: string | undefined): string[] => {
    if (value === undefined || value.trim() === "") return [];
    // Alembic 1.8: unset splits on spaces and commas (legacy); "space", "os" (':' here), ':' or ';'
    const sep = separator === undefined ? /[\s,]+/ : separator === "space" ? /\s+/ : separator === "os" || separator === ":" ? /:/ : separator === ";" ? /;/ : /[\s,]+/;
    return value.split(sep).map((part) => part.trim()).filter((part) => part !== "");
  };
  // Alembic resolves script_location against the working directory; the ini's own directory is what users mean in practice
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(here, path));
  const url = get("sqlalchemy.url")?.trim();
  return {
    scriptLocation: scriptLocation === undefined ? null : abs(scriptLocation.trim()),
    versionLocations: split(get("version_locations")).map(abs),
    url: url === undefined || url === "" ? null : url,
    prependSysPath: (get("prepend_sys_path") ?? "").split(/[\s,:]+/).filter((part) => part !== "").map(abs),
  };
}

/** What env.py passes to `context.configure(...)` for the version table: literal values, or the source of a computed one. */
export interface EnvVersionTable {
  readonly versionTable?: { readonly literal: string } | { readonly expression: string };
  readonly versionTableSchema?: { readonly literal: string } | { readonly expression: string };
}

/** Find `version_table=` and `version_table_schema=` keyword arguments in env.py's source. */
export function readEnvVersionTable(source: string): EnvVersionTable {
  const found: { versionTable?: EnvVersionTable["versionTable"]; versionTableSchema?: EnvVersionTable["versionTableSchema"] } = {};
  for (const line of tokenizePython(source)) {
    const t = line.tokens;
    for (let k = 0; k + 1 < t.length; k++) {
      const key = t[k]?.value;
      if ((key !== "version_table" && key !== "version_table_schema") || t[k]?.kind !== "name" || t[k + 1]?.value !== "=") continue;
      // the argument runs to the next top-level ',' or the call's ')'
      let depth = 0;
      let end = k + 2;
      for (; end < t.length; end++) {
        const v = t[end]?.value ?? "";
        if (t[end]?.kind === "op" && "([{".includes(v)) depth += 1;
        if (t[end]?.kind === "op" && ")]}".includes(v)) {
          if (depth === 0) break;
          depth -= 1;
        }
        if (depth === 0 && v === ",") break;
      }
      const arg = t.slice(k + 2, end);
      const text = arg.map((tok) => (tok.kind === "string" ? `${tok.formatted ? "f" : ""}${JSON.stringify(tok.value)}` : tok.value)).join("");
      const value = readValue(arg, text);
      const entry = value.kind === "str" ? { literal: value.value } : { expression: text };
      if (key === "version_table") found.versionTable ??= entry;
      else found.versionTableSchema ??= entry;
    }
  }
  return found;
}
