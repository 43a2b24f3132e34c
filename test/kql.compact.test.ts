/**
 * KQL compaction passes: equality tests of one string value as one list test and not() of total tests as
 * their complement (targets/kql/lists.ts), text anchors written ^/$ (targets/kql/anchors.ts); each rewrite
 * checked against the KQL evaluator on rows (the same rows kept before and after).
 */
import { describe, expect, it } from 'vitest';
import { kqlProof, type KqlEvent } from '../src/proof/kql/index.js';
import { printOut, text, type Out } from '../src/targets/common/out.js';
import { kqlString } from '../src/targets/kql/escape.js';
import { mergeLists, negateOut } from '../src/targets/kql/lists.js';
import { compactAnchors, compactRegexText } from '../src/targets/kql/anchors.js';

const SYN = { and: ' and ', or: ' or ', true: 'true', false: 'false' };
const J = (k: 'and' | 'or', ...args: Out[]): Out => ({ k, args });
const show = (o: Out | null): string | null => (o === null ? null : printOut(o, SYN));
const row = (columns: Record<string, unknown>): KqlEvent => ({
  tables: ['T'],
  columns: columns as KqlEvent['columns'],
  types: { s: 'string', d: 'dynamic' },
  tableColumns: {},
});
const keeps = (pred: string, ev: KqlEvent): boolean => kqlProof.compile(`T\n| where ${pred}`, 'kql').matches(ev);
const ROWS = [
  row({ s: 'a', d: { x: [1] } }),
  row({ s: 'B', d: { x: { k: 1 } } }),
  row({ s: '', d: { x: 'str' } }),
  row({ s: 'b', d: { x: null } }),
  row({ s: 'c', d: {} }),
  row({ s: 'A', d: { x: 5 } }),
];
/** Both texts keep the same rows. */
const same = (a: string, b: string): void => {
  for (const r of ROWS) expect(keeps(b, r), `${b} on ${JSON.stringify(r.columns)}`).toBe(keeps(a, r));
};

describe('mergeLists: the equality tests of one string value in a junction as one list test', () => {
  it('an or of == on a computed string value is an in-list (sorted); an and of != a !in-list', () => {
    const t = 'gettype(d.x)';
    const or = J('or', text(`${t} == "dictionary"`), text('s == "a"'), text(`${t} == "array"`));
    expect(show(mergeLists(or))).toBe(`${t} in ("array", "dictionary") or s == "a"`);
    same(show(or)!, show(mergeLists(or))!);
    const and = J('and', text(`${t} != "string"`), text(`${t} !in ("array", "dictionary")`));
    expect(show(mergeLists(and))).toBe(`${t} !in ("array", "dictionary", "string")`);
    same(show(and)!, show(mergeLists(and))!);
  });
  it('case-insensitive tests merge apart from case-sensitive ones', () => {
    const o = J('or', text('s =~ "a"'), text('s == "b"'), text('s in~ ("c")'), text('s == "a"'));
    expect(show(mergeLists(o))).toBe('s in~ ("a", "c") or s in ("a", "b")');
    same(show(o)!, show(mergeLists(o))!);
  });
  it('a value that may be null or is not a string, a number literal, the other polarity: left as written', () => {
    const o = J('or', text('toreal(d.x) == 5'), text('toreal(d.x) == 6'), text('__q1_n == "a"'), text('__q1_n == "b"'));
    expect(show(mergeLists(o))).toBe(show(o));
    const mixed = J('or', text('s != "a"'), text('s != "b"'));
    expect(show(mergeLists(mixed))).toBe(show(mixed));
  });
  it('not() of a total test is its complement; of a test that may be null, kept', () => {
    expect(show(mergeLists(text('not(gettype(d.x) == "string")')))).toBe('gettype(d.x) != "string"');
    expect(show(mergeLists(text('not(tostring(d.x) startswith_cs "a")')))).toBe('tostring(d.x) !startswith_cs "a"');
    expect(show(mergeLists(text('not(toreal(d.x) > 1)')))).toBe('not(toreal(d.x) > 1)');
    same('not(gettype(d.x) == "string")', 'gettype(d.x) != "string"');
    same('not(tostring(d.x) in ("5", "str"))', 'tostring(d.x) !in ("5", "str")');
  });
});

