/**
 * What changed between two versions of a rule, in the terms of `transpile explain`: whether the
 * detection logic changed (the normalised conditions compared, src/diff/canon.ts), indicators,
 * exclusions, outputs, title, severity, threshold and dedup, per-target fidelity; witness events
 * the evaluator confirms on both versions; the rule's tests whose outcome changed; and the unified
 * diff of each generated artifact.
 */
import type { Json, Pred, Rule } from '../ast/types.js';
import { evaluateRule } from '../ast/evaluate.js';
import { indicators, predText, valText } from '../ast/print.js';
import { splitExclusions } from '../ast/view.js';
import type { Diagnostic } from '../diagnostics.js';
import { proveRule, type PipelineOptions } from '../pipeline.js';
import type { Analysed } from '../report/analyse.js';
import { canonKey, compareConditions, type Sameness } from './canon.js';
import { unifiedDiff } from './udiff.js';
import { findWitnesses, type Witness } from './witness.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface Change {
  /** indicator, condition, exclusion, output, title, display-name, severity, threshold, dedup, log-types, enabled, fidelity */
  what: string;
  kind: ChangeKind;
  /** What it is (added/removed) or was → is (changed). */
  text: string;
  old?: string;
  new?: string;
}

export type Direction = 'widened' | 'narrowed' | 'widened and narrowed' | 'unknown' | 'none';

export interface TestChange {
  name: string;
  expected: boolean;
  old: boolean;
  new: boolean;
  /** Which version's test list holds it. */
  in: 'both' | 'old' | 'new';
}

export interface TargetDiff {
  target: string;
  old?: { fidelity: string; proven: boolean };
  new?: { fidelity: string; proven: boolean };
  /** Unified diff of the artifact ('' when equal). */
  diff: string;
  error?: string;
}

export interface RuleDiff {
  id: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  oldFile?: string;
  newFile?: string;
  /** Whether the detection logic (condition and threshold) changed. */
  logicChanged: boolean;
  /** identical / equivalent (a rewrite) / different normalised conditions. */
  sameness?: Sameness;
  /** A sentence for the reader: `no change in detection logic`, or what changed. */
  logic: string;
  direction: Direction;
  changes: Change[];
  witnesses: Witness[];
  /** Why there is no witness where the logic changed. */
  witnessNote?: string;
  tests: TestChange[];
  targets: TargetDiff[];
  fidelity: { old?: string; new?: string };
}

export interface Side {
  a: Analysed;
  show: (f: string) => string;
  canonical: (t: string) => string;
}

function setDiff(what: string, a: Map<string, string>, b: Map<string, string>, out: Change[]): void {
  for (const [k, t] of b) if (!a.has(k)) out.push({ what, kind: 'added', text: t });
  for (const [k, t] of a) if (!b.has(k)) out.push({ what, kind: 'removed', text: t });
}

function byKey<T>(xs: T[], key: (x: T) => string, text: (x: T) => string): Map<string, string> {
  const m = new Map<string, string>();
  for (const x of xs) m.set(key(x), text(x));
  return m;
}

function titleText(r: Rule): string {
  return r.title ? r.title.map((t) => ('text' in t ? t.text : `{${valText(t.value)}}`)).join('') : '';
}

function aggText(r: Rule): string {
  const a = r.aggregation;
  return a ? `${a.threshold} matching events within ${a.windowMinutes} minutes${a.groupBy.length ? ` per ${a.groupBy.map(valText).join(', ')}` : ''}` : '';
}

/** The explain-terms changes between two lifted rules. */
export function explainChanges(o: Rule, n: Rule, oldFid: Record<string, string>, newFid: Record<string, string>, sameLogic = false): Change[] {
  const out: Change[] = [];
  // the condition's parts are compared only when the logic changed: a rewrite may split them differently
  if (!sameLogic) conditionChanges(o, n, out);
  scalars(o, n, oldFid, newFid, out);
  return out;
}

function conditionChanges(o: Rule, n: Rule, out: Change[]): void {
  const ind = (r: Rule): Map<string, string> => {
    const m = new Map<string, string>();
    for (const i of indicators(r.condition)) for (const v of i.values) m.set(`${i.field}\u0000${i.kind}\u0000${JSON.stringify(v)}`, `${i.field} ${i.kind} ${JSON.stringify(v)}`);
    return m;
  };
  setDiff('indicator', ind(o), ind(n), out);
  const so = splitExclusions(o.condition);
  const sn = splitExclusions(n.condition);
  const preds = (ps: Pred[]): Map<string, string> => byKey(ps, canonKey, (p) => predText(p));
  setDiff('condition', preds(so.condition), preds(sn.condition), out);
  setDiff('exclusion', preds(so.exclusions), preds(sn.exclusions), out);
}

