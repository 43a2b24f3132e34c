/**
 * Logs Insights: tests whose rendering depends on the type a field is known to hold (the mapping, or the
 * rule's tests), read back by the evaluator and run against Python's own evaluation of the condition:
 * isinstance() of a field of known type, the truthiness of a mapping a sibling implies (common/implied.ts),
 * a split of str(x) where x holds only strings, float(x) of a number field.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { anyRolesUpdate, AUTH_INFO_LOGS, authInfoWalk, getField as get, lit, pieceOf, renderProved } from './support.js';

/** Render for a log type, then read back on the logs (each with Python's answer as its expectation). */
const render = (cond: Pred, logs: Json[], logType = 'AWS.CloudTrail') => renderProved('cwl', 'T.Types', cond, logs, logType);

const filters = (text: string) => text.split('\n').filter((l) => l.startsWith('| filter'));
const at = (obj: Val, key: string): Val => ({ k: 'get', obj, key });
const fn = (name: string, ...args: Val[]): Val => ({ k: 'fn', fn: name, args });

describe('isinstance() of a field of known type', () => {
  it('isinstance(x, str) of a field the tests hold only as strings is its presence', () => {
    const p: Pred = { k: 'not', arg: { k: 'istype', value: get('userAgent'), type: 'str' } };
    const { out, report } = render(p, [{ userAgent: 'aws-cli' }, {}, { userAgent: null }]);
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter not (ispresent(userAgent))']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('isinstance(x, int) of a field the tests hold only as integral numbers; isinstance(x, float) is false there', () => {
    const code = at(get('responseStatus'), 'code');
    const p: Pred = { k: 'and', args: [{ k: 'istype', value: code, type: 'int' }, { k: 'cmp', op: 'ge', left: code, right: lit(400) }] };
    const { out, report } = render(p, [{ responseStatus: { code: 403 } }, { responseStatus: { code: 200 } }, { responseStatus: {} }], 'Amazon.EKS.Audit');
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter responseStatus.code >= 400']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    const f: Pred = { k: 'istype', value: code, type: 'float' };
    expect(render(f, [{ responseStatus: { code: 403 } }, { responseStatus: { code: 200 } }], 'Amazon.EKS.Audit').out.text).toContain('| filter 1 = 0');
  });

  it('a field the tests hold as several types stays declared', () => {
    const p: Pred = { k: 'istype', value: get('userAgent'), type: 'str' };
    expect(render(p, [{ userAgent: 'aws-cli' }, { userAgent: 3 }]).out.reasons.map((r) => r.message).join('\n')).toMatch(/an isinstance\(\) test/);
  });
});

