/**
 * The targets by name, and the passes every target's condition goes through before it renders.
 * Adding a target: one folder under src/targets/<name>/, one template folder under
 * templates/<name>/, and one line here.
 */
import type { Json, Rule, Val } from '../ast/types.js';
import { specializeLogType } from '../ast/normalize.js';
import { ruleMapper } from '../mapping/custom.js';
import { dropStrGuards, testsShowStr } from './common/guards.js';
import { dropImpliedTypes, type Shows } from './common/typefacts.js';
import { TestEvidence, typeOf } from './common/evidence.js';
import { fieldRef } from '../ast/view.js';
import { jsonChain, jsonValues } from './common/jsondoc.js';
import type { FieldMapper } from '../mapping/types.js';
import { conditionNnf } from './common/nnf.js';
import { simplifyNnf } from './common/simplify.js';
import { cwlTarget } from './cwl/index.js';
import { kqlTarget } from './kql/index.js';
import { sigmaTarget } from './sigma/index.js';
import { sentinelTarget } from './sentinel/index.js';
import { atomValue, type Nnf } from './common/nnf.js';
import { routeBranches, specializeRoute, type RouteBranch } from './common/routes.js';
import type { LogTypeCondition, RenderContext, Target, TargetOutput } from './types.js';
import { yaralTarget } from './yaral/index.js';

export { defaultTemplatesDir } from './common/template.js';

export const targets: Record<string, Target> = {
  sigma: sigmaTarget,
  kql: kqlTarget,
  sentinel: sentinelTarget,
  yaral: yaralTarget,
  cwl: cwlTarget,
};

export const targetNames: string[] = Object.keys(targets);

/**
 * Render a normalised rule for one target. Throws on an unknown target name. The passes, in order:
 * `specializeLogType` (a query reads one log type's table: Panther's `p_log_type` is that log type
 * there), `conditionNnf` (negation normal form, indicators before exclusions, contradictory branches
 * removed), `dropStrGuards` (the `isinstance(v, str)` guards the target's string operators imply),
 * `simplifyNnf` (duplicates, subsumed terms and common factors out, literals on one field merged,
 * canonical order).
 */
