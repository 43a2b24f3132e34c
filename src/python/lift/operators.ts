/** Operators: comparisons, membership, arithmetic and concatenation, str(), attributes and indexing. */
import { locate, type Json, type Pred, type Val } from '../../ast/types.js';
import { and, canonLength, not, or, FALSE, TRUE } from '../../ast/normalize.js';
import { pyEq, pyRepr, pyStr, isMapping } from '../../ast/evaluate.js';
import { ipClass, ipValid, type IpClass } from '../../ast/ipclass.js';
import { typedValue } from '../../ast/literal.js';
import type { Lifter } from '../lift.js';
import { cst, dictItem, item, ite, pred, val, type Site, type SV, type SVOf } from '../values.js';
import { evalConstPred } from './constfold.js';
import { mayRaise, raises } from './flow.js';
import { intersect, isSetOf, setsEqual } from './sets.js';
import { someItem } from './loops.js';
import { objectAttr } from './classes.js';
import { provenance } from './builtins.js';

type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
const CMP_OPS: Record<string, CmpOp> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
/** The operator with its operands swapped. */
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

type CompareRule = (L: Lifter, op: string, a: SV, b: SV, site: Site) => SV;

const ordering: CompareRule = (L, op, a, b, site) => cmp(L, op, a, b, site);

const identity: CompareRule = (L, op, a, b, site) => {
  const neg = op === 'is not';
  const isNone = (x: SV): boolean => x.s === 'const' && x.v === null;
  if (isNone(b) || isNone(a)) {
    const other = isNone(b) ? a : b;
    if (other.s === 'const') return cst(neg !== (other.v === null));
    const ov = L.asVal(other);
    if (ov) return pred(neg ? { k: 'exists', value: ov, span: site } : not({ k: 'exists', value: ov, span: site }));
    if (other.s === 'pred') return other.nullable ? pred(neg ? other.p : not(other.p)) : cst(neg);
    return L.opaque('is', `'${op} None' on a value the lifter cannot read`, site);
  }
  if (b.s === 'const' && typeof b.v === 'boolean') {
    // True and False are singletons: a constant is one of them exactly when it is that bool
    if (a.s === 'const') return cst(neg !== (a.v === b.v));
    const av = L.asVal(a);
    if (av) {
      const p: Pred = and({ k: 'istype', value: av, type: 'bool', span: site }, { k: 'cmp', op: 'eq', left: av, right: { k: 'lit', v: b.v }, span: site });
      return pred(neg ? not(p) : p);
    }
    if (a.s === 'pred') return pred(neg !== b.v ? a.p : not(a.p));
  }
  return cmp(L, neg ? '!=' : '==', a, b, site);
};

const membership: CompareRule = (L, op, a, b, site) => {
  const r = inOp(L, a, b, site);
  return op === 'in' ? r : r.s === 'opaque' ? r : pred(not(L.truth(r, site)));
};

const COMPARE: Record<string, CompareRule> = {
  '==': ordering,
  '!=': ordering,
  '<': ordering,
  '<=': ordering,
  '>': ordering,
  '>=': ordering,
  '<>': (L, _op, a, b, site) => cmp(L, '!=', a, b, site),
  is: identity,
  'is not': identity,
  in: membership,
  'not in': membership,
};

