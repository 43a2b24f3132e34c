/**
 * `str(x)` of a field, for the targets without Python's str() (Logs Insights, Sigma): a test on Python's text of a field is a test on the field itself
 * where the field's type makes the two agree.
 *
 * Python: `str(s)` of a str is `s`; `str(n)` of an int is its decimal digits (no sign for 0, no leading
 * zeros); `str(None)` is "None". So, where the field holds only strings (the mapping types it `string`, or
 * the rule's tests hold it only as strings; a JSON null reads as missing), a test on `str(x)` is the same
 * test on `x` wherever `x` is a string, and the two only differ where `x` is missing, where Python tests
 * the text "None" (or `str(default)`). The rewritten literal is kept only when its value on a missing
 * field (`litMissing`: plain, or as the `isinstance(x, str)`-guarded literal, false there) is the
 * original's; the printer's presence guard then states it as it does for every literal.
 *
 * The truthiness of `x.lower()` (`upper()`, `casefold()`) of a field holding only strings is the truthiness
 * of `x` (a case mapping is empty exactly when its input is); where `x` is missing Python raises
 * (`None.lower()`: the rule errors, no alert) unless the field is read with a string default, whose mapping
 * is then tested.
 *
 * Where the mapping types the field `integer` (and no test shows another type), `str(x) == "s"` holds for
 * an int `x` exactly when `s` is the canonical decimal text of `x`: the test becomes `x = n`, a number
 * comparison (CWL_QuerySyntax-Filter.html compares numbers: `range>3000`); a text no int prints as ("05",
 * "-0", "5.0", "abc") is never equal. Only `==`/`!=` and `in` with string literals are read so. Test
 * evidence alone never makes a field an int here: a JSON `5.0` reads as the number 5 in a test log, but
 * Python's str() of it is "5.0".
 */
import type { Json, Val } from '../../ast/types.js';
import { fieldRef, type FieldRef } from '../../ast/view.js';
import type { FieldResolver } from './fields.js';
import { evalAtomOn, litMissing, type Tri } from './missing.js';
import type { Lit } from './printer.js';
import type { Atom } from './nnf.js';
import { atomValue, withAtomValue } from './nnf.js';
import { pyCasefold, pyLower, pyStr, pyUpper } from '../../python/semantics.js';

/** A decimal text an int prints as, short enough to be read exactly as a double (15 digits). */
const CANONICAL_INT = /^(0|-?[1-9][0-9]{0,14})$/;

/** What a test on `str(x)` becomes: a literal on `x`, or a constant. */
export type StrRewrite = { lit: Lit } | { constant: boolean } | { either: Lit[] };

/** Case mappings: a str's image is empty exactly when the str is (no character maps to none). */
const CASE_FNS: Record<string, (s: string) => string> = { lower: pyLower, upper: pyUpper, casefold: pyCasefold };

/**
 * The field `str()` is applied to, when the literal reads `str(field)` of an event field; or the field a
 * case mapping (`lower()`, `upper()`, `casefold()`) is applied to under a truthiness test, which is the
 * field's own truthiness wherever the field is a string.
 */
function strArg(a: Atom): { fn: string; inner: Val; ref: FieldRef; strict: boolean } | null {
  const v = atomValue(a);
  if (v.k !== 'fn' || v.args.length !== 1 || !(v.fn === 'str' || (a.k === 'truthy' && v.fn in CASE_FNS))) return null;
  const inner = v.args[0]!;
  const ref = fieldRef(inner);
  if (!ref || ref.root !== 'event' || ref.path.length === 0) return null;
  return { fn: v.fn, inner, ref, strict: inner.k === 'get' && !!inner.strict };
}

/** Is the literal a test on `str()` of an event field? */
export function isStrRead(l: Lit): boolean {
  return strArg(l.atom) !== null;
}

const polar = (t: Tri, neg: boolean): Tri => (typeof t === 'boolean' ? t !== neg : t);

/**
 * The literal on the field itself (or a constant) that a test on `str(field)` is, or null when the field's
 * type does not make them agree (the caller declares the computed value).
 */
