/**
 * The evaluators' regex reader (src/proof/regex.ts). Cases come from the engines' documentation:
 * - RE2: https://github.com/google/re2/wiki/Syntax
 * - Python: https://docs.python.org/3.11/library/re.html (expectations checked by hand with CPython 3.11)
 * - PCRE2: https://www.pcre.org/current/doc/html/pcre2pattern.html
 * - Java: https://docs.oracle.com/javase/8/docs/api/java/util/regex/Pattern.html (checked by hand with
 *   java.util.regex) for the portable reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTargetRegex, type Dialect } from '../src/proof/regex.js';
import { Refusal } from '../src/proof/types.js';

type F = { i?: boolean; m?: boolean; s?: boolean };

/** Expect `pattern` to match exactly the `yes` values and none of the `no` values. */
function check(pattern: string, dialect: Dialect, yes: string[], no: string[], flags?: F) {
  const re = compileTargetRegex(pattern, dialect, flags);
  for (const v of yes) expect(re.test(v), `${pattern} on ${JSON.stringify(v)}`).toBe(true);
  for (const v of no) expect(re.test(v), `${pattern} on ${JSON.stringify(v)}`).toBe(false);
}

function refused(pattern: string, dialect: Dialect, why: RegExp, flags?: F) {
  let err: unknown;
  try {
    compileTargetRegex(pattern, dialect, flags);
  } catch (e) {
    err = e;
  }
  expect(err, `${pattern} should be refused`).toBeInstanceOf(Refusal);
  expect((err as Refusal).what).toMatch(why);
}

/** The engines of the dialect disagree on this value: `test` refuses it. */
function undecided(pattern: string, dialect: Dialect, value: string, flags?: F) {
  const re = compileTargetRegex(pattern, dialect, flags);
  expect(() => re.test(value), `${pattern} on ${JSON.stringify(value)}`).toThrow(Refusal);
}

