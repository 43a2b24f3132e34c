/**
 * One rule through the whole flow, as `diff` and `report` need it: load → lift → prove on its tests,
 * then every target rendered and read back by its evaluator (`renderProven`). Errors are kept per rule
 * (and per target), never thrown, so a batch goes on.
 */
import type { Rule } from '../ast/types.js';
import { formatDiagnostic, TranspileError, type Diagnostic } from '../diagnostics.js';
import type { LoadedRule } from '../panther/load.js';
import { loadRuleFile } from '../panther/pypanther.js';
import { liftLoaded, proveRule, type PipelineOptions, type RuleReport } from '../pipeline.js';
import { renderProven, type TargetProofReport } from '../proof/index.js';
import type { RenderContext, TargetOutput } from '../targets/types.js';

export interface TargetResult {
  output?: TargetOutput;
  proof?: TargetProofReport;
  error?: Diagnostic;
}

export interface Analysed {
  /** The YAML path as given (display form). */
  file: string;
  loaded?: LoadedRule;
  rule?: Rule;
  report?: RuleReport;
  error?: Diagnostic;
  targets: Record<string, TargetResult>;
}

function asDiagnostic(e: unknown, file: string, what: string): Diagnostic {
  if (e instanceof TranspileError) return e.diag;
  const msg = e instanceof Error ? e.message : String(e);
  return { severity: 'error', code: 'internal', message: `internal error while ${what}: ${msg}`, file, hint: 'please report this with the rule file attached' };
}

/** Load, lift and prove one rule file (no targets). */
export function liftOne(file: string, popts: PipelineOptions): Analysed {
  try {
    const loaded = loadRuleFile(file, undefined, undefined, popts);
    const rule = liftLoaded(loaded, popts);
    const report = proveRule(rule, loaded, popts);
    // the proof's findings belong to every target's fidelity (as in the convert command)
    rule.reasons = report.reasons;
    return { file, loaded, rule, report, targets: {} };
  } catch (e) {
    return { file, error: asDiagnostic(e, file, 'reading this rule'), targets: {} };
  }
}

/** Render and prove the given targets for an analysed rule (in place). */
export function renderTargets(a: Analysed, targets: string[], ctx: RenderContext): Analysed {
  if (!a.rule) return a;
  for (const t of targets) {
    try {
      const { output, proof } = renderProven(a.rule, t, ctx);
      a.targets[t] = { output, ...(proof ? { proof } : {}) };
    } catch (e) {
      a.targets[t] = { error: asDiagnostic(e, a.file, `rendering ${t}`) };
    }
  }
  return a;
}

export function analyse(file: string, popts: PipelineOptions, ctx: RenderContext, targets: string[]): Analysed {
  return renderTargets(liftOne(file, popts), targets, ctx);
}

/** Is a target artifact proven: it claims exact and agreed with at least one test and refused none (as `transpile test` counts). */
export function isProven(p: TargetProofReport | undefined): boolean {
  return !!p && p.fidelity === 'exact' && p.tests.passed > 0 && p.tests.notEvaluable === 0 && p.tests.failed === 0;
}

export { formatDiagnostic };
