/**
 * Python's value semantics over JSON values, as CPython 3.11 behaves: the one implementation the
 * evaluator (ast/evaluate.ts), the lifter's constant folding and the targets' missing-field logic
 * (targets/common/missing.ts) call. Where CPython raises, these functions throw a `PyError` naming the
 * Python exception.
 *
 * JSON values stand for what `json.loads` gives: None, bool, int/float, str, list, dict. A JavaScript
 * number cannot say whether it was an int or a float, so an integral number reads as an int
 * (`isinstance(1.0, int)` is false in Python, true here; `str(1.0)` is "1"); `pyFloatRepr` formats
 * a number known to be a float. Integers beyond 2**53 lose precision, as in any JSON reader in JS.
 *
 * Unicode: case mappings, `isspace` and `isprintable` come from the Unicode data of the JavaScript
 * engine (Node 20: Unicode 15.1 to 17), CPython 3.11 uses Unicode 14.0. The difference: letters
 * given a case pair after 14.0 (U+1C89, U+A7CB..U+A7DC, U+10D50..U+10D65, U+16EA0..U+16EB8 and their
 * pairs) are lowered/upper-cased/folded here and left alone by CPython 3.11, and characters assigned
 * after 14.0 are printable here (kept as they are by repr()) while CPython 3.11 escapes them.
 * Every other code point was checked against CPython 3.11 (`lower`, `upper`, `casefold` of each one).
 */
import type { Json, PyType } from '../ast/types.js';
import { globRegex, pyRegex, PY_WS } from '../ast/regex.js';

export type PyExc = 'TypeError' | 'ValueError' | 'KeyError' | 'IndexError' | 'AttributeError' | 'JSONDecodeError' | 'Exception';

/**
 * A Python exception: evaluation stopped where CPython raises `type`. Made without a JavaScript stack
 * trace: the evaluators raise and catch one per value Python raises on (a comparison of None with a
 * string...), the tests and proofs of a batch tens of thousands of them, and nothing reads the trace.
 */
export class PyError extends Error {
  readonly type: PyExc;
  constructor(message: string, type: PyExc = 'Exception') {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.type = type;
  }
}

export type PyDict = { [k: string]: Json };

export function isMapping(v: Json | undefined): v is PyDict {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const has = (o: PyDict, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** `type(v).__name__` (an integral number is an int). */
export function pyTypeName(v: Json | undefined): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  return Array.isArray(v) ? 'list' : 'dict';
}

// ---------------------------------------------------------------------------------------------
// Truthiness, equality, ordering, membership, isinstance, len, iteration

/** `bool(v)`: None, False, 0, 0.0, "", [] and {} are false; NaN is true. */
export function pyTruthy(v: Json | undefined): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

const num = (v: Json): number | null => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : null);

/**
 * `a == b`: bool, int and float compare numerically (`1 == 1.0 == True`), containers element-wise with
 * the same rule (`[1] == [True]`), dicts by their key sets whatever the order; no other types are equal.
 */
export function pyEq(a: Json, b: Json): boolean {
  if (a === b) return true;
  const na = num(a);
  const nb = num(b);
  if (na !== null || nb !== null) return na !== null && nb !== null && na === nb;
  if (a === null || b === null || typeof a === 'string' || typeof b === 'string') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => pyEq(x, b[i] as Json));
  }
  if (!isMapping(a) || !isMapping(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => has(b, k) && pyEq(a[k] as Json, b[k] as Json));
}

/** Python compares str by code point; JavaScript's `<` by UTF-16 unit (they differ past U+FFFF). */
export function cmpCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
  }
  return a.length - b.length;
}

export type OrderOp = 'lt' | 'le' | 'gt' | 'ge';
const OP_SYM: Record<OrderOp, string> = { lt: '<', le: '<=', gt: '>', ge: '>=' };

function holds(op: OrderOp, d: number): boolean {
  // NaN (a float nan on either side) makes every ordering false, as in Python
  return op === 'lt' ? d < 0 : op === 'le' ? d <= 0 : op === 'gt' ? d > 0 : d >= 0;
}

