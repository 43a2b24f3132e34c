/**
 * if/elif chains in linear time. A chain of n branches used to be lifted by nesting one if/else per elif:
 * every return of branch i carried its whole path condition (the negations of the i tests before it), each
 * rebuilt at every level (cubic), and the recursion was n levels deep. Here the chain is walked in one loop;
 * its returns become one decision tree over the branches' own tests (each test is stored once), with holes
 * where a branch does not return: the function's value fills them with what the statements after the chain
 * return. Falls, breaks and continues of the branches become one state each, guarded by a decision list.
 * The truth of a conditional value is taken the same way: one loop down its `else` spine, consecutive arms of
 * one constant truth folded into one and/or. Nothing here is an approximation: the result is the nested
 * if/else's, in linear size.
 */
import type { Json, Pred } from '../../ast/types.js';
import { not, simplify, TRUE, valId } from '../../ast/normalize.js';
import type { Expr, Stmt } from '../ast.js';
import { truthy as pyTruthy } from '../../ast/evaluate.js';
import type { Lifter } from '../lift.js';
import type { ModCtx } from '../module.js';
import { ite, itePred, NONE, siteOf, type Env, type Site, type SV, type SVOf } from '../values.js';
import { block, join, mergeStates, type Flow, type Ret, type State } from './flow.js';

/** Where a branch does not return: the value is what the statements after it return. */
export interface Hole {
  s: 'hole';
}
/** `a` where `c` holds, else `b` (c is the branch's own test, not its path condition). */
export interface Branch {
  s: 'branch';
  c: Pred;
  a: RV;
  b: RV;
}
/** The returns of a block: the first whose condition holds; `always`: the block returns on every path. */
export interface RetList {
  s: 'rets';
  rets: Ret[];
  always: boolean;
}
/** A returned value, possibly with holes where the code that gave it does not return. */
export type RV = SV | Hole | Branch | RetList;

export const HOLE: Hole = { s: 'hole' };

/** The conditional values an elif chain built (its returns and variables): their tests are the chain's. */
const CHAIN = new WeakSet<SV>();

/** `a if c else b` where `c` is a test of an elif chain. */
function chainIte(c: Pred, a: SV, b: SV): SV {
  const v = ite(c, a, b);
  if (v.s === 'ite' && v.c === c) CHAIN.add(v);
  return v;
}

const isSV = (v: RV): v is SV => v.s !== 'hole' && v.s !== 'branch' && v.s !== 'rets';

/** Does a flow return on every path (no fall-through, break or continue)? */
export const returnsAlways = (f: Flow): boolean => f.ret.length > 0 && f.fall.length === 0 && f.brk.length === 0 && f.cont.length === 0;

/**
 * The value of a list of returns: the first whose condition holds, else `after`. When the code always
 * returns, the last return needs no condition.
 */
export function retsValue(rets: Ret[], always: boolean, after: SV = NONE): SV {
  let out = after;
  let i = rets.length - 1;
  if (always && i >= 0) out = fill((rets[i--] as Ret).v, NONE);
  for (; i >= 0; i--) {
    const r = rets[i] as Ret;
    out = ite(r.pc, fill(r.v, out), out);
  }
  return out;
}

/**
 * A returned value with its holes filled by `rest` (what the code after it returns; shared, not copied).
 * Long else spines are walked in a loop, not recursion.
 */
export function fill(v: RV, rest: SV): SV {
  if (isSV(v)) return v;
  if (v.s === 'hole') return rest;
  if (v.s === 'rets') return retsValue(v.rets, v.always, rest);
  const spine: Branch[] = [];
  let cur: RV = v;
  while (cur.s === 'branch') {
    spine.push(cur);
    cur = cur.b;
  }
  let out = fill(cur, rest);
  for (let i = spine.length - 1; i >= 0; i--) {
    const b = spine[i] as Branch;
    out = chainIte(b.c, fill(b.a, rest), out);
  }
  return out;
}

/**
 * The returns as (path condition, value) pairs, holes left out (loops need the condition of each returned
 * value). Path conditions are built per return: quadratic on a long chain, so only loop bodies use this.
 */
