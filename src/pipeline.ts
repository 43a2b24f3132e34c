/**
 * The flow of one rule: load → lift → normalize, and the proof of the lift against the rule's tests.
 * Pure functions over plain data, except module loading (which reads the helper sources once).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Fidelity, Json, KeyCase, OutputField, Pred, Reason, Rule, RuleTest, TitlePart, Val } from './ast/types.js';
import { and, assumeOpaque, normalize, not, or } from './ast/normalize.js';
import { fieldRef, opaques } from './ast/view.js';
import { evaluateRule } from './ast/evaluate.js';
import { findUp, type LoadedRule } from './panther/load.js';
import { parsePython, PySyntaxError } from './python/parse.js';
import { Lifter, moduleCtx, type ModCtx, type ModuleResolver, type SV, type UdmResolver } from './python/lift.js';
import { dataModelOf, type DataModel } from './panther/datamodels.js';
import { BudgetExceeded, predId, simplify, withBudget } from './ast/normalize.js';
import { fail, TranspileError } from './diagnostics.js';
import { liftInlineFilters, liftSimpleDetection } from './panther/simple.js';
import { reasonFidelity } from './reasons.js';
import { propagateUnits } from './python/lift/units.js';
import { loadRuleFile, ruleEntry, type RuleFunction } from './panther/pypanther.js';

export interface PipelineOptions {
  /** Extra global_helpers folders (--helpers). */
  helpersDirs?: string[];
  /** Extra data_models folders (--data-models). */
  dataModelsDirs?: string[];
}

/**
 * File-system answers (folders found walking up, module files that exist) remembered for one run: keyed on
 * the options object, which the CLI makes once per command (and each worker thread once), so a batch asks
 * the file system once per folder instead of once per rule; a caller passing new options asks afresh. The
 * tree is not expected to change while a batch reads it.
 */
const runMemos = new WeakMap<PipelineOptions, Map<string, unknown>>();

function runMemo<T>(opts: PipelineOptions, key: string, f: () => T): T {
  let m = runMemos.get(opts);
  if (!m) runMemos.set(opts, (m = new Map()));
  if (m.has(key)) return m.get(key) as T;
  const v = f();
  m.set(key, v);
  return v;
}

/**
 * The data model of a log type visible from a rule: data_models/ found walking up, plus --data-models folders
 * (read-only; a later folder's wins). Each folder is read per log type (`dataModelOf`), not whole.
 */
function dataModelsFor(ruleDir: string, opts: PipelineOptions, root: string = ruleDir): (logType: string) => DataModel | undefined {
  const dirs = runMemo(opts, `data_models\0${ruleDir}\0${root}`, () => {
    const found = findUp(ruleDir, 'data_models', root);
    return [...(found ? [found] : []), ...(opts.dataModelsDirs ?? [])];
  });
  return (logType) => {
    let out: DataModel | undefined;
    for (const d of dirs) out = dataModelOf(d, logType) ?? out;
    return out;
  };
}

function udmResolver(model: DataModel | undefined, logType: string): UdmResolver {
  return (name) => {
    if (!model) return { missing: `event.udm("${name}"): no data model for ${logType} in a data_models/ folder up to the repository root: name the folder holding it with --data-models DIR` };
    const m = model.mappings.get(name);
    if (!m) return { missing: `event.udm("${name}"): the ${model.id} data model has no mapping for it` };
    if (m.path) return { path: m.path };
    if (!model.pyFile) return { missing: `data model ${model.id} names Method ${m.method} but has no Filename` };
    const mod = parseModule(model.pyFile, path.basename(model.pyFile, '.py'));
    if (mod instanceof PySyntaxError) fail('python-syntax', `${mod.message} (in data model ${model.id})`, { file: mod.file, line: mod.line, col: mod.col });
    if (!mod.defs.has(m.method as string) && !mod.imports.has(m.method as string)) {
      return { missing: `data model ${model.id}: method ${m.method} is not defined in ${model.pyFile}` };
    }
    return { method: m.method as string, mod };
  };
}

/** Parsed modules, shared by every rule of a run (helpers are parsed once). */
const moduleCache = new Map<string, ModCtx | PySyntaxError>();

/**
 * How spans and messages name a module: its folder's own name, then the path inside it
 * (`global_helpers/panther_base_helpers.py`), never an absolute path.
 */
function moduleLabel(file: string): string {
  const dir = path.dirname(file);
  return path.join(path.basename(dir), path.basename(file)).split(path.sep).join('/');
}

