/** Methods: of event values (dict reads, Panther's event helpers, str methods), of constants, dicts and patterns. */
import type { Json, Pred, Val } from '../../ast/types.js';
import { or, TRUE } from '../../ast/normalize.js';
import { pyEq, pyStr, isMapping } from '../../ast/evaluate.js';
import type { Lifter } from '../lift.js';
import { cst, dictItem, item, ite, NONE, own, pred, val, type Site, type SV, type SVOf } from '../values.js';
import { regexFindall, regexMatch } from './builtins.js';
import { casefold } from './constfold.js';
import { raises } from './flow.js';
import { intersect, isSetOf } from './sets.js';
import { cmp, compare, hashableVal, kdictItem } from './operators.js';

/** `obj.name(*args, **kwargs)`. */
/** Methods that change a list, dict or set in place. */
export const MUTATORS = new Set([
  ...['append', 'extend', 'insert', 'remove', 'pop', 'clear', 'sort', 'reverse'],
  ...['update', 'popitem', 'setdefault'],
  ...['add', 'discard', 'difference_update', 'intersection_update', 'symmetric_difference_update'],
]);

export function method(L: Lifter, obj: SV, name: string, args: SV[], kwargs: Map<string, SV>, site: Site): SV {
  // a collection changed in place: every other reference to it is unknown from here (Lifter.markChanged)
  const quiet = L.quietChange;
  L.quietChange = false;
  if (MUTATORS.has(name) && !quiet) L.markChanged(obj);
  return L.pointwise([obj], (obj) => {
    const unknown = args.find((a) => a.s === 'opaque');
    if (unknown) return unknown;
    if (obj.s === 'regex') {
      if (['search', 'match', 'fullmatch'].includes(name) && args[0]) return regexMatch(L, obj, name as 'search', args[0], site);
      // pattern.findall(string) (pos/endpos not followed)
      if (name === 'findall' && args.length === 1 && args[0] && kwargs.size === 0) return regexFindall(L, obj, args[0], site);
      return L.opaque('regex', `pattern.${name}() is not supported`, site);
    }
    // a conditional argument (`k = "a" if c else "b"; event.deep_get(k, ...)`): the call in each arm
    if (obj.s === 'val' && args.some((a) => a.s === 'ite')) return L.pointwise(args, (...as) => method(L, obj, name, as, kwargs, site));
    if (obj.s === 'val') return own(VAL_METHODS, name)?.(L, obj.v, args, kwargs, site, name) ?? L.opaque(`method:${name}`, `.${name}() on an event value is not supported`, site);
    if (obj.s === 'const') return constMethod(L, obj, name, args, site);
    if (obj.s === 'dict' && name === 'get' && args[0]?.s === 'const' && args.length <= 2 && kwargs.size === 0) {
      // its keys are all str: a key of another type is none of them (1, None), a list or dict raises TypeError
      const k = args[0].v;
      if (k !== null && typeof k === 'object') return L.opaque('method:get', '.get() of a dict with an unhashable key (raises TypeError)', site);
      const hit = typeof k === 'string' ? obj.entries.find(([key]) => key === k) : undefined;
      return hit ? hit[1] : (args[1] ?? NONE);
    }
    // (dict.get takes no keyword arguments)
    if (obj.s === 'kdict' && name === 'get' && args[0] && args.length <= 2 && kwargs.size === 0) return kdictItem(L, obj, args[0], args[1] ?? NONE, site);
    if (obj.s === 'func' && name === '__call__') return L.apply(obj, args, kwargs, site);
    // set(x).intersection(CONST): any iterable argument
    if (isSetOf(obj) && name === 'intersection' && args.length === 1 && args[0]?.s === 'const' && Array.isArray(args[0].v)) {
      const r = intersect(L, args[0].v, obj, site, (x, y) => L.truth(cmp(L, '==', x, y, site), site));
      if (r) return r;
    }
    return L.opaque(`method:${name}`, `.${name}() on ${obj.s === 'dict' ? 'a dict' : obj.s === 'seq' ? 'a list' : 'this value'} is not supported`, site);
  });
}

// --- methods of event values --------------------------------------------------------------------
/** A method of an event value, or null when the lifter does not model this use of it. */
type ValMethod = (L: Lifter, v: Val, args: SV[], kwargs: Map<string, SV>, site: Site, name: string) => SV | null;

