/**
 * Panther's `deep_walk(event, k1, ..., kn, default=d)` read as the field at k1...kn, where no list lies on
 * the path: deep_walk walks mappings as deep_get does (`obj.get(key)`, the default where a key is missing
 * or None, and where a step meets a value that is neither a mapping nor a list), and differs only where it
 * meets a list (it walks every element and collects the distinct values) or ends on a list holding no
 * element other than empty lists (the default). So where the mapping states no type on the path other than
 * a mapping before its last key (and no list at it), the rule's tests hold no list at any of its prefixes,
 * and some test reaches its end, `deep_walk(...)` is the path read with `deep_get`'s semantics (a `get`
 * chain with `deep`, the default on its last step), which Logs Insights, Sigma and KQL address as a field. `return_val` only chooses among collected values, so it does
 * not matter there. The default must be a scalar or None (a list or mapping default is no field's value).
 */
import type { Json, Val } from '../../ast/types.js';
import type { PathSeg } from '../../ast/view.js';
import type { FieldResolver } from '../common/fields.js';
import type { Nnf } from './nnf.js';

/** `deep_walk(event, [k1, ..., kn], default)` with literal string keys: the keys and the default argument, or null. */
export function walkCall(v: Val): { keys: string[]; defV: Val | undefined } | null {
  if (v.k !== 'fn' || v.fn !== 'deep_walk' || v.args.length < 2) return null;
  const [obj, keysV, defV] = v.args as [Val, Val, Val | undefined];
  if (obj.k !== 'event' || keysV.k !== 'lit' || !Array.isArray(keysV.v) || keysV.v.length === 0) return null;
  const keys = keysV.v as Json[];
  if (!keys.every((k): k is string => typeof k === 'string')) return null;
  return { keys, defV };
}

/** The `get` chain a `deep_walk` of the event is, or null. */
export function walkAsGet(v: Val, res: FieldResolver): Val | null {
  const call = walkCall(v);
  if (!call) return null;
  const { keys, defV } = call;
  if (defV && defV.k !== 'lit') return null;
  const d: Json = defV ? defV.v : null;
  if (d !== null && typeof d === 'object') return null;
  for (let i = 1; i <= keys.length; i++) {
    const prefix: PathSeg[] = res.evidence.casing(keys.slice(0, i) as string[]);
    // a type the mapping states: a mapping before the last key, no list at it
    const stated = res.mapper.valueType?.(res.logType, prefix);
    if (stated !== undefined && (i < keys.length ? stated !== 'dict' : stated === 'list')) return null;
    const types = res.evidence.types(prefix);
    if (types.has('list')) return null;
    if (i === keys.length && [...types].every((t) => t === 'null')) return null;
  }
  let cur: Val = { k: 'event' };
  keys.forEach((key, i) => {
    cur = { k: 'get', obj: cur, key: key as string, deep: true, ...(i === keys.length - 1 && d !== null ? { default: { k: 'lit', v: d } } : {}) };
  });
  return cur;
}

/**
 * `deep_walk(event, k1, ..., kn)` (default None) ending on a list, with no list on the path before it, read as
 * the `get` chain to that list: deep_walk ends there returning the list itself, or its default (None) where
 * the list is empty or holds only empty lists. Only where the mapping types no key on the path otherwise (a
 * mapping before the last key, a list at it), the rule's
 * tests hold no list before the last key, and at it only lists (or null) whose elements are never lists (so
 * only an empty list reads None instead of []). The caller uses it only where [] and None give the same
 * answer: the truthiness of the value, and an any() over it among the condition's top-level conjuncts
 * (any([]) is False; iterating None raises, and a rule error is no alert).
 */
export function walkListAsGet(v: Val, res: FieldResolver): Val | null {
  const call = walkCall(v);
  if (!call) return null;
  const { keys, defV } = call;
  if (defV && !(defV.k === 'lit' && defV.v === null)) return null;
  for (let i = 1; i <= keys.length; i++) {
    const prefix: PathSeg[] = res.evidence.casing(keys.slice(0, i) as string[]);
    // a mapping before the last key, a list at it
    const stated = res.mapper.valueType?.(res.logType, prefix);
    if (stated !== undefined && stated !== (i < keys.length ? 'dict' : 'list')) return null;
    const types = res.evidence.types(prefix);
    if (i < keys.length && types.has('list')) return null;
    if (i === keys.length) {
      if (!types.has('list') || [...types].some((t) => t !== 'list' && t !== 'null')) return null;
      if (res.evidence.values(prefix).some((l) => Array.isArray(l) && l.some((e) => Array.isArray(e)))) return null;
    }
  }
  let cur: Val = { k: 'event' };
  for (const key of keys as string[]) cur = { k: 'get', obj: cur, key, deep: true };
  return cur;
}

/**
 * A `deep_walk` ending on a list (`walkListAsGet`) that the condition reads only as the list of a top-level
 * any() and as top-level truthiness tests, read as the `get` chain to the list there (where the list is empty
 * deep_walk reads None: any() over it raises, a rule error and no alert, as any([]) is False; both are
 * falsy). Any other deep_walk in the condition leaves it as it is. (Logs Insights and KQL.)
 */
export function walkLists(n: Nnf, res: FieldResolver): Nnf {
  const args = n.k === 'and' ? n.args : [n];
  // the lists of the top-level any()s, by the deep_walk they read
  const as = new Map<string, Val>();
  for (const a of args) {
    if (a.k !== 'quant' || a.q !== 'any') continue;
    const key = JSON.stringify(a.list);
    const g = as.has(key) ? undefined : walkListAsGet(a.list, res);
    if (g) as.set(key, g);
  }
  let uses = 0;
  const out = args.map((a): Nnf => {
    if (a.k === 'quant' && a.q === 'any') {
      const g = as.get(JSON.stringify(a.list));
      if (!g) return a;
      uses++;
      return { ...a, list: g };
    }
    // a truthiness test of such a list, before or after its any()
    if (a.k !== 'lit' || a.neg || a.strGuard || a.atom.k !== 'truthy') return a;
    const g = as.get(JSON.stringify(a.atom.value));
    if (!g) return a;
    uses++;
    return { ...a, atom: { ...a.atom, value: g } };
  });
  if (uses === 0) return n;
  // every deep_walk the condition reads must be one rewritten here
  const walks = JSON.stringify(n).split('"fn":"deep_walk"').length - 1;
  if (walks !== uses) return n;
  return n.k === 'and' ? { k: 'and', args: out } : out[0]!;
}
