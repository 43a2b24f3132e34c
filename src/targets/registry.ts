/**
 * The targets by name, and the passes every target's condition goes through before it renders.
 * Adding a target: one folder under src/targets/<name>/, one template folder under
 * templates/<name>/, and one line here.
 */
import type { Rule } from '../ast/types.js';
import { specializeLogType } from '../ast/normalize.js';
import { dropStrGuards } from './common/guards.js';
import { conditionNnf } from './common/nnf.js';
import { cwlTarget } from './cwl/index.js';
import { kqlTarget } from './kql/index.js';
import { sigmaTarget } from './sigma/index.js';
import { sentinelTarget } from './sentinel/index.js';
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
 * removed), `dropStrGuards` (the `isinstance(v, str)` guards the target's string operators imply).
 */
export function renderRule(rule: Rule, targetName: string, ctx: RenderContext): TargetOutput {
  const t = targets[targetName];
  if (!t) throw new Error(`unknown target ${JSON.stringify(targetName)} (known: ${targetNames.join(', ')})`);
  const lt = rule.meta.logTypes[0];
  const r = lt ? { ...rule, condition: specializeLogType(rule.condition, lt) } : rule;
  const cond = dropStrGuards(conditionNnf(r.condition), t.impliesStr?.(r, ctx) ?? (() => true));
  return t.render(r, ctx, cond);
}