export function renderRule(rule: Rule, targetName: string, ctx0: RenderContext): TargetOutput {
  const t = targets[targetName];
  if (!t) throw new Error(`unknown target ${JSON.stringify(targetName)} (known: ${targetNames.join(', ')})`);
  // a custom-log table's columns are typed from the rule's own fields and tests (mapping/custom.ts)
  const ctx = { ...ctx0, mapper: ruleMapper(ctx0.mapper, rule) };
  // `branch`: a routed part of the log type (routes.ts), read with its own mapping
  const condFor = (lt: string | undefined, branch?: RouteBranch): { r: Rule; cond: Nnf } => {
    const key = branch && lt !== undefined ? `${lt}\u0000${branch.read}` : lt;
    const hit = cachedCond(rule, t.impliesStr, ctx0, key);
    if (hit) return { r: lt ? { ...rule, condition: hit.specialized } : rule, cond: hit.cond };
    let r = lt ? { ...rule, condition: specialized(rule.condition, lt) } : rule;
    const read = branch?.read ?? lt;
    if (branch) {
      const whole = r.condition;
      r = { ...r, condition: specializeRoute(whole, branch.facts) };
      // the log type's own table, on a condition the route decides nothing of: the log type's condition
      if (read === lt && sameTree(r.condition, whole)) {
        const cond = condFor(lt).cond;
        storeCond(rule, t.impliesStr, ctx0, key, { specialized: r.condition, cond });
        return { r, cond };
      }
    }
    // the guards a target's string operators imply depend on the log type's columns, by default on the
    // types the rule's tests show (common/guards.ts testsShowStr)
    const asRead = read ? { ...r, meta: { ...r.meta, logTypes: [read] } } : r;
    const own = t.impliesStr?.(asRead, ctx);
    const dflt = testsShowStr(asRead, ctx.mapper);
    const nnf = nnfOf(r.condition);
    // the target's string operators and the default say the same of every value the condition reads: the
    // passes ask `impliesStr` of those values only (a literal they make reads one of them), so they go as for
    // a target without one, and that target's condition is this one (computed once for both)
    const asEvery = own !== undefined && sameReads(nnf, own, dflt);
    const shared = asEvery ? cachedCond(rule, undefined, ctx0, key) : undefined;
    const impliesStr = asEvery || !own ? dflt : own;
    const cond = shared?.cond ?? targetPasses(nnf, impliesStr, shownTypes(asRead, ctx.mapper));
    storeCond(rule, t.impliesStr, ctx0, key, { specialized: r.condition, cond });
    if (asEvery && !shared) storeCond(rule, undefined, ctx0, key, { specialized: r.condition, cond });
    return { r, cond };
  };
  const { r, cond } = condFor(rule.meta.logTypes[0]);
  // KQL: a log type Sentinel stores in several tables by the value of a field reads one branch each
  const routed = t.routes ? rule.meta.logTypes.map((lt) => ({ lt, branches: routeBranches(ctx.mapper, lt) })) : [];
  if (routed.some((x) => x.branches.length > 1)) {
    const parts: LogTypeCondition[] = [];
    for (const { lt, branches } of routed) {
      if (branches.length === 1) {
        parts.push({ logType: lt, cond: condFor(lt).cond });
        continue;
      }
      // a branch whose rows the condition never selects is left out (all of them: the log type's own table stays)
      const live = branches.map((b) => ({ b, cond: condFor(lt, b).cond })).filter((x) => !(x.cond.k === 'const' && !x.cond.v));
      const kept = live.length ? live : [{ b: branches[0]!, cond: condFor(lt, branches[0]).cond }];
      for (const x of kept) parts.push({ logType: x.b.read, cond: x.cond, ...(x.b.read !== lt ? { of: lt } : {}) });
    }
    return t.render(r, ctx, cond, parts);
  }
  if (t.allLogTypes && rule.meta.logTypes.length > 1) {
    return t.render(r, ctx, cond, rule.meta.logTypes.map((logType) => ({ logType, cond: condFor(logType).cond })));
  }
  return t.render(r, ctx, cond);
}

/**
 * The condition as it reads on one log type (specializeLogType) and its negation normal form (conditionNnf),
 * each once per condition object: both depend on their input alone (conditionNnf's work bound counts its own
 * steps), and the targets' passes (dropStrGuards, simplifyNnf) build new nodes over them, never changing them.
 */
const specializedBy = new WeakMap<Rule['condition'], Map<string, Rule['condition']>>();
function specialized(p: Rule['condition'], lt: string): Rule['condition'] {
  let byLt = specializedBy.get(p);
  if (!byLt) specializedBy.set(p, (byLt = new Map()));
  let out = byLt.get(lt);
  if (!out) byLt.set(lt, (out = specializeLogType(p, lt)));
  return out;
}
const nnfs = new WeakMap<Rule['condition'], Nnf>();
function nnfOf(p: Rule['condition']): Nnf {
  let out = nnfs.get(p);
  if (!out) nnfs.set(p, (out = conditionNnf(p)));
  return out;
}

/**
 * The condition a target renders, per log type, computed once per rule and shared: by the targets
 * that imply the same string guards (every target without `impliesStr` alike; KQL and Sentinel, which
 * share theirs) and by the render after a proof (which only adds reasons). What it depends on is the
 * rule's condition, what the rule mapper reads of the rule (meta, tests, outputs, aggregation, title)
 * and the context's mapper; each is compared by identity (these are never mutated once lifted).
 */
interface CondEntry {
  meta: Rule['meta'];
  tests: Rule['tests'];
  outputs: Rule['outputs'];
  aggregation: Rule['aggregation'];
  title: Rule['title'];
  mapper: RenderContext['mapper'];
  impliesStr: Target['impliesStr'];
  lt: string | undefined;
  specialized: Rule['condition'];
  cond: Nnf;
}
const condCache = new WeakMap<Rule['condition'], CondEntry[]>();

