/**
 * Tests on the pieces of `x.split(sep)` as regexes on `x` itself, for the targets that test a field with a
 * regex but cannot index a split of it: Logs Insights and Sigma.
 *
 * Logs Insights documents `split(str, delimiter)` returning an array (CWL_QuerySyntax-operations-functions.html,
 * "String functions"), but not which index its list access (`list[index]`) gives the first element; Sigma
 * has no function at all (its value modifiers, sigma-appendix-modifiers.md, test a field's own value). A
 * test on one piece of a split on a single character `d` is a regex on the field instead (Logs Insights'
 * documented `=~ /re/`, CWL_QuerySyntax-Filter.html; Sigma's `|re`): with `N` = `[^d]`,
 * piece `i` (from 0) is the text after `i` runs of `N*d` from the start, and ends at the next `d` or at the
 * end of the value; the last piece (`[-1]`) is the text after the last `d` (the whole value when it holds
 * none); `len(x.split(d))` is one more than the number of `d`s; `t in x.split(d)` (some piece is `t`, a text
 * without `d`) is `t` starting the value or following a `d`, and ending it or followed by a `d`; a piece without
 * its first `k` characters (`x.split(d)[i][k:]`, Python slicing by code point) is the text after `k` more
 * `N` (`N{k}`: the engines count code points, common/textnum.ts), for a test on a non-empty text (a piece of
 * `k` characters or fewer slices to ""). Python's `rsplit(d)` without a maximum
 * gives the same pieces (`pySplit`, src/python/semantics.ts, is the reference the tests compare with). Only a separator that is one ASCII character, neither a letter nor a digit, is
 * read so: under `lower()` (`x.lower().split(d)`) no character folds to it or from it, so the pieces of the
 * lowered value are the lowered pieces.
 *
 * Where Python raises (an index past the last piece, `split` of a missing field) the rule errors (no
 * alert); the regex is false there for a positive test, as the README's "targets evaluate their own
 * operator instead" says.
 */
import type { Fold, Val } from '../../ast/types.js';
import { pyIsSpace, pyLower, pySplit, pyStrip } from '../../python/semantics.js';
import { ciLiteral } from './ci.js';
import { pyToRe2, type ReOptions } from './regex.js';
import { evalAtomOn, type Tri } from './missing.js';
import { atomValue, type Atom } from './nnf.js';
import type { Lit } from './printer.js';

/**
 * How a target writes the regexes: literal text escaped for its engine (and delimiter), and the end of the
 * value. Logs Insights: `$`, which its printer makes portable (`portableEnd`); Sigma (Python `re` and
 * PCRE): `(?![\s\S])`, since their `$` also matches before a final line feed, which a piece may end in.
 * The start is `^` for both (no multi-line flag is set).
 */
export interface PieceSyntax {
  text(s: string): string;
  end: string;
  /**
   * One character of Python's whitespace (`str.isspace()`), as the target's regex writes `\s`
   * (common/regex.ts `pyToRe2`); without it a stripped piece is not written.
   */
  space?: string;
}

/** Python's `\s` (one `str.isspace()` character) as a target's regex engine writes it (`PieceSyntax.space`). */
export function pySpace(opts: ReOptions): string {
  const r = pyToRe2('\\s', '', opts);
  if (!r.ok) throw new Error(`\\s has no ${opts.engine ?? 're2'} spelling: ${r.why}`);
  return r.re;
}

/** `split(x, sep)[i]`, `split(x, sep)[-1]` or `len(split(x, sep))`, with `lower` when x was lowered first. */
export interface SplitRead {
  src: Val;
  sep: string;
  lower: boolean;
  /** A piece's index (>= 0, or -1 for the last), the number of pieces, or any piece (`t in x.split(d)`). */
  which: number | 'len' | 'any';
  /** The piece with Python's whitespace stripped: `.strip()`, `.lstrip()`, `.rstrip()` without characters. */
  strip?: Side;
  /** The piece without its first `from` characters (`x.split(d)[i][k:]`, k >= 1, i >= 0): what follows them, or "". */
  from?: number;
}