/**
 * `a < b` (and <=, >, >=): numbers (bool counts) with numbers, str with str by code point, list with list
 * lexicographically (the first unequal elements decide, then the lengths). Anything else raises
 * TypeError, as do None and dicts.
 */
export function pyCompare(op: OrderOp, a: Json, b: Json): boolean {
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null) return holds(op, na - nb);
  if (typeof a === 'string' && typeof b === 'string') return holds(op, cmpCodePoints(a, b));
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i] as Json, b[i] as Json)) return pyCompare(op, a[i] as Json, b[i] as Json);
    }
    return holds(op, a.length - b.length);
  }
  throw new PyError(`'${OP_SYM[op]}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`, 'TypeError');
}

/**
 * `needle in hay`: a substring test on a str (the needle must be a str), element equality on a list,
 * key membership on a dict (the needle must be hashable: not a list or dict). `hasKey` replaces the
 * dict's exact key test (Panther's event matches keys case-insensitively).
 */
export function pyIn(needle: Json, hay: Json, hasKey: (o: PyDict, k: string) => boolean = has): boolean {
  if (typeof hay === 'string') {
    if (typeof needle !== 'string') throw new PyError(`'in <string>' requires string as left operand, not ${pyTypeName(needle)}`, 'TypeError');
    return hay.includes(needle);
  }
  if (Array.isArray(hay)) return hay.some((x) => pyEq(x, needle));
  if (isMapping(hay)) {
    if (needle !== null && typeof needle === 'object') throw new PyError(`unhashable type: '${pyTypeName(needle)}'`, 'TypeError');
    return typeof needle === 'string' && hasKey(hay, needle);
  }
  throw new PyError(`argument of type '${pyTypeName(hay)}' is not iterable`, 'TypeError');
}

/** `isinstance(v, t)` over JSON values: bool is an int; an integral number is an int, not a float. */
export function pyIsInstance(v: Json | undefined, t: PyType | string): boolean {
  switch (t) {
    case 'str':
      return typeof v === 'string';
    case 'int':
      return typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));
    case 'float':
      return typeof v === 'number' && !Number.isInteger(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'list':
      return Array.isArray(v);
    case 'dict':
      return isMapping(v);
    default:
      return v === null || v === undefined;
  }
}

/** `len(v)`: code points of a str, items of a list, keys of a dict; TypeError otherwise. */
export function pyLen(v: Json): number {
  if (typeof v === 'string') {
    let n = 0;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length) {
        const d = v.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }
  if (Array.isArray(v)) return v.length;
  if (isMapping(v)) return Object.keys(v).length;
  throw new PyError(`object of type '${pyTypeName(v)}' has no len()`, 'TypeError');
}

/** The items a Python `for` loop visits: list items, the code points of a str, a dict's keys. */
export function pyIter(v: Json): Json[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  throw new PyError(`'${pyTypeName(v)}' object is not iterable`, 'TypeError');
}

// ---------------------------------------------------------------------------------------------
// str methods

/** The receiver of a str method: a str, else AttributeError (`None.lower()`). */
export function pyStrSelf(v: Json | undefined, method: string): string {
  if (typeof v !== 'string') throw new PyError(`'${pyTypeName(v)}' object has no attribute '${method}'`, 'AttributeError');
  return v;
}

/** `s.lower()`: full lowercase mapping with the final-sigma rule (JavaScript's is the same). */
export function pyLower(s: string): string {
  return s.toLowerCase();
}

/** `s.upper()`: full uppercase mapping ("ß".upper() == "SS"). */
export function pyUpper(s: string): string {
  return s.toUpperCase();
}

/**
 * `s.casefold()`: Unicode full case folding ("Straße" → "strasse", "ﬁ" → "fi", "ς" → "σ"), per code
 * point and without context (unlike lower(), no final sigma). JavaScript has no case folding; for every
 * code point but the ones below, lower(upper(lower(c))) is the fold (checked against CPython 3.11 for all
 * code points). The exceptions: Cherokee folds to its uppercase letters (U+AB70..U+ABBF → U+13A0..U+13EF,
 * U+13F8..U+13FD → U+13F0..U+13F5, the uppercase stay), and "ı" (U+0131) has no fold.
 */