const lit = (x: SV | undefined): Val | undefined => (x && x.s === 'const' ? { k: 'lit', v: x.v } : undefined);
const allStrings = (args: SV[]): boolean => args.every((x) => x.s === 'const' && typeof x.v === 'string');

const caseFold: ValMethod = (_L, v, _args, _kw, _site, name) => val({ k: 'fn', fn: name as 'lower', args: [v] });

const strip: ValMethod = (_L, v, [a], _kw, _site, name) => {
  if (a && a.s !== 'const') return null;
  return val({ k: 'fn', fn: name as 'strip', args: a ? [v, lit(a) as Val] : [v] });
};

const affix: ValMethod = (L, v, [a], _kw, site, name) => {
  const rel = name as 'startswith' | 'endswith';
  if (!a) return null;
  const pats = a.s === 'const' ? (typeof a.v === 'string' ? [a.v] : Array.isArray(a.v) && a.v.every((x) => typeof x === 'string') ? (a.v as string[]) : null) : null;
  const av = L.asVal(a);
  if (!pats && av && a.s === 'val') return pred({ k: 'rel', rel, value: v, other: av, span: site });
  if (!pats) return L.opaque('startswith', `.${name}() with a computed argument`, site);
  if (pats.length === 0) return cst(false);
  return pred(or(...pats.map((p) => ({ k: 'match', kind: rel, value: v, pattern: p, span: site }) as Pred)));
};

const VAL_METHODS: Record<string, ValMethod> = {
  get: (L, v, [a, b], kwargs, site) => {
    if (a?.s !== 'const' || typeof a.v !== 'string') return L.opaque('get', '.get() with a computed key', site);
    const dflt = b ?? kwargs.get('default');
    if (dflt && dflt.s !== 'const') return L.opaque('get', '.get() with a computed default', site);
    const d = lit(dflt);
    return val({ k: 'get', obj: v, key: a.v, ...(d && !(d.k === 'lit' && d.v === null) ? { default: d } : {}) });
  },
  deep_get: (L, v, args, kwargs, site) => {
    const dflt = kwargs.get('default');
    if (dflt && dflt.s !== 'const') return L.opaque('get', 'deep_get() with a computed default', site);
    if (!allStrings(args)) return L.opaque('get', 'deep_get() with computed keys', site);
    let cur: Val = v;
    for (const k of args) cur = { k: 'get', obj: cur, key: (k as { v: string }).v, deep: true };
    const d = lit(dflt);
    if (d && !(d.k === 'lit' && d.v === null) && cur.k === 'get') cur = { ...cur, default: d };
    return val(cur);
  },
  udm: (L, v, args, kwargs, site) => {
    const [a] = args;
    if (v.k !== 'event' || !a || a.s !== 'const' || typeof a.v !== 'string' || !allStrings(args)) return L.opaque('udm', 'event.udm() with a computed name', site);
    const r = L.udm(a.v);
    if (!r) return L.opaque('udm', `event.udm("${a.v}"): no data model for this log type in a data_models/ folder up to the repository root: name the folder holding it with --data-models DIR`, site);
    if ('missing' in r) return L.opaque('udm', r.missing, site);
    let cur: SV;
    if ('path' in r) {
      let x: Val = { k: 'event' };
      for (const seg of r.path) x = { k: 'get', obj: x, key: seg, deep: true };
      cur = val(x);
    } else cur = L.apply(L.global(r.method, r.mod, site), [val({ k: 'event' })], new Map(), site);
    for (const k of args.slice(1)) cur = method(L, cur, 'deep_get_step', [k], new Map(), site);
    const dflt = kwargs.get('default');
    if (dflt) cur = ite(L.truth(compare(L, 'is', cur, NONE, site), site), dflt, cur);
    return cur;
  },
  /** One step of a udm() path (a key after the data model's name). */
  deep_get_step: (_L, v, [a]) => (a?.s === 'const' && typeof a.v === 'string' ? val({ k: 'get', obj: v, key: a.v, deep: true }) : null),
  deep_walk: (L, v, args, kwargs, site) => {
    const dflt = kwargs.get('default') ?? NONE;
    const rv = kwargs.get('return_val') ?? cst('all');
    if (!allStrings(args) || dflt.s !== 'const' || rv.s !== 'const') return L.opaque('deep_walk', 'event.deep_walk() with computed arguments', site);
    const keys = args.map((x) => (x as { v: string }).v);
    return val({ k: 'fn', fn: 'deep_walk', args: [v, { k: 'lit', v: keys }, { k: 'lit', v: dflt.v }, { k: 'lit', v: rv.v }] });
  },
  lower: caseFold,
  upper: caseFold,
  casefold: caseFold,
  strip,
  lstrip: strip,
  rstrip: strip,
  startswith: affix,
  endswith: affix,
  rsplit: (_L, v, [a, b]) => {
    if ((a && a.s !== 'const') || (b && b.s !== 'const')) return null;
    return val({ k: 'fn', fn: 'rsplit', args: [v, ...(a ? [lit(a) as Val] : [{ k: 'lit', v: null } as Val]), ...(b ? [lit(b) as Val] : [])] });
  },
  split: (_L, v, [a, b]) => {
    if ((a && a.s !== 'const') || (b && b.s !== 'const')) return null;
    return val({ k: 'fn', fn: 'split', args: [v, ...(a ? [lit(a) as Val] : []), ...(b ? [lit(b) as Val] : [])] });
  },
  replace: (_L, v, [a, b]) => (a?.s !== 'const' || b?.s !== 'const' ? null : val({ k: 'fn', fn: 'replace', args: [v, lit(a) as Val, lit(b) as Val] })),
};