/** Which ends of a piece `strip()` (both), `lstrip()` (left) or `rstrip()` (right) trims. */
export type Side = 'both' | 'left' | 'right';
const SIDES: Record<string, Side> = { strip: 'both', lstrip: 'left', rstrip: 'right' };

/** One ASCII character that is neither a letter nor a digit (nor a control). */
const SEP = /^[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/;

function splitCall(v: Val): { src: Val; sep: string; lower: boolean } | null {
  if (v.k !== 'fn' || (v.fn !== 'split' && v.fn !== 'rsplit') || v.args.length !== 2) return null;
  const [x, s] = v.args as [Val, Val];
  if (s.k !== 'lit' || typeof s.v !== 'string' || !SEP.test(s.v)) return null;
  if (x.k === 'fn' && x.fn === 'lower' && x.args.length === 1) return { src: x.args[0]!, sep: s.v, lower: true };
  return { src: x, sep: s.v, lower: false };
}

/** The split read `v` is, or null. */
/**
 * The split read by a test the printers write on the field itself: a piece, the number of pieces, or the
 * list of pieces under a membership test (`t in x.split(d)`, a case-sensitive contains); null otherwise.
 */
export function splitTested(a: Atom): SplitRead | null {
  const s = splitRead(atomValue(a));
  return s && (s.which !== 'any' || (a.k === 'match' && a.kind === 'contains' && !a.ci)) ? s : null;
}

/** What a test on a split is, for reasons: `a test on a piece of <name> split on "<sep>"`. */
export function splitWhat(s: SplitRead, name: string): string {
  const piece = s.strip ? 'a stripped piece' : s.from ? `a piece (from its character ${s.from})` : 'a piece';
  return `a test on ${s.which === 'len' ? 'the number of pieces' : s.which === 'any' ? 'the list of pieces' : piece} of ${name} split on ${JSON.stringify(s.sep)}`;
}

/** The most characters a slice of a piece leaves out (RE2 refuses repeat counts above 1000). */
const MAX_FROM = 1000;

export function splitRead(v: Val): SplitRead | null {
  // `x.split(d)[i][k:]` (k >= 1, no end): the piece after its first k characters (by code point, as Python slices)
  if (v.k === 'fn' && v.fn === 'slice' && v.args.length === 3) {
    const [x, lo, hi] = v.args as [Val, Val, Val];
    if (lo.k !== 'lit' || typeof lo.v !== 'number' || !Number.isInteger(lo.v) || lo.v < 1 || lo.v > MAX_FROM || hi.k !== 'lit' || hi.v !== null) return null;
    const p = splitRead(x);
    return p && typeof p.which === 'number' && p.which >= 0 && !p.strip && !p.from ? { ...p, from: lo.v } : null;
  }
  // `x.split(d)[i].strip()` (lstrip, rstrip; no characters given): a piece, trimmed of Python's whitespace
  if (v.k === 'fn' && v.fn in SIDES && v.args.length === 1 && v.args[0]!.k === 'index') {
    const p = splitRead(v.args[0]!);
    return p && typeof p.which === 'number' && !p.strip ? { ...p, strip: SIDES[v.fn]! } : null;
  }
  if (v.k === 'index' && (v.index >= 0 || v.index === -1)) {
    const c = splitCall(v.obj);
    return c && { ...c, which: v.index };
  }
  if (v.k === 'fn' && v.fn === 'len' && v.args.length === 1) {
    const c = splitCall(v.args[0]!);
    return c && { ...c, which: 'len' };
  }
  const c = splitCall(v);
  return c && { ...c, which: 'any' };
}

/** How a piece is tested: equal to, starting with, holding, ending with a text. */
export type PieceTest = 'eq' | 'startswith' | 'contains' | 'endswith';

/**
 * The regexes (any of which matching is the test holding) for a test on a piece against any of `texts`,
 * or null when no value passes it (every text holds the separator, which no piece does). `lit` writes a
 * text: escaped, or case-insensitively (then the caller puts `(?i)` first; the separator's class is the
 * same under it). A regex's final `syn.end` is the end of the value.
 */
export function pieceRegexes(
  syn: PieceSyntax,
  sep: string,
  index: number | 'any',
  test: PieceTest,
  texts: string[],
  lit: (text: string, open: { left: boolean; right: boolean }) => string | null,
  strip?: Side,
  from?: number,
): string[] | null | 'unwritable' {
  // a slice of a piece (`piece[k:]`): the texts follow the piece's first k characters; "" (which a piece of
  // k characters or fewer also slices to) is not written
  if (from && (index === 'any' || index < 0 || strip || texts.includes(''))) return 'unwritable';
  const D = syn.text(sep);
  const E = syn.end;
  const N = `[^${classChar(sep)}]`;
  const open = { left: test === 'contains' || test === 'endswith', right: test === 'contains' || test === 'startswith' };
  // a stripped piece (`strip`): the piece is whitespace W (never the separator, see splitPlan), the text, W
  const trimL = strip === 'both' || strip === 'left';
  const trimR = strip === 'both' || strip === 'right';
  const W = strip ? `${syn.space!}*` : '';
  const bodies: string[] = [];
  const kept: string[] = [];
  for (const t of texts) {
    if (t.includes(sep)) continue;
    const cps = [...t];
    const wsFirst = cps.length > 0 && pyIsSpace(cps[0]!);
    const wsLast = cps.length > 0 && pyIsSpace(cps[cps.length - 1]!);
    if (strip && test === 'eq') {
      // a stripped piece neither starts nor ends with whitespace on its trimmed sides
      if ((trimL && wsFirst) || (trimR && wsLast)) continue;
    } else if (strip && (t === '' || (trimL && wsFirst) || (trimR && wsLast))) {
      // starts, holds or ends a stripped piece: written only for a text whose trimmed ends are no whitespace
      return 'unwritable';
    }
    const b = lit(t, open);
    if (b === null) return 'unwritable';
    bodies.push(b);
    kept.push(t);
  }
  if (bodies.length === 0) return null;
  let V = bodies.length === 1 ? bodies[0]! : `(?:${bodies.join('|')})`;
  if (strip) {
    // eq: W V W (a piece of whitespace only where the text is ""); startswith: W V; endswith: V W;
    // contains: V alone (the text's ends are no whitespace, so it never lies in a trimmed run)
    const only = kept.length === 1 && kept[0] === '';
    const left = trimL && (test === 'eq' || test === 'startswith') ? W : '';
    const right = trimR && (test === 'eq' || test === 'endswith') ? W : '';
    V = only && test === 'eq' ? W : `${left}${V}${right}`;
  }
  if (index === 'any') {
    // some piece equal to the text: it starts the value or follows a separator, and ends it or precedes one
    if (test !== 'eq') return 'unwritable';
    return [`(?:^|${D})${V}${D}`, `(?:^|${D})${V}${E}`];
  }
  if (index >= 0) {
    const P = `^${`(?:${N}*${D})`.repeat(index)}${from ? `${N}{${from}}` : ''}`;
    switch (test) {
      case 'eq':
        return [`${P}${V}${D}`, `${P}${V}${E}`];
      case 'startswith':
        return [`${P}${V}`];
      case 'contains':
        return [`${P}${N}*${V}`];
      case 'endswith':
        return [`${P}${N}*${V}${D}`, `${P}${N}*${V}${E}`];
    }
  }
  switch (test) {
    case 'eq':
      return [`^${V}${E}`, `${D}${V}${E}`];
    case 'startswith':
      return [`^${V}${N}*${E}`, `${D}${V}${N}*${E}`];
    case 'contains':
      return [`${V}${N}*${E}`];
    case 'endswith':
      return [`${V}${E}`];
  }
}

/** The most separators a count regex spells out. */
export const MAX_COUNT = 32;

/** A regex for "the value holds at least `k` separators" (k >= 1); an exact count is at least k and not at least k + 1. */
export function atLeastRegex(syn: PieceSyntax, sep: string, k: number): string {
  const D = syn.text(sep);
  const N = `[^${classChar(sep)}]`;
  return `^${`${N}*${D}`.repeat(k)}`;
}

/** The separator inside a class: `/` as `\x2f` (the query's regex delimiter), class metacharacters escaped. */
function classChar(c: string): string {
  if (c === '/') return '\\x2f';
  return '\\]^-[&~|'.includes(c) ? `\\${c}` : c;
}

/** The folding a test on a piece of `lower(x).split(d)` compares with (the literal must already be lower-case). */
function pieceFold(atomFold: { ci?: boolean; fold?: Fold }, lower: boolean): { fold: Fold | undefined } | false {
  if (atomFold.ci) return { fold: atomFold.fold };
  return lower ? { fold: undefined } : false;
}

/** Regex tests on the field (`neg`: the regex does not match), under and/or, with constants. */
export type RegexTree = boolean | { re: string; neg: boolean } | { k: 'and' | 'or'; args: RegexTree[] };

/**
 * A count compared with a number (`len(...) op n`, negated where `neg`) as tests of "at least k": `m` is the
 * count that stands for n (the length itself; for the pieces of a split, the separators: n - 1), and
 * `atLeast(k, positive)` the test "at least k" (or, not positive, its negation), null where it cannot be
 * written. Null where one cannot.
 */
export function countTests(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', m: number, neg: boolean, atLeast: (k: number, positive: boolean) => RegexTree | null): RegexTree | null {
  let parts: (RegexTree | null)[];
  let conj = true;
  switch (op) {
    case 'eq':
    case 'ne': {
      const eq = (op === 'eq') !== neg;
      parts = eq ? [atLeast(m, true), atLeast(m + 1, false)] : [atLeast(m, false), atLeast(m + 1, true)];
      conj = eq;
      break;
    }
    case 'ge':
      parts = [atLeast(m, !neg)];
      break;
    case 'gt':
      parts = [atLeast(m + 1, !neg)];
      break;
    case 'le':
      parts = [atLeast(m + 1, neg)];
      break;
    case 'lt':
      parts = [atLeast(m, neg)];
      break;
  }
  if (parts.some((p) => p === null)) return null;
  return { k: conj ? 'and' : 'or', args: parts as RegexTree[] };
}

/**
 * A literal on a split read, as regex tests on the split field: `tree` (every regex case-insensitive, to
 * run under `(?i)` or the `i` flag, when `ci`), and `py`, Python's value of the literal where the field is
 * missing (the pieces of a string default; None and other defaults raise: 'error'). Or the reason (`why`,
 * after `what`, the printer's words for the test) it cannot be written.
 */
export type SplitPlan = { ok: true; tree: RegexTree; ci: boolean; py: Tri } | { ok: false; why: string };

export function splitPlan(l: Lit, s: SplitRead, field: { ref: { default?: unknown }; strict: boolean }, syn: PieceSyntax, what: string): SplitPlan {
  const a = l.atom;
  let neg = l.neg;
  let tree: RegexTree;
  let ci: { fold: Fold | undefined } | false = false;
  if (s.which === 'len') {
    if (a.k !== 'cmp' || a.right.k !== 'lit' || typeof a.right.v !== 'number' || !Number.isInteger(a.right.v)) return { ok: false, why: what };
    const n = a.right.v;
    // len = separators + 1; "at least k separators", or its negation
    const atLeast = (k: number, positive: boolean): RegexTree | null => {
      if (k <= 0) return positive;
      if (k > MAX_COUNT) return null;
      return { re: atLeastRegex(syn, s.sep, k), neg: !positive };
    };
    const counted = countTests(a.op, n - 1, neg, atLeast);
    if (counted === null) return { ok: false, why: `${what} (more than ${MAX_COUNT} separators)` };
    tree = counted;
  } else {
    // a stripped piece: the whitespace the target writes must never be the separator (the trimmed runs
    // would reach into the next piece)
    if (s.strip && (!syn.space || pyIsSpace(s.sep))) return { ok: false, why: what };
    const folded = a.k === 'cmp' || a.k === 'in' || a.k === 'match' ? a : null;
    if (s.lower && folded?.ci && folded.fold) return { ok: false, why: `${what} under two foldings` };
    ci = folded ? pieceFold(folded, s.lower) : false;
    const tests: { test: PieceTest; texts: string[] }[] = [];
    if (s.which === 'any') {
      // `t in x.split(d)`: membership, some piece equal to t
      if (a.k !== 'match' || a.kind !== 'contains' || a.ci) return { ok: false, why: what };
      tests.push({ test: 'eq', texts: [a.pattern] });
    } else if (a.k === 'cmp' && a.right.k === 'lit' && typeof a.right.v === 'string' && (a.op === 'eq' || a.op === 'ne')) {
      tests.push({ test: 'eq', texts: [a.right.v] });
      if (a.op === 'ne') neg = !neg;
    } else if (a.k === 'in' && a.list.every((x) => typeof x === 'string')) {
      tests.push({ test: 'eq', texts: a.list as string[] });
    } else if (a.k === 'match' && (a.kind === 'contains' || a.kind === 'startswith' || a.kind === 'endswith')) {
      tests.push({ test: a.kind, texts: [a.pattern] });
    } else return { ok: false, why: what };
    // lower(x).split(d): a piece is compared lowered, so a text that is not lower-case never matches
    const fold = ci;
    const lit = (t: string, open: { left: boolean; right: boolean }): string | null => {
      if (!fold) return syn.text(t);
      const r = ciLiteral(t, fold.fold, open);
      return r.ok ? r.re : null;
    };
    const alts: string[] = [];
    for (const t of tests) {
      const texts = s.lower && !folded?.ci ? t.texts.filter((x) => pyLower(x) === x) : t.texts;
      const r = pieceRegexes(syn, s.sep, s.which, t.test, texts, lit, s.strip, s.from);
      if (r === 'unwritable') return { ok: false, why: s.strip || s.from ? what : `${what} (a case-insensitive text with no portable spelling)` };
      if (r) alts.push(...r);
    }
    tree = alts.length === 0 ? neg : { k: neg ? 'and' : 'or', args: alts.map((re) => ({ re, neg })) };
  }
  // Python on a missing field: the pieces of the default (None and non-strings raise)
  const d = field.ref.default;
  let py: Tri = 'error';
  if (!field.strict && typeof d === 'string') {
    const parts = pySplit(s.lower ? pyLower(d) : d, s.sep);
    if (s.which === 'any') {
      if (a.k === 'match') py = parts.includes(a.pattern) !== l.neg;
    } else {
      const piece = s.which === 'len' ? undefined : s.which === -1 ? parts[parts.length - 1] : parts[s.which];
      const sliced = piece !== undefined && s.from ? [...piece].slice(s.from).join('') : piece;
      const v = s.which === 'len' ? parts.length : sliced !== undefined && s.strip ? pyStrip(sliced, null, s.strip) : sliced;
      if (v !== undefined) {
        const r = evalAtomOn(a, v, true);
        py = typeof r === 'boolean' ? r !== l.neg : r;
      }
    }
  }
  return { ok: true, tree, ci: !!ci, py };
}

/** What the tests say where the field is absent: a regex does not match; a negated one, `negated`. */
export function treeOnMissing(t: RegexTree, negated: Tri): Tri {
  if (typeof t === 'boolean') return t;
  if (!('k' in t)) return t.neg ? negated : false;
  const vs = t.args.map((x) => treeOnMissing(x, negated));
  const [win, lose] = t.k === 'and' ? [false, true] : [true, false];
  if (vs.includes(win)) return win;
  if (vs.every((v) => v === lose)) return lose;
  return 'unknown';
}