/** `a <op> b` for a comparison operator of Python (`==`, `<`, `is`, `in`, ...). */
export function compare(L: Lifter, op: string, a: SV, b: SV, site: Site): SV {
  return L.pointwise([a, b], (a, b) => {
    if (a.s === 'len' && b.s === 'const' && typeof b.v === 'number') {
      // len(comprehension) against a constant: only emptiness is expressible
      const ne = L.truth(a.of, site);
      const k = b.v;
      const table: Record<string, Pred | null> = {
        '>': k === 0 ? ne : k < 0 ? TRUE : null,
        '>=': k === 1 ? ne : k <= 0 ? TRUE : null,
        '!=': k === 0 ? ne : null,
        '==': k === 0 ? not(ne) : null,
        '<': k === 1 ? not(ne) : k <= 0 ? FALSE : null,
        '<=': k === 0 ? not(ne) : k < 0 ? FALSE : null,
      };
      const r = table[op];
      return r ? pred(r) : L.opaque('len', `len() of a comprehension compared ${op} ${k} (needs counting)`, site);
    }
    const rule = COMPARE[op];
    return rule ? rule(L, op, a, b, site) : L.opaque('compare', `comparison '${op}' is not supported`, site);
  });
}

/** An equality or ordering comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`) of two values. */
export function cmp(L: Lifter, op: string, a: SV, b: SV, site: Site): SV {
  const k = CMP_OPS[op] as CmpOp;
  if (a.s === 'const' && b.s === 'const') {
    try {
      const p: Pred = { k: 'cmp', op: k, left: { k: 'lit', v: a.v }, right: { k: 'lit', v: b.v } };
      return cst(evalConstPred(p));
    } catch {
      return L.opaque('compare', `comparison of incompatible constants`, site);
    }
  }
  if (a.s === 'pred' && b.s === 'const' && typeof b.v === 'boolean' && (k === 'eq' || k === 'ne')) {
    return pred(k === 'eq' === b.v ? a.p : not(a.p));
  }
  if (b.s === 'pred' && a.s === 'const') return cmp(L, FLIP[op] as string, b, a, site);
  if (a.s === 'pred' && b.s === 'pred' && (k === 'eq' || k === 'ne')) {
    const same = or(and(a.p, b.p), and(not(a.p), not(b.p)));
    return pred(k === 'eq' ? same : not(same));
  }
  if (a.s === 'const' && b.s === 'val') return cmp(L, FLIP[op] as string, b, a, site);
  if (isSetOf(a) && isSetOf(b) && (k === 'eq' || k === 'ne')) {
    const same = setsEqual(L, a, b, site);
    if (same) return pred(k === 'eq' ? same : not(same));
  }
  const av = L.asVal(a);
  const bv = L.asVal(b);
  if (av && bv) {
    if (bv.k === 'lit' && bv.v === null && (k === 'eq' || k === 'ne')) {
      return pred(k === 'eq' ? not({ k: 'exists', value: av, span: site }) : { k: 'exists', value: av, span: site });
    }
    if (bv.k === 'lit' && (Array.isArray(bv.v) || isMapping(bv.v)) && k !== 'eq' && k !== 'ne') {
      return L.opaque('compare', 'ordering comparison with a collection', site);
    }
    if (b.s === 'const' && Array.isArray(b.v)) {
      const why = seqEqRefusal(av, b.kind);
      if (why) return L.opaque('compare', why, site);
    }
    return pred(canonLength({ k: 'cmp', op: k, left: av, right: bv, span: site }));
  }
  if (a.s === 'seq' && b.s === 'const' && Array.isArray(b.v) && (k === 'eq' || k === 'ne')) {
    // list == list: the same kind (a list never equals a tuple or set), the same length, items equal pairwise
    const bv = b.v;
    if (a.kind !== b.kind || a.items.length !== bv.length) return cst(k === 'ne');
    const same = and(...a.items.map((x, i) => L.truth(cmp(L, '==', x, item(bv[i] as Json), site), site)));
    return pred(k === 'eq' ? same : not(same));
  }
  if ((a.s === 'dict' || a.s === 'seq') && b.s === 'const' && (k === 'eq' || k === 'ne')) {
    const empty = Array.isArray(b.v) ? b.v.length === 0 : isMapping(b.v) ? Object.keys(b.v).length === 0 : false;
    const aEmpty = a.s === 'dict' ? a.entries.length === 0 : a.items.length === 0;
    if (empty && aEmpty) return cst(k === 'eq');
    if (empty && !aEmpty) return cst(k === 'ne');
  }
  return L.opaque('compare', `comparison between values the lifter cannot read (${a.s} ${op} ${b.s})`, site);
}

