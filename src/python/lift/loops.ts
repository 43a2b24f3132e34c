/**
 * Iteration: any()/all() quantifiers, comprehensions and for loops. Over constants they unroll; over an
 * event list they become a quantifier whose body reads the element as `elem` at the quantifier's level.
 */
import type { Json, Pred, Val } from '../../ast/types.js';
import { and, FALSE, not, or, TRUE } from '../../ast/normalize.js';
import { pyEq, isMapping, truthy as pyTruthy } from '../../ast/evaluate.js';
import type { Expr, Stmt } from '../ast.js';
import type { Lifter } from '../lift.js';
import type { ModCtx } from '../module.js';
import { cst, item, itePred, siteOf, val, type Env, type Site, type SV, type SVOf } from '../values.js';
import { plainRets } from './chain.js';
import { assignTarget, block, join, mergeStates, opaqueFlow, raises, type Flow, type State } from './flow.js';

type Generator = { target: Expr; iter: Expr; ifs: Expr[] };

// --- filtered sequences and comprehension values ----------------------------------------------
/** Some item of a filtered sequence or comprehension satisfies `test` (null when not expressible here). */
export function someItem(L: Lifter, v: SVOf<'fseq' | 'map'>, test: (item: SV) => Pred): Pred | null {
  if (v.s === 'fseq') return or(...v.items.map((it) => and(it.c, test(it.v))));
  // the quantifier must sit at the nesting level the comprehension's elements were read at
  if (L.quantLevel !== v.level) return null;
  L.quantLevel++;
  try {
    return and(v.guard, { k: 'quant', q: 'any', list: v.list, pred: and(v.cond, test(v.elt)), span: v.span });
  } finally {
    L.quantLevel--;
  }
}

/** Every item of a filtered sequence or comprehension satisfies `test`. */
export function everyItem(L: Lifter, v: SVOf<'fseq' | 'map'>, test: (item: SV) => Pred): Pred | null {
  const neg = someItem(L, v, (it) => not(test(it)));
  return neg === null ? null : not(neg);
}

// --- what a loop iterates ---------------------------------------------------------------------
/** The items of a value iterated in Python, when they are known one by one. */
export function iterItems(v: SV): SV[] | null {
  if (v.s === 'const') {
    if (Array.isArray(v.v)) return v.v.map(item);
    if (isMapping(v.v)) return Object.keys(v.v).map((x) => cst(x));
    if (typeof v.v === 'string') return [...v.v].map((x) => cst(x));
    return null;
  }
  if (v.s === 'seq') return v.items;
  if (v.s === 'dict' || v.s === 'kdict') return v.entries.map(([k]) => cst(k));
  return null;
}

/** An event list to quantify over, possibly guarded: `x or []` iterates x only when x is truthy. */
function iterVal(v: SV): { guard: Pred; v: Val } | null {
  if (v.s === 'val') return { guard: TRUE, v: v.v };
  if (v.s === 'ite') {
    const empty = (x: SV): boolean => x.s === 'const' && ((Array.isArray(x.v) && x.v.length === 0) || x.v === '' || (isMapping(x.v) && Object.keys(x.v).length === 0));
    if (v.a.s === 'val' && empty(v.b)) return { guard: v.c, v: v.a.v };
    if (v.b.s === 'val' && empty(v.a)) return { guard: not(v.c), v: v.b.v };
  }
  return null;
}

/** Run `f` where the path to it is not fully assumed when `cond` (Lifter.unscoped: no raise is recorded there). */
export function unscopedIf<T>(L: Lifter, cond: boolean, f: () => T): T {
  if (!cond) return f();
  L.unscoped++;
  try {
    return f();
  } finally {
    L.unscoped--;
  }
}

/** Run `f` with the next quantifier level open (its element reads as elem at `level`). */
function atNextLevel<T>(L: Lifter, f: (level: number) => T): T {
  const level = L.quantLevel++;
  try {
    return f(level);
  } finally {
    L.quantLevel--;
  }
}