export function plainRets(rets: Ret[]): { pc: Pred; v: SV }[] {
  const out: { pc: Pred; v: SV }[] = [];
  const walk = (v: RV, pc: Pred): void => {
    let cur: RV = v;
    let at = pc;
    while (cur.s === 'branch') {
      walk(cur.a, simplify({ k: 'and', args: [at, cur.c] }));
      at = simplify({ k: 'and', args: [at, not(cur.c)] });
      cur = cur.b;
    }
    if (isSV(cur)) out.push({ pc: at, v: cur });
    else if (cur.s === 'rets') for (const r of cur.rets) walk(r.v, simplify({ k: 'and', args: [at, r.pc] }));
  };
  for (const r of rets) walk(r.v, r.pc);
  return out;
}

/** One arm of a decision list: its test, its truth, and whether the test is one of an elif chain's. */
export interface Arm {
  c: Pred;
  t: Pred;
  ex?: boolean;
}

/**
 * The predicate of a decision list: t0 if c0, else t1 if c1, ..., else `base` (what nested
 * `or(and(c, t), and(not c, rest))` gives), built from the end:
 * - consecutive arms whose truth is the same constant are one and/or (c0 or c1 or ... or rest;
 *   not c0 and not c1 and ... and rest);
 * - consecutive arms of an elif chain whose tests exclude each other (the same value compared with different
 *   constants: at most one holds) are one disjunction, `(c0 and t0) or (c1 and t1) or ... or (not c0 and ... and rest)`;
 * - any other arm is one nested if/else.
 * So the usual chain (one field against constants) gives a flat condition, not one nested as deep as the chain.
 */
export function decisionList(items: Arm[], base: Pred): Pred {
  let acc = base;
  let i = items.length - 1;
  while (i >= 0) {
    const { c, t } = items[i] as Arm;
    let j = i;
    if (t.k === 'const') while (j > 0 && (items[j - 1] as { t: Pred }).t.k === 'const' && ((items[j - 1] as { t: Pred }).t as { v: boolean }).v === t.v) j--;
    // the longer of the two runs ending here (the constant one on a tie)
    const k = exclusiveFrom(items, i);
    if (j < i && j <= k) {
      const run = items.slice(j, i + 1);
      acc = simplify(t.k === 'const' && t.v ? { k: 'or', args: [...run.map((x) => x.c), acc] } : { k: 'and', args: [...run.map((x) => not(x.c)), acc] });
    } else if (k < i) {
      const run = items.slice(k, i + 1);
      const none = simplify({ k: 'and', args: [...run.map((x) => not(x.c)), acc] });
      acc = simplify({ k: 'or', args: [...run.map((x) => simplify({ k: 'and', args: [x.c, x.t] })), none] });
      j = k;
    } else acc = itePred(c, t, acc);
    i = j - 1;
  }
  return acc;
}

/** The values an equality or membership test accepts (by Python equality), and what it reads; else null. */
function accepted(p: Pred): { of: number; keys: string[] } | null {
  const key = (v: Json): string | null => (typeof v === 'string' ? `s${v}` : typeof v === 'number' || typeof v === 'boolean' ? `n${Number(v)}` : v === null ? 'none' : null);
  let keys: (string | null)[];
  if (p.k === 'cmp' && p.op === 'eq' && !p.ci && p.right.k === 'lit') keys = [key(p.right.v)];
  else if (p.k === 'in' && !p.ci) keys = p.list.map(key);
  else return null;
  if (keys.some((k) => k === null)) return null;
  return { of: valId(p.k === 'cmp' ? p.left : p.value), keys: keys as string[] };
}

/**
 * The first arm of the longest run ending at `i` whose tests pairwise exclude each other (i when none). Only
 * the tests of an elif chain are grouped so (other conditionals keep their nested form).
 */