export function parseModule(file: string, name: string, label: string = moduleLabel(file)): ModCtx | PySyntaxError {
  const hit = moduleCache.get(file);
  if (hit) return hit;
  let out: ModCtx | PySyntaxError;
  try {
    out = moduleCtx(parsePython(fs.readFileSync(file, 'utf8'), label), name);
  } catch (e) {
    if (!(e instanceof PySyntaxError)) throw e;
    out = e;
  }
  moduleCache.set(file, out);
  return out;
}

export function resolverFor(ruleDir: string, opts: PipelineOptions, root: string = ruleDir): ModuleResolver {
  const dirs = [ruleDir, ...(opts.helpersDirs ?? [])];
  const found = runMemo(opts, `global_helpers\0${ruleDir}\0${root}`, () => findUp(ruleDir, 'global_helpers', root));
  if (found) dirs.push(found);
  return {
    resolve(name: string): ModCtx | null {
      const rel = `${name.split('.').join(path.sep)}.py`;
      for (const d of dirs) {
        const f = path.join(d, rel);
        if (runMemo(opts, `exists\0${f}`, () => fs.existsSync(f))) {
          const m = parseModule(f, name, path.join(path.basename(path.resolve(d)), rel).split(path.sep).join('/'));
          if (m instanceof PySyntaxError) {
            fail('python-syntax', `${m.message} (in helper module ${name})`, { file: m.file, line: m.line, col: m.col }, 'fix the helper module');
          }
          return m;
        }
      }
      return null;
    },
  };
}

export interface Lifted {
  rule: Rule;
  loaded: LoadedRule;
}

/** Load and lift one rule file. Throws TranspileError for input the user must fix. */
export function liftFile(file: string, opts: PipelineOptions = {}): Lifted {
  const loaded = loadRuleFile(file, undefined, undefined, opts);
  return { rule: liftLoaded(loaded, opts), loaded };
}

