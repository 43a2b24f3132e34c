/**
 * Logs Insights (portable regexes): a final `$` made exact by excluding the values that end in a
 * line-end character (`portableEnd`, src/targets/common/regex.ts), on which engines read `$`
 * differently (RE2, JavaScript: the end; Python, PCRE2: also before a final `\n`; Java: also before a
 * final `\r`, `\r\n`, U+0085, U+2028, U+2029; ICU and PCRE2 NEWLINE=ANY: also `\v`, `\f`).
 *
 * Every form is read back by the evaluator's regex reader (src/proof/regex.ts, which runs RE2's,
 * PCRE2's, Java's, Python's and JavaScript's readings and refuses a value they disagree on), combined
 * with Kleene's three-valued `and`/`or` (a refused test is unknown), and must be decided and equal to
 * Python on every string over an alphabet of line-end characters and letters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globRegex, pyRegex } from '../src/ast/regex.js';
import type { Json, Pred, Rule } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { compileCwl } from '../src/proof/cwl/index.js';
import { proveOutput } from '../src/proof/index.js';
import { Refusal } from '../src/proof/types.js';
import { anchorRe, globToRe2, portableEnd, pyToRe2, reEscape } from '../src/targets/common/regex.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { deepGet, lit, portableTest, ruleWithTests } from './support.js';

/** Letters and every character some engine's `$` treats as a line end, plus the guard class's extra members. */
const ALPHABET = ['a', 'b', '\n', '\r', '\x0b', '\x0c', '\x85', '\u2028', '\u2029', '\u2027', '\u2030', 'A', 'é'];
const strings = (n: number) => fc.array(fc.constantFrom(...ALPHABET), { maxLength: 5 }).map((a) => a.join(''));

type Tri = boolean | undefined;
const test = portableTest;
const and3 = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === undefined || b === undefined ? undefined : true);
const or3 = (a: Tri, b: Tri): Tri => (a === true || b === true ? true : a === undefined || b === undefined ? undefined : false);
const not3 = (a: Tri): Tri => (a === undefined ? undefined : !a);

/** What Logs Insights decides for `re` as the printer writes it: the alternatives of portableEnd, or the regex alone. */
function decide(re: string, s: string): Tri {
  const end = portableEnd(re);
  if (end === null || !end.ok) return test(re, s);
  return end.alts.reduce<Tri>((acc, a) => or3(acc, and3(test(a.re, s), not3(test(a.not, s)))), false);
}

