/**
 * The lifter: symbolic evaluation of a Panther rule's Python into the neutral AST.
 *
 * Python is never executed. Each expression evaluates to a symbolic value (SV): a Python constant, a
 * value read from the event, a predicate, a conditional (`ite`) between two SVs, a function, a module,
 * a dict or list of SVs, or an opaque piece with its reason and position. Statements run over
 * environments with path conditions, so if/early-return chains, local assignments, helper calls
 * (inlined from their own source, across modules) and loops over constants need no special cases.
 */
import type { Json, Pred, PyType, Span, Val } from '../ast/types.js';
import { and, negId, not, or, predId, simplify, TRUE, FALSE } from '../ast/normalize.js';
import { pyEq, truthy as pyTruthy, pyStr, isMapping, PyError } from '../ast/evaluate.js';
import type { Expr, Module, Param, Stmt } from './ast.js';
import { ipClass, ipValid, type IpClass } from '../ast/ipclass.js';
import { parseIp, parseNet } from '../ast/ip.js';

// ---------------------------------------------------------------------------------------------
// Symbolic values

type PyKind = 'list' | 'tuple' | 'set' | 'dict' | 'scalar';

export type SV =
  | { s: 'const'; v: Json; kind: PyKind }
  | { s: 'val'; v: Val }
  | { s: 'pred'; p: Pred; /** a regex match object: None when the predicate is false */ nullable?: boolean }
  | { s: 'ite'; c: Pred; a: SV; b: SV }
  | { s: 'func'; def: Extract<Stmt, { t: 'FunctionDef' }>; mod: ModCtx; bound?: SV }
  | { s: 'lambda'; params: Param[]; body: Expr; mod: ModCtx; env: Env }
  | { s: 'module'; mod: ModCtx }
  | { s: 'native'; name: string }
  | { s: 'method'; obj: SV; name: string }
  | { s: 'dict'; entries: [string, SV][] }
  | { s: 'seq'; items: SV[]; kind: 'list' | 'tuple' }
  | { s: 'regex'; pattern: string; flags: string }
  | { s: 'type'; type: PyType }
  | { s: 'ip'; v: Val }
  | { s: 'mock'; v: Json; name: string }
  /** A list comprehension over constants whose filter depends on the event: item i is present when c. */
  | { s: 'fseq'; items: { c: Pred; v: SV }[]; span: Span }
  /** A list comprehension over an event list: elt/cond read the element as elem at `level`. */
  | { s: 'map'; list: Val; guard: Pred; elt: SV; cond: Pred; level: number; span: Span }
  /** len() of a filtered sequence or comprehension. */
  | { s: 'len'; of: SV }
  | { s: 'net'; cidr: string }
  | { s: 'opaque'; code: string; reason: string; span: Span; uid?: number };

export type Env = Map<string, SV>;

export interface ModCtx {
  name: string;
  file: string;
  mod: Module;
  defs: Map<string, Extract<Stmt, { t: 'FunctionDef' }>>;
  assigns: Map<string, { value: Expr; pos: Span }>;
  imports: Map<string, { module: string; name: string | null; pos: Span }>;
  /** Module names changed after their assignment (`X += ...`, `X.append(...)`): their value is not the literal. */
  mutated: Set<string>;
  /** Module names rule() declares `global` (and may rewrite): unknown to the output functions. */
  globalInRule: Set<string>;
}

/** How the lifter finds modules named by imports: the rule's folder, then global_helpers. */
export interface ModuleResolver {
  resolve(name: string): ModCtx | null;
}

/** Native modules the lifter understands (their functions are modelled, not inlined). */
const NATIVE_MODULES = new Set(['re', 'fnmatch', 'functools', 'collections', 'collections.abc', 'typing', 'json', 'ipaddress', 'unittest.mock', 'unittest', 'logging']);
/** Modules whose use makes a rule stateful or time-dependent (never liftable to a stateless query). */
/**
 * Modules whose functions read state outside the event: Panther's detection cache (DynamoDB), AWS and
 * HTTP clients, and the clock. (Enrichment helpers are lifted like any helper: what they read is the
 * event's p_enrichment data, which the pipeline reports.)
 */
const STATEFUL = /^(panther_detection_helpers|boto3|botocore|requests|urllib|datetime|time|dateutil)(\.|$)/;

export function moduleCtx(mod: Module, name: string): ModCtx {
  const ctx: ModCtx = { name, file: mod.file, mod, defs: new Map(), assigns: new Map(), imports: new Map(), mutated: new Set(), globalInRule: new Set() };
  for (const st of mod.body) collectTop(st, ctx);
  return ctx;
}

function collectTop(st: Stmt, ctx: ModCtx): void {
  const pos = { file: ctx.file, line: st.line, col: st.col };
  if (st.t === 'FunctionDef') {
    ctx.defs.set(st.name, st);
    // `global X` inside a function: X is per-event state written at run time, not its module literal.
    // Written only by rule() (typically the test-mock idiom), rule() itself may still read the literal.
    const into = st.name === 'rule' ? ctx.globalInRule : ctx.mutated;
    const walk = (b: Stmt[]): void => {
      for (const x of b) {
        if (x.t === 'Global') for (const n of x.names) into.add(n);
        else if (x.t === 'If' || x.t === 'For') walk([...x.body, ...x.orelse]);
        else if (x.t === 'While') walk(x.body);
        else if (x.t === 'Try') walk([...x.body, ...x.orelse, ...x.finalbody, ...x.handlers.flatMap((h) => h.body)]);
      }
    };
    walk(st.body);
  }
  else if (st.t === 'AugAssign' && st.target.t === 'Name') ctx.mutated.add(st.target.id);
  else if (st.t === 'Expr' && st.value.t === 'Call' && st.value.func.t === 'Attribute' && st.value.func.obj.t === 'Name') ctx.mutated.add(st.value.func.obj.id);
  else if (st.t === 'Assign') {
    for (const tg of st.targets) if (tg.t === 'Name') ctx.assigns.set(tg.id, { value: st.value, pos });
  } else if (st.t === 'Import') {
    for (const n of st.names) {
      if (n.asname) ctx.imports.set(n.asname, { module: n.name, name: null, pos });
      else ctx.imports.set(n.name.split('.')[0] as string, { module: n.name.split('.')[0] as string, name: null, pos });
    }
  } else if (st.t === 'ImportFrom') {
    for (const n of st.names) ctx.imports.set(n.asname ?? n.name, { module: st.module, name: n.name, pos });
  } else if (st.t === 'If' || st.t === 'Try') {
    // module-level conditional definitions: take both branches' definitions (first wins)
    const inner = st.t === 'If' ? [...st.body, ...st.orelse] : [...st.body, ...st.handlers.flatMap((h) => h.body)];
    for (const s of inner) if (!(s.t === 'Assign' && s.targets.some((t) => t.t === 'Name' && ctx.assigns.has(t.id)))) collectTop(s, ctx);
  }
}

// ---------------------------------------------------------------------------------------------
// Constructors

const cst = (v: Json, kind: PyKind = 'scalar'): SV => ({ s: 'const', v, kind });
const NONE = cst(null);
const val = (v: Val): SV => ({ s: 'val', v });
const pred = (p: Pred): SV => (p.k === 'const' ? cst(p.v) : { s: 'pred', p });

function ite(c: Pred, a: SV, b: SV): SV {
  if (c.k === 'const') return c.v ? a : b;
  if (sameSV(a, b)) return a;
  // isinstance(d, Mapping) and d.get(k, D) else D  ==>  a safe deep_get step
  if (c.k === 'istype' && c.type === 'dict' && a.s === 'val' && a.v.k === 'get' && !a.v.deep && !a.v.strict && sameVal(a.v.obj, c.value)) {
    const d = a.v.default ?? { k: 'lit', v: null };
    if (b.s === 'const' && d.k === 'lit' && pyEq(d.v, b.v)) return val({ ...a.v, safe: true });
  }
  // (D if v is None else v) where v is a chain of safe steps with default D  ==>  deep_get(..., default=D)
  if (c.k === 'not' && c.arg.k === 'exists' && b.s === 'val' && sameVal(c.arg.value, b.v) && a.s === 'const' && !(isMapping(a.v) && Object.keys(a.v).length > 0)) {
    const deep = toDeep(b.v, a.v);
    if (deep) return val(deep);
  }
  return { s: 'ite', c, a, b };
}

function toDeep(v: Val, d: Json): Val | null {
  if (v.k !== 'get' || !v.safe) return null;
  const ownDefault = v.default?.k === 'lit' ? v.default.v : null;
  if (!pyEq(ownDefault, d) && ownDefault !== null) return null;
  const strip = (x: Val): Val | null => {
    if (x.k === 'get' && x.safe) {
      const inner = strip(x.obj);
      if (!inner) return null;
      const { default: _d, safe: _s, ...rest } = x;
      return { ...rest, obj: inner, deep: true };
    }
    if (x.k === 'get' && x.deep) return x;
    return x.k === 'event' || x.k === 'elem' ? x : null;
  };
  const inner = strip(v.obj);
  if (!inner) return null;
  return { k: 'get', obj: inner, key: v.key, deep: true, ...(d !== null ? { default: { k: 'lit', v: d } } : {}) };
}

function sameVal(a: Val, b: Val): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function sameSV(a: SV, b: SV): boolean {
  if (a === b) return true;
  if (a.s === 'const' && b.s === 'const') return a.kind === b.kind && pyEq(a.v, b.v) && typeof a.v === typeof b.v;
  if (a.s === 'val' && b.s === 'val') return sameVal(a.v, b.v);
  if (a.s === 'pred' && b.s === 'pred') return predId(a.p) === predId(b.p);
  return false;
}

// ---------------------------------------------------------------------------------------------
// The lifter

export interface LiftResult {
  pred: Pred;
  sv: SV;
}

class Abort extends Error {}

/** How `event.udm(name)` reads for the log type being lifted: a path, or a method of the data model's module. */
/** The exceptions the lifter models: where they raise is recorded so an except clause can take over exactly. */
type RaiseKind = 'json' | 'value' | 'type' | 'index' | 'key';

export type UdmResolver = (name: string) => { path: string[] } | { method: string; mod: ModCtx } | { missing: string } | null;

export class Lifter {
  private depth = 0;
  private quantLevel = 0;
  /** Functions being called (to bound recursion) and results of calls already lifted. */
  private stack: string[] = [];
  private memo = new Map<string, SV>();
  /** The rule's own module (where test mocks apply). */
  ruleMod: ModCtx | null = null;
  /** Lifting title()/alert_context()/dedup()/severity(): globals rule() writes are unknown there. */
  outputMode = false;
  /** Open try blocks: the validity tests of the ip_address() conversions their body makes. */
  private tryFrames: { raises: { when: Pred; kind: RaiseKind }[]; late: boolean; loops: number }[] = [];
  /** Conditions known to hold where the lifter is evaluating (if/else arms, `and`/`or` right sides). */
  private assumed: Pred[] = [];
  /** How deep inside loops (whose iterations the path conditions do not name) the lifter is. */
  private loops = 0;
  /** Work budget: a rule whose lift explodes is reported, not waited for. */
  private steps = 0;
  static readonly MAX_STEPS = 60_000;
  /** Module globals evaluated so far (per lifter, since mocks change them). */
  private caches = new Map<ModCtx, Map<string, SV>>();
  constructor(
    private resolver: ModuleResolver,
    /**
     * Test mocks, as Panther applies them: each named object of the rule's own module becomes a
     * MagicMock whose call returns the given value.
     */
    private mocks: Map<string, Json> = new Map(),
    private udm: UdmResolver = () => null,
  ) {}

  private uids = 0;

  opaque(code: string, reason: string, at: { line: number; col: number }, mod: ModCtx): SV {
    return { s: 'opaque', code, reason, span: { file: mod.file, line: at.line, col: at.col }, uid: ++this.uids };
  }