// --- quantifiers ------------------------------------------------------------------------------
/** any()/all() over one or more generators: unrolled over constants, a quantifier over event lists. */
export function quantify(L: Lifter, name: 'any' | 'all', gens: Generator[], gi: number, env: Env, mod: ModCtx, body: (env: Env) => Pred, site: Site): Pred {
  if (gi >= gens.length) return body(env);
  const g = gens[gi] as Generator;
  return quantifyOver(L, name, gens, gi, L.expr(g.iter, env, mod), env, mod, body, site);
}

function quantifyOver(L: Lifter, name: 'any' | 'all', gens: Generator[], gi: number, iter: SV, env: Env, mod: ModCtx, body: (env: Env) => Pred, site: Site): Pred {
  const g = gens[gi] as Generator;
  if (iter.s === 'ite' && !iterVal(iter)) {
    // a conditional list: quantify in each arm
    return L.arms(iter, (x) => quantifyOver(L, name, gens, gi, x, env, mod, body, site), itePred);
  }
  const one = (e2: Env): Pred => {
    const conds = g.ifs.map((x) => L.truth(L.expr(x, e2, mod), siteOf(mod, x)));
    // the element is evaluated only where the filter holds, which the assumptions do not say
    const inner = unscopedIf(L, g.ifs.length > 0, () => quantify(L, name, gens, gi + 1, e2, mod, body, site));
    return name === 'any' ? and(...conds, inner) : or(...conds.map((c) => not(c)), inner);
  };
  const items = iterItems(iter);
  if (items) {
    // a later item is reached only when the earlier ones did not decide
    const ps = items.map((it, i) => unscopedIf(L, i > 0, () => {
      const e2 = new Map(env);
      if (!assignTarget(L, g.target, it, e2, mod)) return { k: 'opaque', code: 'unpack', reason: 'loop target unpacking', span: site } as Pred;
      return one(e2);
    }));
    return name === 'any' ? or(...ps) : and(...ps);
  }
  const iv = iterVal(iter);
  if (iv) {
    const q = atNextLevel(L, (level): Pred | null => {
      const e2 = new Map(env);
      if (!assignTarget(L, g.target, val({ k: 'elem', depth: level }), e2, mod)) return null;
      const q: Pred = { k: 'quant', q: name, list: iv.v, pred: one(e2), span: site };
      // iterating an empty fallback: any() is false, all() is true
      return name === 'any' ? and(iv.guard, q) : or(not(iv.guard), q);
    });
    if (q) return q;
  }
  const o = iter.s === 'opaque' ? iter : (L.opaque('loop', `${name}() over a value the lifter cannot iterate`, site) as SVOf<'opaque'>);
  return { k: 'opaque', code: o.code, reason: o.reason, span: o.span };
}

// --- comprehensions ---------------------------------------------------------------------------
/**
 * A comprehension: over constants with constant filters, a constant (or a list of values); a list
 * comprehension over constants filtered by the event, a filtered sequence (fseq); over an event list, a
 * map. (any()/all() of a generator is a quantifier, made by the call.)
 */
