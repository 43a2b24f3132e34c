/**
 * Unit propagation over a rule's top-level conjunction: where `and(u, ..., x)` holds, each unit u (an
 * atom, or a negated atom) is true, so inside the other conjuncts u reads as a constant. Sound for the
 * rule's own condition, raises included: the rule alerts only where every conjunct is true without
 * raising, and there u is true, so x and x with u replaced agree. Used on rule()'s condition when it
 * raises outside a try (pipeline.ts ruleCondition): `not(path and raised)` repeats the path the value
 * already tests, and the value repeats the validity the raise already required.
 */
import type { Pred } from '../../ast/types.js';
import { predId, simplify } from '../../ast/normalize.js';

/** An atom or a quantifier (at the top level a quantifier reads no element of an enclosing one). */
const isAtom = (p: Pred): boolean => p.k !== 'and' && p.k !== 'or' && p.k !== 'not' && p.k !== 'const' && p.k !== 'opaque';

/** `p` with the units of its top-level conjunction substituted in its other conjuncts, to a fixpoint (a few rounds). */
export function propagateUnits(p: Pred): Pred {
  p = simplify({ k: 'and', args: conjuncts(p) });
  for (let round = 0; round < 8 && p.k === 'and'; round++) {
    const units = new Map<number, boolean>();
    const isUnit = (a: Pred): boolean => isAtom(a) || (a.k === 'not' && isAtom(a.arg));
    // `a != b` is `not (a == b)` (equality never raises): either form of a unit is known
    const unit = (a: Pred, v: boolean): void => {
      units.set(predId(a), v);
      if (a.k === 'cmp' && (a.op === 'eq' || a.op === 'ne')) units.set(predId({ ...a, op: a.op === 'eq' ? 'ne' : 'eq' }), !v);
    };
    for (const a of p.args) {
      if (a.k === 'not' && isAtom(a.arg)) unit(a.arg, false);
      else if (isAtom(a)) unit(a, true);
    }
    if (units.size === 0) return p;
    let changed = false;
    const args = p.args.map((a) => {
      if (isUnit(a)) return a;
      const b = substitute(a, units);
      if (predId(b) === predId(a)) return a;
      changed = true;
      return b;
    });
    if (!changed) return p;
    p = simplify({ k: 'and', args: args.flatMap(conjuncts) });
  }
  return p;
}

/** The conjuncts of `p`, negations pushed through (`not(or(a, b))` is `not a`, `not b`). */
function conjuncts(p: Pred): Pred[] {
  if (p.k === 'and') return p.args.flatMap(conjuncts);
  if (p.k === 'not' && p.arg.k === 'not') return conjuncts(p.arg.arg);
  if (p.k === 'not' && p.arg.k === 'or') return p.arg.args.flatMap((a) => conjuncts(simplify({ k: 'not', arg: a })));
  return [p];
}

/** `p` with each node that is a unit replaced by its value, the connectives above re-simplified (each shared node once). */
function substitute(p: Pred, units: Map<number, boolean>): Pred {
  const memo = new Map<Pred, Pred>();
  const walk = (q: Pred): Pred => {
    const hit = memo.get(q);
    if (hit) return hit;
    const u = units.get(predId(q));
    let out: Pred;
    if (u !== undefined) out = { k: 'const', v: u };
    else if (q.k === 'and' || q.k === 'or') out = simplify({ k: q.k, args: q.args.map(walk) });
    else if (q.k === 'not') out = simplify({ k: 'not', arg: walk(q.arg) });
    else out = q;
    memo.set(q, out);
    return out;
  };
  return walk(p);
}
