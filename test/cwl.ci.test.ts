/**
 * Logs Insights: case-insensitive literals (src/targets/common/ci.ts) mean what Python's `fold(x) ==
 * fold(literal)` (and the prefix, suffix and substring tests) means, for lower(), upper() and
 * casefold(), in every regex engine the evaluator reads (RE2, PCRE2, Java, Python, JavaScript):
 * random literals and values over the letters whose folding differs between Python and the engines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fold, Json, Pred, Rule } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { proveOutput } from '../src/proof/index.js';
import { pyFold } from '../src/python/semantics.js';
import { portableEnd } from '../src/targets/common/regex.js';
import { ciLiteral } from '../src/targets/common/ci.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { deepGet, lit, portableTest, ruleWithTests } from './support.js';

/** Letters whose case differs between Python's str methods and regex engines, and their neighbours. */
const ALPHABET = ['a', 'A', 's', 'S', 'ſ', 'k', 'K', '\u212a', 'i', 'I', 'İ', 'ı', '\u0307', 'ß', 'ẞ', 't', 'T', 'ﬆ', 'é', 'É', 'σ', 'Σ', 'ς', '-', '\n'];
const str = (max: number) => fc.array(fc.constantFrom(...ALPHABET), { maxLength: max }).map((a) => a.join(''));

type Tri = boolean | undefined;
const test = portableTest;
/** The printer's reading of a regex: portableEnd's alternatives when it ends in `$`. */
function decide(re: string, s: string): Tri {
  const end = portableEnd(re);
  if (end === null || !end.ok) return test(re, s);
  let acc: Tri = false;
  for (const a of end.alts) {
    const r = test(a.re, s);
    const g = test(a.not, s);
    const both: Tri = r === false || g === true ? false : r === undefined || g === undefined ? undefined : true;
    acc = acc === true || both === true ? true : acc === undefined || both === undefined ? undefined : false;
  }
  return acc;
}

type Kind = 'eq' | 'startswith' | 'endswith' | 'contains';
const OPEN: Record<Kind, { left: boolean; right: boolean }> = {
  eq: { left: false, right: false },
  startswith: { left: false, right: true },
  endswith: { left: true, right: false },
  contains: { left: true, right: true },
};
function python(kind: Kind, fold: Fold | undefined, lit: string, s: string): boolean {
  const x = pyFold(s, fold);
  const p = pyFold(lit, fold);
  return kind === 'eq' ? x === p : kind === 'startswith' ? x.startsWith(p) : kind === 'endswith' ? x.endsWith(p) : x.includes(p);
}

describe('ciLiteral', () => {
  it('agrees with Python on every value, in every engine (lower, upper, casefold)', () => {
    let written = 0;
    fc.assert(
      fc.property(
        str(4).filter((s) => s.length > 0),
        fc.constantFrom<Fold | undefined>(undefined, 'upper', 'casefold'),
        fc.constantFrom<Kind>('eq', 'startswith', 'endswith', 'contains'),
        fc.array(str(5), { minLength: 10, maxLength: 10 }),
        (lit, fold, kind, values) => {
          const r = ciLiteral(lit, fold, OPEN[kind]);
          if (!r.ok) return;
          written++;
          const re = `(?i)${kind === 'eq' || kind === 'startswith' ? '^' : ''}${r.re}${kind === 'eq' || kind === 'endswith' ? '$' : ''}`;
          // a value containing what the literal folds to must match, too
          const samples = [...values, lit, lit.toUpperCase(), `x${lit}`, `${lit}x`];
          for (const s of samples) {
            const py = python(kind, fold, lit, s);
            const got = decide(re, s);
            // a suffix ending in a line break stays reported by the printer; only the rest must be decided
            if (got === undefined && portableEnd(re)?.ok === false) continue;
            expect(got, `${kind} ${fold ?? 'lower'} ${JSON.stringify(lit)} (${re}) on ${JSON.stringify(s)}`).toBe(py);
          }
        },
      ),
      { numRuns: 1500, seed: 3 },
    );
    expect(written).toBeGreaterThan(900);
  });

  it('spells the letters the engines fold otherwise than Python, leaves the rest to (?i)', () => {
    expect(ciLiteral('getobject', undefined, OPEN.eq)).toEqual({ ok: true, re: 'getobject' });
    expect(ciLiteral('disks', undefined, OPEN.eq)).toEqual({ ok: true, re: 'd(?-i:[Ii])(?-i:[Ss])(?-i:[Kk\u212a])(?-i:[Ss])' });
    // "api" in "APİ".lower(): İ lowers to "i̇", whose "i" ends the literal
    expect(ciLiteral('api', undefined, OPEN.contains)).toEqual({ ok: true, re: 'ap(?-i:[Iiİ])' });
    // "ACCEß".upper() == "ACCESS"
    expect(ciLiteral('access', 'upper', OPEN.eq)).toEqual({ ok: true, re: 'ACCE(?:(?-i:[Ssſ])(?-i:[Ssſ])|(?-i:[ß]))' });
    expect(ciLiteral('σ', undefined, OPEN.eq)).toMatchObject({ ok: false });
    expect(ciLiteral('sss', 'upper', OPEN.eq)).toMatchObject({ ok: false });
  });
});