/**
 * Why `v == <constant sequence>` cannot be read as the evaluator's element-wise list equality, or null.
 * An ImmutableList (a list read from the event) equals a list or a tuple with the same items
 * (ImmutableList.__eq__), a plain list only a list, a tuple (a slice of an event list) only a tuple,
 * and no list equals a set: the evaluator's values do not tell these apart.
 */
function seqEqRefusal(v: Val, kind: string): string | null {
  if (kind === 'set') return 'equality of a value with a set (a list never equals a set)';
  if (kind === 'tuple' && provenance(v) !== 'wrapped') return 'equality of a value the rule computed with a tuple (a plain list never equals a tuple)';
  if (kind === 'list' && mayBeTuple(v)) return 'equality of a slice with a list (a slice of an event list is a tuple, which never equals a list)';
  return null;
}

/** May this value be a tuple (a slice of a list read from the event, or `or`/`and` of one)? */
function mayBeTuple(v: Val): boolean {
  if (v.k !== 'fn') return false;
  if (v.fn === 'slice') return provenance(v.args[0]!) !== 'plain';
  return (v.fn === 'or' || v.fn === 'and') && v.args.some(mayBeTuple);
}

/**
 * `(x, y, ...) in SET`: a set literal holds tuples (a list is unhashable, so no entry of it is one), and
 * the probe tuple is hashed first: an unhashable item (a list or dict read from the event) raises
 * TypeError whatever the items compare to, which no and/or of item tests says (one unequal item would
 * decide it). So every item must be hashable by construction: a scalar constant, a function whose
 * value is a str or a number (x.lower(), str(x), len(x): typedValue), or a piece of a split (a str).
 * Then the probe equals an entry
 * of its length item by item.
 */
function tupleInSet(L: Lifter, probe: SV[], entries: Json[], site: Site): SV {
  const vals = probe.map((x) => L.asVal(x));
  if (!vals.every((v) => v !== null && hashableVal(v))) return L.opaque('in', 'a tuple tested in a set whose items may be unhashable (a list or dict raises TypeError)', site);
  const same = entries.filter((e): e is Json[] => Array.isArray(e) && e.length === probe.length);
  return pred(or(...same.map((e) => and(...vals.map((v, i) => L.truth(cmp(L, '==', val(v as Val), item(e[i] as Json), site), site))))));
}

/**
 * Is this value hashable by construction: a scalar constant, a function whose value is a str or a
 * number (x.lower(), str(x), len(x): typedValue), or a piece of a split (a str)? A value read from the
 * event may be a list or an object (Panther's ImmutableList / ImmutableCaseInsensitiveDict, both
 * unhashable), which a set or dict raises TypeError on when it hashes it.
 */
export function hashableVal(v: Val): boolean {
  if (v.k === 'lit') return v.v === null || typeof v.v !== 'object';
  if (v.k === 'index' && v.obj.k === 'fn' && (v.obj.fn === 'split' || v.obj.fn === 'rsplit')) return true;
  const t = typedValue(v);
  return typeof t === 'string' || typeof t === 'number';
}