export function liftLoaded(loaded: LoadedRule, opts: PipelineOptions = {}): Rule {
  const meta = loaded.meta;
  const reasons: Reason[] = [];
  const notes: Reason[] = [];
  let condition: Pred;
  let outputs: OutputField[] = [];
  let title: TitlePart[] | undefined;
  let dedup: Val | undefined;
  let groupBy: Val[] | undefined;
  let keyCases: KeyCase[] | undefined;
  let severities: { severity: string; when: Pred }[] | undefined;
  if (loaded.analysisType === 'correlation_rule') {
    // a correlation rule matches sequences/groups of other rules' alerts, not events
    const message = 'correlation rules (Group/Sequence over other rules within a window) are not translated';
    const span = { file: meta.file, ...loaded.pos('Detection') };
    return {
      meta,
      condition: { k: 'opaque', code: 'correlation', reason: message, span, assume: true },
      outputs: [],
      tests: [],
      reasons: [{ code: 'unsupported-correlation', message, ...span, direction: 'wider' }],
      notes,
    };
  }
  if (loaded.analysisType === 'scheduled_rule') {
    reasons.push({
      code: 'unsupported-scheduled',
      message: 'a scheduled rule runs over the rows of a scheduled SQL query, which is not translated: only its Python filter is lifted',
      file: meta.file,
      ...loaded.pos('ScheduledQueries'),
    });
  }
  if (loaded.detection !== undefined) {
    const simple = liftSimpleDetection(loaded);
    condition = simple.condition;
    outputs = simple.outputs;
    title = simple.title;
    groupBy = simple.groupBy;
    if (simple.severities) severities = simple.severities;
    notes.push(...simple.notes);
  } else {
    const py = loaded.python as { file: string; source: string };
    let lifted: PyLift;
    try {
      lifted = liftPython(loaded, py, opts, new Map());
    } catch (e) {
      // Python nested deeper than the lifter's recursion can follow (a very long elif chain): the
      // rule keeps its place as a declared superset, the batch goes on
      if (!(e instanceof RangeError)) throw e;
      const message = 'the rule nests too deeply to lift (the lifter ran out of stack); split the chain into a lookup table or smaller functions';
      const at = { file: py.file, line: 1, col: 1 };
      lifted = { condition: { k: 'opaque', code: 'size', reason: message, span: at, assume: true }, outputs: [], notes: [], bounded: { code: 'unsupported-size', message, ...at, direction: 'wider' } };
    }
    condition = lifted.condition;
    if (lifted.bounded) reasons.push(lifted.bounded);
    outputs = lifted.outputs;
    title = lifted.title;
    dedup = lifted.dedup;
    keyCases = lifted.keyCases;
    severities = lifted.severities;
    notes.push(...lifted.notes);
  }
  // InlineFilters run before the rule: the rule alerts only on events that pass them
  const filters = liftInlineFilters(loaded);
  if (filters) condition = simplify({ k: 'and', args: [filters, condition] });
  const size = treeSize(condition);
  if (size > MAX_CONDITION_NODES && !(condition.k === 'opaque' && condition.code === 'size')) {
    // too large to print: keep the rule's place with a superset the report names, never a silent drop
    const message = `the lifted condition has ${size} nodes once expanded (limit ${MAX_CONDITION_NODES}): too large to emit as a query`;
    condition = { k: 'opaque', code: 'size', reason: message, span: { file: meta.pyFile ?? meta.file, line: 1, col: 1 }, assume: true };
    reasons.push({ code: 'unsupported-size', message, file: meta.pyFile ?? meta.file, line: 1, col: 1, direction: 'wider' });
  }
  // Panther's enrichment data (lookup tables, IPinfo, GreyNoise, Tor...) is attached at ingest: no SIEM
  // event carries it
  const enriched = readsField(condition, 'p_enrichment');
  if (enriched) reasons.push({ code: 'unsupported-enrichment', message: `the condition reads Panther enrichment data (${enriched}), which exists only in Panther`, file: meta.pyFile ?? meta.file, line: 1, col: 1, direction: 'wider' });
  for (const o of opaques(condition)) {
    if (o.code === 'size') continue;
    reasons.push({
      code: o.code === 'stateful' ? 'unsupported-stateful' : `opaque-${o.code}`,
      message: o.reason,
      file: o.span.file,
      line: o.span.line,
      col: o.span.col,
      direction: 'wider',
    });
  }
  // SummaryAttributes stand in for the outputs only when the rule has no alert context of its own
  for (const a of outputs.length === 0 ? meta.summaryAttributes : []) {
    if (outputs.some((o) => o.name.toLowerCase() === a.toLowerCase())) continue;
    outputs.push({ name: a, value: pathVal(a), source: 'summary' });
  }
  const rule: Rule = { meta, condition, outputs, tests: loaded.tests, reasons, notes };
  if (title) rule.title = title;
  if (dedup) rule.dedup = dedup;
  if (severities) rule.severities = severities;
  const keys = groupBy ?? (dedup ? [dedup] : []);
  // (key cases are lifted with the first log type's data model: a rule of one log type only)
  if (meta.threshold !== undefined && meta.threshold > 1) {
    rule.aggregation = { threshold: meta.threshold, windowMinutes: meta.dedupPeriodMinutes ?? 60, groupBy: keys, ...(keys.length === 0 && keyCases && meta.logTypes.length <= 1 ? { keyCases } : {}) };
  }
  return rule;
}

/** Above this many nodes (shared subtrees counted at every use) a condition is not emitted. */
export const MAX_CONDITION_NODES = 20000;

/**
 * The budget of one lifted expression (the condition; each output, the title, dedup and severity): the
 * operands simplification may scan (deterministic, about 300 times what the largest rule of the
 * panther-analysis corpus needs) and a wall-clock safety net. Over it the expression is reported as too
 * large (`unsupported-size` for the condition, a note for the outputs) instead of running on.
 */
export const MAX_SIMPLIFY_WORK = 1_000_000;
export const MAX_LIFT_MS = 10_000;
/** Distinct nodes of a lifted predicate above which it is not normalised at all. */
export const MAX_DAG_NODES = 200_000;
/** Paths through a conditional severity() above which its cases are not enumerated. */
export const MAX_SEVERITY_CASES = 256;

/** Distinct nodes of a predicate (each shared node once), stopping early past `limit`. */
export function dagSize(p: Pred, limit = Infinity): number {
  const seen = new Set<Pred>();
  const stack: Pred[] = [p];
  while (stack.length && seen.size <= limit) {
    const q = stack.pop() as Pred;
    if (seen.has(q)) continue;
    seen.add(q);
    if (q.k === 'and' || q.k === 'or') for (const a of q.args) stack.push(a);
    else if (q.k === 'not') stack.push(q.arg);
    else if (q.k === 'quant') stack.push(q.pred);
  }
  return seen.size;
}

