/**
 * `len(x)` and `int(x)` of a field holding strings, as regexes on `x` itself, for the targets that test a
 * field with a regex but have no length or conversion of their own that this project can read exactly
 * (Sigma has no function at all, sigma-appendix-modifiers.md; Logs Insights' `strlen()` would need its
 * result compared inside `filter`, and its regex flavour is what common/regex.ts `portable` writes alike).
 *
 * - `len(x)` of a str counts its code points: `len(x) >= k` is `^[\s\S]{k}` (k >= 1; every engine the
 *   regexes are written for matches code points in Unicode text: RE2, PCRE2's UTF mode, Java, Python,
 *   JavaScript's `u`), `<`, `==`, ... are that test, its negation, or two of them.
 * - `int(x)` of a str (`pyInt`, src/python/semantics.ts, CPython's `int(str)`): optional whitespace (ASCII
 *   " \t\n\v\f\r" and the non-ASCII `str.isspace()` characters), an optional sign, decimal digits (any of
 *   Unicode's Nd, by their value) with single `_` between digits, optional whitespace; anything else raises
 *   ValueError (the rule errors: no alert). So `int(x) == n` is the regex of the texts of n (leading zeros,
 *   `+` for n >= 0, `-0` for 0), and `int(x) != n` the regex of every valid text and not that one (an
 *   invalid text raises either way). Ordering comparisons are not written (a digit-by-digit range over
 *   every script's digits takes thousands of characters).
 *
 * Only where the field holds strings (the mapping types it `string`, or the rule's tests hold it only as
 * strings): `len()` of a list or a mapping counts its items, `int()` of a number is the number. Where `x`
 * is missing Python reads the default (a string: computed here) or raises (None: 'error').
 */
import type { Val } from '../../ast/types.js';
import { fieldRef } from '../../ast/view.js';
import { pyInt, pyLen, PyError } from '../../python/semantics.js';
import type { FieldResolver } from './fields.js';
import { evalAtomOn, type Tri } from './missing.js';
import { atomValue } from './nnf.js';
import type { Lit } from './printer.js';
import { countTests, type RegexTree } from './split.js';

/** A test on `len(x)` or `int(x)` written as regexes on `x`: the source value, the tree, Python's value where `x` is missing. */
export interface TextTest {
  src: Val;
  tree: RegexTree;
  py: Tri;
  /** The printer's words for the test, for a reason. */
  what: string;
}

/** How a target writes a Python regex pattern (`\A`-less: `^` and `\Z` anchor it), or null when it cannot. */
export type PyPattern = (pattern: string) => string | null;

/** The most characters a length regex counts (RE2 refuses repeat counts above 1000). */
const MAX_LEN = 1000;

/** Does the field hold only strings (the mapping's type, else the rule's tests, at least one)? */
function holdsStrings(res: FieldResolver, src: Val): boolean {
  const ref = fieldRef(src);
  if (!ref || ref.root !== 'event' || ref.path.length === 0) return false;
  const path = res.evidence.casing(ref.path);
  const stated = res.mapper.valueType?.(res.logType, path);
  const seen = [...res.evidence.types(path)].filter((t) => t !== 'null');
  if (stated !== undefined) return stated === 'string' && seen.every((t) => t === 'string');
  return seen.length > 0 && seen.every((t) => t === 'string');
}

/** The code points of each decimal value 0-9 among Unicode's Nd digits (which come in runs of ten from 0). */
let digitsByValue: string[][] | undefined;
function digitChars(): string[][] {
  if (digitsByValue) return digitsByValue;
  const out: string[][] = Array.from({ length: 10 }, () => []);
  const nd = /\p{Nd}/u;
  let run = 0;
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) {
      run = 0;
      continue;
    }
    const c = String.fromCodePoint(cp);
    if (!nd.test(c)) {
      run = 0;
      continue;
    }
    out[run % 10]!.push(c);
    run++;
  }
  digitsByValue = out;
  return out;
}

/** The whitespace int() strips, as a Python class (semantics.ts NUM_WS). */
const INT_WS = '[\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

/** A Python class of the digits of value `v`. */
const digitClass = (v: number): string => `[${digitChars()[v]!.join('')}]`;

