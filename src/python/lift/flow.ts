/**
 * Statements. A block runs over an environment under a path condition and gives its flow: the values it
 * returns (each under the condition that reaches it), the states that fall through, break or continue.
 * if/else joins two flows (an if with elif branches is one decision tree: lift/chain.ts); try/except lets the
 * handler take over exactly where a modelled call raises.
 */
import type { Json, Pred } from '../../ast/types.js';
import { and, not, or, predId, TRUE } from '../../ast/normalize.js';
import { isMapping } from '../../ast/evaluate.js';
import type { Expr, Stmt } from '../ast.js';
import type { Lifter } from '../lift.js';
import type { ModCtx } from '../module.js';
import { cst, dictItem, item, ite, NONE, siteOf, type Env, type Site, type SV, type SVOf } from '../values.js';
import { pyEq } from '../../ast/evaluate.js';
import { isSetOf } from './sets.js';
import { ifChain, retsValue, type RV } from './chain.js';
import { forLoop, iterItems } from './loops.js';
import { binop } from './operators.js';
import { assignAttribute } from './classes.js';

export interface Ret {
  pc: Pred;
  /** The returned value; an if/elif chain returns one decision tree with holes (lift/chain.ts). */
  v: RV;
}
export interface State {
  pc: Pred;
  env: Env;
}
export interface Flow {
  ret: Ret[];
  fall: State[];
  brk: State[];
  cont: State[];
}

/** The exceptions the lifter models: where they raise is recorded so an except clause can take over exactly. */
export type RaiseKind = 'json' | 'value' | 'type' | 'index' | 'key' | 'attribute';

/** Run a function body; its value is the conditional over its returns (None when it falls off the end). */
export function runFunction(L: Lifter, body: Stmt[], env: Env, mod: ModCtx): SV {
  const flow = block(L, body, env, mod);
  // a body that always returns ends in its last return; else in None
  return retsValue(flow.ret, flow.fall.length === 0 && flow.ret.length > 0);
}

export function block(L: Lifter, stmts: Stmt[], env: Env, mod: ModCtx): Flow {
  const out: Flow = { ret: [], fall: [], brk: [], cont: [] };
  let state: State | null = { pc: TRUE, env };
  for (const st of stmts) {
    if (!state) break;
    const cur: State = state;
    const f = L.under(cur.pc, () => stmt(L, st, cur.env, mod));
    const pc: Pred = state.pc;
    out.ret.push(...f.ret.map((r) => ({ pc: and(pc, r.pc), v: r.v })));
    out.brk.push(...f.brk.map((r) => ({ pc: and(pc, r.pc), env: r.env })));
    out.cont.push(...f.cont.map((r) => ({ pc: and(pc, r.pc), env: r.env })));
    const m = mergeStates(f.fall);
    state = m ? { pc: and(pc, m.pc), env: m.env } : null;
  }
  if (state) out.fall.push(state);
  return out;
}

const fall = (env: Env): Flow => ({ ret: [], fall: [{ pc: TRUE, env }], brk: [], cont: [] });

type StmtOf<T extends Stmt['t']> = Stmt & { t: T };
type StmtRule<T extends Stmt['t']> = (L: Lifter, st: StmtOf<T>, env: Env, mod: ModCtx) => Flow;