// ---------------------------------------------------------------------------------------------
// The printer

const get = deepGet;
const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };
const rule = (condition: Pred, logs: [Json, boolean][]): Rule => ruleWithTests('T.Ci', condition, logs);

describe('the Logs Insights printer', () => {
  it('x.lower() == "...", in [...], startswith, contains: exact, read back on values Python folds otherwise', () => {
    const cond: Pred = {
      k: 'and',
      args: [
        { k: 'cmp', op: 'eq', left: get('eventName'), right: lit('disks'), ci: true },
        { k: 'in', value: get('eventSource'), list: ['s3.amazonaws.com', 'kms.amazonaws.com'], ci: true },
        { k: 'match', kind: 'startswith', value: get('userAgent'), pattern: 'aws-sdk', ci: true },
        { k: 'match', kind: 'contains', value: get('userIdentity.arn'), pattern: 'api', ci: true },
      ],
    };
    const ok = { eventName: 'DISKS', eventSource: 'S3.AmazonAWS.com', userAgent: 'AWS-SDK-go', userIdentity: { arn: 'role/API' } };
    const logs: [Json, boolean][] = [
      [ok, true],
      [{ ...ok, eventName: 'DIſKS' }, false], // "ſ".lower() is ſ
      [{ ...ok, eventName: 'DIS\u212aS' }, true], // the Kelvin sign lowers to k
      [{ ...ok, eventName: 'dİsks' }, false], // "İ".lower() is "i̇"
      [{ ...ok, eventSource: 'KMS.AMAZONAWS.COM' }, true],
      [{ ...ok, userAgent: 'AWS-ſDK' }, false],
      [{ ...ok, userIdentity: { arn: 'role/APİ' } }, true], // "api" in "role/api̇"
    ];
    const r = rule(cond, logs);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('| filter eventName =~ /(?i)^d(?-i:[Ii])(?-i:[Ss])(?-i:[Kk\u212a])(?-i:[Ss])$/');
    expect(out.text).toContain('| filter userIdentity.arn =~ /(?i)ap(?-i:[Iiİ])/');
    const report = proveOutput(out, r, mapper)!;
    expect(report.tests).toMatchObject({ passed: logs.length, failed: 0, notEvaluable: 0 });
  });

  it('x.upper() == "ACCESS": ß spells "SS"', () => {
    const r = rule({ k: 'cmp', op: 'eq', left: get('eventName'), right: lit('access'), ci: true, fold: 'upper' }, [
      [{ eventName: 'access' }, true],
      [{ eventName: 'acceß' }, true],
      [{ eventName: 'acceſſ' }, true],
      [{ eventName: 'acce' }, false],
    ]);
    const out = renderRule(r, 'cwl', ctx);
    expect(out.fidelity).toBe('exact');
    expect(proveOutput(out, r, mapper)!.tests).toMatchObject({ passed: 4, failed: 0, notEvaluable: 0 });
  });

  it('what cannot be spelled is reported, wider', () => {
    const out = renderRule(rule({ k: 'cmp', op: 'eq', left: get('eventName'), right: lit('σ'), ci: true }, []), 'cwl', ctx);
    expect(out.reasons.map((x) => [x.code, x.direction])).toEqual([['target-unsupported-construct', 'wider']]);
    const glob = renderRule(rule({ k: 'match', kind: 'glob', value: get('eventName'), pattern: 'a*', ci: true }, []), 'cwl', ctx);
    expect(glob.reasons.map((x) => x.code)).toEqual(['target-unsupported-construct']);
  });
});
