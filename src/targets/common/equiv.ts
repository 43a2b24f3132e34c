/**
 * Do two conditions in negation normal form match the same events? Decided with a BDD over the values
 * of the fields they read, independently of the simplifier's own reasoning (ast/literal.ts): every
 * literal is evaluated by the evaluator (Panther's Python semantics, evaluate.ts) on representative
 * values of its field, so the relations between literals on one field (`x == "a"` implies `x in ("a",
 * "b")`, `"admin" in x` and `"administrator" in x`...) come from Python, not from the code under test.
 *
 * Each field read (a value expression) ranges over representative values: None, "", the constants
 * and patterns the literals name, their case variants, affixed and concatenated forms, numbers around
 * the numeric constants, booleans, empty and non-empty lists and dicts, JSON documents as strings; plus "raises" when evaluating
 * the field itself can raise (probed: `event.get("a").get("b")` on a string `a`). A literal holds where
 * its atom evaluates to its polarity. Tests no finite set of values decides (a regular expression, a
 * CIDR range, an ordering, a comparison between two fields) are free variables on non-empty strings,
 * with only "not both polarities". Quantifiers are free variables per list and body function (see `build`).
 *
 * Representatives are chosen to realise every combination of the literals' values that matters for
 * the rewrites the simplifier makes; a missing one could hide a difference, so the tests of the
 * simplifier also evaluate conditions exhaustively over small domains of events (test/simplify.test.ts).
 */
import { Bdd, BddLimit } from '../../ast/bdd.js';
import { evalPred, evalVal, PyError } from '../../ast/evaluate.js';
import { predId, valId } from '../../ast/normalize.js';
import type { Json, Pred, Val } from '../../ast/types.js';
import { pyCasefold } from '../../python/semantics.js';
import { atomValue, withAtomValue, type Atom, type Nnf } from './nnf.js';

export type Verdict =
  | { equal: true }
  | { equal: false; witness: { value: string; is: Json | 'raises' }[] }
  | { equal: 'unknown'; why: string };

type Lit = Extract<Nnf, { k: 'lit' }>;
const RAISES = Symbol('raises');
type Rep = Json | typeof RAISES;

/** Atom kinds whose truth on a non-empty string no finite set of strings decides ("" is always evaluated). */
function freeOnStrings(a: Atom): boolean {
  return (a.k === 'match' && (a.kind === 'regex' || a.kind === 'glob')) || a.k === 'cidr' || (a.k === 'cmp' && a.op !== 'eq' && a.op !== 'ne');
}

/** Atoms that read two computed values (no single field to range over). */
function hard(a: Atom): boolean {
  return a.k === 'rel' || (a.k === 'cmp' && a.right.k !== 'lit');
}

function literals(n: Nnf, out: Lit[] = []): Lit[] {
  if (n.k === 'lit') out.push(n);
  else if (n.k === 'and' || n.k === 'or') for (const a of n.args) literals(a, out);
  else if (n.k === 'quant') literals(n.body, out);
  return out;
}

const PROBES: Json[] = ['s', 1, null, [], ['s'], {}, { x: 1 }, true];

/**
 * Can evaluating `v` raise? Probed on events holding each kind of value along its path. A function of
 * one field (its other arguments constants, as `len(split(str(x), "/"))`) is probed the same way, on the
 * field's path, with the whole expression evaluated.
 */
export function probeRaises(v: Val): boolean {
  if (v.k !== 'fn') return probePath(v, v);
  const src = fieldUnder(v);
  return src ? probePath(src, v) : true;
}

/** The value a function of one field is computed from (its first argument, down through nested calls whose other arguments are constants), or null. */
function fieldUnder(v: Val): Val | null {
  let src: Val = v;
  while (src.k === 'fn') {
    const [first, ...rest]: Val[] = src.args;
    if (!first || rest.some((a) => a.k !== 'lit')) return null;
    src = first;
  }
  return src;
}

/**
 * The kind of value a function of one field gives wherever it does not raise ('list' for split(), 'str'
 * for str()...), probed like probeRaises by evaluating it on events holding each kind of value along the
 * field's path; null when the probes give several kinds (or the value is not such a function).
 */
export function probeKind(v: Val): 'list' | 'str' | null {
  const src = v.k === 'fn' ? fieldUnder(v) : null;
  if (!src) return null;
  const kinds = new Set<string>();
  probePath(src, v, (r) => kinds.add(Array.isArray(r) ? 'list' : typeof r === 'string' ? 'str' : 'other'));
  const [only] = kinds;
  return kinds.size === 1 && (only === 'list' || only === 'str') ? only : null;
}

