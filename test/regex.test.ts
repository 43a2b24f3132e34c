/**
 * Python `re` → target regex engines (src/targets/common/regex.ts).
 *
 * The translated patterns are run through an emulation of RE2 in JavaScript (`re2Js` below: RE2's
 * `^ $ . \A \z` and its Unicode simple case folding, which is JavaScript's `iu` folding) and compared
 * with the evaluator's Python semantics (`pyRegex`) on random patterns and strings. Where the evaluator
 * itself departs from CPython (noted at `alphabet`), the expectations are CPython's, checked with
 * CPython 3.11 when the test was written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyRegex } from '../src/ast/regex.js';
import { compileTargetRegex } from '../src/proof/regex.js';
import { anchorRe, globToRe2, RE2_PY_SPACE, portableEndNote, pyCaseClass, pyToRe2, type ReEngine, type ReOptions } from '../src/targets/common/regex.js';

type Anchor = 'search' | 'match' | 'fullmatch';

// ---------------------------------------------------------------------------------------------
// RE2 emulated in JavaScript

/** RE2's case-folding orbit of a code point (a subset of Python's class, see the fold test). */
const orbits = new Map<number, number[]>();
function orbit(cp: number): number[] {
  let o = orbits.get(cp);
  if (o) return o;
  const cls = pyCaseClass(cp);
  if (cls.length === 1) o = cls;
  else {
    const re = new RegExp(`^${jsChar(cp)}$`, 'iu');
    o = cls.filter((d) => re.test(String.fromCodePoint(d)));
  }
  orbits.set(cp, o);
  return o;
}

