/** Finding rule files: explicit files, folders walked recursively, or `-` for stdin. */
import fs from 'node:fs';
import path from 'node:path';
import { CLASS_SEP, pyRuleClassesOf } from '../panther/pypanther.js';

export interface RuleFile {
  /** Path as the user will recognise it (relative to the working directory when possible). */
  path: string;
  /** Path mirrored under --out, without extension: relative to the folder argument, or the file's name. */
  rel: string;
  /** The YAML text when the rule came from stdin. */
  stdinText?: string;
  /** The tree being translated: the folder argument, or the rule's own folder for a file argument. */
  root?: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'global_helpers', 'data_models', 'lookup_tables', 'packs', 'policies', 'queries', 'correlation_rules']);

function isRuleYaml(file: string): boolean {
  // cheap pre-filter before the real load: rule files say so in their first lines
  const head = fs.readFileSync(file, 'utf8').slice(0, 4096);
  return /^AnalysisType:\s*['"]?(rule|scheduled_rule|correlation_rule)['"]?\s*$/m.test(head) || !/^AnalysisType:/m.test(head) && /^(RuleID|Detection):/m.test(head);
}

function walk(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(p, out);
    } else if (e.isFile() && ((/\.ya?ml$/i.test(e.name) && isRuleYaml(p)) || /\.py$/.test(e.name))) out.push(p); // never a FIFO or device: reading it would hang
  }
}

/** A readable path: relative to the working directory when under it, else as given. */
function display(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

export function collectRuleFiles(args: string[], readStdin: () => string): RuleFile[] {
  const out: RuleFile[] = [];
  const seen = new Set<string>();
  for (const a of args) {
    if (a === '-') {
      out.push({ path: '<stdin>', rel: 'stdin', stdinText: readStdin(), root: process.cwd() });
      continue;
    }
    if (!fs.existsSync(a) && a.includes(`.py${CLASS_SEP}`) && fs.existsSync(a.split(CLASS_SEP)[0] as string)) {
      // one class of a pypanther module: x.py::Class
      const [f, cls] = a.split(CLASS_SEP) as [string, string];
      out.push({ path: `${display(f)}${CLASS_SEP}${cls}`, rel: `${path.basename(f, '.py')}.${cls}`, root: path.dirname(f) });
      continue;
    }
    if (!fs.existsSync(a)) {
      // reported per rule so that a batch goes on
      out.push({ path: a, rel: path.basename(a).replace(/\.ya?ml$/i, '') });
      continue;
    }
    if (fs.statSync(a).isDirectory()) {
      const found: string[] = [];
      walk(a, found);
      for (const f of found) {
        const abs = path.resolve(f);
        if (seen.has(abs)) continue;
        seen.add(abs);
        if (f.endsWith('.py')) out.push(...pyRules(f, a, path.relative(a, f)));
        else out.push({ path: display(f), rel: path.relative(a, f).replace(/\.ya?ml$/i, ''), root: a });
      }
    } else {
      const abs = path.resolve(a);
      if (seen.has(abs)) continue;
      seen.add(abs);
      if (a.endsWith('.py')) out.push(...pyRules(a, path.dirname(a), path.basename(a), true));
      else out.push({ path: display(a), rel: path.basename(a).replace(/\.ya?ml$/i, ''), root: path.dirname(a) });
    }
  }
  return out;
}

/**
 * The rules of a pypanther module (src/panther/pypanther.ts): one per rule class, named `x.py::Class`
 * when the module holds several. A module given by name that holds none is still loaded (and says so).
 */
function pyRules(f: string, root: string, rel: string, named = false): RuleFile[] {
  const classes = pyRuleClassesOf(f, root);
  const base = rel.replace(/\.py$/, '');
  if (classes.length === 0) return named ? [{ path: display(f), rel: base, root }] : [];
  if (classes.length === 1) return [{ path: display(f), rel: base, root }];
  return classes.map((c) => ({ path: `${display(f)}${CLASS_SEP}${c}`, rel: `${base}.${c}`, root }));
}
