/**
 * Proving an artifact: read the emitted text back with its target's evaluator and run it on the
 * rule's own tests. An artifact keeps `exact` only when that run agrees with every test it can
 * evaluate; a disagreement a declared approximation does not explain is a defect.
 */
import type { Fidelity, Json, Reason, Rule, RuleTest } from '../ast/types.js';
import { ruleMapper } from '../mapping/custom.js';
import type { FieldMapper } from '../mapping/types.js';
import { renderRule } from '../targets/registry.js';
import type { RenderContext, TargetOutput } from '../targets/types.js';
import { cwlProof } from './cwl/index.js';
import { kqlProof } from './kql/index.js';
import { sigmaProof } from './sigma/index.js';
import { Refusal, type TargetProof } from './types.js';
import { yaralProof } from './yaral/index.js';

const PROOFS: TargetProof<unknown>[] = [kqlProof, sigmaProof, yaralProof, cwlProof] as TargetProof<unknown>[];

/** The proof serving a target name, if any (`ast` has none: the lift's own proof covers it). */
export function proofFor(target: string): TargetProof<unknown> | undefined {
  return PROOFS.find((p) => p.targets.includes(target));
}

export type TestStatus = 'passed' | 'failed' | 'declared' | 'not-evaluable' | 'mocked';

export interface TargetTestOutcome {
  name: string;
  expected: boolean;
  /** What the artifact decided, when it could be evaluated. */
  actual?: boolean;
  /** `declared`: differs in the direction a declared approximation allows. */
  status: TestStatus;
  /** Why a test was not evaluable. */
  why?: string;
}

export interface TargetProofReport {
  target: string;
  /** Fidelity after the proof. */
  fidelity: Fidelity;
  /** Fidelity the printer declared. */
  declared: Fidelity;
  /** The artifact could not be read back (what the evaluator refused). */
  refused?: string;
  /** The aggregation the artifact states (not evaluated per event). */
  aggregation?: string;
  tests: { passed: number; failed: number; declared: number; notEvaluable: number; mocked: number };
  outcomes: TargetTestOutcome[];
  /** Reasons the proof adds (test disagreements, an unproven artifact). */
  reasons: Reason[];
}

function testLogType(t: RuleTest): string | undefined {
  if (t.logType) return t.logType;
  const log = t.log;
  if (log && typeof log === 'object' && !Array.isArray(log) && typeof log.p_log_type === 'string') return log.p_log_type;
  return undefined;
}