const STMTS: { [T in Stmt['t']]?: StmtRule<T> } = {
  Return: (L, st, env, mod) => ({ ret: [{ pc: TRUE, v: st.value ? returned(L.expr(st.value, env, mod), siteOf(mod, st.value)) : NONE }], fall: [], brk: [], cont: [] }),
  Pass: (_L, _st, env) => fall(env),
  Global: (_L, _st, env) => fall(env),
  Import: (_L, _st, env) => fall(env),
  ImportFrom: (_L, _st, env) => fall(env),
  Expr: (L, st, env, mod) => {
    const e = st.value;
    const changed = inPlace(L, e, env, mod);
    if (changed) {
      const e2 = new Map(env);
      e2.set(changed.name, changed.v);
      return fall(e2);
    }
    // a call made for its effect may change a collection in place, its own or one it is given (the
    // caller's, a module constant): evaluated so that method() marks what it changes (Lifter.markChanged)
    if (e.t === 'Call') {
      const outer = L.stmtCall;
      L.stmtCall = e;
      try {
        L.expr(e, env, mod);
      } finally {
        L.stmtCall = outer;
      }
    }
    // a method call on a local collection may change it in place (add, append, update, pop...):
    // from here on its value is unknown
    if (e.t === 'Call' && e.func.t === 'Attribute' && e.func.obj.t === 'Name') {
      const cur = env.get(e.func.obj.id);
      const immutable = cur && ((cur.s === 'const' && cur.kind === 'scalar') || cur.s === 'val' || cur.s === 'pred');
      if (cur && !immutable) {
        const e2 = new Map(env);
        e2.set(e.func.obj.id, L.opaque('mutation', `'${e.func.obj.id}' is changed in place by .${e.func.attr}()`, siteOf(mod, st)));
        return fall(e2);
      }
    }
    return fall(env);
  },
  Break: (_L, _st, env) => ({ ret: [], fall: [], brk: [{ pc: TRUE, env }], cont: [] }),
  Continue: (_L, _st, env) => ({ ret: [], fall: [], brk: [], cont: [{ pc: TRUE, env }] }),
  Assign: (L, st, env, mod) => {
    const v = L.expr(st.value, env, mod);
    const e2 = new Map(env);
    for (const t of st.targets) {
      if (!assignTarget(L, t, v, e2, mod)) return opaqueFlow(L, `assignment to ${t.t === 'Subscript' ? 'a subscript' : t.t === 'Attribute' ? 'an attribute' : 'this target'}`, siteOf(mod, st));
    }
    return fall(e2);
  },
  AugAssign: (L, st, env, mod) => {
    const cur = L.expr(st.target, env, mod);
    // list +=, set |=, dict |= change the object in place (aliases see it); a str, number or tuple is rebound
    if (!(st.target.t === 'Name' && L.isPrivate(st.target.id))) L.markChanged(cur);
    const v = binop(L, st.op, cur, L.expr(st.value, env, mod), siteOf(mod, st));
    const e2 = new Map(env);
    if (!assignTarget(L, st.target, v, e2, mod)) return opaqueFlow(L, 'augmented assignment', siteOf(mod, st));
    return fall(e2);
  },
  If: ifChain,
  For: forLoop,
  Try: (L, st, env, mod) => tryStmt(L, st, env, mod),
  FunctionDef: (_L, st, env, mod) => {
    const e2 = new Map(env);
    e2.set(st.name, { s: 'func', def: st, mod });
    return fall(e2);
  },
  // an exception ends the whole rule (no alert), not just this function: not expressible as a value
  Raise: (L, st, _env, mod) => opaqueFlow(L, 'raise', siteOf(mod, st)),
};

/**
 * `xs.append(v)`, `xs.extend(it)`, `s.add(c)`, `s.update(set(x))`, `d.update(other)` as a statement, on a
 * collection the function holds alone (lift/private.ts): the name's new value (unknown where the change
 * is not followed). Null where this is not such a call.
 */
function inPlace(L: Lifter, e: Expr, env: Env, mod: ModCtx): { name: string; v: SV } | null {
  if (e.t !== 'Call' || e.func.t !== 'Attribute' || e.func.obj.t !== 'Name' || e.kwargs.length || e.args.some((a) => a.t === 'Starred')) return null;
  const name = e.func.obj.id;
  const method = e.func.attr;
  const cur = env.get(name);
  if (!cur || !['append', 'extend', 'add', 'update'].includes(method) || !L.isPrivate(name)) return null;
  const site = siteOf(mod, e);
  const args = e.args.map((a) => L.expr(a, env, mod));
  const v = L.pointwise([cur], (c) => changedBy(c, method, args) ?? L.opaque('mutation', `'${name}' is changed in place by .${method}()`, site));
  return { name, v };
}