/** Size of a value as a target would print it (shared subtrees counted each time, computed once each). */
export function valSize(v: Val, memo = new Map<Val, number>()): number {
  const hit = memo.get(v);
  if (hit !== undefined) return hit;
  let n = 1;
  if (v.k === 'get') n += valSize(v.obj, memo) + (v.default ? valSize(v.default, memo) : 0);
  else if (v.k === 'index') n += valSize(v.obj, memo);
  else if (v.k === 'fn') for (const a of v.args) n += valSize(a, memo);
  memo.set(v, n);
  return n;
}

/** The opaque stand-in and the reason for a condition over its budget, located at `at`. */
function tooLarge(what: string, at: { file: string; line: number; col: number }): { condition: Pred; reason: Reason } {
  const message = `${what}: too large to translate`;
  return {
    condition: { k: 'opaque', code: 'size', reason: message, span: at, assume: true },
    reason: { code: 'unsupported-size', message, file: at.file, line: at.line, col: at.col, direction: 'wider' },
  };
}

/** Run `f` under the per-expression budget; `over` gives the result when it runs out. */
function bounded<T>(f: () => T, over: (e: BudgetExceeded) => T): T {
  try {
    return withBudget(MAX_SIMPLIFY_WORK, MAX_LIFT_MS, f);
  } catch (e) {
    if (e instanceof BudgetExceeded) return over(e);
    throw e;
  }
}

/** Why an expression was over its budget, for messages. */
function overWhat(e: BudgetExceeded): string {
  return e.what === 'work' ? `simplifying it needs more than ${MAX_SIMPLIFY_WORK} steps` : `simplifying it takes more than ${MAX_LIFT_MS / 1000} s`;
}

/** Size of a predicate as targets would print it (shared subtrees counted each time). */
export function treeSize(p: Pred, memo = new Map<Pred, number>()): number {
  const hit = memo.get(p);
  if (hit !== undefined) return hit;
  let n = 1;
  if (p.k === 'and' || p.k === 'or') for (const a of p.args) n += treeSize(a, memo);
  else if (p.k === 'not') n += treeSize(p.arg, memo);
  else if (p.k === 'quant') n += treeSize(p.pred, memo);
  memo.set(p, n);
  return n;
}

/** The first path under a top-level event field the predicate reads (e.g. p_enrichment.ipinfo...), if any. */
export function readsField(p: Pred, top: string): string | null {
  const inVal = (v: Val): string | null => {
    const f = fieldRef(v);
    if (f && f.root === 'event' && typeof f.path[0] === 'string' && f.path[0].toLowerCase() === top) return f.path.join('.');
    if (v.k === 'fn') for (const a of v.args) { const r = inVal(a); if (r) return r; }
    if (v.k === 'get' || v.k === 'index') return inVal(v.obj);
    return null;
  };
  const walk = (q: Pred): string | null => {
    switch (q.k) {
      case 'and':
      case 'or':
        for (const a of q.args) { const r = walk(a); if (r) return r; }
        return null;
      case 'not':
        return walk(q.arg);
      case 'quant':
        return inVal(q.list) ?? walk(q.pred);
      case 'cmp':
        return inVal(q.left) ?? inVal(q.right);
      case 'rel':
        return inVal(q.value) ?? inVal(q.other);
      case 'in': case 'match': case 'has': case 'exists': case 'truthy': case 'cidr': case 'istype': case 'valid':
        return inVal(q.value);
      default:
        return null;
    }
  };
  return walk(p);
}

/** A dotted attribute path as a field value. */
export function pathVal(p: string): Val {
  let v: Val = { k: 'event' };
  // Panther writes nested SummaryAttributes with ':' (actor:email) or '.'
  for (const seg of p.split(/[:.]/)) v = { k: 'get', obj: v, key: seg, deep: true };
  return v;
}

interface PyLift {
  condition: Pred;
  outputs: OutputField[];
  title?: TitlePart[];
  dedup?: Val;
  /** The dedup string (dedup()'s, else the title's) where it depends on a condition: Aggregation.keyCases. */
  keyCases?: KeyCase[];
  severities?: { severity: string; when: Pred }[];
  notes: Reason[];
  /** The condition was over its budget (it is then an opaque `size` node). */
  bounded?: Reason;
}

