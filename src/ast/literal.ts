/**
 * What a literal (an atom, or its negation) holds on, as a set of the values its subject can take:
 * the reasoning the simplifier (targets/common/simplify.ts) uses to merge, absorb and fold literals on
 * one field, with Panther's Python semantics.
 *
 * A literal is read the way the rule's result reads it: true when the atom evaluates to the literal's
 * polarity, false otherwise, including when Python raises (a rule that raises does not alert, and a
 * condition in negation normal form is monotone in its literals: see evaluate.ts, strong Kleene). So a
 * literal and its negation never both hold, and they cover every value only where the atom cannot raise:
 * `x.lower() == "a"` and `x.lower() != "a"` both fail on `None`, while `x == "a"` and `x != "a"` do
 * not (`None != "a"` is True).
 *
 * Values are points of an abstract domain: strings (exactly, or, for a case-insensitive literal, by
 * their folded form: its own space), None, numbers (bool is a number: `True == 1`), and empty or
 * non-empty lists and dicts. A value expression that can raise before the atom sees it
 * (`event.get("a").get("b")` on a string `a`, `obj["k"]`) has a further point, the error, which no
 * literal holds on.
 *
 * Where a literal's set is only known approximately (a regular expression, a CIDR test), it has a
 * lower and an upper bound; relations are decided on the bounds, so every answer is sound.
 */
import type { Atom } from '../targets/common/nnf.js';
import type { Fold, Json, Val } from './types.js';
import { onNewIdSpace, valId } from './normalize.js';
import { pyFold } from '../python/semantics.js';

// ---------------------------------------------------------------------------------------------
// Finite and co-finite sets

/** Exactly `xs` or (co) everything but `xs`. */
export interface FinCo<T> {
  co: boolean;
  xs: ReadonlySet<T>;
}

const fin = <T>(xs: Iterable<T> = []): FinCo<T> => ({ co: false, xs: new Set(xs) });
const all = <T>(): FinCo<T> => ({ co: true, xs: new Set() });

function fcHas<T>(s: FinCo<T>, x: T): boolean {
  return s.co !== s.xs.has(x);
}
function fcNot<T>(s: FinCo<T>): FinCo<T> {
  return { co: !s.co, xs: s.xs };
}
function fcAnd<T>(a: FinCo<T>, b: FinCo<T>): FinCo<T> {
  if (!a.co && !b.co) return fin([...a.xs].filter((x) => b.xs.has(x)));
  if (a.co && b.co) return { co: true, xs: new Set([...a.xs, ...b.xs]) };
  const [f, c] = a.co ? [b, a] : [a, b];
  return fin([...f.xs].filter((x) => !c.xs.has(x)));
}
function fcOr<T>(a: FinCo<T>, b: FinCo<T>): FinCo<T> {
  return fcNot(fcAnd(fcNot(a), fcNot(b)));
}
function fcSub<T>(a: FinCo<T>, b: FinCo<T>): boolean {
  if (!a.co) return [...a.xs].every((x) => fcHas(b, x));
  if (!b.co) return false;
  return [...b.xs].every((x) => a.xs.has(x));
}
function fcEmpty<T>(a: FinCo<T>): boolean {
  return !a.co && a.xs.size === 0;
}
function fcFull<T>(a: FinCo<T>): boolean {
  return a.co && a.xs.size === 0;
}
function fcEq<T>(a: FinCo<T>, b: FinCo<T>): boolean {
  return fcSub(a, b) && fcSub(b, a);
}

// ---------------------------------------------------------------------------------------------
// Non-string values

/** The non-string values of a set: None, numbers (bools included), empty/non-empty lists and dicts. */
export interface Ns {
  none: boolean;
  num: FinCo<number>;
  l0: boolean;
  l1: boolean;
  d0: boolean;
  d1: boolean;
}

const NS_NONE: Ns = { none: false, num: fin(), l0: false, l1: false, d0: false, d1: false };
const NS_ALL: Ns = { none: true, num: all(), l0: true, l1: true, d0: true, d1: true };
const FLAGS = ['none', 'l0', 'l1', 'd0', 'd1'] as const;

