/**
 * The lifter: symbolic evaluation of a Panther rule's Python into the neutral AST.
 *
 * Python is never executed. Each expression evaluates to a symbolic value (SV, values.ts). Statements run
 * over environments with path conditions (lift/flow.ts), so if/early-return chains, local assignments,
 * helper calls (inlined from their own source, across modules) and loops over constants need no special
 * cases. This class holds the state of one lift and the operations every part uses: unknown values,
 * conditionals and path conditions, truthiness, names and calls. Expressions are in lift/exprs.ts and
 * lift/operators.ts, builtins and native modules in lift/builtins.ts, methods in lift/methods.ts,
 * quantifiers and comprehensions in lift/loops.ts.
 */
import type { Json, Pred, Span, Val } from '../ast/types.js';
import { negId, not, onNewIdSpace, or, predId, TRUE } from '../ast/normalize.js';
import { truthy as pyTruthy } from '../ast/evaluate.js';
import type { Expr, Param, Pos } from './ast.js';
import { NATIVE_MODULES, STATEFUL, type FunctionDef, type ModCtx, type ModuleResolver } from './module.js';
import { privateNames } from './lift/private.js';
import { cst, ite, item, NONE, siteOf, svKey, type Env, type Site, type SV, type SVOf } from './values.js';
import { builtinName, callBuiltin } from './lift/builtins.js';
import { liftExpr } from './lift/exprs.js';
import { truthChain } from './lift/chain.js';
import { runFunction, type RaiseKind } from './lift/flow.js';
import { someItem } from './lift/loops.js';
import { method } from './lift/methods.js';
import { classValue, methodScope } from './lift/classes.js';

export { moduleCtx, type ModCtx, type ModuleResolver } from './module.js';
export type { SV } from './values.js';

/** How `event.udm(name)` reads for the log type being lifted: a path, or a method of the data model's module. */
export type UdmResolver = (name: string) => { path: string[] } | { method: string; mod: ModCtx } | { missing: string } | null;

/** An open try block: the conditions under which the calls its body makes raise, by exception. */
interface TryFrame {
  raises: { when: Pred; kind: RaiseKind }[];
  /** A call raised inside a loop the try encloses (no condition names the iteration). */
  late: boolean;
  /** The loop depth where the try opened. */
  loops: number;
}

export class Lifter {
  /** Depth of inlined calls, and the functions being called (to bound recursion). */
  depth = 0;
  private stack: string[] = [];
  /** Results of calls already lifted. */
  private memo = new Map<string, SV>();
  /** The nesting level of the next event-list quantifier (the `elem` depth its element reads at). */
  quantLevel = 0;
  /** The rule's own module (where test mocks apply). */
  ruleMod: ModCtx | null = null;
  /** Lifting title()/alert_context()/dedup()/severity(): globals rule() writes are unknown there. */
  outputMode = false;
  tryFrames: TryFrame[] = [];
  /** Conditions known to hold where the lifter is evaluating (if/else arms, `and`/`or` right sides). */
  readonly assumed: readonly Pred[] = [];
  /** For each conjunct id of the assumptions, the index of the first assumption holding it (and what each added). */
  private factAt = new Map<number, number>();
  private added: number[][] = [];
  /** How deep inside loops (whose iterations the path conditions do not name) the lifter is. */
  loops = 0;
  /**
   * Where rule() itself raises outside any try (lift/flow.ts raises): each condition under which a modelled
   * exception ends the rule with no alert, the path to it included. Null where the lifter does not
   * record them (the output functions, pypanther's own lifts): there such a raise stays opaque.
   */
  ruleRaises: Pred[] | null = null;
  /**
   * How deep the lifter is in an evaluation whose path the assumptions do not fully name: a later
   * iteration of an unrolled any()/all() (reached only when the earlier ones did not decide), an item
   * of a comprehension over constants or an element of a generator behind its filter, the later
   * operands of a chained comparison. A raise there is not recorded (its condition would be too wide).
   */
  unscoped = 0;
  /**
   * Collections changed in place (a mutating method, `d[k] = v`, `xs += ...`): the lifter's values are
   * immutable, so the name changed is rebound, but every other reference to the same Python object (an
   * alias `b = a`, the caller's argument, a module constant, a container holding it) would keep the old
   * contents. Such a value read through a name is unknown from then on (Lifter.lookup). Held by identity:
   * the value objects, and for constants their JSON objects (read again from a constant container).
   */
  private changed = new WeakSet<object>();
  private changes = 0;
  /** The functions being run, innermost last (for the names each holds alone: lift/private.ts). */
  private defs: FunctionDef[] = [];
  /** Set by a method call on a private name (lift/exprs.ts): the next method() changes nothing shared. */
  quietChange = false;
  /** The call an expression statement makes (its receiver name is rebound by the statement: lift/flow.ts). */
  stmtCall: unknown = null;
  /** Work budget: a rule whose lift explodes is reported, not waited for. */
  private steps = 0;
  static readonly MAX_STEPS = 60_000;
  /** Module globals evaluated so far (per lifter, since mocks change them). */
  private caches = new Map<ModCtx, Map<string, SV>>();
  private uids = 0;