/** How many leaves leaves() would give (each path through shared arms counted). */
function leafCount(v: SV, memo = new Map<SV, number>()): number {
  if (v.s !== 'ite') return 1;
  const hit = memo.get(v);
  if (hit !== undefined) return hit;
  const n = leafCount(v.a, memo) + leafCount(v.b, memo);
  memo.set(v, n);
  return n;
}

/** The leaves of a conditional value with the condition under which each is reached. */
function leaves(v: SV, when: Pred = { k: 'const', v: true }): { when: Pred; v: SV }[] {
  if (v.s === 'ite') return [...leaves(v.a, simplify({ k: 'and', args: [when, v.c] })), ...leaves(v.b, simplify({ k: 'and', args: [when, { k: 'not', arg: v.c }] }))];
  return [{ when, v }];
}

/**
 * A rule's parsed module, per loaded rule: the proof's lifts under each test's mocks read the same module
 * (a module is not changed by lifting: helper modules are shared by every rule alike).
 */
const ruleModules = new WeakMap<object, ModCtx>();

/**
 * Lift a Python rule. `conditionOnly`: rule() alone (the proof's lift under a test's mocks reads nothing
 * else; the outputs are lifted after the condition by a lifter of their own, so the condition is the same).
 */
function liftPython(loaded: LoadedRule, py: { file: string; source: string }, opts: PipelineOptions, mocks: Map<string, Json>, conditionOnly = false): PyLift {
  let mod = ruleModules.get(py);
  if (!mod) {
    try {
      mod = moduleCtx(parsePython(py.source, py.file), path.basename(py.file, '.py'));
    } catch (e) {
      if (e instanceof PySyntaxError) fail('python-syntax', e.message, { file: e.file, line: e.line, col: e.col }, 'fix the Python so that it parses');
      throw e;
    }
    ruleModules.set(py, mod);
  }
  // the rule's functions: the module's own, or a pypanther class's methods bound to its instance
  const { resolver, fn } = ruleEntry(loaded, mod, opts, mocks);
  const fileOf = (name: string): string => fn(name)?.file ?? py.file;
  const ruleDef = fn('rule')?.def;
  if (!ruleDef) fail('no-rule-function', `${py.file} defines no rule(event) function`, { file: py.file, line: 1, col: 1 }, 'a Panther rule module must define `def rule(event):`');
  const models = dataModelsFor(loaded.dir, opts, loaded.root);
  const logTypes = loaded.meta.logTypes.length ? loaded.meta.logTypes : [''];
  const lifterFor = (lt: string): Lifter => new Lifter(resolver, mocks, udmResolver(models(lt), lt));
  const lifter = lifterFor(logTypes[0] as string);
  lifter.ruleMod = mod;
  const notes: Reason[] = [];
  const call = (name: string): SV | undefined => {
    const f = fn(name);
    if (!f) return undefined;
    return lifter.apply(f.callee, [{ s: 'val', v: { k: 'event' } }], new Map(), { file: f.file, line: f.def.line, col: f.def.col });
  };
  /**
   * rule()'s condition as one lifter lifts it: the truth of its value, where none of the modelled
   * exceptions it raises outside a try (Lifter.ruleRaises) ends it first (no alert).
   */
  const ruleCondition = (l: Lifter, lift: () => SV): Pred => {
    l.ruleRaises = [];
    try {
      const v = lift();
      if (l.ruleRaises.length === 0) return l.truth(v);
      return propagateUnits(normalize(and(not(or(...l.ruleRaises)), l.truth(v))));
    } finally {
      l.ruleRaises = null;
    }
  };
  const ruleAt = { file: fileOf('rule'), line: ruleDef.line, col: ruleDef.col };
  let boundedReason: Reason | undefined;
  const overBudget = (what: string): Pred => {
    const t = tooLarge(what, ruleAt);
    boundedReason = t.reason;
    return t.condition;
  };
  /** The normalised truth of a lifted value, unless it is over the size budget. */
  const lifted = (p: Pred): Pred => {
    const n = dagSize(p, MAX_DAG_NODES);
    if (n > MAX_DAG_NODES) return overBudget(`the lifted condition has more than ${MAX_DAG_NODES} distinct nodes`);
    return assumeOpaque(normalize(p));
  };
  let condition = bounded(
    () => lifted(ruleCondition(lifter, () => call('rule') as SV)),
    (e) => overBudget(`the condition of rule() (${overWhat(e)})`),
  );
  if (!boundedReason && logTypes.length > 1 && py.source.includes('.udm(')) condition = bounded(() => {
    // data-model fields differ per log type: lift once per log type, keyed on p_log_type (the first
    // log type's is the condition just lifted: a fresh lifter for it lifts the same)
    const per = logTypes.map((lt, i) => {
      if (i === 0) return { lt, cond: condition };
      const l = lifterFor(lt);
      l.ruleMod = mod;
      const cond = ruleCondition(l, () => l.apply((fn('rule') as RuleFunction).callee, [{ s: 'val', v: { k: 'event' } }], new Map(), ruleAt));
      return { lt, cond: lifted(cond) };
    });
    if (boundedReason) return condition;
    if (!per.every((x) => predId(x.cond) === predId(condition))) {
      return simplify({
        k: 'or',
        args: per.map((x) =>
          simplify({ k: 'and', args: [{ k: 'cmp', op: 'eq', left: { k: 'get', obj: { k: 'event' }, key: 'p_log_type' }, right: { k: 'lit', v: x.lt } }, x.cond] }),
        ),
      });
    }
    return condition;
  }, (e) => overBudget(`the condition of rule() per log type (${overWhat(e)})`));
  if (conditionOnly) return { condition, ...(boundedReason ? { bounded: boundedReason } : {}), outputs: [], notes };
  const outputs: OutputField[] = [];
  // the output functions run after rule() on the same event: globals it writes are not their literals
  const outLifter = lifterFor(logTypes[0] as string);
  outLifter.ruleMod = mod;
  outLifter.outputMode = true;
  const call2 = (name: string): SV | undefined => {
    const f = fn(name);
    if (!f) return undefined;
    return outLifter.apply(f.callee, [{ s: 'val', v: { k: 'event' } }], new Map(), { file: f.file, line: f.def.line, col: f.def.col });
  };
  // each output is lifted under its own budget: one over it is reported and left out, never the rule
  const defAt = (name: string): { line: number; col: number } => fn(name)?.def as { line: number; col: number };
  const overNote = (code: string, name: string) => (e: BudgetExceeded): undefined => {
    notes.push(note(code, `${name}() is too large to translate (${overWhat(e)}): left out`, fileOf(name), defAt(name)));
    return undefined;
  };
  /** An output value, unless it is over the size bound (then noted). */
  const sized = (v: Val | null, code: string, what: string, at: { line: number; col: number }): Val | null => {
    if (!v) return v;
    const n = valSize(v);
    if (n <= MAX_CONDITION_NODES) return v;
    notes.push(note(code, `${what} has ${n} nodes once expanded (limit ${MAX_CONDITION_NODES}): too large to translate, left out`, py.file, at));
    return null;
  };
  const ctx = bounded(() => call2('alert_context'), overNote('output-alert-context', 'alert_context'));
  if (ctx) {
    const def = defAt('alert_context');
    const entries: [string, SV][] = ctx.s === 'dict' ? ctx.entries : ctx.s === 'const' && ctx.v && typeof ctx.v === 'object' && !Array.isArray(ctx.v) ? Object.entries(ctx.v).map(([k, v]) => [k, { s: 'const', v, kind: 'scalar' } as SV]) : [];
    if (entries.length === 0 && !(ctx.s === 'const' || ctx.s === 'dict')) {
      notes.push(note('output-alert-context', `alert_context() could not be lifted (${describe(ctx)})`, fileOf('alert_context'), def));
    }
    for (const [k, v] of entries) {
      const raw = lifter.asVal(v);
      const vv = sized(raw, 'output-alert-context', `alert_context key '${k}'`, def);
      if (vv) outputs.push({ name: k, value: vv, source: 'alert_context' });
      else if (!raw) notes.push(note('output-alert-context', `alert_context key '${k}' dropped: ${describe(v)}`, fileOf('alert_context'), def));
    }
  }
  let title: TitlePart[] | undefined;
  const t = bounded(() => call2('title'), overNote('output-title', 'title'));
  if (t) {
    title = titleParts(t) ?? undefined;
    if (title) {
      const memo = new Map<Val, number>();
      const n = title.reduce((sum, part) => sum + ('value' in part ? valSize(part.value, memo) : 1), 0);
      if (n > MAX_CONDITION_NODES) {
        notes.push(note('output-title', `title() has ${n} nodes once expanded (limit ${MAX_CONDITION_NODES}): too large to translate, left out`, fileOf('title'), defAt('title')));
        title = undefined;
      }
    } else notes.push(note('output-title', `title() could not be lifted (${describe(t)})`, fileOf('title'), defAt('title')));
  }
  let dedup: Val | undefined;
  let keyCases: KeyCase[] | undefined;
  const d = bounded(() => call2('dedup'), overNote('output-dedup', 'dedup'));
  if (d) {
    const raw = lifter.asVal(d);
    const dv = sized(raw, 'output-dedup', 'dedup()', defAt('dedup'));
    if (dv) dedup = dv;
    else if (!raw) notes.push(note('output-dedup', `dedup() could not be lifted (${describe(d)})`, fileOf('dedup'), defAt('dedup')));
    if (!raw && d.s === 'ite') keyCases = bounded(() => conditionalText(d, (v) => dedupParts(lifter.asVal(v))), () => null) ?? undefined;
  } else if (!fn('dedup') && t?.s === 'ite') keyCases = bounded(() => conditionalText(t, (v) => (v.s === 'const' && typeof v.v !== 'string' ? null : titleParts(v))), () => null) ?? undefined;
  let severities: { severity: string; when: Pred }[] | undefined;
  const sev = bounded(() => call2('severity'), overNote('output-severity', 'severity'));
  const sevCases = sev ? leafCount(sev) : 0;
  if (sev && sevCases > MAX_SEVERITY_CASES) {
    notes.push(note('output-severity', `severity() has ${sevCases} cases (limit ${MAX_SEVERITY_CASES}): too large to translate, left out`, fileOf('severity'), defAt('severity')));
  } else if (sev) {
    const at = defAt('severity');
    const ls = bounded(() => leaves(sev), overNote('output-severity', 'severity'));
    if (ls && ls.every((l) => l.v.s === 'const' && typeof l.v.v === 'string')) {
      severities = bounded(
        () =>
          ls.map((l) => {
            const s0 = (l.v as { v: string }).v;
            const named = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(s0.toUpperCase());
            return { severity: named ? s0[0]!.toUpperCase() + s0.slice(1).toLowerCase() : loaded.meta.severity, when: assumeOpaque(normalize(l.when)) };
          }),
        overNote('output-severity', 'severity'),
      );
      const memo = new Map<Pred, number>();
      const n = (severities ?? []).reduce((sum, x) => sum + treeSize(x.when, memo), 0);
      if (n > MAX_CONDITION_NODES) {
        notes.push(note('output-severity', `severity() has ${n} nodes once expanded (limit ${MAX_CONDITION_NODES}): too large to translate, left out`, fileOf('severity'), at));
        severities = undefined;
      }
    } else if (ls) notes.push(note('output-severity', `severity() could not be lifted (${describe(ls.find((l) => !(l.v.s === 'const' && typeof l.v.v === 'string'))?.v ?? sev)})`, fileOf('severity'), at));
  }
  return { condition, ...(boundedReason ? { bounded: boundedReason } : {}), outputs, ...(title ? { title } : {}), ...(dedup ? { dedup } : {}), ...(keyCases ? { keyCases } : {}), ...(severities ? { severities } : {}), notes };
}

