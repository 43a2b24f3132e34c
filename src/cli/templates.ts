/**
 * Template errors in a batch: a broken .hbs is one error located in the template, not one per rule.
 * A template that does not parse stops the batch before any rule is converted or written; one that fails
 * while rendering (a name a rule's view model lacks) is reported once at the end, with the number of rules it
 * failed on (their files for that target are not written).
 */
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { brokenTemplates } from '../targets/common/template.js';

interface Out {
  err: (s: string) => void;
}
interface Paint {
  red: (s: string) => string;
}

/** Report the templates `targets` need that do not parse, each once; true when there is one (stop the batch). */
export function refuseBrokenTemplates(templatesDir: string, targets: readonly string[], rules: number, io: Out, style: Paint): boolean {
  const broken = brokenTemplates(templatesDir, targets);
  for (const d of broken) {
    const what = `${rules} rule file${rules === 1 ? '' : 's'} not converted: the batch stopped before writing anything`;
    io.err(`${style.red(formatDiagnostic({ ...d, message: `${d.message} (${what})` }))}\n`);
  }
  return broken.length > 0;
}

/** Template errors met while rendering, by where and what, with the rules each stopped. */
export class TemplateErrors {
  private seen = new Map<string, { d: Diagnostic; rules: Set<string> }>();

  /** Count `d` for `rule` when it is a template error (then the caller prints nothing now). */
  add(d: Diagnostic, rule: string): boolean {
    if (d.code !== 'template') return false;
    const key = formatDiagnostic(d);
    const x = this.seen.get(key) ?? { d, rules: new Set<string>() };
    x.rules.add(rule);
    this.seen.set(key, x);
    return true;
  }

  /** Print each once, with the number of rules it failed on and what became of them (`not written`...). */
  report(io: Out, style: Paint, outcome: string): void {
    for (const { d, rules } of this.seen.values()) {
      const n = rules.size;
      io.err(`${style.red(formatDiagnostic({ ...d, message: `${d.message} (${n} rule${n === 1 ? '' : 's'} affected: ${outcome})` }))}\n`);
    }
  }
}
