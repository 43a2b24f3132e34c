/**
 * Classes, for pypanther rules (`class X(Rule)` with class constants and methods taking `self`) and the
 * enums they read (`LogType.AWS_CLOUDTRAIL`, `Severity.HIGH`). Nothing is executed: a class is its parsed
 * body, resolved through imports like any other name; its attributes are lifted on demand as Python
 * would read them.
 *
 * * A class attribute is evaluated in its class body's scope (names the body assigned before it, then the
 *   module's globals) and in its own module.
 * * `self.NAME` looks NAME up along the method resolution order (C3, as CPython): a class attribute, or a
 *   method bound to the instance. An attribute some method of the class assigns (`self.X = ...`,
 *   `self.X[k] = ...`, `self.X.append(...)`) is per-event state: unknown, never its class-body literal.
 * * `super()` inside a method continues the lookup after the class that defines the method.
 * * Members of a `str` enum (`class LogType(str, Enum)`) are their string values; other enum members
 *   are unknown.
 */
import type { Json } from '../../ast/types.js';
import type { Expr, Stmt } from '../ast.js';
import type { Lifter } from '../lift.js';
import type { FunctionDef, ModCtx, ModuleResolver } from '../module.js';
import { siteOf, type Env, type Site, type SV, type SVOf } from '../values.js';

export type ClassDef = Extract<Stmt, { t: 'ClassDef' }>;

/** A value that is a class or an instance: what `.name` on it gives, and calling it. */
export interface PyObject {
  /** A stable identity (memo keys of calls made with it). */
  readonly key: string;
  attr(L: Lifter, name: string, site: Site): SV;
  call?(L: Lifter, args: SV[], kwargs: Map<string, SV>, site: Site): SV;
  /** `obj.name = v` in a method: the object as the rest of the path sees it. */
  assign?(name: string, v: SV): PyObject;
}

/** Bases that are not classes of a parsed module: pypanther's own Rule and DataModel, enum.Enum, builtins. */
export type External = { ext: 'Rule' | 'DataModel' | 'Enum' | 'builtin' | 'unknown'; name: string; at?: Site };

export interface PyClass {
  name: string;
  def: ClassDef;
  mod: ModCtx;
  /** `module.Class`, for messages. */
  qual: string;
  bases: (PyClass | External)[];
  /** The attributes its body assigns: the last assignment of each, and the statement's index. */
  attrs: Map<string, { value: Expr; index: number }>;
  methods: Map<string, FunctionDef>;
  /** Method names decorated @staticmethod (not bound to the instance). */
  statics: Set<string>;
}

export const isClass = (b: PyClass | External): b is PyClass => 'def' in b;

/** Names whose import marks a known external base. */
const KNOWN: Record<string, External['ext']> = {
  'pypanther.Rule': 'Rule',
  'pypanther.base.Rule': 'Rule',
  'pypanther.DataModel': 'DataModel',
  'pypanther.base.DataModel': 'DataModel',
  'enum.Enum': 'Enum',
};

const BUILTIN_BASES = new Set(['str', 'int', 'float', 'object', 'dict', 'list', 'Exception', 'ValueError']);

const defsCache = new WeakMap<ModCtx, Map<string, ClassDef>>();

/** The classes a module defines at its top level (the last definition of a name wins, as in Python). */
export function classDefs(mod: ModCtx): Map<string, ClassDef> {
  let out = defsCache.get(mod);
  if (out) return out;
  out = new Map();
  const visit = (b: Stmt[]): void => {
    for (const st of b) {
      if (st.t === 'ClassDef') out?.set(st.name, st);
      else if (st.t === 'If') visit([...st.body, ...st.orelse]);
      else if (st.t === 'Try') visit([...st.body, ...st.handlers.flatMap((h) => h.body)]);
    }
  };
  visit(mod.mod.body);
  defsCache.set(mod, out);
  return out;
}

const classCache = new WeakMap<ModCtx, Map<string, PyClass | External | null>>();

/**
 * What a name of `mod` is as a class: one of its own classes, a class it imports (followed through
 * re-exports, as `from pypanther import LogType` is), a known external base, or null when it is not a
 * class the lifter can see.
 */
