/**
 * What the mappings cover, per log type (for `transpile list logtypes`).
 */
import { TARGETS } from './file.js';
import { derivedSource, loadMappings, type MappingSet } from './load.js';
import type { TargetName } from './types.js';

export interface TargetCoverage {
  /** kql: the table expression; sigma: `product/service`; yaral: the base filter; cwl: native or assumed. */
  source: string;
  /** Exact field entries that name a field/column for this target. */
  fields: number;
  /** Container entries (prefixes) that name a field/column for this target. */
  prefixes: number;
  /** What happens to other paths: raw, none, fallback, container, pascal, columns. */
  default: string;
}

export interface LogTypeCoverage {
  logType: string;
  description?: string;
  files: string[];
  targets: Partial<Record<TargetName, TargetCoverage>>;
  /**
   * The Sentinel table(s) the KQL reads; `inferred` for a custom-log table (`<Name>_CL`) the user
   * ingests the log into, which no connector ships (its columns are the log's top-level keys).
   */
  kqlTable?: { name: string; inferred: boolean };
  /**
   * The Chronicle log type YARA-L reads (the base filter's values); `inferred` for a custom log type the
   * user creates, whose parser follows the stated convention (mappings/README.md "Custom log types").
   */
  yaralLogType?: { name: string; inferred: boolean };
  /** With rule paths: the rules whose (first) log type it is. */
  rules?: number;
}

function describe(t: TargetName, s: NonNullable<ReturnType<MappingSet['source']>>): string {
  if (t === 'kql') return (s.tables ?? (s.table ? [s.table] : [])).join(', ');
  if (t === 'sigma') return Object.values(s.logsource ?? {}).join('/');
  if (t === 'yaral') return (s.baseFilter ?? []).map((f) => `${f.field} = "${f.value}"`).join(' and ') + (s.shared ? ' (shared label)' : '');
  return s.native ? 'native' : 'not native (raw JSON names assumed)';
}

/** What a target does with the paths of a log type its mapping says nothing of. */
function defaultOf(t: TargetName): string {
  return t === 'kql' ? 'columns' : t === 'yaral' ? 'convention' : 'raw';
}

/** The Sentinel table and the Chronicle log type a log type is read from, sourced or inferred. */
function tables(mapper: MappingSet, logType: string, out: LogTypeCoverage): void {
  const k = mapper.source(logType, 'kql');
  if (k) out.kqlTable = { name: describe('kql', k), inferred: !!k.custom };
  const y = mapper.source(logType, 'yaral');
  if (y?.baseFilter?.length) out.yaralLogType = { name: y.baseFilter.map((b) => b.value).join('/'), inferred: !!y.custom };
}

/**
 * Per log type: the targets it maps, their log source and field counts. `extra`: more log types (e.g.
 * those the rules being listed use) that may have no mapping file: they are listed with the defaults
 * every target applies to them (Sigma and Logs Insights raw names, KQL a custom-log table).
 */
export function listLogTypes(mapper: MappingSet = loadMappings(), extra: readonly string[] = []): LogTypeCoverage[] {
  const rows = mapper.summary().map(({ logType, targets }) => {
    const m = mapper.mapping(logType)!;
    const out: LogTypeCoverage = { logType, files: m.files, targets: {} };
    if (m.description) out.description = m.description;
    for (const t of TARGETS) {
      const counts = targets[t];
      const s = mapper.source(logType, t);
      if (!s) continue;
      // a target the mapping says nothing of keeps its default (raw names; KQL: a custom-log table; YARA-L:
      // a custom log type, its parser by the convention)
      const c = counts ?? { fields: 0, prefixes: 0, default: defaultOf(t) };
      out.targets[t] = { source: describe(t, s), ...c, ...(t === 'yaral' && s.custom && c.default === 'none' ? { default: 'convention' } : {}) };
    }
    tables(mapper, logType, out);
    return out;
  });
  const known = new Set(rows.map((r) => r.logType));
  for (const logType of [...new Set(extra)].sort()) {
    if (known.has(logType)) continue;
    const out: LogTypeCoverage = { logType, files: [], targets: {} };
    for (const t of TARGETS) {
      const s = t === 'kql' || t === 'yaral' ? mapper.source(logType, t) : derivedSource(logType, t);
      if (s) out.targets[t] = { source: describe(t, s), fields: 0, prefixes: 0, default: defaultOf(t) };
    }
    tables(mapper, logType, out);
    rows.push(out);
  }
  return rows.sort((a, b) => (a.logType < b.logType ? -1 : a.logType > b.logType ? 1 : 0));
}
