/**
 * The contextual pass over printed conditions (src/targets/common/outctx.ts): one case per rewrite,
 * the cases where a rewrite must not apply (a predicate that can be null, YARA-L's any-element fields),
 * and equivalence in three-valued (Kleene) logic: random conditions over a pool of printed texts, each
 * text a function of a small world (a dynamic member, a nullable number, a string column, an opaque
 * predicate...), evaluated exhaustively over every world before and after the pass. The value must be
 * the same (true, false or null), not only where it is true: a quantifier body is read under not().
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, or, outConjuncts, printOut, text, type Out } from '../src/targets/common/out.js';
import { CWL_READING, KQL_READING, simplifyInContext, YARAL_READING, type Reading } from '../src/targets/common/outctx.js';

type V = boolean | null;
const kNot = (a: V): V => (a === null ? null : !a);
const kAnd = (xs: V[]): V => (xs.includes(false) ? false : xs.includes(null) ? null : true);
const kOr = (xs: V[]): V => (xs.includes(true) ? true : xs.includes(null) ? null : false);

const SYN = { and: ' and ', or: ' or ', true: 'true', false: 'false' };
const CWL_SYN = { ...SYN, parenthesiseAll: true };

/** The pass as the targets run it: tree in, tree out (raw junctions in: no tidying before the pass). */
const run = (o: Out, r: Reading): Out => simplifyInContext(o, r, { and, or });
const J = (k: 'and' | 'or', ...args: Out[]): Out => ({ k, args });
const t = text;
const kql = (o: Out): string => printOut(run(o, KQL_READING), SYN);

// ---------------------------------------------------------------------------------------------
// Worlds and the texts' values in them

interface World {
  x: null | 'a' | 'b' | true; // a dynamic member: null, a string, a bool
  n: null | 0 | 5; // a dynamic number
  s: '' | 'a' | 'b'; // a string column ("" when absent; never null)
  q: V; // an opaque predicate that may be null (ipv4_is_in_any_range)
  f: undefined | '' | 'a'; // a Logs Insights field (absent, empty, a value)
  e1: boolean; // YARA-L: two predicates on one repeated field, independent (any element)
  e2: boolean;
}

const WORLDS: World[] = [];
for (const x of [null, 'a', 'b', true] as const)
  for (const n of [null, 0, 5] as const)
    for (const s of ['', 'a', 'b'] as const)
      for (const q of [true, false, null])
        for (const f of [undefined, '', 'a'] as const)
          for (const e1 of [true, false]) for (const e2 of [true, false]) WORLDS.push({ x, n, s, q, f, e1, e2 });

