/**
 * The neutral AST: what a Panther rule means, independent of Python and of any target.
 *
 * Values (`Val`) describe data read from the event; predicates (`Pred`) are booleans over them.
 * The evaluator (evaluate.ts) gives every node Panther's Python semantics, so the lifted AST can be
 * proven against the rule's own unit tests. Targets read the same nodes through `fieldRef()` and
 * friends in view.ts, never the Python that produced them.
 */

/** A JSON value, as found in a test log or a rule constant. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Where a piece of the AST came from: a file and a 1-based line and column. */
export interface Span {
  file: string;
  line: number;
  col: number;
}

// ---------------------------------------------------------------------------------------------
// Values

/**
 * A value read from the event.
 *
 * - `event`: the whole event (root of every path).
 * - `elem`: the element of an enclosing `any`/`all` quantifier; `depth` is the quantifier's nesting level
 *   (0 = the outermost quantifier).
 * - `get`: `obj.get(key, default)` (dict semantics: default only when the key is absent; an error when
 *   obj is not a mapping) or, with `deep`, Panther's `deep_get` (default when absent, None, or when a
 *   step is not a mapping); with `safe`, the step of Panther's `deep_get` helper before its final None check
 *   (default when obj is not a mapping or the key is absent, None when the value is None); with `strict`,
 *   `obj[key]` (an error when the key is absent). Keys are matched case-insensitively after an exact match fails, as Panther does.
 * - `index`: `obj[i]` on a list (negative from the end), an error when out of range.
 * - `lit`: a constant.
 * - `fn`: a pure string or value transform with Python's semantics (lower, upper, strip, split, json =
 *   json.loads, deep_walk = Panther's event.deep_walk(keys..., default, return_val) with args
 *   [obj, keys list, default, return_val], ...).
 */
export type Val =
  | { k: 'event' }
  | { k: 'elem'; depth: number }
  | { k: 'get'; obj: Val; key: string; default?: Val; deep?: boolean; safe?: boolean; strict?: boolean }
  | { k: 'index'; obj: Val; index: number }
  | { k: 'lit'; v: Json }
  | { k: 'fn'; fn: FnName; args: Val[] };

export type FnName =
  | 'lower'
  | 'casefold'
  | 'upper'
  | 'strip'
  | 'lstrip'
  | 'rstrip'
  | 'str'
  | 'len'
  | 'split'
  | 'replace'
  | 'concat'
  | 'rsplit'
  | 'or'
  | 'and'
  | 'int'
  | 'float'
  | 'json'
  | 'deep_walk'
  | 'slice';

// ---------------------------------------------------------------------------------------------
// Predicates

/** Python types an `isinstance` test can name (dict covers Mapping, list covers tuple/Sequence of JSON). */
export type PyType = 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'none';

/**
 * How a case-insensitive predicate folded the value, when not with lower(): Python's `x.upper()`
 * and `x.casefold()` differ from `x.lower()` on a few non-ASCII letters. Literals are always lowercase.
 */
export type Fold = 'upper' | 'casefold';

export type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type MatchKind = 'contains' | 'startswith' | 'endswith' | 'regex' | 'glob';

/**
 * - `cmp`: Python comparison `left op right` (right is usually a literal; a field makes it field-vs-field).
 *   `ci` marks a case-insensitive comparison (Python lowered or upper-cased both sides).
 * - `in`: `value in [literals]` (element equality, Python semantics: missing/None is never in a list of strings);
 *   `hashed` when the collection is a set or dict (a list or dict value then raises TypeError).
 * - `match`: string matching. `contains` is Python `needle in value` on a string value; `regex` is
 *   `re.search` unless `anchor` says `match` (start) or `fullmatch` (whole string); `glob` is fnmatch.
 * - `has`: Python `needle in value` where value is a list (element equality) or a mapping (key membership).
 * - `exists`: value is not None (a missing key reads as None).
 * - `truthy`: Python truthiness (None, "", 0, False, [] and {} are false).
 * - `cidr`: value is an IP address inside one of the networks.
 * - `istype`: Python `isinstance(value, type)` over JSON values (bool counts as int, as in Python).
 * - `valid`: value is a str that `json.loads` accepts (from a try/except around json.loads).
 * - `rel`: a string relation between two computed values (field vs field): `value.startswith(other)`,
 *   `value.endswith(other)`, or Python's `other in value` (substring, element or key).
 * - `quant`: `any()`/`all()` over the elements of a list value; `pred` reads the element as `elem`.
 * - `span` (optional on every atom and quantifier): the Python that produced it, so a target that cannot
 *   express the atom names its file:line; no part of the atom's meaning (structural identity ignores it).
 * - `opaque`: a piece the lifter could not express. Evaluated as `assume` (the superset choice by
 *   polarity, decided by normalize), it decides the rule's fidelity.
 */