describe('portableEnd', () => {
  it('leaves a regex without `$` alone; reports what it cannot make exact', () => {
    expect(portableEnd('^ab')).toBeNull();
    expect(portableEnd('a\\$')).toBeNull();
    // a pattern that may end in a line-end character, or match the empty string at the end
    expect(portableEnd('a[^b]$')).toMatchObject({ ok: false });
    expect(portableEnd('a[\\s\\S]$')).toMatchObject({ ok: false });
    expect(portableEnd('a\\x0d$')).toMatchObject({ ok: false });
    expect(portableEnd('a*$')).toMatchObject({ ok: false });
    expect(portableEnd('$')).toMatchObject({ ok: false });
    expect(portableEnd('(?:a$|b)')).toMatchObject({ ok: false });
    expect(portableEnd('(?:a|b$)')).toMatchObject({ ok: false });
  });

  it('a `$` right after an unbounded run of a set holding every line-end character needs nothing: the engines agree', () => {
    const W = pyToRe2('\\s', '', { engine: 'portable', delims: '/' });
    expect(W.ok).toBe(true);
    const w = W.ok ? W.re : '';
    for (const re of [`^${w}*a${w}*$`, `^(?:a${w}*-|a${w}*$)`, 'a[\\s\\S]*$']) expect(portableEnd(re), re).toBeNull();
    // also inside an alternative that ends the pattern; not a bounded run, a set missing a line end, or a `$` something follows
    expect(portableEnd(`(?:a${w}*$|b)`)).toBeNull();
    for (const re of [`a${w}?$`, 'a[\\x09-\\x0c]*$', `(?:a${w}*$|b)c`]) expect(portableEnd(re), re).not.toBeNull();
    for (const s of ['a', 'a\n', 'a \r\n', 'a\u2028', 'a\u2029', ' a\x85', 'ab', 'a\nb', 'a-', '\na\n\n']) {
      expect(test(`^${w}*a${w}*$`, s), JSON.stringify(s)).toBe(/^\s*a\s*$/.test(s.replace(/[\x1c-\x1f\x85]/g, ' ')));
    }
  });

  it('a suffix, an anchored literal, an anchored alternation', () => {
    const G = '[\\x0a-\\x0d\\x85\u2027-\u2030]';
    expect(portableEnd('\\.amazonaws\\.com$')).toEqual({ ok: true, alts: [{ re: '\\.amazonaws\\.com$', not: `${G}$` }] });
    expect(portableEnd('(?i)^(?:ab|c)$')).toEqual({ ok: true, alts: [{ re: '(?i)^(?:ab|c)$', not: `${G}$` }] });
    // empty only at the start: ^(?:|a)$ matches "" and "a"
    expect(portableEnd('^(?:|a)$')).toMatchObject({ ok: true });
    // Python's `$` (`\n?$`): a second alternative for the values ending in "\n"
    expect(portableEnd('^(?:a[0-9]+\\n?$)')).toEqual({
      ok: true,
      alts: [
        { re: '^(?:a[0-9]+\\n?$)', not: `${G}$` },
        { re: '^(?:a[0-9]+\\n$)', not: `${G}${G}$` },
      ],
    });
  });

  it('reads alike in every engine and agrees with Python: suffixes and anchored literals', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'é', '.', '/', '\n', '\u2028'), { minLength: 1, maxLength: 3 }), fc.array(strings(5), { minLength: 8, maxLength: 8 }), (chars, values) => {
        const lit = chars.join('');
        // the printer's suffix and anchored-literal forms (U+2028 has no portable spelling: not printed)
        if (lit.includes('\u2028')) return;
        const forms: [string, (s: string) => boolean][] = [
          [`${reEscape(lit, '/')}$`, (s) => s.endsWith(lit)],
          [`^${reEscape(lit, '/')}$`, (s) => s === lit],
        ];
        for (const [re, py] of forms) {
          const end = portableEnd(re);
          // a literal ending in a line-end character stays reported
          expect(end?.ok, re).toBe(!/[\n\r\x0b\x0c\x85\u2027-\u2030]$/.test(lit));
          if (!end?.ok) continue;
          for (const s of values) expect(decide(re, s), `${re} on ${JSON.stringify(s)}`).toBe(py(s));
        }
      }),
      { numRuns: 300, seed: 1207 },
    );
  });

  it('reads alike in every engine and agrees with Python: fnmatch globs', () => {
    let exact = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '*', '?', '[ab]', '[!a]', '\n', '.'), { minLength: 1, maxLength: 4 }), fc.array(strings(5), { minLength: 8, maxLength: 8 }), (parts, values) => {
        const glob = parts.join('');
        const re = globToRe2(glob, '/', 'portable');
        const end = portableEnd(re);
        if (end === null || end.ok) exact++;
        else return;
        const py = globRegex(glob, false);
        for (const s of values) expect(decide(re, s), `${glob} (${re}) on ${JSON.stringify(s)}`).toBe(py.test(s));
      }),
      { numRuns: 400, seed: 12 },
    );
    expect(exact).toBeGreaterThan(200);
  });

  it('a glob ending in `*` is a prefix test, without `$`', () => {
    expect(globToRe2('panther-*', '/', 'portable')).toBe('^(?:panther-)');
    expect(globToRe2('a*b**', '/', 'portable')).toBe('^(?:a[\\s\\S]*b)');
    expect(globToRe2('*', '/', 'portable')).toBe('^(?:)');
    expect(globToRe2('a*b', '/', 'portable')).toBe('^(?:a[\\s\\S]*b)$');
    for (const s of ['', 'a', 'ab\n', 'xab', 'a\nb']) expect(test('^(?:a[\\s\\S]*b)', s)).toBe(globRegex('a*b*', false).test(s));
  });

  it('reads alike in every engine and agrees with Python: re.search / match / fullmatch patterns', () => {
    const atom = fc.constantFrom('a', 'b', '[ab]', '[^a]', '.', '\\d', 'a?', 'b*', '(?:a|b)', '(?:ab|)', '\\n');
    const pattern = fc.tuple(fc.constantFrom('', '^'), fc.array(atom, { minLength: 1, maxLength: 3 }), fc.constantFrom('$', '\\Z', '$', '')).map(([a, xs, z]) => a + xs.join('') + z);
    let compared = 0;
    fc.assert(
      fc.property(pattern, fc.constantFrom('', 'i', 's'), fc.constantFrom<'search' | 'match' | 'fullmatch'>('search', 'match', 'fullmatch'), fc.array(strings(5), { minLength: 8, maxLength: 8 }), (p, flags, anchor, values) => {
        const r = pyToRe2(p, flags, { delims: '/', engine: 'portable' });
        if (!r.ok) return;
        const re = anchorRe(r.re, anchor, 'portable');
        const end = portableEnd(re);
        if (end !== null && !end.ok) return;
        compared++;
        const py = pyRegex(p, flags, anchor);
        for (const s of values) expect(decide(re, s), `${p} /${flags}/ ${anchor} (${re}) on ${JSON.stringify(s)}`).toBe(py.test(s));
      }),
      { numRuns: 600, seed: 70 },
    );
    expect(compared).toBeGreaterThan(250);
  });
});

