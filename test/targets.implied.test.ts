/**
 * A truthiness test that a sibling implies (common/implied.ts): `x and x.k == "v"` is `x.k == "v"`
 * (a falsy x holds no key), `not x or x.k != "v"` is `x.k != "v"`. The rewrite is checked against
 * Python's evaluation of the original on random conditions and values of x (mappings, lists, scalars,
 * falsy or not); Sigma writes what is left, with no truthiness of a mapping to declare.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalPred, PyError } from '../src/ast/evaluate.js';
import type { Json, Pred, Rule, Val } from '../src/ast/types.js';
import type { PathSeg } from '../src/ast/view.js';
import type { FieldMapper, LogSource, MappedField, TargetName, Unmapped } from '../src/mapping/types.js';
import { dropImpliedTruthy } from '../src/targets/common/implied.js';
import { simplify, toNnf, type Nnf } from '../src/targets/common/nnf.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { evalNnfBy, predTrees } from './support.js';

const ev: Val = { k: 'event' };
const lit = (v: Json): Val => ({ k: 'lit', v });
/** `event.deep_get(*path, default=d)`. */
const deep = (path: string, d?: Json): Val => {
  const keys = path.split('.');
  return keys.reduce<Val>((obj, key, i) => ({ k: 'get', obj, key, deep: true, ...(i === keys.length - 1 && d !== undefined ? { default: lit(d) } : {}) }), ev);
};
const and = (...args: Pred[]): Pred => ({ k: 'and', args });
const or = (...args: Pred[]): Pred => ({ k: 'or', args });
const not = (arg: Pred): Pred => ({ k: 'not', arg });
const truthy = (path: string): Pred => ({ k: 'truthy', value: deep(path) });
const eq = (path: string, v: Json, d?: Json): Pred => ({ k: 'cmp', op: 'eq', left: deep(path, d), right: lit(v) });
const isNone = (path: string): Pred => ({ k: 'exists', value: deep(path) });

function evalNnf(n: Nnf, event: Json): boolean {
  return evalNnfBy(n, (l) => evalPred(l.atom, { event, elems: [] }) !== l.neg);
}

const count = (n: Nnf, k: string): number => (n.k === 'lit' ? (n.atom.k === k ? 1 : 0) : n.k === 'and' || n.k === 'or' ? n.args.reduce((s, a) => s + count(a, k), 0) : 0);

describe('dropImpliedTruthy is an exact rewrite', () => {
  const leaves: fc.Arbitrary<Pred> = fc.oneof(
    fc.constantFrom('a', 'a.k', 'a.k.m', 'b').map(truthy),
    fc.constantFrom('a.k', 'a.k.m', 'b').map((p) => eq(p, 'v')),
    fc.constantFrom('a.k', 'b').map((p) => eq(p, '', '')),
    fc.constantFrom('a.k', 'a.k.m').map((p) => eq(p, 'v', 'v')),
    fc.constantFrom('a.k', 'b').map(isNone),
  );
  const tree = predTrees(leaves);
  const A: (Json | undefined)[] = [undefined, null, {}, [], '', 0, false, 'x', 5, true, ['v'], { k: 'v' }, { k: null }, { k: '' }, { k: { m: 'v' } }, { k: {} }, { m: 1 }];
  const events = fc.record({ a: fc.constantFrom(...A), b: fc.constantFrom(undefined, null, '', 'v') }).map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as Json);

  it('agrees with Python on every event', () => {
    fc.assert(
      fc.property(tree, events, (p, e) => {
        expect(evalNnf(dropImpliedTruthy(simplify(toNnf(p))), e)).toBe(evalPred(p, { event: e, elems: [] }));
      }),
      { numRuns: 4000 },
    );
  });

  it('drops x beside a test false on a missing x.k, and not x beside one true there', () => {
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), eq('a.k', 'v'))))), 'truthy')).toBe(0);
    expect(count(dropImpliedTruthy(simplify(toNnf(or(not(truthy('a')), not(eq('a.k', 'v')))))), 'truthy')).toBe(0);
    // chains: a and a.k and a.k.m == "v"
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), truthy('a.k'), eq('a.k.m', 'v'))))), 'truthy')).toBe(0);
    // both branches of an `or` need a.k
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), or(eq('a.k', 'v'), eq('a.k.m', 'v')))))), 'truthy')).toBe(0);
  });

  it('keeps x where the sibling may hold on a missing x.k, or reads another field', () => {
    // a.k == "v" with the default "v" holds where a.k is missing
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), eq('a.k', 'v', 'v'))))), 'truthy')).toBe(1);
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), or(eq('a.k', 'v'), eq('b', 'v')))))), 'truthy')).toBe(1);
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), not(eq('a.k', 'v')))))), 'truthy')).toBe(1);
    // `event["a"]["k"]` raises where a is missing: never a justification for dropping
    const strict: Val = { k: 'get', obj: { k: 'get', obj: ev, key: 'a', strict: true }, key: 'k', strict: true };
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), { k: 'cmp', op: 'eq', left: strict, right: lit('v') })))), 'truthy')).toBe(1);
  });
});