describe('the truthiness of a field holding ints', () => {
  it('truthy: present and not 0 (a number comparison); negated: missing or 0; a default read alike on missing and null', () => {
    const t: Pred = { k: 'truthy', value: get('retries') };
    const logs: Json[] = [{ retries: 0 }, { retries: 3 }, { retries: -2 }, {}, { retries: null }];
    const pos = render(t, logs);
    expect(pos.out.reasons).toEqual([]);
    expect(filters(pos.out.text)).toEqual(['| filter ispresent(retries)', '| filter retries != 0']);
    expect(pos.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
    const neg = render({ k: 'not', arg: t }, logs);
    expect(neg.out.reasons).toEqual([]);
    expect(neg.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
    const dflt = render({ k: 'truthy', value: get('retries', 1) }, [{ retries: 0 }, { retries: 3 }, {}]);
    expect(dflt.out.reasons).toEqual([]);
    expect(dflt.report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    // a default where a test holds null (Python reads the null, not the default), or text beside numbers: declared
    expect(render({ k: 'truthy', value: get('retries', 1) }, [{ retries: 0 }, { retries: null }]).out.fidelity).not.toBe('exact');
    expect(render(t, [{ retries: 0 }, { retries: '3' }]).out.fidelity).not.toBe('exact');
  });
});

describe('the truthiness of a mapping a sibling implies', () => {
  it('`responseStatus and responseStatus.code == 403`: the mapping (no field of its own in Logs Insights) is left out', () => {
    const rs = get('responseStatus');
    const p: Pred = { k: 'and', args: [{ k: 'truthy', value: rs }, { k: 'cmp', op: 'eq', left: at(rs, 'code'), right: lit(403) }] };
    const { out, report } = render(p, [{ responseStatus: { code: 403 } }, { responseStatus: { code: 200 } }, {}], 'Amazon.EKS.Audit');
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter responseStatus.code = 403']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });
});

describe('a value read from the JSON document a field holds', () => {
  const doc: Val = { k: 'fn', fn: 'json', args: [at(get('properties'), 'log')] };
  const log = (o: Json): Json => ({ category: 'kube-audit', properties: { log: JSON.stringify(o) } });

  it('the truthiness of a mapping in it a sibling implies is left out; isinstance(x, int) of an integral number is its presence', () => {
    const rs = at(doc, 'responseStatus');
    const code = at(rs, 'code');
    const failed: Pred = { k: 'and', args: [{ k: 'truthy', value: rs }, { k: 'istype', value: code, type: 'int' }, { k: 'cmp', op: 'eq', left: code, right: lit(403) }] };
    const { out, report } = render({ k: 'not', arg: failed }, [log({ responseStatus: { code: 403 } }), log({ responseStatus: { code: 200 } }), log({ verb: 'get' }), log({ responseStatus: {} })], 'Azure.MonitorActivity');
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter not (ispresent(jsonLog.responseStatus.code)) or not (jsonLog.responseStatus.code = 403)']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
  });

  it('a boolean in it stays declared (what jsonParse() makes of one is not stated)', () => {
    const p: Pred = { k: 'cmp', op: 'eq', left: at(doc, 'enabled'), right: lit(true) };
    const { out } = render(p, [log({ enabled: true }), log({ enabled: false })], 'Azure.MonitorActivity');
    expect(out.reasons.map((r) => r.message).join('\n')).toMatch(/a boolean in the rule's tests/);
  });
});

describe('deep_walk ending on a list', () => {
  const walk = authInfoWalk;
  const anyPerm = anyRolesUpdate;
  const logs = AUTH_INFO_LOGS;

  it('its truthiness and an any() over it, both top-level conjuncts, read the list (written with unnest)', () => {
    const { out, report } = render({ k: 'and', args: [{ k: 'truthy', value: walk }, anyPerm] }, logs, 'GCP.AuditLog');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| unnest jsonMessage.protoPayload.authorizationInfo into authorizationInfoItem');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('read anywhere else (here negated: not any() is true on [] and raises on None), it stays declared', () => {
    const { out } = render({ k: 'not', arg: anyPerm }, logs, 'GCP.AuditLog');
    expect(out.fidelity).toBe('approximate');
    expect(out.text).not.toContain('unnest');
    // beside another deep_walk of the condition: left as it is
    const other: Val = { k: 'fn', fn: 'deep_walk', args: [{ k: 'event' }, lit(['protoPayload', 'methodName']), lit(null), lit('all')] };
    const two = render({ k: 'and', args: [anyPerm, { k: 'cmp', op: 'eq', left: other, right: lit('SetIamPolicy') }] }, logs, 'GCP.AuditLog');
    expect(two.out.text).not.toContain('unnest');
  });
});

describe('computed values on the field', () => {
  it('the truthiness of a piece of a split is the piece not being ""', () => {
    const p: Pred = { k: 'truthy', value: pieceOf(fn('str', get('eventName', '')), '/', 2) };
    const { out, report } = render(p, [{ eventName: 'a/b/c' }, { eventName: 'a/b//d' }, { eventName: 'a/b/' }, { eventName: 'a' }, {}]);
    expect(out.reasons).toEqual([]);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('a piece of str(x).split(d), x holding only strings, is a regex on x; a missing x is the text "None"', () => {
    const p: Pred = { k: 'cmp', op: 'eq', left: pieceOf(fn('str', get('eventName')), '.', -1), right: lit('None') };
    const { out, report } = render(p, [{ eventName: 'a.None' }, { eventName: 'a.b' }, {}]);
    expect(out.reasons).toEqual([]);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
    expect(filters(out.text).join('\n')).toContain('not (ispresent(eventName))');
  });

  it('str(x) of a field that may hold a number stays declared', () => {
    const p: Pred = { k: 'cmp', op: 'eq', left: pieceOf(fn('str', get('customField')), '.', 0), right: lit('a') };
    expect(render(p, [{ customField: 'a.b' }, { customField: 7 }]).out.reasons.map((r) => r.message).join('\n')).toMatch(/str\(\) of customField/);
  });

  it('float(x) of a field holding numbers compared with a number is the comparison of x', () => {
    const p: Pred = { k: 'cmp', op: 'ge', left: fn('float', get('severity', 0)), right: lit(7) };
    const { out, report } = render(p, [{ severity: 8 }, { severity: 2.5 }, {}], 'AWS.GuardDuty');
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter severity >= 7']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });
});

describe('a comparison with a boolean on a field holding strings; a junction a constant piece decides', () => {
  it('x == False on a field the tests hold only as strings: false where x holds one, else the default decides', () => {
    const mfa = at(get('additionalEventData'), 'MFAUsed');
    const eqFalse: Pred = { k: 'cmp', op: 'eq', left: mfa, right: lit(false) };
    const logs: Json[] = [{ additionalEventData: { MFAUsed: 'No' } }, { additionalEventData: { MFAUsed: 'Yes' } }, {}];
    // None == False is False, so the test is false on every event
    const { out, report } = render(eqFalse, logs);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| filter 1 = 0');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    // x != False: true everywhere; with a default False, x == False holds only where x is missing
    expect(render({ k: 'cmp', op: 'ne', left: mfa, right: lit(false) }, logs).out.reasons).toEqual([]);
    const withDefault: Val = { k: 'get', obj: get('additionalEventData'), key: 'MFAUsed', default: lit(false) };
    const d = render({ k: 'cmp', op: 'eq', left: withDefault, right: lit(false) }, logs);
    expect(d.out.reasons).toEqual([]);
    expect(filters(d.out.text)).toEqual(['| filter not (ispresent(additionalEventData.MFAUsed))']);
    expect(d.report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    // a field the tests also hold as a boolean is no string field
    expect(render(eqFalse, [...logs, { additionalEventData: { MFAUsed: true } }]).out.reasons.map((r) => r.code)).toContain('target-unsupported-construct');
  });

  it('an `and` with a piece that is false is false: the reasons of the pieces it drops go', () => {
    // isinstance(x, float) is false on a field holding integral numbers; the list test beside it would be declared
    const code = at(get('responseStatus'), 'code');
    const p: Pred = { k: 'and', args: [{ k: 'istype', value: code, type: 'float' }, { k: 'truthy', value: get('sourceIPs') }] };
    const logs: Json[] = [{ responseStatus: { code: 403 }, sourceIPs: [{ ip: '1' }, null] }, { responseStatus: { code: 200 } }];
    const { out, report } = render(p, logs, 'Amazon.EKS.Audit');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| filter 1 = 0');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    // in an `or`, the piece that is false decides nothing: the other's reason stays
    const q: Pred = { k: 'or', args: [{ k: 'istype', value: code, type: 'float' }, { k: 'truthy', value: get('sourceIPs') }] };
    expect(render(q, logs, 'Amazon.EKS.Audit').out.reasons.map((r) => r.code)).toContain('target-unsupported-construct');
  });
});