function ns(p: Partial<Ns>): Ns {
  return { ...NS_NONE, ...p };
}
function nsNot(a: Ns): Ns {
  return { none: !a.none, num: fcNot(a.num), l0: !a.l0, l1: !a.l1, d0: !a.d0, d1: !a.d1 };
}
function nsAnd(a: Ns, b: Ns): Ns {
  return { none: a.none && b.none, num: fcAnd(a.num, b.num), l0: a.l0 && b.l0, l1: a.l1 && b.l1, d0: a.d0 && b.d0, d1: a.d1 && b.d1 };
}
function nsOr(a: Ns, b: Ns): Ns {
  return nsNot(nsAnd(nsNot(a), nsNot(b)));
}
function nsSub(a: Ns, b: Ns): boolean {
  return FLAGS.every((f) => !a[f] || b[f]) && fcSub(a.num, b.num);
}
function nsEmpty(a: Ns): boolean {
  return FLAGS.every((f) => !a[f]) && fcEmpty(a.num);
}
function nsFull(a: Ns): boolean {
  return FLAGS.every((f) => a[f]) && fcFull(a.num);
}
function nsEq(a: Ns, b: Ns): boolean {
  return nsSub(a, b) && nsSub(b, a);
}

// ---------------------------------------------------------------------------------------------
// Strings

export type PatKind = 'contains' | 'startswith' | 'endswith';

/** Which of "" and the non-empty strings a set holds (for bounds that only know that much). */
export interface Coarse {
  empty: boolean;
  nonempty: boolean;
}

/**
 * The strings of a set (in its space: exact strings, or folded ones): a finite or co-finite set, the
 * strings a pattern test accepts (or, `neg`, rejects), or only coarse bounds.
 */
export type Strs =
  | { t: 'set'; s: FinCo<string> }
  | { t: 'pat'; neg: boolean; kind: PatKind; p: string }
  | { t: 'coarse'; lo: Coarse; hi: Coarse };

const S_NONE: Strs = { t: 'set', s: fin() };
const S_ALL: Strs = { t: 'set', s: all() };

function patTest(kind: PatKind, p: string, x: string): boolean {
  return kind === 'contains' ? x.includes(p) : kind === 'startswith' ? x.startsWith(p) : x.endsWith(p);
}

/** Does the set hold `x`? undefined when only coarse bounds are known and they do not decide. */
function strHolds(a: Strs, x: string): boolean | undefined {
  switch (a.t) {
    case 'set':
      return fcHas(a.s, x);
    case 'pat':
      return patTest(a.kind, a.p, x) !== a.neg;
    case 'coarse': {
      const k = x === '' ? 'empty' : 'nonempty';
      if (a.lo[k]) return true;
      if (!a.hi[k]) return false;
      return undefined;
    }
  }
}

function coarseOf(a: Strs): { lo: Coarse; hi: Coarse } {
  switch (a.t) {
    case 'coarse':
      return { lo: a.lo, hi: a.hi };
    case 'set': {
      const e = fcHas(a.s, '');
      const others = [...a.s.xs].some((x) => x !== '');
      return { lo: { empty: e, nonempty: a.s.co && !others }, hi: { empty: e, nonempty: a.s.co || others } };
    }
    case 'pat': {
      // a pattern "" accepts every string; any other accepts some non-empty strings, rejects others and ""
      // (contains/startswith/endswith of a non-empty pattern never holds on "")
      if (a.p === '') return a.neg ? { lo: { empty: false, nonempty: false }, hi: { empty: false, nonempty: false } } : { lo: { empty: true, nonempty: true }, hi: { empty: true, nonempty: true } };
      return a.neg ? { lo: { empty: true, nonempty: false }, hi: { empty: true, nonempty: true } } : { lo: { empty: false, nonempty: false }, hi: { empty: false, nonempty: true } };
    }
  }
}

function strNot(a: Strs): Strs {
  switch (a.t) {
    case 'set':
      return { t: 'set', s: fcNot(a.s) };
    case 'pat':
      return { ...a, neg: !a.neg };
    case 'coarse':
      return { t: 'coarse', lo: { empty: !a.hi.empty, nonempty: !a.hi.nonempty }, hi: { empty: !a.lo.empty, nonempty: !a.lo.nonempty } };
  }
}

const coarseSub = (a: Coarse, b: Coarse): boolean => (!a.empty || b.empty) && (!a.nonempty || b.nonempty);

/** Is every string of `a` (at most its upper bound) in `b` (at least its lower bound)? Sound, not complete. */
function strSub(a: Strs, b: Strs): boolean {
  if (a.t === 'set' && !a.s.co) return [...a.s.xs].every((x) => strHolds(b, x) === true);
  if (b.t === 'set' && b.s.co) return [...b.s.xs].every((y) => strHolds(a, y) === false);
  if (a.t === 'pat' && b.t === 'pat') return patSub(a, b);
  // an empty pattern set (`not contains ""`) and the set of every string
  const ca = coarseOf(a);
  const cb = coarseOf(b);
  return coarseSub(ca.hi, cb.lo);
}

