/**
 * YARA-L renderings that depend on what the mappings state about the UDM fields (issue 12, More UDM):
 * a field never "" where present (`nonEmpty: true`) is tested for None by its emptiness.
 */
import { describe, expect, it } from 'vitest';
import type { Pred, Rule, RuleTest, Val } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';
import { lit } from './support.js';

const mapper = loadMappings();
const ctx: RenderContext = { mapper, templatesDir: defaultTemplatesDir() };

function ruleOf(logType: string, condition: Pred, tests: RuleTest[]): Rule {
  return {
    meta: { id: 'Test.Udm', displayName: 'udm', description: '', severity: 'Info', enabled: true, logTypes: [logType], tags: [], mitre: [], summaryAttributes: [], file: 'rules/t.yml', pyFile: 'rules/t.py' },
    condition,
    outputs: [],
    tests,
    reasons: [],
  };
}

const get = (key: string): Val => ({ k: 'get', obj: { k: 'event' }, key });
const eventName = (v: string): Pred => ({ k: 'cmp', op: 'eq', left: get('eventName'), right: lit(v) });

describe('YARA-L: None tests on a field the mapping states never "" where present', () => {
  const tests: RuleTest[] = [
    { name: 'success', expected: true, log: { eventName: 'RebootDBInstance' } },
    { name: 'denied', expected: false, log: { eventName: 'RebootDBInstance', errorCode: 'AccessDenied' } },
    { name: 'a null errorCode', expected: true, log: { eventName: 'RebootDBInstance', errorCode: null } },
    { name: 'other event', expected: false, log: { eventName: 'DescribeDBInstances' } },
  ];

  it('CloudTrail errorCode is None: security_result.rule_id = "", exact and proven', () => {
    const r = ruleOf('AWS.CloudTrail', { k: 'and', args: [eventName('RebootDBInstance'), { k: 'not', arg: { k: 'exists', value: get('errorCode') } }] }, tests);
    const o = renderRule(r, 'yaral', ctx);
    expect(o.text).toContain('$e.security_result.rule_id = ""');
    expect(o.reasons.map((x) => x.code)).not.toContain('target-missing-vs-empty');
    expect(o.fidelity).toBe('exact');
    const p = proveOutput(o, r, mapper)!;
    expect(p.tests.failed).toBe(0);
    expect(p.tests.passed).toBe(tests.length);
    expect(p.fidelity).toBe('exact');
  });

  it('errorCode is not None: != "", exact and proven', () => {
    const flipped = tests.map((t) => ({ ...t, expected: t.log && (t.log as Record<string, unknown>).eventName === 'RebootDBInstance' ? !t.expected : false }));
    const r = ruleOf('AWS.CloudTrail', { k: 'and', args: [eventName('RebootDBInstance'), { k: 'exists', value: get('errorCode') }] }, flipped);
    const o = renderRule(r, 'yaral', ctx);
    expect(o.text).toContain('$e.security_result.rule_id != ""');
    expect(o.fidelity).toBe('exact');
    expect(proveOutput(o, r, mapper)!.tests.failed).toBe(0);
  });

  it('a field the mapping does not state non-empty keeps the declaration', () => {
    // userAgent (network.http.user_agent) is not stated nonEmpty: "" and missing read alike
    const r = ruleOf('AWS.CloudTrail', { k: 'not', arg: { k: 'exists', value: get('userAgent') } }, [{ name: 'none', expected: true, log: {} }]);
    const o = renderRule(r, 'yaral', ctx);
    expect(o.reasons.map((x) => x.code)).toContain('target-missing-vs-empty');
    expect(o.fidelity).not.toBe('exact');
  });
});

describe('YARA-L: nonEmpty does not vouch for the additional.fields fallback', () => {
  it('CloudTrail userIdentity.invokedBy (nonEmpty, read through the fallback) keeps the declaration', () => {
    const invokedBy: Val = { k: 'get', obj: { k: 'get', obj: { k: 'event' }, key: 'userIdentity', default: lit({}) }, key: 'invokedBy' };
    const r = ruleOf('AWS.CloudTrail', { k: 'exists', value: invokedBy }, [{ name: 'service', expected: true, log: { userIdentity: { invokedBy: 'ec2.amazonaws.com' } } }]);
    const o = renderRule(r, 'yaral', ctx);
    expect(o.text).toContain('$e.additional.fields["invokedBy"] != ""');
    expect(o.reasons.map((x) => x.code)).toEqual(expect.arrayContaining(['target-fallback-field', 'target-missing-vs-empty']));
  });
});
