/** Expressions: one lifting rule per kind of Python expression. */
import type { Json } from '../../ast/types.js';
import { and, not } from '../../ast/normalize.js';
import { pyEq, isMapping } from '../../ast/evaluate.js';
import type { Expr } from '../ast.js';
import type { Lifter } from '../lift.js';
import type { ModCtx } from '../module.js';
import { cst, dictItem, DICT_VALUE_KINDS, item, ite, pred, siteOf, val, type Env, type PyKind, type SV, type SVOf } from '../values.js';
import { comprehension, quantify, unscopedIf } from './loops.js';
import { attribute, binop, compare, index, strOf } from './operators.js';

type ExprOf<T extends Expr['t']> = Expr & { t: T };
type ExprRule<T extends Expr['t']> = (L: Lifter, e: ExprOf<T>, env: Env, mod: ModCtx) => SV;

const sequence: ExprRule<'List' | 'Tuple' | 'Set'> = (L, e, env, mod) => {
  const items = e.elts.map((x) => L.expr(x, env, mod));
  if (items.every((x) => x.s === 'const')) {
    let vs = items.map((x) => (x as SVOf<'const'>).v);
    if (e.t === 'Set') vs = vs.filter((x, i) => vs.findIndex((y) => pyEq(x, y)) === i);
    return cst(vs, e.t === 'List' ? 'list' : e.t === 'Tuple' ? 'tuple' : 'set');
  }
  return { s: 'seq', items, kind: e.t === 'Tuple' ? 'tuple' : 'list' };
};