function jsChar(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/**
 * Translate RE2 text (as the translator writes it) into a JavaScript `u` RegExp with RE2's meaning.
 * Flags are tracked per group; case folding is spelled out per character, so no JS `i` flag is used.
 * `reader` 'python': read the text as Python's `re` and PCRE do (`$` without m also before a final
 * `\n`; lookaheads), for the pcre engine's output.
 */
export function re2Js(re: string, reader: 're2' | 'python' = 're2'): RegExp {
  let i = 0;
  let out = '';
  type F = { i: boolean; m: boolean; s: boolean };
  const stack: F[] = [];
  let f: F = { i: false, m: false, s: false };
  const setFlags = (base: F, on: string, off: string): F => {
    const n = { ...base };
    for (const c of on) if (c in n) n[c as keyof F] = true;
    for (const c of off) if (c in n) n[c as keyof F] = false;
    return n;
  };
  const lead = /^\(\?([ims]+)\)/.exec(re);
  if (lead) {
    f = setFlags(f, lead[1]!, '');
    i = lead[0].length;
  }
  /** One escaped or plain character at i; returns its code point or a class escape. */
  const readChar = (): { cp: number } | { esc: string } => {
    if (re[i] === '\\') {
      const n = re[i + 1]!;
      if (n === 'x') {
        if (re[i + 2] === '{') {
          const end = re.indexOf('}', i);
          const cp = parseInt(re.slice(i + 3, end), 16);
          i = end + 1;
          return { cp };
        }
        const cp = parseInt(re.slice(i + 2, i + 4), 16);
        i += 4;
        return { cp };
      }
      if (n === 'p' || n === 'P') {
        const end = re.indexOf('}', i);
        const esc = re.slice(i, end + 1);
        i = end + 1;
        return { esc };
      }
      if (n === 'n') {
        i += 2;
        return { cp: 10 };
      }
      if (n === 's' || n === 'S') {
        i += 2;
        // RE2's \s is [\t\n\f\r ]
        return { esc: n === 's' ? '\\t\\n\\f\\r\\x20' : '\\x00-\\x08\\x0b\\x0e-\\x1f\\x21-\\u{10ffff}' };
      }
      if (/[A-Za-z0-9]/.test(n)) throw new Error(`unexpected escape \\${n} in ${re}`);
      const cp = re.codePointAt(i + 1)!;
      i += cp > 0xffff ? 3 : 2;
      return { cp };
    }
    const cp = re.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    return { cp };
  };
  while (i < re.length) {
    const c = re[i]!;
    if (c === '\\' && 'AzbB'.includes(re[i + 1]!)) {
      const n = re[i + 1]!;
      out += n === 'A' ? '(?<![\\s\\S])' : n === 'z' ? '(?![\\s\\S])' : `\\${n}`;
      i += 2;
      continue;
    }
    if (c === '(') {
      const g = /^\((?:\?(?:P<[A-Za-z_][A-Za-z0-9_]*>|[=!]|([ims]*)(?:-([ims]*))?:))?/.exec(re.slice(i))!;
      stack.push(f);
      if (g[0] === '(?=' || g[0] === '(?!') {
        if (reader !== 'python') throw new Error(`lookaround in RE2 text ${re}`);
        out += g[0];
      } else if (g[0].startsWith('(?P<') || g[0] === '(') out += '(';
      else {
        out += '(?:';
        f = setFlags(f, g[1] ?? '', g[2] ?? '');
      }
      i += g[0].length;
      continue;
    }
    if (c === ')') {
      f = stack.pop()!;
      out += ')';
      i++;
      continue;
    }
    if ('|*+?'.includes(c)) {
      out += c;
      i++;
      continue;
    }
    if (c === '{') {
      const m = /^\{\d+(,\d*)?\}/.exec(re.slice(i))!;
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (c === '.') {
      out += f.s ? '[\\s\\S]' : '[^\\n]';
      i++;
      continue;
    }
    if (c === '^') {
      out += f.m ? '(?<![^\\n])' : '(?<![\\s\\S])';
      i++;
      continue;
    }
    if (c === '$') {
      out += f.m ? '(?![^\\n])' : reader === 'python' ? '(?=\\n?(?![\\s\\S]))' : '(?![\\s\\S])';
      i++;
      continue;
    }
    if (c === '[') {
      i++;
      let neg = false;
      if (re[i] === '^') {
        neg = true;
        i++;
      }
      const parts: string[] = [];
      const cps: [number, number][] = [];
      while (re[i] !== ']') {
        const a = readChar();
        if ('esc' in a) {
          parts.push(a.esc);
          continue;
        }
        if (re[i] === '-' && re[i + 1] !== ']') {
          i++;
          const b = readChar() as { cp: number };
          cps.push([a.cp, b.cp]);
        } else cps.push([a.cp, a.cp]);
      }
      i++;
      if (f.i) {
        // RE2 folds the class's members before negating it
        const extra: number[] = [];
        for (const [lo, hi] of cps) for (let cp = lo; cp <= Math.min(hi, lo + 0x3000); cp++) extra.push(...orbit(cp));
        for (const cp of extra) cps.push([cp, cp]);
        if (parts.some((p) => /\\[pP]\{L\}/.test(p))) throw new Error('folded letter classes are not emulated');
      }
      const body = cps.map(([lo, hi]) => (lo === hi ? jsChar(lo) : `${jsChar(lo)}-${jsChar(hi)}`)).join('') + parts.join('');
      out += body === '' ? (neg ? '[\\s\\S]' : '[^\\s\\S]') : `[${neg ? '^' : ''}${body}]`;
      continue;
    }
    const ch = readChar();
    if ('esc' in ch) out += ch.esc;
    else if (f.i) out += `[${orbit(ch.cp).map(jsChar).join('') || jsChar(ch.cp)}]`;
    else out += jsChar(ch.cp);
  }
  return new RegExp(out, 'u');
}

// ---------------------------------------------------------------------------------------------
// Random patterns and strings

/** Characters the strings are made of: ASCII, Unicode digits, letters, spaces and line breaks. */
const ALPHABET = ['a', 'b', 'i', 'I', 'k', 'K', '\u212a', 's', 'S', 'ſ', 'é', 'É', '_', '-', '.', ' ', '\t', '\n', '\r', '\u000b', '\u00a0', '\u2028', '\u3000', '0', '9', '٣', '०', 'x', 'ß', 'ı', 'İ', '\u0345', 'Ⅻ'];

/**
 * The evaluator (JavaScript) departs from CPython on: `ı`/`İ` under IGNORECASE (CPython folds them with
 * i), U+0345 under IGNORECASE with `\w`, and `\r`, U+2028, U+2029 under MULTILINE (JavaScript line
 * breaks). Those characters are left out of the strings for those flags; the translation's handling of
 * them is checked against CPython's answers below.
 */
function alphabet(flags: string): string[] {
  return ALPHABET.filter((c) => !(flags.includes('i') && 'ıİ\u0345'.includes(c)) && !(flags.includes('m') && '\r\u2028\u2029'.includes(c)));
}

const LITERALS = ['a', 'b', 'i', 'k', 's', '\u212a', 'é', '_', '-', '\\.', ' ', '\\n', '٣', 'x', 'ß'];
// (\W and \S inside a class are left to the unit tests: the evaluator reads them as ASCII classes)
const CLASSES = ['[ab]', '[^a-c]', '[\\d_]', '[\\s.]', '[a-z]', '[\\w-]', '[^\\s]', '[^\\d\\s]', '[é\u212a]', '[^k]', '[^\\w]'];
const atom: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...LITERALS),
  fc.constantFrom(...CLASSES),
  fc.constantFrom('.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S'),
);
const quant = fc.constantFrom('', '', '', '*', '+', '?', '{0,2}', '{2}', '*?', '{1,}');

const patternArb: fc.Arbitrary<string> = fc.letrec<{ alt: string; seq: string; item: string }>((tie) => ({
  alt: fc.array(tie('seq'), { minLength: 1, maxLength: 3 }).map((a) => a.join('|')),
  seq: fc.array(tie('item'), { minLength: 0, maxLength: 4 }).map((a) => a.join('')),
  item: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(atom, quant).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: fc.tuple(tie('alt'), quant, fc.constantFrom('(', '(?:')).map(([a, q, g]) => `${g}${a})${q}`) },
  ),
})).alt;