/**
 * A string output that depends on a condition (an `ite`: `a if c else b`, if/return branches, a data-model
 * method's branches) as ordered cases, each the text its branch prints: the first case whose condition holds
 * gives the text, and the last holds wherever no earlier one does (`ite(c, a, b)` is a's cases under c,
 * then b's). Null when a branch is no text (`parts` gives null), a condition is opaque, or the cases are
 * over MAX_SEVERITY_CASES.
 */
function conditionalText(v: SV, parts: (v: SV) => TitlePart[] | null): KeyCase[] | null {
  if (leafCount(v) > MAX_SEVERITY_CASES) return null;
  const ordered = (x: SV, when: Pred): { when: Pred; v: SV }[] =>
    x.s === 'ite' ? [...ordered(x.a, simplify({ k: 'and', args: [when, x.c] })), ...ordered(x.b, when)] : [{ when, v: x }];
  const out: KeyCase[] = [];
  for (const l of ordered(v, { k: 'const', v: true })) {
    const p = parts(l.v);
    const when = assumeOpaque(normalize(l.when));
    if (!p || opaques(when).length > 0 || valSize({ k: 'fn', fn: 'concat', args: p.map((x) => ('value' in x ? x.value : { k: 'lit', v: x.text })) }) > MAX_CONDITION_NODES) return null;
    if (when.k === 'const' && !when.v) continue;
    out.push({ when, parts: p });
    // the cases after one that always holds are never reached
    if (when.k === 'const') break;
  }
  return out.length ? out : null;
}

