/**
 * Sentinel (Log Analytics) table schemas: `schemas/sentinel-tables.json` at the package root,
 * found relative to this module so it works from `src/` (vitest) and from `dist/`.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';

interface SchemaFile {
  standardColumns: Record<string, string>;
  tables: Record<string, Record<string, string>>;
}

export const SCHEMA_FILE = packagePath('schemas', 'sentinel-tables.json');

let data: SchemaFile | undefined;
let cache: Record<string, Record<string, string>> | undefined;
/** Tables merged with the standard columns so far (most runs read one or two of the hundred). */
const merged = new Map<string, Record<string, string> | undefined>();

function schemaFile(): SchemaFile {
  return (data ??= JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaFile);
}

/** One table's columns (column → Kusto type, standard columns included), or undefined when the schemas lack it. */
export function sentinelTable(table: string): Record<string, string> | undefined {
  if (merged.has(table)) return merged.get(table);
  const d = schemaFile();
  const columns = Object.hasOwn(d.tables, table) ? d.tables[table] : undefined;
  const out = columns ? { ...d.standardColumns, ...columns } : undefined;
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
  return { ...schemaFile().standardColumns };
}