  /**
   * An operation on an unknown value gives another unknown value: a fresh identity, so that two
   * different questions about it (is it truthy? is it "x"?) never simplify against each other.
   */
  derive(v: SV): SV {
    return v.s === 'opaque' ? { ...v, uid: ++this.uids } : v;
  }

  // --- truthiness -------------------------------------------------------------------------
  truth(v: SV): Pred {
    switch (v.s) {
      case 'const':
        return { k: 'const', v: pyTruthy(v.v) };
      case 'val':
        return { k: 'truthy', value: v.v };
      case 'pred':
        return v.p;
      case 'ite': {
        const k = this.known(v.c);
        if (k !== undefined) return this.truth(k ? v.a : v.b);
        return or(and(v.c, this.under(v.c, () => this.truth(v.a))), and(not(v.c), this.under(not(v.c), () => this.truth(v.b))));
      }
      case 'dict':
        return { k: 'const', v: v.entries.length > 0 };
      case 'seq':
        return { k: 'const', v: v.items.length > 0 };
      case 'opaque':
        return { k: 'opaque', code: v.code, reason: v.reason, span: v.span, ...(v.uid ? { uid: v.uid } : {}) };
      case 'fseq':
      case 'map':
        return this.someItem(v, () => TRUE) ?? { k: 'opaque', code: 'comprehension', reason: 'a comprehension used inside another loop', span: v.span };
      case 'len':
        return this.truth(v.of);
      default:
        return TRUE;
    }
  }

  // --- conversion of an SV to a Val (for comparisons and outputs) ---------------------------
  asVal(v: SV): Val | null {
    if (v.s === 'val') return v.v;
    if (v.s === 'const') return { k: 'lit', v: v.v };
    return null;
  }

  // --- filtered sequences and comprehensions -------------------------------------------------
  /** Some item of a filtered sequence or comprehension satisfies `test` (null when not expressible here). */
  someItem(v: Extract<SV, { s: 'fseq' | 'map' }>, test: (item: SV) => Pred): Pred | null {
    if (v.s === 'fseq') return or(...v.items.map((it) => and(it.c, test(it.v))));
    // the quantifier must sit at the nesting level the comprehension's elements were read at
    if (this.quantLevel !== v.level) return null;
    this.quantLevel++;
    try {
      return and(v.guard, { k: 'quant', q: 'any', list: v.list, pred: and(v.cond, test(v.elt)) });
    } finally {
      this.quantLevel--;
    }
  }

  /** Every item of a filtered sequence or comprehension satisfies `test`. */
  everyItem(v: Extract<SV, { s: 'fseq' | 'map' }>, test: (item: SV) => Pred): Pred | null {
    const neg = this.someItem(v, (it) => not(test(it)));
    return neg === null ? null : not(neg);
  }

  // --- comparisons -------------------------------------------------------------------------
  compare(op: string, a: SV, b: SV, at: { line: number; col: number }, mod: ModCtx): SV {
    if (a.s === 'ite') return this.iteMap(a, (x) => this.compare(op, x, b, at, mod));
    if (b.s === 'ite') return this.iteMap(b, (x) => this.compare(op, a, x, at, mod));
    if (a.s === 'opaque') return this.derive(a);
    if (b.s === 'opaque') return this.derive(b);
    if (a.s === 'len' && b.s === 'const' && typeof b.v === 'number') {
      // len(comprehension) against a constant: only emptiness is expressible
      const ne = this.truth(a.of);
      const k = b.v;
      const table: Record<string, Pred | null> = {
        '>': k === 0 ? ne : k < 0 ? TRUE : null,
        '>=': k === 1 ? ne : k <= 0 ? TRUE : null,
        '!=': k === 0 ? ne : null,
        '==': k === 0 ? not(ne) : null,
        '<': k === 1 ? not(ne) : k <= 0 ? FALSE : null,
        '<=': k === 0 ? not(ne) : k < 0 ? FALSE : null,
      };
      const r = table[op];
      return r ? pred(r) : this.opaque('len', `len() of a comprehension compared ${op} ${k} (needs counting)`, at, mod);
    }
    switch (op) {
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case '<>':
        return this.cmp(op === '<>' ? '!=' : op, a, b, at, mod);
      case 'is':
      case 'is not': {
        const neg = op === 'is not';
        const isNone = (x: SV): boolean => x.s === 'const' && x.v === null;
        if (isNone(b) || isNone(a)) {
          const other = isNone(b) ? a : b;
          if (other.s === 'const') return cst(neg !== (other.v === null));
          const ov = this.asVal(other);
          if (ov) return pred(neg ? { k: 'exists', value: ov } : not({ k: 'exists', value: ov }));
          if (other.s === 'pred') return other.nullable ? pred(neg ? other.p : not(other.p)) : cst(neg);
          return this.opaque('is', `'${op} None' on a value the lifter cannot read`, at, mod);
        }
        if (b.s === 'const' && typeof b.v === 'boolean') {
          const av = this.asVal(a);
          if (av) {
            const p: Pred = and({ k: 'istype', value: av, type: 'bool' }, { k: 'cmp', op: 'eq', left: av, right: { k: 'lit', v: b.v } });
            return pred(neg ? not(p) : p);
          }
          if (a.s === 'pred') return pred(neg !== b.v ? a.p : not(a.p));
        }
        return this.cmp(neg ? '!=' : '==', a, b, at, mod);
      }
      case 'in':
      case 'not in': {
        const r = this.inOp(a, b, at, mod);
        return op === 'in' ? r : r.s === 'opaque' ? r : pred(not(this.truth(r)));
      }
    }
    return this.opaque('compare', `comparison '${op}' is not supported`, at, mod);
  }

  iteMap(v: Extract<SV, { s: 'ite' }>, f: (x: SV) => SV): SV {
    const k = this.known(v.c);
    if (k !== undefined) return f(k ? v.a : v.b);
    // each arm is only ever computed where its condition holds: nested conditionals see that
    return ite(v.c, this.under(v.c, () => f(v.a)), this.under(not(v.c), () => f(v.b)));
  }

  /** Is `p` known true (or false) from the conditions assumed here? Only conjuncts are consulted. */
  known(p: Pred): boolean | undefined {
    if (this.assumed.length === 0) return undefined;
    if (p.k === 'and' || p.k === 'or') {
      // and: true when every part is known true, false when one is known false (dually for or)
      const ks = p.args.map((a) => this.known(a));
      const decisive = p.k === 'or';
      if (ks.some((k) => k === decisive)) return decisive;
      if (ks.every((k) => k === !decisive)) return !decisive;
    }
    if (p.k === 'not') {
      const k = this.knownAtom(p.arg);
      if (k !== undefined) return !k;
    }
    return this.knownAtom(p);
  }

  knownAtom(p: Pred): boolean | undefined {
    const id = predId(p);
    const neg = negId(p);
    for (const a of this.assumed) {
      const fs = factIds(a);
      if (fs.has(id)) return true;
      if (fs.has(neg)) return false;
    }
    return undefined;
  }

  /** Evaluate `f` with `p` assumed to hold. */
  under<T>(p: Pred, f: () => T): T {
    if (p.k === 'const') return f();
    this.assumed.push(p);
    try {
      return f();
    } finally {
      this.assumed.pop();
    }
  }

  cmp(op: string, a: SV, b: SV, at: { line: number; col: number }, mod: ModCtx): SV {
    const ops: Record<string, 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
    const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
    const k = ops[op] as 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
    if (a.s === 'const' && b.s === 'const') {
      try {
        const p: Pred = { k: 'cmp', op: k, left: { k: 'lit', v: a.v }, right: { k: 'lit', v: b.v } };
        return cst(evalConstPred(p));
      } catch {
        return this.opaque('compare', `comparison of incompatible constants`, at, mod);
      }
    }
    if (a.s === 'pred' && b.s === 'const' && typeof b.v === 'boolean' && (k === 'eq' || k === 'ne')) {
      return pred(k === 'eq' === b.v ? a.p : not(a.p));
    }
    if (b.s === 'pred' && a.s === 'const') return this.cmp(flip[op] as string, b, a, at, mod);
    if (a.s === 'pred' && b.s === 'pred' && (k === 'eq' || k === 'ne')) {
      const same = or(and(a.p, b.p), and(not(a.p), not(b.p)));
      return pred(k === 'eq' ? same : not(same));
    }
    if (a.s === 'const' && b.s === 'val') return this.cmp(flip[op] as string, b, a, at, mod);
    const av = this.asVal(a);
    const bv = this.asVal(b);
    if (av && bv) {
      if (bv.k === 'lit' && bv.v === null && (k === 'eq' || k === 'ne')) {
        return pred(k === 'eq' ? not({ k: 'exists', value: av }) : { k: 'exists', value: av });
      }
      if (bv.k === 'lit' && (Array.isArray(bv.v) || isMapping(bv.v)) && k !== 'eq' && k !== 'ne') {
        return this.opaque('compare', 'ordering comparison with a collection', at, mod);
      }
      return pred({ k: 'cmp', op: k, left: av, right: bv });
    }
    if ((a.s === 'dict' || a.s === 'seq') && b.s === 'const' && (k === 'eq' || k === 'ne')) {
      const empty = Array.isArray(b.v) ? b.v.length === 0 : isMapping(b.v) ? Object.keys(b.v).length === 0 : false;
      const aEmpty = a.s === 'dict' ? a.entries.length === 0 : a.items.length === 0;
      if (empty && aEmpty) return cst(k === 'eq');
      if (empty && !aEmpty) return cst(k === 'ne');
    }
    return this.opaque('compare', `comparison between values the lifter cannot read (${a.s} ${op} ${b.s})`, at, mod);
  }

  inOp(a: SV, b: SV, at: { line: number; col: number }, mod: ModCtx): SV {
    if (a.s === 'ite') return this.iteMap(a, (x) => this.inOp(x, b, at, mod));
    if (b.s === 'ite') return this.iteMap(b, (x) => this.inOp(a, x, at, mod));
    if (a.s === 'opaque') return this.derive(a);
    if (b.s === 'opaque') return this.derive(b);
    if (a.s === 'ip' && b.s === 'net') return pred(and(ipValid(a.v), { k: 'cidr', value: a.v, ranges: [b.cidr] }));
    if (b.s === 'fseq' || b.s === 'map') {
      const p = this.someItem(b, (it) => this.truth(this.cmp('==', a, it, at, mod)));
      return p ? pred(p) : this.opaque('comprehension', 'membership in a comprehension used inside another loop', at, mod);
    }
    if (b.s === 'const') {
      const coll = b.v;
      if (typeof coll === 'string') {
        if (a.s === 'const' && typeof a.v === 'string') return cst(coll.includes(a.v));
        return this.opaque('in-string', 'a field tested as a substring of a constant string', at, mod);
      }
      const items: Json[] = Array.isArray(coll) ? coll : isMapping(coll) ? Object.keys(coll) : [];
      if (coll === null || typeof coll !== 'object') return this.opaque('in', `'in' on a ${typeof coll} constant`, at, mod);
      if (a.s === 'const') return cst(items.some((x) => pyEq(x, a.v)));
      const av = this.asVal(a);
      // sets and dict keys hash their probe: a list or dict value raises TypeError (unhashable)
      if (av) return pred({ k: 'in', value: av, list: items, ...(b.kind === 'set' || b.kind === 'dict' ? { hashed: true } : {}) });
      if (a.s === 'pred') return pred(or(items.some((x) => pyEq(x, true)) ? a.p : FALSE, items.some((x) => pyEq(x, false)) ? not(a.p) : FALSE));
      return this.opaque('in', `'in' on a value the lifter cannot read`, at, mod);
    }
    if (b.s === 'seq') {
      return pred(or(...b.items.map((x) => this.truth(this.cmp('==', a, x, at, mod)))));
    }
    if (b.s === 'dict') {
      if (a.s === 'const' && typeof a.v === 'string') return cst(b.entries.some(([k]) => k === a.v));
      const av = this.asVal(a);
      if (av) return pred({ k: 'in', value: av, list: b.entries.map(([k]) => k) });
    }
    if (b.s === 'val') {
      if (a.s === 'const' && (typeof a.v === 'string' || typeof a.v === 'number' || typeof a.v === 'boolean')) {
        if (typeof a.v === 'string') return pred({ k: 'match', kind: 'contains', value: b.v, pattern: a.v });
        return pred({ k: 'has', value: b.v, needle: a.v });
      }
      const av = this.asVal(a);
      if (av) return pred({ k: 'rel', rel: 'in', value: b.v, other: av });
      return this.opaque('field-in-field', 'membership of one field in another', at, mod);
    }
    return this.opaque('in', `'in' between ${a.s} and ${b.s}`, at, mod);
  }

