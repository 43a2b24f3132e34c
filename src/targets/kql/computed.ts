/**
 * Computed string values KQL writes with Python's semantics: `s.split(sep)` / `s.rsplit(sep)` with a
 * non-empty literal separator, an element of that list (`[N]`, `[-N]`) and its length; with a maxsplit,
 * only the pieces it leaves as they are (`split(sep, k)[0..k-1]`, `rsplit(sep, k)[-1..-k]`),
 * where `s` is a field read as a string (`x`, `x.get(k, "")`, `str(x)` of a field known to hold strings;
 * a non-empty default on a dynamic member, which reads null when missing).
 *
 * Kusto facts relied on (learn.microsoft.com/kusto/query/...):
 * - split-function: `split(source, delimiter)` returns every piece, empty ones included
 *   (`split("", "_")` is `[""]`, `split("a__b", "_")` is `["a","","b"]`, a multi-character delimiter
 *   splits on the whole string): Python's `str.split(sep)` with a non-empty `sep`; `rsplit(sep)` without
 *   maxsplit gives the same list.
 * - array-length-function: the number of elements of an array.
 * - array-slice-function: negative start/end are converted to array_length+start/end; out-of-bounds
 *   indices are ignored.
 * - scalar-data-types/dynamic ("Dynamic object accessors"): `arr[-index]` retrieves the index-th value
 *   from the end of the array, `arr[(-1)]` the last one: `[-N]` is written `a[(-N)]` as documented.
 * - tostring-function: a dynamic string is its text.
 *
 * Python raises IndexError on an index out of range; the rule then does not alert, whatever the
 * literal's polarity: the element's literal is written under the guard `array_length(a) >= N+1` (or
 * `>= N` from the end), so it fails there in both polarities as Python's does. Where the source itself
 * makes Python raise (`None.split`), the target reads its own zero value, as for every other string
 * method (targets/README.md, missing fields).
 */
import type { Json, Val } from '../../ast/types.js';
import { fieldRef, type FieldRef } from '../../ast/view.js';
import type { FieldResolver } from '../common/fields.js';
import { kqlString } from './escape.js';
import type { KField } from './printer.js';

/** A computed value as KQL writes it: its expression, its Python type, and where Python does not raise. */
export interface KComputed {
  expr: string;
  py: 'str' | 'list' | 'int';
  /** Conditions under which Python evaluates the value without raising (IndexError). */
  guards: string[];
  /** A str never empty (an f-string with a non-empty literal part). */
  nonEmpty?: boolean;
}

/**
 * The split of a string: the Val of the string, the separator and maxsplit (-1: none), or null when
 * not `split`/`rsplit(s, sep[, maxsplit])` with a non-empty literal separator and a literal maxsplit.
 */
function splitOf(v: Val): { src: Val; sep: string; max: number; right: boolean } | null {
  if (v.k !== 'fn' || (v.fn !== 'split' && v.fn !== 'rsplit') || (v.args.length !== 2 && v.args.length !== 3)) return null;
  const sep = v.args[1]!;
  if (sep.k !== 'lit' || typeof sep.v !== 'string' || sep.v === '') return null;
  const m = v.args[2];
  let max = -1;
  if (m) {
    if (m.k !== 'lit' || typeof m.v !== 'number' || !Number.isInteger(m.v)) return null;
    max = m.v < 0 ? -1 : m.v;
  }
  return { src: v.args[0]!, sep: sep.v, max, right: v.fn === 'rsplit' };
}

/**
 * Is piece `n` of a split with maxsplit the same piece (raising alike) as of the split without it?
 * `split(sep, k)` splits at the first k separators, so its pieces 0..k-1 are the unbounded split's;
 * `rsplit(sep, k)` at the last k, so its pieces -1..-k are.
 */
function samePiece(sp: { max: number; right: boolean }, n: number): boolean {
  if (sp.max < 0) return true;
  return sp.right ? n < 0 && -n <= sp.max : n >= 0 && n < sp.max;
}

/**
 * Python's value of `t.split(sep)` (a non-empty separator: JavaScript's split of a string is the same
 * list), of its piece `n` (IndexError out of range), as text to compare two readings by.
 */
function pieceOf(t: string, sep: string, n: number | undefined): string {
  const parts = t.split(sep);
  if (n === undefined) return JSON.stringify(parts);
  const i = n < 0 ? parts.length + n : n;
  return i >= 0 && i < parts.length ? JSON.stringify(parts[i]) : 'IndexError';
}

/** Is this value one `computedKql` may write (without resolving anything)? */
export function computedShape(v: Val): boolean {
  if (v.k === 'index') return splitOf(v.obj) !== null;
  // (the source of a split is checked when it is written)
  if (v.k === 'fn' && v.fn === 'len' && v.args.length === 1) return splitOf(v.args[0]!) !== null;
  return splitOf(v) !== null;
}