const str = (w: World): string => (w.x === null ? '' : w.x === true ? 'true' : w.x);
/** The number of pieces of split(r, "/") (r a string column): 2 to 5, from the two YARA-L variables KQL does not read. */
const plen = (w: World): number => 2 + (w.e1 ? 1 : 0) + (w.e2 ? 2 : 0);
const KQL_TEXTS: Record<string, (w: World) => V> = {
  'isnull(x)': (w) => w.x === null,
  'isnotnull(x)': (w) => w.x !== null,
  'gettype(x) == "bool"': (w) => w.x === true,
  'gettype(x) == "string"': (w) => typeof w.x === 'string',
  'gettype(x) in ("string", "long", "int")': (w) => typeof w.x === 'string',
  'tostring(x) == "a"': (w) => str(w) === 'a',
  'tostring(x) != "a"': (w) => str(w) !== 'a',
  'isempty(tostring(x))': (w) => str(w) === '',
  'isnotempty(tostring(x))': (w) => str(w) !== '',
  'truthy(x)': (w) => w.x !== null && w.x !== '',
  'tobool(x) == true': (w) => (w.x === true ? true : null),
  'toreal(n) > 3': (w) => (w.n === null ? null : w.n > 3),
  'toreal(n) <= 3': (w) => (w.n === null ? null : w.n <= 3),
  'toreal(n) != 0': (w) => (w.n === null ? null : w.n !== 0),
  'coalesce(toreal(n), 0.0) != 0': (w) => (w.n ?? 0) !== 0,
  'coalesce(toreal(n), 0.0) == 0': (w) => (w.n ?? 0) === 0,
  'isnotnull(n)': (w) => w.n !== null,
  'isnull(n)': (w) => w.n === null,
  's == "a"': (w) => w.s === 'a',
  's != "a"': (w) => w.s !== 'a',
  's in ("a", "b")': (w) => w.s === 'a' || w.s === 'b',
  's !in ("a", "b")': (w) => w.s !== 'a' && w.s !== 'b',
  's startswith_cs "a"': (w) => w.s.startsWith('a'),
  'isempty(s)': (w) => w.s === '',
  'ipv4_is_in_any_range(s, "10.0.0.0/8")': (w) => w.q,
  'array_length(split(r, "/")) < 3': (w) => plen(w) < 3,
  'array_length(split(r, "/")) >= 3': (w) => plen(w) >= 3,
  'array_length(split(r, "/")) < 4': (w) => plen(w) < 4,
  'array_length(split(r, "/")) >= 4': (w) => plen(w) >= 4,
  'array_length(split(r, "/")) >= 5': (w) => plen(w) >= 5,
  // the length of a dynamic value: null where it is not an array
  'array_length(y) >= 3': (w) => (w.n === null ? null : w.n >= 3),
};
/** Texts built of others: the target's own and/or/not inside one printed text. */
const KQL_COMPOUND: Record<string, (w: World) => V> = {
  'gettype(x) in ("string", "long", "int") and tostring(x) == "a"': (w) => kAnd([typeof w.x === 'string', str(w) === 'a']),
  '(isnotnull(n) and toreal(n) != 0)': (w) => kAnd([w.n !== null, w.n === null ? null : w.n !== 0]),
  '(isnull(n) or toreal(n) <= 3)': (w) => kOr([w.n === null, w.n === null ? null : w.n <= 3]),
};

function kqlValue(s: string, w: World): V {
  const f = KQL_TEXTS[s] ?? KQL_COMPOUND[s];
  if (f) return f(w);
  const m = /^not\((.*)\)$/s.exec(s);
  if (m) return kNot(kqlValue(m[1]!, w));
  throw new Error(`no value for the text ${s}`);
}

const CWL_TEXTS: Record<string, (w: World) => V> = {
  'ispresent(f)': (w) => w.f !== undefined,
  'isempty(f)': (w) => !w.f,
  // a comparison on an absent field: undocumented, read here as null (the least the pass may assume)
  'f = "a"': (w) => (w.f === undefined ? null : w.f === 'a'),
  'f != "a"': (w) => (w.f === undefined ? null : w.f !== 'a'),
  'g like "x"': (w) => w.q,
};
function cwlValue(s: string, w: World): V {
  const f = CWL_TEXTS[s];
  if (f) return f(w);
  const m = /^not \((.*)\)$/s.exec(s);
  if (m) return kNot(cwlValue(m[1]!, w));
  throw new Error(`no value for the text ${s}`);
}

const YARAL_TEXTS: Record<string, (w: World) => V> = {
  '$e.f = "a"': (w) => w.e1,
  '$e.f != "a"': (w) => w.e2,
  'not $e.f = "a"': (w) => w.e2,
  're.regex($e.g, `x`)': (w) => w.s === 'a',
};
const yaralValue = (s: string, w: World): V => {
  const f = YARAL_TEXTS[s];
  if (!f) throw new Error(`no value for the text ${s}`);
  return f(w);
};

function value(o: Out, w: World, leaf: (s: string, w: World) => V): V {
  switch (o.k) {
    case 'const':
      return o.v;
    case 'text':
      return leaf(o.s, w);
    case 'and':
      return kAnd(o.args.map((a) => value(a, w, leaf)));
    case 'or':
      return kOr(o.args.map((a) => value(a, w, leaf)));
  }
}

