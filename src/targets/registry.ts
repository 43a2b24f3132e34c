/**
 * The targets by name, and the passes every target's condition goes through before it renders.
 * Adding a target: one folder under src/targets/<name>/, one template folder under
 * templates/<name>/, and one line here.
 */
import type { Rule } from '../ast/types.js';
import { specializeLogType } from '../ast/normalize.js';
import { ruleMapper } from '../mapping/custom.js';
import { dropStrGuards } from './common/guards.js';
import { conditionNnf } from './common/nnf.js';
import { simplifyNnf } from './common/simplify.js';
import { cwlTarget } from './cwl/index.js';
import { kqlTarget } from './kql/index.js';
import { sigmaTarget } from './sigma/index.js';
import { sentinelTarget } from './sentinel/index.js';
import type { Nnf } from './common/nnf.js';
import type { RenderContext, Target, TargetOutput } from './types.js';
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
  const condFor = (lt: string | undefined): { r: Rule; cond: Nnf } => {
    const r = lt ? { ...rule, condition: specializeLogType(rule.condition, lt) } : rule;
    // the guards a target's string operators imply depend on the log type's columns
    const impliesStr = t.impliesStr?.(lt ? { ...r, meta: { ...r.meta, logTypes: [lt] } } : r, ctx) ?? (() => true);
    return { r, cond: simplifyNnf(dropStrGuards(conditionNnf(r.condition), impliesStr), { impliesStr }) };
  };
  const { r, cond } = condFor(rule.meta.logTypes[0]);
  if (t.allLogTypes && rule.meta.logTypes.length > 1) {
    return t.render(r, ctx, cond, rule.meta.logTypes.map((logType) => ({ logType, cond: condFor(logType).cond })));
  }
  return t.render(r, ctx, cond);
}