type Pat = Extract<Strs, { t: 'pat' }>;

/** Pattern `a` accepts every string pattern `b` accepts (both positive). */
function patImplies(a: { kind: PatKind; p: string }, b: { kind: PatKind; p: string }): boolean {
  if (b.p === '') return true;
  switch (b.kind) {
    case 'contains':
      return a.p.includes(b.p);
    case 'startswith':
      return a.kind === 'startswith' && a.p.startsWith(b.p);
    case 'endswith':
      return a.kind === 'endswith' && a.p.endsWith(b.p);
  }
}

/** No string passes both positive patterns. */
function patDisjoint(a: { kind: PatKind; p: string }, b: { kind: PatKind; p: string }): boolean {
  if (a.kind !== b.kind || a.kind === 'contains') return false;
  return a.kind === 'startswith' ? !(a.p.startsWith(b.p) || b.p.startsWith(a.p)) : !(a.p.endsWith(b.p) || b.p.endsWith(a.p));
}

function patSub(a: Pat, b: Pat): boolean {
  if (!a.neg && !b.neg) return patImplies(a, b);
  if (!a.neg && b.neg) return patDisjoint(a, b);
  if (a.neg && b.neg) return patImplies(b, a);
  // not A within B: A or B is every string
  return b.p === '' || a.p === '';
}

// ---------------------------------------------------------------------------------------------
// Literal semantics

/**
 * A literal's set, in its subject's space: `space` is `plain` (values as they are) or the fold of a
 * case-insensitive literal (`lower`, `upper`, `casefold`: its strings are folded strings, and every
 * other value raises). `lo` ⊆ set ⊆ `hi` on the non-string values; `strs` on the strings.
 */
export interface LitSem {
  /** The value the literal reads (valId). */
  subj: number;
  space: 'plain' | Fold | 'lower';
  strs: Strs;
  nsLo: Ns;
  nsHi: Ns;
  /** The value itself may raise before the atom sees it. */
  err: boolean;
  /** The literal names a boolean constant (kept out of merged lists: several targets lack them). */
  bool: boolean;
  /**
   * Where the atom itself raises (an upper bound; Python reads the literal as false there, a target reads
   * its own operator there, which may hold): strings and non-strings.
   */
  raise: { strs: Strs; ns: Ns };
}

interface Bounds {
  strs: Strs;
  nsLo: Ns;
  nsHi: Ns;
}

const exactB = (strs: Strs, n: Ns): Bounds => ({ strs, nsLo: n, nsHi: n });
const U: Bounds = exactB(S_ALL, NS_ALL);
const STR_ONLY: Bounds = exactB(S_ALL, NS_NONE);

/** `d \ p` (the negative literal): exact where both are. */
function minus(d: Bounds, p: Bounds): Bounds {
  let strs: Strs;
  if (d.strs.t === 'set' && fcFull(d.strs.s)) strs = strNot(p.strs);
  else if (d.strs.t === 'set' && fcEmpty(d.strs.s)) strs = S_NONE;
  else {
    const cd = coarseOf(d.strs);
    const cp = coarseOf(p.strs);
    strs = { t: 'coarse', lo: { empty: cd.lo.empty && !cp.hi.empty, nonempty: cd.lo.nonempty && !cp.hi.nonempty }, hi: { empty: cd.hi.empty && !cp.lo.empty, nonempty: cd.hi.nonempty && !cp.lo.nonempty } };
  }
  return { strs, nsLo: nsAnd(d.nsLo, nsNot(p.nsHi)), nsHi: nsAnd(d.nsHi, nsNot(p.nsLo)) };
}

const scalar = (x: Json): x is string | number | boolean | null => x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));

/** The points `x` (a scalar constant) stands for. */
function pointOf(x: string | number | boolean | null): Bounds {
  if (x === null) return exactB(S_NONE, ns({ none: true }));
  if (typeof x === 'string') return exactB({ t: 'set', s: fin([x]) }, NS_NONE);
  return exactB(S_NONE, ns({ num: fin([Number(x)]) }));
}