describe('negateOut: the negation of a condition without not() around a junction', () => {
  it('not(not(A) and not(B)) is A or B (De Morgan); a total test its complement', () => {
    const a = 'gettype(d.x) == "dictionary"';
    const b = 'gettype(d.x) == "array"';
    const body = J('and', text(`not(${a})`), text(`not(${b})`));
    expect(show(negateOut(body))).toBe(`${a} or ${b}`);
    same(`not(${show(body)})`, show(negateOut(body))!);
    const c = J('or', text('tostring(d.x) != "str"'), text(`not(${a})`));
    expect(show(negateOut(c))).toBe(`tostring(d.x) == "str" and ${a}`);
    same(`not(${show(c)})`, show(negateOut(c))!);
  });
  it('a junction inside not() is parenthesised; a test that may be null has no written negation', () => {
    expect(show(negateOut(J('and', text('not(s == "a" or s == "b")'), text('isnull(d.x)'))))).toBe('(s == "a" or s == "b") or isnotnull(d.x)');
    expect(negateOut(J('or', text('toreal(d.x) > 1'), text('not(s == "a")')))).toBe(null);
  });
});

describe('compactAnchors: RE2 text anchors as ^ and $', () => {
  it('per alternative, one group where every alternative is anchored at both ends and that is shorter', () => {
    expect(compactAnchors('(?s)\\A(?:macie.*\\.amazonaws\\.com)\\z')).toBe('(?s)^macie.*\\.amazonaws\\.com$');
    expect(compactAnchors('\\A(?:a|b)\\z')).toBe('^(?:a|b)$');
    expect(compactAnchors('\\A(?:a|b)')).toBe('^(?:a|b)');
    expect(compactAnchors('x|\\A(?:y)')).toBe('x|^y');
    expect(compactAnchors('\\A(?:a)\\z|\\A(?:b|c)\\z|\\A(?:d)\\z|\\A(?:e)\\z')).toBe('^(?:a|b|c|d|e)$');
    expect(compactAnchors('\\A(?:a)\\z|\\A(?:b)\\z')).toBe('^a$|^b$');
    expect(compactAnchors('\\A(?:[)|]x)\\z')).toBe('^[)|]x$');
  });
  it('an m flag anywhere, a POSIX class, a literal backslash before A: left as written', () => {
    for (const r of ['(?m)\\A(?:a)\\z', '\\A(?:a(?m:b))\\z', '\\A(?:[[:alpha:]])\\z', '\\\\A(?:a)\\\\z']) expect(compactAnchors(r)).toBe(r);
  });
  it('the compacted test keeps the rows the written one keeps', () => {
    const values = ['macie2.amazonaws.com', 'xmacie.amazonaws.com', 'macie.amazonaws.com\n', 'a\nb', 'b', 'ab', 'e', ''];
    for (const r of ['(?s)\\A(?:macie.*\\.amazonaws\\.com)\\z', '\\A(?:a)\\z|\\A(?:b|c)\\z|\\A(?:d)\\z|\\A(?:e)\\z', '(?s)\\A(?:a.*)', 'x|\\A(?:a\\nb)\\z']) {
      const before = `s matches regex ${kqlString(r)}`;
      const after = compactRegexText(before);
      expect(after).not.toBe(before);
      for (const v of values) expect(keeps(after, row({ s: v, d: {} })), `${after} on ${JSON.stringify(v)}`).toBe(keeps(before, row({ s: v, d: {} })));
    }
  });
});

describe('KQL evaluator: what the compact forms read', () => {
  it('a[(-N)] is the Nth element from the end (learn.microsoft.com/kusto/query/scalar-data-types/dynamic)', () => {
    const r = row({ s: 'a.b.c', d: { x: [1, 2, 3] } });
    expect(keeps('tostring(split(s, ".")[(-1)]) == "c"', r)).toBe(true);
    expect(keeps('tostring(split(s, ".")[(-3)]) == "a"', r)).toBe(true);
    expect(keeps('isnull(d.x[(-4)])', r)).toBe(true);
  });
  it('mv-apply without `to typeof()` expands dynamic elements (the default)', () => {
    const q = (t: string): string =>
      `T\n| mv-apply with_itemindex=__q1_i __q1 = array_concat(coalesce(d.x, dynamic([])), dynamic([null]))${t} on (summarize __q1_n = countif(__q1_i < array_length(d.x) and gettype(__q1) == "long"))\n| where __q1_n > 0`;
    for (const r of [row({ s: '', d: { x: [1, 'a'] } }), row({ s: '', d: { x: ['a'] } }), row({ s: '', d: { x: [] } })]) {
      expect(kqlProof.compile(q(''), 'kql').matches(r)).toBe(kqlProof.compile(q(' to typeof(dynamic)'), 'kql').matches(r));
    }
  });
});