function scalars(o: Rule, n: Rule, oldFid: Record<string, string>, newFid: Record<string, string>, out: Change[]): void {
  const outs = (r: Rule): Map<string, string> => byKey(r.outputs, (x) => `${x.name}=${valText(x.value)}`, (x) => `${x.name} = ${valText(x.value)}`);
  setDiff('output', outs(o), outs(n), out);
  const scalar = (what: string, a: string, b: string): void => {
    if (a === b) return;
    out.push({ what, kind: a === '' ? 'added' : b === '' ? 'removed' : 'changed', text: a === '' ? b : b === '' ? a : `${a} → ${b}`, old: a, new: b });
  };
  scalar('title', titleText(o), titleText(n));
  scalar('display-name', o.meta.displayName ?? '', n.meta.displayName ?? '');
  const sev = (r: Rule): string => [r.meta.severity, ...(r.severities ?? []).map((s) => `${s.severity} when ${predText(s.when)}`)].join('; ');
  scalar('severity', sev(o), sev(n));
  scalar('threshold', aggText(o), aggText(n));
  scalar('dedup', [o.meta.dedupPeriodMinutes !== undefined ? `${o.meta.dedupPeriodMinutes} minutes` : '', o.dedup ? `by ${valText(o.dedup)}` : ''].filter(Boolean).join(' '), [n.meta.dedupPeriodMinutes !== undefined ? `${n.meta.dedupPeriodMinutes} minutes` : '', n.dedup ? `by ${valText(n.dedup)}` : ''].filter(Boolean).join(' '));
  scalar('log-types', o.meta.logTypes.join(', '), n.meta.logTypes.join(', '));
  scalar('enabled', String(o.meta.enabled), String(n.meta.enabled));
  for (const t of new Set([...Object.keys(oldFid), ...Object.keys(newFid)])) scalar(`fidelity ${t}`, oldFid[t] ?? '', newFid[t] ?? '');
}

function withLogType(t: { log: Json; logType?: string }): Json {
  const log = t.log;
  return t.logType && log && typeof log === 'object' && !Array.isArray(log) && !('p_log_type' in log) ? { ...log, p_log_type: t.logType } : log;
}

/** The tests (of either version) on which the two versions decide differently (mocks applied as the proof applies them). */
export function changedTests(o: Side, n: Side, popts: PipelineOptions): TestChange[] {
  const or = o.a.rule as Rule;
  const nr = n.a.rule as Rule;
  const out: TestChange[] = [];
  const oldNames = new Set(or.tests.map((t) => t.name));
  const newNames = new Set(nr.tests.map((t) => t.name));
  // each version's logic on the new version's tests, then on the tests only the old version has
  const onNew = { o: proveRule({ ...or, tests: nr.tests }, o.a.loaded, popts).outcomes, n: proveRule(nr, n.a.loaded, popts).outcomes };
  const onlyOld = or.tests.filter((t) => !newNames.has(t.name));
  const onOld = { o: proveRule({ ...or, tests: onlyOld }, o.a.loaded, popts).outcomes, n: proveRule({ ...nr, tests: onlyOld }, n.a.loaded, popts).outcomes };
  for (const [set, where] of [[onNew, 'new'], [onOld, 'old']] as const) {
    set.o.forEach((x, i) => {
      const y = set.n[i];
      if (!y || y.name !== x.name) return;
      if (x.actual !== y.actual) out.push({ name: x.name, expected: y.expected, old: x.actual, new: y.actual, in: where === 'new' ? (oldNames.has(x.name) ? 'both' : 'new') : 'old' });
    });
  }
  return out;
}

function directionOf(w: Witness[], logicChanged: boolean, agg: Direction): Direction {
  const now = w.some((x) => x.label === 'now alerts') || agg === 'widened';
  const nolonger = w.some((x) => x.label === 'no longer alerts') || agg === 'narrowed';
  if (now && nolonger) return 'widened and narrowed';
  if (now) return 'widened';
  if (nolonger) return 'narrowed';
  return logicChanged ? 'unknown' : 'none';
}

/** Threshold changes: a lower count or a longer window alerts on more. */
function aggDirection(o: Rule, n: Rule): Direction {
  const a = o.aggregation;
  const b = n.aggregation;
  if (!a && !b) return 'none';
  const ta = a?.threshold ?? 1;
  const tb = b?.threshold ?? 1;
  const wa = a?.windowMinutes ?? 0;
  const wb = b?.windowMinutes ?? 0;
  const ga = JSON.stringify(a?.groupBy ?? []);
  const gb = JSON.stringify(b?.groupBy ?? []);
  if (ta === tb && wa === wb && ga === gb) return 'none';
  if (ga !== gb) return 'unknown';
  const wider = tb < ta || (tb === ta && wb > wa && tb > 1);
  const narrower = tb > ta || (tb === ta && wb < wa && tb > 1);
  return wider && !narrower ? 'widened' : narrower && !wider ? 'narrowed' : 'unknown';
}

function fid(a: Analysed): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [t, r] of Object.entries(a.targets)) if (r.output) out[t] = r.output.fidelity;
  return out;
}