function union(a: Bounds, b: Bounds): Bounds {
  if (a.strs.t !== 'set' || b.strs.t !== 'set') throw new Error('union of inexact string sets');
  return { strs: { t: 'set', s: fcOr(a.strs.s, b.strs.s) }, nsLo: nsOr(a.nsLo, b.nsLo), nsHi: nsOr(a.nsHi, b.nsHi) };
}

/** Can evaluating `v` raise before an atom sees its value? (The event itself is a mapping.) */
export function canRaise(v: Val): boolean {
  switch (v.k) {
    case 'event':
    case 'elem':
    case 'lit':
      return false;
    case 'get': {
      if (v.default && canRaise(v.default)) return true;
      if (v.strict) return true;
      if (v.deep || v.safe) return canRaise(v.obj);
      // dict.get on something that may not be a mapping
      return v.obj.k !== 'event' || canRaise(v.obj);
    }
    case 'fn':
      return !(strValued(v) || listOfStrs(v) || (v.fn === 'len' && v.args.length === 1 && (strValued(v.args[0]!) || listOfStrs(v.args[0]!)))) || v.args.some(canRaise);
    default:
      return true;
  }
}

/**
 * A value of the type Python's function always gives it (where it does not raise): a list for
 * `split`/`rsplit`, a str for `str` and the str methods, an int for `len`; undefined when not known.
 */
export function typedValue(v: Val): Json | undefined {
  if (v.k !== 'fn') return undefined;
  switch (v.fn) {
    case 'split':
    case 'rsplit':
      return [];
    case 'str':
    case 'lower':
    case 'upper':
    case 'casefold':
    case 'strip':
    case 'lstrip':
    case 'rstrip':
    case 'replace':
      return '';
    case 'len':
      return 0;
    default:
      return undefined;
  }
}

/** `str(x)`: Python's str() of any JSON value is a str (it never raises). */
function strValued(v: Val): boolean {
  return v.k === 'fn' && v.fn === 'str' && v.args.length === 1;
}

/** `s.split(sep)` / `s.rsplit(sep[, n])` of a str() with a non-empty literal separator: a list, never raising. */
function listOfStrs(v: Val): boolean {
  if (v.k !== 'fn' || (v.fn !== 'split' && v.fn !== 'rsplit') || v.args.length < 2 || v.args.length > 3) return false;
  const [src, sep, max] = v.args as [Val, Val, Val | undefined];
  const intLit = (x: Val): boolean => x.k === 'lit' && typeof x.v === 'number' && Number.isSafeInteger(x.v);
  return strValued(src) && sep.k === 'lit' && typeof sep.v === 'string' && sep.v !== '' && (max === undefined || intLit(max));
}

/** Fold of a case-insensitive atom. */
function spaceOf(a: { ci?: boolean; fold?: Fold }): LitSem['space'] {
  return a.ci ? (a.fold ?? 'lower') : 'plain';
}