/** `a in b`. */
function inOp(L: Lifter, a: SV, b: SV, site: Site): SV {
  return L.pointwise([a, b], (a, b) => {
    if (a.s === 'ip' && b.s === 'net') return pred(locate(or(and(ipValid(a.v), { k: 'cidr', value: a.v, ranges: [b.cidr] }), ipOfInt(a.v, `ip_address() in ip_network(${JSON.stringify(b.cidr)})`, site)), site));
    // in a union of sets: in one of them (each hashes the probe alike)
    if (b.s === 'union') return pred(or(...b.parts.map((p) => L.truth(inOp(L, a, p, site), site))));
    if (b.s === 'fseq' || b.s === 'map') {
      // a set hashes its probe: a list or object read from the event raises TypeError
      if (b.set && a.s === 'val' && !hashableVal(a.v)) {
        const unhashable = or({ k: 'istype', value: a.v, type: 'list', span: site }, { k: 'istype', value: a.v, type: 'dict', span: site });
        if (!raises(L, [{ when: unhashable, kind: 'type' }])) return L.opaque('in', 'a value that may be unhashable tested in a set', site);
      }
      if (b.set && a.s !== 'val' && a.s !== 'const') return L.opaque('in', `'in' of ${a.s} in a set`, site);
      if (b.set && a.s === 'const' && a.v !== null && typeof a.v === 'object') return L.opaque('in', "'in' of an unhashable constant in a set (TypeError)", site);
      const p = someItem(L, b, (it) => L.truth(cmp(L, '==', a, it, site), site));
      return p ? pred(p) : L.opaque('comprehension', 'membership in a comprehension used inside another loop', site);
    }
    if (b.s === 'const') {
      const coll = b.v;
      if (typeof coll === 'string') {
        if (a.s === 'const' && typeof a.v === 'string') return cst(coll.includes(a.v));
        return L.opaque('in-string', 'a field tested as a substring of a constant string', site);
      }
      const items: Json[] = Array.isArray(coll) ? coll : isMapping(coll) ? Object.keys(coll) : [];
      if (coll === null || typeof coll !== 'object') return L.opaque('in', `'in' on a ${typeof coll} constant`, site);
      if (a.s === 'const') return cst(items.some((x) => pyEq(x, a.v)));
      const av = L.asVal(a);
      // sets and dict keys hash their probe: a list or dict value raises TypeError (unhashable)
      if (av) return pred({ k: 'in', value: av, list: items, ...(b.kind === 'set' || b.kind === 'dict' ? { hashed: true } : {}), span: site });
      if (a.s === 'pred') return pred(or(items.some((x) => pyEq(x, true)) ? a.p : FALSE, items.some((x) => pyEq(x, false)) ? not(a.p) : FALSE));
      // (a conditional item: the test in each arm)
      if (a.s === 'seq' && a.kind === 'tuple' && b.kind === 'set') return L.pointwise(a.items, (...xs) => tupleInSet(L, xs, items, site));
      return L.opaque('in', `'in' on a value the lifter cannot read`, site);
    }
    if (b.s === 'seq') {
      return pred(or(...b.items.map((x) => L.truth(cmp(L, '==', a, x, site), site))));
    }
    if (b.s === 'kdict') {
      const keys = b.entries.map(([k]) => k);
      // a key is hashed: a list or dict probe raises TypeError
      if (a.s === 'const') return a.v !== null && typeof a.v === 'object' ? L.opaque('in', "'in' of an unhashable constant (TypeError)", site) : cst(keys.some((k) => pyEq(k, a.v)));
      const av = L.asVal(a);
      if (av) return pred({ k: 'in', value: av, list: keys, hashed: true, span: site });
      if (a.s === 'pred') return pred(or(keys.some((x) => pyEq(x, true)) ? a.p : FALSE, keys.some((x) => pyEq(x, false)) ? not(a.p) : FALSE));
      return L.opaque('in', `'in' on a value the lifter cannot read`, site);
    }
    if (b.s === 'dict') {
      if (a.s === 'const' && typeof a.v === 'string') return cst(b.entries.some(([k]) => k === a.v));
      const av = L.asVal(a);
      // dict keys hash their probe: a list or dict value raises TypeError (unhashable)
      if (av) return pred({ k: 'in', value: av, list: b.entries.map(([k]) => k), hashed: true, span: site });
    }
    if (b.s === 'val') {
      if (a.s === 'const' && (typeof a.v === 'string' || typeof a.v === 'number' || typeof a.v === 'boolean')) {
        if (typeof a.v === 'string') return pred({ k: 'match', kind: 'contains', value: b.v, pattern: a.v, span: site });
        return pred({ k: 'has', value: b.v, needle: a.v, span: site });
      }
      const av = L.asVal(a);
      if (av) return pred({ k: 'rel', rel: 'in', value: b.v, other: av, span: site });
      return L.opaque('field-in-field', 'membership of one field in another', site);
    }
    return L.opaque('in', `'in' between ${a.s} and ${b.s}`, site);
  });
}

