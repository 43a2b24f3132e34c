/**
 * What a dynamic member that is not null says of the values it is read from (src/targets/common/outctx.ts,
 * kqlReading): `tostring(P.k) == "v"` (and the other ways a member shows it is not null) make P a
 * non-empty property bag, so the tests of P beside it (`gettype(P) == "dictionary"`, `truthy(P)`,
 * `isnotnull(P)`, `coalesce(array_length(bag_keys(P)), 0) != 0`) and, for P = parse_json(s), the test
 * `isnotempty(s)` are decided. One case per rewrite, the cases where it must not apply, and equivalence
 * over every world of a small model of Kusto's dynamic values: three-valued for the reading without
 * `held`, and where-true (the rows a `where` keeps) for the reading with it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, or, outConjuncts, printOut, text, type Out } from '../src/targets/common/out.js';
import { kqlReading, KQL_READING, simplifyInContext, type Reading } from '../src/targets/common/outctx.js';
import { parsedColumns } from '../src/targets/kql/index.js';

type V = boolean | null;
type J = null | string | number | boolean | J[] | { [k: string]: J };

const SYN = { and: ' and ', or: ' or ', true: 'true', false: 'false' };
const run = (o: Out, r: Reading): Out => simplifyInContext(o, r, { and, or });
const Jn = (k: 'and' | 'or', ...args: Out[]): Out => ({ k, args });
const t = text;
/** `R` is the column `extend R = parse_json(j)` defines. */
const DEFS = parsedColumns(['extend R = parse_json(j)']);
const WHERE = kqlReading(DEFS, { held: true });
const KLEENE = kqlReading(DEFS);
const where = (...cs: string[]): string[] => outConjuncts(Jn('and', ...cs.map(t)), WHERE).map((c) => printOut(c, SYN));

// ---------------------------------------------------------------------------------------------
// A model of the dynamic values (learn.microsoft.com/kusto/query/scalar-data-types/dynamic): a member of a
// value that is not a bag holding the key is null; tostring(null) is "" (tostring-function); the
// conversion of a value it cannot read is null and a comparison with null is null (null-values)

interface World {
  d: J; // a dynamic column
  j: string; // a string column holding JSON text (or not)
}
const D_VALUES: J[] = [null, 's', [], ['v'], ['w', 'v'], {}, { a: null }, { a: 'v' }, { a: 'w' }, { a: true }, { a: 5 }, { a: {} }, { a: { b: 'v' } }, { a: { b: 5 } }, { a: { b: null } }, { a: [1] }, { a: ['v', 'w'] }, { a: [] }];
const J_VALUES = ['', 'x', '"str"', '{}', '[]', '{"a":"v"}', '{"a":{"b":5}}', '{"a":{"b":"v"}}', '5'];
const WORLDS: World[] = D_VALUES.flatMap((d) => J_VALUES.map((j) => ({ d, j })));

const isBag = (v: J): v is { [k: string]: J } => typeof v === 'object' && v !== null && !Array.isArray(v);
const member = (v: J, k: string): J => (isBag(v) && Object.prototype.hasOwnProperty.call(v, k) ? v[k]! : null);
const elem = (v: J, i: number): J => (Array.isArray(v) && i < v.length ? v[i]! : null);
const alen = (v: J): number | null => (Array.isArray(v) ? v.length : null);
function parseJson(s: string): J {
  if (s === '') return null;
  try {
    return JSON.parse(s) as J;
  } catch {
    return s;
  }
}
const tostr = (v: J): string => (v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const gettype = (v: J): string =>
  v === null ? 'null' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'long' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'dictionary';
/** The query's truthy() (kql/printer.ts TRUTHY_FN). */
const truthy = (v: J): boolean =>
  typeof v === 'string' ? v.length > 0 : typeof v === 'number' ? v !== 0 : typeof v === 'boolean' ? v : Array.isArray(v) ? v.length > 0 : isBag(v) ? Object.keys(v).length > 0 : v !== null;
const toreal = (v: J): number | null => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : null);
const tobool = (v: J): boolean | null => (typeof v === 'boolean' ? v : null);
const cmp = (a: number | null, f: (x: number) => boolean): V => (a === null ? null : f(a));

