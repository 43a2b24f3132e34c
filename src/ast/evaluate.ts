/**
 * Evaluate the neutral AST on a JSON event with Panther's Python semantics.
 *
 * Where Python would raise (calling `.lower()` on None, `None < 3`, iterating None...), evaluation
 * throws a PyError; a rule that raises produces no alert, so `evaluateRule` reads it as false.
 */
import type { Json, Pred, Val } from './types.js';
import { pyRegex, globRegex, PY_WS } from './regex.js';

const WS = new RegExp(`[${PY_WS}]`, 'u');
const WS_RUN = new RegExp(`[${PY_WS}]+`, 'u');
import { ipInNetwork, parseIp } from './ip.js';

export class PyError extends Error {}

type Obj = { [k: string]: Json };

export function isMapping(v: Json): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Key lookup as Panther does it: exact first, then case-insensitive. Returns undefined when absent. */
export function lookupKey(o: Obj, key: string, exact = false): Json | undefined {
  if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
  if (exact) return undefined;
  const lk = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lk) return o[k];
  return undefined;
}

/** Python truthiness. */
export function truthy(v: Json): boolean {
  if (v === null || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

/** Python `==` between JSON values (int/float and bool/int compare numerically, as in Python). */
export function pyEq(a: Json, b: Json): boolean {
  if (a === null || b === null) return a === b;
  const na = typeof a === 'boolean' ? Number(a) : a;
  const nb = typeof b === 'boolean' ? Number(b) : b;
  if (typeof na === 'number' && typeof nb === 'number') return na === nb;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => pyEq(x, b[i] as Json));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && pyEq(a[k] as Json, b[k] as Json));
  }
  return false;
}

function typeName(v: Json): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  return Array.isArray(v) ? 'list' : 'dict';
}