function arbOut(texts: string[]): fc.Arbitrary<Out> {
  const { tree } = fc.letrec<{ tree: Out }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...texts).map(text),
      fc.tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(tie('tree'), { minLength: 2, maxLength: 4 })).map(([k, args]) => J(k, ...args)),
    ),
  }));
  return tree;
}

function checkEquivalent(texts: string[], r: Reading, leaf: (s: string, w: World) => V, runs: number): { changed: number } {
  let changed = 0;
  fc.assert(
    fc.property(arbOut(texts), (o) => {
      const s = run(o, r);
      if (s !== o) changed++;
      for (const w of WORLDS) if (value(s, w, leaf) !== value(o, w, leaf)) return false;
      return true;
    }),
    { numRuns: runs, seed: 20261206 },
  );
  return { changed };
}

// ---------------------------------------------------------------------------------------------

describe('KQL: literals decided by their siblings', () => {
  it('A or (B and not A) is A or B where A is never null (a type test)', () => {
    const d = 'gettype(x) == "dictionary"';
    expect(kql(J('or', t(d), J('and', t('gettype(x) == "string"'), t(`not(${d})`))))).toBe('gettype(x) == "dictionary" or gettype(x) == "string"');
  });
  it('A and (A or C) is A; A or (A and C) is A, whatever A is', () => {
    expect(kql(J('and', t('toreal(n) > 3'), J('or', t('toreal(n) > 3'), t('s == "a"'))))).toBe('toreal(n) > 3');
    expect(kql(J('or', t('toreal(n) > 3'), J('and', t('s == "b"'), t('toreal(n) > 3'))))).toBe('toreal(n) > 3');
  });
  it('a complement through the operator: == / !=, in / !in, isnull / isnotnull, isempty / isnotempty', () => {
    expect(kql(J('and', t('s == "a"'), J('or', t('s != "a"'), t('toreal(n) > 3'))))).toBe('s == "a" and toreal(n) > 3');
    expect(kql(J('or', t('s in ("a", "b")'), J('and', t('s !in ("a", "b")'), t('toreal(n) > 3'))))).toBe('s in ("a", "b") or toreal(n) > 3');
    expect(kql(J('and', t('isnotnull(x)'), J('or', t('isnull(x)'), t('s == "a"'))))).toBe('isnotnull(x) and s == "a"');
    expect(kql(J('or', t('isempty(tostring(x))'), J('and', t('isnotempty(tostring(x))'), t('s == "a"'))))).toBe('isempty(tostring(x)) or s == "a"');
    expect(kql(J('or', t('coalesce(toreal(n), 0.0) != 0'), J('and', t('coalesce(toreal(n), 0.0) == 0'), t('s == "a"'))))).toBe('coalesce(toreal(n), 0.0) != 0 or s == "a"');
  });
  it('a type test excludes the other types: gettype(x) == "dictionary" decides gettype(x) == "string" false', () => {
    const d = 'gettype(x) == "dictionary"';
    expect(kql(J('and', t(d), J('or', t('not(gettype(x) == "string")'), t('s == "a"'))))).toBe(d);
    expect(kql(J('and', t(d), J('or', t('gettype(x) == "string"'), t('s == "a"'))))).toBe(`${d} and s == "a"`);
    // an `in` test names several types: nothing is excluded by it
    expect(kql(J('and', t('gettype(x) in ("string", "long", "int")'), J('or', t('gettype(x) == "string"'), t('s == "a"'))))).toBe('gettype(x) in ("string", "long", "int") and (gettype(x) == "string" or s == "a")');
  });
  it('a type test implies presence: the presence guard beside it goes', () => {
    expect(kql(J('and', t('isnotnull(x)'), t('tobool(x) == true'), t('gettype(x) == "bool"')))).toBe('tobool(x) == true and gettype(x) == "bool"');
    expect(kql(J('or', t('isnull(x)'), J('and', t('gettype(x) == "bool"'), t('s == "a"'))))).toBe('isnull(x) or gettype(x) == "bool" and s == "a"');
    expect(kql(J('or', t('not(gettype(x) == "bool")'), J('and', t('isnotnull(x)'), t('s == "a"'))))).toBe('not(gettype(x) == "bool") or s == "a"');
  });
  it('a compound sibling and its negation: (N and S) or (Q and (not N or not S)) is (N and S) or Q', () => {
    const o = J('or', J('and', t('coalesce(toreal(n), 0.0) != 0'), t('gettype(x) == "string"')), J('and', t('s == "a"'), J('or', t('coalesce(toreal(n), 0.0) == 0'), t('not(gettype(x) == "string")'))));
    expect(kql(o)).toBe('coalesce(toreal(n), 0.0) != 0 and gettype(x) == "string" or s == "a"');
  });
  it('a tautology and a contradiction of total literals fold', () => {
    expect(run(J('or', t('s in ("a", "b")'), t('s !in ("a", "b")')), KQL_READING)).toEqual({ k: 'const', v: true });
    expect(run(J('and', t('isnull(x)'), t('isnotnull(x)')), KQL_READING)).toEqual({ k: 'const', v: false });
    expect(outConjuncts(J('or', t('s == "a"'), t('s != "a"')), 'kql')).toEqual([]);
  });
  it('the length of a split is an integer: a length test decides the weaker ones beside it', () => {
    const len = (op: string, k: number): Out => t(`array_length(split(r, "/")) ${op} ${k}`);
    const piece = t('tostring(split(r, "/")[2]) != "namespaces"');
    // where len < 4 failed, len >= 3 holds: the guard of [2] goes
    expect(kql(J('or', len('<', 4), J('and', len('>=', 3), piece)))).toBe('array_length(split(r, "/")) < 4 or tostring(split(r, "/")[2]) != "namespaces"');
    expect(kql(J('and', len('>=', 5), len('>=', 3), piece))).toBe('array_length(split(r, "/")) >= 5 and tostring(split(r, "/")[2]) != "namespaces"');
    expect(kql(J('and', len('<', 3), len('>=', 4)))).toBe('false');
    // the length of a dynamic value may be null: not read as a number
    const o = J('or', t('array_length(y) < 4'), J('and', t('array_length(y) >= 3'), piece));
    expect(run(o, KQL_READING)).toBe(o);
  });

  it('across the top-level conjuncts (one where each)', () => {
    const o = J('and', t('isnotnull(x)'), J('or', t('isnull(x)'), t('tostring(x) == "a"')));
    // and tostring(x) == "a" says x is not null: the presence test beside it goes too (kql.member-facts.test.ts)
    expect(outConjuncts(o, 'kql').map((c) => printOut(c, SYN))).toEqual(['tostring(x) == "a"']);
    const p = J('and', t('isnotnull(x)'), J('or', t('isnull(x)'), t('s == "a"')));
    expect(outConjuncts(p, 'kql').map((c) => printOut(c, SYN))).toEqual(['isnotnull(x)', 's == "a"']);
  });
});

