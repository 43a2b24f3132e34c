import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predId } from '../src/ast/normalize.js';
import { contextSimplify, simplify, type Atom, type Nnf } from '../src/targets/common/nnf.js';

// contextSimplify keeps one context map for its whole walk, adding a child's literal siblings for the child's
// walk and restoring them after it (perf): it must give what a fresh copy of the context per child gives.

/** The definition: each child simplified under a copy of the context plus its literal siblings. */
function reference(n: Nnf, known: ReadonlyMap<number, boolean> = new Map()): Nnf {
  switch (n.k) {
    case 'lit': {
      const v = known.get(predId(n.atom));
      return v === undefined ? n : { k: 'const', v: n.neg ? !v : v };
    }
    case 'and':
    case 'or': {
      const args = [...n.args];
      let any = false;
      for (let pass = 0; pass < 3; pass++) {
        let changed = false;
        const lits = args.map((a) => (a.k === 'lit' ? predId(a.atom) : -1));
        for (let i = 0; i < args.length; i++) {
          if (!args.some((a, j) => j !== i && a.k === 'lit') && known.size === 0 && args[i]!.k === 'lit') continue;
          const ctx = new Map(known);
          args.forEach((a, j) => {
            if (j !== i && a.k === 'lit') ctx.set(lits[j]!, n.k === 'and' ? !a.neg : a.neg);
          });
          const next = reference(args[i]!, ctx);
          if (next !== args[i]) {
            args[i] = next;
            changed = true;
            any = true;
          }
        }
        if (!changed) break;
        const s = simplify({ k: n.k, args });
        if (s.k !== n.k) return s.k === 'const' ? s : reference(s, known);
        args.splice(0, args.length, ...(s as { args: Nnf[] }).args);
      }
      return any ? simplify({ k: n.k, args }) : n;
    }
    case 'quant': {
      const body = reference(n.body);
      return body === n.body ? n : { ...n, body };
    }
    default:
      return n;
  }
}

const atoms: Atom[] = ['a', 'b', 'c', 'd'].map((f) => ({ k: 'cmp', op: 'eq', left: { k: 'get', obj: { k: 'event' }, key: f }, right: { k: 'lit', v: 'x' } }));

const nnf: fc.Arbitrary<Nnf> = fc.letrec<{ n: Nnf }>((tie) => ({
  n: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('lit' as const), atom: fc.constantFrom(...atoms), neg: fc.boolean() }),
    fc.record({ k: fc.constantFrom('and' as const, 'or' as const), args: fc.array(tie('n'), { minLength: 2, maxLength: 4 }) }),
  ),
})).n;

describe('contextSimplify', () => {
  it('gives what a copied context per child gives, and leaves the caller\'s context as it was', () => {
    fc.assert(
      fc.property(nnf, fc.array(fc.tuple(fc.constantFrom(...atoms), fc.boolean()), { maxLength: 2 }), (n, facts) => {
        const known = new Map(facts.map(([a, v]) => [predId(a), v]));
        const before = [...known];
        expect(contextSimplify(n, known)).toEqual(reference(n, known));
        expect([...known]).toEqual(before);
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('drops the branches its siblings contradict', () => {
    const [a, b] = atoms as [Atom, Atom];
    // a and (not a or b) is a and b
    const n: Nnf = { k: 'and', args: [{ k: 'lit', atom: a, neg: false }, { k: 'or', args: [{ k: 'lit', atom: a, neg: true }, { k: 'lit', atom: b, neg: false }] }] };
    expect(contextSimplify(n)).toEqual({ k: 'and', args: [{ k: 'lit', atom: a, neg: false }, { k: 'lit', atom: b, neg: false }] });
  });
});
