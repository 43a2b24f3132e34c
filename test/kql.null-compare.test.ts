/**
 * KQL comparisons of a number or bool with a field that may be missing: `==` of a null with a value is
 * false and `!=` true (learn.microsoft.com/kusto/query/scalar-data-types/null-values), Python's None == v
 * and None != v, so no presence guard is written; an ordering of a null is null, which a `where` drops,
 * as Python's rule (None > v raises, a default that fails the test) does not alert.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, Val } from '../src/ast/types.js';
import { evaluateRule } from '../src/ast/evaluate.js';
import { loadMappings } from '../src/mapping/load.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';
import { lit } from './support.js';

const mapper = loadMappings();
const ctx: RenderContext = { mapper, templatesDir: defaultTemplatesDir() };

function vpcRule(condition: Pred, logs: [Json, boolean][]): Rule {
  return {
    meta: { id: 'Test.Vpc', displayName: 'vpc', description: '', severity: 'Info', enabled: true, logTypes: ['AWS.VPCFlow'], tags: [], mitre: [], summaryAttributes: [], file: 'rules/t.yml', pyFile: 'rules/t.py' },
    condition,
    outputs: [],
    tests: logs.map(([log, expected], i) => ({ name: `t${i}`, expected, log })),
    reasons: [],
  };
}

const port: Val = { k: 'get', obj: { k: 'event' }, key: 'dstPort' };
const portOr: Val = { k: 'get', obj: { k: 'event' }, key: 'dstPort', default: lit(22) };
const logs = (expect: (p: number | undefined) => boolean): [Json, boolean][] =>
  [22, 443, undefined].map((p) => [p === undefined ? { action: 'ACCEPT' } : { action: 'ACCEPT', dstPort: p }, expect(p)]);

describe('KQL: a number compared with a field that may be missing', () => {
  const cases: [string, Pred, (p: number | undefined) => boolean, string][] = [
    ['==', { k: 'cmp', op: 'eq', left: port, right: lit(22) }, (p) => p === 22, 'DstPort == 22'],
    ['!=', { k: 'not', arg: { k: 'cmp', op: 'eq', left: port, right: lit(22) } }, (p) => p !== 22, 'DstPort != 22'],
    ['in', { k: 'in', value: port, list: [22, 443] }, (p) => p === 22 || p === 443, 'DstPort in (22, 443)'],
    ['not in', { k: 'not', arg: { k: 'in', value: port, list: [22, 443] } }, (p) => p !== 22 && p !== 443, 'DstPort !in (22, 443)'],
    ['a default that passes', { k: 'cmp', op: 'eq', left: portOr, right: lit(22) }, (p) => p === 22 || p === undefined, 'isnull(DstPort) or DstPort == 22'],
  ];
  it.each(cases)('%s: no presence guard where Kusto already agrees with Python on a null; proven', (_, cond, expected, where) => {
    const r = vpcRule(cond, logs(expected));
    for (const t of r.tests) expect(evaluateRule(r.condition, t.log as Json), t.name).toBe(t.expected);
    const o = renderRule(r, 'kql', ctx);
    expect(o.text).toContain(`| where ${where}\n`);
    if (!where.startsWith('isnull')) expect(o.text).not.toContain('isnull');
    const proof = proveOutput(o, r, mapper)!;
    expect(proof.tests.failed).toBe(0);
    expect(proof.fidelity).toBe('exact');
  });
});