describe('dropImpliedTruthy with strTests: a string test on x itself', () => {
  const m = (kind: 'startswith' | 'contains' | 'regex', pattern: string): Pred => ({ k: 'match', kind, value: deep('a'), pattern, ...(kind === 'regex' ? { anchor: 'search' } : {}) }) as Pred;
  const leaves: fc.Arbitrary<Pred> = fc.oneof(
    fc.constant(truthy('a')),
    fc.constant(m('startswith', 'v')),
    fc.constant(m('contains', 'v')),
    fc.constant(m('regex', 'v+')),
    fc.constant(m('regex', 'x*')), // matches "": justifies nothing
    fc.constant(eq('a', 'v')),
    fc.constant(eq('a', 'v', 'v')), // true where a is missing: justifies nothing
    fc.constant<Pred>({ k: 'in', value: deep('a'), list: ['v', 'w'] }),
    fc.constant(isNone('a')),
  );
  const tree = predTrees(leaves);
  const A: (Json | undefined)[] = [undefined, null, '', 'v', 'vw', 'x', 0, false, [], {}, 5, ['v'], { v: 1 }];
  const events = fc.constantFrom(...A).map((a) => (a === undefined ? {} : { a }) as Json);
  /** The target's reading: a string test false where Python raises (a value that is not a string, an absent field). */
  function evalTarget(n: Nnf, event: Json): boolean {
    return evalNnfBy(n, (l) => {
      let v: boolean;
      try {
        v = evalPred(l.atom, { event, elems: [] });
      } catch (e) {
        if (!(e instanceof PyError)) throw e;
        v = false;
      }
      return v !== l.neg;
    });
  }

  it('agrees with Python wherever the original does not raise', () => {
    fc.assert(
      fc.property(tree, events, (p, e) => {
        let expected: boolean;
        try {
          expected = evalPred(p, { event: e, elems: [] });
        } catch (err) {
          if (err instanceof PyError) return; // the rule errors: no alert, whatever the target reads
          throw err;
        }
        const n = simplify(toNnf(p));
        const after = dropImpliedTruthy(n, { strTests: true });
        // the rewrite only drops truthiness tests; where it keeps them all it is the condition as it was
        if (count(after, 'truthy') === count(n, 'truthy')) return;
        expect(evalTarget(after, e)).toBe(expected);
      }),
      { numRuns: 4000 },
    );
  });

  it('drops `not x` before x.startswith(p), keeps it before a regex matching ""', () => {
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), m('startswith', 'v')))), { strTests: true }), 'truthy')).toBe(0);
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), m('startswith', 'v'))))), 'truthy')).toBe(1);
    expect(count(dropImpliedTruthy(simplify(toNnf(or(not(truthy('a')), not(m('regex', 'v+'))))), { strTests: true }), 'truthy')).toBe(0);
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), m('regex', 'x*')))), { strTests: true }), 'truthy')).toBe(1);
    expect(count(dropImpliedTruthy(simplify(toNnf(and(truthy('a'), eq('a', 'v', 'v')))), { strTests: true }), 'truthy')).toBe(1);
  });
});

describe('Sigma leaves out a mapping truthiness its sibling implies', () => {
  const mapper: FieldMapper = {
    logTypes: () => ['GCP.AuditLog'],
    canonicalPath: (_l, p) => p,
    source: (_lt: string, t: TargetName): LogSource => (t === 'sigma' ? { logsource: { product: 'gcp', service: 'gcp.audit' } } : { native: true }),
    resolve: (_lt: string, _t: TargetName, path: PathSeg[]): MappedField | Unmapped => ({ name: path.join('.') }),
  };
  const rule = (condition: Pred, tests: Rule['tests'] = []): Rule => ({
    meta: { id: 'T.Implied', severity: 'Low', enabled: true, logTypes: ['GCP.AuditLog'], tags: [], mitre: [], summaryAttributes: [], file: 'rules/t.yml' },
    condition,
    outputs: [],
    tests,
    reasons: [],
    notes: [],
  });
  const tests: Rule['tests'] = [{ name: 't', expected: true, log: { protoPayload: { methodName: 'm' } } }];

  it('exact where the sibling reads below it; the superset, declared, where none does', () => {
    const out = renderRule(rule(and(truthy('protoPayload'), eq('protoPayload.methodName', 'm', '')), tests), 'sigma', { mapper, templatesDir: defaultTemplatesDir() });
    expect(out.reasons).toEqual([]);
    expect(out.fidelity).toBe('exact');
    expect(out.text).toContain('protoPayload.methodName|cased: m');
    const alone = renderRule(rule(and(truthy('protoPayload'), eq('logName', 'm', '')), tests), 'sigma', { mapper, templatesDir: defaultTemplatesDir() });
    expect(alone.reasons.map((r) => r.code)).toEqual(['target-unsupported-construct']);
  });
});