/** str(v). */
export function strOf(L: Lifter, v: SV, site: Site): SV {
  return L.pointwise([v], (v) => {
    if (v.s === 'const') return constStr(L, v, site);
    // the event itself prints as PantherEvent({...}), with the fields Panther adds to it (p_*)
    if (v.s === 'val' && v.v.k === 'event') return L.opaque('str', 'str() of the whole event (Panther prints its own fields in it)', site);
    // (a container read from the event prints as its wrapper's repr: the evaluator's pantherStr)
    if (v.s === 'val') return val({ k: 'fn', fn: 'str', args: [v.v] });
    return L.opaque('str', 'str() of a value the lifter cannot read', site);
  });
}

/**
 * str() of a constant: a list or dict of scalars prints as Python does, a tuple as a tuple; a set's
 * order is its hash order (random for str, PYTHONHASHSEED) and a frozenset is not told from a set, and a
 * nested collection's own kind (list or tuple) is not kept: those are not folded.
 */
function constStr(L: Lifter, v: SV & { s: 'const' }, site: Site): SV {
  const x = v.v;
  if (x === null || typeof x !== 'object') return cst(pyStr(x));
  const items = Array.isArray(x) ? x : Object.values(x);
  if (items.some((i) => i !== null && typeof i === 'object')) return L.opaque('str', 'str() of a nested constant collection', site);
  if (v.kind === 'set') return L.opaque('str', 'str() of a constant set (its order is the hash order)', site);
  if (v.kind === 'tuple') {
    const xs = x as Json[];
    return cst(xs.length === 1 ? `(${pyRepr(xs[0] as Json)},)` : `(${xs.map((i) => pyRepr(i)).join(', ')})`);
  }
  return cst(pyStr(x));
}

/** The functions whose value is a str (so that `+` with them is concatenation). */
const STR_FNS = ['str', 'lower', 'upper', 'strip', 'lstrip', 'rstrip', 'replace', 'concat'];

/** Constant arithmetic on numbers. */
const ARITH: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '//': (x, y) => Math.floor(x / y),
  '%': (x, y) => ((x % y) + y) % y,
  '**': (x, y) => x ** y,
};