export function comprehension(L: Lifter, c: Extract<Expr, { t: 'Comp' }>, env: Env, mod: ModCtx): SV {
  const site = siteOf(mod, c);
  const out: SV[] = [];
  const walk = (gi: number, e2: Env): boolean => {
    if (gi >= c.gens.length) {
      out.push(L.expr(c.elt, e2, mod));
      return true;
    }
    const g = c.gens[gi] as Generator;
    const items = iterItems(L.expr(g.iter, e2, mod));
    if (!items) return false;
    for (const it of items) {
      const e3 = new Map(e2);
      if (!assignTarget(L, g.target, it, e3, mod)) return false;
      const conds = g.ifs.map((x) => L.truth(L.expr(x, e3, mod), siteOf(mod, x)));
      if (conds.some((p) => p.k !== 'const')) return false;
      if (conds.every((p) => p.k === 'const' && p.v) && !walk(gi + 1, e3)) return false;
    }
    return true;
  };
  if (c.kind !== 'dict' && walk(0, env)) {
    if (out.every((x) => x.s === 'const')) {
      let vs = out.map((x) => (x as SVOf<'const'>).v);
      if (c.kind === 'set') vs = vs.filter((x, i) => vs.findIndex((y) => pyEq(x, y)) === i);
      return cst(vs, c.kind === 'set' ? 'set' : 'list');
    }
    return { s: 'seq', items: out, kind: 'list' };
  }
  if (c.kind === 'list' && c.gens.length === 1) {
    const g = c.gens[0] as Generator;
    const iter = L.expr(g.iter, env, mod);
    const items = iterItems(iter);
    if (items) {
      // over constants, filtered by the event: each item is present under its condition
      const fitems: { c: Pred; v: SV }[] = [];
      for (const it of items) {
        const e3 = new Map(env);
        if (!assignTarget(L, g.target, it, e3, mod)) return L.opaque('comprehension', 'comprehension target unpacking', site);
        const cond = and(...g.ifs.map((x) => L.truth(L.expr(x, e3, mod), siteOf(mod, x))));
        if (cond.k === 'const' && !cond.v) continue;
        fitems.push({ c: cond, v: unscopedIf(L, cond.k !== 'const', () => L.expr(c.elt, e3, mod)) });
      }
      return { s: 'fseq', items: fitems, span: site };
    }
    const iv = iterVal(iter);
    if (iv) {
      return atNextLevel(L, (level) => {
        const e3 = new Map(env);
        if (!assignTarget(L, g.target, val({ k: 'elem', depth: level }), e3, mod)) return L.opaque('comprehension', 'comprehension target unpacking', site);
        const cond = and(...g.ifs.map((x) => L.truth(L.expr(x, e3, mod), siteOf(mod, x))));
        return { s: 'map', list: iv.v, guard: iv.guard, elt: L.expr(c.elt, e3, mod), cond, level, span: site };
      });
    }
  }
  return L.opaque('comprehension', 'comprehension over event data', site);
}

// --- for statements ---------------------------------------------------------------------------
type For = Extract<Stmt, { t: 'For' }>;

export function forLoop(L: Lifter, st: For, env: Env, mod: ModCtx): Flow {
  L.loops++;
  try {
    return loopOver(L, st, L.expr(st.iter, env, mod), env, mod);
  } finally {
    L.loops--;
  }
}

/** The names a loop target binds. */
function targetNames(t: Expr): string[] {
  return t.t === 'Name' ? [t.id] : t.t === 'Tuple' || t.t === 'List' ? t.elts.flatMap((x) => (x.t === 'Name' ? [x.id] : [])) : [];
}

/** A for loop over a value: a conditional value is looped over in each of its arms. */
function loopOver(L: Lifter, st: For, iter: SV, env: Env, mod: ModCtx): Flow {
  if (iter.s === 'ite' && !iterVal(iter)) return L.arms(iter, (x) => loopOver(L, st, x, env, mod), join);
  const items = iterItems(iter);
  if (items && st.orelse.length === 0 && items.length > 1) {
    const flow = independentIterations(L, st, items, env, mod);
    if (flow) return flow;
  }
  if (items) return unrolled(L, st, items, env, mod);
  const iv = iterVal(iter);
  if (iv && st.orelse.length === 0) {
    return collectLoop(L, st, iv, env, mod) ?? overEventList(L, st, iv, env, mod) ?? opaqueFlow(L, 'a loop over event data that changes variables or returns computed values', siteOf(mod, st));
  }
  if (iter.s === 'opaque') return { ret: [{ pc: TRUE, v: iter }], fall: [], brk: [], cont: [] };
  return opaqueFlow(L, 'a loop over a value the lifter cannot iterate', siteOf(mod, st));
}

/**
 * `for x in CONST: if p(x): return R` with nothing else changing: the first match returns the same R as
 * any match, so the iterations are independent (no growing chain of negations). Null when not so.
 */
