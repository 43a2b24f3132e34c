/**
 * Evaluate the neutral AST on a JSON event with Panther's Python semantics.
 *
 * Where Python would raise (calling `.lower()` on None, `None < 3`, iterating None...), evaluation
 * throws a PyError; a rule that raises produces no alert, so `evaluateRule` reads it as false.
 */
import type { Fold, Json, KeyCase, Pred, Val } from './types.js';
import { ipInNetwork, parseIp } from './ip.js';
import {
  PyError,
  isMapping,
  pyCasefold,
  pyCompare,
  pyEq,
  pyFloat,
  pyFnmatch,
  pyFold,
  pyIn as pyInWith,
  pyInt,
  pyIsInstance,
  pyIter,
  pyLen,
  pyLower,
  pyReplace,
  pyRepr,
  pyReTest,
  pyRsplit,
  pySplit,
  pyStr,
  pyStrip,
  pyStrSelf,
  pyTruthy,
  pyTypeName,
  pyUpper,
  type PyDict,
} from '../python/semantics.js';

// Python's value semantics live in python/semantics.ts; these names stay exported for the lifter and tests
export { PyError, isMapping, pyEq, pyRepr, pyStr, pyTruthy as truthy, pyCasefold as casefold, pyIter as iterate };

/** Key lookup as Panther does it: exact first, then case-insensitive. Returns undefined when absent. */
export function lookupKey(o: PyDict, key: string, exact = false): Json | undefined {
  if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
  if (exact) return undefined;
  const lk = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lk) return o[k];
  return undefined;
}

/**
 * Does this value come from json.loads? A parsed document is a plain Python dict, whose keys match
 * exactly (only the event itself matches keys case-insensitively).
 */
function parsedJson(v: Val): boolean {
  for (let cur: Val = v; ; ) {
    if (cur.k === 'fn') return cur.fn === 'json';
    if (cur.k === 'get' || cur.k === 'index') cur = cur.obj;
    else return false;
  }
}

export interface Scope {
  event: Json;
  elems: Json[];
}

/**
 * The containers of each event, by identity. Panther hands rule() its event through immutable
 * wrappers (panther_core/immutable.py, the same in panther_analysis_tool): every object read from it
 * is an ImmutableCaseInsensitiveDict, every list an ImmutableList (over a tuple), wrapped again as it
 * is read or iterated. The evaluator reads the event's own JSON objects, so a container found in the
 * event's tree was read from the event (wrapped), where one the rule made (json.loads, split, a
 * literal default, deep_walk's list of values) is a fresh, plain one.
 */
const EVENT_NODES = new WeakMap<object, WeakSet<object>>();

function eventNodes(event: Json): WeakSet<object> | null {
  if (event === null || typeof event !== 'object') return null;
  let nodes = EVENT_NODES.get(event);
  if (!nodes) {
    const set = new WeakSet<object>();
    const walk = (v: Json): void => {
      if (v === null || typeof v !== 'object' || set.has(v)) return;
      set.add(v);
      for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x);
    };
    walk(event);
    EVENT_NODES.set(event, set);
    nodes = set;
  }
  return nodes;
}

/** Is this container read from the event (so wrapped)? */
function fromEvent(v: Json, s: Scope): boolean {
  return v !== null && typeof v === 'object' && (eventNodes(s.event)?.has(v) ?? false);
}

/**
 * Slices of a list read from the event: ImmutableList's __getitem__ slices its tuple and leaves the
 * result unwrapped (only dicts and lists are wrapped), so Python's value is a plain tuple.
 */
const TUPLES = new WeakSet<object>();

function tupleRepr(xs: Json[]): string {
  return xs.length === 1 ? `(${pyRepr(xs[0] as Json)},)` : `(${xs.map(pyRepr).join(', ')})`;
}

/**
 * `str(v)` as Panther's rule sees it: a container read from the event prints as its wrapper's repr,
 * `ClassName(<the wrapped container>)` (ImmutableContainerMixin.__repr__), whose container is the raw
 * dict, or the tuple an ImmutableList holds; the event itself is a PantherEvent. A slice of an event
 * list prints as a tuple. Other values print as Python's plain str().
 */
export function pantherStr(v: Json, s: Scope): string {
  if (v !== null && typeof v === 'object') {
    if (TUPLES.has(v)) return tupleRepr(v as Json[]);
    if (fromEvent(v, s)) {
      if (Array.isArray(v)) return `ImmutableList(${tupleRepr(v)})`;
      return `${v === s.event ? 'PantherEvent' : 'ImmutableCaseInsensitiveDict'}(${pyRepr(v)})`;
    }
  }
  return pyStr(v);
}