  // --- names ---------------------------------------------------------------------------------
  lookup(name: string, env: Env, mod: ModCtx, at: { line: number; col: number }): SV {
    const local = env.get(name);
    if (local) return local;
    return this.global(name, mod, at);
  }

  global(name: string, mod: ModCtx, at: { line: number; col: number }): SV {
    let cache = this.caches.get(mod);
    if (!cache) this.caches.set(mod, (cache = new Map()));
    const cached = cache.get(name);
    if (cached) return cached;
    let out: SV;
    if (this.mocks.has(name) && mod === this.ruleMod && (mod.assigns.has(name) || mod.imports.has(name) || mod.defs.has(name))) {
      out = { s: 'mock', v: this.mocks.get(name) as Json, name };
    } else if (mod.defs.has(name)) {
      out = { s: 'func', def: mod.defs.get(name) as Extract<Stmt, { t: 'FunctionDef' }>, mod };
    } else if (mod.mutated.has(name) || (this.outputMode && mod.globalInRule.has(name))) {
      out = this.opaque('mutation', `module constant ${name} is changed after its assignment`, mod.assigns.get(name)?.pos ?? at, mod);
    } else if (mod.assigns.has(name)) {
      const a = mod.assigns.get(name) as { value: Expr; pos: Span };
      cache.set(name, this.opaque('recursion', `module constant ${name} refers to itself`, at, mod));
      out = this.expr(a.value, new Map(), mod);
    } else if (mod.imports.has(name)) {
      const imp = mod.imports.get(name) as { module: string; name: string | null; pos: Span };
      out = this.importValue(imp.module, imp.name, imp.pos, mod);
    } else out = this.builtin(name, at, mod);
    cache.set(name, out);
    return out;
  }

  importValue(module: string, name: string | null, pos: Span, mod: ModCtx): SV {
    if (STATEFUL.test(module)) {
      return this.opaque('stateful', `${module}${name ? `.${name}` : ''} reads state outside the event (cache, lookup table, clock or network)`, pos, mod);
    }
    if (NATIVE_MODULES.has(module)) return { s: 'native', name: name ? `${module}.${name}` : module };
    const target = this.resolver.resolve(module);
    if (!target) return this.opaque('import', `module '${module}' was not found (looked beside the rule and in global_helpers/)`, pos, mod);
    if (name === null) return { s: 'module', mod: target };
    return this.global(name, target, pos);
  }

  builtin(name: string, at: { line: number; col: number }, mod: ModCtx): SV {
    const types: Record<string, PyType> = { str: 'str', int: 'int', float: 'float', bool: 'bool', list: 'list', tuple: 'list', dict: 'dict', Mapping: 'dict', Sequence: 'list', set: 'list' };
    if (['any', 'all', 'len', 'isinstance', 'reduce', 'sorted', 'print', 'min', 'max', 'sum', 'frozenset', 'range', 'enumerate', 'zip', 'abs', 'repr', 'getattr', 'hasattr', 'type', 'iter', 'next', 'filter', 'map'].includes(name)) {
      return { s: 'native', name };
    }
    if (name in types) return { s: 'native', name };
    if (name === 'None') return NONE;
    return this.opaque('name', `name '${name}' is not defined in ${mod.file}`, at, mod);
  }