/** A collection after one in-place method call (null where not followed). */
function changedBy(c: SV, method: string, args: SV[]): SV | null {
  const [a] = args;
  if (!a || args.length !== 1) return null;
  const list = c.s === 'seq' && c.kind === 'list' ? c.items : c.s === 'const' && c.kind === 'list' && Array.isArray(c.v) ? c.v.map(item) : null;
  if (list && (method === 'append' || method === 'extend')) {
    const more = method === 'append' ? [a] : iterItems(a);
    if (!more) return null;
    const items = [...list, ...more];
    return items.every((x) => x.s === 'const') ? cst(items.map((x) => (x as SVOf<'const'>).v), 'list') : { s: 'seq', items, kind: 'list' };
  }
  const constSet = c.s === 'const' && c.kind === 'set' && Array.isArray(c.v) ? c.v : null;
  const hashable = (x: SV): x is SVOf<'const'> => x.s === 'const' && (x.v === null || typeof x.v !== 'object');
  if (constSet && method === 'add' && hashable(a)) return constSet.some((y) => pyEq(y, a.v)) ? c : cst([...constSet, a.v], 'set');
  if (method === 'update' && (constSet || isSetOf(c) || c.s === 'union')) {
    // set.update(iterable): constants are added to a constant set; sets of event values make a union
    if (constSet && a.s === 'const' && Array.isArray(a.v) && a.v.every((y) => y === null || typeof y !== 'object')) {
      const out = [...constSet];
      for (const y of a.v) if (!out.some((u) => pyEq(u, y))) out.push(y);
      return cst(out, 'set');
    }
    if (!isSetOf(a)) return null;
    if (constSet && constSet.length === 0) return a;
    if (isSetOf(c)) return { s: 'union', parts: [c, a] };
    if (c.s === 'union') return { s: 'union', parts: [...c.parts, a] };
    return null;
  }
  const entries = (x: SV): [string, SV][] | null =>
    x.s === 'dict' ? x.entries : x.s === 'const' && x.kind === 'dict' && isMapping(x.v) ? Object.keys(x.v).map((k) => [k, dictItem(x.v as { [k: string]: Json }, k)]) : null;
  const mine = entries(c);
  const theirs = entries(a);
  if (method === 'update' && mine && theirs) {
    const out = [...mine];
    for (const [k, y] of theirs) {
      const i = out.findIndex(([key]) => key === k);
      if (i >= 0) out[i] = [k, y];
      else out.push([k, y]);
    }
    return { s: 'dict', entries: out };
  }
  return null;
}

/**
 * A returned value with its event values located at the `return` (those a helper returned keep its
 * position): the truthiness its caller takes without a site of its own (rule()'s) is located there.
 */
function returned(v: SV, site: Site): SV {
  if (v.s === 'val') return v.span ? v : { ...v, span: site };
  if (v.s !== 'ite') return v;
  const a = returned(v.a, site);
  const b = returned(v.b, site);
  return a === v.a && b === v.b ? v : { ...v, a, b };
}

function stmt(L: Lifter, st: Stmt, env: Env, mod: ModCtx): Flow {
  const rule = STMTS[st.t] as StmtRule<Stmt['t']> | undefined;
  if (rule) return rule(L, st, env, mod);
  return opaqueFlow(L, st.t === 'Unsupported' ? st.what : st.t.toLowerCase(), siteOf(mod, st));
}

/** A statement the lifter cannot follow: the rest of the function is unknown from here. */
export function opaqueFlow(L: Lifter, what: string, site: Site): Flow {
  return { ret: [{ pc: TRUE, v: L.opaque('statement', `${what} is not supported`, site) }], fall: [], brk: [], cont: [] };
}

/** Bind `v` to an assignment (or loop) target in `env`; false when the target is not one the lifter follows. */
export function assignTarget(L: Lifter, t: Expr, v: SV, env: Env, mod: ModCtx): boolean {
  if (t.t === 'Name') {
    env.set(t.id, v);
    return true;
  }
  // self.X = v in a method of a pypanther rule (lift/classes.ts)
  if (assignAttribute(env, t, v)) return true;
  if (t.t === 'Tuple' || t.t === 'List') {
    const items = iterItems(v);
    if (!items || items.length !== t.elts.length) return false;
    return t.elts.every((x, i) => assignTarget(L, x, items[i] as SV, env, mod));
  }
  if (t.t === 'Subscript' && t.obj.t === 'Name' && t.index.t !== 'Slice') {
    // d["k"] = v on a local dict
    const cur = env.get(t.obj.id);
    const key = L.expr(t.index, env, mod);
    if (!cur || key.s !== 'const' || typeof key.v !== 'string') return false;
    const next = withKey(cur, key.v, v);
    if (!next) return false;
    if (!L.isPrivate(t.obj.id)) L.markChanged(cur);
    env.set(t.obj.id, next);
    return true;
  }
  return false;
}

/**
 * The dict `d` with `d[k] = v` done: a dict the lifter holds (its entries), or a conditional one (the
 * dict an if/else left in either arm, `d = {}` then `if c: d["a"] = x`), set in each arm. Null where
 * some arm is not a dict.
 */