/**
 * A dedup() branch as the text Panther keys on: a non-empty string literal, a field, `str()` of one or an
 * f-string of those; null for anything else (an empty string or None falls back to the title in Panther,
 * which a case cannot say).
 */
function dedupParts(v: Val | null): TitlePart[] | null {
  if (!v) return null;
  if (v.k === 'lit') return typeof v.v === 'string' && v.v !== '' ? [{ text: v.v }] : null;
  const parts = v.k === 'fn' && v.fn === 'concat' ? v.args : [v];
  if (!parts.every((p) => p.k !== 'lit' || typeof p.v === 'string')) return null;
  return parts.map((p) => (p.k === 'lit' ? { text: String(p.v) } : { value: p.k === 'fn' && p.fn === 'str' ? (p.args[0] as Val) : p }));
}

function note(code: string, message: string, file: string, at: { line: number; col: number }): Reason {
  return { code, message, file, line: at.line, col: at.col };
}

function describe(v: SV): string {
  if (v.s === 'opaque') return `${v.reason} at ${path.basename(v.span.file)}:${v.span.line}`;
  if (v.s === 'ite') return 'it depends on a condition';
  return `a ${v.s} value`;
}

function titleParts(v: SV): TitlePart[] | null {
  if (v.s === 'const') return [{ text: typeof v.v === 'string' ? v.v : JSON.stringify(v.v) }];
  if (v.s === 'val') {
    const x = v.v;
    const parts = x.k === 'fn' && x.fn === 'concat' ? x.args : [x];
    return parts.map((p) => (p.k === 'lit' ? { text: String(p.v) } : { value: p.k === 'fn' && p.fn === 'str' ? (p.args[0] as Val) : p }));
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Proof against the rule's tests

export interface TestOutcome {
  name: string;
  expected: boolean;
  actual: boolean;
  ok: boolean;
}

export interface RuleReport {
  id: string;
  file: string;
  fidelity: Fidelity;
  reasons: Reason[];
  notes: Reason[];
  tests: { passed: number; failed: number; skipped: number };
  outcomes: TestOutcome[];
}

/** Evaluate the lifted AST on every test log and decide the rule's fidelity. */
export function proveRule(rule: Rule, loaded: LoadedRule | undefined, opts: PipelineOptions = {}): RuleReport {
  const outcomes: TestOutcome[] = [];
  let skipped = 0;
  // tests with the same mocks share one lift
  const mocked = new Map<string, Pred>();
  for (const t of rule.tests) {
    let cond = rule.condition;
    if (t.mocks && t.mocks.length && loaded?.python) {
      try {
        const key = JSON.stringify(t.mocks);
        const hit = mocked.get(key);
        cond = hit ?? liftPython(loaded, loaded.python, opts, new Map(t.mocks.map((m) => [m.objectName, m.returnValue])), true).condition;
        mocked.set(key, cond);
      } catch (e) {
        if (!(e instanceof TranspileError)) throw e;
        skipped++;
        continue;
      }
    }
    const log = t.logType && t.log && typeof t.log === 'object' && !Array.isArray(t.log) && !('p_log_type' in t.log) ? { ...t.log, p_log_type: t.logType } : t.log;
    const actual = evaluateRule(cond, log);
    outcomes.push({ name: t.name, expected: t.expected, actual, ok: actual === t.expected });
  }
  const reasons = [...rule.reasons];
  const failed = outcomes.filter((o) => !o.ok);
  const approx = reasons.length > 0;
  let fidelity: Fidelity = approx ? 'approximate' : 'exact';
  if (reasons.some((r) => reasonFidelity(r.code) === 'unsupported')) fidelity = 'unsupported';
  for (const f of failed) {
    // an approximate (wider) lift may match an expected-false test; anything else is a wrong lift
    if (approx && !f.expected && f.actual) continue;
    fidelity = 'unsupported';
    reasons.push({
      code: 'test-disagrees',
      message: `test '${f.name}' expects ${f.expected} but the lifted logic gives ${f.actual}`,
      file: rule.meta.file,
      line: loaded ? loaded.pos('Tests').line : 1,
    });
  }
  return {
    id: rule.meta.id,
    file: rule.meta.file,
    fidelity,
    reasons,
    notes: rule.notes,
    tests: { passed: outcomes.length - failed.length, failed: failed.length, skipped },
    outcomes,
  };
}

export type { RuleTest };
