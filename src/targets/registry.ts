/**
 * The targets by name. Adding a target: one folder under src/targets/<name>/, one template folder
 * under templates/<name>/, and one line here.
 */
import type { Rule } from '../ast/types.js';
import { specializeLogType } from '../ast/normalize.js';
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

/** Render a normalised rule for one target. Throws on an unknown target name. */
export function renderRule(rule: Rule, targetName: string, ctx: RenderContext): TargetOutput {
  const t = targets[targetName];
  if (!t) throw new Error(`unknown target ${JSON.stringify(targetName)} (known: ${targetNames.join(', ')})`);
  // a query reads one log type's table: Panther's p_log_type is that log type there
  const lt = rule.meta.logTypes[0];
  return t.render(lt ? { ...rule, condition: specializeLogType(rule.condition, lt) } : rule, ctx);
}