// --- methods of constants -------------------------------------------------------------------------
/** A str method on a constant with constant arguments (`av` the first one's value), or null when not folded. */
type StrMethod = (o: string, av: Json | undefined, b: SV | undefined, name: string) => SV | null;

const affixConst: StrMethod = (o, av, _b, name) => {
  const ps = typeof av === 'string' ? [av] : Array.isArray(av) ? (av as string[]) : [];
  return cst(ps.some((p) => (name === 'startswith' ? o.startsWith(p) : o.endsWith(p))));
};

const STR_METHODS: Record<string, StrMethod> = {
  lower: (o) => cst(o.toLowerCase()),
  casefold: (o) => cst(casefold(o)),
  upper: (o) => cst(o.toUpperCase()),
  strip: (o, av) => cst(av ? o.replace(new RegExp(`^[${escClass(String(av))}]+|[${escClass(String(av))}]+$`, 'g'), '') : o.trim()),
  startswith: affixConst,
  endswith: affixConst,
  split: (o, av) => cst(av === undefined || av === null ? o.split(/\s+/).filter(Boolean) : o.split(String(av)), 'list'),
  replace: (o, av, b) => cst(o.split(String(av)).join(String(b?.s === 'const' ? b.v : ''))),
  join: (o, av) => (Array.isArray(av) ? cst(av.map((x) => pyStr(x)).join(o)) : null),
};

/**
 * Methods of str, dict and list that None, bool, int and float do not have: reading one of them from such a
 * constant raises AttributeError (`x.lower()` where a helper returned None).
 */
const NOT_ON_SCALARS = new Set([
  ...['lower', 'upper', 'casefold', 'strip', 'lstrip', 'rstrip', 'split', 'rsplit', 'splitlines', 'startswith', 'endswith', 'replace', 'join'],
  ...['find', 'rfind', 'index', 'count', 'encode', 'format', 'partition', 'rpartition', 'title', 'capitalize', 'isdigit', 'isalpha', 'isalnum'],
  ...['get', 'keys', 'values', 'items', 'append', 'extend', 'add', 'update', 'pop', 'deep_get', 'deep_walk', 'udm'],
]);