function proven(a: Analysed, t: string): boolean {
  const p = a.targets[t]?.proof;
  return !!p && p.fidelity === 'exact' && p.tests.passed > 0 && p.tests.notEvaluable === 0 && p.tests.failed === 0;
}

function targetDiffs(o: Side | undefined, n: Side | undefined, targets: string[], id: string): TargetDiff[] {
  const out: TargetDiff[] = [];
  for (const t of targets) {
    const ot = o?.a.targets[t];
    const nt = n?.a.targets[t];
    const oText = ot?.output ? o!.canonical(ot.output.text) : '';
    const nText = nt?.output ? n!.canonical(nt.output.text) : '';
    const ext = nt?.output?.ext ?? ot?.output?.ext ?? t;
    const d: TargetDiff = { target: t, diff: unifiedDiff(oText, nText, o ? `a/${id}.${ext}` : '/dev/null', n ? `b/${id}.${ext}` : '/dev/null') };
    if (ot?.output) d.old = { fidelity: ot.output.fidelity, proven: proven(o!.a, t) };
    if (nt?.output) d.new = { fidelity: nt.output.fidelity, proven: proven(n!.a, t) };
    const err = nt?.error ?? ot?.error;
    if (err) d.error = `${err.code}: ${err.message}`;
    out.push(d);
  }
  return out;
}

function logTypeBase(r: Rule): Json {
  const lt = r.meta.logTypes[0];
  return lt ? { p_log_type: lt } : {};
}

/** Compare two versions of one rule (both lifted and rendered). */
export function compareRule(o: Side, n: Side, targets: string[], popts: PipelineOptions, budget?: number): RuleDiff {
  const or = o.a.rule as Rule;
  const nr = n.a.rule as Rule;
  const id = nr.meta.id;
  const sameness = compareConditions(or.condition, nr.condition);
  const agg = aggDirection(or, nr);
  const tests = changedTests(o, n, popts);
  let witnesses: Witness[] = [];
  let witnessNote: string | undefined;
  let condChanged = sameness === 'different';
  if (sameness !== 'identical') {
    // a change the canonical form calls a rewrite is still searched for a difference: the search is the check
    const seeds = [...nr.tests, ...or.tests].filter((t) => !t.mocks?.length).map(withLogType);
    const base = logTypeBase(nr);
    const res = findWitnesses({ oldCond: or.condition, newCond: nr.condition, seeds, base, ...(budget !== undefined ? { budget } : {}) });
    witnesses = res.witnesses;
    if (witnesses.length) condChanged = true;
    if (condChanged && witnesses.length === 0) {
      witnessNote = `no witness event could be built: the two versions decided alike on all ${res.tried} candidate events built from the conditions' atoms and the rules' tests (the conditions differ in form; they may be equivalent)`;
    }
  }
  const logicChanged = condChanged || agg !== 'none';
  const changes = explainChanges(or, nr, fid(o.a), fid(n.a), !condChanged);
  let logic: string;
  if (!logicChanged) {
    logic = sameness === 'identical' ? 'no change in detection logic' : 'no change in detection logic (the same conditions, reordered or regrouped)';
  } else if (condChanged) logic = witnesses.length ? 'detection logic changed' : 'detection logic changed in form (no witness found)';
  else logic = 'threshold changed';
  const tds = targetDiffs(o, n, targets, id);
  const anything = logicChanged || changes.length > 0 || tests.length > 0 || tds.some((t) => t.diff !== '');
  return {
    id,
    status: anything ? 'changed' : 'unchanged',
    oldFile: o.show(o.a.file),
    newFile: n.show(n.a.file),
    logicChanged,
    sameness,
    logic,
    direction: directionOf(witnesses, condChanged, agg),
    changes,
    witnesses,
    ...(witnessNote ? { witnessNote } : {}),
    tests,
    targets: tds,
    fidelity: { old: o.a.report?.fidelity, new: n.a.report?.fidelity },
  };
}

/** An added or removed rule. */
export function oneSided(s: Side, kind: 'added' | 'removed', targets: string[]): RuleDiff {
  const r = s.a.rule as Rule;
  const tds = targetDiffs(kind === 'removed' ? s : undefined, kind === 'added' ? s : undefined, targets, r.meta.id);
  return {
    id: r.meta.id,
    status: kind,
    ...(kind === 'removed' ? { oldFile: s.show(s.a.file) } : { newFile: s.show(s.a.file) }),
    logicChanged: true,
    logic: kind === 'added' ? 'new rule' : 'rule removed',
    direction: 'none',
    changes: [],
    witnesses: [],
    tests: [],
    targets: tds,
    fidelity: kind === 'added' ? { new: s.a.report?.fidelity } : { old: s.a.report?.fidelity },
  };
}

export interface DiffError {
  side: 'old' | 'new';
  file: string;
  diagnostic: Diagnostic;
}

/** Evaluate a witness again (for tests and reports that re-check). */
export function confirm(w: Witness, o: Pred, n: Pred): boolean {
  return evaluateRule(o, w.event) === w.old && evaluateRule(n, w.event) === w.new && w.old !== w.new;
}
