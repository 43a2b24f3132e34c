/** One diagnostic model for every stage: severity, code, message, and where (file:line:col). */

export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  /** What the user can do about it. */
  hint?: string;
}

/** The diagnostics of several renderings of one rule (one per log type), each said once (same code and message). */
export function uniqueDiagnostics(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An error that stops one rule (bad YAML, missing .py, Python syntax error...). Never a stack trace. */
export class TranspileError extends Error {
  constructor(public diag: Diagnostic) {
    super(diag.message);
  }
}

export function fail(code: string, message: string, where: { file?: string; line?: number; col?: number } = {}, hint?: string): never {
  throw new TranspileError({ severity: 'error', code, message, ...where, ...(hint ? { hint } : {}) });
}

export function formatDiagnostic(d: Diagnostic): string {
  const loc = d.file ? `${d.file}${d.line ? `:${d.line}${d.col ? `:${d.col}` : ''}` : ''}: ` : '';
  return `${loc}${d.severity} ${d.code}: ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}`;
}
