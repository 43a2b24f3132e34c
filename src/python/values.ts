/**
 * Symbolic values: what a Python expression evaluates to in the lifter. A Python constant, a value read
 * from the event, a predicate, a conditional (`ite`) between two values, a function, a module, a dict or
 * list of values, or an opaque piece with its reason and position.
 */
import type { Json, Pred, PyType, Span, Val } from '../ast/types.js';
import { and, not, or, predId } from '../ast/normalize.js';
import { pyEq, isMapping } from '../ast/evaluate.js';
import type { Expr, Param, Pos } from './ast.js';
import type { FunctionDef, ModCtx } from './module.js';
import type { PyObject } from './lift/classes.js';

export type PyKind = 'list' | 'tuple' | 'set' | 'dict' | 'scalar';

export type SV =
  | { s: 'const'; v: Json; kind: PyKind }
  /** `span`: the `return` that gave this value, where a truthiness test of it (by rule()'s caller) is located. */
  | { s: 'val'; v: Val; span?: Span }
  | { s: 'pred'; p: Pred; /** a regex match object: None when the predicate is false */ nullable?: boolean }
  | { s: 'ite'; c: Pred; a: SV; b: SV }
  | { s: 'func'; def: FunctionDef; mod: ModCtx; bound?: SV }
  | { s: 'lambda'; params: Param[]; body: Expr; mod: ModCtx; env: Env }
  | { s: 'module'; mod: ModCtx }
  | { s: 'native'; name: string }
  | { s: 'method'; obj: SV; name: string }
  | { s: 'dict'; entries: [string, SV][] }
  /**
   * A dict literal with a key that is not a str (an int, float, bool or None; at least one such key):
   * keys are compared as Python hashes them (1, 1.0 and True are one key), in insertion order.
   */
  | { s: 'kdict'; entries: [Json, SV][] }
  | { s: 'seq'; items: SV[]; kind: 'list' | 'tuple' }
  | { s: 'regex'; pattern: string; flags: string }
  | { s: 'type'; type: PyType }
  | { s: 'ip'; v: Val }
  | { s: 'mock'; v: Json; name: string }
  /**
   * A list comprehension over constants whose filter depends on the event: item i is present when c.
   * `set`: a set (the intersection of a constant set with set(x)): `in` hashes its probe.
   */
  | { s: 'fseq'; items: { c: Pred; v: SV }[]; span: Span; set?: boolean }
  /**
   * A list comprehension over an event list: elt/cond read the element as elem at `level`. `set`: set(x)
   * of an event value x (lift/sets.ts): its items are x's, and `in` hashes its probe.
   */
  | { s: 'map'; list: Val; guard: Pred; elt: SV; cond: Pred; level: number; span: Span; set?: boolean }
  /** len() of a filtered sequence or comprehension. */
  | { s: 'len'; of: SV }
  /**
   * The list re.findall() gives: empty exactly where `p` (re.search of the same pattern on the same
   * subject) is false, since findall lists every match, empty ones included; its items are not read.
   */
  | { s: 'found'; p: Pred }
  /**
   * A set that set.update() filled from sets of event values (each part a `map` marked `set`, made by
   * set(x): lift/sets.ts): its items are those of any part.
   */
  | { s: 'union'; parts: SV[] }
  | { s: 'net'; cidr: string }
  /** A class, or an instance of one (`self` in a pypanther rule's methods): lift/classes.ts. */
  | { s: 'object'; obj: PyObject }
  /**
   * A value the lifter cannot read. `truthy`: known truthy all the same (the item a loop over an event
   * list returns where only items that are non-empty objects are returned, lift/loops.ts): its truth is
   * True; anything else read of it is unknown (an operation on it drops the mark: Lifter.derive).
   */
  | { s: 'opaque'; code: string; reason: string; span: Span; uid?: number; truthy?: boolean };

export type SVOf<S extends SV['s']> = Extract<SV, { s: S }>;

export type Env = Map<string, SV>;

/** Where in the Python source an operation is: the file and position an opaque piece made there names. */
export type Site = Span;

export function siteOf(mod: ModCtx, at: Pos): Site {
  return { file: mod.file, line: at.line, col: at.col };
}

// ---------------------------------------------------------------------------------------------
// Constructors

export const cst = (v: Json, kind: PyKind = 'scalar'): SV => ({ s: 'const', v, kind });
export const NONE = cst(null);
export const val = (v: Val): SV => ({ s: 'val', v });
export const pred = (p: Pred): SV => (p.k === 'const' ? cst(p.v) : { s: 'pred', p });

export function kindOf(v: Json): PyKind {
  return Array.isArray(v) ? 'list' : isMapping(v) ? 'dict' : 'scalar';
}

/** A constant read from a constant collection (its kind follows its JSON shape). */
export const item = (v: Json): SV => cst(v, kindOf(v));

/**
 * The kinds of a constant dict's values that its JSON shape does not tell (a set or tuple value is a JSON
 * array): recorded where a dict display is lifted (lift/exprs.ts), read by `dictItem`. `x in D[k]` hashes x
 * when D[k] is a set (an unhashable x raises TypeError), not when it is a list.
 */
