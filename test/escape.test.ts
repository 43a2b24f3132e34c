/**
 * Property tests of the escaping modules over arbitrary strings (quotes, backslashes,
 * newlines, wildcards, pipes, slashes, backticks, %, unicode, lone surrogates):
 * - KQL: Kusto.Language parses the literal back to the same value;
 * - Sigma: YAML parse + Sigma wildcard unescape gives the original;
 * - Sentinel: YAML scalars and literal blocks read back (YAML 1.2 and 1.1), schema-valid keys;
 * - YARA-L and Logs Insights: small decoders written from the documented lexer rules.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as yamlParse } from 'yaml';
import { checkKql } from '../src/mapping/kusto.js';
import { globToRe2, pyToRe2, reEscape } from '../src/targets/common/regex.js';
import { cwlComment, cwlField, cwlReText, cwlRegex, cwlString } from '../src/targets/cwl/escape.js';
import { kqlComment, kqlIdent, kqlPath, kqlString } from '../src/targets/kql/escape.js';
import { yamlBlock } from '../src/targets/common/yaml.js';
import { clip, customDetailKey, printableLine } from '../src/targets/sentinel/escape.js';
import { sigmaGlob, sigmaLiteral, sigmaUnescape, yamlStr } from '../src/targets/sigma/escape.js';
import { yaralIdent, yaralMetaString, yaralReText, yaralRegex, yaralString } from '../src/targets/yaral/escape.js';

const SPECIAL = ['"', "'", '\\', '\n', '\r', '\t', '*', '?', '|', '/', '`', '%', 'é', '\u2028', '\u0085', '\u0000', '\u007f', '$', '{', '}', '[', ']', '(', ')', '^', '.', '+', 'a', 'Z', '0', ' ', '#', '//', '/*', '*/', '@', '-', '\ud83d\ude00', '\ud800', '\udc00', '\ufeff', '\\*', '\\\\', 'x{'];
/** Strings biased towards characters that break literals, plus fully arbitrary ones. */
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...SPECIAL), { maxLength: 12 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.string({ maxLength: 16 }),
);
const RUNS = { numRuns: 300 };

// ---------------------------------------------------------------------------------------------
// Kusto.Language: parse `print x = <literal>` and read the literal's value

interface SyntaxNode {
  ChildCount: number;
  GetChild(i: number): SyntaxNode | null;
  LiteralValue?: unknown;
  constructor: { $$fullname?: string };
}
let K: { Language: { KustoCode: { Parse(t: string): { Syntax: SyntaxNode; GetDiagnostics(): { Count: number } } } } };
function kusto() {
  if (!K) {
    checkKql('print 1'); // loads the Bridge.NET globals
    K = (globalThis as unknown as { Kusto: typeof K }).Kusto;
    if (!K) {
      const req = createRequire(import.meta.url);
      req('@kusto/language-service-next/bridge.min.js');
      req('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
      K = (globalThis as unknown as { Kusto: typeof K }).Kusto;
    }
  }
  return K;
}
function literalValue(query: string): { errors: number; value: unknown } {
  const code = kusto().Language.KustoCode.Parse(query);
  const find = (n: SyntaxNode | null): SyntaxNode | null => {
    if (!n) return null;
    if (n.constructor.$$fullname === 'Kusto.Language.Syntax.LiteralExpression') return n;
    for (let i = 0; i < n.ChildCount; i++) {
      const r = find(n.GetChild(i));
      if (r) return r;
    }
    return null;
  };
  return { errors: code.GetDiagnostics().Count, value: find(code.Syntax)?.LiteralValue };
}

// ---------------------------------------------------------------------------------------------
// Decoders written from the documented lexer rules

/** An RE2 pattern made only of literals (escaped punctuation, \xhh, \x{h...}, plain chars) → the text it matches. */
function re2Literal(re: string): string | null {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      const n = re[i + 1];
      if (n === undefined) return null;
      if (n === 'x') {
        if (re[i + 2] === '{') {
          const end = re.indexOf('}', i);
          const cp = parseInt(re.slice(i + 3, end), 16);
          if (end < 0 || Number.isNaN(cp)) return null;
          out += String.fromCodePoint(cp);
          i = end;
        } else {
          const h = re.slice(i + 2, i + 4);
          if (!/^[0-9a-fA-F]{2}$/.test(h)) return null;
          out += String.fromCharCode(parseInt(h, 16));
          i += 3;
        }
        continue;
      }
      if (/[A-Za-z0-9]/.test(n)) return null; // a class or assertion, not a literal
      out += n;
      i++;
      continue;
    }
    if ('.+*?()|[]{}^$'.includes(c)) return null;
    out += c;
  }
  return out;
}