function independentIterations(L: Lifter, st: For, items: SV[], env: Env, mod: ModCtx): Flow | null {
  const flows: Flow[] = [];
  for (const it of items) {
    const e2 = new Map(env);
    if (!assignTarget(L, st.target, it, e2, mod)) return null;
    const f = block(L, st.body, e2, mod);
    const changed = [...f.fall, ...f.cont].some((x) => [...x.env].some(([k, v]) => e2.get(k) !== v));
    if (changed || f.brk.length || plainRets(f.ret).some((r) => r.v.s !== 'const')) return null;
    flows.push(f);
  }
  const rets = flows.flatMap((f) => plainRets(f.ret));
  const first = rets[0]?.v;
  if (first && first.s === 'const' && rets.every((r) => r.v.s === 'const' && pyEq(r.v.v, first.v) && r.v.kind === first.kind)) {
    const hit = or(...rets.map((r) => r.pc));
    // loop variables keep per-item values after the loop
    const after: Env = new Map(env);
    for (const n of targetNames(st.target)) after.set(n, L.opaque('loop-variable', `'${n}' is read after the loop`, siteOf(mod, st)));
    return { ret: [{ pc: hit, v: first }], fall: [{ pc: not(hit), env: after }], brk: [], cont: [] };
  }
  if (rets.length === 0) return { ret: [], fall: [{ pc: TRUE, env: new Map(env) }], brk: [], cont: [] };
  return null;
}

/** A loop over constants, one iteration after the other (then its else block). */
function unrolled(L: Lifter, st: For, items: SV[], env: Env, mod: ModCtx): Flow {
  const out: Flow = { ret: [], fall: [], brk: [], cont: [] };
  let state: State | null = { pc: TRUE, env };
  const exits: State[] = [];
  for (const it of items) {
    if (!state) break;
    const e2 = new Map(state.env);
    if (!assignTarget(L, st.target, it, e2, mod)) return opaqueFlow(L, 'loop target unpacking', siteOf(mod, st));
    const pc: Pred = state.pc;
    // this iteration runs where the earlier ones fell through (pc), which the assumptions name: a call
    // that raises here is placed exactly (flow.ts raises), as outside a loop
    L.loops--;
    let f: Flow;
    try {
      f = L.under(pc, () => block(L, st.body, e2, mod));
    } finally {
      L.loops++;
    }
    out.ret.push(...f.ret.map((r) => ({ pc: and(pc, r.pc), v: r.v })));
    exits.push(...f.brk.map((r) => ({ pc: and(pc, r.pc), env: r.env })));
    const m = mergeStates([...f.fall, ...f.cont]);
    state = m ? { pc: and(pc, m.pc), env: m.env } : null;
  }
  if (state) {
    const f = block(L, st.orelse, state.env, mod);
    const pc: Pred = state.pc;
    out.ret.push(...f.ret.map((r) => ({ pc: and(pc, r.pc), v: r.v })));
    const m = mergeStates(f.fall);
    if (m) exits.push({ pc: and(pc, m.pc), env: m.env });
  }
  const m = mergeStates(exits);
  if (m) out.fall.push(m);
  return out;
}