describe('re2 (KQL matches regex, YARA-L re.regex)', () => {
  it('searches unanchored', () => {
    check('abc', 're2', ['abc', 'xxabcxx'], ['ab', 'ABC', '']);
    check('', 're2', ['', 'x'], []);
  });

  it('single characters: . [xyz] [^xyz]', () => {
    check('a.c', 're2', ['abc', 'a\rc', 'aéc', 'a😀c'], ['a\nc', 'ac']);
    check('(?s)a.c', 're2', ['a\nc'], []);
    check('a.c', 're2', ['a\nc'], [], { s: true });
    check('[xyz]', 're2', ['y'], ['a']);
    // a negated class matches \n (RE2's ClassNL is on by default)
    check('a[^b]c', 're2', ['a\nc', 'axc'], ['abc']);
    check('[]a]', 're2', [']', 'a'], ['b']);
    check('[a-]', 're2', ['-', 'a'], ['b']);
    check('[a-c-e]', 're2', ['-', 'b', 'e'], ['d']);
  });

  it('Perl classes are ASCII', () => {
    check('^\\d$', 're2', ['7'], ['٣', 'x']);
    check('^\\w$', 're2', ['a', '_', '9'], ['é', 'ſ', '-']);
    // \s == [\t\n\f\r ] (no \v)
    check('^\\s$', 're2', [' ', '\t', '\n', '\f', '\r'], ['\v', '\u00a0', '\u2028']);
    check('^\\D$', 're2', ['٣', 'x'], ['7']);
    check('^[\\d\\s]+$', 're2', ['1 2'], ['1x']);
    check('^[^\\d]$', 're2', ['x'], ['1']);
  });

  it('ASCII classes [[:alpha:]] [[:^alpha:]]', () => {
    check('^[[:alpha:]]+$', 're2', ['abcXYZ'], ['é', 'a1']);
    check('^[[:^alpha:]]$', 're2', ['1', 'é'], ['a']);
    check('^[[:xdigit:]]+$', 're2', ['09afAF'], ['g']);
    check('^[[:word:][:punct:]]+$', 're2', ['a_!'], [' ']);
    refused('[[:foo:]]', 're2', /POSIX/);
  });

  it('Unicode classes \\pN \\p{Greek} \\PN \\P{Greek} \\p{^Greek}', () => {
    check('^\\pN$', 're2', ['7', '٣', 'Ⅻ'], ['x']);
    check('^\\p{Greek}+$', 're2', ['αβγ', 'Ω'], ['abc']);
    check('^\\PN$', 're2', ['x'], ['7']);
    check('^\\P{Greek}$', 're2', ['a'], ['α']);
    check('^\\p{^Greek}$', 're2', ['a'], ['α']);
    check('^\\p{Lu}$', 're2', ['A', 'Ω'], ['a']);
    check('^[\\p{L}\\p{N}_]+$', 're2', ['héllo_٣'], ['a-b']);
    check('^\\p{Any}$', 're2', ['x', '\n'], []);
    refused('\\p{Letter}', 're2', /unknown Unicode class/);
    refused('\\p{Grek}', 're2', /unknown Unicode class/);
  });

  it('case folding is Unicode simple case folding, scoped by flags', () => {
    check('(?i)k', 're2', ['K', 'k', '\u212a'], ['x']);
    check('(?i)s', 're2', ['S', 'ſ'], []);
    // simple case folding does not relate i and İ / ı (Python does)
    check('(?i)^i$', 're2', ['I', 'i'], ['İ', 'ı']);
    check('(?i)^[Iiİı]$', 're2', ['I', 'i', 'İ', 'ı'], []);
    check('^(?i:a)b$', 're2', ['Ab', 'ab'], ['AB']);
    check('(?i)a(?-i:b)c', 're2', ['AbC'], ['ABC']);
    check('(?i)a(?-i:[Ssſ])', 're2', ['As', 'aſ'], []);
    check('(?i)^(?-i:[Ssſ])$', 're2', ['ſ', 'S'], ['\u1e9b']);
    // flags set inside a group last until its end, through later alternatives
    check('^(?:a(?i)b|c)$', 're2', ['aB', 'C'], ['Ab']);
    check('^(a(?i)b)c$', 're2', ['aBc'], ['aBC']);
    // folding applies to classes, negated classes and Perl classes
    check('(?i)^[a-c]+$', 're2', ['ABC'], ['d']);
    check('(?i)^[^k]$', 're2', ['x'], ['K', '\u212a']);
    check('(?i)^\\w$', 're2', ['\u212a', 'ſ'], []);
    check('(?i)^\\W$', 're2', ['!'], ['ſ', '\u212a']);
    check('(?i)^\\p{Lu}$', 're2', ['a', 'A'], ['1']);
    // a caller flag (YARA-L nocase)
    check('^abc$', 're2', ['ABC'], [], { i: true });
    check('(?U)a+?', 're2', ['aaa'], []);
  });

  it('empty strings: ^ $ \\A \\z \\b \\B and multi-line', () => {
    check('a$', 're2', ['a'], ['a\n']);
    check('^a', 're2', ['ab'], ['ba', 'b\na']);
    check('(?m)^a$', 're2', ['b\na\nc', 'a'], ['ab']);
    // RE2 multi-line ^ also matches after a final \n
    check('(?m)\\n^$', 're2', ['a\n'], []);
    check('\\Aa', 're2', ['ab'], ['b\na']);
    check('(?m)\\Aa', 're2', ['ab'], ['b\na']);
    check('a\\z', 're2', ['a'], ['a\n']);
    check('\\bfoo\\b', 're2', ['foo', 'a foo.', '(foo)'], ['foobar', 'foo3']);
    // ASCII word boundary: é is not a word character in RE2
    check('\\bfoo', 're2', ['éfoo'], ['afoo']);
    check('py\\B', 're2', ['python', 'py3'], ['py', 'py.']);
    // the printers' patterns
    check('\\A(?:a)(?:$|\\n\\z)', 're2', ['a', 'a\n'], ['ab', 'a\n\n']);
    check('(?s)\\A(?:system\\.client\\..*)\\z', 're2', ['system.client.x\ny'], ['xsystem.client.']);
  });

  it('repetitions', () => {
    check('^a{2,3}$', 're2', ['aa', 'aaa'], ['a', 'aaaa']);
    check('^a{2}$', 're2', ['aa'], ['aaa']);
    check('^a{2,}$', 're2', ['aaaa'], ['a']);
    check('^a*?b+?c??$', 're2', ['aabbc', 'b'], ['c']);
    check('^a{2,3}?$', 're2', ['aaa'], []);
    // a { that starts no valid repetition is a literal
    check('^a{,2}$', 're2', ['a{,2}'], ['aa']);
    check('^a{$', 're2', ['a{'], []);
    check('^{}$', 're2', ['{}'], []);
    check('^a{1000}$', 're2', ['a'.repeat(1000)], ['a'.repeat(999)]);
    refused('a{1001}', 're2', /above 1000/);
    refused('(a{100}){100}', 're2', /nested repetition/);
    refused('a**', 're2', /multiple repeat/);
    refused('a*+', 're2', /possessive/);
    refused('a{2}{3}', 're2', /multiple repeat/);
    refused('*a', 're2', /without anything to repeat/);
    refused('a{3,2}', 're2', /min greater than max/);
  });

  it('escapes', () => {
    check('^\\a\\f\\t\\n\\r\\v$', 're2', ['\x07\f\t\n\r\v'], []);
    check('^\\123$', 're2', ['S'], []);
    check('^\\0$', 're2', ['\0'], []);
    check('^\\x7F\\x{10FFFF}\\x{1F600}$', 're2', ['\x7f\u{10ffff}😀'], []);
    check('^\\Q*+?\\E$', 're2', ['*+?'], []);
    check('^\\Qab\\E+$', 're2', ['abbb'], ['abab']);
    check('^\\Qa.b', 're2', ['a.b'], ['axb']);
    check('^\\*\\.\\-\\_\\ $', 're2', ['*.-_ '], []);
    refused('\\8', 're2', /backreference/);
    refused('(a)\\1', 're2', /backreference/);
    refused('\\C', 're2', /RE2 rejects/);
    refused('\\G', 're2', /RE2 rejects/);
    refused('\\e', 're2', /RE2 rejects/);
    refused('\\x{110000}', 're2', /beyond/);
    refused('\\x4', 're2', /bad \\x/);
  });

  it('grouping', () => {
    check('^(?P<first>a)(b)(?:c)$', 're2', ['abc'], []);
    check('^(a|b|)$', 're2', ['a', ''], ['c']);
    refused('(?P<n>a)(?P<n>b)', 're2', /duplicate/);
    refused('(?<name>a)', 're2', /named group/);
    refused('(?#comment)a', 're2', /comment/);
    refused('(?>a)', 're2', /atomic/);
    refused('a(?=b)', 're2', /lookaround/);
    refused('(?<!a)b', 're2', /lookaround/);
    refused('(?P=n)', 're2', /backreference/);
    refused('(a', 're2', /missing \)/);
    refused('a)', 're2', /unbalanced/);
    refused('(?x)a', 're2', /verbose/);
    refused('[a', 're2', /unterminated/);
    refused('[z-a]', 're2', /bad character range/);
  });

  it('agrees with JavaScript on ASCII patterns where both are defined alike (property)', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', 'c', '[ab]', '[^a]', '[a-c]', '\\.', 'x'),
      fc.constantFrom('(?:a|b)', '(a|bc)', '(?:)', 'a|c'),
    );
    const piece = fc.tuple(atom, fc.constantFrom('', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?')).map(([a, q]) => (a.includes('|') && !a.startsWith('(') ? `(?:${a})` : a) + q);
    const pattern = fc.tuple(fc.boolean(), fc.array(piece, { minLength: 1, maxLength: 5 }), fc.boolean()).map(([h, ps, t]) => (h ? '^' : '') + ps.join('') + (t ? '$' : ''));
    fc.assert(
      fc.property(pattern, fc.string({ unit: fc.constantFrom('a', 'b', 'c', '.', 'x', '\n'), maxLength: 8 }), (p, s) => {
        expect(compileTargetRegex(p, 're2').test(s)).toBe(new RegExp(p, 'u').test(s));
      }),
      { numRuns: 400 },
    );
  });

  it('folds exactly as Unicode simple case folding (JavaScript iu) on every character near the samples', () => {
    const samples = [0x41, 0x4b, 0x53, 0x69, 0xb5, 0xdf, 0x130, 0x131, 0x17f, 0x1c5, 0x345, 0x390, 0x3a3, 0x3c2, 0x3f4, 0x1e9e, 0x1fd3, 0x212a, 0x2126, 0x13a0, 0xab70, 0x10400];
    const targets: number[] = [];
    for (const [lo, hi] of [[0, 0x5ff], [0x1c80, 0x1c8f], [0x1e00, 0x1fff], [0x2100, 0x21ff]] as const) for (let c = lo; c <= hi; c++) targets.push(c);
    targets.push(0x13a0, 0xab70, 0x10400, 0x10428, 0x2c2f, 0xa7c0);
    for (const c of samples) {
      const ours = compileTargetRegex(`(?i)^\\x{${c.toString(16)}}$`, 're2');
      const js = new RegExp(`^\\u{${c.toString(16)}}$`, 'iu');
      for (const d of targets) {
        if (d >= 0xd800 && d <= 0xdfff) continue;
        const s = String.fromCodePoint(d);
        expect(ours.test(s), `U+${c.toString(16)} vs U+${d.toString(16)}`).toBe(js.test(s));
      }
    }
  });
});