  constructor(
    private resolver: ModuleResolver,
    /**
     * Test mocks, as Panther applies them: each named object of the rule's own module becomes a
     * MagicMock whose call returns the given value.
     */
    private mocks: Map<string, Json> = new Map(),
    readonly udm: UdmResolver = () => null,
  ) {}

  // --- unknown values ------------------------------------------------------------------------
  opaque(code: string, reason: string, site: Site): SV {
    return { s: 'opaque', code, reason, span: { file: site.file, line: site.line, col: site.col }, uid: ++this.uids };
  }

  /**
   * An operation on an unknown value gives another unknown value: a fresh identity, so that two
   * different questions about it (is it truthy? is it "x"?) never simplify against each other.
   */
  derive(v: SV): SV {
    if (v.s !== 'opaque') return v;
    const { truthy: _known, ...rest } = v;
    return { ...rest, uid: ++this.uids };
  }

  /**
   * An operation applied pointwise: a conditional among the first `spread` operands is mapped arm by arm
   * (each under its condition); then an unknown operand makes the result another unknown; else `f`.
   */
  pointwise(xs: SV[], f: (...xs: SV[]) => SV, spread = xs.length): SV {
    for (let i = 0; i < spread; i++) {
      const x = xs[i] as SV;
      if (x.s === 'ite') return this.iteMap(x, (y) => this.pointwise(xs.map((z, j) => (j === i ? y : z)), f, spread));
    }
    const unknown = xs.find((x) => x.s === 'opaque');
    return unknown ? this.derive(unknown) : f(...xs);
  }

  // --- conditionals and path conditions ------------------------------------------------------
  /**
   * `f` over the arms of a conditional value, each computed only where its condition holds (one arm when
   * the condition is known here); `join` combines the two.
   */
  arms<T>(v: SVOf<'ite'>, f: (x: SV) => T, join: (c: Pred, a: T, b: T) => T): T {
    const k = this.known(v.c);
    if (k !== undefined) return f(k ? v.a : v.b);
    return join(v.c, this.under(v.c, () => f(v.a)), this.under(not(v.c), () => f(v.b)));
  }