/** The string a split reads: a field, or `str()` of one; the field, and whether `str()` wraps it. */
function sourceField(src: Val): { field: Val; ref: FieldRef; str: boolean } | null {
  const str = src.k === 'fn' && src.fn === 'str' && src.args.length === 1;
  const field = str ? (src as Extract<Val, { k: 'fn' }>).args[0]! : src;
  const ref = fieldRef(field);
  // a quantifier's element (the mv-apply column), read bare: no evidence speaks of its type under str()
  if (ref?.root !== 'event' && !(ref?.root === 'elem' && !str)) return null;
  return { field, ref, str };
}

/**
 * Why the field cannot be read as Python reads the string, or null when it can: its default when
 * missing must be a string (absent for a bare `split`: Python raises, the target reads its own zero
 * value); under `str()`, the field must hold strings (the mapping says so, or every value the tests
 * hold is one), as `str()` of a number, a boolean or a list is Python's text of it.
 */
export function sourceRefusal(res: FieldResolver, ref: FieldRef, str: boolean): string | null {
  const d: Json | undefined = ref.default;
  if (d !== undefined && typeof d !== 'string') return `its default ${JSON.stringify(d)} is not a string`;
  if (!str) return null;
  if (d === undefined) return 'str() of a missing field is "None", which KQL reads as ""';
  const path = res.evidence.casing(ref.path);
  const stated = res.mapper.valueType?.(res.logType, path);
  if (stated) return stated === 'string' ? null : `the mapping types it ${stated}, whose str() KQL does not write`;
  // a JSON null is not filtered out: str() of a present null read by get() is "None"
  const seen = [...res.evidence.types(path)];
  if (seen.length === 1 && seen[0] === 'string') return null;
  return seen.length === 0 ? "the rule's tests do not show its type" : `the rule's tests hold it as ${seen.join(', ')}`;
}

/**
 * The KQL of a computed value (`computedShape`), or a string saying why it cannot be written exactly
 * (the caller then declares the value's superset). `resolve` reads the source field (recording the
 * reasons any field read records); null there, and here, means the read is already declared.
 */
export function computedKql(v: Val, res: FieldResolver, resolve: (v: Val) => KField | null): KComputed | string | null {
  const list = (x: Val, n?: number): { expr: string; guards: string[] } | string | null => {
    const sp = splitOf(x)!;
    if (!samePiece(sp, n ?? 0) || (n === undefined && sp.max >= 0)) return `${sp.right ? 'rsplit' : 'split'}() with maxsplit ${sp.max}`;
    // a piece of another split: its text, under its guards
    if (sp.src.k === 'index' && splitOf(sp.src.obj)) {
      const piece = computedKql(sp.src, res, resolve);
      if (piece === null || typeof piece === 'string') return piece;
      return { expr: `split(${piece.expr}, ${kqlString(sp.sep)})`, guards: piece.guards };
    }
    const s = sourceField(sp.src);
    if (!s) return 'the string split is itself computed';
    const why = sourceRefusal(res, s.ref, s.str);
    if (why) return why;
    const f = resolve(s.field);
    if (f === null) return null;
    // a number or boolean column: Python's split() of it raises, str() of it is Python's own text
    if (f.kind === 'typed-column') return `${f.raw} is a ${f.type} column`;
    // a missing field: "" in a string column and in tostring() of a dynamic null; a dynamic member is
    // null when missing (also when JSON null, where deep_get reads the default too), so `iff` reads the default there
    const d = s.ref.default;
    let text: string;
    if (f.kind === 'string-column') {
      // the column reads "" for a missing field: exact where the value computed from "" is the one computed
      // from the default (`get("user", "@").split("@")[-1]` is "" either way)
      if (typeof d === 'string' && d !== '' && pieceOf(d, sp.sep, n) !== pieceOf('', sp.sep, n)) return `${f.raw} reads "" for a missing field, where Python reads the default ${JSON.stringify(d)}`;
      text = f.raw;
    } else text = typeof d === 'string' && d !== '' ? `iff(isnull(${f.raw}), ${kqlString(d)}, tostring(${f.raw}))` : `tostring(${f.raw})`;
    return { expr: `split(${text}, ${kqlString(sp.sep)})`, guards: [] };
  };
  if (v.k === 'index') {
    const n = v.index;
    if (!Number.isInteger(n)) return 'a non-integer index';
    const a = list(v.obj, n);
    if (a === null || typeof a === 'string') return a;
    // split() returns at least one piece: [0] and [-1] never raise; the guard is written as the rule's
    // own `len(parts) >= N` is, so that beside it it is printed once
    const guards = [...a.guards, ...(n === 0 || n === -1 ? [] : [`array_length(${a.expr}) >= ${n >= 0 ? n + 1 : -n}`])];
    const elem = n >= 0 ? `${a.expr}[${n}]` : `${a.expr}[(${n})]`;
    return { expr: `tostring(${elem})`, py: 'str', guards };
  }
  if (v.k === 'fn' && v.fn === 'len') {
    const a = list(v.args[0]!);
    if (a === null || typeof a === 'string') return a;
    return { expr: `array_length(${a.expr})`, py: 'int', guards: a.guards };
  }
  const a = list(v);
  if (a === null || typeof a === 'string') return a;
  return { expr: a.expr, py: 'list', guards: a.guards };
}

