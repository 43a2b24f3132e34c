/**
 * Negation normal form of a rule condition, as every target printer sees it.
 *
 * `not` is pushed down to the atoms (De Morgan; `not any(p)` = `all(not p)`), opaque nodes become
 * the constant the normaliser chose (`assume`), and constants are folded away. Because the result is
 * monotone in its literals, replacing any literal by `true` yields a superset of the rule: that is how
 * a target drops a piece it cannot express (and reports the widening).
 */
import type { Pred, Span, Val } from '../../ast/types.js';
import { conjuncts } from '../../ast/view.js';
import { predId } from '../../ast/normalize.js';
import { foldJunction } from './fold.js';

/** A predicate that is neither boolean structure nor a quantifier nor opaque. */
export type Atom = Extract<Pred, { k: 'cmp' | 'in' | 'match' | 'has' | 'exists' | 'truthy' | 'cidr' | 'istype' | 'valid' | 'rel' }>;

/** The value an atom reads (the left side of a comparison). */
export function atomValue(a: Atom): Val {
  return a.k === 'cmp' ? a.left : a.value;
}

/** The atom with another value read (the one `atomValue` gives). */
export function withAtomValue(a: Atom, v: Val): Atom {
  return a.k === 'cmp' ? { ...a, left: v } : ({ ...a, value: v } as Atom);
}

export type Nnf =
  | { k: 'const'; v: boolean }
  | { k: 'and'; args: Nnf[] }
  | { k: 'or'; args: Nnf[] }
  | {
      k: 'lit';
      atom: Atom;
      neg: boolean;
      /**
       * The literal stands for `isinstance(value, str) and atom` (negated: `not (...)`): the
       * `isinstance` guard of its conjunction was dropped (guards.ts). On a value that is not a
       * string its Python value is `neg`, never an error.
       */
      strGuard?: true;
    }
  | { k: 'quant'; q: 'any' | 'all'; list: Val; body: Nnf; span?: Span };

export function toNnf(p: Pred, neg = false): Nnf {
  switch (p.k) {
    case 'const':
      return { k: 'const', v: neg ? !p.v : p.v };
    case 'opaque': {
      // normalize decided `assume` by polarity; without it, the superset choice at this polarity is true
      const v = p.assume ?? !neg;
      return { k: 'const', v: neg ? !v : v };
    }
    case 'not':
      return toNnf(p.arg, !neg);
    case 'and':
    case 'or': {
      const k = (p.k === 'and') !== neg ? 'and' : 'or';
      return simplify({ k, args: p.args.map((a) => toNnf(a, neg)) });
    }
    case 'quant': {
      const q = neg ? (p.q === 'any' ? 'all' : 'any') : p.q;
      return { k: 'quant', q, list: p.list, body: simplify(toNnf(p.pred, neg)), ...(p.span ? { span: p.span } : {}) };
    }
    case 'cmp':
      // `x != v` is `not (x == v)` for every value Python can see: one atom, two polarities
      if (p.op === 'ne') return { k: 'lit', atom: { ...p, op: 'eq' }, neg: !neg };
      return { k: 'lit', atom: p, neg };
    default:
      return { k: 'lit', atom: p, neg };
  }
}

/** Structural identity of an atom (cached per object, see predId). */
const atomKey = (a: Atom): number => predId(a);

/**
 * Contextual simplification: inside an `and`, each literal sibling is known true while the
 * others are simplified (inside an `or`, known false). Removes the contradictory branches that
 * if/else lifting produces (`a and b or (not a or not b) and a and b` → `a and b`). Exact for the
 * two-valued targets; a quantifier body is simplified on its own (its element scope differs).
 */
export function contextSimplify(n: Nnf, known: ReadonlyMap<number, boolean> = new Map()): Nnf {
  return ctxSimp(n, new Map(known));
}

/**
 * contextSimplify with one context map for the whole walk: a child sees its literal siblings added to
 * `known` for its own walk and removed after it (each entry restored as it was), where a copy of `known` per
 * child cost a copy of every ancestor's context (a quarter of the allocation of simplifying a large condition).
 * The child sees the same entries, in the same overriding order, and the same `size`, so the same result and
 * the same budget spent.
 */
const undo: (number | boolean | undefined)[] = [];