/** YARA-L double-quoted string: `\\ \" \n \r \t` are the escapes; no raw quote, backslash or line break. */
function yaralDecode(lit: string): string | null {
  if (!lit.startsWith('"') || !lit.endsWith('"') || lit.length < 2) return null;
  const body = lit.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"' || c === '\n' || c === '\r') return null;
    if (c === '\\') {
      const n = body[++i];
      const map: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' };
      if (n === undefined || !(n in map)) return null;
      out += map[n];
    } else out += c;
  }
  return out;
}

/** Logs Insights quoted string: no escapes are documented, so the text between the quotes is the value. */
function cwlDecodeString(lit: string): string | null {
  const q = lit[0];
  if ((q !== '"' && q !== "'") || lit[lit.length - 1] !== q || lit.length < 2) return null;
  const body = lit.slice(1, -1);
  if (body.includes(q) || body.includes('\\') || /[\r\n]/.test(body)) return null;
  return body;
}

/** A `/.../` regex literal: ends at the first raw `/`. */
function slashBody(lit: string): string | null {
  if (!lit.startsWith('/') || !lit.endsWith('/') || lit.length < 2) return null;
  const body = lit.slice(1, -1);
  return body.includes('/') ? null : body;
}

// ---------------------------------------------------------------------------------------------

describe('KQL', () => {
  it('string literals parse back to the same value', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const r = literalValue(`print x = ${kqlString(s)}`);
        expect(r.errors).toBe(0);
        expect(r.value).toBe(s);
      }),
      RUNS,
    );
  });
  it('identifiers and dynamic paths always analyse', () => {
    fc.assert(
      // `__proto__` trips the Bridge.NET build of the analyser (a JS-object dictionary), not KQL
      fc.property(hostile.filter((s) => s.length > 0 && s !== '__proto__'), (s) => {
        const id = kqlIdent(s);
        expect(checkKql(`datatable(${id}:string)["v"] | project ${id}`)).toEqual([]);
        expect(checkKql(`print d = dynamic({}) | extend v = d${kqlPath([s, 0, s])}`)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
  it('comments cannot end the line', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(kqlComment(s)).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
        expect(checkKql(`// ${kqlComment(s)}\nprint 1`)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
  it('regex literals: escaped text is a literal RE2 pattern of the same string, in a valid KQL string', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const re = reEscape(s);
        expect(re2Literal(re)).toBe(s);
        const r = literalValue(`print x = ${kqlString(re)}`);
        expect(r.errors).toBe(0);
        expect(r.value).toBe(re);
        expect(checkKql(`print x = "a" matches regex ${kqlString(re)}`)).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('Sigma', () => {
  it('values: YAML parse then Sigma unescape gives the original', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const v = yamlStr(sigmaLiteral(s));
        const parsed = yamlParse(`k: ${v}\n`) as { k: unknown };
        expect(typeof parsed.k).toBe('string');
        expect(sigmaUnescape(parsed.k as string)).toBe(s);
        // no unescaped wildcard survives
        expect(/(^|[^\\])(\\\\)*[*?]/.test(parsed.k as string)).toBe(false);
      }),
      RUNS,
    );
  });
  it('keys and plain strings round-trip through YAML', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const parsed = yamlParse(`${yamlStr(s)}: ${yamlStr(s)}\n`) as Record<string, unknown>;
        expect(Object.keys(parsed)).toEqual([s]);
        expect(parsed[s]).toBe(s);
      }),
      RUNS,
    );
  });
  it('globs keep * and ? as wildcards and everything else literal', () => {
    fc.assert(
      fc.property(hostile.filter((s) => !s.includes('[')), (s) => {
        const g = sigmaGlob(s);
        // decode: \\ → \, bare * and ? are wildcards
        let lits = '';
        for (let i = 0; i < g.length; i++) {
          if (g[i] === '\\' && g[i + 1] === '\\') {
            lits += '\\';
            i++;
          } else lits += g[i];
        }
        expect(lits).toBe(s.replace(/\*+/g, '*'));
      }),
      RUNS,
    );
  });
});

describe('YARA-L', () => {
  it('strings decode back (or are refused for characters with no documented escape)', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const q = yaralString(s);
        if (q === null) {
          expect(s).toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ud800-\udfff]/u);
          return;
        }
        expect(yaralDecode(q)).toBe(s);
      }),
      RUNS,
    );
  });
  it('meta strings are always one valid line', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const q = yaralMetaString(s);
        const d = yaralDecode(q);
        expect(d).not.toBeNull();
        expect(q).not.toMatch(/[\r\n\u2028\u2029]/);
      }),
      RUNS,
    );
  });
  it('back-quoted regexes hold no backtick and match exactly the text', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const lit = yaralRegex(yaralReText(s));
        expect(lit.startsWith('`') && lit.endsWith('`')).toBe(true);
        const body = lit.slice(1, -1);
        expect(body).not.toContain('`');
        expect(re2Literal(body)).toBe(s);
      }),
      RUNS,
    );
  });
  it('identifiers', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const id = yaralIdent(s);
        expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        expect(['rule', 'meta', 'events', 'condition', 'and', 'or', 'not']).not.toContain(id.toLowerCase());
      }),
      RUNS,
    );
  });
});