/** `a <op> b` for a binary operator. */
export function binop(L: Lifter, op: string, a: SV, b: SV, site: Site): SV {
  return L.pointwise([a, b], (a, b) => {
    if (a.s === 'const' && b.s === 'const') {
      const x = a.v;
      const y = b.v;
      if (op === '+' && typeof x === 'string' && typeof y === 'string') return cst(x + y);
      if (op === '+' && Array.isArray(x) && Array.isArray(y)) return cst([...x, ...y], a.kind);
      if (typeof x === 'number' && typeof y === 'number') {
        const f = ARITH[op];
        if (f) return cst(f(x, y));
      }
      if ((op === '|' || op === '&' || op === '-') && Array.isArray(x) && Array.isArray(y)) {
        if (op === '|') return cst([...x, ...y.filter((v) => !x.some((u) => pyEq(u, v)))], 'set');
        if (op === '&') return cst(x.filter((v) => y.some((u) => pyEq(u, v))), 'set');
        return cst(x.filter((v) => !y.some((u) => pyEq(u, v))), 'set');
      }
      if (op === '|' && typeof x === 'string' && typeof y === 'string' && x.startsWith('re-flag:') && y.startsWith('re-flag:')) return cst(`re-flag:${x.slice(8)}${y.slice(8)}`);
      if (op === '%' && typeof x === 'string') return L.opaque('format', '%-formatting', site);
      return L.opaque('binop', `operator '${op}' on constants of these types`, site);
    }
    if (op === '&') {
      // CONST & set(x), set(x) & CONST (both sets: `&` of a list raises TypeError)
      const [c, m] = a.s === 'const' ? [a, b] : [b, a];
      if (c.s === 'const' && c.kind === 'set' && Array.isArray(c.v) && isSetOf(m)) {
        const r = intersect(L, c.v, m, site, (x, y) => L.truth(cmp(L, '==', x, y, site), site));
        if (r) return r;
      }
      // CONST & (set(x) | set(y) ...): each item of CONST present where some part holds it
      if (c.s === 'const' && c.kind === 'set' && Array.isArray(c.v) && m.s === 'union' && m.parts.every(isSetOf)) {
        const rs = m.parts.map((p) => intersect(L, c.v as Json[], p as SVOf<'map'>, site, (x, y) => L.truth(cmp(L, '==', x, y, site), site)));
        if (rs.every((r) => r?.s === 'fseq')) {
          const fs = rs as SVOf<'fseq'>[];
          const items = (fs[0] as SVOf<'fseq'>).items.map((it, i) => ({ c: or(...fs.map((f) => (f.items[i] as { c: Pred }).c)), v: it.v }));
          return { s: 'fseq', items, span: site, set: true };
        }
      }
    }
    if (op === '+') {
      const av = L.asVal(a);
      const bv = L.asVal(b);
      // `+` is concatenation only when an operand is known to be a str (else it may be arithmetic)
      const isStr = (v: Val | null): boolean => !!v && ((v.k === 'lit' && typeof v.v === 'string') || (v.k === 'fn' && STR_FNS.includes(v.fn)));
      // in an output (title, dedup, alert_context), also two fields each read with a str default
      // (`event.get("a", "x") + event.get("b", "y")`): a str where missing, and a str + a non-str raises
      // TypeError, as `concat` does (evaluate.ts pyStrSelf); both present as numbers would add in Python,
      // which a concatenation does not (it raises): outputs only, where that is a title/dedup of no text
      const strDefault = (v: Val | null): boolean => !!v && v.k === 'get' && v.default?.k === 'lit' && typeof v.default.v === 'string';
      if (av && bv && (isStr(av) || isStr(bv) || (L.outputMode && strDefault(av) && strDefault(bv)))) {
        const flat = (v: Val): Val[] => (v.k === 'fn' && v.fn === 'concat' ? v.args : [v]);
        return val({ k: 'fn', fn: 'concat', args: [...flat(av), ...flat(bv)].filter((v) => !(v.k === 'lit' && v.v === '')) });
      }
    }
    return L.opaque('arith', `operator '${op}' on event values`, site);
  });
}

/**
 * Python's `ipaddress.ip_address(n)` (and IPv4Address/IPv6Address, ip_network) of an int is an address: 0 <= n < 2**32 is
 * IPv4 (`ip_address(2130706433)` is 127.0.0.1), up to 2**128 IPv6; a bool is an int (`ip_address(True)` is 0.0.0.1); a
 * negative or larger int raises ValueError, as a float, None, a list or a dict does. `ipValid` holds only on a str, so
 * the int case is stated apart: where `v` may hold an int, `what` of it there is an opaque piece (code `ip-int`, the
 * lift is then approximate and says where), never silently false; FALSE where `v` is known not to be an int (a
 * constant, or the value of a function typed str or list: `ip_address(x.split(",")[0])` reads a str).
 */
