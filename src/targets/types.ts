/**
 * Target contract: one folder per target under src/targets/<name>/, one template folder under
 * templates/<name>/. Adding a target touches nothing else but the registry (registry.ts).
 */
import type { Fidelity, Reason, Rule, Val } from '../ast/types.js';
import type { FieldMapper } from '../mapping/types.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Nnf } from './common/nnf.js';

export type { Diagnostic };

export interface RenderContext {
  mapper: FieldMapper;
  /** Folder holding one sub-folder of Handlebars templates per target (default: the package's templates/). */
  templatesDir: string;
  /** Treat warnings as errors (e.g. raw JSON names assumed for Logs Insights). */
  strict?: boolean;
}

export interface TargetOutput {
  target: string;
  /** File extension of the artifact, without the dot. */
  ext: string;
  text: string;
  /** Fidelity for this target: the rule's lift fidelity, lowered by what this target cannot express. */
  fidelity: Fidelity;
  reasons: Reason[];
  diagnostics: Diagnostic[];
  /** The log types whose events the artifact reads (default: the rule's first). */
  logTypes?: string[];
}

/** A rule's condition as it reads on one of its log types (`p_log_type` decided, in NNF). */
export interface LogTypeCondition {
  logType: string;
  cond: Nnf;
  /**
   * A routed branch (common/routes.ts): `logType` names the mapping it is read with, `of` the rule's
   * log type whose events it holds.
   */
  of?: string;
}

export interface Target {
  name: string;
  ext: string;
  description: string;
  /**
   * Render a normalised rule (opaque nodes already carry `assume`, `p_log_type` specialised) whose
   * condition the registry has put in negation normal form (`cond`); the target only renders.
   */
  render(rule: Rule, ctx: RenderContext, cond: Nnf, perLogType?: LogTypeCondition[]): TargetOutput;
  /**
   * The target renders every log type of a rule that has several: `render` then gets the condition
   * as it reads on each (`perLogType`); otherwise it renders the first and says so.
   */
  allLogTypes?: boolean;
  /**
   * The target reads a routed log type (`sources.kql.routes`) as one branch per route: `render` then
   * gets `perLogType` with the branches (`of`), even for a rule of one log type.
   */
  routes?: boolean;
  /**
   * Whether the target's string operators are false on every non-string value of `v` (then an
   * `isinstance(v, str)` guard beside a string test adds nothing: common/guards.ts); default: wherever the rule's tests show the value as a string or not at all (`testsShowStr`).
   */
  impliesStr?(rule: Rule, ctx: RenderContext): (v: Val) => boolean;
}