  // --- expressions ---------------------------------------------------------------------------
  expr(e: Expr, env: Env, mod: ModCtx): SV {
    if (++this.steps > Lifter.MAX_STEPS) return this.opaque('complexity', 'the lift exceeded its work budget (the logic is too large to translate)', e, mod);
    switch (e.t) {
      case 'Const':
        return cst(e.value);
      case 'Name':
        return this.lookup(e.id, env, mod, e);
      case 'List':
      case 'Tuple':
      case 'Set': {
        const items = e.elts.map((x) => this.expr(x, env, mod));
        if (items.every((x) => x.s === 'const')) {
          let vs = items.map((x) => (x as { v: Json }).v);
          if (e.t === 'Set') vs = vs.filter((x, i) => vs.findIndex((y) => pyEq(x, y)) === i);
          return cst(vs, e.t === 'List' ? 'list' : e.t === 'Tuple' ? 'tuple' : 'set');
        }
        return { s: 'seq', items, kind: e.t === 'Tuple' ? 'tuple' : 'list' };
      }
      case 'Dict': {
        const entries: [string, SV][] = [];
        for (let i = 0; i < e.keys.length; i++) {
          const k = e.keys[i];
          const v = this.expr(e.values[i] as Expr, env, mod);
          if (k === null || k === undefined) {
            if (v.s === 'dict') entries.push(...v.entries);
            else if (v.s === 'const' && isMapping(v.v)) for (const [kk, vv] of Object.entries(v.v)) entries.push([kk, cst(vv)]);
            else return this.opaque('dict', 'dict unpacking of a value the lifter cannot read', e, mod);
            continue;
          }
          const ks = this.expr(k, env, mod);
          if (ks.s !== 'const' || typeof ks.v !== 'string') return this.opaque('dict', ks.s === 'const' ? 'dict with non-string keys' : 'dict with a computed key', e, mod);
          const key = String(ks.v);
          const idx = entries.findIndex(([x]) => x === key);
          if (idx >= 0) entries.splice(idx, 1);
          entries.push([key, v]);
        }
        if (entries.every(([, v]) => v.s === 'const')) {
          const o: { [k: string]: Json } = {};
          for (const [k, v] of entries) o[k] = (v as { v: Json }).v;
          return cst(o, 'dict');
        }
        return { s: 'dict', entries };
      }
      case 'Not':
        return this.notSV(this.expr(e.operand, env, mod));
      case 'BoolOp': {
        const l = this.expr(e.left, env, mod);
        const t = this.truth(l);
        if (t.k === 'const') {
          if (e.op === 'and') return t.v ? this.expr(e.right, env, mod) : l;
          return t.v ? l : this.expr(e.right, env, mod);
        }
        const r = this.under(e.op === 'and' ? t : not(t), () => this.expr(e.right, env, mod));
        return e.op === 'and' ? ite(t, r, l) : ite(t, l, r);
      }
      case 'Compare': {
        let left = this.expr(e.left, env, mod);
        const parts: SV[] = [];
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.expr(e.comparators[i] as Expr, env, mod);
          parts.push(this.compare(e.ops[i] as string, left, right, e, mod));
          left = right;
        }
        if (parts.length === 1) return parts[0] as SV;
        return pred(and(...parts.map((p) => this.truth(p))));
      }
      case 'IfExp': {
        const c = this.truth(this.expr(e.test, env, mod));
        if (c.k === 'const') return this.expr(c.v ? e.body : e.orelse, env, mod);
        const out = ite(c, this.under(c, () => this.expr(e.body, env, mod)), this.under(not(c), () => this.expr(e.orelse, env, mod)));
        return out;
      }
      case 'Attribute':
        return this.attribute(this.expr(e.obj, env, mod), e.attr, e, mod);
      case 'Subscript':
        return this.subscript(e, env, mod);
      case 'Call':
        return this.call(e, env, mod);
      case 'BinOp':
        return this.binop(e.op, this.expr(e.left, env, mod), this.expr(e.right, env, mod), e, mod);
      case 'UnaryOp': {
        const v = this.expr(e.operand, env, mod);
        if (v.s === 'const' && typeof v.v === 'number') return cst(e.op === '-' ? -v.v : e.op === '+' ? v.v : ~v.v);
        return this.opaque('unary', `unary '${e.op}' on a value the lifter cannot read`, e, mod);
      }
      case 'Walrus': {
        // (x := value) binds x in the current scope, in evaluation order
        const v = this.expr(e.value, env, mod);
        env.set(e.target, v);
        return v;
      }
      case 'Lambda':
        return { s: 'lambda', params: e.params, body: e.body, mod, env: new Map(env) };
      case 'FString':
        return this.fstring(e, env, mod);
      case 'Comp':
        return this.comprehension(e, env, mod);
      default:
        return this.opaque('syntax', `${e.t === 'Unsupported' ? e.what : e.t} is not supported`, e, mod);
    }
  }

  notSV(v: SV): SV {
    return pred(not(this.truth(v)));
  }

  fstring(e: Extract<Expr, { t: 'FString' }>, env: Env, mod: ModCtx): SV {
    const parts: SV[] = e.parts.map((p) => (typeof p === 'string' ? cst(p) : p.spec || p.conv ? this.opaque('fstring', 'format spec in an f-string', e, mod) : this.strOf(this.expr(p.expr, env, mod), e, mod)));
    return parts.reduce((acc, p) => this.binop('+', acc, p, e, mod), cst(''));
  }

  strOf(v: SV, at: { line: number; col: number }, mod: ModCtx): SV {
    if (v.s === 'const') return cst(pyStr(v.v));
    if (v.s === 'ite') return this.iteMap(v, (x) => this.strOf(x, at, mod));
    if (v.s === 'val') return val({ k: 'fn', fn: 'str', args: [v.v] });
    if (v.s === 'opaque') return this.derive(v);
    return this.opaque('str', 'str() of a value the lifter cannot read', at, mod);
  }

  binop(op: string, a: SV, b: SV, at: { line: number; col: number }, mod: ModCtx): SV {
    if (a.s === 'ite') return this.iteMap(a, (x) => this.binop(op, x, b, at, mod));
    if (b.s === 'ite') return this.iteMap(b, (x) => this.binop(op, a, x, at, mod));
    if (a.s === 'opaque') return this.derive(a);
    if (b.s === 'opaque') return this.derive(b);
    if (a.s === 'const' && b.s === 'const') {
      const x = a.v;
      const y = b.v;
      if (op === '+' && typeof x === 'string' && typeof y === 'string') return cst(x + y);
      if (op === '+' && Array.isArray(x) && Array.isArray(y)) return cst([...x, ...y], a.kind);
      if (typeof x === 'number' && typeof y === 'number') {
        const r: Record<string, number> = { '+': x + y, '-': x - y, '*': x * y, '/': x / y, '//': Math.floor(x / y), '%': ((x % y) + y) % y, '**': x ** y };
        if (op in r) return cst(r[op] as number);
      }
      if ((op === '|' || op === '&' || op === '-') && Array.isArray(x) && Array.isArray(y)) {
        if (op === '|') return cst([...x, ...y.filter((v) => !x.some((u) => pyEq(u, v)))], 'set');
        if (op === '&') return cst(x.filter((v) => y.some((u) => pyEq(u, v))), 'set');
        return cst(x.filter((v) => !y.some((u) => pyEq(u, v))), 'set');
      }
      if (op === '|' && typeof x === 'string' && typeof y === 'string' && x.startsWith('re-flag:') && y.startsWith('re-flag:')) return cst(`re-flag:${x.slice(8)}${y.slice(8)}`);
      if (op === '%' && typeof x === 'string') return this.opaque('format', '%-formatting', at, mod);
      return this.opaque('binop', `operator '${op}' on constants of these types`, at, mod);
    }
    if (op === '+') {
      const av = this.asVal(a);
      const bv = this.asVal(b);
      // `+` is concatenation only when an operand is known to be a str (else it may be arithmetic)
      const isStr = (v: Val | null): boolean => !!v && ((v.k === 'lit' && typeof v.v === 'string') || (v.k === 'fn' && ['str', 'lower', 'upper', 'strip', 'lstrip', 'rstrip', 'replace', 'concat'].includes(v.fn)));
      if (av && bv && (isStr(av) || isStr(bv))) {
        const flat = (v: Val): Val[] => (v.k === 'fn' && v.fn === 'concat' ? v.args : [v]);
        return val({ k: 'fn', fn: 'concat', args: [...flat(av), ...flat(bv)].filter((v) => !(v.k === 'lit' && v.v === '')) });
      }
    }
    return this.opaque('arith', `operator '${op}' on event values`, at, mod);
  }

  // --- attribute access and subscripts --------------------------------------------------------
  attribute(obj: SV, attr: string, at: { line: number; col: number }, mod: ModCtx): SV {
    if (obj.s === 'opaque') return this.derive(obj);
    if (obj.s === 'module') return this.global(attr, obj.mod, at);
    if (obj.s === 'ip') {
      const classes: IpClass[] = ['is_private', 'is_global', 'is_loopback', 'is_link_local', 'is_multicast', 'is_unspecified', 'is_reserved'];
      if ((classes as string[]).includes(attr)) {
        const sp = { file: mod.file, line: at.line, col: at.col };
        return pred(ipClass(obj.v, attr as IpClass, (reason) => ({ k: 'opaque', code: 'ip-range', reason, span: sp })));
      }
      return this.opaque('ip', `ip_address().${attr} is not supported`, at, mod);
    }
    if (obj.s === 'native') {
      const name = `${obj.name}.${attr}`;
      const flags: Record<string, string> = { 're.I': 'i', 're.IGNORECASE': 'i', 're.M': 'm', 're.MULTILINE': 'm', 're.S': 's', 're.DOTALL': 's', 're.X': 'x', 're.VERBOSE': 'x', 're.A': '', 're.ASCII': '' };
      if (name in flags) return cst(`re-flag:${flags[name]}`);
      return { s: 'native', name };
    }
    return { s: 'method', obj, name: attr };
  }

  subscript(e: Extract<Expr, { t: 'Subscript' }>, env: Env, mod: ModCtx): SV {
    const obj = this.expr(e.obj, env, mod);
    if (e.index.t === 'Slice') {
      if (obj.s === 'const' && (typeof obj.v === 'string' || Array.isArray(obj.v))) {
        const lo = e.index.lower ? this.expr(e.index.lower, env, mod) : cst(null);
        const hi = e.index.upper ? this.expr(e.index.upper, env, mod) : cst(null);
        if (lo.s === 'const' && hi.s === 'const' && !e.index.step) {
          const len = obj.v.length;
          const norm = (x: Json, d: number): number => (x === null ? d : (x as number) < 0 ? Math.max(0, len + (x as number)) : Math.min(len, x as number));
          return cst(obj.v.slice(norm(lo.v, 0), norm(hi.v, len)) as Json, obj.kind);
        }
      }
      const lo = e.index.lower ? this.expr(e.index.lower, env, mod) : cst(null);
      const hi = e.index.upper ? this.expr(e.index.upper, env, mod) : cst(null);
      const bound = (b: SV): boolean => b.s === 'const' && (b.v === null || (typeof b.v === 'number' && Number.isInteger(b.v)));
      if (obj.s === 'val' && !e.index.step && bound(lo) && bound(hi)) {
        return val({ k: 'fn', fn: 'slice', args: [obj.v, { k: 'lit', v: (lo as { v: Json }).v }, { k: 'lit', v: (hi as { v: Json }).v }] });
      }
      return this.opaque('slice', 'slicing an event value with a step or computed bounds', e, mod);
    }
    const idx = this.expr(e.index, env, mod);
    return this.index(obj, idx, e, mod);
  }

  index(obj: SV, idx: SV, at: { line: number; col: number }, mod: ModCtx): SV {
    if (obj.s === 'ite') return this.iteMap(obj, (x) => this.index(x, idx, at, mod));
    if (obj.s === 'opaque') return this.derive(obj);
    if (idx.s === 'opaque') return this.derive(idx);
    if (obj.s === 'const' && idx.s === 'const') {
      const o = obj.v;
      if (isMapping(o) && typeof idx.v === 'string' && idx.v in o) return cst(o[idx.v] as Json, kindOf(o[idx.v] as Json));
      if ((Array.isArray(o) || typeof o === 'string') && typeof idx.v === 'number') {
        const i = idx.v < 0 ? o.length + idx.v : idx.v;
        if (i >= 0 && i < o.length) return cst(o[i] as Json, kindOf(o[i] as Json));
      }
      return this.opaque('index', 'constant index out of range or missing key', at, mod);
    }
    if (obj.s === 'dict' && idx.s === 'const') {
      const hit = obj.entries.find(([k]) => k === String(idx.v));
      return hit ? hit[1] : this.opaque('index', `key ${String(idx.v)} is not in the dict`, at, mod);
    }
    if (obj.s === 'seq' && idx.s === 'const' && typeof idx.v === 'number') {
      const i = idx.v < 0 ? obj.items.length + idx.v : idx.v;
      return obj.items[i] ?? this.opaque('index', 'index out of range', at, mod);
    }
    if (obj.s === 'val' && idx.s === 'const') {
      if (typeof idx.v === 'string') {
        // KeyError is not modelled: key presence (as opposed to a null value) has no predicate the
        // targets print faithfully, so a try around obj["k"] stays opaque unless its handler is trivial
        return val({ k: 'get', obj: obj.v, key: idx.v, strict: true });
      }
      if (typeof idx.v === 'number' && Number.isInteger(idx.v)) {
        const len: Val = { k: 'fn', fn: 'len', args: [obj.v] };
        const out: Pred = idx.v >= 0 ? { k: 'cmp', op: 'le', left: len, right: { k: 'lit', v: idx.v } } : { k: 'cmp', op: 'lt', left: len, right: { k: 'lit', v: -idx.v } };
        const seq = or({ k: 'istype', value: obj.v, type: 'list' }, { k: 'istype', value: obj.v, type: 'str' });
        this.mayRaise([{ when: and(seq, out), kind: 'index' }], at);
        return val({ k: 'index', obj: obj.v, index: idx.v });
      }
    }
    if (obj.s === 'const' && isMapping(obj.v) && idx.s === 'val') {
      return this.opaque('dict-lookup', 'constant dict looked up by an event value', at, mod);
    }
    return this.opaque('index', `indexing ${obj.s} by ${idx.s}`, at, mod);
  }

  // --- calls ---------------------------------------------------------------------------------
  call(e: Extract<Expr, { t: 'Call' }>, env: Env, mod: ModCtx): SV {
    const f = this.expr(e.func, env, mod);
    if (f.s === 'opaque') return this.derive(f);
    const args: SV[] = [];
    for (const a of e.args) {
      if (a.t === 'Starred') {
        const v = this.expr(a.value, env, mod);
        if (v.s === 'const' && Array.isArray(v.v)) args.push(...v.v.map((x) => cst(x, kindOf(x))));
        else if (v.s === 'seq') args.push(...v.items);
        else return this.opaque('call', '*args of a value the lifter cannot read', e, mod);
      } else if (a.t === 'Comp' && a.kind === 'gen' && f.s === 'native' && (f.name === 'any' || f.name === 'all')) {
        return this.anyAll(f.name, a, env, mod);
      } else args.push(this.expr(a, env, mod));
    }
    const kwargs = new Map<string, SV>();
    for (const k of e.kwargs) {
      if (k.name === null) return this.opaque('call', '**kwargs in a call', e, mod);
      kwargs.set(k.name, this.expr(k.value, env, mod));
    }
    return this.apply(f, args, kwargs, e, mod);
  }

  apply(f: SV, args: SV[], kwargs: Map<string, SV>, at: { line: number; col: number }, mod: ModCtx): SV {
    if (f.s === 'ite') return this.iteMap(f, (x) => this.apply(x, args, kwargs, at, mod));
    switch (f.s) {
      case 'func':
        return this.callFunction(f, args, kwargs, at, mod);
      case 'lambda': {
        const env = new Map(f.env);
        this.bindParams(f.params, args, kwargs, env, f.mod);
        return this.expr(f.body, env, f.mod);
      }
      case 'native':
        return this.native(f.name, args, kwargs, at, mod);
      case 'mock':
        return cst(f.v, kindOf(f.v));
      case 'method':
        return this.method(f.obj, f.name, args, kwargs, at, mod);
      case 'opaque':
        return this.derive(f);
      case 'type':
        return this.opaque('call', 'calling a type', at, mod);
      default:
        return this.opaque('call', `calling a ${f.s}`, at, mod);
    }
  }

  bindParams(params: Param[], args: SV[], kwargs: Map<string, SV>, env: Env, defMod: ModCtx): void {
    let i = 0;
    for (const p of params) {
      if (p.kind === 'star') {
        env.set(p.name, args.slice(i).every((a) => a.s === 'const') ? cst(args.slice(i).map((a) => (a as { v: Json }).v), 'tuple') : { s: 'seq', items: args.slice(i), kind: 'tuple' });
        i = args.length;
      } else if (p.kind === 'dstar') {
        env.set(p.name, { s: 'dict', entries: [...kwargs.entries()] });
      } else if (i < args.length) env.set(p.name, args[i++] as SV);
      else if (kwargs.has(p.name)) env.set(p.name, kwargs.get(p.name) as SV);
      else if (p.default) env.set(p.name, this.expr(p.default, new Map(), defMod));
      else env.set(p.name, NONE);
    }
  }

  callFunction(f: Extract<SV, { s: 'func' }>, args: SV[], kwargs: Map<string, SV>, at: { line: number; col: number }, mod: ModCtx): SV {
    const fid = `${f.mod.file}:${f.def.line}`;
    if (this.depth > 40 || this.stack.filter((x) => x === fid).length >= 3) {
      return this.opaque('recursion', `recursive call of ${f.def.name}()`, at, mod);
    }
    const key = svKey([...(f.bound ? [f.bound] : []), ...args, ...[...kwargs.entries()].map(([k, v]) => ({ s: 'seq', kind: 'tuple', items: [cst(k), v] }) as SV)]);
    // inside a try, a call's raising conditions must be recorded on this path: no memo there
    const memoKey = key === null || this.tryFrames.length > 0 ? null : `${fid}|${key}`;
    if (memoKey !== null) {
      const hit = this.memo.get(memoKey);
      if (hit) return hit;
    }
    const env: Env = new Map();
    this.bindParams(f.def.params, f.bound ? [f.bound, ...args] : args, kwargs, env, f.mod);
    this.depth++;
    this.stack.push(fid);
    try {
      const out = this.runFunction(f.def.body, env, f.mod);
      if (memoKey !== null) this.memo.set(memoKey, out);
      return out;
    } finally {
      this.depth--;
      this.stack.pop();
    }
  }

  /** Run a function body; its value is the conditional over its returns (None when it falls off the end). */
  runFunction(body: Stmt[], env: Env, mod: ModCtx): SV {
    const flow = this.block(body, env, mod);
    let out: SV = NONE;
    if (flow.fall.length === 0 && flow.ret.length > 0) {
      const last = flow.ret[flow.ret.length - 1] as Ret;
      out = last.v;
      for (let i = flow.ret.length - 2; i >= 0; i--) out = ite((flow.ret[i] as Ret).pc, (flow.ret[i] as Ret).v, out);
      return out;
    }
    for (let i = flow.ret.length - 1; i >= 0; i--) out = ite((flow.ret[i] as Ret).pc, (flow.ret[i] as Ret).v, out);
    return out;
  }

  anyAll(name: 'any' | 'all', c: Extract<Expr, { t: 'Comp' }>, env: Env, mod: ModCtx): SV {
    return pred(this.quantify(name, c.gens, 0, env, mod, (e2) => this.truth(this.expr(c.elt, e2, mod)), c));
  }

  /** any()/all() over one or more generators: unrolled over constants, a quantifier over event lists. */
  quantify(name: 'any' | 'all', gens: { target: Expr; iter: Expr; ifs: Expr[] }[], gi: number, env: Env, mod: ModCtx, body: (env: Env) => Pred, at: { line: number; col: number }): Pred {
    if (gi >= gens.length) return body(env);
    const g = gens[gi] as { target: Expr; iter: Expr; ifs: Expr[] };
    return this.quantifyOver(name, gens, gi, this.expr(g.iter, env, mod), env, mod, body, at);
  }

  quantifyOver(name: 'any' | 'all', gens: { target: Expr; iter: Expr; ifs: Expr[] }[], gi: number, iter: SV, env: Env, mod: ModCtx, body: (env: Env) => Pred, at: { line: number; col: number }): Pred {
    const g = gens[gi] as { target: Expr; iter: Expr; ifs: Expr[] };
    if (iter.s === 'ite' && !this.iterVal(iter)) {
      // a conditional list: quantify in each arm
      const k = this.known(iter.c);
      if (k !== undefined) return this.quantifyOver(name, gens, gi, k ? iter.a : iter.b, env, mod, body, at);
      const qa = this.under(iter.c, () => this.quantifyOver(name, gens, gi, iter.a, env, mod, body, at));
      const qb = this.under(not(iter.c), () => this.quantifyOver(name, gens, gi, iter.b, env, mod, body, at));
      return or(and(iter.c, qa), and(not(iter.c), qb));
    }
    const one = (e2: Env): Pred => {
      const conds = g.ifs.map((x) => this.truth(this.expr(x, e2, mod)));
      const inner = this.quantify(name, gens, gi + 1, e2, mod, body, at);
      return name === 'any' ? and(...conds, inner) : or(...conds.map((c) => not(c)), inner);
    };
    const items = this.iterItems(iter);
    if (items) {
      const ps = items.map((it) => {
        const e2 = new Map(env);
        if (!this.bindTarget(g.target, it, e2, mod)) return { k: 'opaque', code: 'unpack', reason: 'loop target unpacking', span: { file: mod.file, line: at.line, col: at.col } } as Pred;
        return one(e2);
      });
      return name === 'any' ? or(...ps) : and(...ps);
    }
    const iv = this.iterVal(iter);
    if (iv) {
      const level = this.quantLevel++;
      try {
        const e2 = new Map(env);
        if (!this.bindTarget(g.target, val({ k: 'elem', depth: level }), e2, mod)) throw new Abort();
        const q: Pred = { k: 'quant', q: name, list: iv.v, pred: one(e2) };
        // iterating an empty fallback: any() is false, all() is true
        return name === 'any' ? and(iv.guard, q) : or(not(iv.guard), q);
      } catch (err) {
        if (!(err instanceof Abort)) throw err;
      } finally {
        this.quantLevel--;
      }
    }
    const o = iter.s === 'opaque' ? iter : (this.opaque('loop', `${name}() over a value the lifter cannot iterate`, at, mod) as Extract<SV, { s: 'opaque' }>);
    return { k: 'opaque', code: o.code, reason: o.reason, span: o.span };
  }

  /** An event list to quantify over, possibly guarded: `x or []` iterates x only when x is truthy. */
  iterVal(v: SV): { guard: Pred; v: Val } | null {
    if (v.s === 'val') return { guard: TRUE, v: v.v };
    if (v.s === 'ite') {
      const empty = (x: SV): boolean => x.s === 'const' && ((Array.isArray(x.v) && x.v.length === 0) || x.v === '' || (isMapping(x.v) && Object.keys(x.v).length === 0));
      if (v.a.s === 'val' && empty(v.b)) return { guard: v.c, v: v.a.v };
      if (v.b.s === 'val' && empty(v.a)) return { guard: not(v.c), v: v.b.v };
    }
    return null;
  }

  iterItems(v: SV): SV[] | null {
    if (v.s === 'const') {
      if (Array.isArray(v.v)) return v.v.map((x) => cst(x, kindOf(x)));
      if (isMapping(v.v)) return Object.keys(v.v).map((x) => cst(x));
      if (typeof v.v === 'string') return [...v.v].map((x) => cst(x));
      return null;
    }
    if (v.s === 'seq') return v.items;
    if (v.s === 'dict') return v.entries.map(([k]) => cst(k));
    return null;
  }

  bindTarget(t: Expr, v: SV, env: Env, mod: ModCtx): boolean {
    if (t.t === 'Name') {
      env.set(t.id, v);
      return true;
    }
    if (t.t === 'Tuple' || t.t === 'List') {
      const items = this.iterItems(v);
      if (!items || items.length !== t.elts.length) return false;
      return t.elts.every((x, i) => this.bindTarget(x, items[i] as SV, env, mod));
    }
    return false;
  }

  comprehension(c: Extract<Expr, { t: 'Comp' }>, env: Env, mod: ModCtx): SV {
    // Comprehensions over constants fold to constants; over event data they are opaque here
    // (any()/all() of a generator is handled as a quantifier by call()).
    const out: SV[] = [];
    const walk = (gi: number, e2: Env): boolean => {
      if (gi >= c.gens.length) {
        out.push(this.expr(c.elt, e2, mod));
        return true;
      }
      const g = c.gens[gi] as { target: Expr; iter: Expr; ifs: Expr[] };
      const items = this.iterItems(this.expr(g.iter, e2, mod));
      if (!items) return false;
      for (const it of items) {
        const e3 = new Map(e2);
        if (!this.bindTarget(g.target, it, e3, mod)) return false;
        const conds = g.ifs.map((x) => this.truth(this.expr(x, e3, mod)));
        if (conds.some((p) => p.k !== 'const')) return false;
        if (conds.every((p) => p.k === 'const' && p.v)) if (!walk(gi + 1, e3)) return false;
      }
      return true;
    };
    if (c.kind !== 'dict' && walk(0, env)) {
      if (out.every((x) => x.s === 'const')) {
        let vs = out.map((x) => (x as { v: Json }).v);
        if (c.kind === 'set') vs = vs.filter((x, i) => vs.findIndex((y) => pyEq(x, y)) === i);
        return cst(vs, c.kind === 'set' ? 'set' : 'list');
      }
      return { s: 'seq', items: out, kind: 'list' };
    }
    if (c.kind === 'list' && c.gens.length === 1) {
      const g = c.gens[0] as { target: Expr; iter: Expr; ifs: Expr[] };
      const iter = this.expr(g.iter, env, mod);
      const items = this.iterItems(iter);
      if (items) {
        // over constants, filtered by the event: each item is present under its condition
        const fitems: { c: Pred; v: SV }[] = [];
        for (const it of items) {
          const e3 = new Map(env);
          if (!this.bindTarget(g.target, it, e3, mod)) return this.opaque('comprehension', 'comprehension target unpacking', c, mod);
          const cond = and(...g.ifs.map((x) => this.truth(this.expr(x, e3, mod))));
          if (cond.k === 'const' && !cond.v) continue;
          fitems.push({ c: cond, v: this.expr(c.elt, e3, mod) });
        }
        return { s: 'fseq', items: fitems, span: { file: mod.file, line: c.line, col: c.col } };
      }
      const iv = this.iterVal(iter);
      if (iv) {
        const level = this.quantLevel++;
        try {
          const e3 = new Map(env);
          if (!this.bindTarget(g.target, val({ k: 'elem', depth: level }), e3, mod)) return this.opaque('comprehension', 'comprehension target unpacking', c, mod);
          const cond = and(...g.ifs.map((x) => this.truth(this.expr(x, e3, mod))));
          return { s: 'map', list: iv.v, guard: iv.guard, elt: this.expr(c.elt, e3, mod), cond, level, span: { file: mod.file, line: c.line, col: c.col } };
        } finally {
          this.quantLevel--;
        }
      }
    }
    return this.opaque('comprehension', 'comprehension over event data', c, mod);
  }

  // --- native functions ----------------------------------------------------------------------
  native(name: string, args: SV[], kwargs: Map<string, SV>, at: { line: number; col: number }, mod: ModCtx): SV {
    const [a, b, c] = args;
    if (name !== 'isinstance' || !(b?.s === 'native' && /MagicMock$/.test(b.name))) {
      if (a?.s === 'mock') return this.opaque('mock', `the mocked ${a.name} used as a value`, at, mod);
      const op = args.find((x) => x.s === 'opaque');
      if (op && !['any', 'all', 'print'].includes(name)) return this.derive(op);
    }
    if (a?.s === 'ite' && ['len', 'str', 'isinstance', 'bool', 'int', 'float', 'json.loads'].includes(name)) {
      return this.iteMap(a, (x) => this.native(name, [x, ...args.slice(1)], kwargs, at, mod));
    }
    switch (name) {
      case 'isinstance': {
        if (!a || !b) break;
        // unittest.mock.MagicMock only exists under test harnesses: no event value or constant is one
        if (b.s === 'native' && /(^|\.)MagicMock$/.test(b.name)) return cst(a.s === 'mock');
        const types = this.typesOf(b);
        if (!types) return this.opaque('isinstance', 'isinstance with a type the lifter does not know', at, mod);
        if (a.s === 'const') return cst(types.some((t) => constIs(a.v, t)));
        if (a.s === 'dict') return cst(types.includes('dict'));
        if (a.s === 'seq') return cst(types.includes('list'));
        if (a.s === 'pred') return cst(types.includes('bool') || types.includes('int'));
        if (a.s === 'val') return pred(or(...types.map((t) => ({ k: 'istype', value: a.v, type: t }) as Pred)));
        if (a.s === 'ite') return this.iteMap(a, (x) => this.native(name, [x, b], kwargs, at, mod));
        break;
      }
      case 'len': {
        if (!a) break;
        if (a.s === 'const' && (typeof a.v === 'string' || Array.isArray(a.v))) return cst(a.v.length);
        if (a.s === 'const' && isMapping(a.v)) return cst(Object.keys(a.v).length);
        if (a.s === 'dict') return cst(a.entries.length);
        if (a.s === 'seq') return cst(a.items.length);
        if (a.s === 'val') return val({ k: 'fn', fn: 'len', args: [a.v] });
        if (a.s === 'fseq' || a.s === 'map') return { s: 'len', of: a };
        break;
      }
      case 'str':
        return a ? this.strOf(a, at, mod) : cst('');
      case 'bool':
        return a ? pred(this.truth(a)) : cst(false);
      case 'list':
      case 'tuple':
      case 'set':
      case 'frozenset':
      case 'sorted': {
        if (!a) return cst([], name === 'tuple' ? 'tuple' : name === 'list' || name === 'sorted' ? 'list' : 'set');
        if (a.s === 'const' && (Array.isArray(a.v) || typeof a.v === 'string' || isMapping(a.v))) {
          let vs: Json[] = Array.isArray(a.v) ? a.v : typeof a.v === 'string' ? [...a.v] : Object.keys(a.v as object);
          if (name === 'set' || name === 'frozenset') vs = vs.filter((x, i) => vs.findIndex((y) => pyEq(x, y)) === i);
          if (name === 'sorted') vs = [...vs].sort((x, y) => (String(x) < String(y) ? -1 : 1));
          return cst(vs, name === 'tuple' ? 'tuple' : name === 'set' || name === 'frozenset' ? 'set' : 'list');
        }
        if (a.s === 'seq') return a;
        break;
      }
      case 'any':
      case 'all': {
        if (!a) break;
        if (a.s === 'fseq' || a.s === 'map') {
          const p = name === 'any' ? this.someItem(a, (it) => this.truth(it)) : this.everyItem(a, (it) => this.truth(it));
          if (p) return pred(p);
          break;
        }
        const items = this.iterItems(a);
        if (items) {
          const ps = items.map((x) => this.truth(x));
          return pred(name === 'any' ? or(...ps) : and(...ps));
        }
        if (a.s === 'val') {
          const level = this.quantLevel;
          return pred({ k: 'quant', q: name, list: a.v, pred: { k: 'truthy', value: { k: 'elem', depth: level } } });
        }
        break;
      }
      case 'reduce':
      case 'functools.reduce': {
        if (!a || !b) break;
        const items = this.iterItems(b);
        if (!items) return this.opaque('reduce', 'reduce over a value the lifter cannot iterate', at, mod);
        let acc: SV | undefined = c;
        for (const it of items) acc = acc === undefined ? it : this.apply(a, [acc, it], new Map(), at, mod);
        return acc ?? this.opaque('reduce', 'reduce of an empty sequence', at, mod);
      }
      case 're.compile': {
        if (a?.s === 'const' && typeof a.v === 'string') return { s: 'regex', pattern: a.v, flags: this.reFlags(b ?? kwargs.get('flags')) };
        break;
      }
      case 're.search':
      case 're.match':
      case 're.fullmatch': {
        if (a?.s === 'const' && typeof a.v === 'string' && b) {
          return this.regexMatch({ s: 'regex', pattern: a.v, flags: this.reFlags(c ?? kwargs.get('flags')) }, name.slice(3) as 'search', b, at, mod);
        }
        if (a?.s === 'regex' && b) return this.regexMatch(a, name.slice(3) as 'search', b, at, mod);
        break;
      }
      case 'fnmatch.fnmatch':
      case 'fnmatch.fnmatchcase': {
        if (a && b?.s === 'const' && typeof b.v === 'string') {
          if (a.s === 'ite') return this.iteMap(a, (x) => this.native(name, [x, b], kwargs, at, mod));
          if (a.s === 'const' && typeof a.v === 'string') return cst(globMatchConst(a.v, b.v));
          if (a.s === 'val') return pred({ k: 'match', kind: 'glob', value: a.v, pattern: b.v });
        }
        break;
      }
      case 'print':
        return NONE;
      case 'ipaddress.ip_address': {
        if (!a) break;
        if (a.s === 'const') return typeof a.v === 'string' && parseIp(a.v) ? { s: 'ip', v: { k: 'lit', v: a.v } } : this.opaque('ip', 'ip_address() of an invalid constant', at, mod);
        if (a.s !== 'val') break;
        // an invalid address raises ValueError: only expressible inside a try that catches it
        if (!this.mayRaise([{ when: not(ipValid(a.v)), kind: 'value' }], at)) return this.opaque('ip', 'ip_address() of an event value outside a try/except ValueError (an invalid address raises)', at, mod);
        return { s: 'ip', v: a.v };
      }
      case 'ipaddress.ip_network': {
        if (a?.s !== 'const' || typeof a.v !== 'string') break;
        const sArg = b ?? kwargs.get('strict');
        const strict = sArg && sArg.s === 'const' ? pyTruthy(sArg.v) : true;
        const n = parseNet(a.v);
        if (!n) return this.opaque('ip', `ip_network(${JSON.stringify(a.v)}) is not a network`, at, mod);
        const ipPart = a.v.split('/')[0] as string;
        if (strict && parseIp(ipPart)?.n !== n.base) return this.opaque('ip', `ip_network(${JSON.stringify(a.v)}) has host bits set (raises ValueError)`, at, mod);
        return { s: 'net', cidr: a.v };
      }
      case 'json.loads': {
        if (!a) break;
        if (a.s === 'const' && typeof a.v === 'string') {
          try {
            const v = JSON.parse(a.v) as Json;
            return cst(v, kindOf(v));
          } catch {
            break;
          }
        }
        if (a.s === 'val') {
          // inside a try, the handler decides what a non-str (TypeError) or malformed JSON (JSONDecodeError) gives
          const isStr: Pred = { k: 'istype', value: a.v, type: 'str' };
          this.mayRaise([
            { when: not(isStr), kind: 'type' },
            { when: and(isStr, not({ k: 'valid', value: a.v, format: 'json' })), kind: 'json' },
          ], at);
          return val({ k: 'fn', fn: 'json', args: [a.v] });
        }
        break;
      }
      default:
        break;
    }
    const known = ['int', 'float'];
    if (known.includes(name) && a?.s === 'val' && args.length === 1) return val({ k: 'fn', fn: name as 'int' | 'float', args: [a.v] });
    if (known.includes(name) && a?.s === 'const') {
      if (typeof a.v === 'number') return cst(name === 'int' ? Math.trunc(a.v) : a.v);
      if (typeof a.v === 'string' && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(a.v)) return cst(name === 'int' ? parseInt(a.v, 10) : parseFloat(a.v));
    }
    return this.opaque(`call:${name}`, `${name}() is not supported here`, at, mod);
  }

  reFlags(f: SV | undefined): string {
    if (!f) return '';
    if (f.s === 'const' && typeof f.v === 'string' && f.v.startsWith('re-flag:')) return f.v.slice(8);
    return '';
  }

  regexMatch(re: Extract<SV, { s: 'regex' }>, how: 'search' | 'match' | 'fullmatch', subject: SV, at: { line: number; col: number }, mod: ModCtx): SV {
    if (subject.s === 'ite') return this.iteMap(subject, (x) => this.regexMatch(re, how, x, at, mod));
    if (subject.s === 'const' && typeof subject.v === 'string') {
      try {
        const p: Pred = { k: 'match', kind: 'regex', value: { k: 'lit', v: subject.v }, pattern: re.pattern, anchor: how, ...(re.flags ? { flags: re.flags } : {}) };
        return evalConstPred(p) ? { s: 'pred', p: TRUE, nullable: true } : NONE;
      } catch {
        return this.opaque('regex', 'regex the evaluator cannot compile', at, mod);
      }
    }
    if (subject.s === 'val') {
      // verbose patterns are rewritten without their whitespace and comments (what re.X means)
      const pattern = re.flags.includes('x') ? stripVerbose(re.pattern) : re.pattern;
      const ci = re.flags.includes('i');
      const flags = [...new Set(re.flags.replace(/[ix]/g, ''))].join('');
      const p: Pred = { k: 'match', kind: 'regex', value: subject.v, pattern, anchor: how, ...(ci ? { ci } : {}), ...(flags ? { flags } : {}) };
      return { s: 'pred', p, nullable: true };
    }
    if (subject.s === 'opaque') return this.derive(subject);
    return this.opaque('regex', 'regex over a value the lifter cannot read', at, mod);
  }

  typesOf(t: SV): PyType[] | null {
    const map: Record<string, PyType> = { str: 'str', int: 'int', float: 'float', bool: 'bool', list: 'list', tuple: 'list', dict: 'dict', Mapping: 'dict', 'collections.abc.Mapping': 'dict', 'typing.Mapping': 'dict', Sequence: 'list', 'collections.abc.Sequence': 'list', 'typing.Sequence': 'list', set: 'list' };
    if (t.s === 'native') {
      const short = t.name.replace(/^(collections\.abc|collections|typing)\./, '');
      const ty = map[t.name] ?? map[short];
      return ty ? [ty] : null;
    }
    if (t.s === 'const' && t.v === null) return ['none'];
    if (t.s === 'seq') {
      const all = t.items.map((x) => this.typesOf(x));
      return all.every((x) => x) ? (all.flat() as PyType[]) : null;
    }
    return null;
  }

  // --- methods -------------------------------------------------------------------------------
  method(obj: SV, name: string, args: SV[], kwargs: Map<string, SV>, at: { line: number; col: number }, mod: ModCtx): SV {
    if (obj.s === 'ite') return this.iteMap(obj, (x) => this.method(x, name, args, kwargs, at, mod));
    if (obj.s === 'opaque') return this.derive(obj);
    if (args.some((a) => a.s === 'opaque')) return args.find((a) => a.s === 'opaque') as SV;
    if (obj.s === 'regex') {
      if (['search', 'match', 'fullmatch'].includes(name) && args[0]) return this.regexMatch(obj, name as 'search', args[0], at, mod);
      return this.opaque('regex', `pattern.${name}() is not supported`, at, mod);
    }
    if (obj.s === 'val') return this.valMethod(obj.v, name, args, kwargs, at, mod);
    if (obj.s === 'const') return this.constMethod(obj, name, args, kwargs, at, mod);
    if (obj.s === 'dict') {
      if (name === 'get' && args[0]?.s === 'const') {
        const hit = obj.entries.find(([k]) => k === String((args[0] as { v: Json }).v));
        return hit ? hit[1] : (args[1] ?? NONE);
      }
    }
    if (obj.s === 'func' && name === '__call__') return this.apply(obj, args, kwargs, at, mod);
    return this.opaque(`method:${name}`, `.${name}() on ${obj.s === 'dict' ? 'a dict' : obj.s === 'seq' ? 'a list' : 'this value'} is not supported`, at, mod);
  }

  valMethod(v: Val, name: string, args: SV[], kwargs: Map<string, SV>, at: { line: number; col: number }, mod: ModCtx): SV {
    const [a, b] = args;
    const lit = (x: SV | undefined): Val | undefined => (x && x.s === 'const' ? { k: 'lit', v: x.v } : undefined);
    switch (name) {
      case 'get': {
        if (a?.s !== 'const' || typeof a.v !== 'string') return this.opaque('get', '.get() with a computed key', at, mod);
        const dflt = b ?? kwargs.get('default');
        if (dflt && dflt.s !== 'const') return this.opaque('get', '.get() with a computed default', at, mod);
        const d = lit(dflt);
        return val({ k: 'get', obj: v, key: a.v, ...(d && !(d.k === 'lit' && d.v === null) ? { default: d } : {}) });
      }
      case 'deep_get': {
        const dflt = kwargs.get('default');
        if (dflt && dflt.s !== 'const') return this.opaque('get', 'deep_get() with a computed default', at, mod);
        if (!args.every((x) => x.s === 'const' && typeof x.v === 'string')) return this.opaque('get', 'deep_get() with computed keys', at, mod);
        let cur: Val = v;
        for (const k of args) cur = { k: 'get', obj: cur, key: (k as { v: string }).v, deep: true };
        const d = lit(dflt);
        if (d && !(d.k === 'lit' && d.v === null) && cur.k === 'get') cur = { ...cur, default: d };
        return val(cur);
      }
      case 'udm': {
        if (v.k !== 'event' || !a || a.s !== 'const' || typeof a.v !== 'string' || !args.every((x) => x.s === 'const' && typeof x.v === 'string')) {
          return this.opaque('udm', 'event.udm() with a computed name', at, mod);
        }
        const r = this.udm(a.v);
        if (!r) return this.opaque('udm', `event.udm("${a.v}"): no data model for this log type (looked in data_models/)`, at, mod);
        if ('missing' in r) return this.opaque('udm', r.missing, at, mod);
        let cur: SV;
        if ('path' in r) {
          let x: Val = { k: 'event' };
          for (const seg of r.path) x = { k: 'get', obj: x, key: seg, deep: true };
          cur = val(x);
        } else cur = this.apply(this.global(r.method, r.mod, at), [val({ k: 'event' })], new Map(), at, mod);
        for (const k of args.slice(1)) cur = this.method(cur, 'deep_get_step', [k], new Map(), at, mod);
        const dflt = kwargs.get('default');
        if (dflt) cur = ite(this.truth(this.compare('is', cur, NONE, at, mod)), dflt, cur);
        return cur;
      }
      case 'deep_get_step': {
        if (a?.s !== 'const' || typeof a.v !== 'string') break;
        return val({ k: 'get', obj: v, key: a.v, deep: true });
      }
      case 'deep_walk': {
        const dflt = kwargs.get('default') ?? NONE;
        const rv = kwargs.get('return_val') ?? cst('all');
        if (!args.every((x) => x.s === 'const' && typeof x.v === 'string') || dflt.s !== 'const' || rv.s !== 'const') {
          return this.opaque('deep_walk', 'event.deep_walk() with computed arguments', at, mod);
        }
        const keys = args.map((x) => (x as { v: string }).v);
        return val({ k: 'fn', fn: 'deep_walk', args: [v, { k: 'lit', v: keys }, { k: 'lit', v: dflt.v }, { k: 'lit', v: rv.v }] });
      }
      case 'lower':
      case 'upper':
      case 'casefold':
        return val({ k: 'fn', fn: name, args: [v] });
      case 'strip':
      case 'lstrip':
      case 'rstrip':
        if (a && a.s !== 'const') break;
        return val({ k: 'fn', fn: name, args: a ? [v, lit(a) as Val] : [v] });
      case 'startswith':
      case 'endswith': {
        if (!a) break;
        const pats = a.s === 'const' ? (typeof a.v === 'string' ? [a.v] : Array.isArray(a.v) && a.v.every((x) => typeof x === 'string') ? (a.v as string[]) : null) : null;
        const av = this.asVal(a);
        if (!pats && av && a.s === 'val') return pred({ k: 'rel', rel: name, value: v, other: av });
        if (!pats) return this.opaque('startswith', `.${name}() with a computed argument`, at, mod);
        if (pats.length === 0) return cst(false);
        return pred(or(...pats.map((p) => ({ k: 'match', kind: name, value: v, pattern: p }) as Pred)));
      }
      case 'rsplit':
        if ((a && a.s !== 'const') || (b && b.s !== 'const')) break;
        return val({ k: 'fn', fn: 'rsplit', args: [v, ...(a ? [lit(a) as Val] : [{ k: 'lit', v: null } as Val]), ...(b ? [lit(b) as Val] : [])] });
      case 'split':
        if ((a && a.s !== 'const') || (b && b.s !== 'const')) break;
        return val({ k: 'fn', fn: 'split', args: [v, ...(a ? [lit(a) as Val] : []), ...(b ? [lit(b) as Val] : [])] });
      case 'replace':
        if (a?.s !== 'const' || b?.s !== 'const') break;
        return val({ k: 'fn', fn: 'replace', args: [v, lit(a) as Val, lit(b) as Val] });
      default:
        break;
    }
    return this.opaque(`method:${name}`, `.${name}() on an event value is not supported`, at, mod);
  }

  constMethod(obj: Extract<SV, { s: 'const' }>, name: string, args: SV[], kwargs: Map<string, SV>, at: { line: number; col: number }, mod: ModCtx): SV {
    const o = obj.v;
    const [a, b] = args;
    if (typeof o === 'string') {
      if (args.every((x) => x.s === 'const')) {
        const av = a?.s === 'const' ? a.v : undefined;
        switch (name) {
          case 'lower':
          case 'casefold':
            return cst(o.toLowerCase());
          case 'upper':
            return cst(o.toUpperCase());
          case 'strip':
            return cst(av ? o.replace(new RegExp(`^[${escRe(String(av))}]+|[${escRe(String(av))}]+$`, 'g'), '') : o.trim());
          case 'startswith':
          case 'endswith': {
            const ps = typeof av === 'string' ? [av] : Array.isArray(av) ? (av as string[]) : [];
            return cst(ps.some((p) => (name === 'startswith' ? o.startsWith(p) : o.endsWith(p))));
          }
          case 'split':
            return cst(av === undefined || av === null ? o.split(/\s+/).filter(Boolean) : o.split(String(av)), 'list');
          case 'replace':
            return cst(o.split(String(av)).join(String(b?.s === 'const' ? b.v : '')));
          case 'join':
            if (Array.isArray(av)) return cst(av.map((x) => pyStr(x)).join(o));
            break;
          case 'format':
            break;
          default:
            break;
        }
      }
      if ((name === 'startswith' || name === 'endswith') && a?.s === 'val' && args.length === 1) {
        return pred({ k: 'rel', rel: name, value: { k: 'lit', v: o }, other: a.v });
      }
      if (name === 'join' && a?.s === 'seq') {
        const vals = a.items.map((x) => this.asVal(x));
        if (vals.every((x) => x)) {
          const parts: Val[] = [];
          vals.forEach((x, i) => {
            if (i > 0 && o !== '') parts.push({ k: 'lit', v: o });
            parts.push(x as Val);
          });
          return val({ k: 'fn', fn: 'concat', args: parts });
        }
      }
    }
    if (isMapping(o) && name === 'get') {
      if (a?.s === 'const' && typeof a.v === 'string') {
        const hit = o[a.v];
        return hit === undefined ? (b ?? NONE) : cst(hit, kindOf(hit));
      }
      if (a?.s === 'val' || a?.s === 'ite') return this.dictLookup(o, a, b ?? NONE, at, mod);
    }
    if (isMapping(o) && (name === 'keys' || name === 'values' || name === 'items')) {
      if (name === 'keys') return cst(Object.keys(o), 'list');
      if (name === 'values') return cst(Object.values(o), 'list');
      return cst(Object.entries(o).map(([k, v]) => [k, v]), 'list');
    }
    if (Array.isArray(o) && name === 'index' && a?.s === 'const') {
      const i = o.findIndex((x) => pyEq(x, a.v));
      if (i >= 0) return cst(i);
    }
    return this.opaque(`method:${name}`, `.${name}() on a constant is not supported`, at, mod);
  }

  /** CONST_DICT.get(field, default): a conditional over the dict's keys. */
  dictLookup(o: { [k: string]: Json }, key: SV, dflt: SV, at: { line: number; col: number }, mod: ModCtx): SV {
    let out = dflt;
    const entries = Object.entries(o);
    if (entries.length > 200) return this.opaque('dict-lookup', 'constant dict lookup with more than 200 keys', at, mod);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i] as [string, Json];
      out = ite(this.truth(this.cmp('==', key, cst(k), at, mod)), cst(v, kindOf(v)), out);
    }
    return out;
  }

  // --- statements ----------------------------------------------------------------------------
  block(stmts: Stmt[], env: Env, mod: ModCtx): Flow {
    const out: Flow = { ret: [], fall: [], brk: [], cont: [] };
    let state: State | null = { pc: TRUE, env };
    for (const st of stmts) {
      if (!state) break;
      const cur: State = state;
      const f = this.under(cur.pc, () => this.stmt(st, cur.env, mod));
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

  stmt(st: Stmt, env: Env, mod: ModCtx): Flow {
    const fall = (e: Env = env): Flow => ({ ret: [], fall: [{ pc: TRUE, env: e }], brk: [], cont: [] });
    switch (st.t) {
      case 'Return':
        return { ret: [{ pc: TRUE, v: st.value ? this.expr(st.value, env, mod) : NONE }], fall: [], brk: [], cont: [] };
      case 'Pass':
      case 'Global':
      case 'Import':
      case 'ImportFrom':
        return fall();
      case 'Expr': {
        // a method call on a local collection may change it in place (add, append, update, pop...):
        // from here on its value is unknown
        const e = st.value;
        if (e.t === 'Call' && e.func.t === 'Attribute' && e.func.obj.t === 'Name') {
          const cur = env.get(e.func.obj.id);
          const immutable = cur && ((cur.s === 'const' && cur.kind === 'scalar') || cur.s === 'val' || cur.s === 'pred');
          if (cur && !immutable) {
            const e2 = new Map(env);
            e2.set(e.func.obj.id, this.opaque('mutation', `'${e.func.obj.id}' is changed in place by .${e.func.attr}()`, st, mod));
            return fall(e2);
          }
        }
        return fall();
      }
      case 'Break':
        return { ret: [], fall: [], brk: [{ pc: TRUE, env }], cont: [] };
      case 'Continue':
        return { ret: [], fall: [], brk: [], cont: [{ pc: TRUE, env }] };
      case 'Assign': {
        const v = this.expr(st.value, env, mod);
        const e2 = new Map(env);
        for (const t of st.targets) {
          if (!this.assignTarget(t, v, e2, mod)) return this.opaqueFlow(`assignment to ${t.t === 'Subscript' ? 'a subscript' : t.t === 'Attribute' ? 'an attribute' : 'this target'}`, st, mod, env);
        }
        return fall(e2);
      }
      case 'AugAssign': {
        const cur = this.expr(st.target, env, mod);
        const v = this.binop(st.op, cur, this.expr(st.value, env, mod), st, mod);
        const e2 = new Map(env);
        if (!this.assignTarget(st.target, v, e2, mod)) return this.opaqueFlow('augmented assignment', st, mod, env);
        return fall(e2);
      }
      case 'If': {
        const c = this.truth(this.expr(st.test, env, mod));
        if (c.k === 'const') return this.block(c.v ? st.body : st.orelse, env, mod);
        const a = this.under(c, () => this.block(st.body, env, mod));
        const b = this.under(not(c), () => this.block(st.orelse, env, mod));
        return this.join(c, a, b);
      }
      case 'For': {
        this.loops++;
        try {
          return this.forLoop(st, env, mod);
        } finally {
          this.loops--;
        }
      }
      case 'Try':
        return this.tryStmt(st, env, mod);
      case 'FunctionDef': {
        const e2 = new Map(env);
        e2.set(st.name, { s: 'func', def: st, mod });
        return fall(e2);
      }
      case 'Raise':
        // an exception ends the whole rule (no alert), not just this function: not expressible as a value
        return this.opaqueFlow('raise', st, mod, env);
      default:
        return this.opaqueFlow(st.t === 'Unsupported' ? st.what : st.t.toLowerCase(), st, mod, env);
    }
  }

  /**
   * A call that raises under some conditions: recorded on the innermost try (so its handler can take
   * over exactly there). False when there is no try around it.
   */
  mayRaise(raises: { when: Pred; kind: RaiseKind }[], _at: { line: number }): boolean {
    const frame = this.tryFrames[this.tryFrames.length - 1];
    if (!frame) return false;
    // it raises only on the path that reaches it: the conditions assumed here (if arms, statements
    // after earlier returns, and/or operands) bound each condition
    const path = this.assumed;
    const scoped = raises.map((r) => ({ kind: r.kind, when: and(...path, r.when) }));
    // a call already made on this path cannot raise again: only new conditions count
    const fresh = scoped.filter((r) => !frame.raises.some((x) => x.kind === r.kind && predId(x.when) === predId(r.when)));
    // inside a loop the iteration is not named by any condition: refuse
    if (fresh.length && this.loops > frame.loops) frame.late = true;
    frame.raises.push(...fresh);
    return true;
  }

  /** The flow of `if c: <a> else: <b>`. */
  join(c: Pred, a: Flow, b: Flow): Flow {
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

  /**
   * try/except. ValueError from ip_address() conversions made unconditionally in the first statement of
   * the body is modelled exactly: the handler runs instead when an address is invalid. Otherwise, in
   * rule() itself, a handler that only returns a false value agrees with "an exception means no alert".
   */
  tryStmt(st: Extract<Stmt, { t: 'Try' }>, env: Env, mod: ModCtx): Flow {
    if (st.finalbody.length) return this.opaqueFlow('try/finally', st, mod, env);
    // which of the modelled exceptions a handler catches
    const caught = (h: { types: Expr | null }): Set<string> => {
      const name = (x: Expr): string => (x.t === 'Name' ? x.id : x.t === 'Attribute' ? x.attr : '');
      const names = h.types === null ? ['BaseException'] : h.types.t === 'Tuple' ? h.types.elts.map(name) : [name(h.types)];
      const out = new Set<string>();
      for (const n of names) {
        if (['Exception', 'BaseException'].includes(n)) ['json', 'value', 'type', 'index', 'key'].forEach((k) => out.add(k));
        if (n === 'ValueError') ['json', 'value'].forEach((k) => out.add(k));
        if (n === 'JSONDecodeError') out.add('json');
        if (n === 'TypeError') out.add('type');
        if (n === 'IndexError') out.add('index');
        if (n === 'KeyError') out.add('key');
        if (n === 'LookupError') ['index', 'key'].forEach((k) => out.add(k));
      }
      return out;
    };
    const frame = { raises: [] as { when: Pred; kind: RaiseKind }[], late: false, loops: this.loops };
    this.tryFrames.push(frame);
    let body: Flow;
    try {
      body = this.block([...st.body, ...st.orelse], env, mod);
    } finally {
      this.tryFrames.pop();
    }
    const handler = st.handlers.find((h) => frame.raises.some((r) => caught(h).has(r.kind)));
    const others = st.handlers.filter((h) => h !== handler);
    // every modelled exception must go to that one handler (or none), and the raising calls must all
    // run unconditionally in the body's first statement
    const consistent = handler !== undefined && !others.some((h) => frame.raises.some((r) => caught(h).has(r.kind) && !caught(handler).has(r.kind)));
    if (frame.raises.length && !frame.late && handler && consistent) {
      const c = caught(handler);
      const valid = not(or(...frame.raises.filter((r) => c.has(r.kind)).map((r) => r.when)));
      const h = this.block(handler.body, handler.name ? new Map([...env, [handler.name, this.opaque('exception', 'the caught exception object', st, mod)]]) : env, mod);
      return this.join(valid, body, h);
    }
    const onlyFalse = st.handlers.every((h) => h.body.length === 1 && (h.body[0] as Stmt).t === 'Return' && isFalseConst((h.body[0] as Extract<Stmt, { t: 'Return' }>).value));
    if (frame.raises.length === 0 && onlyFalse && this.depth <= 1) return body;
    return this.opaqueFlow(
      frame.raises.length
        ? 'try/except around a call that may raise only on some paths (or whose exceptions go to different handlers)'
        : 'try/except outside rule() or whose handler does not just return a false value',
      st,
      mod,
      env,
    );
  }

  /** A statement the lifter cannot follow: the rest of the function is unknown from here. */
  opaqueFlow(what: string, at: { line: number; col: number }, mod: ModCtx, _env: Env): Flow {
    return { ret: [{ pc: TRUE, v: this.opaque('statement', `${what} is not supported`, at, mod) }], fall: [], brk: [], cont: [] };
  }

  assignTarget(t: Expr, v: SV, env: Env, mod: ModCtx): boolean {
    if (t.t === 'Name') {
      env.set(t.id, v);
      return true;
    }
    if (t.t === 'Tuple' || t.t === 'List') {
      const items = this.iterItems(v);
      if (!items || items.length !== t.elts.length) return false;
      return t.elts.every((x, i) => this.assignTarget(x, items[i] as SV, env, mod));
    }
    if (t.t === 'Subscript' && t.obj.t === 'Name' && t.index.t !== 'Slice') {
      const cur = env.get(t.obj.id);
      const key = this.expr(t.index, env, mod);
      if (!cur || key.s !== 'const' || typeof key.v !== 'string') return false;
      if (cur.s === 'dict' || (cur.s === 'const' && isMapping(cur.v))) {
        const entries: [string, SV][] = cur.s === 'dict' ? [...cur.entries] : Object.entries(cur.v as object).map(([k, x]) => [k, cst(x as Json, kindOf(x as Json))]);
        const i = entries.findIndex(([k]) => k === key.v);
        if (i >= 0) entries[i] = [key.v, v];
        else entries.push([key.v, v]);
        env.set(t.obj.id, { s: 'dict', entries });
        return true;
      }
    }
    return false;
  }

  forLoop(st: Extract<Stmt, { t: 'For' }>, env: Env, mod: ModCtx): Flow {
    return this.loopOver(st, this.expr(st.iter, env, mod), env, mod);
  }

  /** A for loop over a value: a conditional value is looped over in each of its arms. */
  loopOver(st: Extract<Stmt, { t: 'For' }>, iter: SV, env: Env, mod: ModCtx): Flow {
    if (iter.s === 'ite' && !this.iterVal(iter)) {
      const k = this.known(iter.c);
      if (k !== undefined) return this.loopOver(st, k ? iter.a : iter.b, env, mod);
      const a = this.under(iter.c, () => this.loopOver(st, iter.a, env, mod));
      const b = this.under(not(iter.c), () => this.loopOver(st, iter.b, env, mod));
      return this.join(iter.c, a, b);
    }
    const items = this.iterItems(iter);
    const out: Flow = { ret: [], fall: [], brk: [], cont: [] };
    if (items && st.orelse.length === 0 && items.length > 1) {
      // `for x in CONST: if p(x): return R` with nothing else changing: the first match returns the
      // same R as any match, so the iterations are independent (no growing chain of negations)
      const flows: Flow[] = [];
      let independent = true;
      for (const it of items) {
        const e2 = new Map(env);
        if (!this.bindTarget(st.target, it, e2, mod)) {
          independent = false;
          break;
        }
        const f = this.block(st.body, e2, mod);
        const changed = [...f.fall, ...f.cont].some((x) => [...x.env].some(([k, v]) => e2.get(k) !== v));
        if (changed || f.brk.length || f.ret.some((r) => r.v.s !== 'const')) {
          independent = false;
          break;
        }
        flows.push(f);
      }
      const rets = flows.flatMap((f) => f.ret);
      const first = rets[0]?.v;
      if (independent && first && first.s === 'const' && rets.every((r) => r.v.s === 'const' && pyEq(r.v.v, first.v) && r.v.kind === first.kind)) {
        const hit = or(...rets.map((r) => r.pc));
        // loop variables keep per-item values after the loop
        const after: Env = new Map(env);
        const tnames = st.target.t === 'Name' ? [st.target.id] : st.target.t === 'Tuple' || st.target.t === 'List' ? st.target.elts.flatMap((x) => (x.t === 'Name' ? [x.id] : [])) : [];
        for (const n of tnames) after.set(n, this.opaque('loop-variable', `'${n}' is read after the loop`, st, mod));
        return { ret: [{ pc: hit, v: first }], fall: [{ pc: not(hit), env: after }], brk: [], cont: [] };
      }
      if (independent && rets.length === 0) {
        const after: Env = new Map(env);
        return { ret: [], fall: [{ pc: TRUE, env: after }], brk: [], cont: [] };
      }
    }
    if (items) {
      let state: State | null = { pc: TRUE, env };
      const exits: State[] = [];
      for (const it of items) {
        if (!state) break;
        const e2 = new Map(state.env);
        if (!this.bindTarget(st.target, it, e2, mod)) return this.opaqueFlow('loop target unpacking', st, mod, env);
        const f = this.block(st.body, e2, mod);
        const pc: Pred = state.pc;
        out.ret.push(...f.ret.map((r) => ({ pc: and(pc, r.pc), v: r.v })));
        exits.push(...f.brk.map((r) => ({ pc: and(pc, r.pc), env: r.env })));
        const m = mergeStates([...f.fall, ...f.cont]);
        state = m ? { pc: and(pc, m.pc), env: m.env } : null;
      }
      if (state) {
        const f = this.block(st.orelse, state.env, mod);
        const pc: Pred = state.pc;
        out.ret.push(...f.ret.map((r) => ({ pc: and(pc, r.pc), v: r.v })));
        const m = mergeStates(f.fall);
        if (m) exits.push({ pc: and(pc, m.pc), env: m.env });
      }
      const m = mergeStates(exits);
      if (m) out.fall.push(m);
      return out;
    }
    const iv = this.iterVal(iter);
    if (iv && st.orelse.length === 0) {
      // for x in <event list>: the body may only return constants and must not change variables
      const level = this.quantLevel++;
      try {
        const e2 = new Map(env);
        if (!this.bindTarget(st.target, val({ k: 'elem', depth: level }), e2, mod)) return this.opaqueFlow('loop target unpacking', st, mod, env);
        const f = this.block(st.body, e2, mod);
        // Variables the body assigns (the loop target included) hold per-element values after the
        // loop: any later read of them is unknown, so they become opaque; the loop itself still lifts.
        const changed = new Set<string>();
        for (const s of [...f.fall, ...f.cont]) for (const [k, v] of s.env) if (env.get(k) !== v) changed.add(k);
        const after: Env = new Map(env);
        for (const k of changed) after.set(k, this.opaque('loop-variable', `'${k}' is read after a loop over event data that assigns it`, st, mod));
        const rets = f.ret;
        const consts = rets.map((r) => r.v).filter((v) => v.s === 'const');
        if (f.brk.length === 0 && consts.length === rets.length && rets.length > 0) {
          const first = (consts[0] as { v: Json }).v;
          if (consts.every((c) => pyEq((c as { v: Json }).v, first))) {
            const hit: Pred = and(iv.guard, { k: 'quant', q: 'any', list: iv.v, pred: or(...rets.map((r) => r.pc)) });
            out.ret.push({ pc: hit, v: cst(first) });
            out.fall.push({ pc: not(hit), env: after });
            return out;
          }
        }
        if (f.brk.length === 0 && rets.length === 0) {
          out.fall.push({ pc: TRUE, env: after });
          return out;
        }
      } finally {
        this.quantLevel--;
      }
      return this.opaqueFlow('a loop over event data that changes variables or returns computed values', st, mod, env);
    }
    if (iter.s === 'opaque') return { ret: [{ pc: TRUE, v: iter }], fall: [], brk: [], cont: [] };
    return this.opaqueFlow('a loop over a value the lifter cannot iterate', st, mod, env);
  }
}

interface Ret {
  pc: Pred;
  v: SV;
}
interface State {
  pc: Pred;
  env: Env;
}
interface Flow {
  ret: Ret[];
  fall: State[];
  brk: State[];
  cont: State[];
}

function mergeStates(xs: State[]): State | null {
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

const factCache = new WeakMap<Pred, Set<number>>();

/** The structural ids of an assumption's conjuncts (cached per assumption). */
function factIds(a: Pred): Set<number> {
  let fs = factCache.get(a);
  if (!fs) {
    const flat = (q: Pred): Pred[] => (q.k === 'and' ? q.args.flatMap(flat) : [q]);
    factCache.set(a, (fs = new Set(flat(a).map(predId))));
  }
  return fs;
}

/** A memo key for call arguments, or null when an argument has no stable identity. */
function svKey(args: SV[]): string | null {
  const parts: string[] = [];
  for (const a of args) {
    switch (a.s) {
      case 'const':
        parts.push(`c${a.kind}${JSON.stringify(a.v)}`);
        break;
      case 'val':
        parts.push(`v${JSON.stringify(a.v)}`);
        break;
      case 'pred':
        parts.push(`p${a.nullable ? '?' : ''}${predId(a.p)}`);
        break;
      case 'ite': {
        const inner = svKey([a.a, a.b]);
        if (inner === null) return null;
        parts.push(`i${predId(a.c)}(${inner})`);
        break;
      }
      case 'seq':
      case 'dict': {
        const inner = svKey(a.s === 'seq' ? a.items : a.entries.map(([, v]) => v));
        if (inner === null) return null;
        parts.push(`${a.s}${a.s === 'dict' ? JSON.stringify(a.entries.map(([k]) => k)) : ''}(${inner})`);
        break;
      }
      case 'func':
        parts.push(`f${a.mod.file}:${a.def.line}`);
        break;
      case 'native':
        parts.push(`n${a.name}`);
        break;
      case 'opaque':
        parts.push(`o${a.code}${a.span.file}:${a.span.line}:${a.span.col}`);
        break;
      default:
        return null;
    }
  }
  return parts.join(',');
}

function kindOf(v: Json): PyKind {
  return Array.isArray(v) ? 'list' : isMapping(v) ? 'dict' : 'scalar';
}

function constIs(v: Json, t: PyType): boolean {
  switch (t) {
    case 'str':
      return typeof v === 'string';
    case 'int':
      return typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));
    case 'float':
      return typeof v === 'number' && !Number.isInteger(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'list':
      return Array.isArray(v);
    case 'dict':
      return isMapping(v);
    case 'none':
      return v === null;
  }
}

function isFalseConst(e: Expr | null): boolean {
  return e === null || (e.t === 'Const' && (e.value === false || e.value === null || e.value === '' || e.value === 0));
}

function escRe(s: string): string {
  return s.replace(/[\]\\^-]/g, '\\$&');
}

import { evalPred } from '../ast/evaluate.js';
import { globRegex, stripVerbose } from '../ast/regex.js';

function evalConstPred(p: Pred): boolean {
  return evalPred(p, { event: null, elems: [] });
}

function globMatchConst(s: string, pat: string): boolean {
  return globRegex(pat, false).test(s);
}

export { PyError, simplify };
