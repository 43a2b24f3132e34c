/**
 * Routed log types (`sources.kql.routes`, mappings/README.md): the mapping a log of a log type is read
 * with on KQL. The query side (one branch per route) is `targets/common/routes.ts`.
 */
import type { FieldMapper } from './types.js';

/** The route a log of `logType` is read with (the first whose field holds one of its values), or the log type itself. */
export function routeOf(mapper: FieldMapper, logType: string, log: unknown): string {
  for (const r of mapper.source(logType, 'kql')?.routes ?? []) {
    let v: unknown = log;
    for (const k of r.field) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
    if (typeof v === 'string' && r.values.includes(v)) return r.logType;
  }
  return logType;
}