describe('pcre (Sigma |re: Python re, refusing what PCRE2 reads differently)', () => {
  it('reads plain patterns and the Sigma modifiers', () => {
    check('foo', 'pcre', ['xfoox'], ['FOO']);
    check('foo', 'pcre', ['FOO'], [], { i: true });
    check('a.b', 'pcre', ['a\nb'], [], { s: true });
    check('a.b', 'pcre', ['a\rb'], ['a\nb']);
    check('^b', 'pcre', ['a\nb'], [], { m: true });
  });

  it('$ matches at the end and before a final newline (Python and PCRE2)', () => {
    // docs: foo$ matches 'foo' and 'foo\n'; foo.$ in 'foo1\nfoo2\n' finds foo2, with MULTILINE foo1 too
    check('foo$', 'pcre', ['foo', 'foo\n'], ['foo\n\n', 'foox']);
    check('^foo1$', 'pcre', [], ['foo1\nfoo2\n']);
    check('^foo1$', 'pcre', ['foo1\nfoo2\n'], [], { m: true });
    check('a$\\n', 'pcre', ['a\n'], []);
    check('\\Aab', 'pcre', ['abc'], ['cab']);
  });

  it('multi-line ^ after a final newline: Python matches, PCRE2 does not', () => {
    undecided('\\n^', 'pcre', 'a\n', { m: true });
    check('\\n^b', 'pcre', ['a\nb'], ['a\n'], { m: true });
  });

  it('IGNORECASE: Python folds [a-z] with İ ı ſ K; PCRE2 (simple case folding) only with ſ and K', () => {
    // docs: "[a-z] ... will match the 52 ASCII letters and 4 additional non-ASCII letters"
    check('^[a-z]$', 'pcre', ['A', 'z', 'ſ', '\u212a'], ['1'], { i: true });
    undecided('^[a-z]$', 'pcre', 'İ', { i: true });
    undecided('^[a-z]$', 'pcre', 'ı', { i: true });
    // the printers spell the four i's out: both readings agree
    check('^[Iiİı]$', 'pcre', ['I', 'i', 'İ', 'ı'], ['j'], { i: true });
    check('(?i)^(?-i:[Ssſ])h$', 'pcre', ['sH', 'ſh'], ['ẛh']);
    check('^(?i:ab)c$', 'pcre', ['ABc'], ['ABC']);
    // Python folds ß and ẞ (lower() of ẞ is ß)
    check('^ß$', 'pcre', ['ẞ', 'ß'], [], { i: true });
  });

  it('\\d \\w \\s \\b: Unicode in Python, ASCII in PCRE2: decided per value', () => {
    check('\\d+', 'pcre', ['123'], ['abc']);
    undecided('\\d', 'pcre', '٣');
    check('^\\w+$', 'pcre', ['abc_1'], ['a-b']);
    undecided('^\\w+$', 'pcre', 'héllo');
    // PCRE2's \s includes VT; Python's too, and also \x1c-\x1f
    check('^\\s$', 'pcre', [' ', '\v', '\t'], ['x']);
    undecided('^\\s$', 'pcre', '\x1c');
    undecided('^\\s$', 'pcre', '\u00a0');
    // docs: r'\bfoo\b' matches 'foo', 'foo.', '(foo)', 'bar foo baz' but not 'foobar' or 'foo3'
    check('\\bfoo\\b', 'pcre', ['foo', 'foo.', '(foo)', 'bar foo baz'], ['foobar', 'foo3']);
    undecided('\\bfoo', 'pcre', 'éfoo');
    // docs: r'py\B' matches 'python', 'py3', 'py2', but not 'py', 'py.', or 'py!'
    check('py\\B', 'pcre', ['python', 'py3', 'py2'], ['py', 'py.', 'py!']);
    // Python 3.11's \B never matches an empty string (PCRE2's does)
    undecided('\\B', 'pcre', '');
  });

  it('lookahead and fixed-width lookbehind, comments, named groups', () => {
    // docs: Isaac (?=Asimov) / Isaac (?!Asimov) / (?<=abc)def / (?<=-)\w+
    check('Isaac (?=Asimov)', 'pcre', ['Isaac Asimov'], ['Isaac Newton']);
    check('Isaac (?!Asimov)', 'pcre', ['Isaac Newton'], ['Isaac Asimov']);
    check('(?<=abc)def', 'pcre', ['abcdef'], ['abdef']);
    check('(?<=-)egg', 'pcre', ['spam-egg'], ['spamegg']);
    check('(?<!a|b)c', 'pcre', ['xc'], ['ac', 'bc']);
    refused('(?<=a|bc)d', 'pcre', /fixed width/);
    refused('(?<=a+)b', 'pcre', /fixed width/);
    check('a(?#comment)b', 'pcre', ['ab'], []);
    check('(?P<quote>[\'"]).', 'pcre', ['"x'], []);
    refused('(?P<quote>a)(?P=quote)', 'pcre', /backreference/);
    refused('(?<name>a)', 'pcre', /Python 3\.11 rejects/);
  });

  it('escapes Python and PCRE2 read alike', () => {
    check('^\\x41\\0\\a\\f\\t\\n\\r$', 'pcre', ['A\0\x07\f\t\n\r'], []);
    check('^[\\b]$', 'pcre', ['\b'], ['b']);
    check('^\\$\\(\\)\\{\\}$', 'pcre', ['$(){}'], []);
    check('^a{b}$', 'pcre', ['a{b}'], []);
    check('^a{2,3}$', 'pcre', ['aa'], ['a']);
  });

  it('refuses what Python rejects or PCRE2 reads differently', () => {
    refused('\\z', 'pcre', /Python before 3\.14/);
    refused('a\\Z', 'pcre', /final newline/);
    refused('\\x{41}', 'pcre', /Python rejects/);
    refused('\\p{L}', 'pcre', /Python rejects/);
    refused('a++', 'pcre', /possessive/);
    refused('(?>a)', 'pcre', /atomic/);
    refused('\\h', 'pcre', /Python rejects/);
    refused('\\R', 'pcre', /Python rejects/);
    refused('a\\Kb', 'pcre', /Python rejects/);
    refused('\\v', 'pcre', /vertical/);
    refused('(a)\\1', 'pcre', /backreference/);
    refused('\\101', 'pcre', /octal/);
    refused('\\u0041', 'pcre', /PCRE2 reads it differently/);
    refused('\\N{DASH}', 'pcre', /PCRE2 reads it differently/);
    refused('[[:alpha:]]', 'pcre', /POSIX/);
    refused('a{,3}', 'pcre', /\{n\}/);
    refused('a{ 2}', 'pcre', /\{n\}/);
    refused('a(?i)b', 'pcre', /not at the start/);
    refused('(a(?i))', 'pcre', /not at the start/);
    refused('(?x)a b', 'pcre', /verbose/);
    refused('(?a)\\w', 'pcre', /ASCII flag/);
    refused('\\x4', 'pcre', /two hex digits/);
    refused('a{70000}', 'pcre', /65535/);
    refused('[a&&b]', 'pcre', /set operation/);
    check('(?i)(?m)^a', 'pcre', ['x\nA'], []);
  });
});

