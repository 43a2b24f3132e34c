/**
 * Every reason code a rule or an artifact can carry, with the fidelity it decides, the direction the
 * translation may differ in, and what it means. Fidelity is read from this table (the lift's in
 * `proveRule`, src/pipeline.ts; each target's in `fidelityOf`, src/targets/common/fidelity.ts), never from
 * the spelling of a code; the "Fidelity" table of src/targets/README.md lists exactly these codes
 * (test/targets.reasons.test.ts checks it). It sits beside the pipeline, below the targets and the proof
 * that read it; src/targets/common/reasons.ts re-exports it.
 */
import type { Fidelity } from './ast/types.js';

export interface ReasonInfo {
  fidelity: Exclude<Fidelity, 'exact'>;
  /** Which way an artifact may differ: one way, either (per occurrence), or not stated. */
  direction: 'wider' | 'narrower' | 'either' | 'none';
  /** Who adds it: the lift (src/pipeline.ts, src/python/), a target printer, or the proof (src/proof/). */
  origin: 'lift' | 'target' | 'proof';
  summary: string;
}

/** `opaque-<construct>`: a piece of Python the lifter could not express (the construct is the suffix). */
export const OPAQUE_PREFIX = 'opaque-';

export const REASONS: Readonly<Record<string, ReasonInfo>> = {
  // ---- the lift (the rule's own reasons)
  'opaque-<construct>': { fidelity: 'approximate', direction: 'wider', origin: 'lift', summary: 'a piece of Python the lifter could not express, replaced by its superset (the construct and its file:line in the message)' },
  'unsupported-stateful': { fidelity: 'unsupported', direction: 'wider', origin: 'lift', summary: 'the rule reads state outside the event (cache, lookup table, clock, network)' },
  'unsupported-enrichment': { fidelity: 'unsupported', direction: 'wider', origin: 'lift', summary: 'the condition reads Panther enrichment data, which exists only in Panther' },
  'unsupported-size': { fidelity: 'unsupported', direction: 'wider', origin: 'lift', summary: 'the lifted condition is too large to print' },
  'unsupported-correlation': { fidelity: 'unsupported', direction: 'wider', origin: 'lift', summary: 'a correlation rule (Group/Sequence over other rules\' alerts within a window) is not translated' },
  'unsupported-scheduled': { fidelity: 'unsupported', direction: 'none', origin: 'lift', summary: 'a scheduled rule runs over the rows of a scheduled SQL query, which is not translated (only its Python filter is lifted)' },
  'test-disagrees': { fidelity: 'unsupported', direction: 'none', origin: 'lift', summary: "the lifted logic disagrees with one of the rule's tests: a lifter defect" },
  // ---- the targets
  'unsupported-unmapped-field': { fidelity: 'unsupported', direction: 'wider', origin: 'target', summary: 'a field of the condition has no mapping for this target (the piece is replaced by its superset so the artifact stays valid)' },
  'unsupported-log-type': { fidelity: 'unsupported', direction: 'none', origin: 'target', summary: 'the log type has no table / logsource / base filter / CloudWatch mapping (KQL, YARA-L, CWL emit a comment-only artifact; Sigma a rule with `status: unsupported`)' },
  'unsupported-constant-condition': { fidelity: 'unsupported', direction: 'either', origin: 'target', summary: 'the condition folds to a constant a Sigma detection (or YARA-L, for `false`) cannot state' },
  'unsupported-query-too-long': { fidelity: 'unsupported', direction: 'none', origin: 'target', summary: 'the query exceeds the 10,000 characters a Sentinel analytic rule holds, or a Logs Insights query string (StartQuery) takes (comment-only artifact)' },
  'target-computed-value': { fidelity: 'approximate', direction: 'wider', origin: 'target', summary: 'a computed value (`len(x)`, `x.split(...)[0]`, ...) is not a field: superset constant' },
  'target-unsupported-construct': { fidelity: 'approximate', direction: 'wider', origin: 'target', summary: 'a construct the target lacks (see below): superset constant' },
  'target-quantifier': { fidelity: 'approximate', direction: 'either', origin: 'target', summary: '`any()`/`all()` not expressible (wider where replaced)' },
  'target-missing-vs-empty': { fidelity: 'approximate', direction: 'either', origin: 'target', summary: 'the target cannot tell a missing field from `""` where Python can' },
  'target-present-null': { fidelity: 'approximate', direction: 'either', origin: 'target', summary: 'the target cannot tell a present JSON `null` from a missing field where Python can: `get(x, d) is None` (with a default `d`) holds only for a present `null`; rendered as its constant (`is not None` wider, `is None` narrower)' },
  'target-fallback-field': { fidelity: 'approximate', direction: 'none', origin: 'target', summary: 'the mapping is a declared fallback (`additional.fields[...]`)' },
  'target-fieldref-case': { fidelity: 'approximate', direction: 'wider', origin: 'target', summary: 'Sigma `fieldref`: case sensitivity is backend-defined' },
  'target-list-membership': { fidelity: 'approximate', direction: 'none', origin: 'target', summary: 'element-wise list matching is backend-defined (Sigma) or implicit on repeated UDM fields (YARA-L)' },
  'target-threshold-window': { fidelity: 'approximate', direction: 'either', origin: 'target', summary: "threshold windows are fixed bins / hop windows / backend-defined timespans, not Panther's dedup window (KQL and Sentinel count that window: only a period of a fraction of a minute, or a query read back that counts another window)" },
  'target-threshold-key': { fidelity: 'approximate', direction: 'either', origin: 'target', summary: 'a grouping key is dropped (wider): unmapped, or a dedup() or alert title (the key without dedup()) that could not be lifted; a Sigma correlation without group-by' },
  'target-shared-base-filter': { fidelity: 'approximate', direction: 'wider', origin: 'target', summary: "YARA-L: the log type's UDM base filter (its ingestion label) also selects events of other kinds that label carries, which the rule may match" },
  'target-first-log-type': { fidelity: 'approximate', direction: 'narrower', origin: 'target', summary: 'only the first of several log types is queried' },
  'target-log-type-left-out': { fidelity: 'approximate', direction: 'narrower', origin: 'target', summary: 'YARA-L: a log type of the rule has no UDM base filter; the rule covers its other log types' },
  'target-threshold-split': { fidelity: 'approximate', direction: 'narrower', origin: 'target', summary: 'a threshold over several log types is counted per log type (Logs Insights: one query each; YARA-L: matched per metadata.log_type), where Panther counts the events of all of them together' },
  'target-key-case': { fidelity: 'approximate', direction: 'narrower', origin: 'target', summary: "the rule's tests hold a key in another casing than the query reads (Panther finds keys case-insensitively, the targets do not)" },
  'target-number-text': { fidelity: 'approximate', direction: 'wider', origin: 'target', summary: "`str(x) == \"5\"` on a real-typed column: a JSON float with a whole value (5.0) reads \"5.0\" in Python but equals 5 in the target" },
  'target-regex-end-anchor': { fidelity: 'approximate', direction: 'wider', origin: 'target', summary: 'Logs Insights: a regex `$` also matches before a final line break in some engines' },
  // ---- the proof
  'target-unproven': { fidelity: 'approximate', direction: 'none', origin: 'proof', summary: "the artifact's evaluator refused to run it on some test (added by the proof, `src/proof/`)" },
  'unsupported-test-disagrees': { fidelity: 'unsupported', direction: 'none', origin: 'proof', summary: 'the artifact read back disagrees with a test in a direction nothing declared: a printer defect (added by the proof; `transpile test` exits 1)' },
};

/** The table entry of a code (`opaque-*` share one); undefined for a code nobody declared. */
export function reasonInfo(code: string): ReasonInfo | undefined {
  return REASONS[code] ?? (code.startsWith(OPAQUE_PREFIX) ? REASONS[`${OPAQUE_PREFIX}<construct>`] : undefined);
}

/**
 * The fidelity one reason decides. A code missing from the table (none the sources write: the tests
 * check it) falls back to the naming convention the table's codes follow: `unsupported-*` is
 * unsupported, anything else approximate.
 */
export function reasonFidelity(code: string): Exclude<Fidelity, 'exact'> {
  return reasonInfo(code)?.fidelity ?? (code.startsWith('unsupported-') ? 'unsupported' : 'approximate');
}