/** The atom's domain (where it does not raise) and its positive set, in its space; null: no subject. */
function atomBounds(a: Atom): { space: LitSem['space']; d: Bounds; p: Bounds; bool: boolean } | null {
  const fold = (s: string): string => (a.k !== 'valid' && a.k !== 'istype' && a.k !== 'exists' && a.k !== 'truthy' && a.k !== 'cidr' && 'ci' in a && a.ci ? pyFold(s, (a as { fold?: Fold }).fold) : s);
  const opaque = { space: 'plain' as const, d: U, p: { strs: { t: 'coarse', lo: { empty: false, nonempty: false }, hi: { empty: true, nonempty: true } } as Strs, nsLo: NS_NONE, nsHi: NS_ALL }, bool: false };
  switch (a.k) {
    case 'cmp': {
      if (a.right.k !== 'lit' || !scalar(a.right.v) || (a.op !== 'eq' && a.op !== 'ne')) return opaque;
      const v = a.right.v;
      const bool = typeof v === 'boolean';
      if (a.ci) {
        if (typeof v !== 'string') return opaque;
        const p = exactB({ t: 'set', s: fin([fold(v)]) }, NS_NONE);
        return { space: spaceOf(a), d: STR_ONLY, p: a.op === 'eq' ? p : minus(STR_ONLY, p), bool };
      }
      const p = pointOf(v);
      return { space: 'plain', d: U, p: a.op === 'eq' ? p : minus(U, p), bool };
    }
    case 'in': {
      if (!a.list.every(scalar)) return opaque;
      const bool = a.list.some((x) => typeof x === 'boolean');
      if (a.ci) {
        const p = exactB({ t: 'set', s: fin(a.list.filter((x): x is string => typeof x === 'string').map(fold)) }, NS_NONE);
        return { space: spaceOf(a), d: STR_ONLY, p, bool };
      }
      let p: Bounds = exactB(S_NONE, NS_NONE);
      for (const x of a.list) p = union(p, pointOf(x));
      // a set or dict raises on an unhashable value
      const d = a.hashed ? exactB(S_ALL, ns({ none: true, num: all() })) : U;
      return { space: 'plain', d, p, bool };
    }
    case 'exists':
      return { space: 'plain', d: U, p: exactB(S_ALL, nsNot(ns({ none: true }))), bool: false };
    case 'truthy':
      return { space: 'plain', d: U, p: exactB({ t: 'set', s: { co: true, xs: new Set(['']) } }, ns({ num: { co: true, xs: new Set([0]) }, l1: true, d1: true })), bool: false };
    case 'istype':
      switch (a.type) {
        case 'str':
          return { space: 'plain', d: U, p: STR_ONLY, bool: false };
        case 'none':
          return { space: 'plain', d: U, p: exactB(S_NONE, ns({ none: true })), bool: false };
        case 'list':
          return { space: 'plain', d: U, p: exactB(S_NONE, ns({ l0: true, l1: true })), bool: false };
        case 'dict':
          return { space: 'plain', d: U, p: exactB(S_NONE, ns({ d0: true, d1: true })), bool: false };
        default:
          // int, float, bool: some numbers
          return { space: 'plain', d: U, p: { strs: S_NONE, nsLo: NS_NONE, nsHi: ns({ num: all() }) }, bool: false };
      }
    case 'match': {
      const space = spaceOf(a);
      const strs: Strs = a.kind === 'regex' || a.kind === 'glob' ? { t: 'coarse', lo: { empty: false, nonempty: false }, hi: { empty: true, nonempty: true } } : { t: 'pat', neg: false, kind: a.kind, p: fold(a.pattern) };
      if (a.kind === 'contains' && !a.ci) {
        // `p in v`: a substring of a str, an element of a list, a key of a dict; None and numbers raise
        const d = exactB(S_ALL, ns({ l0: true, l1: true, d0: true, d1: true }));
        return { space, d, p: { strs, nsLo: NS_NONE, nsHi: ns({ l1: true, d1: true }) }, bool: false };
      }
      return { space, d: STR_ONLY, p: { strs, nsLo: NS_NONE, nsHi: NS_NONE }, bool: false };
    }
    case 'has': {
      if (!scalar(a.needle)) return opaque;
      const containers = ns({ l0: true, l1: true, d0: true, d1: true });
      if (typeof a.needle === 'string' && !a.ci) {
        const d = exactB(S_ALL, containers);
        return { space: 'plain', d, p: { strs: { t: 'pat', neg: false, kind: 'contains', p: a.needle }, nsLo: NS_NONE, nsHi: ns({ l1: true, d1: true }) }, bool: false };
      }
      // the values a case-insensitive or non-string needle is looked for in: at most strings and containers
      const d: Bounds = { strs: { t: 'coarse', lo: { empty: false, nonempty: false }, hi: { empty: true, nonempty: true } }, nsLo: NS_NONE, nsHi: containers };
      return { space: 'plain', d, p: { strs: { t: 'coarse', lo: { empty: false, nonempty: false }, hi: { empty: true, nonempty: true } }, nsLo: NS_NONE, nsHi: ns({ l1: true, d1: true }) }, bool: false };
    }
    case 'cidr': {
      // valid IP strings only (anything else raises)
      const some: Strs = { t: 'coarse', lo: { empty: false, nonempty: false }, hi: { empty: false, nonempty: true } };
      return { space: 'plain', d: { strs: some, nsLo: NS_NONE, nsHi: NS_NONE }, p: { strs: some, nsLo: NS_NONE, nsHi: NS_NONE }, bool: false };
    }
    case 'valid':
      return { space: 'plain', d: U, p: { strs: { t: 'coarse', lo: { empty: false, nonempty: false }, hi: { empty: false, nonempty: true } }, nsLo: NS_NONE, nsHi: NS_NONE }, bool: false };
    case 'rel':
      return opaque;
  }
}

let semCache = new WeakMap<object, [LitSem | null, LitSem | null, LitSem | null, LitSem | null]>();
// a literal's semantics holds its value's valId (`subj`)
onNewIdSpace(() => (semCache = new WeakMap()));