export const DICT_VALUE_KINDS = new WeakMap<object, Record<string, PyKind>>();

/** The value of key `k` of the constant dict `o`, with the kind its display gave it. */
export function dictItem(o: { [k: string]: Json }, k: string): SV {
  const v = o[k] as Json;
  const kind = DICT_VALUE_KINDS.get(o)?.[k];
  return kind ? cst(v, kind) : item(v);
}

/** The predicate `a if c else b`. */
export const itePred = (c: Pred, a: Pred, b: Pred): Pred => or(and(c, a), and(not(c), b));

/** The conditional `a if c else b`, folded where it reads as a plain value. */
export function ite(c: Pred, a: SV, b: SV): SV {
  if (c.k === 'const') return c.v ? a : b;
  if (sameSV(a, b)) return a;
  // isinstance(d, Mapping) and d.get(k, D) else D  ==>  a safe deep_get step
  if (c.k === 'istype' && c.type === 'dict' && a.s === 'val' && a.v.k === 'get' && !a.v.deep && !a.v.strict && sameVal(a.v.obj, c.value)) {
    const d = a.v.default ?? { k: 'lit', v: null };
    if (b.s === 'const' && d.k === 'lit' && pyEq(d.v, b.v)) return val({ ...a.v, safe: true });
  }
  // (D if v is None else v) where v is a chain of safe steps with default D  ==>  deep_get(..., default=D)
  if (c.k === 'not' && c.arg.k === 'exists' && b.s === 'val' && sameVal(c.arg.value, b.v) && a.s === 'const' && !(isMapping(a.v) && Object.keys(a.v).length > 0)) {
    const deep = toDeep(b.v, a.v);
    if (deep) return val(deep);
  }
  return { s: 'ite', c, a, b };
}

function toDeep(v: Val, d: Json): Val | null {
  if (v.k !== 'get' || !v.safe) return null;
  const ownDefault = v.default?.k === 'lit' ? v.default.v : null;
  if (!pyEq(ownDefault, d) && ownDefault !== null) return null;
  const strip = (x: Val): Val | null => {
    if (x.k === 'get' && x.safe) {
      const inner = strip(x.obj);
      if (!inner) return null;
      const { default: _d, safe: _s, ...rest } = x;
      return { ...rest, obj: inner, deep: true };
    }
    if (x.k === 'get' && x.deep) return x;
    return x.k === 'event' || x.k === 'elem' ? x : null;
  };
  const inner = strip(v.obj);
  if (!inner) return null;
  return { k: 'get', obj: inner, key: v.key, deep: true, ...(d !== null ? { default: { k: 'lit', v: d } } : {}) };
}

function sameVal(a: Val, b: Val): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function sameSV(a: SV, b: SV): boolean {
  if (a === b) return true;
  if (a.s === 'const' && b.s === 'const') return a.kind === b.kind && pyEq(a.v, b.v) && typeof a.v === typeof b.v;
  if (a.s === 'val' && b.s === 'val') return sameVal(a.v, b.v);
  if (a.s === 'pred' && b.s === 'pred') return predId(a.p) === predId(b.p);
  return false;
}

/** A memo key for call arguments, or null when an argument has no stable identity. */
export function svKey(args: SV[]): string | null {
  const parts: string[] = [];
  for (const a of args) {
    switch (a.s) {
      case 'const':
        parts.push(`c${a.kind}${JSON.stringify(a.v)}`);
        break;
      case 'val':
        parts.push(`v${JSON.stringify(a.v)}`);
        break;
      case 'pred':
        parts.push(`p${a.nullable ? '?' : ''}${predId(a.p)}`);
        break;
      case 'ite': {
        const inner = svKey([a.a, a.b]);
        if (inner === null) return null;
        parts.push(`i${predId(a.c)}(${inner})`);
        break;
      }
      case 'kdict': {
        const inner = svKey(a.entries.map(([, v]) => v));
        if (inner === null) return null;
        parts.push(`kdict${JSON.stringify(a.entries.map(([k]) => k))}(${inner})`);
        break;
      }
      case 'seq':
      case 'dict': {
        const inner = svKey(a.s === 'seq' ? a.items : a.entries.map(([, v]) => v));
        if (inner === null) return null;
        parts.push(`${a.s}${a.s === 'dict' ? JSON.stringify(a.entries.map(([k]) => k)) : ''}(${inner})`);
        break;
      }
      case 'found':
        parts.push(`F${predId(a.p)}`);
        break;
      case 'func':
        parts.push(`f${a.mod.file}:${a.def.line}`);
        break;
      case 'native':
        parts.push(`n${a.name}`);
        break;
      case 'object':
        parts.push(`O${a.obj.key}`);
        break;
      case 'opaque':
        parts.push(`o${a.code}${a.span.file}:${a.span.line}:${a.span.col}`);
        break;
      default:
        return null;
    }
  }
  return parts.join(',');
}

/** A table's own entry for a name read from Python (never one of Object's own properties). */
export function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
