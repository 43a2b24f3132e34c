/**
 * Logs Insights over a rule with several log types: one query for the log groups of all of them when
 * the condition reads alike on each (the same filters and threshold), proven on the tests of every
 * log type; otherwise the first log type, declared.
 */
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';

const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };

describe('Logs Insights: rules with several log types', () => {
  it('the same filters on every log type: one query, every log type\'s tests decided', () => {
    const { rule } = liftFile('rules/microsoft365/m365_guest_sharing_activity.yml');
    expect(rule.meta.logTypes).toEqual(['Microsoft365.Audit.Exchange', 'Microsoft365.Audit.SharePoint']);
    const out = renderRule(rule, 'cwl', ctx);
    expect(out.logTypes).toEqual(['Microsoft365.Audit.Exchange', 'Microsoft365.Audit.SharePoint']);
    expect(out.reasons).toEqual([]);
    expect(out.fidelity).toBe('exact');
    expect(out.text).toContain('# log types: Microsoft365.Audit.Exchange, Microsoft365.Audit.SharePoint');
    // each log type's query alone is the same text but for its header
    const one = (lt: string) => renderRule({ ...rule, meta: { ...rule.meta, logTypes: [lt] } }, 'cwl', ctx).text.split('\n').filter((l) => !l.startsWith('#'));
    expect(one('Microsoft365.Audit.SharePoint')).toEqual(one('Microsoft365.Audit.Exchange'));
    expect(out.text.split('\n').filter((l) => !l.startsWith('#'))).toEqual(one('Microsoft365.Audit.Exchange'));
    const report = proveOutput(out, rule, mapper)!;
    expect(report.tests).toMatchObject({ passed: rule.tests.length, failed: 0, notEvaluable: 0 });
    const types = new Set(report.outcomes.map((o) => (rule.tests.find((t) => t.name === o.name)?.log as Record<string, unknown>)['p_log_type']));
    expect(types).toEqual(new Set(['Microsoft365.Audit.Exchange', 'Microsoft365.Audit.SharePoint']));
  });

  it('filters that read otherwise on another log type: the first log type, declared', () => {
    const { rule } = liftFile('rules/standard/standard_break_glass_sign_in.yml');
    const out = renderRule(rule, 'cwl', ctx);
    expect(out.logTypes).toBeUndefined();
    expect(out.reasons.find((r) => r.code === 'target-first-log-type')).toMatchObject({ direction: 'narrower' });
    expect(out.text).not.toContain('# log types:');
  });
});