describe('Logs Insights', () => {
  it('strings are quoted only when no escape is needed, and decode back', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const q = cwlString(s);
        if (q === null) {
          expect((s.includes('"') && s.includes("'")) || s.includes('\\') || /[\x00-\x1f\x7f\u0085\u2028\u2029\ud800-\udfff]/u.test(s)).toBe(true);
          return;
        }
        expect(cwlDecodeString(q)).toBe(s);
      }),
      RUNS,
    );
  });
  it('regex literals cannot end early and match exactly the text', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const body = slashBody(cwlRegex(cwlReText(s)));
        expect(body).not.toBeNull();
        expect(re2Literal(body!)).toBe(s);
      }),
      RUNS,
    );
  });
  it('field names: plain or back-quoted without a backtick inside', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const f = cwlField(s);
        if (f === null) {
          expect(s === '' || s.includes('`') || /[\x00-\x1f\x7f\u0085\u2028\u2029\ud800-\udfff]/u.test(s)).toBe(true);
          return;
        }
        if (f.startsWith('`') || f.startsWith('@`')) {
          const inner = f.startsWith('@') ? f.slice(2, -1) : f.slice(1, -1);
          expect(inner).not.toContain('`');
          expect((f.startsWith('@') ? '@' : '') + inner).toBe(s);
        } else {
          expect(f).toBe(s);
          expect(f).toMatch(/^@?[A-Za-z0-9.]+$/);
        }
      }),
      RUNS,
    );
  });
  it('comments cannot end the line', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(cwlComment(s)).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
      }),
      RUNS,
    );
  });
});