const EXPRS: { [T in Expr['t']]?: ExprRule<T> } = {
  Const: (_L, e) => cst(e.value),
  Name: (L, e, env, mod) => L.lookup(e.id, env, mod, e),
  List: sequence,
  Tuple: sequence,
  Set: sequence,
  Dict: (L, e, env, mod) => {
    // an int, float, bool or None key: a dict whose keys Python compares by hash (scalarKeyDict)
    const keys = e.keys.map((k) => (k ? L.expr(k, env, mod) : null));
    const scalarKey = (ks: SV | null): boolean => ks?.s === 'const' && (ks.v === null || typeof ks.v === 'number' || typeof ks.v === 'boolean');
    if (keys.some(scalarKey)) return scalarKeyDict(L, e, keys, env, mod);
    const entries: [string, SV][] = [];
    for (let i = 0; i < e.keys.length; i++) {
      const k = e.keys[i];
      const v = L.expr(e.values[i] as Expr, env, mod);
      if (k === null || k === undefined) {
        if (v.s === 'dict') entries.push(...v.entries);
        else if (v.s === 'const' && isMapping(v.v)) for (const kk of Object.keys(v.v)) entries.push([kk, dictItem(v.v, kk)]);
        else return L.opaque('dict', 'dict unpacking of a value the lifter cannot read', siteOf(mod, e));
        continue;
      }
      const ks = keys[i] as SV;
      if (ks.s !== 'const' || typeof ks.v !== 'string') return L.opaque('dict', ks.s === 'const' ? 'dict with non-string keys' : 'dict with a computed key', siteOf(mod, e));
      const key = String(ks.v);
      const idx = entries.findIndex(([x]) => x === key);
      if (idx >= 0) entries.splice(idx, 1);
      entries.push([key, v]);
    }
    if (entries.every(([, v]) => v.s === 'const')) {
      const o: { [k: string]: Json } = {};
      const kinds: Record<string, PyKind> = {};
      for (const [k, v] of entries) {
        o[k] = (v as SVOf<'const'>).v;
        const kind = (v as SVOf<'const'>).kind;
        if (kind === 'set' || kind === 'tuple') kinds[k] = kind;
      }
      if (Object.keys(kinds).length > 0) DICT_VALUE_KINDS.set(o, kinds);
      return cst(o, 'dict');
    }
    return { s: 'dict', entries };
  },
  Not: (L, e, env, mod) => pred(not(L.truth(L.expr(e.operand, env, mod), siteOf(mod, e.operand)))),
  BoolOp: (L, e, env, mod) => {
    const l = L.expr(e.left, env, mod);
    const t = L.truth(l, siteOf(mod, e.left));
    if (t.k === 'const') {
      if (e.op === 'and') return t.v ? L.expr(e.right, env, mod) : l;
      return t.v ? l : L.expr(e.right, env, mod);
    }
    const r = L.under(e.op === 'and' ? t : not(t), () => L.expr(e.right, env, mod));
    return e.op === 'and' ? ite(t, r, l) : ite(t, l, r);
  },
  Compare: (L, e, env, mod) => {
    const site = siteOf(mod, e);
    let left = L.expr(e.left, env, mod);
    const parts: SV[] = [];
    for (let i = 0; i < e.ops.length; i++) {
      // a chained comparison evaluates a later operand only where the earlier comparisons held
      const right = unscopedIf(L, i > 0, () => L.expr(e.comparators[i] as Expr, env, mod));
      parts.push(compare(L, e.ops[i] as string, left, right, site));
      left = right;
    }
    if (parts.length === 1) return parts[0] as SV;
    return pred(and(...parts.map((p) => L.truth(p, site))));
  },
  IfExp: (L, e, env, mod) => {
    const c = L.truth(L.expr(e.test, env, mod), siteOf(mod, e.test));
    if (c.k === 'const') return L.expr(c.v ? e.body : e.orelse, env, mod);
    return ite(c, L.under(c, () => L.expr(e.body, env, mod)), L.under(not(c), () => L.expr(e.orelse, env, mod)));
  },
  Attribute: (L, e, env, mod) => attribute(L, L.expr(e.obj, env, mod), e.attr, siteOf(mod, e)),
  Subscript: (L, e, env, mod) => subscript(L, e, env, mod),
  Call: (L, e, env, mod) => call(L, e, env, mod),
  BinOp: (L, e, env, mod) => binop(L, e.op, L.expr(e.left, env, mod), L.expr(e.right, env, mod), siteOf(mod, e)),
  UnaryOp: (L, e, env, mod) => {
    const v = L.expr(e.operand, env, mod);
    if (v.s === 'const' && typeof v.v === 'number') return cst(e.op === '-' ? -v.v : e.op === '+' ? v.v : ~v.v);
    return L.opaque('unary', `unary '${e.op}' on a value the lifter cannot read`, siteOf(mod, e));
  },
  Walrus: (L, e, env, mod) => {
    // (x := value) binds x in the current scope, in evaluation order
    const v = L.expr(e.value, env, mod);
    env.set(e.target, v);
    return v;
  },
  Lambda: (_L, e, env, mod) => ({ s: 'lambda', params: e.params, body: e.body, mod, env: new Map(env) }),
  FString: (L, e, env, mod) => {
    const site = siteOf(mod, e);
    const parts: SV[] = e.parts.map((p) => (typeof p === 'string' ? cst(p) : p.spec || p.conv ? L.opaque('fstring', 'format spec in an f-string', site) : strOf(L, L.expr(p.expr, env, mod), site)));
    return parts.reduce((acc, p) => binop(L, '+', acc, p, site), cst(''));
  },
  Comp: (L, e, env, mod) => comprehension(L, e, env, mod),
};

/** The value of an expression (the step budget is counted by Lifter.expr). */
export function liftExpr(L: Lifter, e: Expr, env: Env, mod: ModCtx): SV {
  const rule = EXPRS[e.t] as ExprRule<Expr['t']> | undefined;
  if (rule) return rule(L, e, env, mod);
  return L.opaque('syntax', `${e.t === 'Unsupported' ? e.what : e.t} is not supported`, siteOf(mod, e));
}

/**
 * A dict literal with a key that is not a str: its keys must be constant scalars (an int, float, bool or
 * None: hashable, and compared as Python hashes them, so 1, 1.0 and True are one key, the first written
 * kept with the last value); a str key may sit beside them. Unpacking (**x) or another key: not read.
 */
