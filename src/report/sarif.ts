/**
 * SARIF 2.1.0 for code scanning: each reason an artifact (or the lift) is not exact becomes a result on
 * the rule's Python or YAML at its line; SARIF rule ids are the reason codes. Lift reasons are reported
 * once per rule; a target's own reasons once per target (the target is in the message and properties).
 */
import type { Report, ReportReason } from './model.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } } }[];
  properties: Record<string, unknown>;
}

const DESCRIPTIONS: Record<string, string> = {
  'unsupported-log-type': 'The log type has no mapping for the target.',
  'unsupported-unmapped-field': 'A field the rule reads has no mapping for the target.',
  'unsupported-stateful': 'The rule keeps state (caching, lookups, clock), which no query can express.',
  'test-disagrees': "A rule test disagrees with the lifted logic.",
  'unsupported-test-disagrees': "A rule test disagrees with the artifact read back by the target's evaluator.",
  'target-unproven': "The artifact could not be run on some of the rule's tests by its evaluator.",
};

function level(r: ReportReason): SarifResult['level'] {
  if (r.code.startsWith('unsupported') || r.code === 'test-disagrees' || r.code === 'error') return 'error';
  return 'warning';
}

export function toSarif(rep: Report): object {
  const ruleIds: string[] = [];
  const idx = (code: string): number => {
    let i = ruleIds.indexOf(code);
    if (i < 0) i = ruleIds.push(code) - 1;
    return i;
  };
  const results: SarifResult[] = [];
  const add = (r: ReportReason, text: string, props: Record<string, unknown>): void => {
    results.push({
      ruleId: r.code,
      ruleIndex: idx(r.code),
      level: level(r),
      message: { text },
      locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(r.file) }, region: { startLine: Math.max(1, r.line), ...(r.col ? { startColumn: r.col } : {}) } } }],
      properties: props,
    });
  };
  for (const rule of rep.rules) {
    if (rule.error) {
      add({ ...rule.error, code: `error-${rule.error.code}` }, `${rule.file}: ${rule.error.message}`, { fidelity: 'error' });
      continue;
    }
    if (rule.fidelity !== 'exact') {
      for (const r of rule.reasons) add(r, `${rule.id} (${rule.fidelity}${r.direction ? `, ${r.direction}` : ''}): ${r.message}`, { pantherRuleId: rule.id, fidelity: rule.fidelity, ...(r.direction ? { direction: r.direction } : {}) });
    }
    for (const t of rep.targets) {
      const c = rule.targets[t];
      if (!c || c.fidelity === 'exact') continue;
      for (const r of c.reasons) add(r, `${rule.id} → ${t} (${c.fidelity}${r.direction ? `, ${r.direction}` : ''}): ${r.message}`, { pantherRuleId: rule.id, target: t, fidelity: c.fidelity, proven: c.proven, ...(r.direction ? { direction: r.direction } : {}) });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: rep.tool.name,
            version: rep.tool.version,
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: DESCRIPTIONS[id] ?? `${id.replace(/-/g, ' ')}: the translation is not exact` },
              defaultConfiguration: { level: id.startsWith('unsupported') || id === 'test-disagrees' || id.startsWith('error-') ? 'error' : 'warning' },
            })),
          },
        },
        results,
        properties: { targets: rep.targets, totals: rep.totals },
      },
    ],
  };
}