function exclusiveFrom(items: Arm[], i: number): number {
  const last = (items[i] as Arm).ex ? accepted((items[i] as Arm).c) : null;
  if (!last) return i;
  const seen = new Set(last.keys);
  let j = i;
  while (j > 0 && (items[j - 1] as Arm).ex) {
    const a = accepted((items[j - 1] as Arm).c);
    if (!a || a.of !== last.of || a.keys.some((k) => seen.has(k))) break;
    for (const k of a.keys) seen.add(k);
    j--;
  }
  return j;
}

/**
 * Python's truthiness of a conditional value, as `Lifter.arms` over `itePred` gives it, in one loop down the
 * else spine (a value built by a long elif chain is as deep as the chain).
 */
export function truthChain(L: Lifter, v: SVOf<'ite'>, site?: Site): Pred {
  const items: Arm[] = [];
  const depth = L.assumed.length;
  let cur: SV = v;
  try {
    while (cur.s === 'ite') {
      const k = L.known(cur.c);
      if (k !== undefined) {
        cur = k ? cur.a : cur.b;
        continue;
      }
      const arm = cur.a;
      items.push({ c: cur.c, t: L.under(cur.c, () => L.truth(arm, site)), ex: CHAIN.has(cur) });
      L.assume(not(cur.c));
      cur = cur.b;
    }
    const base = L.truth(cur, site);
    return decisionList(items, base);
  } finally {
    L.restore(depth);
  }
}

type If = Extract<Stmt, { t: 'If' }>;

/** The else of an if: the next test of the chain when it is a lone `if` (an elif), else null. */
const elifOf = (st: If): If | null => (st.orelse.length === 1 && (st.orelse[0] as Stmt).t === 'If' ? (st.orelse[0] as If) : null);

/**
 * An if statement with its elif chain. Each test is taken assuming the tests before it failed (a test
 * known true ends the chain, one known false is skipped). One undecided test is the plain if/else join; two
 * or more give one decision tree for the returns and one state for each of fall-through, break, continue.
 */
export function ifChain(L: Lifter, st: If, env: Env, mod: ModCtx): Flow {
  const arms: { c: Pred; f: Flow }[] = [];
  let last: Flow | null = null;
  const depth = L.assumed.length;
  try {
    for (let s: If | null = st; s; ) {
      const cur: If = s;
      const c = L.truth(L.expr(cur.test, env, mod), siteOf(mod, cur.test));
      if (c.k === 'const' && c.v) {
        last = block(L, cur.body, env, mod);
        break;
      }
      if (c.k !== 'const') {
        const inBody = narrow(env, cur.test, true);
        arms.push({ c, f: L.under(c, () => block(L, cur.body, inBody, mod)) });
        L.assume(not(c));
        env = narrow(env, cur.test, false);
      }
      s = elifOf(cur);
      if (!s) last = block(L, cur.orelse, env, mod);
    }
  } finally {
    L.restore(depth);
  }
  const otherwise = last as Flow;
  if (arms.length === 0) return otherwise;
  if (arms.length === 1) return join((arms[0] as { c: Pred }).c, (arms[0] as { f: Flow }).f, otherwise);
  return chainFlow(arms, otherwise);
}

/**
 * The environment where `test` is known to have been `outcome`: a variable holding a conditional value
 * loses its constant arms that contradict the test (`if not x: return` leaves x without its None arm;
 * `if x is False: return` leaves it without its False arm). The arm dropped cannot be the variable's
 * value on this path, so this is exact; it spares a method call on a constant arm that never runs there.
 * Tests understood: a name (truthiness), `not`, `and` known true, `or` known false, and `name is C` /
 * `name is not C` for C one of None, True, False (singletons: identity is equality of kind and value).
 */