function sameKey(e: CondEntry, rule: Rule, impliesStr: Target['impliesStr'], ctx: RenderContext, lt: string | undefined): boolean {
  // every target's guards read the mapper (the default ones the types it gives, testsShowStr)
  return e.lt === lt && e.impliesStr === impliesStr && e.meta === rule.meta && e.tests === rule.tests && e.outputs === rule.outputs && e.aggregation === rule.aggregation && e.title === rule.title && e.mapper === ctx.mapper;
}

/** The entry of the targets with this `impliesStr` (undefined: those without one). */
function cachedCond(rule: Rule, impliesStr: Target['impliesStr'], ctx: RenderContext, lt: string | undefined): CondEntry | undefined {
  return condCache.get(rule.condition)?.find((e) => sameKey(e, rule, impliesStr, ctx, lt));
}

function storeCond(rule: Rule, impliesStr: Target['impliesStr'], ctx: RenderContext, lt: string | undefined, v: { specialized: Rule['condition']; cond: Nnf }): void {
  let list = condCache.get(rule.condition);
  if (!list) condCache.set(rule.condition, (list = []));
  list.push({ meta: rule.meta, tests: rule.tests, outputs: rule.outputs, aggregation: rule.aggregation, title: rule.title, mapper: ctx.mapper, impliesStr, lt, ...v });
}

/**
 * The passes after the NNF (dropStrGuards, simplifyNnf, impliedTypes), once per condition and distinct answers
 * of the two questions they ask: `impliesStr` (the target's string operators) and `types` (the JSON types the
 * mapping or the tests show). The passes are a function of the condition and of those answers alone, so a
 * computation is kept with every question it asked and its answer, and a later one over the same condition
 * (another target, another log type or route whose answers differ somewhere the passes never look) takes its
 * result when the new `impliesStr` and `types` answer each of those questions the same. On the corpus, ~460 of
 * ~1,600 computations of `-t all` (~30% of their time) had one over the same condition before them, and ~430
 * of those gave the same condition.
 */
interface Replay {
  str: Map<Val, boolean>;
  types: Map<Val, ReadonlySet<string> | null>;
  cond: Nnf;
}
const replays = new WeakMap<Nnf, Replay[]>();

function targetPasses(nnf: Nnf, impliesStr: (v: Val) => boolean, types: Shows['types']): Nnf {
  let list = replays.get(nnf);
  if (list) for (const e of list) if (sameAnswers(e, impliesStr, types)) return e.cond;
  const str = new Map<Val, boolean>();
  const seen = new Map<Val, ReadonlySet<string> | null>();
  const askStr = (v: Val): boolean => {
    let a = str.get(v);
    if (a === undefined) str.set(v, (a = impliesStr(v)));
    return a;
  };
  const askTypes = (v: Val): ReadonlySet<string> | null => {
    if (seen.has(v)) return seen.get(v) as ReadonlySet<string> | null;
    const a = types(v);
    seen.set(v, a);
    return a;
  };
  const cond = impliedTypes(simplifyNnf(dropStrGuards(nnf, askStr), { impliesStr: askStr }), askStr, askTypes);
  if (!list) replays.set(nnf, (list = []));
  list.push({ str, types: seen, cond });
  return cond;
}

function sameAnswers(e: Replay, impliesStr: (v: Val) => boolean, types: Shows['types']): boolean {
  for (const [v, a] of e.str) if (impliesStr(v) !== a) return false;
  for (const [v, a] of e.types) {
    const b = types(v);
    if (a === null || b === null ? a !== b : a.size !== b.size || [...a].some((t) => !b.has(t))) return false;
  }
  return true;
}

/**
 * The same tree: the same leaves (the same objects), under junctions of the same kinds with their operands in the
 * same order. specializeRoute rebuilds every junction and keeps a leaf it decides nothing of, so on such a tree
 * every pass after it computes what it computed on the tree before it.
 */
