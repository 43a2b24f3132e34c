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

export type Tri = boolean | 'error' | 'unknown';

function isStr(v: Json | undefined): v is string {
  return typeof v === 'string';
}

/** Python `==` between JSON values (1 == 1.0, True == 1 as Python does). */
export function pyEq(a: Json | undefined, b: Json | undefined): boolean {
  const na = a === undefined ? null : a;
  const nb = b === undefined ? null : b;
  const num = (x: Json): number | null => (typeof x === 'number' ? x : typeof x === 'boolean' ? (x ? 1 : 0) : null);
  const xa = num(na);
  const xb = num(nb);
  if (xa !== null && xb !== null) return xa === xb;
  return JSON.stringify(na) === JSON.stringify(nb);
}

/** Python truthiness of a JSON value. */
export function pyTruthy(v: Json | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/**
 * Evaluate an atom on a scalar value `v` (the field's value: its default, or null when missing),
 * with Python semantics when `python` is true, else with "zero-value" target semantics (no errors,
 * case folding always possible). The right side of a field-vs-field comparison is unknown.
 */
export function evalAtomOn(atom: Atom, v: Json | undefined, python: boolean): Tri {
  const val = v === undefined ? null : v;
  const lower = (x: Json): Json | 'error' => (isStr(x) ? x.toLowerCase() : python ? 'error' : x);
  switch (atom.k) {
    case 'exists':
      return val !== null;
    case 'truthy':
      return pyTruthy(val);
    case 'cmp': {
      if (atom.right.k !== 'lit') return 'unknown';
      let l: Json | 'error' = val;
      let r: Json = atom.right.v;
      if (atom.ci) {
        l = lower(val);
        if (l === 'error') return 'error';
        if (isStr(r)) r = r.toLowerCase();
      }
      if (atom.op === 'eq') return pyEq(l, r);
      if (atom.op === 'ne') return !pyEq(l, r);
      const both = (typeof l === 'number' && typeof r === 'number') || (isStr(l) && isStr(r));
      if (!both) return python ? 'error' : false;
      const a = l as number | string;
      const b = r as number | string;
      switch (atom.op) {
        case 'lt':
          return a < b;
        case 'le':
          return a <= b;
        case 'gt':
          return a > b;
        default:
          return a >= b;
      }
    }
    case 'in': {
      let l: Json | 'error' = val;
      if (atom.ci) {
        l = lower(val);
        if (l === 'error') return 'error';
      }
      return atom.list.some((x) => pyEq(l as Json, atom.ci && isStr(x) ? x.toLowerCase() : x));
    }
    case 'match': {
      if (!isStr(val)) return python ? 'error' : false;
      const s = atom.ci ? val.toLowerCase() : val;
      const p = atom.ci ? atom.pattern.toLowerCase() : atom.pattern;
      switch (atom.kind) {
        case 'contains':
          return s.includes(p);
        case 'startswith':
          return s.startsWith(p);
        case 'endswith':
          return s.endsWith(p);
        case 'glob':
          return s === '' ? /^\**$/.test(atom.pattern) : 'unknown';
        default:
          if (s !== '') return 'unknown';
          try {
            // good enough for the empty string: JS and Python agree on whether a pattern matches ""
            return new RegExp(atom.pattern, atom.ci ? 'i' : '').test('');
          } catch {
            return 'unknown';
          }
      }
    }
    case 'has': {
      if (val === null || typeof val === 'number' || typeof val === 'boolean') return python ? 'error' : false;
      if (Array.isArray(val)) return val.some((x) => pyEq(x, atom.needle));
      if (typeof val === 'object') return isStr(atom.needle) && Object.prototype.hasOwnProperty.call(val, atom.needle);
      return isStr(atom.needle) ? val.includes(atom.needle) : python ? 'error' : false;
    }
    case 'cidr':
      return python ? 'error' : false;
    case 'istype':
      return pyIsInstance(val, atom.type);
    case 'valid':
      return false;
    case 'rel':
      return python ? 'error' : false;
  }
}

/** Python isinstance over a JSON value (bool is an int; integral numbers read as int). */
export function pyIsInstance(v: Json, type: string): boolean {
  switch (type) {
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
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    default:
      return v === null;
  }
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