function pyOrder(a: Json, b: Json): number {
  const na = typeof a === 'boolean' ? Number(a) : a;
  const nb = typeof b === 'boolean' ? Number(b) : b;
  if (typeof na === 'number' && typeof nb === 'number') return na - nb;
  if (typeof a === 'string' && typeof b === 'string') return cmpCodePoints(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i] as Json, b[i] as Json)) return pyOrder(a[i] as Json, b[i] as Json);
    }
    return a.length - b.length;
  }
  throw new PyError(`'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python str() of a JSON value. */
export function pyStr(v: Json): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** Python's repr() of a float: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const [mant, expS] = n.toExponential().split('e') as [string, string];
  const exp = Number(expS);
  if (exp < -4 || exp >= 16) {
    const m = mant.includes('.') ? mant : `${mant}`;
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = n.toFixed(Math.max(0, (mant.split('.')[1]?.length ?? 0) - exp));
  return s.includes('.') ? s : `${s}.0`;
}

/** Python compares str by code point; JavaScript by UTF-16 unit. */
function cmpCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export function pyRepr(v: Json): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isMapping(v)) return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return pyStr(v);
}

function str(v: Json, what: string): string {
  if (typeof v !== 'string') throw new PyError(`'${typeName(v)}' object has no attribute '${what}'`);
  return v;
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
        if (v.strict && Array.isArray(o)) throw new PyError('list indices must be integers or slices, not str');
        throw new PyError(`'${typeName(o)}' object has no attribute 'get'`);
      }
      const x = lookupKey(o, v.key, exact);
      if (x === undefined) {
        if (v.strict) throw new PyError(`KeyError: '${v.key}'`);
        return v.default ? evalVal(v.default, s) : null;
      }
      return x;
    }
    case 'index': {
      const o = evalVal(v.obj, s);
      if (typeof o === 'string' || Array.isArray(o)) {
        const i = v.index < 0 ? o.length + v.index : v.index;
        if (i < 0 || i >= o.length) throw new PyError('index out of range');
        return (o as Json[] | string)[i] as Json;
      }
      throw new PyError(`'${typeName(o)}' object is not subscriptable`);
    }
    case 'fn':
      return evalFn(v.fn, v.args.map((a) => evalVal(a, s)));
  }
}

function evalFn(fn: string, a: Json[]): Json {
  const [x, y, z] = a;
  switch (fn) {
    case 'lower':
      return str(x as Json, 'lower').toLowerCase();
    case 'casefold':
      return casefold(str(x as Json, 'casefold'));
    case 'upper':
      return str(x as Json, 'upper').toUpperCase();
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      const t = str(x as Json, fn);
      const chars = y === undefined || y === null ? null : str(y, fn);
      const isStrip = (c: string): boolean => (chars === null ? WS.test(c) : chars.includes(c));
      let i = 0;
      let j = t.length;
      if (fn !== 'rstrip') while (i < j && isStrip(t[i] as string)) i++;
      if (fn !== 'lstrip') while (j > i && isStrip(t[j - 1] as string)) j--;
      return t.slice(i, j);
    }
    case 'str':
      return pyStr(x as Json);
    case 'len':
      if (typeof x === 'string') return [...x].length;
      if (Array.isArray(x)) return x.length;
      if (isMapping(x as Json)) return Object.keys(x as Obj).length;
      throw new PyError(`object of type '${typeName(x as Json)}' has no len()`);
    case 'split': {
      const t = str(x as Json, 'split');
      if (y === undefined || y === null) return t.split(WS_RUN).filter((p) => p.length > 0);
      const sep = str(y, 'split');
      if (sep === '') throw new PyError('empty separator');
      const parts = t.split(sep);
      if (typeof z === 'number' && z >= 0 && parts.length > z + 1) {
        return [...parts.slice(0, z), parts.slice(z).join(sep)];
      }
      return parts;
    }
    case 'rsplit': {
      const t = str(x as Json, 'rsplit');
      if (y === undefined || y === null) {
        const parts = t.split(WS_RUN).filter((p) => p.length > 0);
        if (typeof z === 'number' && z >= 0 && parts.length > z + 1) return [parts.slice(0, parts.length - z).join(' '), ...parts.slice(parts.length - z)];
        return parts;
      }
      const sep = str(y, 'rsplit');
      if (sep === '') throw new PyError('empty separator');
      const parts = t.split(sep);
      if (typeof z === 'number' && z >= 0 && parts.length > z + 1) return [parts.slice(0, parts.length - z).join(sep), ...parts.slice(parts.length - z)];
      return parts;
    }
    case 'json': {
      const t = x as Json;
      if (typeof t !== 'string') throw new PyError(`the JSON object must be str, not ${typeName(t)}`);
      try {
        return JSON.parse(t) as Json;
      } catch {
        throw new PyError('JSONDecodeError');
      }
    }
    case 'slice': {
      // x[lo:hi] on a str (by code point) or a list; None bounds are open
      const t = x as Json;
      const seq: Json[] | null = typeof t === 'string' ? [...t] : Array.isArray(t) ? t : null;
      if (seq === null) throw new PyError(`'${typeName(t)}' object is not subscriptable`);
      const n = seq.length;
      const norm = (b: Json | undefined, d: number): number => {
        if (b === undefined || b === null) return d;
        if (typeof b !== 'number') throw new PyError('slice indices must be integers or None');
        return b < 0 ? Math.max(0, n + b) : Math.min(n, b);
      };
      const part = seq.slice(norm(y, 0), norm(z, n));
      return typeof t === 'string' ? (part as string[]).join('') : part;
    }
    case 'deep_walk':
      return deepWalk(x as Json, (y as string[]) ?? [], z as Json, (a[3] as string) ?? 'all');
    case 'replace':
      return str(x as Json, 'replace').split(str(y as Json, 'replace')).join(str(z as Json, 'replace'));
    case 'concat':
      return a.map((p) => str(p, '__add__')).join('');
    case 'or':
      return truthy(x as Json) ? (x as Json) : (y as Json);
    case 'and':
      return truthy(x as Json) ? (y as Json) : (x as Json);
    case 'int':
      if (typeof x === 'boolean') return Number(x);
      if (typeof x === 'number') {
        if (!Number.isFinite(x)) throw new PyError('cannot convert float infinity or NaN to integer');
        return Math.trunc(x);
      }
      if (typeof x === 'string') {
        const t = x.trim();
        if (/^[-+]?\d+(_\d+)*$/.test(t)) return parseInt(t.replace(/_/g, ''), 10);
        throw new PyError(`invalid literal for int() with base 10: ${pyRepr(x)}`);
      }
      throw new PyError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(x as Json)}'`);
    case 'float':
      if (typeof x === 'boolean') return Number(x);
      if (typeof x === 'number') return x;
      if (typeof x === 'string') {
        const t = x.trim().replace(/_/g, '');
        if (/^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)$/.test(t)) return Number(t);
        if (/^[-+]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
        if (/^[-+]?nan$/i.test(t)) return NaN;
        throw new PyError(`could not convert string to float: ${pyRepr(x)}`);
      }
      throw new PyError(`float() argument must be a string or a real number, not '${typeName(x as Json)}'`);
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
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) throw new PyError("unhashable type: 'dict'");
    if (Array.isArray(v)) throw new PyError("unhashable type: 'list'");
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

/** Python's str.casefold(), closely: full folding (ß → ss, ﬁ → fi) via upper-then-lower. */
export function casefold(s: string): string {
  return s.toLowerCase().toUpperCase().toLowerCase();
}