describe('KQL: what the pass leaves alone', () => {
  it('a literal that may be null is not read as its complement', () => {
    for (const o of [
      J('or', t('toreal(n) > 3'), J('and', t('s == "a"'), t('toreal(n) <= 3'))),
      J('or', t('toreal(n) > 3'), J('and', t('s == "a"'), t('not(toreal(n) > 3)'))),
      J('or', t('ipv4_is_in_any_range(s, "10.0.0.0/8")'), J('and', t('s == "a"'), t('not(ipv4_is_in_any_range(s, "10.0.0.0/8"))'))),
      J('and', t('toreal(n) > 3'), t('toreal(n) <= 3')),
      J('or', t('tobool(x) == true'), J('and', t('s == "a"'), t('not(tobool(x) == true)'))),
    ]) {
      expect(run(o, KQL_READING)).toBe(o);
    }
  });
  it('a condition nothing decides is the same object (its texts as printed)', () => {
    const o = J('or', t('(isnotnull(n) and toreal(n) != 0)'), J('and', t('s == "a"'), t('isempty(tostring(x))')));
    expect(run(o, KQL_READING)).toBe(o);
  });
  it('strings and brackets are not split: an and/or inside a quoted value or a call is one text', () => {
    const s = 'tostring(x) == "a and not(b) or c"';
    expect(KQL_READING.parse(s)).toMatchObject({ k: 'lit', key: s, total: true });
    expect(KQL_READING.parse('not(a) or not(b)')).toMatchObject({ k: 'or' });
    expect(KQL_READING.parse('toreal(n) > 3')).toMatchObject({ k: 'lit', total: false });
  });
});