export function resolveClassName(name: string, mod: ModCtx, resolver: ModuleResolver, depth = 0): PyClass | External | null {
  let cache = classCache.get(mod);
  if (!cache) classCache.set(mod, (cache = new Map()));
  if (cache.has(name)) return cache.get(name) as PyClass | External | null;
  cache.set(name, null); // a cycle of imports reads as not a class
  let out: PyClass | External | null = null;
  const def = classDefs(mod).get(name);
  const imp = mod.imports.get(name);
  if (def && !mod.defs.has(name) && !mod.assigns.has(name)) out = buildClass(def, mod, resolver, depth);
  else if (imp && imp.name !== null) {
    const known = KNOWN[`${imp.module}.${imp.name}`];
    if (known) out = { ext: known, name: imp.name, at: imp.pos };
    else if (depth < 20) {
      const target = resolver.resolve(imp.module);
      out = target ? resolveClassName(imp.name, target, resolver, depth + 1) : { ext: 'unknown', name: `${imp.module}.${imp.name}`, at: imp.pos };
    }
  } else if (!def && !imp && !mod.defs.has(name) && !mod.assigns.has(name) && BUILTIN_BASES.has(name)) out = { ext: 'builtin', name };
  cache.set(name, out);
  return out;
}

/** A base class expression (`Rule`, `pypanther.Rule`, `mymod.Base`) as a class. */
export function resolveClassExpr(e: Expr, mod: ModCtx, resolver: ModuleResolver, depth = 0): PyClass | External | null {
  if (e.t === 'Name') return resolveClassName(e.id, mod, resolver, depth);
  if (e.t === 'Attribute' && e.obj.t === 'Name') {
    const imp = mod.imports.get(e.obj.id);
    if (imp && imp.name === null) {
      const known = KNOWN[`${imp.module}.${e.attr}`];
      if (known) return { ext: known, name: e.attr, at: siteOf(mod, e) };
      const target = resolver.resolve(imp.module);
      return target ? resolveClassName(e.attr, target, resolver, depth + 1) : { ext: 'unknown', name: `${imp.module}.${e.attr}`, at: siteOf(mod, e) };
    }
  }
  return null;
}

function buildClass(def: ClassDef, mod: ModCtx, resolver: ModuleResolver, depth: number): PyClass {
  const cls: PyClass = { name: def.name, def, mod, qual: `${mod.name}.${def.name}`, bases: [], attrs: new Map(), methods: new Map(), statics: new Set() };
  for (const b of def.bases) cls.bases.push(resolveClassExpr(b, mod, resolver, depth + 1) ?? { ext: 'unknown', name: exprName(b), at: siteOf(mod, b) });
  def.body.forEach((st, index) => {
    if (st.t === 'Assign') for (const tg of st.targets) {
      if (tg.t === 'Name') cls.attrs.set(tg.id, { value: st.value, index });
    }
    else if (st.t === 'FunctionDef') {
      cls.methods.set(st.name, st);
      cls.attrs.delete(st.name);
      if (st.decorators.some((d) => d.t === 'Name' && d.id === 'staticmethod')) cls.statics.add(st.name);
    }
  });
  return cls;
}

export function exprName(e: Expr): string {
  if (e.t === 'Name') return e.id;
  if (e.t === 'Attribute') return `${exprName(e.obj)}.${e.attr}`;
  if (e.t === 'Call') return `${exprName(e.func)}(...)`;
  return e.t;
}

/** The method resolution order of a class (C3 linearisation); externals end it. */
export function mro(cls: PyClass): (PyClass | External)[] {
  const lin = (c: PyClass | External, seen: Set<PyClass>): (PyClass | External)[] => {
    if (!isClass(c)) return [c];
    if (seen.has(c)) return [c];
    const s2 = new Set(seen).add(c);
    const seqs = [...c.bases.map((b) => lin(b, s2)), [...c.bases]].map((x) => [...x]);
    const out: (PyClass | External)[] = [c];
    for (;;) {
      const rest = seqs.filter((x) => x.length > 0);
      if (rest.length === 0) return out;
      const head = rest.map((x) => x[0] as PyClass | External).find((h) => !rest.some((x) => x.slice(1).includes(h)));
      // an inconsistent hierarchy (CPython refuses it): fall back to depth-first order
      const pick = head ?? (rest[0]?.[0] as PyClass | External);
      out.push(pick);
      for (const x of rest) if (x[0] === pick) x.shift();
    }
  };
  return lin(cls, new Set());
}