function constMethod(L: Lifter, obj: SVOf<'const'>, name: string, args: SV[], site: Site): SV {
  const o = obj.v;
  const [a, b] = args;
  // None.lower(): AttributeError, which ends rule() (no alert) or goes to the handler of a try around it;
  // the value after it is never read
  if ((o === null || typeof o !== 'object') && typeof o !== 'string' && NOT_ON_SCALARS.has(name) && raises(L, [{ when: TRUE, kind: 'attribute' }])) return NONE;
  if (typeof o === 'string') {
    if (args.every((x) => x.s === 'const')) {
      const folded = own(STR_METHODS, name)?.(o, a?.s === 'const' ? a.v : undefined, b, name);
      if (folded) return folded;
    }
    if ((name === 'startswith' || name === 'endswith') && a?.s === 'val' && args.length === 1) {
      return pred({ k: 'rel', rel: name, value: { k: 'lit', v: o }, other: a.v, span: site });
    }
    if (name === 'join' && a?.s === 'seq') {
      const vals = a.items.map((x) => L.asVal(x));
      if (vals.every((x) => x)) {
        const parts: Val[] = [];
        vals.forEach((x, i) => {
          if (i > 0 && o !== '') parts.push({ k: 'lit', v: o });
          parts.push(x as Val);
        });
        return val({ k: 'fn', fn: 'concat', args: parts });
      }
    }
  }
  if (isMapping(o) && name === 'get') {
    if (a?.s === 'const' && typeof a.v === 'string') {
      return Object.hasOwn(o, a.v) ? dictItem(o, a.v) : (b ?? NONE);
    }
    if (a?.s === 'val' || a?.s === 'ite') return dictLookup(L, o, a, b ?? NONE, site);
  }
  if (isMapping(o) && (name === 'keys' || name === 'values' || name === 'items')) {
    // a dict's keys view is set-like: `x in D.keys()` hashes x (TypeError for a list or dict), and
    // it equals no list; its str() is `dict_keys([...])` (a set's str() is not folded either)
    if (name === 'keys') return cst(Object.keys(o), 'set');
    if (name === 'values') return cst(Object.values(o), 'list');
    return cst(Object.entries(o).map(([k, v]) => [k, v]), 'list');
  }
  // CONST_SET.intersection(set(x))
  if (Array.isArray(o) && obj.kind === 'set' && name === 'intersection' && args.length === 1 && a && isSetOf(a)) {
    const r = intersect(L, o, a, site, (x, y) => L.truth(cmp(L, '==', x, y, site), site));
    if (r) return r;
  }
  if (Array.isArray(o) && name === 'index' && a?.s === 'const') {
    const i = o.findIndex((x) => pyEq(x, a.v));
    if (i >= 0) return cst(i);
  }
  return L.opaque(`method:${name}`, `.${name}() on a constant is not supported`, site);
}

/**
 * CONST_DICT.get(field, default): a conditional over the dict's keys. dict.get hashes its key first: a
 * list or object read from the event (unhashable in Panther's wrappers) raises TypeError whatever the
 * keys are, where a chain of equalities would be false and give the default. So a key that may be a
 * container is tested against each key as `k in (key,)` hashed, and the default is guarded by
 * `k in D` (hashed), as kdictItem does (operators.ts); a key that is hashable by construction
 * (hashableVal: str(x), x.lower(), a constant) keeps the equalities.
 */
function dictLookup(L: Lifter, o: { [k: string]: Json }, key: SV, dflt: SV, site: Site): SV {
  const entries = Object.entries(o);
  if (entries.length > 200) return L.opaque('dict-lookup', 'constant dict lookup with more than 200 keys', site);
  const member = compare(L, 'in', key, cst(o, 'dict'), site);
  const test = (k: string): Pred =>
    L.truth(
      L.pointwise([key], (x) => (x.s === 'val' && !hashableVal(x.v) ? pred({ k: 'in', value: x.v, list: [k], hashed: true, span: site }) : cmp(L, '==', x, cst(k), site))),
      site,
    );
  // an empty dict gives the default, after hashing the key: a list or object raises TypeError (flow.ts raises)
  const unhashable = (v: Val): Pred => or({ k: 'istype', value: v, type: 'list', span: site }, { k: 'istype', value: v, type: 'dict', span: site });
  if (entries.length === 0) {
    return L.pointwise([key], (x) =>
      x.s === 'val' && !hashableVal(x.v) && !raises(L, [{ when: unhashable(x.v), kind: 'type' }]) ? L.opaque('dict-lookup', 'an empty dict looked up by an event value (TypeError where it is unhashable)', site) : dflt,
    );
  }
  // on a path where `key in D` is known (`if key in D: ... D.get(key)`), the default is never given
  // (and the key was hashed already): the last key's value is the remaining choice, as D[key] reads
  // there (operators.ts index)
  const known = member.s === 'pred' && L.known(member.p) === true;
  // a key that is hashable by construction: the default is the last arm of the equalities
  const hashable = key.s === 'val' && hashableVal(key.v);
  let last = entries.length - 1;
  let out: SV = known || !hashable ? dictItem(o, (entries[last--] as [string, Json])[0]) : dflt;
  for (let i = last; i >= 0; i--) {
    const [k] = entries[i] as [string, Json];
    out = ite(test(k), dictItem(o, k), out);
  }
  if (known || hashable) return out;
  // elsewhere the last key is tested too: `key in D` (hashed) raises for a container before any arm
  return ite(L.truth(member, site), out, dflt);
}

/** Escape a str.strip() argument for a regex character class. */
function escClass(s: string): string {
  return s.replace(/[\]\\^-]/g, '\\$&');
}