export function evalVal(v: Val, s: Scope): Json {
  switch (v.k) {
    case 'event':
      return s.event;
    case 'elem': {
      const e = s.elems[v.depth];
      if (e === undefined) throw new PyError('element used outside its quantifier');
      return e;
    }
    case 'lit':
      return v.v;
    case 'get': {
      const o = evalVal(v.obj, s);
      const exact = parsedJson(v.obj);
      if (v.safe) {
        if (!isMapping(o)) return v.default ? evalVal(v.default, s) : null;
        const x = lookupKey(o, v.key, exact);
        if (x === undefined) return v.default ? evalVal(v.default, s) : null;
        return x;
      }
      if (v.deep) {
        if (!isMapping(o)) return v.default ? evalVal(v.default, s) : null;
        const x = lookupKey(o, v.key, exact);
        if (x === undefined || x === null) return v.default ? evalVal(v.default, s) : null;
        return x;
      }
      if (!isMapping(o)) {
        if (v.strict && Array.isArray(o)) throw new PyError('list indices must be integers or slices, not str', 'TypeError');
        throw new PyError(`'${pyTypeName(o)}' object has no attribute 'get'`, 'AttributeError');
      }
      const x = lookupKey(o, v.key, exact);
      if (x === undefined) {
        if (v.strict) throw new PyError(`KeyError: '${v.key}'`, 'KeyError');
        return v.default ? evalVal(v.default, s) : null;
      }
      return x;
    }
    case 'index': {
      const o = evalVal(v.obj, s);
      if (typeof o === 'string' || Array.isArray(o)) {
        const i = v.index < 0 ? o.length + v.index : v.index;
        if (i < 0 || i >= o.length) throw new PyError('index out of range', 'IndexError');
        return (o as Json[] | string)[i] as Json;
      }
      throw new PyError(`'${pyTypeName(o)}' object is not subscriptable`, 'TypeError');
    }
    case 'fn': {
      const args = v.args.map((a) => evalVal(a, s));
      if (v.fn === 'str') return pantherStr(args[0] as Json, s);
      let r = evalFn(v.fn, args);
      // event.deep_walk() gives plain values (as the lifter's provenance reads it): not the event's own
      if (v.fn === 'deep_walk' && fromEvent(r, s)) r = structuredClone(r);
      if (v.fn === 'slice' && Array.isArray(args[0]) && (fromEvent(args[0], s) || TUPLES.has(args[0]))) TUPLES.add(r as Json[]);
      return r;
    }
  }
}

