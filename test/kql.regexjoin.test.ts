/** KQL: regex tests of one value in one junction joined into one alternation (targets/kql/regexjoin.ts). */
import { describe, expect, it } from 'vitest';
import { kqlProof, type KqlEvent } from '../src/proof/kql/index.js';
import { printOut, text, type Out } from '../src/targets/common/out.js';
import { kqlString } from '../src/targets/kql/escape.js';
import { joinRegexTests } from '../src/targets/kql/regexjoin.js';

const SYN = { and: ' and ', or: ' or ', true: 'true', false: 'false' };
const J = (k: 'and' | 'or', ...args: Out[]): Out => ({ k, args });
const re = (lhs: string, r: string, neg = false): Out => text(neg ? `not(${lhs} matches regex ${kqlString(r)})` : `${lhs} matches regex ${kqlString(r)}`);
const row = (s: string, t = ''): KqlEvent => ({ tables: ['T'], columns: { s, t }, types: { s: 'string', t: 'string' }, tableColumns: {} });
const where = (pred: string, ev: KqlEvent): boolean => kqlProof.compile(`T\n| where ${pred}`, 'kql').matches(ev);

describe('joinRegexTests', () => {
  it('an or of positive tests on one value is one alternation; an and of negated ones one negated alternation', () => {
    expect(printOut(joinRegexTests(J('or', re('s', 'ab'), re('s', '^c'), re('t', 'x'))), SYN)).toBe('s matches regex "ab|^c" or t matches regex "x"');
    expect(printOut(joinRegexTests(J('and', re('s', 'a', true), text('t == "x"'), re('s', 'b', true))), SYN)).toBe('not(s matches regex "a|b") and t == "x"');
  });
  it('the other polarity, other leading flags, a named group: kept apart', () => {
    expect(printOut(joinRegexTests(J('and', re('s', 'a'), re('s', 'b'))), SYN)).toBe('s matches regex "a" and s matches regex "b"');
    expect(printOut(joinRegexTests(J('or', re('s', '(?i)a'), re('s', 'b'), re('s', '(?i)c'))), SYN)).toBe('s matches regex "(?i)a|c" or s matches regex "b"');
    expect(printOut(joinRegexTests(J('or', re('s', '(?P<n>a)'), re('s', 'b'))), SYN)).toBe('s matches regex "(?P<n>a)" or s matches regex "b"');
  });
  it('an inner flag group is fenced, leading flags kept once', () => {
    expect(printOut(joinRegexTests(J('or', re('s', '(?s)a(?i)b'), re('s', '(?s)\\Ac\\z'))), SYN)).toBe(`s matches regex ${kqlString('(?s)(?:a(?i)b)|\\Ac\\z')}`);
  });
  it('case-sensitive substring tests join as searches for their literals (punctuation escaped) from three on; two, or one, keep their text', () => {
    const c = (lhs: string, lit: string, neg = false): Out => text(`${lhs} ${neg ? '!' : ''}contains_cs ${kqlString(lit)}`);
    expect(printOut(joinRegexTests(J('and', c('s', 'a.b', true), c('s', '(x)', true), c('s', 'z', true), c('t', 'q', true))), SYN)).toBe(`not(s matches regex ${kqlString('a\\.b|\\(x\\)|z')}) and t !contains_cs "q"`);
    expect(printOut(joinRegexTests(J('and', c('s', 'a.b', true), c('t', 'q', true), c('s', '(x)', true))), SYN)).toBe('s !contains_cs "a.b" and t !contains_cs "q" and s !contains_cs "(x)"');
    expect(printOut(joinRegexTests(J('or', c('s', 'ab'), re('s', 'c$'))), SYN)).toBe('s matches regex "ab|c$"');
    expect(printOut(joinRegexTests(J('or', c('s', 'ab'), re('s', '(?i)c'))), SYN)).toBe('s contains_cs "ab" or s matches regex "(?i)c"');
  });
  const cases: [Out, string[]][] = [
    [J('and', text('s !contains_cs "a.b"'), text('s !contains_cs "[x]"'), text('s !contains_cs "$"')), ['a.b', 'axb', 'q[x]', 'x', 'cost $5', 'A.B', '']],
    [J('or', text('s contains_cs "a+"'), text('s contains_cs "|"'), text(`s contains_cs ${kqlString('\\d')}`)), ['a+', 'aa', 'x|y', '\\d', '5', '']],
    [J('or', re('s', '\\Afoo'), re('s', 'bar\\z'), re('s', '(?:x|y)z')), ['foo1', 'xbar', 'yz', 'zz', '', 'Foo']],
    [J('and', re('s', 'a.c', true), re('s', '^[0-9]+$', true)), ['abc', '123', 'a-c9', 'zz', '']],
    [J('or', re('s', '(?i)ab'), re('s', '(?i)c(?-i:D)')), ['AB', 'cD', 'cd', 'x']],
  ];
  it.each(cases)('the evaluator reads the joined test as the junction it replaces (%#)', (o, values) => {
    const joined = printOut(joinRegexTests(o), SYN);
    expect(joined).not.toBe(printOut(o, SYN));
    for (const v of values) expect(where(joined, row(v)), v).toBe(where(printOut(o, SYN), row(v)));
  });
});