export function ipOfInt(v: Val, what: string, site: Site): Pred {
  if (v.k === 'lit' && typeof v.v !== 'number' && typeof v.v !== 'boolean') return FALSE;
  const t = typedValue(v);
  if (t !== undefined && typeof t !== 'number') return FALSE;
  if (v.k === 'index' && v.obj.k === 'fn' && (v.obj.fn === 'split' || v.obj.fn === 'rsplit')) return FALSE;
  return and(
    { k: 'istype', value: v, type: 'int', span: site },
    { k: 'opaque', code: 'ip-int', reason: `${what} where the value is an int or bool (Python reads an int 0 <= n < 2**128 as an address; not modelled)`, span: site, ifType: { value: v, type: 'int' } },
  );
}

const IP_CLASSES: IpClass[] = ['is_private', 'is_global', 'is_loopback', 'is_link_local', 'is_multicast', 'is_unspecified', 'is_reserved'];
const RE_FLAGS: Record<string, string> = { 're.I': 'i', 're.IGNORECASE': 'i', 're.M': 'm', 're.MULTILINE': 'm', 're.S': 's', 're.DOTALL': 's', 're.X': 'x', 're.VERBOSE': 'x', 're.A': '', 're.ASCII': '' };

/** `obj.attr` (a method is bound here and called by apply). */
export function attribute(L: Lifter, obj: SV, attr: string, site: Site): SV {
  if (obj.s === 'opaque') return L.derive(obj);
  if (obj.s === 'module') return L.global(attr, obj.mod, site);
  const ofObject = objectAttr(L, obj, attr, site);
  if (ofObject) return ofObject;
  if (obj.s === 'ip') {
    if ((IP_CLASSES as string[]).includes(attr)) return pred(locate(or(ipClass(obj.v, attr as IpClass, (reason) => ({ k: 'opaque', code: 'ip-range', reason, span: site })), ipOfInt(obj.v, `ip_address().${attr}`, site)), site));
    return L.opaque('ip', `ip_address().${attr} is not supported`, site);
  }
  if (obj.s === 'native') {
    const name = `${obj.name}.${attr}`;
    if (name in RE_FLAGS) return cst(`re-flag:${RE_FLAGS[name]}`);
    return { s: 'native', name };
  }
  return { s: 'method', obj, name: attr };
}

/**
 * `D[k]` (dflt null) or `D.get(k, dflt)` of a dict with keys that are not all str (kdict). A constant
 * key reads its entry (a missing one: dflt, or KeyError, not read); an event value chooses among the
 * entries by equality with each key, and the dflt where it is no key: `k in keys` (hashed, so a list or
 * dict value raises TypeError, as hashing it does) guards the choice. D[k] needs `k in D` known on
 * this path (else KeyError may be raised, not read).
 */
export function kdictItem(L: Lifter, d: SVOf<'kdict'>, key: SV, dflt: SV | null, site: Site): SV {
  if (key.s === 'const') {
    if (key.v !== null && typeof key.v === 'object') return L.opaque('index', 'a dict looked up by an unhashable constant (TypeError)', site);
    const hit = d.entries.find(([k]) => pyEq(k, key.v));
    return hit ? hit[1] : (dflt ?? L.opaque('index', `key ${JSON.stringify(key.v)} is not in the dict (KeyError)`, site));
  }
  if (key.s !== 'val' || d.entries.length === 0 || d.entries.length > 200) return L.opaque('dict-lookup', 'a dict with keys that are not str looked up by this value', site);
  const member = L.truth(inOp(L, key, d, site), site);
  if (dflt === null && L.known(member) !== true) return L.opaque('dict-lookup', 'a dict looked up by an event value that may not be a key (KeyError)', site);
  // each key is tested as `k in (key,)` hashed, which raises for a list or dict value (an equality test
  // would be false there, and let the default's arm decide an and/or on its own). As everywhere in the
  // lift, arms that all give the same truth fold away with their tests (known bug exc_condition_same_branches)
  const kv = L.asVal(key) as Val;
  let out: SV = (d.entries[d.entries.length - 1] as [Json, SV])[1];
  for (let i = d.entries.length - 2; i >= 0; i--) {
    const [k, v] = d.entries[i] as [Json, SV];
    out = ite({ k: 'in', value: kv, list: [k], hashed: true, span: site }, v, out);
  }
  return dflt === null ? out : ite(member, out, dflt);
}