export function pyCasefold(s: string): string {
  // ASCII fast path
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  let out = '';
  for (const c of s) out += foldChar(c);
  return out;
}

function foldChar(c: string): string {
  const cp = c.codePointAt(0) as number;
  if (cp < 0x80) return c.toLowerCase();
  if (cp === 0x131) return c;
  if (cp >= 0x13a0 && cp <= 0x13f5) return c;
  if (cp >= 0x13f8 && cp <= 0x13fd) return String.fromCodePoint(cp - 8);
  if (cp >= 0xab70 && cp <= 0xabbf) return String.fromCodePoint(cp - 0xab70 + 0x13a0);
  return c.toLowerCase().toUpperCase().toLowerCase();
}

/** How a case-insensitive comparison folded its operands: lower() unless upper() or casefold(). */
export type PyFold = 'lower' | 'upper' | 'casefold';

export function pyFold(s: string, fold?: PyFold): string {
  return fold === 'upper' ? pyUpper(s) : fold === 'casefold' ? pyCasefold(s) : pyLower(s);
}

const WS_CLASS = `[${PY_WS}]`;
const IS_WS = new RegExp(`^${WS_CLASS}$`, 'u');
const WS_RUN = new RegExp(`${WS_CLASS}+`, 'gu');

/** `str.isspace()` for one character (Python's whitespace: more than JavaScript's \s, without U+FEFF). */
export function pyIsSpace(c: string): boolean {
  return IS_WS.test(c);
}

/**
 * `s.strip(chars)`, `lstrip`, `rstrip`: without chars (or None) Python's whitespace; with chars, any of
 * its code points.
 */
export function pyStrip(s: string, chars: string | null = null, side: 'both' | 'left' | 'right' = 'both'): string {
  const cps = [...s];
  const set = chars === null ? null : new Set([...chars]);
  const strip = (c: string): boolean => (set === null ? pyIsSpace(c) : set.has(c));
  let i = 0;
  let j = cps.length;
  if (side !== 'right') while (i < j && strip(cps[i] as string)) i++;
  if (side !== 'left') while (j > i && strip(cps[j - 1] as string)) j--;
  return cps.slice(i, j).join('');
}

/**
 * `s.split(sep, maxsplit)`: without sep (None), on runs of whitespace, ignoring leading and trailing
 * whitespace (the unsplit remainder keeps its trailing whitespace); with sep, on each occurrence
 * (ValueError for ""). A negative maxsplit (or null) splits everywhere.
 */
export function pySplit(s: string, sep: string | null = null, maxsplit: number | null = -1): string[] {
  const max = maxsplit === null || maxsplit < 0 ? Infinity : maxsplit;
  if (sep === null) {
    const out: string[] = [];
    let rest = pyStrip(s, null, 'left');
    while (rest.length > 0) {
      if (out.length >= max) {
        out.push(rest);
        break;
      }
      WS_RUN.lastIndex = 0;
      const m = WS_RUN.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  if (sep === '') throw new PyError('empty separator', 'ValueError');
  const parts = s.split(sep);
  if (parts.length > max + 1) return [...parts.slice(0, max), parts.slice(max).join(sep)];
  return parts;
}

/**
 * `s.rsplit(sep, maxsplit)`: split from the right, i.e. split() of the reversed string with the reversed
 * separator, reversed back ("aaa".rsplit("aa") is ["a", ""]; only differs from split() with a maxsplit
 * or overlapping separators).
 */
export function pyRsplit(s: string, sep: string | null = null, maxsplit: number | null = -1): string[] {
  const rev = (t: string): string => [...t].reverse().join('');
  return pySplit(rev(s), sep === null ? null : rev(sep), maxsplit).map(rev).reverse();
}

/** `s.replace(old, new)`: an empty `old` inserts `new` between code points and at both ends. */
export function pyReplace(s: string, old: string, rep: string): string {
  if (old === '') return [rep, ...[...s].flatMap((c) => [c, rep])].join('');
  return s.split(old).join(rep);
}

// ---------------------------------------------------------------------------------------------
// Regular expressions (the one Python-regex engine, ast/regex.ts)

/** `re.search` / `re.match` / `re.fullmatch(pattern, s, flags)` (flags as letters: i, m, s, x, a, u, L). */
export function pyReTest(pattern: string, s: string, flags = '', anchor: 'search' | 'match' | 'fullmatch' = 'search'): boolean {
  return pyRegex(pattern, flags, anchor).test(s);
}

/** `fnmatch.fnmatch(s, pattern)` on POSIX (case-sensitive unless `ci`). */
export function pyFnmatch(s: string, pattern: string, ci = false): boolean {
  return globRegex(pattern, ci).test(s);
}

// ---------------------------------------------------------------------------------------------
// Conversions: str(), repr(), int(), float()

/** `str(v)`: "None", "True", ints in full, floats as repr(), str unchanged, containers as repr(). */
export function pyStr(v: Json): string {
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** `repr(v)`: str quoted and escaped as Python does, lists and dicts with reprs inside. */
export function pyRepr(v: Json): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? pyIntRepr(v) : pyFloatRepr(v);
  if (typeof v === 'string') return pyStrRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
}

function pyIntRepr(n: number): string {
  return Math.abs(n) < 1e21 ? String(n === 0 ? 0 : n) : BigInt(n).toString();
}

/** `repr(f)` of a float: shortest round-trip digits, scientific below 1e-4 and from 1e16, "1.0", "-0.0". */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mant, expS] = n.toExponential().split('e') as [string, string];
  const exp = Number(expS);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const s = n.toFixed(Math.max(0, (mant.split('.')[1]?.length ?? 0) - exp));
  return s.includes('.') ? s : `${s}.0`;
}

