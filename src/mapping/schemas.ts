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

let cache: Record<string, Record<string, string>> | undefined;
let standard: Record<string, string> | undefined;

/** Table → column → Kusto type (string, int, long, real, bool, datetime, dynamic, ...), standard columns included. */
export function sentinelTables(): Record<string, Record<string, string>> {
  if (!cache) {
    const data = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaFile;
    standard = { ...data.standardColumns };
    cache = {};
    for (const [table, columns] of Object.entries(data.tables)) {
      cache[table] = { ...data.standardColumns, ...columns };
    }
  }
  return cache;
}

/** The Kusto type of a column, or undefined when the table or the column is unknown. */
export function columnType(table: string, column: string): string | undefined {
  return sentinelTables()[table]?.[column];
}

/** The columns every Log Analytics table has (`standardColumns`: TimeGenerated, TenantId, Type, _ResourceId, ...). */
export function standardColumns(): Record<string, string> {
  sentinelTables();
  return { ...standard! };
}