function narrow(env: Env, test: Expr, outcome: boolean): Env {
  const keep = new Map<string, (x: Json) => boolean>();
  const walk = (e: Expr, out: boolean): void => {
    if (e.t === 'Name') keep.set(e.id, (x) => pyTruthy(x) === out);
    else if (e.t === 'Not') walk(e.operand, !out);
    else if (e.t === 'BoolOp' && (e.op === 'and') === out) {
      walk(e.left, out);
      walk(e.right, out);
    } else if (e.t === 'Compare' && e.ops.length === 1 && (e.ops[0] === 'is' || e.ops[0] === 'is not') && e.left.t === 'Name') {
      const r = e.comparators[0];
      if (r?.t !== 'Const' || !(r.value === null || typeof r.value === 'boolean')) return;
      const k = r.value;
      const same = out === (e.ops[0] === 'is');
      keep.set(e.left.id, (x) => (x === k) === same);
    }
  };
  walk(test, outcome);
  let out: Env | null = null;
  for (const [name, ok] of keep) {
    const cur = env.get(name);
    if (cur?.s !== 'ite') continue;
    const pruned = prune(cur, ok);
    if (pruned && pruned !== cur) (out ??= new Map(env)).set(name, pruned);
  }
  return out ?? env;
}

/** `v` without its constant arms that fail `ok` (null when no arm is left: the path cannot be taken). */
function prune(v: SV, ok: (x: Json) => boolean): SV | null {
  if (v.s === 'const') return ok(v.v) ? v : null;
  if (v.s !== 'ite') return v;
  const a = prune(v.a, ok);
  const b = prune(v.b, ok);
  if (!a || !b) return a ?? b;
  return a === v.a && b === v.b ? v : ite(v.c, a, b);
}

/** The flow of `if c0: f0 elif c1: f1 ... else: otherwise`. */
function chainFlow(arms: { c: Pred; f: Flow }[], otherwise: Flow): Flow {
  const retOf = (f: Flow): RV => {
    if (f.ret.length === 0) return HOLE;
    const always = returnsAlways(f);
    const only = f.ret[0] as Ret;
    if (always && f.ret.length === 1 && only.pc.k === 'const' && only.pc.v) return only.v;
    return { s: 'rets', rets: f.ret, always };
  };
  let tree: RV = retOf(otherwise);
  for (let i = arms.length - 1; i >= 0; i--) {
    const { c, f } = arms[i] as { c: Pred; f: Flow };
    const a = retOf(f);
    if (!(a.s === 'hole' && tree.s === 'hole')) tree = { s: 'branch', c, a, b: tree };
  }
  const states = (pick: (f: Flow) => State[]): State[] => {
    const per = [...arms.map((x) => mergeStates(pick(x.f))), mergeStates(pick(otherwise))];
    if (per.every((x) => x === null)) return [];
    const pc = decisionList(
      arms.map((x, i) => ({ c: x.c, t: per[i]?.pc ?? { k: 'const', v: false }, ex: true })),
      per[arms.length]?.pc ?? { k: 'const', v: false },
    );
    return [{ pc, env: chainEnvs(arms.map((x) => x.c), per) }];
  };
  return {
    ret: tree.s === 'hole' ? [] : [{ pc: TRUE, v: tree }],
    fall: states((f) => f.fall),
    brk: states((f) => f.brk),
    cont: states((f) => f.cont),
  };
}

/**
 * The variables after a chain, where it goes on: a value that differs between the branches that go on is
 * chosen by their tests (a branch that does not go on needs no arm: only paths that go on read it).
 */
function chainEnvs(tests: Pred[], per: (State | null)[]): Env {
  const on = per.flatMap((s, i) => (s ? [{ c: tests[i] ?? null, env: s.env }] : []));
  if (on.length === 1) return (on[0] as { env: Env }).env;
  const keys = new Set<string>();
  for (const x of on) for (const k of x.env.keys()) keys.add(k);
  const out: Env = new Map();
  for (const k of keys) {
    const first = (on[0] as { env: Env }).env.get(k);
    if (on.every((x) => x.env.get(k) === first)) {
      if (first) out.set(k, first);
      continue;
    }
    let v: SV = (on[on.length - 1] as { env: Env }).env.get(k) ?? NONE;
    for (let i = on.length - 2; i >= 0; i--) {
      const x = on[i] as { c: Pred | null; env: Env };
      // only the else (the last one) has no test
      v = chainIte(x.c as Pred, x.env.get(k) ?? NONE, v);
    }
    out.set(k, v);
  }
  return out;
}
