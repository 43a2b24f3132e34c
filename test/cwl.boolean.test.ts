/**
 * Logs Insights: a JSON boolean is discovered as the number 1 (true) or 0 (false) (observed by users:
 * aws-powertools/powertools-lambda-dotnet#667; src/mapping/project/cwl.ts). Tests on a field typed boolean
 * (by the mapping, or only booleans in the rule's tests) are written with 1/0 (src/targets/cwl/printer.ts
 * `boolField`), read back by the evaluator and run against Python's own evaluation of the condition.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Pred } from '../src/ast/types.js';
import { getField as get, lit, predTrees, renderProved } from './support.js';

/** Render for a log type, then read back on the logs (each with Python's answer as its expectation). */
const render = (cond: Pred, logs: Json[], logType = 'AWS.CloudTrail') => renderProved('cwl', 'T.Bool', cond, logs, logType);

const filters = (text: string) => text.split('\n').filter((l) => l.startsWith('| filter'));
const isTrue = (key: string): Pred => ({ k: 'and', args: [{ k: 'istype', value: get(key), type: 'bool' }, { k: 'cmp', op: 'eq', left: get(key), right: lit(true) }] });

describe('a field the tests hold only as booleans', () => {
  it('`x is True` is `x = 1` (the type test adds nothing beside the comparison)', () => {
    const { out, report } = render(isTrue('flagged'), [{ flagged: true }, { flagged: false }, {}]);
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter flagged = 1']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('`not x` holds where x is missing: stated with ispresent()', () => {
    const { out, report } = render({ k: 'not', arg: { k: 'truthy', value: get('flagged') } }, [{ flagged: true }, { flagged: false }, {}]);
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter not (ispresent(flagged)) or flagged = 0']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('`x in (False, "false")`: no string equals a boolean, False is 0', () => {
    const { out, report } = render({ k: 'in', value: get('flagged'), list: [false, 'false'] }, [{ flagged: true }, { flagged: false }, {}]);
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter flagged = 0']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('a comparison with a number is the comparison with 1/0 (Python: True == 1, False < 1)', () => {
    const { out, report } = render({ k: 'cmp', op: 'lt', left: get('flagged', false), right: lit(1) }, [{ flagged: true }, { flagged: false }, {}]);
    expect(out.reasons).toEqual([]);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('no boolean equals a string: `x == "true"` is false where x holds one, its default decides where x is missing', () => {
    const { out, report } = render({ k: 'cmp', op: 'ne', left: get('flagged', ''), right: lit('') }, [{ flagged: true }, { flagged: false }, {}]);
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter ispresent(flagged)']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });
});

describe('the mapping types the field boolean', () => {
  it('CloudTrail readOnly == False is `readOnly = 0`', () => {
    const { out, report } = render({ k: 'cmp', op: 'eq', left: get('readOnly'), right: lit(false) }, [{ readOnly: false }, { readOnly: true }, {}]);
    expect(out.reasons).toEqual([]);
    expect(filters(out.text)).toEqual(['| filter readOnly = 0']);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });
});

describe('still refused', () => {
  const msg = (cond: Pred, logs: Json[]) =>
    render(cond, logs)
      .out.reasons.map((r) => r.message)
      .join('\n');

  it('a field the tests also hold as a string or a number ("true" is no True, 2 is truthy)', () => {
    expect(msg({ k: 'truthy', value: get('flag') }, [{ flag: true }, { flag: 'false' }])).toMatch(/cannot be expressed/);
    expect(msg({ k: 'cmp', op: 'eq', left: get('flag'), right: lit(true) }, [{ flag: true }, { flag: 2 }])).toMatch(/cannot be expressed/);
  });

  it('a field no test holds (its type unknown)', () => {
    expect(msg({ k: 'cmp', op: 'eq', left: get('flag'), right: lit(true) }, [{ other: 'x' }])).toMatch(/a comparison with a boolean/);
  });

  it('a comparison of a boolean field with a field the tests hold as a string', () => {
    expect(msg({ k: 'cmp', op: 'ne', left: get('flag'), right: get('other') }, [{ flag: true, other: 'false' }, { flag: false, other: 'x' }])).toMatch(/a boolean in the rule's tests/);
  });
});

describe('two boolean fields compared (printer.ts boolPair; cwl.relation.test.ts reads every default)', () => {
  it('x != y: the number comparison where both are present, each missing one read as Python reads None', () => {
    const logs: Json[] = [{ flag: true, other: false }, { flag: false, other: false }, { flag: true }, { other: false }, {}];
    const { out, report } = render({ k: 'cmp', op: 'ne', left: get('flag'), right: get('other') }, logs);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('not (flag = other)');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
  });
});

describe('random conditions on boolean fields', () => {
  const key = fc.constantFrom('flagA', 'flagB');
  const value = fc.tuple(key, fc.constantFrom<Json | undefined>(undefined, true, false, null)).map(([k, d]) => get(k, d));
  const scalar = fc.constantFrom<Json>(true, false, 0, 1, 2, -1);
  const leaf: fc.Arbitrary<Pred> = fc.oneof(
    value.map((v): Pred => ({ k: 'truthy', value: v })),
    value.map((v): Pred => ({ k: 'exists', value: v })),
    fc.tuple(value, fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge') as fc.Arbitrary<'eq'>, scalar).map(([v, op, s]): Pred => ({ k: 'cmp', op, left: v, right: lit(s) })),
    fc.tuple(value, fc.subarray<Json>([true, false, 'true', 'False', 1, 0, 2], { minLength: 1 })).map(([v, list]): Pred => ({ k: 'in', value: v, list })),
    fc.tuple(key, fc.boolean(), fc.constantFrom<'bool' | 'int'>('bool', 'int')).map(([k, b, type]): Pred => ({ k: 'and', args: [{ k: 'istype', value: get(k), type }, { k: 'cmp', op: 'eq', left: get(k), right: lit(b) }] })),
  );
  const field = fc.constantFrom<Json | undefined>(undefined, true, false, null);
  const log = fc.tuple(field, field).map(([a, b]) => {
    const o: Record<string, Json> = {};
    if (a !== undefined) o.flagA = a;
    if (b !== undefined) o.flagB = b;
    return o as Json;
  });

  it('agree with Python (the exact ones on every test)', () => {
    let exact = 0;
    fc.assert(
      fc.property(predTrees(leaf), fc.array(log, { minLength: 3, maxLength: 8 }), (cond, logs) => {
        // the tests hold both fields as a boolean (so the rule's tests type them)
        const { out, report } = render(cond, [...logs, { flagA: true, flagB: false }, { flagA: false, flagB: true }]);
        expect(report.tests.failed).toBe(0);
        if (out.fidelity === 'exact') {
          exact++;
          expect(report.tests.notEvaluable).toBe(0);
        }
        // what stays declared: a read with a default where a test holds null (Python reads None, not the
        // default), `is None` on such a read, an isinstance() no sibling decides
        for (const r of out.reasons) expect(r.message).toMatch(/which the rule's tests also hold as null|cannot tell a present null|an isinstance\(\) test/);
      }),
      { numRuns: 300 },
    );
    expect(exact).toBeGreaterThan(100);
  });
});