function withKey(cur: SV, k: string, v: SV): SV | null {
  if (cur.s === 'ite') {
    const a = withKey(cur.a, k, v);
    const b = a && withKey(cur.b, k, v);
    return a && b ? ite(cur.c, a, b) : null;
  }
  if (cur.s === 'dict' || (cur.s === 'const' && isMapping(cur.v))) {
    const entries: [string, SV][] = cur.s === 'dict' ? [...cur.entries] : Object.entries(cur.v as object).map(([key, x]) => [key, item(x as Json)]);
    const i = entries.findIndex(([key]) => key === k);
    if (i >= 0) entries[i] = [k, v];
    else entries.push([k, v]);
    return { s: 'dict', entries };
  }
  return null;
}

/** The flow of `if c: <a> else: <b>`. */
export function join(c: Pred, a: Flow, b: Flow): Flow {
  const nc = not(c);
  const guard = (xs: State[], g: Pred): State[] => xs.map((x) => ({ pc: and(g, x.pc), env: x.env }));
  const fa = mergeStates(a.fall);
  const fb = mergeStates(b.fall);
  let falls: State[];
  if (fa && fb && fa.pc.k === 'const' && fb.pc.k === 'const' && fa.pc.v && fb.pc.v) {
    falls = [{ pc: TRUE, env: mergeEnvs([{ pc: c, env: fa.env }, { pc: nc, env: fb.env }]) }];
  } else falls = [...guard(fa ? [fa] : [], c), ...guard(fb ? [fb] : [], nc)];
  return {
    ret: [...a.ret.map((r) => ({ pc: and(c, r.pc), v: r.v })), ...b.ret.map((r) => ({ pc: and(nc, r.pc), v: r.v }))],
    fall: falls,
    brk: [...guard(a.brk, c), ...guard(b.brk, nc)],
    cont: [...guard(a.cont, c), ...guard(b.cont, nc)],
  };
}

export function mergeStates(xs: State[]): State | null {
  if (xs.length === 0) return null;
  if (xs.length === 1) return xs[0] as State;
  return { pc: or(...xs.map((x) => x.pc)), env: mergeEnvs(xs) };
}

function mergeEnvs(xs: State[]): Env {
  const keys = new Set<string>();
  for (const x of xs) for (const k of x.env.keys()) keys.add(k);
  const out: Env = new Map();
  for (const k of keys) {
    const vals = xs.map((x) => x.env.get(k));
    if (vals.every((v) => v === vals[0])) {
      if (vals[0]) out.set(k, vals[0]);
      continue;
    }
    let v: SV = vals[vals.length - 1] ?? NONE;
    for (let i = xs.length - 2; i >= 0; i--) v = ite((xs[i] as State).pc, vals[i] ?? NONE, v);
    out.set(k, v);
  }
  return out;
}

// --- exceptions -------------------------------------------------------------------------------
/**
 * A call that raises under some conditions: recorded on the innermost try (so its handler can take
 * over exactly there). False when there is no try around it.
 */
export function mayRaise(L: Lifter, raises: { when: Pred; kind: RaiseKind }[]): boolean {
  const frame = L.tryFrames[L.tryFrames.length - 1];
  if (!frame) return false;
  // it raises only on the path that reaches it: the conditions assumed here (if arms, statements
  // after earlier returns, and/or operands) bound each condition
  const path = L.assumed;
  const scoped = raises.map((r) => ({ kind: r.kind, when: and(...path, r.when) }));
  // a call already made on this path cannot raise again: only new conditions count
  const fresh = scoped.filter((r) => !frame.raises.some((x) => x.kind === r.kind && predId(x.when) === predId(r.when)));
  // inside a loop the iteration is not named by any condition: refuse
  if (fresh.length && L.loops > frame.loops) frame.late = true;
  frame.raises.push(...fresh);
  return true;
}

/**
 * A call that raises under some conditions, wherever it is: inside a try, recorded on it (mayRaise); in
 * rule() outside any try, recorded on the rule: an exception there ends rule() with no alert (Panther
 * reports a rule error, never a match), whatever the caller would have done with the value, so the
 * rule's condition is `not(raised) and <its value>` (pipeline.ts ruleCondition). False where neither
 * can be said exactly: in the output functions, inside a loop or quantifier (no condition names the
 * iteration) or where the path to the call is not fully assumed (Lifter.unscoped).
 */
