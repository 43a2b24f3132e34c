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

describe('two fields read with the default "" compared', () => {
  const at = (...keys: string[]): Val => {
    const chain = keys.reduce<Val>((obj, key) => ({ k: 'get', obj, key, deep: true }), { k: 'event' });
    return { ...(chain as Extract<Val, { k: 'get' }>), default: lit('') };
  };
  const before = at('protoPayload', 'request', 'before', 'enabled');
  const after = at('protoPayload', 'request', 'after', 'enabled');
  const changed: Pred = { k: 'not', arg: { k: 'cmp', op: 'eq', left: before, right: after } };
  const log = (b: Json | undefined, a: Json | undefined): Json => ({ protoPayload: { request: { ...(b !== undefined ? { before: { enabled: b } } : {}), ...(a !== undefined ? { after: { enabled: a } } : {}) } } });

  it.each(['kql', 'sentinel'])('%s: booleans on both sides compare as text, a missing one as ""', (target) => {
    const logs = [log(true, false), log(false, false), log(true, undefined), log(undefined, undefined), log(null, false)];
    const { out, report } = renderProved(target, 'T.Compare', changed, logs, 'GCP.AuditLog');
    expect(out.reasons).toEqual([]);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
  });

  it('a boolean on one side and a string on the other ("true" is no True): declared', () => {
    const { out } = renderProved('kql', 'T.Compare', changed, [log(true, 'true'), log(false, false)], 'GCP.AuditLog');
    expect(out.reasons.map((r) => r.code)).toContain('target-missing-vs-empty');
  });
});
