/**
 * Logs Insights: a test on `str(x)` of a field written as the same test on `x` where the field's type
 * makes them agree (src/targets/common/strval.ts), read back by the evaluator and run against Python's own
 * evaluation of the condition.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { lit, renderProved } from './support.js';

const get = (key: string, def?: Json): Val => ({ k: 'get', obj: { k: 'event' }, key, ...(def !== undefined ? { default: lit(def) } : {}) });
const str = (v: Val): Val => ({ k: 'fn', fn: 'str', args: [v] });

/** Render for a log type, then read back on the logs (each with Python's answer as its expectation). */
const render = (cond: Pred, logs: Json[], logType = 'AWS.CloudTrail') => renderProved('cwl', 'T.Str', cond, logs, logType);

const computed = (out: { reasons: { code: string }[] }) => out.reasons.filter((x) => x.code === 'target-computed-value');

describe('str() of a string field', () => {
  it('str(x) == "v" is x = "v" (the mapping types eventName a string); a missing field is "None" in Python and absent here', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: str(get('eventName')), right: lit('ConsoleLogin') };
    const { out, report } = render(eq, [{ eventName: 'ConsoleLogin' }, { eventName: 'GetObject' }, {}]);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| filter eventName = "ConsoleLogin"');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('a negated test holds where the field is missing (str(None) != "v"): stated with ispresent()', () => {
    const ne: Pred = { k: 'not', arg: { k: 'cmp', op: 'eq', left: str(get('userAgent')), right: lit('console.amazonaws.com') } };
    const { out, report } = render(ne, [{ userAgent: 'console.amazonaws.com' }, { userAgent: 'aws-cli/2' }, {}]);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('not (ispresent(userAgent))');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('a substring test on str(x): false on a missing field in both (where x.startswith would raise)', () => {
    const sw: Pred = { k: 'match', kind: 'startswith', value: str(get('eventName')), pattern: 'Delete' };
    const { out, report } = render(sw, [{ eventName: 'DeleteBucket' }, { eventName: 'PutBucket' }, {}]);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('eventName =~ /^Delete/');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
    // "No" starts "None": Python's str(None).startswith("No") is True where the field is missing
    const no: Pred = { k: 'match', kind: 'startswith', value: str(get('eventName')), pattern: 'No' };
    const r2 = render(no, [{ eventName: 'NoSuchThing' }, { eventName: 'PutBucket' }, {}]);
    expect(computed(r2.out)).toHaveLength(1);
  });

  it('the test is on str(default) where the field is missing', () => {
    const d: Pred = { k: 'cmp', op: 'eq', left: str(get('eventName', '')), right: lit('') };
    const { out, report } = render(d, [{ eventName: '' }, { eventName: 'x' }, {}]);
    expect(out.reasons).toEqual([]);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('str(x) == "None" is true on a missing field, which no test on x states: declared', () => {
    const none: Pred = { k: 'cmp', op: 'eq', left: str(get('eventName')), right: lit('None') };
    expect(computed(render(none, [{ eventName: 'None' }, {}]).out)).toHaveLength(1);
  });

  it('a field the tests hold only as strings (no mapping type) reads so; one they also hold as a number does not', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: str(get('customField')), right: lit('7') };
    const { out, report } = render(eq, [{ customField: '7' }, { customField: 'x' }, {}]);
    expect(out.reasons).toEqual([]);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
    const mixed = render(eq, [{ customField: '7' }, { customField: 7 }, { customField: 8 }]);
    expect(computed(mixed.out)).toHaveLength(1);
    // no test holds the field at all: its type is unknown
    expect(computed(render(eq, [{ other: 1 }]).out)).toHaveLength(1);
  });
});

describe('str() of a field the mapping types as an integer', () => {
  it('str(x) in ["13", "20", "020"] is x in [13, 20]: "020" is no int\'s text', () => {
    const p: Pred = { k: 'in', value: str(get('event_type_id')), list: ['13', '20', '020'] };
    const { out, report } = render(p, [{ event_type_id: 13 }, { event_type_id: 20 }, { event_type_id: 5 }, {}], 'OneLogin.Events');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('`event_type_id` in [13, 20]');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
  });

  it('str(x) != "5" holds where x is missing; "05" matches no int (the test is a constant)', () => {
    const ne: Pred = { k: 'not', arg: { k: 'cmp', op: 'eq', left: str(get('event_type_id')), right: lit('5') } };
    const { out, report } = render(ne, [{ event_type_id: 5 }, { event_type_id: 6 }, {}], 'OneLogin.Events');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('not (ispresent(`event_type_id`))');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
    const never: Pred = { k: 'cmp', op: 'eq', left: str(get('event_type_id')), right: lit('05') };
    const r2 = render(never, [{ event_type_id: 5 }, {}], 'OneLogin.Events');
    expect(r2.out.reasons).toEqual([]);
    expect(r2.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 2 });
  });

  it('tests that hold the field as a string contradict the mapping: declared', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: str(get('event_type_id')), right: lit('5') };
    expect(computed(render(eq, [{ event_type_id: '5' }, { event_type_id: '6' }], 'OneLogin.Events').out)).toHaveLength(1);
  });

  it('a prefix test on the digits is not a number test: declared', () => {
    const sw: Pred = { k: 'match', kind: 'startswith', value: str(get('event_type_id')), pattern: '1' };
    expect(computed(render(sw, [{ event_type_id: 13 }, { event_type_id: 5 }], 'OneLogin.Events').out)).toHaveLength(1);
  });
});