export function raises(L: Lifter, rs: { when: Pred; kind: RaiseKind }[]): boolean {
  if (L.tryFrames.length) return mayRaise(L, rs);
  if (!L.ruleRaises || L.outputMode || L.loops > 0 || L.quantLevel > 0 || L.unscoped > 0) return false;
  const path = L.assumed;
  for (const r of rs) if (!(r.when.k === 'const' && !r.when.v)) L.ruleRaises.push(and(...path, r.when));
  return true;
}

/** The modelled exceptions an except clause's type names catch. */
const CATCHES: Record<string, RaiseKind[]> = {
  Exception: ['json', 'value', 'type', 'index', 'key', 'attribute'],
  BaseException: ['json', 'value', 'type', 'index', 'key', 'attribute'],
  AttributeError: ['attribute'],
  ValueError: ['json', 'value'],
  JSONDecodeError: ['json'],
  TypeError: ['type'],
  IndexError: ['index'],
  KeyError: ['key'],
  LookupError: ['index', 'key'],
};

/** Which of the modelled exceptions a handler catches. */
function caught(h: { types: Expr | null }): Set<string> {
  const name = (x: Expr): string => (x.t === 'Name' ? x.id : x.t === 'Attribute' ? x.attr : '');
  const names = h.types === null ? ['BaseException'] : h.types.t === 'Tuple' ? h.types.elts.map(name) : [name(h.types)];
  return new Set(names.flatMap((n) => (Object.hasOwn(CATCHES, n) ? (CATCHES[n] as RaiseKind[]) : [])));
}

/**
 * try/except. The calls the body makes that raise a modelled exception (ip_address(), json.loads(),
 * indexing) record where they raise; when all of them go to one handler and none raises inside a loop of
 * the body, the handler runs exactly where they raise. Otherwise, in rule() itself, a try whose body
 * raises nothing modelled and whose handlers only return a false value agrees with "an exception means
 * no alert".
 */
function tryStmt(L: Lifter, st: Extract<Stmt, { t: 'Try' }>, env: Env, mod: ModCtx): Flow {
  const site = siteOf(mod, st);
  if (st.finalbody.length) return opaqueFlow(L, 'try/finally', site);
  const frame = { raises: [] as { when: Pred; kind: RaiseKind }[], late: false, loops: L.loops };
  L.tryFrames.push(frame);
  let body: Flow;
  try {
    body = block(L, [...st.body, ...st.orelse], env, mod);
  } finally {
    L.tryFrames.pop();
  }
  const handler = st.handlers.find((h) => frame.raises.some((r) => caught(h).has(r.kind)));
  const others = st.handlers.filter((h) => h !== handler);
  // every modelled exception must go to that one handler (or none)
  const consistent = handler !== undefined && !others.some((h) => frame.raises.some((r) => caught(h).has(r.kind) && !caught(handler).has(r.kind)));
  if (frame.raises.length && !frame.late && handler && consistent) {
    const c = caught(handler);
    // an exception no handler catches goes on to the enclosing try, or ends rule()
    const uncaught = frame.raises.filter((r) => !c.has(r.kind));
    if (uncaught.length && !raises(L, uncaught)) return opaqueFlow(L, 'try/except around a call that may raise an exception its handlers do not catch', site);
    const valid = not(or(...frame.raises.filter((r) => c.has(r.kind)).map((r) => r.when)));
    const h = block(L, handler.body, handler.name ? new Map([...env, [handler.name, L.opaque('exception', 'the caught exception object', site)]]) : env, mod);
    return join(valid, body, h);
  }
  const onlyFalse = st.handlers.every((h) => h.body.length === 1 && (h.body[0] as Stmt).t === 'Return' && isFalseConst((h.body[0] as Extract<Stmt, { t: 'Return' }>).value));
  if (frame.raises.length === 0 && onlyFalse && L.depth <= 1) return body;
  return opaqueFlow(
    L,
    frame.raises.length
      ? 'try/except around a call that may raise only on some paths (or whose exceptions go to different handlers)'
      : 'try/except outside rule() or whose handler does not just return a false value',
    site,
  );
}

function isFalseConst(e: Expr | null): boolean {
  return e === null || (e.t === 'Const' && (e.value === false || e.value === null || e.value === '' || e.value === 0));
}