/** Is `cls` (transitively) a subclass of pypanther's Rule / DataModel, or of enum.Enum? */
export function derivesFrom(cls: PyClass, ext: External['ext']): boolean {
  return mro(cls).some((b) => !isClass(b) && b.ext === ext);
}

// ---------------------------------------------------------------------------------------------
// Instance attributes changed by methods

const MUTATORS = new Set(['append', 'add', 'update', 'extend', 'insert', 'pop', 'remove', 'clear', 'setdefault', 'discard', 'popitem']);

const mutatedCache = new WeakMap<PyClass, { others: Map<string, Site>; rule: Map<string, Site> }>();

/**
 * The attributes a method of `cls` writes on its instance (its first parameter), with where: those that
 * only rule() writes apart (the test-mock idiom `if isinstance(self.X, MagicMock): self.X = ...`, as a
 * module's `global X` written by rule() is read: rule() itself may read the class value, the output
 * functions, which run after it, may not).
 */
function mutatedBy(cls: PyClass): { others: Map<string, Site>; rule: Map<string, Site> } {
  const hit = mutatedCache.get(cls);
  if (hit) return hit;
  const out = { others: new Map<string, Site>(), rule: new Map<string, Site>() };
  for (const m of cls.methods.values()) {
    const found = m.name === 'rule' ? out.rule : out.others;
    const self = m.params[0]?.name;
    if (!self || cls.statics.has(m.name)) continue;
    const attrOf = (e: Expr): string | null => {
      if (e.t === 'Attribute' && e.obj.t === 'Name' && e.obj.id === self) return e.attr;
      if (e.t === 'Subscript' || (e.t === 'Attribute' && e.obj.t !== 'Name')) return attrOf(e.obj);
      return null;
    };
    const note = (name: string | null, at: Stmt): void => {
      if (name && !found.has(name)) found.set(name, siteOf(cls.mod, at));
    };
    const walk = (b: Stmt[]): void => {
      for (const st of b) {
        if (st.t === 'Assign') for (const t of st.targets) for (const x of t.t === 'Tuple' || t.t === 'List' ? t.elts : [t]) note(attrOf(x), st);
        if (st.t === 'AugAssign') note(attrOf(st.target), st);
        if (st.t === 'Expr' && st.value.t === 'Call' && st.value.func.t === 'Attribute' && MUTATORS.has(st.value.func.attr)) note(attrOf(st.value.func.obj), st);
        if (st.t === 'If' || st.t === 'For') walk([...st.body, ...st.orelse]);
        else if (st.t === 'While') walk(st.body);
        else if (st.t === 'Try') walk([...st.body, ...st.orelse, ...st.finalbody, ...st.handlers.flatMap((h) => h.body)]);
      }
    };
    walk(m.body);
  }
  mutatedCache.set(cls, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Class attributes, evaluated per lifter (mocks change what module globals read)

const attrCache = new WeakMap<Lifter, Map<string, SV>>();

function clsKey(cls: PyClass): string {
  return `${cls.mod.file}:${cls.def.line}:${cls.def.col}`;
}

/** The value of attribute `name` assigned by `cls`'s own body, as the class body computed it. */
export function classAttr(L: Lifter, cls: PyClass, name: string): SV | undefined {
  const a = cls.attrs.get(name);
  if (!a) return undefined;
  return bodyValue(L, cls, name, a.index + 1);
}

/** The value `name` has in `cls`'s body scope just before statement `before` (the last assignment above it). */
function bodyValue(L: Lifter, cls: PyClass, name: string, before: number): SV | undefined {
  let index = -1;
  let value: Expr | undefined;
  cls.def.body.slice(0, before).forEach((st, i) => {
    if (st.t === 'Assign' && st.targets.some((t) => t.t === 'Name' && t.id === name)) {
      index = i;
      value = st.value;
    }
  });
  if (!value) return undefined;
  let cache = attrCache.get(L);
  if (!cache) attrCache.set(L, (cache = new Map()));
  const key = `${clsKey(cls)}#${index}`;
  const hit = cache.get(key);
  if (hit) return hit;
  cache.set(key, L.opaque('recursion', `class attribute ${cls.name}.${name} refers to itself`, siteOf(cls.mod, cls.def.body[index] as Stmt)));
  const out = L.expr(value, classScope(L, cls, index), cls.mod);
  cache.set(key, out);
  return out;
}

/** The names a class body statement sees from the body above it (lazily evaluated). */
function classScope(L: Lifter, cls: PyClass, before: number): Env {
  const names = new Set<string>();
  cls.def.body.slice(0, before).forEach((st) => {
    if (st.t === 'Assign') for (const t of st.targets) if (t.t === 'Name') names.add(t.id);
  });
  return new ScopeEnv((n) => (names.has(n) ? bodyValue(L, cls, n, before) : undefined));
}

/** An environment whose names are computed when first read (a class body's scope). */
class ScopeEnv extends Map<string, SV> {
  constructor(private readonly look: (name: string) => SV | undefined) {
    super();
  }
  override get(name: string): SV | undefined {
    if (super.has(name)) return super.get(name);
    const v = this.look(name);
    if (v) super.set(name, v);
    return v;
  }
  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Values: a class, an instance

/** Values set on a rule class from outside its body (`X.override(...)`), by attribute name. */
export type Overrides = Map<string, (L: Lifter) => SV>;

/** The class itself as a value: `Severity.HIGH`, `OtherRule.CONSTANT`, a static method. */
export class ClassValue implements PyObject {
  readonly key: string;
  constructor(readonly cls: PyClass) {
    this.key = `C${clsKey(cls)}`;
  }

  attr(L: Lifter, name: string, site: Site): SV {
    const order = mro(this.cls);
    const isEnum = order.some((b) => !isClass(b) && b.ext === 'Enum');
    for (const c of order) {
      if (!isClass(c)) continue;
      if (isEnum && c === this.cls && c.attrs.has(name)) {
        // a member of a str enum is that string (a str subclass: equal to it, hashed as it)
        const strEnum = order.some((b) => !isClass(b) && b.ext === 'builtin' && b.name === 'str');
        const v = classAttr(L, c, name);
        if (strEnum && v && v.s === 'const' && typeof v.v === 'string') return v;
        return L.opaque('enum', `${c.name}.${name} is a member of an enum that is not a str enum`, site);
      }
      const m = c.methods.get(name);
      if (m) return { s: 'func', def: m, mod: c.mod };
      const v = classAttr(L, c, name);
      if (v) return v;
    }
    return L.opaque('attribute', `${this.cls.name}.${name} is not defined by the class or a base the lifter can read`, site);
  }

  call(L: Lifter, _args: SV[], _kwargs: Map<string, SV>, site: Site): SV {
    return L.opaque('call', `instantiating the class ${this.cls.name} (the state of an object is not followed)`, site);
  }
}

/**
 * An instance of a class (`self` in a rule's methods). `start` is where in the MRO lookups begin (after
 * `super()`); `overrides` are the values `X.override(...)` set; `mocks` the test mocks that patch the
 * instance (pypanther's RuleMock patches the rule when the test's module has no such name).
 */
export class Instance implements PyObject {
  readonly key: string;
  readonly order: (PyClass | External)[];
  /** The instance itself (methods found after `super()` are bound to it, not to the proxy). */
  readonly root: Instance;
  constructor(
    readonly cls: PyClass,
    readonly overrides: Overrides = new Map(),
    readonly mocks: Map<string, Json> = new Map(),
    readonly start = 0,
    order?: (PyClass | External)[],
    root?: Instance,
    /** Attributes assigned on this path of a method (`self.X = v`), by name. */
    readonly written: ReadonlyMap<string, SV> = new Map(),
  ) {
    this.order = order ?? mro(cls);
    this.root = root ?? this;
    this.key = `I${clsKey(cls)}@${start}${overrides.size ? `+${[...overrides.keys()].join(',')}` : ''}${mocks.size ? `~${JSON.stringify([...mocks])}` : ''}${written.size ? `=${Instance.writes++}` : ''}`;
  }

  private static writes = 0;

  /** The instance after `self.name = v` (on this path only: the flow keeps one per branch, as for locals). */
  assign(name: string, v: SV): Instance {
    const root = this.root;
    return new Instance(root.cls, root.overrides, root.mocks, 0, root.order, undefined, new Map([...root.written, [name, v]]));
  }

  /** The same instance seen from after MRO position `i` (what `super()` gives inside a method of the class at i - 1). */
  after(i: number): Instance {
    return new Instance(this.cls, this.overrides, this.mocks, i, this.order, this.root, this.root.written);
  }

  /** The position in the MRO of the class that defines method `def` (from `start`). */
  definer(def: FunctionDef): number {
    return this.order.findIndex((c, i) => i >= this.start && isClass(c) && c.methods.get(def.name) === def);
  }

  /** The method `name` as the lookup finds it (the pipeline calls rule(), title()... through here). */
  method(name: string, stopAt?: External['ext']): { def: FunctionDef; cls: PyClass } | undefined {
    for (const c of this.order.slice(this.start)) {
      if (!isClass(c)) {
        if (stopAt && c.ext === stopAt) return undefined;
        continue;
      }
      const m = c.methods.get(name);
      if (m) return { def: m, cls: c };
      if (c.attrs.has(name)) return undefined;
    }
    return undefined;
  }

  attr(L: Lifter, name: string, site: Site): SV {
    const self: SV = { s: 'object', obj: this.root };
    const w = this.root.written.get(name);
    if (w) return w;
    if (this.mocks.has(name)) return { s: 'mock', v: this.mocks.get(name) as Json, name };
    if (this.start === 0) {
      const o = this.overrides.get(name);
      if (o) return o(L);
    }
    for (const c of this.order) {
      if (!isClass(c)) continue;
      const writes = mutatedBy(c);
      const at = writes.others.get(name) ?? (L.outputMode ? writes.rule.get(name) : undefined);
      if (at) return L.opaque('mutation', `self.${name} is changed by a method of ${c.name} (per-event state, not its class value)`, at);
    }
    for (const c of this.order.slice(this.start)) {
      if (!isClass(c)) continue;
      const m = c.methods.get(name);
      if (m) return c.statics.has(name) ? { s: 'func', def: m, mod: c.mod } : { s: 'func', def: m, mod: c.mod, bound: self };
      const v = classAttr(L, c, name);
      if (v) return v;
    }
    return L.opaque('attribute', `self.${name} is not defined by ${this.cls.name} or a base the lifter can read`, site);
  }
}

/**
 * When a method bound to an instance is called: `super` in its body continues the lookup after the
 * class that defines it (both `super()` and `super(Cls, self)` read so).
 */
export function methodScope(f: SVOf<'func'>, env: Env): void {
  if (!f.bound || f.bound.s !== 'object' || !(f.bound.obj instanceof Instance)) return;
  const inst = f.bound.obj;
  const i = inst.definer(f.def);
  if (i < 0) return;
  const next: SV = { s: 'object', obj: inst.after(i + 1) };
  const at = { line: f.def.line, col: f.def.col };
  env.set('super', { s: 'lambda', params: [{ name: '__args', kind: 'star' }], body: { t: 'Name', id: '__super__', ...at }, mod: f.mod, env: new Map([['__super__', next]]) });
}

/** A module-level name that is a class, as a value (the lifter's last resort before builtins). */
export function classValue(resolver: ModuleResolver, mod: ModCtx, name: string): SV | null {
  if (!classDefs(mod).has(name)) return null;
  const c = resolveClassName(name, mod, resolver);
  return c && isClass(c) ? { s: 'object', obj: new ClassValue(c) } : null;
}


/** `obj.attr` when `obj` is a class or instance, or a conditional between them (an instance written on one branch). */
export function objectAttr(L: Lifter, obj: SV, attr: string, site: Site): SV | null {
  if (obj.s === 'object') return obj.obj.attr(L, attr, site);
  if (obj.s === 'ite' && hasObject(obj)) return L.iteMap(obj, (x) => objectAttr(L, x, attr, site) ?? L.opaque('attribute', `.${attr} of a value that is an instance on one path only`, site));
  return null;
}

function hasObject(v: SV): boolean {
  return v.s === 'object' || (v.s === 'ite' && (hasObject(v.a) || hasObject(v.b)));
}

/** `name.attr = v` where `name` is bound to an instance: the instance is rebound as written (false otherwise). */
export function assignAttribute(env: Env, t: Expr, v: SV): boolean {
  if (t.t !== 'Attribute' || t.obj.t !== 'Name') return false;
  const cur = env.get(t.obj.id);
  if (!cur || cur.s !== 'object' || !cur.obj.assign) return false;
  env.set(t.obj.id, { s: 'object', obj: cur.obj.assign(t.attr, v) });
  return true;
}