// ---------------------------------------------------------------------------------------------
// The printer

const get = deepGet;
const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };

const rule = (condition: Pred, logs: [Json, boolean][]): Rule => ruleWithTests('T.EndAnchor', condition, logs);
const body = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

describe('the Logs Insights printer', () => {
  const G = '/[\\x0a-\\x0d\\x85\u2027-\u2030]$/';
  const cases: { name: string; pred: Pred; lines: string[]; logs: [Json, boolean][] }[] = [
    {
      name: 'endswith: the suffix, and no line-end character last',
      pred: { k: 'match', kind: 'endswith', value: get('eventSource'), pattern: '.amazonaws.com' },
      lines: ['| filter eventSource =~ /\\.amazonaws\\.com$/', `| filter not (eventSource =~ ${G})`],
      logs: [[{ eventSource: 's3.amazonaws.com' }, true], [{ eventSource: 's3.amazonaws.com\n' }, false], [{ eventSource: 'x' }, false], [{}, false]],
    },
    {
      name: 'not endswith: De Morgan',
      pred: { k: 'not', arg: { k: 'match', kind: 'endswith', value: get('eventSource'), pattern: '.amazonaws.com' } },
      lines: [`| filter not (eventSource =~ /\\.amazonaws\\.com$/) or eventSource =~ ${G}`],
      logs: [[{ eventSource: 's3.amazonaws.com' }, false], [{ eventSource: 's3.amazonaws.com\r\n' }, true], [{ eventSource: 'x' }, true]],
    },
    {
      name: 'a glob: literal, prefix, suffix, substring and general shapes',
      pred: {
        k: 'and',
        args: [
          { k: 'match', kind: 'glob', value: get('eventName'), pattern: 'GetObject' },
          { k: 'match', kind: 'glob', value: get('userIdentity.arn'), pattern: 'arn:aws:sts::*' },
          { k: 'match', kind: 'glob', value: get('userAgent'), pattern: '*terraform*' },
          { k: 'match', kind: 'glob', value: get('requestParameters.key'), pattern: '*.tfstate' },
          { k: 'match', kind: 'glob', value: get('requestParameters.bucketName'), pattern: 'state-??-*-prod' },
        ],
      },
      lines: [
        '| filter eventName = "GetObject"',
        '| filter requestParameters.bucketName =~ /^(?:state-[\\s\\S][\\s\\S]-[\\s\\S]*-prod)$/',
        `| filter not (requestParameters.bucketName =~ ${G})`,
        '| filter requestParameters.key =~ /\\.tfstate$/',
        `| filter not (requestParameters.key =~ ${G})`,
        '| filter userAgent like "terraform"',
        '| filter userIdentity.arn =~ /^arn:aws:sts::/',
      ],
      logs: [
        [{ eventName: 'GetObject', userIdentity: { arn: 'arn:aws:sts::1:x' }, userAgent: 'a terraform b', requestParameters: { key: 'x.tfstate', bucketName: 'state-eu-1-prod' } }, true],
        [{ eventName: 'GetObject', userIdentity: { arn: 'arn:aws:sts::1:x' }, userAgent: 'a terraform b', requestParameters: { key: 'x.tfstate\n', bucketName: 'state-eu-1-prod' } }, false],
        [{ eventName: 'GetObject', userIdentity: { arn: 'arn:aws:sts::1:x' }, userAgent: 'a terraform b', requestParameters: { key: 'x.tfstate', bucketName: 'state-eu-1-prod\n' } }, false],
      ],
    },
    {
      name: 'a case-insensitive equality',
      pred: { k: 'cmp', op: 'eq', left: get('eventName'), right: lit('getobject'), ci: true },
      lines: ['| filter eventName =~ /(?i)^getobject$/', `| filter not (eventName =~ ${G})`],
      logs: [[{ eventName: 'GetObject' }, true], [{ eventName: 'GetObject\n' }, false]],
    },
    {
      name: "Python's `$`: the value, or the value and a final newline",
      pred: { k: 'match', kind: 'regex', value: get('userIdentity.arn'), pattern: '/ci-[0-9]+$' },
      lines: [
        `| filter (userIdentity.arn =~ /\\x2fci-[0-9]+\\n?$/ and not (userIdentity.arn =~ ${G})) or (userIdentity.arn =~ /\\x2fci-[0-9]+\\n$/ and not (userIdentity.arn =~ /[\\x0a-\\x0d\\x85\u2027-\u2030][\\x0a-\\x0d\\x85\u2027-\u2030]$/))`,
      ],
      logs: [
        [{ userIdentity: { arn: 'r/ci-12' } }, true],
        [{ userIdentity: { arn: 'r/ci-12\n' } }, true],
        [{ userIdentity: { arn: 'r/ci-12\n\n' } }, false],
        [{ userIdentity: { arn: 'r/ci-12\r\n' } }, false],
        [{ userIdentity: { arn: 'r/ci-12\u2028' } }, false],
        [{ userIdentity: { arn: 'r/ci-' } }, false],
      ],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: exact, read back and agreeing with every test`, () => {
      const r = rule(c.pred, c.logs);
      const out = renderRule(r, 'cwl', ctx);
      expect(out.reasons).toEqual([]);
      expect(out.fidelity).toBe('exact');
      for (const l of c.lines) expect(body(out.text)).toContain(l);
      const report = proveOutput(out, r, mapper)!;
      expect(report.tests).toMatchObject({ passed: c.logs.length, failed: 0, notEvaluable: 0 });
    });
  }

  it('a suffix ending in a line break stays reported (wider)', () => {
    const out = renderRule(rule({ k: 'match', kind: 'endswith', value: get('eventSource'), pattern: 'com\n' }, []), 'cwl', ctx);
    expect(out.reasons.map((x) => [x.code, x.direction])).toEqual([['target-regex-end-anchor', 'wider']]);
  });

  it('the evaluator decides a filter whose regex the engines read differently when a sibling is false', () => {
    const q = `fields @timestamp | filter (f =~ /a$/ and not (f =~ ${G})) or f = "z"`;
    const ev1 = (log: Json) => compileCwl(q).matches({ fields: new Map(Object.entries(log as Record<string, string>)), opaque: new Map(), containers: new Set() } as never);
    expect(ev1({ f: 'ba\n' })).toBe(false);
    expect(ev1({ f: 'ba' })).toBe(true);
    expect(ev1({ f: 'z' })).toBe(true);
    expect(() => compileCwl('fields @timestamp | filter f =~ /a$/').matches({ fields: new Map([['f', 'ba\n']]), opaque: new Map(), containers: new Set() } as never)).toThrow(Refusal);
  });
});