function scalarKeyDict(L: Lifter, e: ExprOf<'Dict'>, keys: (SV | null)[], env: Env, mod: ModCtx): SV {
  const entries: [Json, SV][] = [];
  for (let i = 0; i < e.keys.length; i++) {
    const ks = keys[i];
    if (!ks) return L.opaque('dict', 'dict unpacking beside keys that are not str', siteOf(mod, e));
    if (ks.s !== 'const' || (ks.v !== null && typeof ks.v === 'object')) return L.opaque('dict', ks.s === 'const' ? 'dict with non-string keys' : 'dict with a computed key', siteOf(mod, e));
    const v = L.expr(e.values[i] as Expr, env, mod);
    const idx = entries.findIndex(([x]) => pyEq(x, ks.v));
    if (idx >= 0) (entries[idx] as [Json, SV])[1] = v;
    else entries.push([ks.v, v]);
  }
  return { s: 'kdict', entries };
}

function subscript(L: Lifter, e: ExprOf<'Subscript'>, env: Env, mod: ModCtx): SV {
  const obj = L.expr(e.obj, env, mod);
  const site = siteOf(mod, e);
  if (e.index.t === 'Slice') {
    const { lower, upper, step } = e.index;
    const bounds = (): [SV, SV] => [lower ? L.expr(lower, env, mod) : cst(null), upper ? L.expr(upper, env, mod) : cst(null)];
    if (obj.s === 'const' && (typeof obj.v === 'string' || Array.isArray(obj.v))) {
      const [lo, hi] = bounds();
      if (lo.s === 'const' && hi.s === 'const' && !step) {
        const len = obj.v.length;
        const norm = (x: Json, d: number): number => (x === null ? d : (x as number) < 0 ? Math.max(0, len + (x as number)) : Math.min(len, x as number));
        return cst(obj.v.slice(norm(lo.v, 0), norm(hi.v, len)) as Json, obj.kind);
      }
    }
    const [lo, hi] = bounds();
    const bound = (b: SV): boolean => b.s === 'const' && (b.v === null || (typeof b.v === 'number' && Number.isInteger(b.v)));
    if (obj.s === 'val' && !step && bound(lo) && bound(hi)) {
      return val({ k: 'fn', fn: 'slice', args: [obj.v, { k: 'lit', v: (lo as SVOf<'const'>).v }, { k: 'lit', v: (hi as SVOf<'const'>).v }] });
    }
    return L.opaque('slice', 'slicing an event value with a step or computed bounds', site);
  }
  return index(L, obj, L.expr(e.index, env, mod), site);
}

function call(L: Lifter, e: ExprOf<'Call'>, env: Env, mod: ModCtx): SV {
  const f = L.expr(e.func, env, mod);
  if (f.s === 'opaque') return L.derive(f);
  const site = siteOf(mod, e);
  const args: SV[] = [];
  for (const a of e.args) {
    if (a.t === 'Starred') {
      const v = L.expr(a.value, env, mod);
      if (v.s === 'const' && Array.isArray(v.v)) args.push(...v.v.map(item));
      else if (v.s === 'seq') args.push(...v.items);
      else return L.opaque('call', '*args of a value the lifter cannot read', site);
    } else if (a.t === 'Comp' && a.kind === 'gen' && f.s === 'native' && (f.name === 'any' || f.name === 'all')) {
      // any()/all() of a generator: a quantifier over its generators
      const q = f.name;
      return pred(quantify(L, q, a.gens, 0, env, mod, (e2) => L.truth(L.expr(a.elt, e2, mod), siteOf(mod, a.elt)), siteOf(mod, a)));
    } else args.push(L.expr(a, env, mod));
  }
  const kwargs = new Map<string, SV>();
  for (const k of e.kwargs) {
    if (k.name === null) return L.opaque('call', '**kwargs in a call', site);
    kwargs.set(k.name, L.expr(k.value, env, mod));
  }
  // a method of a collection the function holds alone, called by an expression statement (which
  // rebinds the name: lift/flow.ts), changes nothing another name sees (lift/private.ts)
  if (f.s === 'method' && L.stmtCall === e && e.func.t === 'Attribute' && e.func.obj.t === 'Name' && L.isPrivate(e.func.obj.id)) L.quietChange = true;
  try {
    return L.apply(f, args, kwargs, site);
  } finally {
    L.quietChange = false;
  }
}