export function strRewrite(l: Lit, res: FieldResolver, opts: { intOrStr?: boolean; textOfInt?: boolean } = {}): StrRewrite | null {
  const a = l.atom;
  const s = strArg(a);
  if (!s) return null;
  const path = res.evidence.casing(s.ref.path);
  const stated = res.mapper.valueType?.(res.logType, path);
  const seen = [...res.evidence.types(path)].filter((t) => t !== 'null');
  const d = s.ref.default;
  // Python's value of the literal where the field is missing: the test on str(default) (str(None): "None")
  let orig: Tri;
  if (s.strict) orig = 'error';
  else if (s.fn === 'str') orig = polar(evalAtomOn(a, pyStr(d === undefined ? null : d), true), l.neg);
  else orig = typeof d === 'string' ? polar(evalAtomOn(a, CASE_FNS[s.fn]!(d), true), l.neg) : 'error';
  const field = { ref: s.ref, strict: s.strict };
  // where Python raises (None.lower()) the rule errors, and the target may read its own value there
  const agrees = (x: Lit): boolean => orig === 'error' || litMissing(x, field) === orig;
  if ((stated === 'string' || stated === undefined) && (stated !== undefined || seen.length > 0) && seen.every((t) => t === 'string')) {
    const plain: Lit = { k: 'lit', atom: withAtomValue(a, s.inner), neg: l.neg };
    if (agrees(plain)) return { lit: plain };
    const guarded: Lit = { ...plain, strGuard: true };
    if (agrees(guarded)) return { lit: guarded };
    return null;
  }
  if (s.fn !== 'str') return null;
  const ints = res.evidence.values(path).every((v: Json) => typeof v !== 'number' || Number.isInteger(v));
  if (opts.intOrStr && stated === 'integer' && seen.includes('string') && seen.every((t) => t === 'number' || t === 'string') && ints) {
    // typed `integer` by the mapping while the tests hold it as text too: either, each as itself (`either`)
    const asStr: Lit = { k: 'lit', atom: withAtomValue(a, s.inner), neg: l.neg };
    const asInt = intLit(l, a, s.inner);
    if (!asInt || !agrees(asStr) || ('lit' in asInt && !agrees(asInt.lit))) return null;
    if ('constant' in asInt) return asInt.constant === l.neg ? { lit: asStr } : null;
    return { either: [asStr, asInt.lit] };
  }
  if (opts.textOfInt && stated === 'integer' && seen.every((t) => t === 'number' || t === 'string') && ints) {
    // the target's field holds an int as its decimal text (as Python's str() of an int spells it) and a
    // string as itself: a test on str(x) is the same test on the field's text (YARA-L's string UDM fields,
    // src/mapping/project/yaral.ts; the caller refuses a field that is not a string)
    const plain: Lit = { k: 'lit', atom: withAtomValue(a, s.inner), neg: l.neg };
    return agrees(plain) ? { lit: plain } : null;
  }
  if (stated === 'integer' && seen.every((t) => t === 'number') && ints) {
    const r = intLit(l, a, s.inner);
    if (!r) return null;
    if ('constant' in r) return orig === l.neg ? r : null;
    return agrees(r.lit) ? r : null;
  }
  return null;
}

/**
 * `str(x) == "s"` (or `in` texts) on an int `x`: `x == n` for the texts that are the canonical decimal text
 * of an int n, or a constant where none is (false; negated: true).
 */
function intLit(l: Lit, a: Atom, inner: Val): { lit: Lit } | { constant: boolean } | null {
  let texts: string[];
  if (a.k === 'cmp' && a.op === 'eq' && !a.ci && a.right.k === 'lit' && typeof a.right.v === 'string') texts = [a.right.v];
  else if (a.k === 'in' && !a.ci && a.list.length > 0 && a.list.every((x) => typeof x === 'string')) texts = a.list as string[];
  else return null;
  const nums = [...new Set(texts.filter((t) => CANONICAL_INT.test(t)).map(Number))];
  // no int prints as any of the texts: the test is false on every int (negated: true)
  if (nums.length === 0) return { constant: l.neg };
  const atom: Atom = nums.length === 1 ? { k: 'cmp', op: 'eq', left: inner, right: { k: 'lit', v: nums[0]! }, ...(a.span ? { span: a.span } : {}) } : { k: 'in', value: inner, list: nums, ...(a.span ? { span: a.span } : {}) };
  return { lit: { k: 'lit', atom, neg: l.neg } };
}

/**
 * `float(x)` of a field that holds numbers: Python's `float()` of an int or a float is the same number
 * (`float(8) == 8`), so a comparison of `float(x)` with a number is the same comparison on `x`. Only where
 * the mapping types the field `number` or `integer`, or, typing nothing, the rule's tests hold it only as
 * numbers (a JSON null reads as missing): a boolean (`float(True)` is 1.0) or a numeric string
 * (`float("8")`) would be compared otherwise by a target. Where `x` is missing Python reads the default:
 * a number (compared as itself) or None (`float(None)` raises: the rule errors); any other default is
 * left computed.
 */
export function floatRewrite(l: Lit, res: FieldResolver): Lit | null {
  const a = l.atom;
  if (a.k !== 'cmp' || a.right.k !== 'lit' || typeof a.right.v !== 'number') return null;
  const v = a.left;
  if (v.k !== 'fn' || v.fn !== 'float' || v.args.length !== 1) return null;
  const inner = v.args[0]!;
  const ref = fieldRef(inner);
  if (!ref || ref.root !== 'event' || ref.path.length === 0) return null;
  if (ref.default !== undefined && typeof ref.default !== 'number') return null;
  const path = res.evidence.casing(ref.path);
  const stated = res.mapper.valueType?.(res.logType, path);
  const seen = [...res.evidence.types(path)].filter((t) => t !== 'null');
  if (!seen.every((t) => t === 'number')) return null;
  if (stated !== undefined ? stated !== 'number' && stated !== 'integer' : seen.length === 0) return null;
  return { k: 'lit', atom: { ...a, left: inner }, neg: l.neg };
}