/**
 * The literal's set. `strGuard`: the literal stands for `isinstance(v, str) and atom` (negated:
 * `not isinstance(v, str) or not atom`), see guards.ts.
 */
export function litSem(atom: Atom, neg: boolean, strGuard = false): LitSem | null {
  let cached = semCache.get(atom);
  if (!cached) semCache.set(atom, (cached = [undefined, undefined, undefined, undefined] as unknown as [null, null, null, null]));
  const slot = (neg ? 1 : 0) + (strGuard ? 2 : 0);
  if (cached[slot] !== undefined) return cached[slot];
  const out = computeSem(atom, neg, strGuard);
  cached[slot] = out;
  return out;
}

function computeSem(atom: Atom, neg: boolean, strGuard: boolean): LitSem | null {
  const ab = atomBounds(atom);
  if (!ab) return null;
  // where the atom raises: outside its domain (an atom whose domain is not known raises anywhere)
  const opaqueAtom = atom.k === 'rel' || (atom.k === 'cmp' && (atom.right.k !== 'lit' || (atom.op !== 'eq' && atom.op !== 'ne')));
  let raise: LitSem['raise'] = opaqueAtom ? { strs: S_ALL, ns: NS_ALL } : { strs: ab.d.strs.t === 'set' ? strNot(ab.d.strs) : S_ALL, ns: nsNot(ab.d.nsLo) };
  // a guarded literal is decided without the atom on a non-string
  if (strGuard) raise = { strs: raise.strs, ns: NS_NONE };
  let b = neg ? minus(ab.d, ab.p) : ab.p;
  let space = ab.space;
  if (strGuard) {
    if (space !== 'plain') {
      // a folded space has no non-strings: pos keeps its set; neg adds every non-string, so it leaves the space
      if (neg) {
        const c = coarseOf(b.strs);
        b = { strs: { t: 'coarse', ...c }, nsLo: nsNot(NS_NONE), nsHi: nsNot(NS_NONE) };
        space = 'plain';
      }
    } else if (neg) {
      b = { strs: b.strs, nsLo: NS_ALL, nsHi: NS_ALL };
    } else {
      b = { strs: b.strs, nsLo: NS_NONE, nsHi: NS_NONE };
    }
  }
  const value = atom.k === 'cmp' ? atom.left : atom.value;
  return { subj: valId(value), space, strs: b.strs, nsLo: b.nsLo, nsHi: b.nsHi, err: canRaise(value), bool: ab.bool, raise };
}

/** Can the atom never raise (its value cannot, and it is defined on every value)? Then a literal and its negation cover everything. */
export function atomTotal(atom: Atom): boolean {
  const ab = atomBounds(atom);
  if (!ab || ab.space !== 'plain') return false;
  const d = ab.d;
  return d.strs.t === 'set' && fcFull(d.strs.s) && nsFull(d.nsLo) && !canRaise(atom.k === 'cmp' ? atom.left : atom.value);
}

// ---------------------------------------------------------------------------------------------
// Relations between two literals on the same subject

/**
 * Two literals in different spaces (a folded one and another) are compared through their coarse views:
 * folding maps "" to "" and non-empty strings to non-empty ones, so "" versus the rest survives it.
 */
function coarseView(a: LitSem): Bounds {
  return { strs: { t: 'coarse', ...coarseOf(a.strs) }, nsLo: a.nsLo, nsHi: a.nsHi };
}

function common(a: LitSem, b: LitSem): [Bounds, Bounds] {
  return a.space === b.space ? [a, b] : [coarseView(a), coarseView(b)];
}

/** Does `a` holding imply `b` holding? (Same subject.) */
export function implies(a: LitSem, b: LitSem): boolean {
  if (a.subj !== b.subj) return false;
  const [x, y] = common(a, b);
  return strSub(x.strs, y.strs) && nsSub(x.nsHi, y.nsLo);
}

/** Union of two string sets (coarse where they are not both sets). */
function strOr(a: Strs, b: Strs): Strs {
  if (a.t === 'set' && b.t === 'set') return { t: 'set', s: fcOr(a.s, b.s) };
  if (b.t === 'set' && fcEmpty(b.s)) return a;
  if (a.t === 'set' && fcEmpty(a.s)) return b;
  const ca = coarseOf(a);
  const cb = coarseOf(b);
  return { t: 'coarse', lo: { empty: ca.lo.empty || cb.lo.empty, nonempty: ca.lo.nonempty || cb.lo.nonempty }, hi: { empty: ca.hi.empty || cb.hi.empty, nonempty: ca.hi.nonempty || cb.hi.nonempty } };
}