/** `obj[idx]`. */
export function index(L: Lifter, obj: SV, idx: SV, site: Site): SV {
  return L.pointwise(
    [obj, idx],
    (obj, idx) => {
      if (obj.s === 'const' && idx.s === 'const') {
        const o = obj.v;
        if (isMapping(o) && typeof idx.v === 'string' && Object.hasOwn(o, idx.v)) return dictItem(o, idx.v);
        if ((Array.isArray(o) || typeof o === 'string') && typeof idx.v === 'number') {
          const i = idx.v < 0 ? o.length + idx.v : idx.v;
          if (i >= 0 && i < o.length) return item(o[i] as Json);
        }
        return L.opaque('index', 'constant index out of range or missing key', site);
      }
      if (obj.s === 'dict' && idx.s === 'const') {
        const hit = obj.entries.find(([k]) => k === String(idx.v));
        return hit ? hit[1] : L.opaque('index', `key ${String(idx.v)} is not in the dict`, site);
      }
      if (obj.s === 'kdict') return kdictItem(L, obj, idx, null, site);
      if (obj.s === 'seq' && idx.s === 'const' && typeof idx.v === 'number') {
        const i = idx.v < 0 ? obj.items.length + idx.v : idx.v;
        return obj.items[i] ?? L.opaque('index', 'index out of range', site);
      }
      if (obj.s === 'val' && idx.s === 'const') {
        if (typeof idx.v === 'string') {
          // KeyError is not modelled: key presence (as opposed to a null value) has no predicate the
          // targets print faithfully, so a try around obj["k"] stays opaque unless its handler is trivial
          return val({ k: 'get', obj: obj.v, key: idx.v, strict: true });
        }
        if (typeof idx.v === 'number' && Number.isInteger(idx.v)) {
          const len: Val = { k: 'fn', fn: 'len', args: [obj.v] };
          // out of range: `len(obj) <= i` (from the end, `len(obj) < -i`), in canonLength's one form
          const out: Pred = canonLength(idx.v >= 0 ? { k: 'cmp', op: 'le', left: len, right: { k: 'lit', v: idx.v }, span: site } : { k: 'cmp', op: 'lt', left: len, right: { k: 'lit', v: -idx.v }, span: site });
          const seq = or({ k: 'istype', value: obj.v, type: 'list', span: site }, { k: 'istype', value: obj.v, type: 'str', span: site });
          mayRaise(L, [{ when: and(seq, out), kind: 'index' }]);
          return val({ k: 'index', obj: obj.v, index: idx.v });
        }
      }
      if (obj.s === 'const' && isMapping(obj.v) && idx.s === 'val') {
        // D[v] raises KeyError where v is not a key (TypeError where v is unhashable): exact only on a
        // path where `v in D` is known to hold, where it is the choice of D's value by v's key
        const o = obj.v;
        const keys = Object.keys(o);
        const member = compare(L, 'in', idx, obj, site);
        if (keys.length > 0 && keys.length <= 200 && member.s === 'pred' && L.known(member.p) === true) {
          let out = dictItem(o, keys[keys.length - 1] as string);
          for (let i = keys.length - 2; i >= 0; i--) {
            const k = keys[i] as string;
            out = ite(L.truth(cmp(L, '==', idx, cst(k), site), site), dictItem(o, k), out);
          }
          return out;
        }
        return L.opaque('dict-lookup', 'constant dict looked up by an event value', site);
      }
      return L.opaque('index', `indexing ${obj.s} by ${idx.s}`, site);
    },
    1,
  );
}
