/**
 * YARA-L 2.0 (Google SecOps / Chronicle) reference evaluator: reads a rule's text back and decides whether
 * its events section selects a projected UDM event. `match:` + `condition: #e >= N` is recorded as the
 * aggregation (only the per-event part is evaluated); `condition: $e` is a single-event rule.
 * Documentation addresses are in `parse.ts` and `eval.ts`; nothing is shared with src/targets/**.
 */
import { projectUdm, type UdmEvent } from '../../mapping/project/yaral.js';
import type { CompiledArtifact, TargetProof } from '../types.js';
import { compileRule } from './eval.js';
import { parseRule } from './parse.js';

export type { UdmEvent };

/** Read a YARA-L artifact back. Throws Refusal outside the subset. */
export function compileYaral(text: string): CompiledArtifact<UdmEvent> {
  const compiled = compileRule(parseRule(text));
  return { matches: (ev) => compiled.matches(ev), ...(compiled.aggregation ? { aggregation: compiled.aggregation } : {}) };
}

export const yaralProof: TargetProof<UdmEvent> = {
  targets: ['yaral'],
  project: projectUdm,
  compile: (text) => compileYaral(text),
};