describe('Logs Insights and YARA-L', () => {
  it('Logs Insights: ispresent() and isempty() are total, not (...) their complement; not isempty implies ispresent', () => {
    const cwl = (o: Out): string => printOut(run(o, CWL_READING), CWL_SYN);
    expect(cwl(J('and', t('ispresent(f)'), J('or', t('not (ispresent(f))'), t('f != "a"'))))).toBe('ispresent(f) and f != "a"');
    expect(cwl(J('and', t('not (isempty(f))'), J('or', t('not (ispresent(f))'), t('f != "a"'))))).toBe('not (isempty(f)) and f != "a"');
    expect(cwl(J('or', t('not (isempty(f))'), t('isempty(f)')))).toBe('true');
    // a failed isempty() beside, in an or: the field is present
    expect(cwl(J('or', t('isempty(f)'), J('and', t('g like "x"'), J('or', t('not (ispresent(f))'), t('f != "a"')))))).toBe('isempty(f) or (g like "x" and f != "a")');
    // a comparison's negation on an absent field is undocumented: not read as a complement
    const o = J('or', t('f = "a"'), J('and', t('g like "x"'), t('not (f = "a")')));
    expect(run(o, CWL_READING)).toBe(o);
  });
  it('YARA-L: a text is only itself (a repeated field can hold "a" and something else)', () => {
    const o = J('or', t('$e.f = "a"'), J('and', t('re.regex($e.g, `x`)'), t('$e.f != "a"')));
    expect(run(o, YARAL_READING)).toBe(o);
    expect(printOut(run(J('and', t('$e.f = "a"'), J('or', t('$e.f = "a"'), t('re.regex($e.g, `x`)'))), YARAL_READING), CWL_SYN)).toBe('$e.f = "a"');
  });
});

describe('equivalence in three-valued logic, on random conditions over every world', () => {
  it('KQL', () => {
    const { changed } = checkEquivalent([...Object.keys(KQL_TEXTS), ...Object.keys(KQL_COMPOUND), 'not(tobool(x) == true)', 'not(toreal(n) > 3)', 'not(truthy(x))', 'not(gettype(x) == "bool")', 'not(array_length(y) >= 3)'], KQL_READING, kqlValue, 3000);
    expect(changed).toBeGreaterThan(300); // the property is not vacuous
  });
  it('Logs Insights', () => {
    const { changed } = checkEquivalent([...Object.keys(CWL_TEXTS), 'not (ispresent(f))', 'not (isempty(f))', 'not (f = "a")', 'not (g like "x")'], CWL_READING, cwlValue, 2000);
    expect(changed).toBeGreaterThan(200);
  });
  it('YARA-L', () => {
    checkEquivalent(Object.keys(YARAL_TEXTS), YARAL_READING, yaralValue, 1000);
  });
  it('the check is not vacuous: a reading that calls a nullable text total is caught', () => {
    const wrong: Reading = { ...KQL_READING, parse: (x) => ({ ...(KQL_READING.parse(x) as object), total: true }) as ReturnType<Reading['parse']> };
    expect(() => checkEquivalent(['toreal(n) > 3', 'not(toreal(n) > 3)', 's == "a"', 'ipv4_is_in_any_range(s, "10.0.0.0/8")'], wrong, kqlValue, 2000)).toThrow();
  });
  it('the pass is stable: a second run changes nothing', () => {
    fc.assert(
      fc.property(arbOut(Object.keys(KQL_TEXTS)), (o) => {
        const once = run(o, KQL_READING);
        return printOut(run(once, KQL_READING), SYN) === printOut(once, SYN);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
