/**
 * pypanther rules: Panther's Python-native detections, each a class of a `.py` module
 * (`class X(Rule)` with `id`, `log_types`, `default_severity`, class constants, methods `rule(self,
 * event)`, `title`, `dedup`, `severity`, `alert_context`, and `tests = [RuleTest(...)]`), customised by
 * subclassing and by `X.override(...)` / `X.extend(...)`.
 *
 * The loader reads the classes from the parsed Python (nothing is executed) into the LoadedRule the YAML
 * loader produces: the same metadata, tests and positions, so lifting, proof, targets, explain, diff and
 * report are unchanged. Class attributes are lifted as the lifter reads any constant, so `LogType.*` and
 * `Severity.*` resolve through pypanther's own enum classes, read from a pypanther checkout (`--helpers
 * DIR`, or found walking up from the rule as global_helpers/ is); the string forms pypanther accepts
 * too (`log_types = ["AWS.CloudTrail"]`, `default_severity = "HIGH"`) need no checkout.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Json, RuleMeta, RuleTest } from '../ast/types.js';
import { and, not } from '../ast/normalize.js';
import { fail, TranspileError } from '../diagnostics.js';
import type { Expr, Stmt } from '../python/ast.js';
import { Lifter } from '../python/lift.js';
import { moduleCtx, type FunctionDef, type ModCtx, type ModuleResolver } from '../python/module.js';
import { parsePython, PySyntaxError } from '../python/parse.js';
import { iterItems } from '../python/lift/loops.js';
import { classAttr, classDefs, derivesFrom, exprName, Instance, isClass, mro, resolveClassName, type Overrides, type PyClass, type PyObject } from '../python/lift/classes.js';
import { cst, pred, siteOf, type Site, type SV } from '../python/values.js';
import { loadRule, readUtf8, treePath, type LoadedRule, type YamlPos } from './load.js';
import { parseModelPath } from './datamodels.js';
import { parseModule, resolverFor, type PipelineOptions } from '../pipeline.js';

/** What the pipeline needs to lift a pypanther rule: which class of the module, as the file customises it. */
export interface PyRuleInfo {
  className: string;
}

/** `file.py::Class` names one rule class of a module holding several. */
export const CLASS_SEP = '::';

export function isPyRulePath(p: string): boolean {
  return /\.py(::[A-Za-z_]\w*)?$/.test(p);
}

/** Load a rule file of either form: a rule YAML, or a pypanther module (`x.py`, `x.py::Class`). */
export function loadRuleFile(readPath: string, given: string | undefined, root: string | undefined, opts: PipelineOptions = {}): LoadedRule {
  if (given === undefined && isPyRulePath(readPath)) {
    const [file, cls] = readPath.split(CLASS_SEP) as [string, string | undefined];
    return loadPyRule(file, root ?? path.dirname(file), opts, cls);
  }
  return root === undefined ? loadRule(readPath, given) : loadRule(readPath, given, root);
}

// ---------------------------------------------------------------------------------------------
// Finding pypanther and the modules rules import

const REPO_MARKERS = ['.git', '.panther_settings.yml', '.panther_settings.yaml'];