/** Does evaluating `whole` raise on some event holding each kind of value along the path of `v`? (`seen`: each value it gives) */
function probePath(v: Val, whole: Val, seen?: (r: Json) => void): boolean {
  const steps: (string | number)[] = [];
  let cur: Val = v;
  while (cur.k === 'get' || cur.k === 'index') {
    steps.unshift(cur.k === 'get' ? cur.key : cur.index);
    if (cur.k === 'get' && cur.default && cur.default.k !== 'lit') return true;
    cur = cur.obj;
  }
  if (cur.k !== 'event' && cur.k !== 'elem') return cur.k !== 'lit';
  const root = cur;
  const build = (i: number, leaf: Json): Json => {
    if (i === 0) return leaf;
    // the containers along the path down to step i, holding `leaf` at step i
    let x: Json = leaf;
    for (let j = i - 1; j >= 0; j--) {
      const s = steps[j] as string | number;
      if (typeof s === 'number') {
        const arr: Json[] = Array.from({ length: Math.abs(s) + 1 }, () => null);
        arr[s < 0 ? arr.length + s : s] = x;
        x = arr;
      } else x = { [s]: x };
    }
    return x;
  };
  const tryOne = (ev: Json): boolean => {
    const elems: Json[] = [];
    let event: Json = {};
    if (root.k === 'elem') {
      for (let d = 0; d <= root.depth; d++) elems.push(d === root.depth ? ev : {});
    } else event = ev;
    try {
      const r = evalVal(whole, { event, elems });
      seen?.(r);
      return false;
    } catch (e) {
      if (e instanceof PyError) return true;
      throw e;
    }
  };
  // every probe runs when the values are wanted; otherwise the first that raises answers
  let raised = false;
  const one = (ev: Json): boolean => {
    raised = tryOne(ev) || raised;
    return raised && !seen;
  };
  if (root.k === 'event' ? one({}) : PROBES.some((p) => one(p))) return true;
  for (let i = 1; i <= steps.length; i++) for (const p of PROBES) if (one(root.k === 'event' && i === 0 ? {} : build(i, p))) return true;
  // a missing step: the path cut short at each depth
  for (let i = 1; i < steps.length; i++) if (one(build(i, {}))) return true;
  return raised;
}

/** Strings, numbers and other values a field's literals name. */
function pieces(lits: Lit[]): { strs: Set<string>; nums: Set<number> } {
  const strs = new Set<string>();
  const nums = new Set<number>();
  const add = (x: Json): void => {
    if (typeof x === 'string') strs.add(x);
    else if (typeof x === 'number' && Number.isFinite(x)) nums.add(x);
  };
  for (const l of lits) {
    const a = l.atom;
    if (a.k === 'cmp' && a.right.k === 'lit') add(a.right.v);
    else if (a.k === 'in') a.list.forEach(add);
    else if (a.k === 'match') add(a.pattern);
    else if (a.k === 'has') add(a.needle);
  }
  return { strs, nums };
}

const cap = (s: string): string => s.slice(0, 1).toUpperCase() + s.slice(1);

/**
 * Representative values of one field, given the literals that read it. `len(...)`, which Python only ever
 * makes a non-negative int, ranges over the non-negative integers around the literals' numbers; a
 * function the probes show giving lists only (`kind`, probeKind: split()), over lists of the literals' strings.
 */