/** `for x in <event list>`: the body may only return one constant (a quantifier) or nothing. Null when not so. */
function overEventList(L: Lifter, st: For, iv: { guard: Pred; v: Val }, env: Env, mod: ModCtx): Flow | null {
  return atNextLevel(L, (level) => {
    const e2 = new Map(env);
    if (!assignTarget(L, st.target, val({ k: 'elem', depth: level }), e2, mod)) return opaqueFlow(L, 'loop target unpacking', siteOf(mod, st));
    const f = block(L, st.body, e2, mod);
    // Variables the body assigns (the loop target included) hold per-element values after the
    // loop: any later read of them is unknown, so they become opaque; the loop itself still lifts.
    const changed = new Set<string>();
    for (const s of [...f.fall, ...f.cont]) for (const [k, v] of s.env) if (env.get(k) !== v) changed.add(k);
    const after: Env = new Map(env);
    for (const k of changed) after.set(k, L.opaque('loop-variable', `'${k}' is read after a loop over event data that assigns it`, siteOf(mod, st)));
    const rets = plainRets(f.ret);
    const consts = rets.map((r) => r.v).filter((v): v is SVOf<'const'> => v.s === 'const');
    if (f.brk.length === 0 && consts.length === rets.length && rets.length > 0) {
      const first: Json = (consts[0] as SVOf<'const'>).v;
      if (consts.every((c) => pyEq(c.v, first))) {
        const hit: Pred = and(iv.guard, { k: 'quant', q: 'any', list: iv.v, pred: or(...rets.map((r) => r.pc)), span: siteOf(mod, st) });
        return { ret: [{ pc: hit, v: cst(first) }], fall: [{ pc: not(hit), env: after }], brk: [], cont: [] };
      }
    }
    if (f.brk.length === 0 && rets.length > 0 && rets.every((r) => truthyWhere(r.pc, r.v))) {
      // `for x in L: if p(x): return x`: the first item that p holds of is returned; every such item is a
      // non-empty object (p reads one of its keys as a value that is not None), so where the loop returns,
      // it returns something truthy, which is all that is known of it
      const hit: Pred = and(iv.guard, { k: 'quant', q: 'any', list: iv.v, pred: or(...rets.map((r) => r.pc)), span: siteOf(mod, st) });
      const found = L.opaque('loop-item', 'the item a loop over event data returns (only its truthiness is known)', siteOf(mod, st));
      return { ret: [{ pc: hit, v: { ...found, truthy: true } as SV }], fall: [{ pc: not(hit), env: after }], brk: [], cont: [] };
    }
    if (f.brk.length === 0 && rets.length === 0) return { ret: [], fall: [{ pc: TRUE, env: after }], brk: [], cont: [] };
    return null;
  });
}

/**
 * Is a value returned under `pc` truthy wherever pc holds? A truthy constant; or an object of which pc
 * requires a key read as something that is not None (`x.get("k") == "v"`, `x.get("k") in [...]`, a
 * truthy or matching `x.get("k")`): x is then a Mapping holding that key, so it is not empty.
 */
function truthyWhere(pc: Pred, v: SV): boolean {
  if (v.s === 'const') return pyTruthy(v.v);
  if (v.s !== 'val') return false;
  const obj = JSON.stringify(v.v);
  const readsKey = (x: Val): boolean => x.k === 'get' && !x.default && !x.safe && JSON.stringify(x.obj) === obj;
  const conjuncts = (p: Pred): Pred[] => (p.k === 'and' ? p.args.flatMap(conjuncts) : [p]);
  return conjuncts(pc).some((a) => {
    switch (a.k) {
      case 'cmp':
        return a.op === 'eq' && ((readsKey(a.left) && a.right.k === 'lit' && a.right.v !== null) || (readsKey(a.right) && a.left.k === 'lit' && a.left.v !== null));
      case 'in':
        return readsKey(a.value) && !a.list.includes(null);
      case 'truthy':
      case 'exists':
      case 'match':
        return readsKey(a.value);
      default:
        return false;
    }
  });
}

/**
 * `acc = set()` (or `[]`), then `for x in <event list>: [if p(x):] acc.add(v(x))` (or `.append`): acc is
 * the comprehension {v(x) for x in L if p(x)} (a `map`, marked `set` for add). Python visits every item:
 * where one raises, rule() raises (no alert), so the form is kept to one where that is known exactly: p
 * one test of a key of x (`x.get(k) == c`, `x.get(k) in C`, read with .get or deep_get), v a key of x;
 * x.get() on an item that is not an object raises AttributeError, and set.add of a list or object value
 * raises TypeError (flow.ts raises records both, over the whole list). Null when not this form.
 */
