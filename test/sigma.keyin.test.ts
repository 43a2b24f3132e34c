/**
 * Sigma: Python's `"k" in x` on a field holding only mappings is key membership, written as the presence of
 * `x.k` (`|exists: true`, true for a present null as the membership is); refused where x may hold a string
 * (a substring test) or a list (an element test).
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { renderProved } from './support.js';

const ev: Val = { k: 'event' };
const params: Val = { k: 'get', obj: ev, key: 'requestParameters', default: { k: 'lit', v: {} } };
const keyIn = (key: string): Pred => ({ k: 'match', kind: 'contains', value: params, pattern: key });
const eq = (key: string, v: string): Pred => ({ k: 'cmp', op: 'eq', left: { k: 'get', obj: ev, key }, right: { k: 'lit', v } });
const and = (...args: Pred[]): Pred => ({ k: 'and', args });
const not = (arg: Pred): Pred => ({ k: 'not', arg });
const codes = (out: { reasons: { code: string }[] }) => out.reasons.map((r) => r.code);

const objects: Json[] = [
  { eventName: 'UpdateTrail', requestParameters: { owner: 'x', name: 't' } },
  { eventName: 'UpdateTrail', requestParameters: { owner: null } },
  { eventName: 'UpdateTrail', requestParameters: { name: 't' } },
  { eventName: 'UpdateTrail' },
  { eventName: 'DeleteTrail', requestParameters: { owner: 'x' } },
];

describe('Sigma: a key in a mapping', () => {
  it('"owner" in requestParameters: requestParameters.owner|exists: true, exact and proven (a null value too)', () => {
    const { out, report } = renderProved('sigma', 'T.KeyIn', and(eq('eventName', 'UpdateTrail'), keyIn('owner')), objects);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('requestParameters.owner|exists: true');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: objects.length });
  });

  it('negated: a missing mapping reads {} in Python, no key', () => {
    const { out, report } = renderProved('sigma', 'T.KeyIn', and(eq('eventName', 'UpdateTrail'), not(keyIn('owner'))), objects);
    expect(out.reasons).toEqual([]);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: objects.length });
  });

  it('where the field may hold a string or a list, the membership is no key test: refused', () => {
    for (const other of ['owner=x', ['owner']]) {
      const { out } = renderProved('sigma', 'T.KeyIn', and(eq('eventName', 'UpdateTrail'), keyIn('owner')), [...objects, { eventName: 'UpdateTrail', requestParameters: other }]);
      expect(codes(out)).toContain('target-unsupported-construct');
      expect(out.text).not.toContain('|exists: true');
    }
  });
});
