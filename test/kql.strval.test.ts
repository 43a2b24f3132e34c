/**
 * KQL reads a test on `str(x)` or `float(x)` of a field whose type makes it the same test on `x`
 * (common/strval.ts), as Sigma and Logs Insights do; each query is read back by the KQL evaluator (which
 * reads typed number literals such as `real(8.9)`) and run against Python's own answers.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { lit, renderProved } from './support.js';

const get = (key: string, def?: Json): Val => ({ k: 'get', obj: { k: 'event' }, key, ...(def !== undefined ? { default: lit(def) } : {}) });
const fn = (name: string, ...args: Val[]): Val => ({ k: 'fn', fn: name, args });

describe('float(x) of a field holding numbers', () => {
  const deep = (...keys: string[]): Val => keys.reduce<Val>((obj, key) => ({ k: 'get', obj, key, deep: true }), { k: 'event' });
  const between = (v: Val): Pred => ({ k: 'and', args: [{ k: 'cmp', op: 'ge', left: fn('float', v), right: lit(7) }, { k: 'cmp', op: 'le', left: fn('float', v), right: lit(8.9) }] });
  it.each(['kql', 'sentinel'])('%s: 7.0 <= float(x) <= 8.9 of a dynamic value is the comparison of the value, proven', (target) => {
    const logs: Json[] = [7, 8.9, 8.95, 2].map((n) => ({ service: { additionalInfo: { score: n } } }));
    const { out, report } = renderProved(target, 'T.Float', between(deep('service', 'additionalInfo', 'score')), logs, 'AWS.GuardDuty');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('<= real(8.9)');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
  });

  it('an int column of a field the mapping does not type integer keeps its computed value (8.9 is no int)', () => {
    const logs: Json[] = [{ severity: 8 }, { severity: 2 }];
    const { out } = renderProved('kql', 'T.Float', between(get('severity', 0)), logs, 'AWS.GuardDuty');
    expect(out.reasons.map((r) => r.code)).toContain('target-computed-value');
  });

  it('a field the tests hold as text too stays computed', () => {
    const logs: Json[] = [{ service: { additionalInfo: { score: 8 } } }, { service: { additionalInfo: { score: '8' } } }];
    const { out } = renderProved('kql', 'T.Float', between(deep('service', 'additionalInfo', 'score')), logs, 'AWS.GuardDuty');
    expect(out.reasons.map((r) => r.code)).toContain('target-computed-value');
  });
});

describe('str(x) of a field whose type makes it the test on x', () => {
  it('str(event_type_id) in ("13", "20") of a field the mapping types integer: the numbers', () => {
    const p: Pred = { k: 'in', value: fn('str', get('event_type_id')), list: ['13', '20', '013'] };
    const { out, report } = renderProved('kql', 'T.Str', p, [{ event_type_id: 13 }, { event_type_id: 20 }, { event_type_id: 5 }, {}], 'OneLogin.Events');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('EventTypeId in (13, 20)');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
  });
});
