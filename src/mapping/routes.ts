/**
 * Routed log types (`sources.kql.routes`, mappings/README.md): the mapping a log of a log type is read
 * with on KQL. The query side (one branch per route) is `targets/common/routes.ts`.
 */
import type { FieldMapper } from './types.js';

/** The route a log of `logType` is read with (the first whose field holds one of its values), or the log type itself. */
export function routeOf(mapper: FieldMapper, logType: string, log: unknown): string {
  for (const r of mapper.source(logType, 'kql')?.routes ?? []) {
    const v = valueAt(log, r.field);
    if (typeof v === 'string' && r.values.includes(v)) return r.logType;
  }
  return logType;
}

/** The value at a path of keys in a log (undefined where a step is no mapping or lacks the key). */
export function valueAt(log: unknown, path: readonly string[]): unknown {
  let v: unknown = log;
  for (const k of path) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * The tables of `tables` a log's row is in, by the value of the source's keyed field
 * (`sources.kql.tableValues`): a value some table is keyed by puts the row in that table and in the
 * tables without a value; any other value (or none), where the mapping does not say, in every table;
 * where it does (`exclusive`: a keyed table holds only rows of its value), in the tables without a value.
 */
export function keyedRowTables(tables: readonly string[], key: { field: string[]; values: Record<string, string>; exclusive?: boolean } | undefined, log: unknown): string[] {
  if (!key) return [...tables];
  const v = valueAt(log, key.field);
  if (typeof v !== 'string' || !Object.values(key.values).includes(v)) return key.exclusive ? tables.filter((t) => key.values[t] === undefined) : [...tables];
  return tables.filter((t) => key.values[t] === undefined || key.values[t] === v);
}

