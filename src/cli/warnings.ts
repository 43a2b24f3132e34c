/**
 * Warnings in a batch: one that several rules share (the same code and text, e.g. `kql-custom-table` for
 * every rule of a log type without a Sentinel table) is said once, after the batch, with the number of rules
 * and which ones, and its hint (where to fix it); a warning of one rule only is said as it always is. A single
 * rule file prints its warnings as they come.
 */
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';

interface Out {
  err: (s: string) => void;
}
interface Paint {
  red: (s: string) => string;
  yellow: (s: string) => string;
}

/** How many rule files a repeated warning names before "and N more". */
const NAMED = 3;

export class WarningTally {
  private seen = new Map<string, { d: Diagnostic; rules: Set<string> }>();

  /** Keep `d` (met while translating `rule`) for the report at the end. */
  add(d: Diagnostic, rule: string): void {
    const key = `${d.severity}\u0000${d.code}\u0000${d.message}\u0000${d.hint ?? ''}`;
    const x = this.seen.get(key) ?? { d: { ...d, file: d.file ?? rule }, rules: new Set<string>() };
    x.rules.add(rule);
    this.seen.set(key, x);
  }

  /** Each warning once, in the order first met: as it was for one rule, with the count and the rules for several. */
  report(io: Out, style: Paint): void {
    for (const { d, rules } of this.seen.values()) {
      const paint = d.severity === 'error' ? style.red : style.yellow;
      if (rules.size === 1) {
        io.err(`${paint(formatDiagnostic(d))}\n`);
        continue;
      }
      const named = [...rules].slice(0, NAMED).join(', ');
      const more = rules.size > NAMED ? ` and ${rules.size - NAMED} more` : '';
      const line = `${d.severity} ${d.code} (${rules.size} rules: ${named}${more}): ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}`;
      io.err(`${paint(line)}\n`);
    }
  }
}
