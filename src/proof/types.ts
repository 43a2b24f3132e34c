/**
 * Target proof: reference evaluators that read an emitted artifact back (the text a user takes away,
 * never the AST that printed it) and run it on a rule's test logs, projected into the shape that
 * target queries (a Sentinel row, a UDM event, Logs Insights' flattened fields, Sigma's fields).
 *
 * Evaluators share no code with the printers (src/targets/**): each implements the documented
 * semantics of the operators it knows, with the documentation's address in a comment, and refuses
 * (throws `Refusal`) anything else rather than guessing.
 */
import type { Json } from '../ast/types.js';
import type { FieldMapper } from '../mapping/types.js';

/** The evaluator cannot read or decide this artifact (a construct outside the subset it implements). */
export class Refusal extends Error {
  constructor(
    /** What was refused, in a few words a user can act on (e.g. "KQL operator `has_any`"). */
    public readonly what: string,
  ) {
    super(what);
    this.name = 'Refusal';
  }
}

/** An artifact read back: decides whether the per-event part of the query selects one projected event. */
export interface CompiledArtifact<E> {
  /**
   * True when the query's per-event part (everything before an aggregation: KQL `summarize`,
   * Logs Insights `stats`, YARA-L `match`/`condition` counts, a Sigma correlation document) keeps
   * this event. Throws `Refusal` when the event makes the evaluator meet something it cannot decide.
   */
  matches(event: E): boolean;
  /** Aggregation stated by the artifact (threshold and window), not evaluated per event. */
  aggregation?: string;
}

/** One target's proof: how a test log looks to the target, and the artifact read back. */
export interface TargetProof<E> {
  /** The target names this proof serves (kql serves 'kql' and 'sentinel'). */
  targets: string[];
  /**
   * The test log as the target stores it for `logType`, through the field mappings. Throws `Refusal`
   * when the log cannot be projected (e.g. the log type has no source for this target).
   */
  project(log: Json, logType: string, mapper: FieldMapper): E;
  /** Read the artifact text back. Throws `Refusal` for anything outside the subset it implements. */
  compile(text: string, target: string): CompiledArtifact<E>;
}