export type Pred =
  | { k: 'const'; v: boolean }
  | { k: 'and'; args: Pred[] }
  | { k: 'or'; args: Pred[] }
  | { k: 'not'; arg: Pred }
  | { k: 'cmp'; op: CmpOp; left: Val; right: Val; ci?: boolean; fold?: Fold; span?: Span }
  | { k: 'in'; value: Val; list: Json[]; ci?: boolean; fold?: Fold; hashed?: boolean; span?: Span }
  | { k: 'match'; kind: MatchKind; value: Val; pattern: string; ci?: boolean; fold?: Fold; anchor?: 'search' | 'match' | 'fullmatch'; flags?: string; span?: Span }
  | { k: 'has'; value: Val; needle: Json; ci?: boolean; span?: Span }
  | { k: 'exists'; value: Val; span?: Span }
  | { k: 'truthy'; value: Val; span?: Span }
  | { k: 'cidr'; value: Val; ranges: string[]; span?: Span }
  | { k: 'istype'; value: Val; type: PyType; span?: Span }
  | { k: 'valid'; value: Val; format: 'json'; span?: Span }
  | { k: 'rel'; rel: 'startswith' | 'endswith' | 'in'; value: Val; other: Val; ci?: boolean; span?: Span }
  | { k: 'quant'; q: 'any' | 'all'; list: Val; pred: Pred; span?: Span }
  | {
      k: 'opaque';
      reason: string;
      code: string;
      span: Span;
      assume?: boolean;
      /** distinguishes unknowns from one source */
      uid?: number;
      /**
       * The piece stands only where `value` holds a `type` (it is and-ed with `isinstance(value, type)` in
       * the condition): a target whose own type facts say the value never holds one prints that branch
       * false, so the approximation does not reach its artifact (ReasonSink.all).
       */
      ifType?: { value: Val; type: PyType };
    };

/**
 * `p` with each atom and quantifier that has no span located at `span` (the construct that produced
 * it); nodes already located keep theirs. Unchanged nodes are returned as they are.
 */
export function locate<P extends Pred>(p: P, span: Span): P;
export function locate(p: Pred, span: Span): Pred {
  switch (p.k) {
    case 'const':
    case 'opaque':
      return p;
    case 'and':
    case 'or': {
      const args = p.args.map((a) => locate(a, span));
      return args.every((a, i) => a === p.args[i]) ? p : { k: p.k, args };
    }
    case 'not': {
      const arg = locate(p.arg, span);
      return arg === p.arg ? p : { k: 'not', arg };
    }
    case 'quant': {
      const inner = locate(p.pred, span);
      return p.span && inner === p.pred ? p : { ...p, pred: inner, span: p.span ?? span };
    }
    default:
      return p.span ? p : { ...p, span };
  }
}

// ---------------------------------------------------------------------------------------------
// Rules

export type Fidelity = 'exact' | 'approximate' | 'unsupported';
export type Direction = 'wider' | 'narrower';

export interface Reason {
  code: string;
  message: string;
  file: string;
  line: number;
  col?: number;
  /** For approximations: which way the translation may differ from the rule. */
  direction?: Direction;
}

/** A named output of the rule (alert_context key, SummaryAttribute, dedup key...). */
export interface OutputField {
  name: string;
  value: Val;
  /** Where it came from: alert_context, summary, dedup, title. */
  source: 'alert_context' | 'summary' | 'dedup' | 'title';
}

/** A title template: literal text and values, in order. */
export type TitlePart = { text: string } | { value: Val };

export interface Aggregation {
  /** Alert when at least `threshold` matching events share the grouping key within `windowMinutes`. */
  threshold: number;
  windowMinutes: number;
  groupBy: Val[];
  /**
   * The dedup string as Python computes it where it depends on a condition (`a if c else b`, if/return
   * branches, a data-model method's branches) and no groupBy holds it: dedup()'s, else (no dedup()) the
   * title's, as ordered cases, each the text it prints: the first case whose condition holds gives the text,
   * and the last holds wherever no earlier one does (`evaluateKeyCases`). Only the threshold grouping reads them; the title/dedup outputs stay left out
   * (their notes stand). A rule of one log type only (the cases are lifted with its data model). KQL and
   * Sentinel group by the string (`case()`); the other targets by the fields the cases read (declared narrower).
   */
  keyCases?: KeyCase[];
}

/** One case of a conditional dedup string: where `when` holds (and no earlier case's), the string is the text of `parts`. */
export interface KeyCase {
  when: Pred;
  parts: TitlePart[];
}

export interface RuleTest {
  name: string;
  expected: boolean;
  log: Json;
  logType?: string;
  mocks?: { objectName: string; returnValue: Json }[];
}

export interface RuleMeta {
  id: string;
  displayName?: string;
  description?: string;
  severity: string;
  enabled: boolean;
  logTypes: string[];
  tags: string[];
  mitre: { tactic: string; technique?: string }[];
  reference?: string;
  runbook?: string;
  dedupPeriodMinutes?: number;
  threshold?: number;
  summaryAttributes: string[];
  version?: string;
  /** The YAML file and the Python file (if any), relative to the working directory. */
  file: string;
  pyFile?: string;
}

/** A lifted rule: what every target renders. */
export interface Rule {
  meta: RuleMeta;
  /** The whole condition: `and(condition..., not(exclusion)...)` when normalised. */
  condition: Pred;
  outputs: OutputField[];
  title?: TitlePart[];
  dedup?: Val;
  /** Conditional severities (severity() or DynamicSeverities): the first whose `when` holds applies. */
  severities?: { severity: string; when: Pred }[];
  aggregation?: Aggregation;
  tests: RuleTest[];
  /** Reasons the lift is not exact (opaque pieces, stateful constructs). */
  reasons: Reason[];
  /** What could not be lifted in the outputs (title, alert_context, dedup): reported, not part of fidelity. */
  notes: Reason[];
}