/** The value of a case-insensitive predicate folded as the rule folded it (literals are folded the same way). */
function ciStr(v: Json, ci: boolean | undefined, fold?: string): Json {
  if (!ci) return v;
  return foldStr(str(v, fold ?? 'lower'), fold);
}

function foldStr(t: string, fold?: string): string {
  return fold === 'upper' ? t.toUpperCase() : fold === 'casefold' ? casefold(t) : t.toLowerCase();
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
        case 'lt':
          return pyOrder(l, r) < 0;
        case 'le':
          return pyOrder(l, r) <= 0;
        case 'gt':
          return pyOrder(l, r) > 0;
        case 'ge':
          return pyOrder(l, r) >= 0;
      }
      break;
    }
    case 'in': {
      const v = ciStr(evalVal(p.value, s), p.ci, p.fold);
      if (p.hashed && v !== null && typeof v === 'object') throw new PyError(`unhashable type: '${typeName(v)}'`);
      return p.list.some((x) => pyEq(v, p.ci && typeof x === 'string' ? foldStr(x, p.fold) : x));
    }
    case 'has': {
      const v = evalVal(p.value, s);
      return pyIn(p.ci && typeof p.needle === 'string' ? p.needle.toLowerCase() : p.needle, p.ci ? lowerAll(v) : v);
    }
    case 'match': {
      const v = evalVal(p.value, s);
      if (p.kind === 'contains') {
        // a case-insensitive contains comes from `"x" in v.lower()`: v must be a str
        if (p.ci && typeof v !== 'string') throw new PyError(`'${typeName(v)}' object has no attribute 'lower'`);
        if (typeof v !== 'string') return pyIn(p.pattern, v);
        return (p.ci ? foldStr(v, p.fold) : v).includes(p.ci ? foldStr(p.pattern, p.fold) : p.pattern);
      }
      if (p.kind === 'regex') {
        if (typeof v !== 'string') throw new PyError('expected string or bytes-like object');
        const re = pyRegex(p.pattern, (p.flags ?? '') + (p.ci ? 'i' : ''), p.anchor ?? 'search');
        return re.test(v);
      }
      if (p.kind === 'glob') {
        if (typeof v !== 'string') throw new PyError('expected str for fnmatch');
        return globRegex(p.pattern, !!p.ci).test(v);
      }
      const t = ciStr(str(v, p.kind), p.ci, p.fold) as string;
      const pat = p.ci ? foldStr(p.pattern, p.fold) : p.pattern;
      return p.kind === 'startswith' ? t.startsWith(pat) : t.endsWith(pat);
    }
    case 'exists':
      return evalVal(p.value, s) !== null;
    case 'truthy':
      return truthy(evalVal(p.value, s));
    case 'cidr': {
      const v = evalVal(p.value, s);
      if (typeof v !== 'string' || parseIp(v) === null) throw new PyError(`${pyRepr(v)} does not appear to be an IPv4 or IPv6 address`);
      return p.ranges.some((r) => ipInNetwork(v, r));
    }
    case 'istype': {
      const v = evalVal(p.value, s);
      switch (p.type) {
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
        case 'none':
          return v === null;
      }
      break;
    }
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
      if (p.rel === 'in') return pyIn(p.ci && typeof o === 'string' ? o.toLowerCase() : o, p.ci ? lowerAll(v) : v);
      const t = str(v, p.rel);
      if (typeof o !== 'string') throw new PyError(`${p.rel} first arg must be str or a tuple of str, not ${typeName(o)}`);
      const a = p.ci ? t.toLowerCase() : t;
      const b = p.ci ? o.toLowerCase() : o;
      return p.rel === 'startswith' ? a.startsWith(b) : a.endsWith(b);
    }
    case 'quant': {
      const l = evalVal(p.list, s);
      const items: Json[] = iterate(l);
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

/** The items a Python `for` loop visits. */
export function iterate(v: Json): Json[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  throw new PyError(`'${typeName(v)}' object is not iterable`);
}

function lowerAll(v: Json): Json {
  if (typeof v === 'string') return v.toLowerCase();
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x.toLowerCase() : x));
  return v;
}

/** Python `needle in hay`. */
export function pyIn(needle: Json, hay: Json): boolean {
  if (typeof hay === 'string') {
    if (typeof needle !== 'string') throw new PyError("'in <string>' requires string as left operand");
    return hay.includes(needle);
  }
  if (Array.isArray(hay)) return hay.some((x) => pyEq(x, needle));
  if (isMapping(hay)) return typeof needle === 'string' && lookupKey(hay, needle) !== undefined;
  throw new PyError(`argument of type '${typeName(hay)}' is not iterable`);
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