export function representatives(lits: Lit[], raises: boolean, limit = 3000, length = false, kind: 'list' | 'str' | null = null): Rep[] {
  const { strs, nums } = pieces(lits);
  if (kind === 'list') {
    // the lists a split can give: empty pieces, the literals' strings as pieces, and others
    const lists: Json[] = [[], [''], ['z'], ['z', 'z'], ['', 'z', '']];
    for (const s of strs) lists.push([s], [s, 'z'], ['z', s]);
    const reps: Rep[] = lists.slice(0, limit);
    if (raises) reps.push(RAISES);
    return reps;
  }
  if (length) {
    const ints = new Set<number>([0, 1]);
    for (const n of nums) for (const v of [Math.floor(n) - 1, Math.floor(n), Math.ceil(n), Math.ceil(n) + 1]) if (v >= 0) ints.add(v);
    const reps: Rep[] = [...ints].sort((a, b) => a - b);
    if (raises) reps.push(RAISES);
    return reps;
  }
  const base = [...strs];
  const cased = new Set<string>();
  for (const s of base) for (const v of [s, s.toLowerCase(), s.toUpperCase(), cap(s), pyCasefold(s)]) cased.add(v);
  const P = [...cased];
  const out = new Map<string, Rep>();
  const put = (x: Json): void => {
    if (out.size < limit) out.set(JSON.stringify(x), x);
  };
  // JSON documents as strings, for json.loads validity tests
  for (const x of [null, '', 'z', 'Z', 0, 1, -1, 2.5, true, false, [], ['z'], [1], [null], {}, { z: 1 }, '{}', '1', '[]', '{"z": 1}'] as Json[]) put(x);
  for (const s of P) for (const v of [s, `z${s}`, `${s}z`, `z${s}z`, `Z${s}`]) put(v);
  for (const s of base) {
    put([s]);
    put({ [s]: 1 });
    put([s, 'z']);
  }
  for (const n of nums) for (const v of [n, n + 1, n - 1, n + 0.5, -n]) put(v);
  for (const n of nums) put([n]);
  if (P.length <= 24) for (const a of P) for (const b of P) for (const v of [a + b, `${a}z${b}`]) put(v);
  if (P.length <= 6) for (const a of P) for (const b of P) for (const c of P) put(a + b + c);
  const reps: Rep[] = [...out.values()];
  if (raises) reps.push(RAISES);
  return reps;
}

/** The atom with its value replaced by the constant `r`, evaluated: true, false, or raises. */
function evalOn(a: Atom, r: Json): boolean | 'raises' {
  const lit: Val = { k: 'lit', v: r };
  const p = withAtomValue(a, lit) as Pred;
  try {
    return evalPred(p, { event: {}, elems: [] });
  } catch (e) {
    if (e instanceof PyError) return 'raises';
    throw e;
  }
}