function ctxSimp(n: Nnf, known: Map<number, boolean>): Nnf {
  // every rewrite here is an equivalence: past the budget the rest is left as it is (still exact)
  if (contextWork <= 0) return n;
  contextWork--;
  switch (n.k) {
    case 'lit': {
      const v = known.get(atomKey(n.atom));
      return v === undefined ? n : { k: 'const', v: n.neg ? !v : v };
    }
    case 'and':
    case 'or': {
      // nodes that come back unchanged are the same object: change is detected by identity
      const args = [...n.args];
      let any = false;
      for (let pass = 0; pass < 3; pass++) {
        let changed = false;
        const lits = args.map((a) => (a.k === 'lit' ? atomKey(a.atom) : -1));
        for (let i = 0; i < args.length; i++) {
          if (known.size === 0 && args[i]!.k === 'lit' && !args.some((a, j) => j !== i && a.k === 'lit')) continue;
          contextWork -= args.length + known.size;
          // the entries this child's context adds or overrides, with what they were (undefined: absent), on
          // the undo stack above the entries of the walks this one is inside
          const base = undo.length;
          for (let j = 0; j < args.length; j++) {
            const a = args[j]!;
            if (j === i || a.k !== 'lit') continue;
            // and: a literal sibling holds; or: it failed (else this branch would not matter)
            const key = lits[j]!;
            undo.push(key, known.get(key));
            known.set(key, n.k === 'and' ? !a.neg : a.neg);
          }
          let next: Nnf;
          try {
            next = ctxSimp(args[i]!, known);
          } finally {
            for (let s = undo.length - 2; s >= base; s -= 2) {
              const key = undo[s] as number;
              const was = undo[s + 1] as boolean | undefined;
              if (was === undefined) known.delete(key);
              else known.set(key, was);
            }
            undo.length = base;
          }
          if (next !== args[i]) {
            args[i] = next;
            changed = true;
            any = true;
          }
        }
        if (!changed) break;
        const s = simplify({ k: n.k, args });
        if (s.k !== n.k) return s.k === 'const' ? s : ctxSimp(s, known);
        args.splice(0, args.length, ...s.args);
      }
      return any ? simplify({ k: n.k, args }) : n;
    }
    case 'quant': {
      // the body reads its own element: simplify it on its own
      const body = ctxSimp(n.body, new Map());
      return body === n.body ? n : { ...n, body };
    }
    default:
      return n;
  }
}

/**
 * NNF of a rule condition with the indicators first and the exclusions (top-level `not` conjuncts,
 * as `splitExclusions` sees them) after: the order a reader of the generated query expects.
 */
export function conditionNnf(p: Pred): Nnf {
  const cs = conjuncts(p);
  const ordered = [...cs.filter((c) => c.k !== 'not'), ...cs.filter((c) => c.k === 'not')];
  const saved = contextWork;
  contextWork = CONTEXT_WORK;
  try {
    return contextSimplify(simplify(toNnf(ordered.length === 1 ? ordered[0]! : { k: 'and', args: ordered })));
  } finally {
    contextWork = saved;
  }
}

/**
 * The work contextSimplify may do on one condition (visits plus context entries copied): its passes
 * re-simplify nested junctions, which grows with the nesting depth; a deeply nested if/elif chain would
 * run for minutes. Far above what any rule of the panther-analysis corpus needs (their outputs are unchanged).
 */
const CONTEXT_WORK = 2_000_000;
let contextWork = Infinity;

/** Fold constants and flatten nested and/or of the same kind (`foldJunction`). */
export function simplify(n: Nnf): Nnf {
  if (n.k === 'quant') return { ...n, body: simplify(n.body) };
  if (n.k !== 'and' && n.k !== 'or') return n;
  return foldJunction(n.k, n.args, simplify);
}

/** Replace literals by the result of `f` (a new subtree), then fold constants. */
export function mapLits(n: Nnf, f: (lit: Extract<Nnf, { k: 'lit' }>) => Nnf): Nnf {
  switch (n.k) {
    case 'lit':
      return f(n);
    case 'and':
    case 'or':
      return simplify({ k: n.k, args: n.args.map((a) => mapLits(a, f)) });
    case 'quant':
      return simplify({ ...n, body: mapLits(n.body, f) });
    default:
      return n;
  }
}
