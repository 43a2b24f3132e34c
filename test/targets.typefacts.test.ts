/**
 * Type and JSON validity tests a conjoined test decides (common/typefacts.ts): `isinstance(x, Mapping)`
 * beside a test on `x.get("k")`, `not isinstance(x, Mapping)` beside `x in ["a"]`, a validity test beside
 * a test on `json.loads(x)`. The rewrite is exact under the literals' own semantics (a literal fails where
 * Python raises), checked on random conditions and events, and it makes the targets print a field where
 * they printed a computed value and a type test they lack.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalPred, PyError } from '../src/ast/evaluate.js';
import type { Json, Pred, PyType, Val } from '../src/ast/types.js';
import { toNnf, simplify, type Nnf } from '../src/targets/common/nnf.js';
import { dropImpliedTypes } from '../src/targets/common/typefacts.js';
import { evalNnfBy, predTrees, renderProved } from './support.js';

const ev: Val = { k: 'event' };
const lit = (v: Json): Val => ({ k: 'lit', v });
/** `deep_get(event, "a", default=d)`: the field `a`, its default when missing. */
const fld = (name: string, d?: Json): Val => ({ k: 'get', obj: ev, key: name, deep: true, ...(d !== undefined ? { default: lit(d) } : {}) });
/** `x.get(key, d)` (plain: raises on a non-mapping) or `deep_get` (its default there). */
const sub = (obj: Val, key: string, d: Json | undefined, deep: boolean): Val => ({ k: 'get', obj, key, ...(deep ? { deep: true } : {}), ...(d !== undefined ? { default: lit(d) } : {}) });
const json = (x: Val): Val => ({ k: 'fn', fn: 'json', args: [x] });
const istype = (value: Val, type: PyType): Pred => ({ k: 'istype', value, type });
const eq = (left: Val, v: Json): Pred => ({ k: 'cmp', op: 'eq', left, right: lit(v) });
const inList = (value: Val, list: Json[]): Pred => ({ k: 'in', value, list });
const and = (...args: Pred[]): Pred => ({ k: 'and', args });
const or = (...args: Pred[]): Pred => ({ k: 'or', args });
const not = (arg: Pred): Pred => ({ k: 'not', arg });

/**
 * An NNF read with the literals' semantics: a literal holds where its atom evaluates to its polarity, and
 * where the atom raises it fails (Python: the rule errors) or, as a target reads it (no target raises: its
 * operator finds no value there), its atom is false.
 */
function holds(n: Nnf, event: Json, raising: 'fails' | 'atomFalse' = 'fails'): boolean {
  return evalNnfBy(n, (l) => {
    try {
      return evalPred(l.atom, { event, elems: [] }) !== l.neg;
    } catch (e) {
      if (e instanceof PyError) return raising === 'fails' ? false : l.neg;
      throw e;
    }
  });
}

/** Every value's str tests are false on non-strings (the targets' `impliesStr`), and the tests show only text. */
const drop = (n: Nnf): Nnf => dropImpliedTypes(n, { str: () => true, types: () => new Set(['string']) });

const lits = (n: Nnf): string[] => (n.k === 'lit' ? [n.atom.k] : n.k === 'and' || n.k === 'or' ? n.args.flatMap(lits) : []);