function sameTree(a: Rule['condition'], b: Rule['condition'], seen = new Map<Rule['condition'], Rule['condition']>()): boolean {
  if (a === b) return true;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'and':
    case 'or': {
      const bs = (b as typeof a).args;
      if (a.args.length !== bs.length) return false;
      // (a node shared in the tree is compared once with the node in its place)
      if (seen.get(a) === b) return true;
      seen.set(a, b);
      return a.args.every((x, i) => sameTree(x, bs[i]!, seen));
    }
    case 'not':
      return sameTree(a.arg, (b as typeof a).arg, seen);
    case 'quant': {
      const q = b as typeof a;
      const { pred: _p, ...ra } = a;
      const { pred: _q, ...rb } = q;
      return Object.keys(ra).length === Object.keys(rb).length && Object.entries(ra).every(([k, v]) => (rb as Record<string, unknown>)[k] === v) && sameTree(a.pred, q.pred, seen);
    }
    default:
      return false;
  }
}

/**
 * The type and validity tests the simplified condition's conjunctions decide (common/typefacts.ts), then the
 * condition simplified again where that changed it: after the first simplification, so a test and its
 * complement elsewhere (`not (valid(x) and T)` beside `(valid(x) and T) or C`) have met first.
 */
function impliedTypes(n: Nnf, impliesStr: (v: Val) => boolean, types: Shows['types']): Nnf {
  const d = dropImpliedTypes(n, { str: impliesStr, types });
  return d === n || JSON.stringify(d) === JSON.stringify(n) ? n : simplifyNnf(d, { impliesStr });
}

const MAPPED_TYPES: Record<string, string> = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', list: 'list', dict: 'dict' };

/**
 * The JSON types a value holds by the mapping's stated type, else the rule's tests: an event field, or a value
 * read from `json.loads()` of one (the tests' texts parsed); null where not known.
 */
function shownTypes(rule: Rule, mapper: FieldMapper | undefined): Shows['types'] {
  const ev = TestEvidence.of(rule.tests);
  const lt = rule.meta.logTypes[0] ?? '';
  const at = (v: Val): Json[] | null => {
    const ref = fieldRef(v);
    if (ref) return ref.root === 'event' ? ev.values(ref.path) : null;
    // a value read from json.loads() of a field: the tests' texts parsed (common/jsondoc.ts)
    const chain = jsonChain(v);
    const keys = chain?.ref?.path;
    if (!chain || !keys?.length || !keys.every((k): k is string => typeof k === 'string') || fieldRef(chain.source)?.root !== 'event') return null;
    return jsonValues(rule.tests, chain.source, keys);
  };
  return (v) => {
    const ref = fieldRef(v);
    const stated = ref && ref.root === 'event' ? mapper?.valueType?.(lt, ref.path) : undefined;
    if (stated) return MAPPED_TYPES[stated] ? new Set([MAPPED_TYPES[stated]!]) : null;
    const vals = at(v);
    return vals ? new Set(vals.map(typeOf)) : null;
  };
}

/**
 * Whether `a` and `b` give the same answer on the value every literal of `n` reads (and on the text a
 * json.loads() under it reads, which dropImpliedTypes asks of). dropStrGuards, dropImpliedTypes and
 * simplifyNnf ask `impliesStr` of such values only (the literals they make read a value of the literals they
 * replace), so they compute the same with either. (Was: both true on every such value, about half of the
 * KQL conditions of the corpus; agreeing also where both are false covers more.)
 */
function sameReads(n: Nnf, a: (v: Val) => boolean, b: (v: Val) => boolean): boolean {
  switch (n.k) {
    case 'lit': {
      const v = atomValue(n.atom);
      if (a(v) !== b(v)) return false;
      // typefacts.ts also asks of the text a json.loads() under the value reads
      const doc = jsonChain(v)?.source;
      return !(doc && a(doc) !== b(doc));
    }
    case 'and':
    case 'or':
      return n.args.every((x) => sameReads(x, a, b));
    case 'quant':
      return sameReads(n.body, a, b);
    default:
      return true;
  }
}
