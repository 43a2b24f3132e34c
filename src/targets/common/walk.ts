/**
 * Panther's `deep_walk(event, k1, ..., kn, default=d)` read as the field at k1...kn, where no list lies on
 * the path: deep_walk walks mappings as deep_get does (`obj.get(key)`, the default where a key is missing
 * or None, and where a step meets a value that is neither a mapping nor a list), and differs only where it
 * meets a list (it walks every element and collects the distinct values) or ends on a list holding no
 * element other than empty lists (the default). So where the mapping states no type on the path and the
 * rule's tests hold no list at any of its prefixes, and some test reaches its end, `deep_walk(...)` is
 * the path read with `deep_get`'s semantics (a `get` chain with `deep`, the default on its last step),
 * which Logs Insights and Sigma address as a field. `return_val` only chooses among collected values, so it does
 * not matter there. The default must be a scalar or None (a list or mapping default is no field's value).
 */
import type { Json, Val } from '../../ast/types.js';
import type { PathSeg } from '../../ast/view.js';
import type { FieldResolver } from '../common/fields.js';

/** The `get` chain a `deep_walk` of the event is, or null. */
export function walkAsGet(v: Val, res: FieldResolver): Val | null {
  if (v.k !== 'fn' || v.fn !== 'deep_walk' || v.args.length < 2) return null;
  const [obj, keysV, defV] = v.args as [Val, Val, Val | undefined];
  if (obj.k !== 'event' || keysV.k !== 'lit' || !Array.isArray(keysV.v) || keysV.v.length === 0) return null;
  const keys = keysV.v as Json[];
  if (!keys.every((k): k is string => typeof k === 'string')) return null;
  if (defV && defV.k !== 'lit') return null;
  const d: Json = defV ? defV.v : null;
  if (d !== null && typeof d === 'object') return null;
  for (let i = 1; i <= keys.length; i++) {
    const prefix: PathSeg[] = res.evidence.casing(keys.slice(0, i) as string[]);
    if (res.mapper.valueType?.(res.logType, prefix) !== undefined) return null;
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