const msg = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Run one artifact on the rule's tests. `onlyForTests`: read the artifact back only when a test is to
 * be run on it (`convert`, which states the proof's reasons only, skips loading an evaluator, e.g.
 * Kusto.Language's, for a rule without such tests); the report's `refused` and `aggregation` are then
 * left out when no test ran.
 */
export function proveOutput(out: TargetOutput, rule: Rule, mapper: FieldMapper, opts: { onlyForTests?: boolean } = {}): TargetProofReport | undefined {
  const proof = proofFor(out.target);
  if (!proof) return undefined;
  const logType = rule.meta.logTypes[0] ?? '';
  // the log types the artifact reads (a rule over several, rendered for each); a test of another is not its to decide
  const covered = out.logTypes ?? [logType];
  const report: TargetProofReport = {
    target: out.target,
    fidelity: out.fidelity,
    declared: out.fidelity,
    tests: { passed: 0, failed: 0, declared: 0, notEvaluable: 0, mocked: 0 },
    outcomes: [],
    reasons: [],
  };
  const wider = out.reasons.some((r) => r.direction === 'wider');
  const narrower = out.reasons.some((r) => r.direction === 'narrower');
  let compiled: ReturnType<TargetProof<unknown>['compile']> | undefined;
  let readBack = false;
  const compile = (): void => {
    if (readBack) return;
    readBack = true;
    try {
      compiled = proof.compile(out.text, out.target);
      report.aggregation = compiled.aggregation;
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      report.refused = e.what;
    }
  };
  if (!opts.onlyForTests) compile();
  let refusals = 0;
  const file = rule.meta.file;
  for (const t of rule.tests) {
    const base = { name: t.name, expected: t.expected };
    if (t.mocks && t.mocks.length) {
      // mocks stand in for production lookups the artifact makes against real data
      report.outcomes.push({ ...base, status: 'mocked' });
      report.tests.mocked++;
      continue;
    }
    const lt = testLogType(t) ?? logType;
    if (!covered.includes(lt)) {
      report.outcomes.push({ ...base, status: 'not-evaluable', why: `a ${lt} event; the artifact queries ${covered.join(', ')}` });
      report.tests.notEvaluable++;
      continue;
    }
    compile();
    if (!compiled) {
      report.outcomes.push({ ...base, status: 'not-evaluable', why: `the artifact could not be read back: ${report.refused}` });
      report.tests.notEvaluable++;
      refusals++;
      continue;
    }
    let actual: boolean;
    try {
      // a custom-log table as the rule declares it (the same declaration the artifact was rendered with)
      actual = compiled.matches(projected(proof, t.log as Json, lt, ruleMapper(mapper, rule)));
    } catch (e) {
      if (!(e instanceof Refusal)) throw new Error(`${out.target} evaluator failed on test '${t.name}': ${msg(e)}`);
      report.outcomes.push({ ...base, status: 'not-evaluable', why: e.what });
      report.tests.notEvaluable++;
      refusals++;
      continue;
    }
    if (actual === t.expected) {
      report.outcomes.push({ ...base, actual, status: 'passed' });
      report.tests.passed++;
    } else if ((actual && wider) || (!actual && narrower)) {
      report.outcomes.push({ ...base, actual, status: 'declared' });
      report.tests.declared++;
    } else {
      report.outcomes.push({ ...base, actual, status: 'failed' });
      report.tests.failed++;
      report.reasons.push({
        code: 'unsupported-test-disagrees',
        message: `${out.target}: test '${t.name}' expects ${t.expected} but the ${out.target} artifact read back gives ${actual}`,
        file,
        line: 1,
      });
    }
  }
  // the threshold the artifact counts, read back: Panther's (N matching events per dedup key in a window
  // that opens at the first of them and lasts M minutes), or the artifact is not exact
  if (compiled && proof === kqlProof && !out.reasons.some((r) => r.code === 'target-threshold-window')) {
    const gap = kqlThresholdGap(compiled.aggregation, rule);
    if (gap) {
      report.reasons.push({ code: 'target-threshold-window', message: `${out.target}: ${gap}`, file, line: 1 });
      if (report.fidelity === 'exact') report.fidelity = 'approximate';
    }
  }
  if (report.tests.failed > 0) report.fidelity = 'unsupported';
  else if (refusals > 0 && report.fidelity === 'exact') {
    const why = report.refused ?? report.outcomes.find((o) => o.why && o.status === 'not-evaluable')?.why ?? '';
    report.reasons.push({ code: 'target-unproven', message: `${out.target}: the artifact could not be run on ${refusals} test(s) by its evaluator (${why})`, file, line: 1 });
    report.fidelity = 'approximate';
  }
  return report;
}

/**
 * A test log as a proof's evaluator reads it, projected once per proof, log type and mapper: KQL and
 * Sentinel share theirs (the evaluators only read it).
 */
const projections = new WeakMap<object, { proof: TargetProof<unknown>; lt: string; mapper: FieldMapper; event: unknown }[]>();

function projected(proof: TargetProof<unknown>, log: Json, lt: string, mapper: FieldMapper): unknown {
  if (log === null || typeof log !== 'object') return proof.project(log, lt, mapper);
  let list = projections.get(log);
  const hit = list?.find((e) => e.proof === proof && e.lt === lt && e.mapper === mapper);
  if (hit) return hit.event;
  const event = proof.project(log, lt, mapper);
  if (!list) projections.set(log, (list = []));
  list.push({ proof, lt, mapper, event });
  return event;
}

/** Milliseconds of a KQL timespan literal as the KQL reader describes windows (`30m`, `1h`, `1d`), else NaN. */
function timespanMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(d|h|m|s|ms)$/.exec(text);
  const unit: Record<string, number> = { d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 };
  return m ? Number(m[1]) * unit[m[2]!]! : NaN;
}

/**
 * What differs between the aggregation a KQL artifact states (as `src/proof/kql/eval.ts` describes it) and
 * the rule's threshold, or null: the count must be the rule's `Threshold` in windows of `DedupPeriodMinutes`
 * that open at the first event (Panther's dedup window); a rule without a threshold must not aggregate.
 */
export function kqlThresholdGap(stated: string | undefined, rule: Rule): string | null {
  const agg = rule.aggregation && rule.aggregation.threshold > 1 ? rule.aggregation : undefined;
  if (!agg) return stated === undefined ? null : `the query aggregates (${stated}) but the rule has no threshold`;
  const panther = `Panther alerts on ${Math.trunc(agg.threshold)} matching events per dedup key within ${agg.windowMinutes} minutes of the first`;
  if (stated === undefined) return `the query states no threshold; ${panther}`;
  const m = /^count (>=|>) (\d+)(?: by .+)? in (\S+) windows opening at the first event$/.exec(stated);
  if (!m) return `the query counts ${stated}; ${panther}`;
  const atLeast = m[1] === '>=' ? Number(m[2]) : Number(m[2]) + 1;
  if (atLeast !== Math.trunc(agg.threshold) || timespanMs(m[3]!) !== agg.windowMinutes * 60000) return `the query counts ${stated}; ${panther}`;
  return null;
}

/**
 * Render one target and prove it; when the proof lowers the fidelity, the artifact is rendered again
 * so that the fidelity and reasons it states are the proven ones.
 */
export function renderProven(rule: Rule, target: string, ctx: RenderContext, opts: { onlyForTests?: boolean } = {}): { output: TargetOutput; proof?: TargetProofReport } {
  const output = renderRule(rule, target, ctx);
  const proof = proveOutput(output, rule, ctx.mapper, opts);
  if (!proof || proof.reasons.length === 0) return { output, proof };
  const again = renderRule({ ...rule, reasons: [...rule.reasons, ...proof.reasons] }, target, ctx);
  return { output: again, proof };
}