/**
 * Does `a` imply `b` as a target reads `a`? Where Python raises, the literal is false, but a target reads
 * its own operator there (KQL's `tostring()` of a number, Sigma's `not selection` on a missing field), so
 * `a`'s set is taken with the values where its atom raises, less None when `none` is false (a target
 * reads a missing field as "" or as no match) and less the non-strings when `nonStr` is false (the
 * target's string operators are false on them). Used to drop `b` beside `a`: a drop that holds in Python
 * only because `a` raises would widen the target.
 */
export function impliesAsRead(a: LitSem, b: LitSem, keep: { none: boolean; nonStr: boolean }): boolean {
  if (a.subj !== b.subj) return false;
  const r = a.raise;
  const ns: Ns = keep.nonStr ? { ...r.ns, none: r.ns.none && keep.none } : { ...NS_NONE, none: r.ns.none && keep.none };
  if (a.space !== 'plain' && !nsEmpty(ns)) {
    // a folded literal's raise points are the non-strings, outside its space: compared in the plain space, coarsely
    return coarseSub(coarseOf(a.strs).hi, coarseOf(b.strs).lo) && nsSub(nsOr(a.nsHi, ns), b.nsLo);
  }
  const w: LitSem = { ...a, strs: strOr(a.strs, r.strs), nsHi: nsOr(a.nsHi, ns) };
  return implies(w, b);
}

/** Could a target read the literal as holding on a missing field ("" holds, or the literal is negated)? */
export function mayHoldOnEmpty(a: LitSem): boolean {
  return coarseOf(a.strs).hi.empty;
}

const raiseKeys = new WeakMap<LitSem['raise'], string>();

/**
 * Where the atom raises, as a key: two literals with equal keys raise on the same values. Kept per `raise`
 * (a literal's semantics are cached per atom, litSem): simplify asks for it on every merge and implication
 * test, and the key lists every value of the sets.
 */
export function raiseKey(a: LitSem): string {
  let k = raiseKeys.get(a.raise);
  if (k === undefined) raiseKeys.set(a.raise, (k = raiseKeyOf(a.raise)));
  return k;
}

function raiseKeyOf(r: LitSem['raise']): string {
  const c = coarseOf(r.strs);
  const n = r.ns;
  return `${r.strs.t === 'set' ? `${r.strs.s.co ? '~' : ''}${[...r.strs.s.xs].join('\u0001')}` : `c${+c.lo.empty}${+c.lo.nonempty}${+c.hi.empty}${+c.hi.nonempty}`}|${FLAGS.map((f) => +n[f]).join('')}${n.num.co ? '~' : ''}${[...n.num.xs].join(',')}`;
}

/** Can `a` and `b` never hold together? */
export function disjoint(a: LitSem, b: LitSem): boolean {
  if (a.subj !== b.subj) return false;
  const [x, y] = common(a, b);
  return strSub(x.strs, strNot(y.strs)) && nsEmpty(nsAnd(x.nsHi, y.nsHi));
}

/** Does one of `a` and `b` always hold? (Never where the value can raise.) */
export function covers(a: LitSem, b: LitSem): boolean {
  if (a.subj !== b.subj || a.err) return false;
  const [x, y] = common(a, b);
  return strSub(strNot(x.strs), y.strs) && nsFull(nsOr(x.nsLo, y.nsLo));
}

/** Does the literal hold on nothing (a contradiction by itself)? */
export function isEmpty(a: LitSem): boolean {
  return strSub(a.strs, S_NONE) && nsEmpty(a.nsHi);
}

/** Does the literal hold on every value (only where the value cannot raise)? */
export function isFull(a: LitSem): boolean {
  return !a.err && strSub(S_ALL, a.strs) && nsFull(a.nsLo);
}

// ---------------------------------------------------------------------------------------------
// Exact sets: merging literals on one subject

/** An exactly known set (strings as a finite or co-finite set). */
export interface ExactSet {
  space: LitSem['space'];
  s: FinCo<string>;
  n: Ns;
}

/** The literal's set when exactly known as a finite/co-finite string set, else null. */
export function exactSet(a: LitSem): ExactSet | null {
  if (a.strs.t !== 'set' || !nsEq(a.nsLo, a.nsHi)) return null;
  return { space: a.space, s: a.strs.s, n: a.nsLo };
}