const R = (w: World): J => parseJson(w.j);
const TEXTS: Record<string, (w: World) => V> = {
  'tostring(d.a) == "v"': (w) => tostr(member(w.d, 'a')) === 'v',
  'tostring(d.a) != "v"': (w) => tostr(member(w.d, 'a')) !== 'v',
  'tostring(d.a) == ""': (w) => tostr(member(w.d, 'a')) === '',
  'tostring(d["a"]) in ("v", "w")': (w) => ['v', 'w'].includes(tostr(member(w.d, 'a'))),
  'tostring(d.a.b) startswith_cs "v"': (w) => tostr(member(member(w.d, 'a'), 'b')).startsWith('v'),
  'isnotempty(tostring(d.a))': (w) => tostr(member(w.d, 'a')) !== '',
  'isnotnull(d.a)': (w) => member(w.d, 'a') !== null,
  'isnull(d)': (w) => w.d === null,
  'gettype(d) == "dictionary"': (w) => gettype(w.d) === 'dictionary',
  'gettype(d) == "string"': (w) => gettype(w.d) === 'string',
  'gettype(d.a) == "dictionary"': (w) => gettype(member(w.d, 'a')) === 'dictionary',
  'gettype(d.a.b) in ("long", "int")': (w) => gettype(member(member(w.d, 'a'), 'b')) === 'long',
  'truthy(d)': (w) => truthy(w.d),
  'truthy(d.a)': (w) => truthy(member(w.d, 'a')),
  'coalesce(array_length(bag_keys(d)), 0) == 0': (w) => !isBag(w.d) || Object.keys(w.d).length === 0,
  'coalesce(array_length(bag_keys(d.a)), 0) != 0': (w) => isBag(member(w.d, 'a')) && Object.keys(member(w.d, 'a') as object).length > 0,
  'toreal(d.a.b) > 3': (w) => cmp(toreal(member(member(w.d, 'a'), 'b')), (x) => x > 3),
  'toreal(d.a.b) <= 3': (w) => cmp(toreal(member(member(w.d, 'a'), 'b')), (x) => x <= 3),
  'toreal(d.a.b) != 3': (w) => cmp(toreal(member(member(w.d, 'a'), 'b')), (x) => x !== 3),
  'tobool(d.a) == true': (w) => {
    const b = tobool(member(w.d, 'a'));
    return b === null ? null : b === true;
  },
  'tostring(d[1]) == "v"': (w) => tostr(elem(w.d, 1)) === 'v',
  'tostring(d[0]) == "v"': (w) => tostr(elem(w.d, 0)) === 'v',
  'tostring(d.a[0]) == "v"': (w) => tostr(elem(member(w.d, 'a'), 0)) === 'v',
  'tostring(d.a[1]) in ("v", "w")': (w) => ['v', 'w'].includes(tostr(elem(member(w.d, 'a'), 1))),
  'array_length(d) >= 2': (w) => cmp(alen(w.d), (x) => x >= 2),
  'array_length(d) >= 1': (w) => cmp(alen(w.d), (x) => x >= 1),
  'array_length(d.a) >= 2': (w) => cmp(alen(member(w.d, 'a')), (x) => x >= 2),
  'array_length(d.a) < 1': (w) => cmp(alen(member(w.d, 'a')), (x) => x < 1),
  'coalesce(array_length(d.a), 0) != 0': (w) => (alen(member(w.d, 'a')) ?? 0) !== 0,
  'gettype(d.a) == "array"': (w) => gettype(member(w.d, 'a')) === 'array',
  'isnotempty(j)': (w) => w.j !== '',
  'isempty(j)': (w) => w.j === '',
  'gettype(R) == "dictionary"': (w) => gettype(R(w)) === 'dictionary',
  'truthy(R)': (w) => truthy(R(w)),
  'tostring(R.a) == "v"': (w) => tostr(member(R(w), 'a')) === 'v',
  'toreal(R.a.b) > 3': (w) => cmp(toreal(member(member(R(w), 'a'), 'b')), (x) => x > 3),
};