/** A pattern with optional anchors at the ends (`$` is only meaningful there without MULTILINE). */
const anchored = fc
  .tuple(fc.constantFrom('', '', '^', '\\A'), patternArb, fc.constantFrom('', '', '$', '\\Z'))
  .map(([a, p, z]) => (p.includes('|') && (a || z) ? `${a}(?:${p})${z}` : `${a}${p}${z}`));

const flagsArb = fc.constantFrom('', '', 'i', 's', 'm', 'ms', 'is', 'im');
const anchorArb = fc.constantFrom<Anchor>('search', 'match', 'fullmatch');

function stringArb(flags: string): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...alphabet(flags)), { maxLength: 8 }).map((a) => a.join(''));
}

/** The translation for `engine`, read as that engine's consumers read it (pcre: as Python's `re`). */
function translated(pattern: string, flags: string, anchor: Anchor, engine: ReEngine = 're2'): RegExp | null {
  const r = pyToRe2(pattern, flags, { engine });
  if (!r.ok) return null;
  return re2Js(anchorRe(r.re, anchor, engine), engine === 'pcre' ? 'python' : 're2');
}

/**
 * Escapes and groups outside the common subset of Python `re` (3.11, as pySigma compiles Sigma
 * regexes) and PCRE: `\x{...}`, `\p{...}`, `\z`, `\Z` (PCRE: before a final newline), `\u`, `\N`.
 */
