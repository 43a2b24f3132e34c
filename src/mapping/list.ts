/**
 * What the mappings cover, per log type (for `transpile list logtypes`).
 */
import { TARGETS } from './file.js';
import { loadMappings, type MappingSet } from './load.js';
import type { TargetName } from './types.js';

export interface TargetCoverage {
  /** kql: the table expression; sigma: `product/service`; yaral: the base filter; cwl: native or assumed. */
  source: string;
  /** Exact field entries that name a field/column for this target. */
  fields: number;
  /** Container entries (prefixes) that name a field/column for this target. */
  prefixes: number;
  /** What happens to other paths: raw, none, fallback, container, pascal. */
  default: string;
}

export interface LogTypeCoverage {
  logType: string;
  description?: string;
  files: string[];
  targets: Partial<Record<TargetName, TargetCoverage>>;
}

/** Per log type: the targets it maps, their log source and field counts. */
export function listLogTypes(mapper: MappingSet = loadMappings()): LogTypeCoverage[] {
  return mapper.summary().map(({ logType, targets }) => {
    const m = mapper.mapping(logType)!;
    const out: LogTypeCoverage = { logType, files: m.files, targets: {} };
    if (m.description) out.description = m.description;
    for (const t of TARGETS) {
      const counts = targets[t];
      const s = mapper.source(logType, t);
      if (!counts || !s) continue;
      let source: string;
      if (t === 'kql') source = s.table ?? '';
      else if (t === 'sigma') source = Object.values(s.logsource ?? {}).join('/');
      else if (t === 'yaral') source = (s.baseFilter ?? []).map((f) => `${f.field} = "${f.value}"`).join(' and ');
      else source = s.native ? 'native' : 'not native (raw JSON names assumed)';
      out.targets[t] = { source, ...counts };
    }
    return out;
  });
}