const kNot = (a: V): V => (a === null ? null : !a);
function leaf(s: string, w: World): V {
  const f = TEXTS[s];
  if (f) return f(w);
  const m = /^not\((.*)\)$/s.exec(s);
  if (m) return kNot(leaf(m[1]!, w));
  throw new Error(`no value for the text ${s}`);
}
function value(o: Out, w: World): V {
  if (o.k === 'const') return o.v;
  if (o.k === 'text') return leaf(o.s, w);
  const vs = o.args.map((a) => value(a, w));
  if (o.k === 'and') return vs.includes(false) ? false : vs.includes(null) ? null : true;
  return vs.includes(true) ? true : vs.includes(null) ? null : false;
}

function arbOut(texts: string[]): fc.Arbitrary<Out> {
  const { tree } = fc.letrec<{ tree: Out }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...texts).map(text),
      fc.tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(tie('tree'), { minLength: 2, maxLength: 4 })).map(([k, args]) => Jn(k, ...args)),
    ),
  }));
  return tree;
}
const POOL = [...Object.keys(TEXTS), ...Object.keys(TEXTS).map((s) => `not(${s})`)];

// ---------------------------------------------------------------------------------------------

describe('KQL: a member that is not null decides the tests of what it is read from', () => {
  it('a string test of a member: the bag, truthiness and non-empty tests of the parsed column beside it go', () => {
    expect(where('isnotempty(j)', 'truthy(R)', 'gettype(R) == "dictionary"', 'tostring(R.a) == "v"')).toEqual(['tostring(R.a) == "v"']);
  });
  it('every level of the path: d.a.b read makes d.a and d bags with a key', () => {
    expect(where('truthy(d)', 'gettype(d.a) == "dictionary"', 'isnotnull(d.a)', 'coalesce(array_length(bag_keys(d.a)), 0) != 0', 'tostring(d.a.b) startswith_cs "v"')).toEqual([
      'tostring(d.a.b) startswith_cs "v"',
    ]);
  });
  it('a bracketed key, a list of constants, a type test, isnotnull and truthy of the member say the same', () => {
    for (const m of ['tostring(d["a"]) in ("v", "w")', 'gettype(d.a) == "dictionary"', 'isnotnull(d.a)', 'truthy(d.a)', 'isnotempty(tostring(d.a))']) {
      expect(where('gettype(d) == "dictionary"', m)).toEqual([m]);
    }
  });
  it('a bag is no other type: not(gettype(d) == "string") beside a member test goes, gettype(d) == "string" is false', () => {
    expect(where('not(gettype(d) == "string")', 'tostring(d.a) == "v"')).toEqual(['tostring(d.a) == "v"']);
    expect(where('gettype(d) == "string"', 'tostring(d.a) == "v"')).toEqual(['false']);
  });
  it('in an or, a failed negated member test decides the others (not(truthy(d)) or not(gettype(d.a.b) in ...))', () => {
    const o = Jn('or', t('not(truthy(d))'), t('not(gettype(d.a.b) in ("long", "int"))'), t('toreal(d.a.b) <= 3'));
    expect(printOut(run(o, WHERE), SYN)).toBe('not(gettype(d.a.b) in ("long", "int")) or toreal(d.a.b) <= 3');
  });
  it('an element: d.a[1] read makes d.a an array of two elements or more, and d a bag', () => {
    expect(where('array_length(d.a) >= 2', 'gettype(d.a) == "array"', 'coalesce(array_length(d.a), 0) != 0', 'truthy(d)', 'tostring(d.a[1]) in ("v", "w")')).toEqual([
      'tostring(d.a[1]) in ("v", "w")',
    ]);
    // an or of length guards and element tests (a split's pieces): the guard goes where its element is read
    const o = Jn('or', Jn('and', t('array_length(d) >= 2'), t('tostring(d[1]) == "v"')), t('truthy(d.a)'));
    expect(printOut(run(o, WHERE), SYN)).toBe('tostring(d[1]) == "v" or truthy(d.a)');
    // array_length(d.a) >= 2 where the rows are kept: d.a is an array, so d is a bag
    expect(where('truthy(d)', 'array_length(d.a) >= 2')).toEqual(['array_length(d.a) >= 2']);
    // a length guard that asks for more than the element read stays
    expect(where('array_length(d) >= 2', 'tostring(d[0]) == "v"')).toEqual(['array_length(d) >= 2', 'tostring(d[0]) == "v"']);
  });
  it('where the rows are kept: a comparison of a conversion says its member is not null (Reading.held)', () => {
    expect(where('gettype(R) == "dictionary"', 'isnotempty(j)', 'toreal(R.a.b) > 3')).toEqual(['toreal(R.a.b) > 3']);
    expect(where('truthy(d)', 'tobool(d.a) == true')).toEqual(['tobool(d.a) == true']);
    expect(where('truthy(d.a)', 'toreal(d.a.b) <= 3')).toEqual(['toreal(d.a.b) <= 3']);
  });
});

