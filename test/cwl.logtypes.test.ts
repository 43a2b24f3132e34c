/**
 * Logs Insights over a rule with several log types: one query for the log groups of all of them when
 * the condition reads alike on each (the same filters and threshold), proven on the tests of every
 * log type; otherwise one query per log type (each to run over that log type's log groups), each read back
 * for its own log type's tests.
 */
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { compileCwl } from '../src/proof/cwl/index.js';
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

  it('filters that read otherwise on another log type: one query per log type, each read for its own log type\'s tests', () => {
    const { rule } = liftFile('rules/standard/standard_break_glass_sign_in.yml');
    const out = renderRule(rule, 'cwl', ctx);
    expect(out.logTypes).toEqual(['Okta.SystemLog', 'Azure.Audit']);
    expect(out.reasons.map((r) => r.code)).not.toContain('target-first-log-type');
    expect(out.text).toContain("# log types: Okta.SystemLog, Azure.Audit (one query each, to run over that log type's log groups: the filters differ)");
    const marks = out.text.split('\n').filter((l) => l.startsWith('# query '));
    expect(marks).toEqual(['# query 1 of 2: Okta.SystemLog', '# query 2 of 2: Azure.Audit']);
    // each query is a whole Logs Insights query of its own
    expect(out.text.match(/^fields @timestamp/gm)).toHaveLength(2);
    expect(out.fidelity).toBe('exact');
    const report = proveOutput(out, rule, mapper)!;
    expect(report.tests).toMatchObject({ passed: rule.tests.length, failed: 0, notEvaluable: 0 });
  });

  it('a threshold counted per log type\'s query is declared (Panther counts them together)', () => {
    const { rule } = liftFile('rules/azure_activity/azure_failures_from_one_ip.yml');
    const out = renderRule(rule, 'cwl', ctx);
    expect(out.reasons.find((r) => r.code === 'target-threshold-split')).toMatchObject({ direction: 'narrower' });
    const report = proveOutput(out, rule, mapper)!;
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    expect(report.aggregation).toContain('Azure.Audit: stats count(*)');
    expect(report.aggregation).toContain('Azure.MonitorActivity: stats count(*)');
  });

  it('the evaluator reads each query for its own log type and refuses a file whose markers do not count 1..n', () => {
    const q = (f: string) => `fields @timestamp\n| filter ${f}\n| sort @timestamp desc\n| limit 10000\n`;
    const c = compileCwl(`# header\n# query 1 of 2: A.Log\n${q('a = "1"')}# query 2 of 2: B.Log\n${q('b = "1"')}`);
    const ev = (logType: string, k: string) => ({ fields: new Map([[k, '1']]), opaque: new Map(), containers: new Set<string>(), logType });
    expect(c.matches(ev('A.Log', 'a'))).toBe(true);
    expect(c.matches(ev('B.Log', 'a'))).toBe(false);
    expect(c.matches(ev('B.Log', 'b'))).toBe(true);
    expect(() => c.matches(ev('C.Log', 'a'))).toThrow(/no query of the file is for log type C.Log/);
    expect(() => compileCwl(`# query 1 of 2: A.Log\n${q('a = "1"')}# query 3 of 2: B.Log\n${q('b = "1"')}`)).toThrow(/numbered/);
    expect(() => compileCwl(`${q('x = "1"')}# query 1 of 1: A.Log\n${q('a = "1"')}`)).toThrow(/before the first query marker/);
    // a header comment that reads like a marker (a rule's description) opens no query
    const one = compileCwl(`# query 1 of 1: Spoof.Log\n# fidelity: exact\n${q('a = "1"')}`);
    expect(one.matches(ev('A.Log', 'a'))).toBe(true);
  });
});
