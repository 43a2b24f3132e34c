/**
 * Handlebars rendering for the targets. Templates only lay out the view model: they are compiled
 * with `noEscape` (HTML escaping would corrupt queries) and every quoted value in a view model was
 * produced by the target's escaping module.
 *
 * A `--templates DIR` folder replaces the built-in templates file by file: `DIR/<target>/<name>.hbs` when it
 * exists, else the built-in `templates/<target>/<name>.hbs` (a folder may hold one target's templates, or just
 * one file). A template that does not parse, or fails while rendering (`strict`: a name the view model does
 * not have), is an error located in the .hbs file (line:col where Handlebars gives it), not in the rule.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import type { Diagnostic } from '../../diagnostics.js';
import { TranspileError } from '../../diagnostics.js';
import { packagePath } from '../../paths.js';

const hb = Handlebars.create();
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true } as const;
const cache = new Map<string, Handlebars.TemplateDelegate | TranspileError>();

/** The package's own templates/ folder (two levels above src/targets/common or dist/targets/common). */
export function defaultTemplatesDir(): string {
  return packagePath('templates');
}

/** The file a target's template is read from: the folder's own, else the built-in one. */
export function templateFile(templatesDir: string, target: string, name: string): string {
  const own = join(templatesDir, target, `${name}.hbs`);
  // looked up once per file, as its text is read and compiled once (`compiled`)
  let has = owned.get(own);
  if (has === undefined) owned.set(own, (has = existsSync(own)));
  return has ? own : join(defaultTemplatesDir(), target, `${name}.hbs`);
}
const owned = new Map<string, boolean>();

export function renderTemplate(templatesDir: string, target: string, name: string, view: unknown): string {
  const file = templateFile(templatesDir, target, name);
  const t = compiled(file);
  if (t instanceof TranspileError) throw t;
  try {
    return t(view);
  } catch (e) {
    throw templateError(file, e);
  }
}

/** A template parsed and compiled once (or the error that stops it, also kept). */
function compiled(file: string): Handlebars.TemplateDelegate | TranspileError {
  let t = cache.get(file);
  if (t) return t;
  try {
    const source = readFileSync(file, 'utf8');
    const spec = precompiledSpec(file, source);
    if (spec) t = hb.template(spec);
    else {
      // parse (and precompile) now: Handlebars would otherwise compile lazily, at the first rule rendered
      hb.precompile(source, TEMPLATE_OPTIONS);
      t = hb.compile(source, TEMPLATE_OPTIONS);
    }
  } catch (e) {
    t = templateError(file, e);
  }
  cache.set(file, t);
  return t;
}

/**
 * The package's own templates as `npm run build` compiled them (`scripts/bundle.mjs`): one JSON per target under
 * `dist/templates/`, for each built-in .hbs its text and `Handlebars.precompile(text, TEMPLATE_OPTIONS)`. A run
 * takes the precompiled template (Handlebars' documented runtime path, `Handlebars.template(spec)`) when the .hbs
 * is still that text, which saves Handlebars' parser and compiler (a tenth of a single rule's time); any other
 * file (a `--templates` folder's, an edited one) is compiled as before.
 */
export function precompiledTemplatesFile(target: string): string {
  return packagePath('dist', 'templates', `${target}.json`);
}

const precompiledTargets = new Map<string, Record<string, { source: string; spec: string }> | undefined>();

function precompiledSpec(file: string, source: string): Parameters<typeof Handlebars.template>[0] | undefined {
  const folder = dirname(file);
  if (dirname(folder) !== defaultTemplatesDir()) return undefined;
  const target = folder.slice(dirname(folder).length + 1);
  let specs = precompiledTargets.get(target);
  if (!precompiledTargets.has(target)) {
    try {
      specs = JSON.parse(readFileSync(precompiledTemplatesFile(target), 'utf8')) as Record<string, { source: string; spec: string }>;
    } catch {
      specs = undefined;
    }
    precompiledTargets.set(target, specs);
  }
  const own = specs && Object.hasOwn(specs, file.slice(folder.length + 1)) ? specs[file.slice(folder.length + 1)] : undefined;
  if (!own || own.source !== source) return undefined;
  // the precompiled text is a JavaScript object literal (what Handlebars.precompile returns, written at build time)
  return new Function(`return ${own.spec};`)() as Parameters<typeof Handlebars.template>[0];
}

/** The templates a target renders with (Sentinel's query text is KQL's). */
const FOLDERS: Record<string, string[]> = { sentinel: ['sentinel', 'kql'] };

/**
 * The templates `targets` would render with that do not parse or compile, each once: checked before a batch
 * starts, so a broken template stops it before any output is written.
 */
export function brokenTemplates(templatesDir: string, targets: readonly string[]): Diagnostic[] {
  const files = new Set<string>();
  for (const t of targets) {
    for (const folder of FOLDERS[t] ?? [t]) {
      const builtIn = join(defaultTemplatesDir(), folder);
      if (!existsSync(builtIn)) continue;
      for (const f of readdirSync(builtIn).sort()) if (f.endsWith('.hbs')) files.add(templateFile(templatesDir, folder, f.slice(0, -4)));
    }
  }
  const out: Diagnostic[] = [];
  for (const f of files) {
    const t = compiled(f);
    if (t instanceof TranspileError) out.push(t.diag);
  }
  return out;
}

/** A Handlebars error as a diagnostic on the template file, at the position Handlebars gives. */
function templateError(file: string, e: unknown): TranspileError {
  const err = e as { message?: string; lineNumber?: number; column?: number; code?: string };
  let message = String(err.message ?? e);
  let at: { line?: number; col?: number } = {};
  if (typeof err.lineNumber === 'number') {
    // Handlebars.Exception: 1-based line, 0-based column, repeated at the end of the message
    at = { line: err.lineNumber, ...(typeof err.column === 'number' ? { col: err.column + 1 } : {}) };
    message = message.replace(/ - \d+:\d+$/, '').replace(/ not defined in .*$/, ' is not a name the target passes to this template');
  } else if (/^(Parse|Lexical) error on line \d+/.test(message)) {
    // the parser's error: its lexer holds the offending token (1-based line, 0-based column)
    const loc = (hb as unknown as { Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser?.lexer?.yylloc;
    const line = Number(/on line (\d+)/.exec(message)?.[1]);
    at = loc && loc.first_line === line ? { line, col: loc.first_column + 1 } : { line };
    const lines = message.split('\n');
    const expecting = lines.find((l) => l.startsWith('Expecting '));
    message = `${(lines[0] as string).replace(/ on line \d+[:.]?$/, '').replace(/ on line \d+\./, '.')}${expecting ? `: ${expecting}` : ''}`;
  } else if (err.code === 'ENOENT') message = 'no such template file (and no built-in one)';
  return new TranspileError({
    severity: 'error',
    code: 'template',
    message,
    file,
    ...at,
    hint: 'fix the .hbs file (Handlebars syntax; names the target passes to it: see the built-in templates/)',
  });
}