describe('KQL: what the member facts leave alone', () => {
  it('a test that holds on null or on "" says nothing: !=, == "", toreal(...) != 3', () => {
    for (const m of ['tostring(d.a) != "v"', 'tostring(d.a) == ""', 'toreal(d.a.b) != 3', 'not(tostring(d.a) == "v")']) {
      expect(where('truthy(d)', m)).toEqual(['truthy(d)', m]);
    }
  });
  it('without the extend that defines it, a column is not known to parse a string', () => {
    const o = Jn('and', t('isnotempty(j)'), t('tostring(R.a) == "v"'));
    expect(outConjuncts(o, kqlReading(new Map(), { held: true })).map((c) => printOut(c, SYN))).toEqual(['isnotempty(j)', 'tostring(R.a) == "v"']);
  });
  it('a comparison that may be null decides nothing where a null and a false differ (a quantifier body; the reading without held)', () => {
    const o = Jn('and', t('truthy(d.a)'), t('toreal(d.a.b) > 3'));
    expect(run(o, KQL_READING)).toBe(o);
    expect(run(o, KLEENE)).toBe(o);
  });
  it('parsedColumns reads only `extend R = parse_json(s)` stages', () => {
    expect([...parsedColumns(['extend LogJson = parse_json(log_s)', 'extend X = split(a, "/")', 'extend B = parse_json(tostring(c.d))'])]).toEqual([
      ['LogJson', 'log_s'],
      ['B', 'tostring(c.d)'],
    ]);
  });
});

describe('equivalence over every world of the model', () => {
  it('without held: the same value (true, false or null) in every world', () => {
    let changed = 0;
    fc.assert(
      fc.property(arbOut(POOL), (o) => {
        const s = run(o, KLEENE);
        if (s !== o) changed++;
        return WORLDS.every((w) => value(s, w) === value(o, w));
      }),
      { numRuns: 3000, seed: 20261206 },
    );
    expect(changed).toBeGreaterThan(300);
  });
  it('with held: true in exactly the same worlds (the rows a where keeps)', () => {
    let changed = 0;
    fc.assert(
      fc.property(arbOut(POOL), (o) => {
        const s = run(o, WHERE);
        if (s !== o) changed++;
        return WORLDS.every((w) => (value(s, w) === true) === (value(o, w) === true));
      }),
      { numRuns: 3000, seed: 20261207 },
    );
    expect(changed).toBeGreaterThan(300);
  });
  it('the check is not vacuous: a reading that takes != for a not-null test is caught', () => {
    const wrong: Reading = {
      ...WHERE,
      implied: (l) => (l.key === 'tostring(d.a) == "v"' && l.neg ? [{ key: 'isnull(d)', neg: true }, { key: 'truthy(d)', neg: false }] : WHERE.implied(l)),
    };
    expect(() =>
      fc.assert(
        fc.property(arbOut(['tostring(d.a) != "v"', 'truthy(d)', 'isnull(d)', 'not(truthy(d))']), (o) => {
          const s = run(o, wrong);
          return WORLDS.every((w) => (value(s, w) === true) === (value(o, w) === true));
        }),
        { numRuns: 2000, seed: 3 },
      ),
    ).toThrow();
  });
});