describe('Python regex translation', () => {
  /** Python's re.escape: a backslash before every special character, other characters raw. */
  const pyEscape = (s: string) => s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => ({ '\t': '\\t', '\n': '\\n', '\r': '\\r', '\v': '\\v', '\f': '\\f' })[c] ?? '\\' + c);
  it('literal text through pyToRe2 stays a literal for every delimiter', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom('', '/', '`'), (s, delim) => {
        const r = pyToRe2(pyEscape(s), '', delim);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        if (delim) expect(r.re).not.toContain(delim);
        expect(re2Literal(r.re)).toBe(s);
      }),
      RUNS,
    );
  });
  it('refuses what RE2 lacks', () => {
    for (const p of ['(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b', '(a)\\1', '(?P<x>a)(?P=x)', '(?(1)a|b)', '(?>a)', 'a++', '\\N{DASH}']) {
      expect(pyToRe2(p).ok, p).toBe(false);
    }
    expect(pyToRe2('a', 'x').ok).toBe(false);
  });
  it('translates Python-only syntax', () => {
    expect(pyToRe2('\\Z')).toEqual({ ok: true, re: '\\z' });
    expect(pyToRe2('(?<n>a)')).toEqual({ ok: true, re: '(?P<n>a)' });
    expect(pyToRe2('\\u00e9')).toEqual({ ok: true, re: '\\x{e9}' });
    expect(pyToRe2('a', 'is')).toEqual({ ok: true, re: '(?is)a' });
    expect(globToRe2('*.log')).toBe('(?s)\\A(?:.*\\.log)\\z');
    expect(globToRe2('[!a-c]?')).toBe('(?s)\\A(?:[^a-c].)\\z');
  });
});

describe('Sentinel analytic rules (YAML)', () => {
  /** Multi-line text as queries are: hostile lines joined by line breaks, ending with one. */
  const multiline = fc.array(hostile, { minLength: 1, maxLength: 5 }).map((ls) => `${ls.join('\n')}\n`);
  it('yamlBlock round-trips through YAML 1.2 and 1.1 (YamlDotNet), as a block or quoted', () => {
    fc.assert(
      fc.property(fc.oneof(hostile, multiline), (s) => {
        const y = `query: ${yamlBlock(s)}\nkind: Scheduled\n`;
        for (const version of ['1.2', '1.1'] as const) {
          const parsed = yamlParse(y, { version }) as { query: unknown; kind: unknown };
          expect(parsed.query).toBe(s);
          expect(parsed.kind).toBe('Scheduled');
        }
      }),
      RUNS,
    );
  });
  it('leading blank lines, indentation, document markers, number-like words', () => {
    for (const s of ['e0', 'E5', '_1', '_', 'e', '\n x\n', '\n\nx\n', 'x\n  y\n', '---\n...\n', 'a\n\tb\n', '\ta\n', '# c\n']) {
      for (const version of ['1.2', '1.1'] as const) expect((yamlParse(`q: ${yamlBlock(s)}\n`, { version }) as { q: string }).q, JSON.stringify(s)).toBe(s);
    }
  });
  it('a KQL query is written as a literal block', () => {
    expect(yamlBlock('T\n| where X == "a\\nb"\n| project Y\n')).toBe('|\n  T\n  | where X == "a\\nb"\n  | project Y');
  });
  it('printableLine: one line of printable characters; clip never splits a surrogate pair', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 0, max: 20 }), (s, n) => {
        const l = printableLine(s);
        expect(l).not.toMatch(/[\n\r\u0085\u2028\u2029\x00-\x08\x0b-\x1f\x7f-\x9f]/);
        expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(l)).toBe(false);
        const c = clip(s, n);
        expect(c.length).toBeLessThanOrEqual(n);
        expect(s.startsWith(c)).toBe(true);
        // never half of a pair: a high surrogate at the cut with its low surrogate left out
        const hi = c.charCodeAt(c.length - 1);
        const lo = s.charCodeAt(c.length);
        expect(c.length > 0 && hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff).toBe(false);
      }),
      RUNS,
    );
  });
  it('custom-detail keys match the schema and stay unique', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 25 }), (names) => {
        const taken = new Set<string>();
        for (const n of names) {
          const k = customDetailKey(n, taken);
          expect(k).toMatch(/^[a-zA-Z]+\w*$/);
          expect(k.length).toBeLessThanOrEqual(20);
          expect(taken.has(k.toLowerCase())).toBe(false);
          taken.add(k.toLowerCase());
        }
      }),
      RUNS,
    );
  });
});
