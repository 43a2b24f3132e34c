/**
 * set() of a value read from the event, and what the lifter reads of such a set: membership, emptiness,
 * the intersection with a constant set, equality of two of them.
 *
 * `set(x)` iterates x (a str gives its characters, a Mapping its keys) and hashes every item: where x is
 * not iterable (None, a number, a bool) or holds a list or an object (Panther's ImmutableList and
 * ImmutableCaseInsensitiveDict are unhashable), it raises TypeError, which ends rule() with no alert or
 * goes to the handler of a try around it (flow.ts raises). Elsewhere it is the items of x: the lifter
 * holds it as a comprehension over x (a `map` marked `set`), so `v in set(x)`, `bool(set(x))` and
 * `len(set(x)) > 0` are quantifiers over x; `CONST & set(x)` (or `.intersection`) is a filtered
 * sequence of CONST's items, each present where x holds it; `set(x) == set(y)` is each holding every
 * item of the other. Hash equality is Python equality for the hashable JSON values (1 == 1.0 == True).
 */
import type { Json, Pred, Val } from '../../ast/types.js';
import { and, not, or, TRUE } from '../../ast/normalize.js';
import type { Lifter } from '../lift.js';
import { item, type Site, type SV, type SVOf } from '../values.js';
import { raises } from './flow.js';
import { someItem } from './loops.js';

const istype = (value: Val, type: 'list' | 'str' | 'dict', span: Site): Pred => ({ k: 'istype', value, type, span });

/** set(x) of an event value (null where its TypeError cannot be placed: inside a loop or quantifier, an output function). */
export function setOf(L: Lifter, x: Val, site: Site): SV | null {
  if (L.quantLevel > 0) return null;
  const level = L.quantLevel;
  const elem: Val = { k: 'elem', depth: level };
  const iterable = or(istype(x, 'list', site), istype(x, 'str', site), istype(x, 'dict', site));
  const unhashable: Pred = { k: 'quant', q: 'any', list: x, pred: or(istype(elem, 'list', site), istype(elem, 'dict', site)), span: site };
  if (!raises(L, [{ when: not(iterable), kind: 'type' }, { when: and(iterable, unhashable), kind: 'type' }])) return null;
  return { s: 'map', list: x, guard: TRUE, elt: { s: 'val', v: elem }, cond: TRUE, level, span: site, set: true };
}

/** Is this a set made by setOf? */
export const isSetOf = (v: SV): v is SVOf<'map'> => v.s === 'map' && v.set === true && v.guard.k === 'const' && v.cond.k === 'const';

/**
 * A constant set's items that set(x) also holds (`CONST & set(x)`, `CONST.intersection(set(x))`,
 * `set(x).intersection(CONST)`): each present where x holds it. Null where not expressible here.
 */
export function intersect(L: Lifter, items: Json[], s: SVOf<'map'>, site: Site, cmpEq: (a: SV, b: SV) => Pred): SV | null {
  if (items.some((x) => x !== null && typeof x === 'object')) return null;
  const out: { c: Pred; v: SV }[] = [];
  for (const x of items) {
    const p = someItem(L, s, (it) => cmpEq(it, item(x)));
    if (p === null) return null;
    out.push({ c: p, v: item(x) });
  }
  return { s: 'fseq', items: out, span: site, set: true };
}

/** `set(x) == set(y)`: every item of each is in the other (null where not expressible here). */
export function setsEqual(L: Lifter, a: SVOf<'map'>, b: SVOf<'map'>, site: Site): Pred | null {
  const level = L.quantLevel;
  if (a.level !== level || b.level !== level) return null;
  const within = (outer: Val, other: Val): Pred => ({
    k: 'quant',
    q: 'all',
    list: outer,
    pred: { k: 'quant', q: 'any', list: other, pred: { k: 'cmp', op: 'eq', left: { k: 'elem', depth: level + 1 }, right: { k: 'elem', depth: level }, span: site }, span: site },
    span: site,
  });
  return and(within(a.list, b.list), within(b.list, a.list));
}