/** The folders from `dir` up to the repository root, or else to the folder holding the tree (as findUp bounds them). */
function ancestors(dir: string, root: string): string[] {
  let stop = path.dirname(path.resolve(root));
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (REPO_MARKERS.some((m) => fs.existsSync(path.join(d, m)))) {
      stop = d;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  const out: string[] = [];
  for (let cur = path.resolve(dir); ; cur = path.dirname(cur)) {
    out.push(cur);
    if (cur === stop || path.dirname(cur) === cur) return out;
  }
}

const isPkg = (d: string): boolean => fs.existsSync(path.join(d, 'log_types.py')) && fs.existsSync(path.join(d, 'severity.py'));

/**
 * The folder holding the `pypanther` package (a checkout, or site-packages): a `--helpers` folder that
 * holds it (or is it), else the first found walking up from the rule, where the rule lies inside the
 * package (pypanther's own managed rules) or beside it.
 */
export function findPypanther(ruleDir: string, opts: PipelineOptions, root: string): string | undefined {
  for (const d of opts.helpersDirs ?? []) {
    if (isPkg(path.join(d, 'pypanther'))) return path.resolve(d);
    if (path.basename(path.resolve(d)) === 'pypanther' && isPkg(d)) return path.dirname(path.resolve(d));
  }
  for (const d of ancestors(ruleDir, root)) {
    if (path.basename(d) === 'pypanther' && isPkg(d)) return path.dirname(d);
    if (isPkg(path.join(d, 'pypanther'))) return d;
  }
  return undefined;
}

/** A module file for a dotted name under `dir`: `a/b.py`, or the package `a/b/__init__.py`. */
function moduleFile(dir: string, name: string): string | undefined {
  const rel = name.split('.');
  for (const f of [path.join(dir, ...rel) + '.py', path.join(dir, ...rel, '__init__.py')]) if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  return undefined;
}

const labelOf = (dir: string, f: string): string => path.join(path.basename(path.resolve(dir)), path.relative(dir, f)).split(path.sep).join('/');

/**
 * How a pypanther rule's imports resolve: `pypanther` and `pypanther.*` (helpers, LogType, Severity)
 * from the pypanther checkout only; other names as for any rule (beside it, --helpers, global_helpers/),
 * then as packages of its own tree (the folders above it, up to the repository root).
 */
export function pypantherResolver(ruleDir: string, opts: PipelineOptions, root: string): ModuleResolver {
  const base = resolverFor(ruleDir, opts, root);
  const checkout = findPypanther(ruleDir, opts, root);
  const ups = ancestors(ruleDir, root);
  const load = (dir: string, name: string, pkg = false): ModCtx | null => {
    const f = moduleFile(dir, name);
    if (!f) return null;
    const m = parseModule(f, name, labelOf(dir, f));
    if (m instanceof PySyntaxError) {
      // a module of pypanther's own package the parser cannot read whole (base.py's bare `yield`): its
      // imports still say where LogType and the helpers live
      if (pkg) return importsOnly(f, name, labelOf(dir, f));
      fail('python-syntax', `${m.message} (in module ${name})`, { file: m.file, line: m.line, col: m.col }, 'fix the module');
    }
    return m;
  };
  return {
    resolve(name: string): ModCtx | null {
      if (name === 'pypanther' || name.startsWith('pypanther.')) return checkout ? load(checkout, name, true) : null;
      const hit = base.resolve(name);
      if (hit) return hit;
      for (const d of ups) {
        const m = load(d, name);
        if (m) return m;
      }
      return null;
    },
  };
}

const importsCache = new Map<string, ModCtx>();

/** A module reduced to its top-level import statements (each line at column 0, with its parenthesised continuation). */
function importsOnly(file: string, name: string, label: string): ModCtx {
  const hit = importsCache.get(file);
  if (hit) return hit;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const kept = lines.map(() => '');
  for (let i = 0; i < lines.length; i++) {
    if (!/^(from\s+\S+\s+import\b|import\s)/.test(lines[i] as string)) continue;
    kept[i] = lines[i] as string;
    if ((lines[i] as string).includes('(') && !(lines[i] as string).includes(')')) {
      while (++i < lines.length) {
        kept[i] = lines[i] as string;
        if ((lines[i] as string).includes(')')) break;
      }
    }
  }
  let out: ModCtx;
  try {
    out = moduleCtx(parsePython(kept.join('\n'), label), name);
  } catch {
    out = moduleCtx({ file: label, body: [] }, name);
  }
  importsCache.set(file, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rule classes of a module, and what the module does to them

/** `X.override(...)` / `X.extend(...)` at a module's top level. */
interface Customisation {
  kind: 'override' | 'extend';
  target: string;
  kwargs: { name: string; value: Expr }[];
  index: number;
  at: Site;
}

function customisations(mod: ModCtx): Customisation[] {
  const out: Customisation[] = [];
  mod.mod.body.forEach((st, index) => {
    if (st.t !== 'Expr' || st.value.t !== 'Call') return;
    const f = st.value.func;
    if (f.t !== 'Attribute' || (f.attr !== 'override' && f.attr !== 'extend') || f.obj.t !== 'Name') return;
    const kind = f.attr;
    const target = f.obj.id;
    const at = siteOf(mod, st);
    if (st.value.args.length) fail('pypanther-override', `${target}.${kind}() takes keyword arguments only`, at, `write ${target}.${kind}(threshold=5, ...)`);
    const kwargs = st.value.kwargs.map((k) => {
      if (k.name === null) fail('pypanther-override', `**kwargs in ${target}.${kind}() cannot be read`, at, 'name each attribute');
      return { name: k.name, value: k.value };
    });
    out.push({ kind, target, kwargs, index, at });
  });
  return out;
}

/** The index of the top-level statement defining class `name` in `mod`, or -1 (imported). */
function defIndex(mod: ModCtx, name: string): number {
  return mod.mod.body.findIndex((st) => st.t === 'ClassDef' && st.name === name);
}

/** The user classes of a rule's MRO (pypanther's Rule and other externals excluded). */
const userClasses = (cls: PyClass): PyClass[] => mro(cls).filter(isClass);

function isManaged(cls: PyClass): boolean {
  return cls.def.decorators.some((d) => exprName(d).split('.').pop() === 'panther_managed');
}

/** Whether a class is a rule: a subclass of pypanther's Rule (or of a base the lifter cannot read, with rule()), with an id. */
function isRuleClass(cls: PyClass): boolean {
  const order = mro(cls);
  const viaRule = derivesFrom(cls, 'Rule');
  const unknownBase = order.some((b) => !isClass(b) && b.ext === 'unknown');
  const has = (n: string): boolean => userClasses(cls).some((c) => c.attrs.has(n) || c.methods.has(n));
  if (order.some((b) => !isClass(b) && (b.ext === 'DataModel' || b.ext === 'Enum'))) return false;
  return (viaRule || (unknownBase && has('rule'))) && has('id');
}

/** The rule classes a module yields: its own, and those it imports and customises (in that order). */
export function ruleClassNames(mod: ModCtx, resolver: ModuleResolver): string[] {
  const out: string[] = [];
  for (const name of classDefs(mod).keys()) {
    const c = resolveClassName(name, mod, resolver);
    if (c && isClass(c) && c.mod === mod && isRuleClass(c)) out.push(name);
  }
  for (const cu of customisations(mod)) {
    if (out.includes(cu.target)) continue;
    const c = resolveClassName(cu.target, mod, resolver);
    if (c && isClass(c) && isRuleClass(c)) out.push(cu.target);
  }
  return out;
}

/** A cheap test before parsing: a module with a top-level class or a customisation call. */
function mayHoldRules(text: string): boolean {
  return /^class\s+\w+\s*\(/m.test(text) || /^\w+\.(override|extend)\(/m.test(text);
}

/** The rule classes of a `.py` file found walking a folder (none when it is not a pypanther module). */
export function pyRuleClassesOf(file: string, root: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  if (!mayHoldRules(text)) return [];
  try {
    const mod = moduleCtx(parsePython(text, treePath(root, file)), path.basename(file, '.py'));
    return ruleClassNames(mod, pypantherResolver(path.dirname(file), {}, root));
  } catch (e) {
    // a module that does not parse is reported when it is loaded, as one rule
    if (e instanceof PySyntaxError || e instanceof TranspileError) return ['?'];
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// A rule as the module defines it

/** A rule class with the customisations the module applies: where each attribute's value comes from. */
export interface RuleSetup {
  cls: PyClass;
  mod: ModCtx;
  /** Attribute values set or extended by override()/extend() (of the class or, before it, its bases), in order. */
  custom: Customisation[];
}

export function ruleSetup(mod: ModCtx, className: string, resolver: ModuleResolver, file: string): RuleSetup {
  const c = resolveClassName(className, mod, resolver);
  if (!c || !isClass(c)) fail('pypanther-no-class', `no rule class ${className} in this module`, { file, line: 1, col: 1 }, 'name a class the module defines or imports');
  const own = defIndex(mod, className);
  const bases = new Set(userClasses(c).slice(1).map((b) => b.name));
  // a subclass copies its bases' rule attributes when it is created: their later overrides do not reach it
  const custom = customisations(mod).filter((cu) => cu.target === className || (own >= 0 && bases.has(cu.target) && cu.index < own && resolveClassName(cu.target, mod, resolver) !== c));
  return { cls: c, mod, custom };
}

/** Where an attribute of the rule is set: the customisations (last first), then the class bodies along the MRO. */
type AttrSource =
  | { from: 'custom'; value: Expr; mod: ModCtx; at: Site; extend: { value: Expr; at: Site }[] }
  | { from: 'class'; cls: PyClass; value: Expr; at: Site; extend: { value: Expr; at: Site }[] };

function attrSource(s: RuleSetup, name: string): AttrSource | undefined {
  const extend: { value: Expr; at: Site }[] = [];
  // customisations apply in order: the last override wins, extends after it add up
  for (let i = s.custom.length - 1; i >= 0; i--) {
    const cu = s.custom[i] as Customisation;
    const kw = cu.kwargs.find((k) => k.name === name);
    if (!kw) continue;
    if (cu.kind === 'extend') extend.unshift({ value: kw.value, at: siteOf(s.mod, kw.value) });
    else return { from: 'custom', value: kw.value, mod: s.mod, at: siteOf(s.mod, kw.value), extend };
  }
  for (const c of userClasses(s.cls)) {
    const a = c.attrs.get(name);
    if (!a) continue;
    const st = c.def.body[a.index] as Stmt;
    return { from: 'class', cls: c, value: a.value, at: siteOf(c.mod, st), extend };
  }
  return extend.length ? { from: 'custom', value: { t: 'List', elts: [], line: 1, col: 1 }, mod: s.mod, at: extend[0]!.at, extend } : undefined;
}

/** The attribute's value as the lifter reads it (a class body's attribute in its class scope). */
function attrValue(L: Lifter, s: RuleSetup, name: string): { v: SV; at: Site } | undefined {
  const src = attrSource(s, name);
  if (!src) return undefined;
  let v: SV = src.from === 'custom' ? L.expr(src.value, new Map(), src.mod) : (classAttr(L, src.cls, name) ?? cst(null));
  for (const e of src.extend) v = concat(v, L.expr(e.value, new Map(), s.mod));
  return { v, at: src.at };
}

function concat(a: SV, b: SV): SV {
  if (a.s === 'const' && b.s === 'const' && Array.isArray(a.v) && Array.isArray(b.v)) return cst([...a.v, ...b.v], 'list');
  if (a.s === 'const' && b.s === 'const' && a.v && b.v && typeof a.v === 'object' && typeof b.v === 'object' && !Array.isArray(a.v) && !Array.isArray(b.v)) return cst({ ...a.v, ...b.v }, 'dict');
  const ia = iterItems(a);
  const ib = iterItems(b);
  if (ia && ib) return { s: 'seq', items: [...ia, ...ib], kind: 'list' };
  return { s: 'opaque', code: 'extend', reason: 'extend() of a value the lifter cannot read', span: { file: '', line: 1, col: 1 } };
}

/** The instance the rule's methods run on, with the module's customisations and the mocks that patch it. */
function instanceOf(s: RuleSetup, mocks: Map<string, Json>): Instance {
  const overrides: Overrides = new Map();
  const names = new Set(s.custom.flatMap((cu) => cu.kwargs.map((k) => k.name)));
  for (const n of names) overrides.set(n, (L) => attrValue(L, s, n)?.v ?? cst(null));
  // pypanther patches the test's module when it has the name, else the rule instance
  const mine = new Map([...mocks].filter(([k]) => !(s.mod.assigns.has(k) || s.mod.imports.has(k) || s.mod.defs.has(k) || classDefs(s.mod).has(k))));
  return new Instance(s.cls, overrides, mine);
}

// ---------------------------------------------------------------------------------------------
// The pipeline's entry points: the rule's functions

/** rule() with pypanther's include/exclude filters before it (a filter that raises means no alert). */
class FilteredRule implements PyObject {
  readonly key: string;
  constructor(
    private readonly inst: Instance,
    private readonly ruleFn: SV,
    private readonly filters: { name: 'include_filters' | 'exclude_filters'; at: Site }[],
  ) {
    this.key = `F${inst.key}`;
  }
  attr(L: Lifter, name: string, site: Site): SV {
    return L.opaque('attribute', `rule.${name}`, site);
  }
  call(L: Lifter, args: SV[], kwargs: Map<string, SV>, site: Site): SV {
    const event = args[0] ?? cst(null);
    const conj = [];
    for (const f of this.filters) {
      const list = this.inst.attr(L, f.name, f.at);
      const items = iterItems(list);
      if (!items) {
        const t = L.truth(L.opaque('filters', `${f.name} is not a list the lifter can read`, f.at));
        conj.push(f.name === 'include_filters' ? t : not(t));
        continue;
      }
      for (const fn of items) {
        const t = L.truth(L.apply(fn, [event], new Map(), f.at), f.at);
        conj.push(f.name === 'include_filters' ? t : not(t));
      }
    }
    const r = L.apply(this.ruleFn, args, kwargs, site);
    return pred(and(...conj, L.truth(r)));
  }
}

/**
 * How the pipeline reaches a Python rule's functions and the modules it imports: a rule module's own
 * functions, or a pypanther rule's methods bound to its instance (with the test's mocks that patch it).
 */
export function ruleEntry(loaded: LoadedRule, mod: ModCtx, opts: PipelineOptions, mocks: Map<string, Json>): { resolver: ModuleResolver; fn: (name: string) => RuleFunction | undefined } {
  if (loaded.pypanther) {
    const resolver = pypantherResolver(loaded.dir, opts, loaded.root);
    return { resolver, fn: pyRuleFunctions(loaded.pypanther, mod, resolver, mocks) };
  }
  const fn = (name: string): RuleFunction | undefined => {
    const def = mod.defs.get(name);
    return def ? { callee: { s: 'func', def, mod }, def, file: mod.file } : undefined;
  };
  return { resolver: resolverFor(loaded.dir, opts, loaded.root), fn };
}

export interface RuleFunction {
  callee: SV;
  def: FunctionDef;
  /** The module that defines it (a base class may live in another file). */
  file: string;
}

/**
 * The functions of a pypanther rule for the pipeline: rule() (behind its filters), title(), dedup(),
 * severity(), alert_context()..., each a method bound to the rule's instance. Methods pypanther's own Rule
 * base defines (title() giving the display name...) are not the rule's: as for a rule YAML without them.
 */
export function pyRuleFunctions(info: PyRuleInfo, mod: ModCtx, resolver: ModuleResolver, mocks: Map<string, Json>): (name: string) => RuleFunction | undefined {
  const s = ruleSetup(mod, info.className, resolver, mod.file);
  const inst = instanceOf(s, mocks);
  const self: SV = { s: 'object', obj: inst };
  const filters = (['include_filters', 'exclude_filters'] as const).flatMap((name) => {
    const src = attrSource(s, name);
    return src ? [{ name, at: src.at }] : [];
  });
  return (name) => {
    const m = inst.method(name, 'Rule');
    if (!m) return undefined;
    const bound: SV = m.cls.statics.has(name) ? { s: 'func', def: m.def, mod: m.cls.mod } : { s: 'func', def: m.def, mod: m.cls.mod, bound: self };
    const callee: SV = name === 'rule' && filters.length ? { s: 'object', obj: new FilteredRule(inst, bound, filters) } : bound;
    return { callee, def: m.def, file: m.cls.mod.file };
  };
}

// ---------------------------------------------------------------------------------------------
// Loading

const SEVERITIES = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** A path for messages: relative to the working directory when under it, else as outputs name it. */
function messagePath(root: string, file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : treePath(root, file);
}

/** Every rule a pypanther module yields (its own rule classes, and those it imports and customises). */
export function loadPyRules(readPath: string, root: string = path.dirname(readPath), opts: PipelineOptions = {}): LoadedRule[] {
  const { mod, resolver, file } = readModule(readPath, root, opts);
  return ruleClassNames(mod, resolver).map((n) => loadPyRule(readPath, root, opts, n, { mod, resolver, file }));
}

function readModule(readPath: string, root: string, opts: PipelineOptions): { mod: ModCtx; resolver: ModuleResolver; file: string; source: string; label: string } {
  const file = messagePath(root, readPath);
  let source: string;
  try {
    source = readUtf8(readPath, 'pypanther rule module', file);
  } catch (e) {
    if (e instanceof TranspileError) throw e;
    fail('file-not-found', `cannot read ${file}`, { file }, 'check the path');
  }
  const label = treePath(root, readPath);
  let mod: ModCtx;
  try {
    mod = moduleCtx(parsePython(source, label), path.basename(readPath, '.py'));
  } catch (e) {
    if (e instanceof PySyntaxError) fail('python-syntax', e.message, { file: e.file, line: e.line, col: e.col }, 'fix the Python so that it parses');
    throw e;
  }
  return { mod, resolver: pypantherResolver(path.dirname(readPath), opts, root), file, source, label };
}

/** Load one rule class of a pypanther module (the only one when `className` is not given). */
export function loadPyRule(
  readPath: string,
  root: string = path.dirname(readPath),
  opts: PipelineOptions = {},
  className?: string,
  read?: { mod: ModCtx; resolver: ModuleResolver; file: string },
): LoadedRule {
  const r = read ? { ...read, ...readText(readPath, root, read.file) } : readModule(readPath, root, opts);
  const { mod, resolver, file } = r;
  const names = ruleClassNames(mod, resolver);
  if (className === undefined) {
    if (names.length === 0) fail('not-a-rule', 'the module defines no pypanther rule class (a subclass of pypanther.Rule with an id)', { file, line: 1, col: 1 }, 'define `class MyRule(Rule):` with `id = "..."` and `def rule(self, event):`');
    if (names.length > 1) fail('pypanther-several-rules', `the module holds ${names.length} rule classes (${names.join(', ')})`, { file, line: 1, col: 1 }, `name one as ${file}${CLASS_SEP}${names[0]}, or give the folder`);
    className = names[0] as string;
  } else if (!names.includes(className)) {
    fail('pypanther-no-class', `${className} is not a rule class of this module (it has ${names.length ? names.join(', ') : 'none'})`, { file, line: 1, col: 1 }, 'name a subclass of pypanther.Rule with an id');
  }
  const s = ruleSetup(mod, className, resolver, file);
  const L = new Lifter(resolver);
  const where = (at: Site): YamlPos => (at.file === mod.file ? { line: at.line, col: at.col } : { line: s.cls.def.line, col: s.cls.def.col });
  const clsAt: Site = siteOf(s.cls.mod, s.cls.def);
  const nameAt = (at: Site): { file: string; line: number; col: number } => ({ file: at.file === mod.file ? file : at.file, line: at.line, col: at.col });

  /** An attribute as a constant, or a located error saying what to write. */
  const constAttr = (name: string, want: string, ok: (v: Json) => boolean): { v: Json; at: Site } | undefined => {
    const a = attrValue(L, s, name);
    if (!a) return undefined;
    if (a.v.s !== 'const' || !ok(a.v.v)) {
      const why = a.v.s === 'opaque' ? `: ${a.v.reason}` : '';
      const hint = a.v.s === 'opaque' && /pypanther/.test(a.v.reason)
        ? 'give the pypanther checkout with --helpers DIR (the folder holding pypanther/), or write the value as a string, e.g. log_types = ["AWS.CloudTrail"], default_severity = "HIGH"'
        : `write ${name} as ${want}`;
      fail('pypanther-attribute', `${s.cls.name}.${name} must be ${want}${a.v.s === 'const' ? `, not ${JSON.stringify(a.v.v)}` : ` (it could not be read${why})`}`, nameAt(a.at), hint);
    }
    return { v: a.v.v, at: a.at };
  };
  const isStr = (v: Json): boolean => typeof v === 'string';
  const strs = (v: Json): boolean => Array.isArray(v) && v.every(isStr);
  const int = (v: Json): boolean => typeof v === 'number' && Number.isInteger(v);
  const id = constAttr('id', 'a string', isStr);
  if (!id) fail('missing-key', `${s.cls.name} has no id`, nameAt(clsAt), 'add `id = "Vendor.Service.Name"`');
  const sev = constAttr('default_severity', 'a Severity or one of "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"', (v) => typeof v === 'string' && SEVERITIES.includes(v.toUpperCase()));
  if (!sev) fail('missing-key', `${s.cls.name} has no default_severity`, nameAt(clsAt), 'add `default_severity = Severity.INFO` (or "INFO")');
  const logTypes = constAttr('log_types', 'a list of log types', (v) => strs(v) && (v as string[]).length > 0);
  if (!logTypes) fail('missing-key', `${s.cls.name} has no log_types`, nameAt(clsAt), 'add `log_types = [LogType.AWS_CLOUDTRAIL]` (or ["AWS.CloudTrail"])');
  const text = (name: string): string | undefined => {
    const v = constAttr(name, 'a string', isStr)?.v as string | undefined;
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const enabled = constAttr('enabled', 'True or False', (v) => typeof v === 'boolean');
  const dedup = constAttr('dedup_period_minutes', 'a whole number', int);
  const threshold = constAttr('threshold', 'a whole number', int);
  const reports = constAttr('reports', 'a dict of lists', (v) => !!v && typeof v === 'object' && !Array.isArray(v));
  const severity = (sev.v as string).toUpperCase();
  const treeFile = treePath(root, readPath);
  const displayName = text('display_name');
  const description = text('default_description');
  const reference = text('default_reference');
  const runbook = text('default_runbook');
  const meta: RuleMeta = {
    id: (id.v as string).trim(),
    severity: severity[0] + severity.slice(1).toLowerCase(),
    enabled: enabled ? enabled.v === true : true,
    logTypes: logTypes.v as string[],
    tags: (constAttr('tags', 'a list of strings', strs)?.v as string[] | undefined) ?? [],
    mitre: mitre(reports?.v),
    summaryAttributes: (constAttr('summary_attributes', 'a list of strings', strs)?.v as string[] | undefined) ?? [],
    file: treeFile,
    ...(displayName ? { displayName } : {}),
    ...(description ? { description } : {}),
    ...(reference ? { reference } : {}),
    ...(runbook ? { runbook } : {}),
    ...(dedup ? { dedupPeriodMinutes: dedup.v as number } : {}),
    ...(threshold ? { threshold: threshold.v as number } : {}),
  };
  const { tests, testsAt } = readTests(L, s, resolver, nameAt);
  // positions by the YAML key an error names (Tests, LogTypes...), at the attribute that sets it
  const KEYS: Record<string, string> = { ruleid: 'id', logtypes: 'log_types', severity: 'default_severity', tests: 'tests', threshold: 'threshold', dedupperiodminutes: 'dedup_period_minutes', displayname: 'display_name', summaryattributes: 'summary_attributes', enabled: 'enabled', tags: 'tags', reports: 'reports' };
  const pos = (...keys: (string | number)[]): YamlPos => {
    const k = String(keys[0] ?? '').toLowerCase();
    if (k === 'tests' && typeof keys[1] === 'number') {
      const t = testsAt[keys[1]];
      return t ? where(t) : where(clsAt);
    }
    const attr = KEYS[k];
    const src = attr ? attrSource(s, attr) : undefined;
    return where(src ? src.at : clsAt);
  };
  const info: PyRuleInfo = { className };
  return {
    file,
    dir: path.dirname(readPath),
    root,
    analysisType: 'rule',
    meta,
    raw: {},
    pos,
    tests,
    python: { file: treeFile, source: r.source },
    pypanther: info,
  };
}

function readText(readPath: string, root: string, file: string): { source: string; label: string } {
  return { source: readUtf8(readPath, 'pypanther rule module', file), label: treePath(root, readPath) };
}

/** Parse `{"MITRE ATT&CK": ["TA0040:T1485"]}` from reports, as the YAML loader reads Reports. */
function mitre(reports: Json | undefined): { tactic: string; technique?: string }[] {
  if (!reports || typeof reports !== 'object' || Array.isArray(reports)) return [];
  const entry = Object.entries(reports).find(([k]) => k.toLowerCase().replace(/[^a-z]/g, '') === 'mitreattck');
  if (!entry || !Array.isArray(entry[1])) return [];
  return entry[1].map((x) => {
    const [tactic, technique] = String(x).split(':').map((y) => y.trim());
    return { tactic: tactic as string, ...(technique ? { technique } : {}) };
  });
}

// ---------------------------------------------------------------------------------------------
// Tests: RuleTest(...) calls, read from the expressions that build the list

interface TestCall {
  call: Extract<Expr, { t: 'Call' }>;
  mod: ModCtx;
}

function readTests(
  L: Lifter,
  s: RuleSetup,
  resolver: ModuleResolver,
  nameAt: (at: Site) => { file: string; line: number; col: number },
): { tests: RuleTest[]; testsAt: Site[] } {
  const calls = testCalls(s, resolver);
  const tests: RuleTest[] = [];
  const testsAt: Site[] = [];
  const constOf = (e: Expr, mod: ModCtx, what: string, at: Site): Json => {
    const v = L.expr(e, new Map(), mod);
    if (v.s !== 'const') fail('bad-tests', `${what} is not a constant the loader can read${v.s === 'opaque' ? ` (${v.reason})` : ''}`, nameAt(siteOf(mod, e)), 'write the test values as literals');
    void at;
    return v.v;
  };
  for (const [i, { call, mod }] of calls.entries()) {
    const at = siteOf(mod, call);
    const args = new Map<string, Expr>();
    ['name', 'expected_result', 'log', 'mocks'].forEach((n, j) => call.args[j] && args.set(n, call.args[j] as Expr));
    for (const k of call.kwargs) if (k.name) args.set(k.name, k.value);
    const nameE = args.get('name');
    const name = nameE ? String(constOf(nameE, mod, `test #${i + 1}: name`, at)) : `test ${i + 1}`;
    const expE = args.get('expected_result');
    const expected = expE ? constOf(expE, mod, `test '${name}': expected_result`, at) : undefined;
    if (typeof expected !== 'boolean') fail('bad-tests', `test '${name}': expected_result must be True or False`, nameAt(at));
    const logE = args.get('log');
    let log: Json = logE ? constOf(logE, mod, `test '${name}': log`, at) : null;
    if (typeof log === 'string') {
      try {
        log = JSON.parse(log) as Json;
      } catch {
        fail('bad-tests', `test '${name}': log is a string that is not JSON`, nameAt(at));
      }
    }
    const mocksE = args.get('mocks');
    let mocks: { objectName: string; returnValue: Json }[] | undefined;
    if (mocksE) {
      if (mocksE.t !== 'List' && mocksE.t !== 'Tuple') fail('bad-tests', `test '${name}': mocks must be a list of RuleMock(...)`, nameAt(siteOf(mod, mocksE)));
      mocks = mocksE.elts.map((m) => {
        if (m.t !== 'Call' || exprName(m.func).split('.').pop() !== 'RuleMock') fail('bad-tests', `test '${name}': a mock is not RuleMock(...)`, nameAt(siteOf(mod, m)));
        const ma = new Map<string, Expr>();
        ['object_name', 'return_value', 'side_effect', 'new'].forEach((n, j) => m.args[j] && ma.set(n, m.args[j] as Expr));
        for (const k of m.kwargs) if (k.name) ma.set(k.name, k.value);
        for (const unsupported of ['side_effect', 'new']) {
          if (ma.has(unsupported)) fail('bad-tests', `test '${name}': RuleMock(${unsupported}=...) is not supported (only return_value, as in a rule YAML's Mocks)`, nameAt(siteOf(mod, m)));
        }
        const on = ma.get('object_name');
        const objectName = on ? constOf(on, mod, 'RuleMock object_name', at) : null;
        if (typeof objectName !== 'string') fail('bad-tests', `test '${name}': RuleMock needs object_name as a string`, nameAt(siteOf(mod, m)));
        const rv = ma.get('return_value');
        return { objectName, returnValue: rv ? constOf(rv, mod, 'RuleMock return_value', at) : null };
      });
    }
    tests.push({ name, expected, log, ...(mocks && mocks.length ? { mocks } : {}) });
    testsAt.push(at);
  }
  return { tests, testsAt };
}

/** The RuleTest(...) calls the rule's `tests` attribute holds (through names, `+`, other classes' tests). */
function testCalls(s: RuleSetup, R: ModuleResolver): TestCall[] {
  const src = attrSource(s, 'tests');
  if (!src) return [];
  const base = src.from === 'custom' ? items(src.value, s.mod, R, null, 0) : items(src.value, src.cls.mod, R, src.cls, 0, src.cls === s.cls || !isManaged(src.cls));
  return [...base, ...src.extend.flatMap((e) => items(e.value, s.mod, R, null, 0))];
}

function items(e: Expr, mod: ModCtx, R: ModuleResolver, cls: PyClass | null, depth: number, visible = true): TestCall[] {
  // @panther_managed moves a class's tests aside: its subclasses inherit none
  if (!visible) return [];
  const bad = (what: string): never =>
    fail('bad-tests', `tests: ${what} cannot be read as a list of RuleTest(...)`, { file: mod.file, line: e.line, col: e.col }, 'write tests = [RuleTest(name=..., expected_result=..., log={...}), ...]');
  if (depth > 20) bad('a chain of names this deep');
  switch (e.t) {
    case 'List':
    case 'Tuple':
      return e.elts.flatMap((x) => (x.t === 'Starred' ? items(x.value, mod, R, cls, depth + 1) : items(x, mod, R, cls, depth + 1)));
    case 'BinOp':
      if (e.op !== '+') return bad(`operator ${e.op}`);
      return [...items(e.left, mod, R, cls, depth + 1), ...items(e.right, mod, R, cls, depth + 1)];
    case 'Call':
      if (exprName(e.func).split('.').pop() === 'RuleTest') return [{ call: e, mod }];
      return bad(`a call of ${exprName(e.func)}`);
    case 'Name': {
      const inBody = cls?.attrs.get(e.id);
      if (inBody) return items(inBody.value, mod, R, cls, depth + 1);
      const a = mod.assigns.get(e.id);
      if (a) return items(a.value, mod, R, null, depth + 1);
      return bad(`the name ${e.id}`);
    }
    case 'Attribute': {
      // OtherRule.tests (empty after @panther_managed), OtherRule._tests (what it wrote)
      if ((e.attr === 'tests' || e.attr === '_tests') && e.obj.t === 'Name') {
        const other = resolveClassName(e.obj.id, mod, R);
        if (other && isClass(other)) {
          const src = userClasses(other).find((c) => c.attrs.has('tests'));
          if (!src) return [];
          if (e.attr === 'tests' && isManaged(src)) return [];
          return items((src.attrs.get('tests') as { value: Expr }).value, src.mod, R, src, depth + 1);
        }
      }
      return bad(exprName(e));
    }
    default:
      return bad(`a ${e.t}`);
  }
}


// ---------------------------------------------------------------------------------------------
// Data models written as pypanther classes (`class X(DataModel)` with `mappings = [DataModelMapping(...)]`)

/** The data models a `.py` file defines, in the shape the YAML data models load into. */
export function pyDataModels(file: string, dir: string): { id: string; file: string; pyFile: string; logType: string; mappings: Map<string, { path?: string[]; method?: string }> }[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  if (!/^class\s+\w+\s*\(/m.test(text)) return [];
  let mod: ModCtx;
  try {
    mod = moduleCtx(parsePython(text, labelOf(dir, file)), path.basename(file, '.py'));
  } catch {
    return [];
  }
  const resolver = pypantherResolver(path.dirname(file), {}, dir);
  const L = new Lifter(resolver);
  const out: ReturnType<typeof pyDataModels> = [];
  for (const name of classDefs(mod).keys()) {
    try {
      out.push(...pyDataModel(L, mod, name, resolver, file));
    } catch (e) {
      // a data model the loader cannot read is left out: event.udm() then names what is missing
      if (!(e instanceof TranspileError)) throw e;
    }
  }
  return out;
}

function pyDataModel(L: Lifter, mod: ModCtx, name: string, resolver: ModuleResolver, file: string): ReturnType<typeof pyDataModels> {
  const out: ReturnType<typeof pyDataModels> = [];
  {
    const c = resolveClassName(name, mod, resolver);
    if (!c || !isClass(c) || c.mod !== mod || !derivesFrom(c, 'DataModel')) return out;
    const get = (n: string): SV | undefined => {
      for (const k of userClasses(c)) {
        const v = classAttr(L, k, n);
        if (v) return v;
      }
      return undefined;
    };
    const id = get('id');
    const logTypes = get('log_types');
    const enabled = get('enabled');
    if (enabled?.s === 'const' && enabled.v === false) return out;
    const maps = userClasses(c).find((k) => k.attrs.has('mappings'))?.attrs.get('mappings')?.value;
    if (!logTypes || logTypes.s !== 'const' || !Array.isArray(logTypes.v) || !maps || (maps.t !== 'List' && maps.t !== 'Tuple')) return out;
    const mappings = new Map<string, { path?: string[]; method?: string }>();
    for (const m of maps.elts) {
      if (m.t !== 'Call' || exprName(m.func).split('.').pop() !== 'DataModelMapping') continue;
      const kw = new Map<string, Expr>();
      ['name', 'path', 'method'].forEach((n, j) => m.args[j] && kw.set(n, m.args[j] as Expr));
      for (const k of m.kwargs) if (k.name) kw.set(k.name, k.value);
      const n = kw.get('name');
      const p = kw.get('path');
      const fnE = kw.get('method');
      if (n?.t !== 'Const' || typeof n.value !== 'string') continue;
      if (p?.t === 'Const' && typeof p.value === 'string') {
        const segs = parseModelPath(p.value);
        if (segs) mappings.set(n.value, { path: segs });
      } else if (fnE?.t === 'Name') mappings.set(n.value, { method: fnE.id });
    }
    for (const lt of logTypes.v) {
      if (typeof lt !== 'string') continue;
      out.push({ id: id?.s === 'const' ? String(id.v) : name, file, pyFile: file, logType: lt, mappings });
    }
  }
  return out;
}