function collectLoop(L: Lifter, st: For, iv: { guard: Pred; v: Val }, env: Env, mod: ModCtx): Flow | null {
  if (st.target.t !== 'Name' || st.body.length !== 1) return null;
  let stmt = st.body[0] as Stmt;
  let test: Expr | null = null;
  if (stmt.t === 'If' && stmt.orelse.length === 0 && stmt.body.length === 1) {
    test = stmt.test;
    stmt = stmt.body[0] as Stmt;
  }
  if (stmt.t !== 'Expr' || stmt.value.t !== 'Call') return null;
  const call = stmt.value;
  if (call.func.t !== 'Attribute' || call.func.obj.t !== 'Name' || call.args.length !== 1 || call.kwargs.length) return null;
  const method = call.func.attr;
  const acc = call.func.obj.id;
  const cur = env.get(acc);
  const kind = method === 'add' ? 'set' : method === 'append' ? 'list' : null;
  if (!kind || !cur || cur.s !== 'const' || cur.kind !== kind || !Array.isArray(cur.v) || cur.v.length !== 0 || acc === st.target.id) return null;
  const site = siteOf(mod, st);
  const got = atNextLevel(L, (level) => {
    const elem: Val = { k: 'elem', depth: level };
    const e2 = new Map(env);
    e2.set((st.target as { id: string }).id, val(elem));
    const cond = test ? L.truth(L.expr(test, e2, mod), siteOf(mod, test)) : TRUE;
    const elt = L.under(cond, () => L.expr(call.args[0] as Expr, e2, mod));
    return { level, elem, cond, elt };
  });
  const { level, elem, cond, elt } = got;
  // x.get(k) read straight off the item: strict (an error where x is not a Mapping) unless deep
  const keyOf = (v: Val): 'get' | 'deep' | null => (v.k === 'get' && v.obj.k === 'elem' && v.obj.depth === level && !v.strict ? (v.deep || v.safe ? 'deep' : 'get') : null);
  let condReads: 'get' | 'deep' | null = null;
  if (cond.k === 'cmp' && cond.op === 'eq' && cond.right.k === 'lit' && !cond.ci) condReads = keyOf(cond.left);
  else if (cond.k === 'in' && !cond.hashed && !cond.ci) condReads = keyOf(cond.value);
  else if (!(cond.k === 'const' && cond.v)) return null;
  if (cond.k !== 'const' && !condReads) return null;
  if (elt.s !== 'val' || !keyOf(elt.v)) return null;
  const eltReads = keyOf(elt.v);
  const notObject: Pred = not({ k: 'istype', value: elem, type: 'dict', span: site });
  // where an item raises: AttributeError reading a key of an item that is not an object (the test always
  // runs, the value where the test holds), TypeError adding a list or object to the set
  const attr: Pred = condReads === 'get' ? notObject : eltReads === 'get' ? and(cond, notObject) : FALSE;
  const type: Pred = kind === 'set' ? and(cond, or({ k: 'istype', value: elt.v, type: 'list', span: site }, { k: 'istype', value: elt.v, type: 'dict', span: site })) : FALSE;
  const over = (p: Pred): Pred => (p.k === 'const' && !p.v ? p : and(iv.guard, { k: 'quant', q: 'any', list: iv.v, pred: p, span: site }));
  const rs = [
    { when: over(attr), kind: 'attribute' as const },
    { when: over(type), kind: 'type' as const },
  ].filter((r) => !(r.when.k === 'const' && !r.when.v));
  // which of two exceptions an item raises first decides the handler of a try: not followed there
  if (rs.length > 1 && L.tryFrames.length) return null;
  // the conditions are closed over the whole list: recorded as from outside this loop (forLoop counted it)
  if (rs.length) {
    L.loops--;
    try {
      if (!raises(L, rs)) return null;
    } finally {
      L.loops++;
    }
  }
  const after: Env = new Map(env);
  after.set(st.target.id, L.opaque('loop-variable', `'${st.target.id}' is read after a loop over event data that assigns it`, site));
  after.set(acc, { s: 'map', list: iv.v, guard: iv.guard, elt, cond, level, span: site, ...(kind === 'set' ? { set: true } : {}) });
  return { ret: [], fall: [{ pc: TRUE, env: after }], brk: [], cont: [] };
}
