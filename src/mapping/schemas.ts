/**
 * Sentinel (Log Analytics) table schemas: `schemas/sentinel-tables.json` at the package root,
 * found relative to this module so it works from `src/` (vitest) and from `dist/`.
 *
 * `npm run build` (scripts/bundle.mjs) also writes the file per table under `dist/schemas/sentinel/`:
 * `index.json` (the SHA-1 of the schema file, its table names and standard columns) and `<table>.json`
 * (that table's columns, standard columns included). While the schema file is still the text it was built
 * from, a run reads the index and the tables it uses instead of parsing the whole file (164 KB, 3-6 ms
 * of a single rule's run); any other state falls back to the file itself.
 */
import { readFileSync } from 'node:fs';
import { packagePath, sourceHash } from '../paths.js';

interface SchemaFile {
  standardColumns: Record<string, string>;
  tables: Record<string, Record<string, string>>;
}

/** What the build wrote: `index.json` of `dist/schemas/sentinel/`. */
export interface PrecompiledIndex {
  sha1: string;
  tables: string[];
  standardColumns: Record<string, string>;
}

export const SCHEMA_FILE = packagePath('schemas', 'sentinel-tables.json');

export function precompiledSchemaPath(name: string): string {
  return packagePath('dist', 'schemas', 'sentinel', `${name}.json`);
}

let data: SchemaFile | undefined;
let cache: Record<string, Record<string, string>> | undefined;
/** Tables merged with the standard columns so far (most runs read one or two of the hundred). */
const merged = new Map<string, Record<string, string> | undefined>();
/** The build's index when it matches the schema file (null: it does not, or there is none). */
let index: { tables: Set<string>; standardColumns: Record<string, string> } | null | undefined;

function schemaFile(): SchemaFile {
  return (data ??= JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaFile);
}

function precompiled(): typeof index {
  if (index !== undefined) return index;
  index = null;
  try {
    const text = readFileSync(SCHEMA_FILE);
    const i = JSON.parse(readFileSync(precompiledSchemaPath('index'), 'utf8')) as PrecompiledIndex;
    if (i.sha1 === sourceHash(text) && Array.isArray(i.tables) && i.standardColumns) index = { tables: new Set(i.tables), standardColumns: i.standardColumns };
  } catch {
    /* no build output: read the file */
  }
  return index;
}

function readTable(table: string): Record<string, string> | undefined {
  const i = precompiled();
  if (i) {
    if (!i.tables.has(table)) return undefined;
    try {
      return JSON.parse(readFileSync(precompiledSchemaPath(table), 'utf8')) as Record<string, string>;
    } catch {
      /* a table file missing: read the schema file */
    }
  }
  const d = schemaFile();
  const columns = Object.hasOwn(d.tables, table) ? d.tables[table] : undefined;
  return columns ? { ...d.standardColumns, ...columns } : undefined;
}

/** One table's columns (column → Kusto type, standard columns included), or undefined when the schemas lack it. */
export function sentinelTable(table: string): Record<string, string> | undefined {
  if (merged.has(table)) return merged.get(table);
  const out = readTable(table);
  merged.set(table, out);
  return out;
}

/** Table → column → Kusto type (string, int, long, real, bool, datetime, dynamic, ...), standard columns included. */
export function sentinelTables(): Record<string, Record<string, string>> {
  if (!cache) {
    cache = {};
    for (const table of Object.keys(schemaFile().tables)) cache[table] = sentinelTable(table)!;
  }
  return cache;
}

/** The Kusto type of a column, or undefined when the table or the column is unknown. */
export function columnType(table: string, column: string): string | undefined {
  return sentinelTable(table)?.[column];
}

/** The columns every Log Analytics table has (`standardColumns`: TimeGenerated, TenantId, Type, _ResourceId, ...). */
export function standardColumns(): Record<string, string> {
  return { ...(precompiled()?.standardColumns ?? schemaFile().standardColumns) };
}
