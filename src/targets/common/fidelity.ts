/**
 * Fidelity for one target: the rule's lift fidelity (from `rule.reasons`) lowered by what the target
 * itself could not express. Reason codes are the contract:
 * - a code starting with `unsupported` makes the result `unsupported`;
 * - any other reason makes it at least `approximate`.
 */
import type { Direction, Fidelity, Reason, Rule } from '../../ast/types.js';

export function fidelityOf(reasons: Reason[]): Fidelity {
  if (reasons.some((r) => r.code.startsWith('unsupported'))) return 'unsupported';
  return reasons.length > 0 ? 'approximate' : 'exact';
}

/** Collects a target's own reasons, de-duplicated, with the rule's file as location. */
export class ReasonSink {
  readonly reasons: Reason[] = [];
  private seen = new Set<string>();
  constructor(
    readonly rule: Rule,
    private readonly target: string,
  ) {}

  add(code: string, message: string, direction?: Direction): void {
    const key = `${code}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const file = this.rule.meta.pyFile ?? this.rule.meta.file;
    this.reasons.push({ code, message: `${this.target}: ${message}`, file, line: 1, ...(direction ? { direction } : {}) });
  }

  /** The rule's reasons followed by this target's own. */
  all(): Reason[] {
    return [...this.rule.reasons, ...this.reasons];
  }

  fidelity(): Fidelity {
    return fidelityOf(this.all());
  }
}
