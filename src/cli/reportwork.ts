/**
 * What `report` keeps of one rule's analysis (`src/report/analyse.ts`) when a worker thread computed
 * it: the parts `buildReport` reads (the rule's identity, log types and severity; the lift's report;
 * each target's fidelity, reasons and proof, or its error), without the loaded YAML (functions, not
 * transferable) and the artifacts' text.
 */
import type { Analysed } from '../report/analyse.js';
import type { Rule } from '../ast/types.js';

export function reportResult(a: Analysed): Analysed {
  const out: Analysed = { file: a.file, targets: {} };
  if (a.error) out.error = a.error;
  if (a.report) out.report = a.report;
  if (a.rule) {
    const { id, file, pyFile, logTypes, severity } = a.rule.meta;
    out.rule = { meta: { id, file, logTypes, severity, ...(pyFile !== undefined ? { pyFile } : {}) } } as unknown as Rule;
  }
  for (const [t, r] of Object.entries(a.targets)) {
    out.targets[t] = {
      ...(r.output ? { output: { ...r.output, text: '' } } : {}),
      ...(r.proof ? { proof: r.proof } : {}),
      ...(r.error ? { error: r.error } : {}),
    };
  }
  return out;
}