describe('portable (Logs Insights =~)', () => {
  it('reads the common subset', () => {
    check('^org\\.', 'portable', ['org.x'], ['xorg.', 'orgx']);
    check('^(?:a|bc)+[0-9]{2,3}$', 'portable', ['abc12', 'a123'], ['a1', 'a1234']);
    check('secret-scanning\\[bot\\]', 'portable', ['secret-scanning[bot]'], ['secret-scanningb']);
    check('^[\\-\\]\\\\\\/a-c]+$', 'portable', ['-]\\/b'], ['d']);
    check('\\x2fbin\\x2f', 'portable', ['/bin/sh'], ['bin']);
    check('a\\tb\\nc\\rd', 'portable', ['a\tb\nc\rd'], []);
    check('(?i)^abc$', 'portable', ['AbC'], ['abd']);
    check('(?i)(?m)ab', 'portable', ['xAB'], ['a\nb']);
    check('(?i)(?-i:[Ssſ])h', 'portable', ['sH', 'ſh'], ['Sx']);
    check('a.*?b', 'portable', ['axxb'], []);
    check('(?s)^a.b$', 'portable', ['a\nb', 'a\rb'], []);
  });

  it('decides per value where the engines differ', () => {
    // $ before a final line terminator: PCRE, Python, Java yes; RE2, JavaScript no
    check('a$', 'portable', ['a', 'xa'], ['ab']);
    undecided('a$', 'portable', 'a\n');
    // Java's . excludes \r, \u0085, \u2028, \u2029; JavaScript's \r, \u2028, \u2029
    check('a.b', 'portable', ['axb'], ['a\nb']);
    undecided('a.b', 'portable', 'a\rb');
    undecided('a.b', 'portable', 'a\u0085b');
    // Java's (?i) is ASCII only
    check('(?i)k', 'portable', ['K', 'k'], ['x']);
    undecided('(?i)k', 'portable', '\u212a');
    undecided('(?i)é', 'portable', 'É');
    // Python folds i with İ and ı
    undecided('(?i)i', 'portable', 'İ');
  });

  it('refuses what the engines do not all read alike', () => {
    refused('\\d', 'portable', /Unicode in Python/);
    refused('\\w', 'portable', /Unicode in Python/);
    refused('\\s', 'portable', /Unicode in Python/);
    refused('\\bfoo', 'portable', /word characters/);
    refused('\\Aa', 'portable', /\\A/);
    refused('a\\z', 'portable', /\\z/);
    refused('a\\Z', 'portable', /\\Z/);
    refused('\\x{41}', 'portable', /Python and JavaScript/);
    refused('\\p{L}', 'portable', /Python rejects/);
    refused('a(?=b)', 'portable', /lookaround/);
    refused('(?P<n>a)', 'portable', /Java rejects/);
    refused('(?<n>a)', 'portable', /named group/);
    refused('a++', 'portable', /possessive/);
    refused('(?m)^a', 'portable', /multi-line/);
    refused('a$', 'portable', /multi-line/, { m: true });
    refused('a{,2}', 'portable', /unescaped \{/);
    refused('a{', 'portable', /unescaped \{/);
    refused('a]', 'portable', /unescaped \]/);
    refused('[[a]]', 'portable', /nested class/);
    refused('[a&&b]', 'portable', /set operation/);
    refused('[]a]', 'portable', /empty class/);
    refused('(?x)a', 'portable', /verbose/);
    refused('a(?i)b', 'portable', /not at the start/);
    refused('\\1', 'portable', /octal escape or backreference/);
    refused('\\v', 'portable', /vertical/);
    refused('a{1001}', 'portable', /above 1000/);
    refused('(?#x)a', 'portable', /comment/);
  });
});