describe('dropImpliedTypes', () => {
  const x = fld('x', '-');
  const instance = or(and(istype(x, 'dict'), inList(sub(x, 'value', '-', false), ['big'])), and(not(istype(x, 'dict')), inList(x, ['big'])));

  it('isinstance(x, Mapping) beside a test on x.get(k): the field x.value; not isinstance beside x in [...]: the membership', () => {
    const n = drop(simplify(toNnf(instance)));
    expect(lits(n)).toEqual(['in', 'in']);
    // the mapping's default ("-", no mapping) is never read where x is a mapping: the read is the plain field
    expect(JSON.stringify(n)).not.toContain('"default":{"k":"lit","v":"-"},"deep":true},"key":"value"');
  });

  it('a JSON validity test beside a test on json.loads(x), and isinstance(x, str) beside a test on x.k', () => {
    const d = fld('d', {});
    const p = or(
      and(istype(d, 'str'), { k: 'valid', value: d, format: 'json' }, eq(sub(json(d), 'k', '', true), 'v')),
      and(or(not(istype(d, 'str')), { k: 'valid', value: d, format: 'json' }), eq(sub(d, 'k', '', true), 'v')),
    );
    expect(lits(drop(simplify(toNnf(p))))).toEqual(['cmp', 'cmp']);
  });

  it('an or whose every branch decides it: not isinstance(d, str) or valid(d) beside (str and json.loads(d).k) or (d.k)', () => {
    const d = fld('d', {});
    const excl = or(not(istype(d, 'str')), { k: 'valid', value: d, format: 'json' });
    const p = and(
      excl,
      or(and(istype(d, 'str'), eq(sub(json(d), 'k', '', true), 'v')), and(not(istype(d, 'str')), eq(sub(d, 'k', '', false), 'v'))),
    );
    expect(lits(drop(simplify(toNnf(p))))).toEqual(['cmp', 'cmp']);
    // one branch that says nothing of d: the exclusion stays
    const q = and(excl, or(eq(sub(json(d), 'k', '', true), 'v'), eq(fld('e'), 'v')));
    expect(lits(drop(simplify(toNnf(q))))).toContain('valid');
  });

  it('what it says nothing of stays: a test the default passes, a substring test (membership too), a negated test', () => {
    const x2 = fld('x');
    for (const p of [
      and(istype(x2, 'dict'), eq(sub(x2, 'k', 'v', true), 'v')),
      and(istype(x2, 'dict'), { k: 'match', kind: 'contains', value: x2, pattern: 'k' }),
      and(istype(x2, 'dict'), not(eq(sub(x2, 'k', '', true), 'v'))),
    ]) expect(lits(drop(simplify(toNnf(p))))).toContain('istype');
  });

  const a = fld('a');
  const aD = fld('a', 'none');
  const leaves = fc.oneof(
    fc.constantFrom<Pred>(
      istype(a, 'dict'),
      istype(aD, 'dict'),
      istype(a, 'str'),
      istype(aD, 'str'),
      istype(a, 'list'),
      istype(a, 'int'),
      { k: 'valid', value: a, format: 'json' },
      { k: 'exists', value: sub(a, 'k', undefined, true) },
      { k: 'truthy', value: sub(aD, 'k', '', false) },
      eq(sub(a, 'k', '', true), 'v'),
      eq(sub(a, 'k', 'v', true), 'v'),
      eq(sub(aD, 'k', 'none', false), 'v'),
      eq(sub(sub(a, 'k', {}, true), 'j', '', true), 'v'),
      eq(sub(json(a), 'k', '', true), 'v'),
      eq(a, 'v'),
      eq(aD, 5),
      inList(aD, ['v', 'none']),
      inList(a, ['v', 1]),
      { k: 'match', kind: 'startswith', value: a, pattern: 'v' },
      { k: 'match', kind: 'contains', value: a, pattern: 'k' },
    ),
  );
  const values: (Json | undefined)[] = [undefined, null, 'v', 'none', '{"k": "v"}', '{"k": 1}', 'x{', 5, 1, true, ['v'], { k: 'v' }, { k: 'w' }, { k: { j: 'v' } }, {}];
  const events = fc.constantFrom(...values).map((v) => (v === undefined ? {} : { a: v }) as Json);

  it('is exact on random conditions: the rewritten condition holds exactly where the original does', () => {
    fc.assert(
      fc.property(predTrees(leaves), events, (p, e) => {
        const before = simplify(toNnf(p));
        expect(holds(drop(before), e)).toBe(holds(before, e));
      }),
      { numRuns: 6000 },
    );
  });

  it('is exact where the atoms that raise read as false, as a target reads them (no fact from a raise a target does not make)', () => {
    fc.assert(
      fc.property(predTrees(leaves), events, (p, e) => {
        const before = simplify(toNnf(p));
        expect(holds(drop(before), e, 'atomFalse')).toBe(holds(before, e, 'atomFalse'));
      }),
      { numRuns: 6000 },
    );
  });
});

describe('the targets print the field, proven on Python-decided events', () => {
  // deep_get(event, "requestParameters", "instanceType", default="-"), read as a mapping's "value" or as itself
  const it0 = fld('requestParameters', undefined);
  const itype = sub(it0, 'instanceType', '-', true);
  const cond = and(
    eq(fld('eventName'), 'RunInstances'),
    or(and(istype(itype, 'dict'), inList(sub(itype, 'value', '-', false), ['p4d.24xlarge'])), and(not(istype(itype, 'dict')), inList(itype, ['p4d.24xlarge']))),
  );
  const logs: Json[] = [
    { eventName: 'RunInstances', requestParameters: { instanceType: 'p4d.24xlarge' } },
    { eventName: 'RunInstances', requestParameters: { instanceType: { value: 'p4d.24xlarge' } } },
    { eventName: 'RunInstances', requestParameters: { instanceType: { value: 't3.micro' } } },
    { eventName: 'RunInstances', requestParameters: { instanceType: 't3.micro' } },
    { eventName: 'RunInstances', requestParameters: {} },
    { eventName: 'StopInstances', requestParameters: { instanceType: 'p4d.24xlarge' } },
  ];
  it.each(['sigma', 'kql', 'sentinel'])('%s: exact, and the proof agrees', (t) => {
    const { out, report } = renderProved(t, 'T.TypeFacts', cond, logs);
    expect(out.reasons).toEqual([]);
    expect(out.fidelity).toBe('exact');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: logs.length });
  });
});