/** Are `a` and `b` the same condition? (Nodes past `maxNodes`: unknown.) */
export function equivalent(a: Nnf, b: Nnf, maxNodes = 1_000_000): Verdict {
  const bdd = new Bdd(maxNodes);
  try {
    const lits = [...literals(a), ...literals(b)];
    // fields: each value read by a literal that a constant can stand for
    const fields = new Map<number, { value: Val; lits: Lit[] }>();
    for (const l of lits) {
      if (hard(l.atom)) continue;
      const v = atomValue(l.atom);
      const id = valId(v);
      let f = fields.get(id);
      if (!f) fields.set(id, (f = { value: v, lits: [] }));
      f.lits.push(l);
    }
    let constraint = 1;
    const enc = new Map<number, { reps: Rep[]; bits: number[]; minterms: number[] }>();
    for (const [id, f] of fields) {
      const length = f.value.k === 'fn' && f.value.fn === 'len' && f.value.args.length === 1;
      const kind = length ? null : probeKind(f.value);
      const all = representatives(f.lits, probeRaises(f.value), undefined, length, kind);
      // a function giving strings only: its string representatives (and where it raises)
      const reps = kind === 'str' ? all.filter((r) => r === RAISES || typeof r === 'string') : all;
      const nbits = Math.max(1, Math.ceil(Math.log2(reps.length)));
      const bits = Array.from({ length: nbits }, () => bdd.newVar());
      const minterms = reps.map((_, i) => bdd.and(...bits.map((x, j) => ((i >> j) & 1 ? x : bdd.not(x)))));
      constraint = bdd.and(constraint, bdd.or(...minterms));
      enc.set(id, { reps, bits, minterms });
    }
    // free variables: per atom, its two polarities on strings (or everywhere, for a hard atom), never both
    const free = new Map<number, [number, number]>();
    const freeOf = (atom: Atom): [number, number] => {
      const id = predId(atom);
      let f = free.get(id);
      if (!f) {
        f = [bdd.newVar(), bdd.newVar()];
        free.set(id, f);
        constraint = bdd.and(constraint, bdd.not(bdd.and(f[0], f[1])));
      }
      return f;
    };
    const litMemo = new Map<string, number>();
    const litBdd = (l: Lit): number => {
      const key = `${predId(l.atom)}${l.neg ? '-' : '+'}${l.strGuard ? 's' : ''}`;
      const hit = litMemo.get(key);
      if (hit !== undefined) return hit;
      let out: number;
      if (hard(l.atom)) {
        const [p, n] = freeOf(l.atom);
        out = l.neg ? n : p;
      } else {
        const e = enc.get(valId(atomValue(l.atom))) as { reps: Rep[]; minterms: number[] };
        const parts: number[] = [];
        e.reps.forEach((r, i) => {
          if (r === RAISES) return;
          const isStr = typeof r === 'string';
          let v: number;
          if (l.strGuard && !isStr) v = l.neg ? 1 : 0;
          else if (isStr && r !== '' && freeOnStrings(l.atom)) {
            const [p, n] = freeOf(l.atom);
            v = l.neg ? n : p;
          } else {
            const res = evalOn(l.atom, r);
            v = res === (l.neg ? false : true) ? 1 : 0;
          }
          if (v !== 0) parts.push(bdd.and(e.minterms[i] as number, v));
        });
        out = bdd.or(...parts);
      }
      litMemo.set(key, out);
      return out;
    };
    /**
     * Each node is a pair of BDDs: where it holds and where it fails (neither: Python raises). A literal
     * fails where its opposite holds. Quantifiers over a list l are free variables of two families:
     * every(l, g), "every element satisfies g" (all(l, B) holds: every(l, holds(B)); any(l, P) fails:
     * every(l, fails(P))), and some(l, t, f), "an element satisfies t and none before it raises"
     * (any(l, P) holds: some(l, holds(P), fails(P)); all(l, B) fails: some(l, fails(B), holds(B))), with
     * some(l, t, f) and every(l, g) never both true where t and g are disjoint (given the constraints).
     */
    const every = new Map<string, { v: number; list: number; g: number }>();
    const some = new Map<string, { v: number; list: number; t: number }>();
    const everyVar = (list: number, g: number): number => {
      const key = `${list}|${g}`;
      let e = every.get(key);
      if (!e) every.set(key, (e = { v: bdd.newVar(), list, g }));
      return e.v;
    };
    const someVar = (list: number, t: number, f: number): number => {
      const key = `${list}|${t}|${f}`;
      let e = some.get(key);
      if (!e) some.set(key, (e = { v: bdd.newVar(), list, t }));
      return e.v;
    };
    const flip = (l: Lit): Lit => ({ ...l, neg: !l.neg });
    const build = (n: Nnf): [number, number] => {
      switch (n.k) {
        case 'const':
          return n.v ? [1, 0] : [0, 1];
        case 'lit':
          return [litBdd(n), litBdd(flip(n))];
        case 'and': {
          const xs = n.args.map(build);
          return [bdd.and(...xs.map((x) => x[0])), bdd.or(...xs.map((x) => x[1]))];
        }
        case 'or': {
          const xs = n.args.map(build);
          return [bdd.or(...xs.map((x) => x[0])), bdd.and(...xs.map((x) => x[1]))];
        }
        case 'quant': {
          const [t, f] = build(n.body);
          const list = valId(n.list);
          return n.q === 'any' ? [someVar(list, t, f), everyVar(list, f)] : [everyVar(list, t), someVar(list, f, t)];
        }
      }
    };
    const fa = build(a)[0];
    const fb = build(b)[0];
    // disjoint under what is known (a nested quantifier's exclusion makes its parent's bodies disjoint)
    const excluded = new Set<string>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const x of some.values())
        for (const y of every.values()) {
          const key = `${x.v}|${y.v}`;
          if (x.list !== y.list || excluded.has(key) || bdd.and(x.t, y.g, constraint) !== 0) continue;
          excluded.add(key);
          constraint = bdd.and(constraint, bdd.not(bdd.and(x.v, y.v)));
          changed = true;
        }
    }
    const diff = bdd.and(bdd.xor(fa, fb), constraint);
    if (diff === 0) return { equal: true };
    const sat = bdd.satisfy(diff) as Map<number, boolean>;
    const witness: { value: string; is: Json | 'raises' }[] = [];
    for (const [, f] of fields) {
      const e = enc.get(valId(f.value)) as { reps: Rep[]; bits: number[] };
      let i = 0;
      e.bits.forEach((x, j) => {
        if (sat.get(bdd.varIndex(x))) i |= 1 << j;
      });
      const r = e.reps[i];
      witness.push({ value: JSON.stringify(f.value), is: r === RAISES ? 'raises' : (r as Json) });
    }
    return { equal: false, witness };
  } catch (e) {
    if (e instanceof BddLimit) return { equal: 'unknown', why: e.message };
    throw e;
  }
}
