/**
 * What an atom evaluates to, in Panther's Python, when the field it reads is missing; and how a
 * target's plain operator behaves in the same case. When they differ, the printer adds an explicit
 * presence guard (or reports an approximation when the target cannot test presence).
 *
 * Python raises on most string operations over None (`"a" in None`, `None.lower()`); Panther then
 * reports a rule error instead of an alert. Those cases are `'error'` and are not guarded: a target
 * evaluates its operator on its own zero value instead (documented as a declared limit).
 */
import type { Json } from '../../ast/types.js';
import type { Atom } from './nnf.js';
import * as py from '../../python/semantics.js';

export type Tri = boolean | 'error' | 'unknown';

function isStr(v: Json | undefined): v is string {
  return typeof v === 'string';
}

/** Python `==` between JSON values (1 == 1.0, True == 1 as Python does). */
export function pyEq(a: Json | undefined, b: Json | undefined): boolean {
  return py.pyEq(a === undefined ? null : a, b === undefined ? null : b);
}

/** Python truthiness of a JSON value. */
export function pyTruthy(v: Json | undefined): boolean {
  return py.pyTruthy(v);
}

/**
 * Evaluate an atom on a scalar value `v` (the field's value: its default, or null when missing),
 * with Python semantics when `python` is true, else with "zero-value" target semantics (no errors,
 * case folding always possible). The right side of a field-vs-field comparison is unknown.
 */
export function evalAtomOn(atom: Atom, v: Json | undefined, python: boolean): Tri {
  const val = v === undefined ? null : v;
  // where Python raises: 'error' in Python, `otherwise` on a target
  const raising = (f: () => Tri, otherwise: Tri): Tri => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof py.PyError)) throw e;
      return python ? 'error' : otherwise;
    }
  };
  switch (atom.k) {
    case 'exists':
      return val !== null;
    case 'truthy':
      return py.pyTruthy(val);
    case 'cmp': {
      if (atom.right.k !== 'lit') return 'unknown';
      let l: Json = val;
      let r: Json = atom.right.v;
      if (atom.ci) {
        if (isStr(l)) l = py.pyFold(l, atom.fold);
        else if (python) return 'error';
        if (isStr(r)) r = py.pyFold(r, atom.fold);
      }
      if (atom.op === 'eq') return py.pyEq(l, r);
      if (atom.op === 'ne') return !py.pyEq(l, r);
      // a target orders numbers with numbers and strings with strings only
      if (!python && !((typeof l === 'number' && typeof r === 'number') || (isStr(l) && isStr(r)))) return false;
      const [x, y, op] = [l, r, atom.op];
      return raising(() => py.pyCompare(op, x, y), false);
    }
    case 'in': {
      let l: Json = val;
      if (atom.ci) {
        if (isStr(l)) l = py.pyFold(l, atom.fold);
        else if (python) return 'error';
      }
      if (python && atom.hashed && l !== null && typeof l === 'object') return 'error';
      const x = l;
      return atom.list.some((y) => py.pyEq(x, atom.ci && isStr(y) ? py.pyFold(y, atom.fold) : y));
    }
    case 'match': {
      // Python's `s in v` on a list or a mapping (a default of [] or {}): an element or key test, as the lift reads it
      if (python && atom.kind === 'contains' && !atom.ci && val !== null && typeof val === 'object') {
        const hay = val;
        return raising(() => py.pyIn(atom.pattern, hay), false);
      }
      if (!isStr(val)) return python ? 'error' : false;
      const s = atom.ci ? py.pyFold(val, atom.fold) : val;
      const p = atom.ci ? py.pyFold(atom.pattern, atom.fold) : atom.pattern;
      switch (atom.kind) {
        case 'contains':
          return s.includes(p);
        case 'startswith':
          return s.startsWith(p);
        case 'endswith':
          return s.endsWith(p);
        default:
          // Python's reading through the one Python-regex engine; a target's own engine is only known
          // to agree with it on "" (every engine reads whether a pattern matches the empty string alike)
          if (!python && val !== '') return 'unknown';
          try {
            return atom.kind === 'glob'
              ? py.pyFnmatch(val, atom.pattern, !!atom.ci)
              : py.pyReTest(atom.pattern, val, (atom.flags ?? '') + (atom.ci ? 'i' : ''), atom.anchor ?? 'search');
          } catch {
            return 'unknown';
          }
      }
    }
    case 'has': {
      const needle = atom.ci && isStr(atom.needle) ? py.pyLower(atom.needle) : atom.needle;
      const hay = !atom.ci ? val : isStr(val) ? py.pyLower(val) : Array.isArray(val) ? val.map((x) => (isStr(x) ? py.pyLower(x) : x)) : val;
      return raising(() => py.pyIn(needle, hay), false);
    }
    case 'cidr':
      return python ? 'error' : false;
    case 'istype':
      return py.pyIsInstance(val, atom.type);
    case 'valid':
      return false;
    case 'rel':
      return python ? 'error' : false;
  }
}

/** Python isinstance over a JSON value (bool is an int; integral numbers read as int). */
export function pyIsInstance(v: Json, type: string): boolean {
  return py.pyIsInstance(v, type);
}

/**
 * Python's value of a literal (atom, polarity) when the field is missing (default applies);
 * `'error'` when the field is read with `obj[key]` (KeyError).
 */
export function pyMissing(atom: Atom, field: { ref: { default?: Json }; strict?: boolean }, neg: boolean): Tri {
  if (field.strict) return 'error';
  const v = evalAtomOn(atom, field.ref.default, true);
  if (typeof v !== 'boolean') return v;
  return neg ? !v : v;
}

/**
 * Python's value of an NNF literal when its field is missing: `pyMissing`, except for a literal that
 * absorbed an `isinstance(value, str)` guard (guards.ts), which is false (negated: true) unless the
 * field's default is itself a string.
 */
export function litMissing(l: { atom: Atom; neg: boolean; strGuard?: true }, field: { ref: { default?: Json }; strict?: boolean }): Tri {
  if (!l.strGuard) return pyMissing(l.atom, field, l.neg);
  if (field.strict) return 'error';
  if (typeof field.ref.default === 'string') return pyMissing(l.atom, field, l.neg);
  return l.neg;
}

/** The value of a literal on a target whose missing fields read as a zero value (`""`). */
export function zeroMissing(atom: Atom, zero: Json, neg: boolean): Tri {
  const v = evalAtomOn(atom, zero, false);
  if (typeof v !== 'boolean') return v;
  return neg ? !v : v;
}

export type Guard = 'none' | 'orMissing' | 'andPresent';

/** Which guard makes the target agree with Python on a missing field. */
export function guardFor(py: Tri, target: Tri): Guard {
  if (typeof py !== 'boolean') return 'none';
  if (py === target) return 'none';
  return py ? 'orMissing' : 'andPresent';
}