  iteMap(v: SVOf<'ite'>, f: (x: SV) => SV): SV {
    return this.arms(v, f, ite);
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

  /** The first assumption holding p (or its negation) decides; found through an index, not a scan. */
  private knownAtom(p: Pred): boolean | undefined {
    const at = this.factAt.get(predId(p));
    const neg = this.factAt.get(negId(p));
    if (at === undefined && neg === undefined) return undefined;
    return neg === undefined || (at !== undefined && at <= neg);
  }

  /** Evaluate `f` with `p` assumed to hold. */
  under<T>(p: Pred, f: () => T): T {
    if (p.k === 'const') return f();
    const depth = this.assumed.length;
    this.assume(p);
    try {
      return f();
    } finally {
      this.restore(depth);
    }
  }

  /** Assume `p` from here on, until restore() (an elif chain assumes each test failed, in one loop). */
  assume(p: Pred): void {
    if (p.k === 'const') return;
    const k = this.assumed.length;
    (this.assumed as Pred[]).push(p);
    const fresh: number[] = [];
    for (const f of factIds(p)) {
      if (this.factAt.has(f)) continue;
      this.factAt.set(f, k);
      fresh.push(f);
    }
    this.added.push(fresh);
  }

  /** Drop the assumptions made since there were `depth`. */
  restore(depth: number): void {
    while (this.assumed.length > depth) {
      (this.assumed as Pred[]).pop();
      for (const f of this.added.pop() ?? []) this.factAt.delete(f);
    }
  }

  // --- truthiness and plain values -----------------------------------------------------------
  /**
   * Python's truthiness of `v` as a predicate. `site` is the Python that tests it (an `if` test, `bool()`,
   * an `and`/`or` operand...): the atoms made here are located there (else where the value was returned).
   */
  truth(v: SV, site?: Site): Pred {
    switch (v.s) {
      case 'const':
        return { k: 'const', v: pyTruthy(v.v) };
      case 'val': {
        const at = site ?? v.span;
        return { k: 'truthy', value: v.v, ...(at ? { span: at } : {}) };
      }
      case 'pred':
        return v.p;
      case 'ite':
        // one loop down the else spine (an elif chain's value is as deep as the chain): lift/chain.ts
        return truthChain(this, v, site);
      case 'dict':
      case 'kdict':
        return { k: 'const', v: v.entries.length > 0 };
      case 'seq':
        return { k: 'const', v: v.items.length > 0 };
      case 'opaque':
        if (v.truthy) return TRUE;
        return { k: 'opaque', code: v.code, reason: v.reason, span: v.span, ...(v.uid ? { uid: v.uid } : {}) };
      case 'fseq':
      case 'map':
        return someItem(this, v, () => TRUE) ?? { k: 'opaque', code: 'comprehension', reason: 'a comprehension used inside another loop', span: v.span };
      case 'len':
        return this.truth(v.of, site);
      case 'found':
        return v.p;
      case 'union':
        return or(...v.parts.map((x) => this.truth(x, site)));
      default:
        return TRUE;
    }
  }

  /** An SV as a Val (for comparisons and outputs), when it is one. */
  asVal(v: SV): Val | null {
    if (v.s === 'val') return v.v;
    if (v.s === 'const') return { k: 'lit', v: v.v };
    return null;
  }

  // --- expressions and names -----------------------------------------------------------------
  expr(e: Expr, env: Env, mod: ModCtx): SV {
    if (++this.steps > Lifter.MAX_STEPS) return this.opaque('complexity', 'the lift exceeded its work budget (the logic is too large to translate)', siteOf(mod, e));
    return liftExpr(this, e, env, mod);
  }

  lookup(name: string, env: Env, mod: ModCtx, at: Pos): SV {
    return this.unchanged(name, env.get(name) ?? this.global(name, mod, at), siteOf(mod, at));
  }

  /** Is `name` a collection the function being run holds alone (lift/private.ts)? */
  isPrivate(name: string): boolean {
    const def = this.defs[this.defs.length - 1];
    return def !== undefined && privateNames(def).has(name);
  }

  /** Record that the collection `v` (each arm of a conditional one) is changed in place. */
  markChanged(v: SV): void {
    if (v.s === 'ite') {
      this.markChanged(v.a);
      this.markChanged(v.b);
      return;
    }
    if (v.s === 'const') {
      if (v.kind === 'scalar' || v.kind === 'tuple' || v.v === null || typeof v.v !== 'object') return;
      this.changed.add(v.v);
    } else if (v.s !== 'dict' && v.s !== 'kdict' && !(v.s === 'seq' && v.kind === 'list')) return;
    this.changed.add(v);
    this.changes++;
  }

  /** Does `v` hold a collection some code changed in place (itself, or inside it)? */
  holdsChanged(v: SV, seen = 0): boolean {
    if (this.changes === 0 || seen > 50) return false;
    if (this.changed.has(v)) return true;
    switch (v.s) {
      case 'const':
        return v.v !== null && typeof v.v === 'object' && this.jsonChanged(v.v);
      case 'ite':
        return this.holdsChanged(v.a, seen + 1) || this.holdsChanged(v.b, seen + 1);
      case 'dict':
      case 'kdict':
        return v.entries.some(([, x]) => this.holdsChanged(x, seen + 1));
      case 'seq':
        return v.items.some((x) => this.holdsChanged(x, seen + 1));
      case 'fseq':
        return v.items.some((x) => this.holdsChanged(x.v, seen + 1));
      default:
        return false;
    }
  }

  private jsonChanged(j: Json): boolean {
    if (j === null || typeof j !== 'object') return false;
    if (this.changed.has(j)) return true;
    return Array.isArray(j) ? j.some((x) => this.jsonChanged(x)) : Object.values(j).some((x) => this.jsonChanged(x));
  }

  /** A name's value, unknown where it holds a collection changed in place through another reference. */
  private unchanged(name: string, v: SV, site: Site): SV {
    if (!this.holdsChanged(v)) return v;
    return this.opaque('mutation', `'${name}' holds a collection changed in place (through another name, an argument or a module constant)`, site);
  }

  /** A module-level name of `mod`, read at `at` (an unknown it gives names `mod`'s file at that position). */
  global(name: string, mod: ModCtx, at: Pos): SV {
    let cache = this.caches.get(mod);
    if (!cache) this.caches.set(mod, (cache = new Map()));
    const cached = cache.get(name);
    if (cached) return cached;
    let out: SV;
    if (this.mocks.has(name) && mod === this.ruleMod && (mod.assigns.has(name) || mod.imports.has(name) || mod.defs.has(name))) {
      out = { s: 'mock', v: this.mocks.get(name) as Json, name };
    } else if (mod.defs.has(name)) {
      out = { s: 'func', def: mod.defs.get(name) as SVOf<'func'>['def'], mod };
    } else if (mod.mutated.has(name) || (this.outputMode && mod.globalInRule.has(name))) {
      out = this.opaque('mutation', `module constant ${name} is changed after its assignment`, siteOf(mod, mod.assigns.get(name)?.pos ?? at));
    } else if (mod.assigns.has(name)) {
      const a = mod.assigns.get(name) as { value: Expr; pos: Span };
      // located at the assignment that reads the name it assigns (not where rule() reads it)
      cache.set(name, this.opaque('recursion', `module constant ${name} refers to itself`, siteOf(mod, a.pos)));
      // a module constant is evaluated once, at import, not on the path that first reads it: a raise
      // there is not one of rule()'s (Lifter.unscoped)
      this.unscoped++;
      try {
        out = this.expr(a.value, new Map(), mod);
      } finally {
        this.unscoped--;
      }
    } else if (mod.imports.has(name)) {
      const imp = mod.imports.get(name) as { module: string; name: string | null; pos: Span };
      out = this.importValue(imp.module, imp.name, imp.pos);
    } else out = classValue(this.resolver, mod, name) ?? builtinName(this, name, siteOf(mod, at));
    cache.set(name, out);
    return out;
  }

  /** What `import module` / `from module import name` binds; `pos` is the import statement. */
  private importValue(module: string, name: string | null, pos: Span): SV {
    if (STATEFUL.test(module)) {
      return this.opaque('stateful', `${module}${name ? `.${name}` : ''} reads state outside the event (cache, lookup table, clock or network)`, pos);
    }
    if (NATIVE_MODULES.has(module)) return { s: 'native', name: name ? `${module}.${name}` : module };
    const target = this.resolver.resolve(module);
    if (!target) return this.opaque('import', `module '${module}' was not found beside the rule or in a global_helpers/ folder up to the repository root: name the folder holding it with --helpers DIR`, pos);
    if (name === null) return { s: 'module', mod: target };
    // `from package import submodule`: a name the package does not define is its submodule, if there is one
    const sub = target.defs.has(name) || target.assigns.has(name) || target.imports.has(name) ? null : this.resolver.resolve(`${module}.${name}`);
    if (sub) return { s: 'module', mod: sub };
    return this.global(name, target, pos);
  }

  // --- calls ---------------------------------------------------------------------------------
  apply(f: SV, args: SV[], kwargs: Map<string, SV>, site: Site): SV {
    return this.pointwise([f], (f) => {
      switch (f.s) {
        case 'func':
          return this.invoke(f, args, kwargs, site);
        case 'lambda': {
          const env = new Map(f.env);
          this.bindParams(f.params, args, kwargs, env, f.mod);
          return this.expr(f.body, env, f.mod);
        }
        case 'native':
          return callBuiltin(this, f.name, args, kwargs, site);
        case 'mock':
          return item(f.v);
        case 'method':
          return method(this, f.obj, f.name, args, kwargs, site);
        case 'type':
          return this.opaque('call', 'calling a type', site);
        case 'object':
          return f.obj.call ? f.obj.call(this, args, kwargs, site) : this.opaque('call', 'calling an instance', site);
        default:
          return this.opaque('call', `calling a ${f.s}`, site);
      }
    });
  }

  private bindParams(params: Param[], args: SV[], kwargs: Map<string, SV>, env: Env, defMod: ModCtx): void {
    let i = 0;
    for (const p of params) {
      if (p.kind === 'star') {
        const rest = args.slice(i);
        env.set(p.name, rest.every((a) => a.s === 'const') ? cst(rest.map((a) => (a as SVOf<'const'>).v), 'tuple') : { s: 'seq', items: rest, kind: 'tuple' });
        i = args.length;
      } else if (p.kind === 'dstar') {
        env.set(p.name, { s: 'dict', entries: [...kwargs.entries()] });
      } else if (i < args.length) env.set(p.name, args[i++] as SV);
      else if (kwargs.has(p.name)) env.set(p.name, kwargs.get(p.name) as SV);
      else if (p.default) env.set(p.name, this.expr(p.default, new Map(), defMod));
      else env.set(p.name, NONE);
    }
  }

  /** Call a Python function (rule() and the output functions are lifted through here). */
  callFunction(f: SVOf<'func'>, args: SV[], kwargs: Map<string, SV>, at: Pos, mod: ModCtx): SV {
    return this.invoke(f, args, kwargs, siteOf(mod, at));
  }

  private invoke(f: SVOf<'func'>, args: SV[], kwargs: Map<string, SV>, site: Site): SV {
    const fid = `${f.mod.file}:${f.def.line}`;
    if (this.depth > 40 || this.stack.filter((x) => x === fid).length >= 3) {
      return this.opaque('recursion', `recursive call of ${f.def.name}()`, site);
    }
    const key = svKey([...(f.bound ? [f.bound] : []), ...args, ...[...kwargs.entries()].map(([k, v]) => ({ s: 'seq', kind: 'tuple', items: [cst(k), v] }) as SV)]);
    // inside a try, a call's raising conditions must be recorded on this path: no memo there
    const memoKey = key === null || this.tryFrames.length > 0 ? null : `${fid}|${key}`;
    if (memoKey !== null) {
      const hit = this.memo.get(memoKey);
      // a call gives new collections each time: one an earlier result's reader changed is not reused
      if (hit && !this.holdsChanged(hit)) return hit;
    }
    const env: Env = new Map();
    this.bindParams(f.def.params, f.bound ? [f.bound, ...args] : args, kwargs, env, f.mod);
    methodScope(f, env);
    this.depth++;
    this.stack.push(fid);
    this.defs.push(f.def);
    const quiet = this.quietChange;
    this.quietChange = false;
    const raisesBefore = this.ruleRaises?.length ?? 0;
    try {
      const out = runFunction(this, f.def.body, env, f.mod);
      // a call that raises records where, on this path: the same call elsewhere must record it again
      if (memoKey !== null && (this.ruleRaises?.length ?? 0) === raisesBefore) this.memo.set(memoKey, out);
      return out;
    } finally {
      this.depth--;
      this.stack.pop();
      this.defs.pop();
      this.quietChange = quiet;
    }
  }
}

let factCache = new WeakMap<Pred, Set<number>>();
onNewIdSpace(() => (factCache = new WeakMap()));

/** The structural ids of an assumption's conjuncts (cached per assumption). */
function factIds(a: Pred): Set<number> {
  let fs = factCache.get(a);
  if (!fs) {
    const flat = (q: Pred): Pred[] => (q.k === 'and' ? q.args.flatMap(flat) : [q]);
    factCache.set(a, (fs = new Set(flat(a).map(predId))));
  }
  return fs;
}
