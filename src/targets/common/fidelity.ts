/**
 * Fidelity for one target: the rule's lift fidelity (from `rule.reasons`) lowered by what the target
 * itself could not express. Each code's fidelity is in the reason table (reasons.ts): a reason whose
 * code is `unsupported` there makes the result `unsupported`, any other makes it at least `approximate`.
 */
import type { Direction, Fidelity, Pred, PyType, Reason, Rule, Span, Val } from '../../ast/types.js';
import { opaques } from '../../ast/view.js';
import { reasonFidelity } from './reasons.js';

export function fidelityOf(reasons: Reason[]): Fidelity {
  if (reasons.some((r) => reasonFidelity(r.code) === 'unsupported')) return 'unsupported';
  return reasons.length > 0 ? 'approximate' : 'exact';
}

/**
 * Collects a target's own reasons, de-duplicated by code and message (the first occurrence's position
 * is kept). A reason is located at the span of the Python the printer is printing (`at`), else at the
 * first line of the rule's Python file (or of its YAML for a simple detection).
 */
export class ReasonSink {
  readonly reasons: Reason[] = [];
  private seen = new Set<string>();
  private span: Span | undefined;
  constructor(
    readonly rule: Rule,
    private readonly target: string,
  ) {}

  /** Locate the reasons added from now on at `span` (none: the rule file's first line); returns the previous one. */
  at(span: Span | undefined): Span | undefined {
    const prev = this.span;
    this.span = span;
    return prev;
  }

  /** A rule over several log types rendered for the first alone: declared (target-first-log-type). */
  firstLogTypeOnly(logTypes: readonly string[], verb: 'queried' | 'covered'): void {
    if (logTypes.length > 1) this.add('target-first-log-type', `only the first log type (${logTypes[0]}) is ${verb}; ${logTypes.slice(1).join(', ')} left out`, 'narrower');
  }

  /** How many times `add` was called (a reason already held counts too): what a rendering tried and abandoned checks. */
  adds = 0;

  add(code: string, message: string, direction?: Direction): void {
    this.adds++;
    const key = `${code}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const where = this.span ?? { file: this.rule.meta.pyFile ?? this.rule.meta.file, line: 1 };
    this.reasons.push({ code, message: `${this.target}: ${message}`, ...where, ...(direction ? { direction } : {}) });
  }

  /** How many reasons the sink holds: `rollback` to it drops those added since (a rendering tried and abandoned). */
  mark(): number {
    return this.reasons.length;
  }

  /** Drops the reasons added since `mark` (they may be added again). */
  rollback(mark: number): void {
    for (const r of this.reasons.splice(mark)) this.seen.delete(`${r.code}\u0000${r.message.slice(this.target.length + 2)}`);
  }

  /**
   * The target's type facts: does the value never hold a Python `type` where this artifact reads it (a
   * KQL string column is never an int)? Set by a target that folds `isinstance` tests by them.
   */
  holdsNo: ((v: Val, type: PyType) => boolean) | undefined;
  /** The sinks absorbed (one per log type): a lift approximation is discharged only where each of them discharges it. */
  private parts: ReasonSink[] = [];

  /**
   * Is this lift reason an opaque piece that stands only on values of a type (`ifType`) the target's
   * type facts exclude? Its branch is `isinstance(v, type) and <piece>`, which the target prints false
   * whatever the piece's value, so the artifact does not depend on it.
   */
  private discharged(r: Reason): boolean {
    if (!r.code.startsWith('opaque-')) return false;
    const same = this.opaquesOf().filter((o) => `opaque-${o.code}` === r.code && o.reason === r.message && o.span.file === r.file && o.span.line === r.line && o.span.col === r.col);
    return same.length > 0 && same.every((o) => !!o.ifType && this.excludes(o.ifType.value, o.ifType.type));
  }

  private excludes(v: Val, type: PyType): boolean {
    if (this.holdsNo) return this.holdsNo(v, type);
    return this.parts.length > 0 && this.parts.every((p) => p.excludes(v, type));
  }

  private opaqueMemo: Extract<Pred, { k: 'opaque' }>[] | undefined;
  private opaquesOf(): Extract<Pred, { k: 'opaque' }>[] {
    return (this.opaqueMemo ??= opaques(this.rule.condition));
  }

  /** Take in another sink's own reasons (a rule rendered once per log type), de-duplicated alike. */
  absorb(other: ReasonSink): void {
    this.parts.push(other);
    for (const r of other.reasons) {
      const key = `${r.code}\u0000${r.message}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.reasons.push(r);
    }
  }

  /**
   * A copy of this sink for another target and rule (the same rule but for its reasons, which a render after
   * a proof adds to): its reasons re-prefixed with `target`, its type facts and absorbed sinks shared (they
   * do not depend on either). null when a reason does not carry this sink's prefix (not made by a sink of
   * this target).
   */
  retarget(target: string, rule: Rule): ReasonSink | null {
    const prefix = `${this.target}: `;
    if (!this.reasons.every((r) => r.message.startsWith(prefix))) return null;
    const out = new ReasonSink(this.rule === rule ? rule : { ...this.rule, reasons: rule.reasons }, target);
    for (const r of this.reasons) out.reasons.push(target === this.target ? { ...r } : { ...r, message: `${target}: ${r.message.slice(prefix.length)}` });
    for (const k of this.seen) out.seen.add(k);
    out.span = this.span;
    out.holdsNo = this.holdsNo;
    out.parts = this.parts;
    return out;
  }

  /** The rule's reasons followed by this target's own. */
  all(): Reason[] {
    return [...this.rule.reasons.filter((r) => !this.discharged(r)), ...this.reasons];
  }

  fidelity(): Fidelity {
    return fidelityOf(this.all());
  }
}