function evalFn(fn: string, a: Json[]): Json {
  const [x, y, z] = a as [Json, Json | undefined, Json | undefined];
  const optStr = (v: Json | undefined, what: string): string | null => (v === undefined || v === null ? null : pyStrSelf(v, what));
  const maxsplit = (v: Json | undefined): number => {
    if (v === undefined || v === null) return -1;
    if (typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))) return Number(v);
    throw new PyError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`, 'TypeError');
  };
  switch (fn) {
    case 'lower':
      return pyLower(pyStrSelf(x, 'lower'));
    case 'casefold':
      return pyCasefold(pyStrSelf(x, 'casefold'));
    case 'upper':
      return pyUpper(pyStrSelf(x, 'upper'));
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      return pyStrip(pyStrSelf(x, fn), optStr(y, fn), fn === 'strip' ? 'both' : fn === 'lstrip' ? 'left' : 'right');
    case 'str':
      return pyStr(x);
    case 'len':
      return pyLen(x);
    case 'split':
      return pySplit(pyStrSelf(x, 'split'), optStr(y, 'split'), maxsplit(z));
    case 'rsplit':
      return pyRsplit(pyStrSelf(x, 'rsplit'), optStr(y, 'rsplit'), maxsplit(z));
    case 'json': {
      if (typeof x !== 'string') throw new PyError(`the JSON object must be str, bytes or bytearray, not ${pyTypeName(x)}`, 'TypeError');
      try {
        return JSON.parse(x) as Json;
      } catch {
        throw new PyError('JSONDecodeError', 'JSONDecodeError');
      }
    }
    case 'slice': {
      // x[lo:hi] on a str (by code point) or a list; None bounds are open
      const seq: Json[] | null = typeof x === 'string' ? [...x] : Array.isArray(x) ? x : null;
      if (seq === null) throw new PyError(`'${pyTypeName(x)}' object is not subscriptable`, 'TypeError');
      const n = seq.length;
      const norm = (b: Json | undefined, d: number): number => {
        if (b === undefined || b === null) return d;
        if (typeof b !== 'number') throw new PyError('slice indices must be integers or None or have an __index__ method', 'TypeError');
        return b < 0 ? Math.max(0, n + b) : Math.min(n, b);
      };
      const part = seq.slice(norm(y, 0), norm(z, n));
      return typeof x === 'string' ? (part as string[]).join('') : part;
    }
    case 'deep_walk':
      return deepWalk(x, (y as string[]) ?? [], z as Json, (a[3] as string) ?? 'all');
    case 'replace':
      return pyReplace(pyStrSelf(x, 'replace'), pyStrSelf(y, 'replace'), pyStrSelf(z, 'replace'));
    case 'concat':
      return a.map((p) => pyStrSelf(p, '__add__')).join('');
    case 'or':
      return pyTruthy(x) ? x : (y as Json);
    case 'and':
      return pyTruthy(x) ? (y as Json) : x;
    case 'int':
      return pyInt(x);
    case 'float':
      return pyFloat(x);
    default:
      throw new PyError(`unknown function ${fn}`);
  }
}

/** Panther's deep_walk: walk keys through mappings, mapping over lists and collecting distinct values. */
export function deepWalk(obj: Json, keys: string[], dflt: Json, returnVal: string): Json {
  const emptyList = (o: Json): boolean => (Array.isArray(o) ? o.every(emptyList) : false);
  if (keys.length === 0) return emptyList(obj) ? dflt : obj;
  if (isMapping(obj)) {
    const next = lookupKey(obj, keys[0] as string);
    return next === undefined || next === null ? dflt : deepWalk(next, keys.slice(1), dflt, returnVal);
  }
  const found: Json[] = [];
  const add = (v: Json): void => {
    if (v !== null && typeof v === 'object') throw new PyError(`unhashable type: '${pyTypeName(v)}'`, 'TypeError');
    if (!found.some((f) => pyEq(f, v))) found.push(v);
  };
  if (Array.isArray(obj)) {
    for (const item of obj) {
      const v = deepWalk(item, keys, dflt, returnVal);
      if (v === null) continue;
      if (Array.isArray(v)) v.forEach(add);
      else add(v);
    }
  }
  if (found.length === 0) return dflt;
  if (returnVal === 'first') return found[0] as Json;
  if (returnVal === 'last') return found[found.length - 1] as Json;
  if (returnVal === 'all') return found.length === 1 ? (found[0] as Json) : found;
  return 'all';
}

/** The value of a case-insensitive predicate folded as the rule folded it (literals are folded the same way). */
function ciStr(v: Json, ci: boolean | undefined, fold?: Fold): Json {
  if (!ci) return v;
  return pyFold(pyStrSelf(v, fold ?? 'lower'), fold);
}

export function evalPred(p: Pred, s: Scope): boolean {
  switch (p.k) {
    case 'const':
      return p.v;
    // and/or are order-independent (strong Kleene): an operand that raises only decides the result
    // when no other operand does. Normalisation reorders and absorbs operands; Python's short-circuit
    // order is not kept in the AST, so a guard like `x and x.get("a")` must still protect wherever it sits.
    case 'and':
    case 'or': {
      const decisive = p.k === 'or';
      let err: PyError | null = null;
      for (const a of p.args) {
        try {
          if (evalPred(a, s) === decisive) return decisive;
        } catch (e) {
          if (!(e instanceof PyError)) throw e;
          err = err ?? e;
        }
      }
      if (err) throw err;
      return !decisive;
    }
    case 'not':
      return !evalPred(p.arg, s);
    case 'cmp': {
      const l = ciStr(evalVal(p.left, s), p.ci, p.fold);
      const r = ciStr(evalVal(p.right, s), p.ci, p.fold);
      switch (p.op) {
        case 'eq':
          return pyEq(l, r);
        case 'ne':
          return !pyEq(l, r);
        default:
          return pyCompare(p.op, l, r);
      }
    }
    case 'in': {
      const v = ciStr(evalVal(p.value, s), p.ci, p.fold);
      if (p.hashed && v !== null && typeof v === 'object') throw new PyError(`unhashable type: '${pyTypeName(v)}'`, 'TypeError');
      return p.list.some((x) => pyEq(v, p.ci && typeof x === 'string' ? pyFold(x, p.fold) : x));
    }
    case 'has': {
      const v = evalVal(p.value, s);
      return pyIn(p.ci && typeof p.needle === 'string' ? pyLower(p.needle) : p.needle, p.ci ? lowerAll(v) : v);
    }
    case 'match': {
      const v = evalVal(p.value, s);
      if (p.kind === 'contains') {
        // a case-insensitive contains comes from `"x" in v.lower()`: v must be a str
        if (p.ci && typeof v !== 'string') throw new PyError(`'${pyTypeName(v)}' object has no attribute 'lower'`, 'AttributeError');
        if (typeof v !== 'string') return pyIn(p.pattern, v);
        return p.ci ? pyIn(pyFold(p.pattern, p.fold), pyFold(v, p.fold)) : pyIn(p.pattern, v);
      }
      if (p.kind === 'regex') {
        if (typeof v !== 'string') throw new PyError('expected string or bytes-like object', 'TypeError');
        return pyReTest(p.pattern, v, (p.flags ?? '') + (p.ci ? 'i' : ''), p.anchor ?? 'search');
      }
      if (p.kind === 'glob') {
        if (typeof v !== 'string') throw new PyError('expected str for fnmatch', 'TypeError');
        return pyFnmatch(v, p.pattern, !!p.ci);
      }
      const t = ciStr(pyStrSelf(v, p.kind), p.ci, p.fold) as string;
      const pat = p.ci ? pyFold(p.pattern, p.fold) : p.pattern;
      return p.kind === 'startswith' ? t.startsWith(pat) : t.endsWith(pat);
    }
    case 'exists':
      return evalVal(p.value, s) !== null;
    case 'truthy':
      return pyTruthy(evalVal(p.value, s));
    case 'cidr': {
      const v = evalVal(p.value, s);
      if (typeof v !== 'string' || parseIp(v) === null) throw new PyError(`${pyRepr(v)} does not appear to be an IPv4 or IPv6 address`, 'ValueError');
      return p.ranges.some((r) => ipInNetwork(v, r));
    }
    case 'istype':
      return pyIsInstance(evalVal(p.value, s), p.type);
    case 'valid': {
      const v = evalVal(p.value, s);
      if (typeof v !== 'string') return false;
      try {
        JSON.parse(v);
        return true;
      } catch {
        return false;
      }
    }
    case 'rel': {
      const v = evalVal(p.value, s);
      const o = evalVal(p.other, s);
      if (p.rel === 'in') return pyIn(p.ci && typeof o === 'string' ? pyLower(o) : o, p.ci ? lowerAll(v) : v);
      const t = pyStrSelf(v, p.rel);
      if (typeof o !== 'string') throw new PyError(`${p.rel} first arg must be str or a tuple of str, not ${pyTypeName(o)}`, 'TypeError');
      const a = p.ci ? pyLower(t) : t;
      const b = p.ci ? pyLower(o) : o;
      return p.rel === 'startswith' ? a.startsWith(b) : a.endsWith(b);
    }
    case 'quant': {
      const l = evalVal(p.list, s);
      const items: Json[] = pyIter(l);
      // elements are visited in order, as Python's generators do: an element that raises before the
      // deciding one raises
      const test = (e: Json): boolean => evalPred(p.pred, { event: s.event, elems: [...s.elems, e] });
      return p.q === 'any' ? items.some(test) : items.every(test);
    }
    case 'opaque':
      if (p.assume === undefined) throw new PyError(`opaque piece evaluated: ${p.reason}`);
      return p.assume;
  }
  throw new PyError('unreachable');
}

function lowerAll(v: Json): Json {
  if (typeof v === 'string') return pyLower(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? pyLower(x) : x));
  return v;
}

/** Python `needle in hay`, with the event's keys matched as Panther matches them (lookupKey). */
export function pyIn(needle: Json, hay: Json): boolean {
  return pyInWith(needle, hay, (o, k) => lookupKey(o, k) !== undefined);
}

/** Does the rule alert on this event? A Python exception means no alert. */
export function evaluateRule(p: Pred, event: Json): boolean {
  try {
    return evalPred(p, { event, elems: [] });
  } catch (e) {
    if (e instanceof PyError) return false;
    throw e;
  }
}

/** Evaluate a value for output (alert context, title); exceptions give undefined. */
export function evaluateValue(v: Val, event: Json): Json | undefined {
  try {
    return evalVal(v, { event, elems: [] });
  } catch (e) {
    if (e instanceof PyError) return undefined;
    throw e;
  }
}

/**
 * The dedup string of a threshold rule whose dedup()/title depends on a condition (Aggregation.keyCases):
 * the text of the first case whose condition holds, each value printed as
 * Python's f-string prints it (str(), as Panther's rule sees it: pantherStr). Undefined when Python raises
 * (Panther then has no such string) or no case holds.
 */
export function evaluateKeyCases(cases: KeyCase[], event: Json): string | undefined {
  const s: Scope = { event, elems: [] };
  try {
    const c = cases.find((x) => evalPred(x.when, s));
    return c ? c.parts.map((p) => ('text' in p ? p.text : pantherStr(evalVal(p.value, s), s))).join('') : undefined;
  } catch (e) {
    if (e instanceof PyError) return undefined;
    throw e;
  }
}