/** The Python pattern of the texts `int()` reads as one of `ns` (integers), or of every valid text (`ns` null). */
export function intPattern(ns: number[] | null): string {
  const body = (n: number): string => {
    const digits = String(Math.abs(n));
    const zero = digitClass(0);
    if (n === 0) return `[-+]?${zero}(?:_?${zero})*`;
    const sig = [...digits].map((d, i) => `${i === 0 ? '' : '_?'}${digitClass(Number(d))}`).join('');
    return `${n < 0 ? '-' : '\\+?'}(?:${zero}_?)*${sig}`;
  };
  const core = ns === null ? '[-+]?\\d(?:_?\\d)*' : ns.length === 1 ? body(ns[0]!) : `(?:${ns.map(body).join('|')})`;
  return `^${INT_WS}*${core}${INT_WS}*\\Z`;
}

/** `len(x)` or `int(x)` (one argument, an event field holding strings), or null. */
function textCall(res: FieldResolver, v: Val): { fn: 'len' | 'int'; src: Val } | null {
  if (v.k !== 'fn' || (v.fn !== 'len' && v.fn !== 'int') || v.args.length !== 1) return null;
  const src = v.args[0]!;
  return holdsStrings(res, src) ? { fn: v.fn, src } : null;
}

/** Is the literal a test on `len(x)` or `int(x)` of a field holding strings? */
export function isTextRead(l: Lit, res: FieldResolver): boolean {
  return textCall(res, atomValue(l.atom)) !== null;
}

/**
 * The regex tests a literal on `len(x)` / `int(x)` of a string field is, or null when it is not one this
 * module writes (the caller declares the computed value). `py` translates a Python pattern for the target.
 */
export function textTest(l: Lit, res: FieldResolver, py: PyPattern): TextTest | null {
  const a = l.atom;
  const call = textCall(res, atomValue(a));
  if (!call) return null;
  const ref = fieldRef(call.src)!;
  const strict = call.src.k === 'get' && !!call.src.strict;
  const d = ref.default;
  // Python where x is missing: the default's length or int (None, a number's len(), a text int() does not read: raises)
  let onMissing: Tri = 'error';
  if (!strict && d !== undefined && d !== null) {
    try {
      const r = evalAtomOn(a, call.fn === 'len' ? pyLen(d) : pyInt(d), true);
      onMissing = typeof r === 'boolean' ? r !== l.neg : r;
    } catch (e) {
      if (!(e instanceof PyError)) throw e;
    }
  }
  if (call.fn === 'len') {
    if (a.k !== 'cmp' || a.right.k !== 'lit' || typeof a.right.v !== 'number' || !Number.isInteger(a.right.v)) return null;
    const n = a.right.v;
    const atLeast = (k: number, positive: boolean): RegexTree | null => {
      if (k <= 0) return positive;
      if (k > MAX_LEN) return null;
      // `[\s\S]` (any character) is read alike by every engine, written as it is (no translation)
      return { re: `^[\\s\\S]{${k}}`, neg: !positive };
    };
    const tree = countTests(a.op, n, l.neg, atLeast);
    if (tree === null) return null;
    return { src: call.src, tree, py: onMissing, what: 'a test on the length of a string' };
  }
  // int(x) == n, != n, in [n, ...] (integers)
  let ns: number[];
  let eq: boolean;
  if (a.k === 'cmp' && (a.op === 'eq' || a.op === 'ne') && a.right.k === 'lit' && typeof a.right.v === 'number' && Number.isSafeInteger(a.right.v)) {
    ns = [a.right.v];
    eq = (a.op === 'eq') !== l.neg;
  } else if (a.k === 'in' && !a.ci && a.list.length > 0 && a.list.every((x): x is number => typeof x === 'number' && Number.isSafeInteger(x))) {
    ns = [...new Set(a.list as number[])].sort((x, y) => x - y);
    eq = !l.neg;
  } else return null;
  const is = py(intPattern(ns));
  if (is === null) return null;
  if (eq) return { src: call.src, tree: { re: is, neg: false }, py: onMissing, what: 'a test on int() of a string' };
  const valid = py(intPattern(null));
  if (valid === null) return null;
  return { src: call.src, tree: { k: 'and', args: [{ re: valid, neg: false }, { re: is, neg: true }] }, py: onMissing, what: 'a test on int() of a string' };
}