export function setOr(a: ExactSet, b: ExactSet): ExactSet {
  return { space: a.space, s: fcOr(a.s, b.s), n: nsOr(a.n, b.n) };
}
export function setAnd(a: ExactSet, b: ExactSet): ExactSet {
  return { space: a.space, s: fcAnd(a.s, b.s), n: nsAnd(a.n, b.n) };
}
export function setEq(a: ExactSet, b: ExactSet): boolean {
  return a.space === b.space && fcEq(a.s, b.s) && nsEq(a.n, b.n);
}
export function setEmpty(a: ExactSet): boolean {
  return fcEmpty(a.s) && nsEmpty(a.n);
}
/** The complement in the plain space (every value the set does not hold); null in a folded space, whose complement holds the non-strings it lacks. */
export function setNot(a: ExactSet): ExactSet | null {
  return a.space === 'plain' ? { space: 'plain', s: fcNot(a.s), n: nsNot(a.n) } : null;
}
/** `a` ⊆ `b` (one space). */
export function setSub(a: ExactSet, b: ExactSet): boolean {
  return a.space === b.space && fcSub(a.s, b.s) && nsSub(a.n, b.n);
}
/** The atom raises on no value (its literal is read alike by Python and a target wherever the value itself does not raise). */
export function raisesNowhere(a: LitSem): boolean {
  return a.raise.strs.t === 'set' && fcEmpty(a.raise.strs.s) && nsEmpty(a.raise.ns);
}
/** Every value (never in a folded space: there every non-string raises). */
export function setFull(a: ExactSet): boolean {
  return a.space === 'plain' && fcFull(a.s) && nsFull(a.n);
}

/**
 * An atom and polarity whose set is exactly `s`, written with the constructs every target prints: an
 * equality or `in` over strings and (non-boolean) numbers, its negation, `is None`/`is not None`, or
 * truthiness. null when `s` needs anything else.
 */
export function atomFor(s: ExactSet, value: Val, span: Atom['span']): { atom: Atom; neg: boolean } | null {
  const at = span ? { span } : {};
  const ci = s.space === 'plain' ? {} : { ci: true as const, ...(s.space === 'lower' ? {} : { fold: s.space as Fold }) };
  const list = (strs: ReadonlySet<string>, nums: ReadonlySet<number>): Json[] => [...[...strs].sort(cmpStr), ...[...nums].sort((x, y) => x - y)];
  const eqOrIn = (l: Json[], neg: boolean): { atom: Atom; neg: boolean } | null => {
    if (l.length === 0) return null;
    if (l.length === 1) return { atom: { k: 'cmp', op: 'eq', left: value, right: { k: 'lit', v: l[0] as Json }, ...ci, ...at }, neg };
    return { atom: { k: 'in', value, list: l, ...ci, ...at }, neg };
  };
  if (s.space !== 'plain') {
    // folded strings only: the values are strings, none of them raise here
    if (!s.s.co) return eqOrIn(list(s.s.xs, new Set()), false);
    return eqOrIn(list(s.s.xs, new Set()), true);
  }
  const n = s.n;
  const noFlags = !n.none && !n.l0 && !n.l1 && !n.d0 && !n.d1;
  const allFlags = n.none && n.l0 && n.l1 && n.d0 && n.d1;
  if (!s.s.co && noFlags && !n.num.co) return eqOrIn(list(s.s.xs, n.num.xs), false);
  if (s.s.co && allFlags && n.num.co) return eqOrIn(list(s.s.xs, n.num.xs), true);
  if (s.s.co && s.s.xs.size === 0 && n.num.co && n.num.xs.size === 0 && !n.none && n.l0 && n.l1 && n.d0 && n.d1) {
    return { atom: { k: 'exists', value, ...at }, neg: false };
  }
  if (!s.s.co && s.s.xs.size === 0 && !n.num.co && n.num.xs.size === 0 && n.none && !n.l0 && !n.l1 && !n.d0 && !n.d1) {
    return { atom: { k: 'exists', value, ...at }, neg: true };
  }
  const truthy = exactSet(litSem({ k: 'truthy', value }, false) as LitSem) as ExactSet;
  if (setEq(s, truthy)) return { atom: { k: 'truthy', value, ...at }, neg: false };
  if (setEq(s, { space: 'plain', s: fcNot(truthy.s), n: nsNot(truthy.n) })) return { atom: { k: 'truthy', value, ...at }, neg: true };
  return null;
}

/** Strings by code point (a stable, locale-free order). */
export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