// Python's str.isprintable() is false for Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs but the space
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** `repr(s)`: single quotes unless s holds a ' and no ", escapes for \\, the quote, \t \n \r and non-printables. */
export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const c of s) {
    const cp = c.codePointAt(0) as number;
    if (c === q || c === '\\') out += `\\${c}`;
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x7f) out += c;
    else if (!NOT_PRINTABLE.test(c)) out += c;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + q;
}

/** The whitespace int() and float() strip: ASCII " \t\n\v\f\r" and non-ASCII isspace() (not U+001C..U+001F). */
const NUM_WS = `[\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]`;
const NUM_TRIM = new RegExp(`^${NUM_WS}+|${NUM_WS}+$`, 'gu');

/** Unicode decimal digits (category Nd) as ASCII, as int() and float() read them ("١٢" is 12). */
function asciiDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (d) => {
    let cp = d.codePointAt(0) as number;
    if (cp <= 0x39) return d;
    // Nd digits come in runs of ten from 0 to 9
    let start = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    cp = (cp - start) % 10;
    return String(cp);
  });
}

const INT_RE = /^[-+]?[0-9](?:_?[0-9])*$/;
const DIGITS = '[0-9](?:_?[0-9])*';
const FLOAT_RE = new RegExp(`^[-+]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][-+]?${DIGITS})?$`);

/** `int(v)`: bool and numbers (truncated toward zero), str in base 10 (whitespace, sign, `_` between digits). */
export function pyInt(v: Json): number {
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PyError(Number.isNaN(v) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer', 'ValueError');
    return Math.trunc(v) + 0;
  }
  if (typeof v === 'string') {
    const t = asciiDigits(v.replace(NUM_TRIM, ''));
    if (INT_RE.test(t)) return Number(t.replace(/_/g, '')) + 0;
    throw new PyError(`invalid literal for int() with base 10: ${pyStrRepr(v)}`, 'ValueError');
  }
  throw new PyError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`, 'TypeError');
}

/** `float(v)`: bool and numbers, str as a float literal (whitespace, `_` between digits, inf, infinity, nan). */
export function pyFloat(v: Json): number {
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = asciiDigits(v.replace(NUM_TRIM, ''));
    if (FLOAT_RE.test(t)) return Number(t.replace(/_/g, ''));
    const special = /^([-+]?)(inf|infinity|nan)$/i.exec(t);
    if (special) return (special[2] as string).toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
    throw new PyError(`could not convert string to float: ${pyStrRepr(v)}`, 'ValueError');
  }
  throw new PyError(`float() argument must be a string or a real number, not '${pyTypeName(v)}'`, 'TypeError');
}