const NOT_PYTHON_AND_PCRE = /\\(?:x\{|[pPzZuUN])/;
/** Outside what every engine reads alike (portable): also `\A` and lookaround (RE2 has none). */
const NOT_PORTABLE = /\\(?:x\{|[pPzZuUNA])|\(\?<?[=!]/;

function notPortable(re: string): boolean {
  // escapes are read pairwise so that `\\p` (a backslash, then p) is no \p
  return /^(?:[^\\]|\\.)*$/su.test(re) ? [...re.matchAll(/\\.|\((?:\?<?[=!])?|[^\\(]+/gsu)].some((m) => NOT_PORTABLE.test(m[0])) : true;
}
function notPythonAndPcre(re: string): boolean {
  return [...re.matchAll(/\\.|[^\\]+/gsu)].some((m) => NOT_PYTHON_AND_PCRE.test(m[0]));
}

// ---------------------------------------------------------------------------------------------

describe('Python re → RE2: random patterns against the evaluator', () => {
  it('agrees with Python on every string (re2 and portable read as RE2, pcre read as Python/PCRE)', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        flagsArb.chain((flags) => fc.tuple(fc.constant(flags), anchored, anchorArb, fc.array(stringArb(flags), { minLength: 6, maxLength: 6 }))),
        ([flags, pattern, anchor, strings]) => {
          // the evaluator reads \A (and anchors re.match / re.fullmatch) with ^, which JavaScript's m flag
          // turns into a line start
          if (flags.includes('m') && (pattern.includes('\\A') || anchor !== 'search')) return;
          const py = pyRegex(pattern, flags, anchor);
          for (const engine of ['re2', 'pcre', 'portable'] as const) {
            const js = translated(pattern, flags, anchor, engine);
            if (!js) continue;
            compared++;
            const text = anchorRe((pyToRe2(pattern, flags, { engine }) as { re: string }).re, anchor, engine);
            if (engine === 'pcre') expect(notPythonAndPcre(text), text).toBe(false);
            if (engine === 'portable') expect(notPortable(text), text).toBe(false);
            for (const s of strings) {
              expect(js.test(s), `${engine} ${JSON.stringify(pattern)} /${flags}/ ${anchor} on ${JSON.stringify(s)}: ${String(js)}`).toBe(py.test(s));
            }
          }
        },
      ),
      { numRuns: 300, seed: 20261128 },
    );
    // (portable refuses \s: U+2028 and U+2029 have no spelling every engine reads alike)
    expect(compared).toBeGreaterThan(500);
  });

  it('translates most of the grammar (refusals are the exception)', () => {
    const samples = fc.sample(fc.tuple(anchored, flagsArb), { numRuns: 300, seed: 7 });
    const ok = samples.filter(([p, f]) => pyToRe2(p, f).ok).length;
    expect(ok / samples.length).toBeGreaterThan(0.6);
  });
});

describe('Python re → RE2: each construct', () => {
  const re2 = (p: string, f = '', e: ReEngine = 're2') => {
    const r = pyToRe2(p, f, { engine: e });
    return r.ok ? r.re : `refused: ${r.why}`;
  };
  /** Does the translated pattern (read as RE2) find a match, under the Python match mode? */
  const hit = (p: string, s: string, f = '', anchor: Anchor = 'search', e: ReEngine = 're2') => translated(p, f, anchor, e)!.test(s);

  it('\\d, \\w, \\s and their negations are Unicode (Python str patterns)', () => {
    expect(re2('\\d')).toBe('\\p{Nd}');
    expect(re2('\\D')).toBe('\\P{Nd}');
    expect(re2('\\w')).toBe('[\\p{L}\\p{N}_]');
    expect(re2('\\W')).toBe('[^\\p{L}\\p{N}_]');
    expect(re2('\\s')).toBe('[\\x09-\\x0d\\x1c-\\x1f\\x85\\p{Z}]');
    // CPython: re.search(r'\d', '٣'), re.search(r'\w', 'é'), re.search(r'\s', '\x1c'), re.search(r'\s', '\u200b') is None
    expect(hit('\\d', '٣')).toBe(true);
    expect(hit('\\w', 'é')).toBe(true);
    expect(hit('\\w', 'Ⅻ')).toBe(true);
    expect(hit('\\s', '\x1c')).toBe(true);
    expect(hit('\\s', '\u000b')).toBe(true);
    expect(hit('\\s', '\u200b')).toBe(false);
    expect(hit('\\S', '\u200b')).toBe(true);
    expect(hit('[\\s]', '\u3000')).toBe(true);
    expect(hit('[^\\S]', '\u3000')).toBe(true);
  });

  it('re.ASCII keeps the ASCII classes, and RE2 \\b then is the same', () => {
    expect(re2('\\d\\w', 'a')).toBe('[0-9][0-9A-Z_a-z]');
    expect(re2('\\s', 'a')).toBe('[\\x09-\\x0d\\x20]');
    expect(re2('\\bx\\B', 'a')).toBe('\\bx\\B');
    expect(hit('\\w', 'é', 'a')).toBe(false);
  });

  it('\\b and \\B (Unicode in Python, ASCII in RE2) are refused with the reason', () => {
    expect(re2('\\bfoo\\b')).toMatch(/^refused: \\b is a Unicode word boundary in Python but an ASCII one in RE2/);
    expect(re2('a\\B')).toMatch(/^refused: \\B/);
    expect(re2('\\bfoo', 'a', 'portable')).toMatch(/^refused/);
    expect(re2('[\\b]')).toBe('[\\x08]'); // backspace inside a class
  });

  it('$ also matches before a final newline; fullmatch does not', () => {
    expect(re2('a$')).toBe('a(?:$|\\n\\z)');
    // CPython: re.search('a$', 'a\n') matches, re.search('a$', 'a\n\n') is None, re.fullmatch('a$', 'a\n') is None
    expect(hit('a$', 'a\n')).toBe(true);
    expect(hit('a$', 'a\n\n')).toBe(false);
    expect(hit('a$', 'a\n', '', 'match')).toBe(true);
    expect(hit('a$', 'a\n', '', 'fullmatch')).toBe(false);
    expect(hit('a$', 'a', '', 'fullmatch')).toBe(true);
    expect(anchorRe(pyToRe2('^a$|b$').ok ? (pyToRe2('^a$|b$') as { re: string }).re : '', 'fullmatch')).toBe('\\A(?:^a|b)\\z');
    expect(re2('(a$|b)c')).toMatch(/^refused: \$ followed by more/);
    expect(re2('a\\Z')).toBe('a\\z');
    expect(hit('a\\Z', 'a\n')).toBe(false);
  });

  it('the $ translation keeps its meaning when a Sigma backend adds the m modifier', () => {
    // Sigma passes flags as |m; the pattern was translated without them
    const js = re2Js(`(?m)${(pyToRe2('a$') as { re: string }).re}`);
    expect(js.test('a\nb')).toBe(pyRegex('a$', 'm', 'search').test('a\nb'));
    expect(js.test('ab')).toBe(false);
  });

  it('MULTILINE anchors break lines at \\n only', () => {
    expect(re2('^a$', 'm')).toBe('(?m)^a$');
    expect(hit('^a$', 'x\na\ny', 'm')).toBe(true);
    expect(hit('^a$', 'x\ra', 'm')).toBe(false); // CPython: re.search('^a$', 'x\ra', re.M) is None
    expect(re2('^a', 'm', 'portable')).toMatch(/^refused: multi-line \^/);
    expect(re2('a$', 'm', 'portable')).toMatch(/^refused: multi-line \$/);
    // CPython: re.search('(?m)^$', 'a\n') matches at 2; PCRE's ^ does not match after a final newline
    expect(re2('^$', 'm', 'pcre')).toMatch(/^refused/);
    expect(re2('^a', 'm', 'pcre')).toBe('(?m)^a');
    // CPython: re.match('$', 'a\n', re.M) is None, re.match('a$', 'a\nb', re.M) matches
    expect(hit('$', 'a\n', 'm', 'match')).toBe(false);
    expect(hit('a$', 'a\nb', 'm', 'match')).toBe(true);
  });

  it('. excludes only \\n (RE2 and PCRE alike); portable spells it out', () => {
    expect(re2('a.b')).toBe('a.b');
    expect(re2('a.b', '', 'portable')).toBe('a[^\\n]b');
    expect(re2('a.b', 's', 'portable')).toBe('(?s)a[\\s\\S]b');
    expect(hit('a.b', 'a\rb')).toBe(true);
    expect(hit('a.b', 'a\nb')).toBe(false);
    expect(hit('a.b', 'a\nb', 's')).toBe(true);
  });

  it('IGNORECASE: i, I, ı, İ fold together as in CPython', () => {
    // CPython: re.search('(?i)i', 'ı'), re.search('(?i)i', 'İ'), re.search('(?i)[a-z]', 'ı') match;
    // re.search('(?i)[^a-z]', 'ı') is None
    expect(re2('admin', 'i')).toBe('(?i)adm[Iiİı]n');
    expect(re2('[a-z]', 'i')).toBe('(?i)[a-zIiİı]');
    expect(hit('admin', 'ADMİN', 'i')).toBe(true);
    expect(hit('admin', 'admın', 'i')).toBe(true);
    expect(hit('[a-z]', 'ı', 'i')).toBe(true);
    expect(hit('[^a-z]', 'ı', 'i')).toBe(false);
    expect(hit('k', '\u212a', 'i')).toBe(true); // Kelvin sign: CPython and RE2 fold it with k
    expect(hit('s', 'ſ', 'i')).toBe(true);
    // \w does not fold in CPython: re.search(r'(?i)\w', '\u0345') is None
    expect(re2('\\w', 'i')).toBe('(?i)(?-i:[\\p{L}\\p{N}_])');
    expect(hit('\\w', '\u0345', 'i')).toBe(false);
    expect(hit('[\\w-]', '\u0345', 'i')).toBe(false);
    expect(hit('[\\w-]', 'Ⅻ', 'i')).toBe(true);
  });

  it('IGNORECASE with re.ASCII folds ASCII letters only', () => {
    // CPython: re.search('(?ai)k', 'K') is None, re.search('(?ai)é', 'É') is None
    expect(hit('k', '\u212a', 'ai')).toBe(false);
    expect(hit('k', 'K', 'ai')).toBe(true);
    expect(hit('é', 'É', 'ai')).toBe(false);
    expect(hit('[a-z]', 'ſ', 'ai')).toBe(false);
    expect(hit('[a-z]', 'Q', 'ai')).toBe(true);
  });

  it('portable IGNORECASE spells out every non-ASCII case partner', () => {
    expect(re2('é', 'i', 'portable')).toBe('(?i)(?-i:[Éé])');
    expect(re2('k', 'i', 'portable')).toBe('(?i)(?-i:[Kk\u212a])');
    expect(re2('a', 'i', 'portable')).toBe('(?i)a');
    expect(hit('[é-ê]', 'Ê', 'i', 'search', 'portable')).toBe(true);
  });

  it('case classes: a code point alone in its class is itself; a range finds every cased code point in it', () => {
    // pyCaseClasses keeps only shared classes and expandCase looks ranges up by binary search (perf): the same
    // classes as CPython's re.IGNORECASE, e.g. re.fullmatch('(?i)k', '\u212a') and re.fullmatch('(?i)s', '\u017f')
    expect(pyCaseClass(0x6b)).toEqual([0x4b, 0x6b, 0x212a]);
    expect(pyCaseClass(0x212a)).toEqual([0x4b, 0x6b, 0x212a]);
    expect(pyCaseClass(0x73)).toEqual([0x53, 0x73, 0x17f]);
    expect(pyCaseClass(0x31)).toEqual([0x31]);
    expect(pyCaseClass(0x1ffff)).toEqual([0x1ffff]);
    // a range written whole, in overlapping pieces, or with its ends only: the same partners
    expect(re2('[j-t]', 'i', 'portable')).toBe('(?i)(?-i:[J-Tj-t\u017f\u212a])');
    expect(re2('[j-pl-t]', 'i', 'portable')).toBe(re2('[j-t]', 'i', 'portable'));
    expect(re2('[\u212a]', 'i', 'portable')).toBe('(?i)(?-i:[Kk\u212a])');
  });

  it('the caller\'s own case-insensitivity (ci option) is translated for but not prefixed', () => {
    expect(pyToRe2('i', '', { ci: true })).toEqual({ ok: true, re: '[Iiİı]' });
  });

  it('quantifiers: {,n}, literal braces, RE2 count limit', () => {
    // CPython: re.search('a{,2}b', 'aab') matches; re.search('x{', 'x{') matches
    expect(re2('a{,2}b')).toBe('a{0,2}b');
    expect(hit('a{,2}b', 'aab')).toBe(true);
    expect(re2('x{')).toBe('x\\{');
    expect(re2('x{a}')).toBe('x\\{a\\}');
    expect(re2('{}')).toBe('\\{\\}');
    expect(re2('a{1001}')).toMatch(/^refused: repetition counts above 1000/);
    expect(re2('a**')).toMatch(/^refused: multiple repeat/);
    expect(re2('(?:ab)+?')).toBe('(?:ab)+?');
    expect(re2('\\d{2,3}')).toBe('\\p{Nd}{2,3}');
  });

  it('character classes: [ is literal, POSIX-looking text stays text', () => {
    // CPython: re.search('[[:alpha:]]', 'l]') matches (the class [[:alph] then a literal ])
    expect(re2('[[:alpha:]]')).toBe('[\\[:alpha:]\\]');
    expect(hit('[[:alpha:]]', 'l]')).toBe(true);
    expect(hit('[[:alpha:]]', 'b')).toBe(false);
    expect(re2('[\\W.]')).toBe('(?:[^\\p{L}\\p{N}_]|[.])');
    expect(re2('[^\\W.]')).toMatch(/^refused: \\W inside a negated/);
    // CPython: re.search(r'[.\W]', 'İ') is None, re.search(r'[.\W]', '\u3000') and re.search(r'[\S]', 'é') match
    expect(hit('[.\\W]', 'İ')).toBe(false);
    expect(hit('[.\\W]', '\u3000')).toBe(true);
    expect(hit('[\\S]', 'é')).toBe(true);
    expect(hit('[\\S]', '\u2028')).toBe(false);
    expect(re2('[]a]')).toBe('[\\]a]');
  });

  it('verbose mode is refused', () => {
    expect(re2('a b  # comment\n c', 'x')).toMatch(/^refused: verbose/);
    expect(re2('(?x) [ ] a')).toMatch(/^refused: verbose/);
    expect(re2('(?x: a b )c')).toMatch(/^refused: verbose/);
  });

  it('flags: global ones first, scoped ones kept, misplaced ones refused', () => {
    expect(re2('(?i)a')).toBe('(?i)a');
    expect(re2('(?s:.)a')).toBe('(?s:.)a');
    expect(re2('a(?i)b')).toMatch(/^refused: global flags not at the start/);
    expect(re2('(?i:i)')).toBe('(?i:[Iiİı])');
  });

  it('escapes: octal, hex, Unicode and named characters', () => {
    expect(re2('\\101\\0\\x41\\u0041\\U0001F600')).toBe('A\\x00AA\\x{1f600}');
    expect(re2('\\1')).toMatch(/^refused: backreferences/);
    expect(re2('\\N{EM DASH}')).toMatch(/^refused/);
    expect(re2('\\q')).toMatch(/^refused: bad escape/);
  });

  it('RE2 case folding is never wider than Python\'s', () => {
    for (const c of ['k', 'K', 's', 'ß', 'Σ', 'ς', 'µ', 'ǅ', 'ϴ', 'ͅ']) {
      const cp = c.codePointAt(0)!;
      const py = pyCaseClass(cp);
      for (const d of orbit(cp)) expect(py).toContain(d);
    }
    expect(pyCaseClass(0x69)).toEqual([0x49, 0x69, 0x130, 0x131]);
    expect(orbit(0x69)).toEqual([0x49, 0x69]);
  });
});

describe('each engine reads what its own tooling accepts', () => {
  const tr = (p: string, f = '', e: ReEngine = 're2', o: Partial<ReOptions> = {}) => {
    const r = pyToRe2(p, f, { engine: e, ...o });
    return r.ok ? r.re : `refused: ${r.why}`;
  };
  const hit = (p: string, s: string, f = '', anchor: Anchor = 'search', e: ReEngine = 're2') => translated(p, f, anchor, e)!.test(s);
  /** The pcre text read as Python's `re` / PCRE read it (JavaScript `u` stand-in, see re2Js). */
  const py = (p: string, f = '', anchor: Anchor = 'search') => translated(p, f, anchor, 'pcre')!;

  it('Sigma (pcre): no \\x{...}, \\p{...}, \\z, \\Z — what pySigma (Python 3.11 re) rejects or misreads', () => {
    // constructs the public corpus carried: \s (\x{1680}...), \w (\p{L}), \d (\p{Nd}), \Z and fullmatch (\z)
    for (const [p, f] of [['\\s+x', ''], ['\\w+', ''], ['\\d{3}', ''], ['\\W\\D\\S', ''], ['a\\Z', ''], ['[\\w.-]+@', 'i'], ['\\u00e9\\u2028\\x85', '']]) {
      for (const anchor of ['search', 'match', 'fullmatch'] as const) {
        const r = pyToRe2(p!, f!, { engine: 'pcre' });
        expect(r.ok, p).toBe(true);
        const text = anchorRe((r as { re: string }).re, anchor, 'pcre');
        expect(notPythonAndPcre(text), text).toBe(false);
      }
    }
    expect(tr('a\\Z', '', 'pcre')).toBe('a(?![\\s\\S])');
    expect(anchorRe(tr('get.*', '', 'pcre'), 'fullmatch', 'pcre')).toBe('\\A(?:get.*)(?![\\s\\S])');
    expect(anchorRe(tr('a|b', '', 'pcre'), 'match', 'pcre')).toBe('\\A(?:a|b)');
    // PCRE's $ (no D flag) is Python's: the end or before a final \n, wherever it stands
    expect(tr('a$', '', 'pcre')).toBe('a$');
    expect(tr('(a$|b)c', '', 'pcre')).toBe('(a$|b)c');
    expect(tr('\\u00e9\\u2028\\x85\\x7f', '', 'pcre')).toBe('é\u2028\\x85\\x7f');
    expect(tr('\\s', '', 'pcre')).toBe('[\\x09-\\x0d\\x1c-\\x20\\x85\\xa0\u1680\u2000-\u200a\u2028-\u2029\u202f\u205f\u3000]');
    expect(tr('\\d', '', 'pcre')).toMatch(/^\[0-9٠-٩۰-۹.*\]$/u);
    // Python warns of future set operations on &&, ~~, || inside a class: escaped
    expect(tr('[&&~~||]', '', 'pcre')).toBe('[\\&\\&\\~\\~\\|\\|]');
    // \W inside a negated class has a form now (the explicit complement)
    expect(tr('[^\\W.]', '', 'pcre')).toMatch(/^\[\^\./);
  });

  it('Sigma (pcre): the explicit sets match what Python matches', () => {
    // CPython 3.11: re.search(r'\d', c) for each; U+0F20 TIBETAN DIGIT ZERO is Nd, U+00B2 and U+2167 are not
    for (const [c, d, w, s] of [
      ['٣', true, true, false], ['０', true, true, false], ['\u0f20', true, true, false], ['²', false, true, false],
      ['Ⅷ', false, true, false], ['é', false, true, false], ['_', false, true, false], ['-', false, false, false],
      ['\u1680', false, false, true], ['\u3000', false, false, true], ['\u200b', false, false, false], ['\x1c', false, false, true],
      ['😀', false, false, false], ['𝟘', true, true, false],
    ] as const) {
      expect(py('\\d').test(c), `\\d ${c}`).toBe(d);
      expect(py('\\D').test(c), `\\D ${c}`).toBe(!d);
      expect(py('\\w').test(c), `\\w ${c}`).toBe(w);
      expect(py('\\W').test(c), `\\W ${c}`).toBe(!w);
      expect(py('\\s').test(c), `\\s ${c}`).toBe(s);
      expect(py('\\S').test(c), `\\S ${c}`).toBe(!s);
      expect(py('[^\\W\\d]').test(c), `[^\\W\\d] ${c}`).toBe(w && !d);
    }
    // the explicit sets are the JavaScript engine's Unicode properties, code point for code point
    const d = new RegExp(`^${tr('\\d', '', 'pcre')}$`, 'u');
    const w = new RegExp(`^${tr('\\w', '', 'pcre').replace(/\\([&~])/g, '$1')}$`, 'u');
    for (let cp = 0; cp <= 0x10ffff; cp += cp < 0x20000 ? 1 : 97) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (d.test(c) !== /\p{Nd}/u.test(c)) throw new Error(`\\d U+${cp.toString(16)}`);
      if (w.test(c) !== /[\p{L}\p{N}_]/u.test(c)) throw new Error(`\\w U+${cp.toString(16)}`);
    }
    // CPython: re.search('a$', 'a\n') matches, re.search('a$', 'a\n\n') and re.search(r'a\Z', 'a\n') are None
    expect(py('a$').test('a\n')).toBe(true);
    expect(py('a$').test('a\n\n')).toBe(false);
    expect(py('a\\Z').test('a\n')).toBe(false);
    expect(py('(a$|b)c').test('bc')).toBe(true);
    expect(py('a$', '', 'fullmatch').test('a\n')).toBe(false);
    expect(py('a.*', '', 'fullmatch').test('ab\n')).toBe(false);
  });

  it('Logs Insights (portable): no \\x{...}, \\p{...}, \\A, \\z, lookaround; $ reported', () => {
    expect(tr('\\Aab', '', 'portable')).toBe('^ab');
    expect(tr('\\Aab', 'm', 'portable')).toBe('^ab'); // no m flag: ^ stays the start of the text
    expect(tr('(?m:\\Aa)', '', 'portable')).toBe('(?:^a)');
    expect(tr('a\\Z', '', 'portable')).toBe('a$');
    expect(tr('a$', '', 'portable')).toBe('a\\n?$');
    expect(anchorRe(tr('a|b', '', 'portable'), 'fullmatch', 'portable')).toBe('^(?:a|b)$');
    expect(anchorRe(tr('a$', '', 'portable'), 'fullmatch', 'portable')).toBe('^(?:a)$');
    expect(tr('\\x00\\x85\\u00e9\\U0001F600', '', 'portable')).toBe('\\x00\\x85é😀');
    // U+2028 and U+2029 have no spelling of their own every engine reads alike and cannot be raw in the
    // query: alone they are refused; both (in \s) are the class of all but the code points around them
    expect(tr('\\u2029', '', 'portable')).toMatch(/^refused: U\+2029/);
    expect(tr('[a\\u2028]', '', 'portable')).toMatch(/^refused: U\+2028/);
    expect(tr('[^\\u2028]', '', 'portable')).toMatch(/^refused: U\+2029/);
    expect(tr('[\\u2028\\u2029]', '', 'portable')).toBe('[^\\x00-\u2027\u202a-\ud7ff\ue000-\u{10ffff}]');
    expect(tr('\\s', '', 'portable')).toBe('(?:[\\x09-\\x0d\\x1c-\\x20\\x85\\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]|[^\\x00-\u2027\u202a-\ud7ff\ue000-\u{10ffff}])');
    expect(notPortable(tr('\\s[^/\\s][\\s,](?i:\\s)', '', 'portable'))).toBe(false);
    expect(tr('\\ud800', '', 'portable')).toMatch(/^refused: a lone surrogate/);
    expect(notPortable(tr('\\S\\d\\W[^\\w.]', 'i', 'portable'))).toBe(false);
    // the end anchor: exact in RE2/JavaScript, wider in PCRE/Python/Java on a final line break
    expect(portableEndNote('^a\\n?$')).toMatch(/wider on values ending in a line break/);
    expect(portableEndNote('a\\$[$]')).toBeNull();
    expect(portableEndNote('^a')).toBeNull();
    expect(hit('a$', 'a\n', '', 'search', 'portable')).toBe(true);
    expect(hit('a$', 'a\n\n', '', 'search', 'portable')).toBe(false);
  });

  it('YARA-L (re2, dotAll): under (?s) Python\'s . still stops at \\n, and every line is searched', () => {
    expect(tr('a.b', '', 're2', { dotAll: true })).toBe('a[^\\n]b');
    expect(tr('a.b', 's', 're2', { dotAll: true })).toBe('(?s)a.b');
    expect(tr('(?s:.)(?-s:.)', '', 're2', { dotAll: true })).toBe('(?s:.)(?-s:[^\\n])');
    // as the YARA-L printer writes it: (?s) first (merged with the pattern's own leading flags here)
    const run = (p: string, f: string, s: string) => {
      const t = tr(p, f, 're2', { dotAll: true });
      return re2Js(t.startsWith('(?') && /^\(\?[ims]+\)/.test(t) ? `(?s${t.slice(2)}` : `(?s)${t}`).test(s);
    };
    // CPython: re.search('b.c', 'a\nb\nc') is None, re.search('b.c', 'a\nbxc') and re.search('(?s)b.c', 'b\nc') match
    expect(run('b.c', '', 'a\nb\nc')).toBe(false);
    expect(run('b.c', '', 'a\nbxc')).toBe(true);
    expect(run('b.c', 's', 'b\nc')).toBe(true);
    expect(run('^b', '', 'a\nb')).toBe(false);
    expect(run('^b', 'm', 'a\nb')).toBe(true);
  });

  it('fnmatch globs per engine', () => {
    expect(globToRe2('*.l[a-c]g?')).toBe('(?s)\\A(?:.*\\.l[a-c]g.)\\z');
    expect(globToRe2('*.l[a-c]g?', '', 'pcre')).toBe('(?s)\\A(?:.*\\.l[a-c]g.)(?![\\s\\S])');
    expect(globToRe2('*/é?', '/', 'portable')).toBe('^(?:[\\s\\S]*\\x2fé[\\s\\S])$');
    expect(globToRe2('[]', '', 'pcre')).toBe('(?s)\\A(?:\\[\\])(?![\\s\\S])');
    for (const e of ['pcre', 'portable'] as const) expect(notPortable(globToRe2('a[!&~]*\u00e9', '', e).replace('\\A', '').replace('(?![\\s\\S])', ''))).toBe(false);
  });

  it('KQL and YARA-L (re2) keep RE2 syntax RE2 accepts', () => {
    expect(tr('\\d\\w\\Z')).toBe('\\p{Nd}[\\p{L}\\p{N}_]\\z');
    expect(tr('a\\x85')).toBe('a\\x{85}');
    expect(notPythonAndPcre(tr('\\d\\w\\Z'))).toBe(true); // which is why Sigma gets its own writer
  });
});

describe('RE2 spelling of Python\'s \\s', () => {
  it('portable: \\s and classes holding it, read back by every engine of the dialect, are Python\'s on every code point', () => {
    for (const [p, f] of [['\\s', ''], ['[^/\\s]', ''], ['[\\s,]', ''], ['[^\\s]', ''], ['\\s', 'i'], ['[^\\sa]', 'i'], ['[\\u2028\\u2029x]', '']] as const) {
      const out = pyToRe2(p, f, { delims: '/', engine: 'portable' });
      if (!out.ok) throw new Error(`${p}: ${out.why}`);
      const target = compileTargetRegex(anchorRe(out.re, 'fullmatch', 'portable'), 'portable');
      const python = pyRegex(p, f, 'fullmatch');
      for (let cp = 0; cp <= 0x10ffff; cp += cp < 0x10000 ? 1 : 997) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        const ch = String.fromCodePoint(cp);
        if (target.test(ch) !== python.test(ch)) throw new Error(`${p} (${f}) differs on U+${cp.toString(16)}`);
      }
    }
  });

  it('is exactly str.isspace() (the separators \\p{Z} and the controls isspace adds)', () => {
    // CPython's str.isspace() code points (Unicode 15: general category Zs, or bidi class WS, B or S)
    const py = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000];
    const re = new RegExp(`^[${RE2_PY_SPACE}]$`, 'u');
    const got: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) if (!(cp >= 0xd800 && cp <= 0xdfff) && re.test(String.fromCodePoint(cp))) got.push(cp);
    expect(got).toEqual(py);
    expect((pyToRe2('a\\sb') as { re: string }).re).toBe(`a[${RE2_PY_SPACE}]b`);
    expect((pyToRe2('\\S+') as { re: string }).re).toBe(`[^${RE2_PY_SPACE}]+`);
  });
});
