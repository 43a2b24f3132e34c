/**
 * Handlebars rendering for the targets. Templates only lay out the view model: they are compiled
 * with `noEscape` (HTML escaping would corrupt queries) and every quoted value in a view model was
 * produced by the target's escaping module.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { packagePath } from '../../paths.js';

const hb = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** The package's own templates/ folder (two levels above src/targets/common or dist/targets/common). */
export function defaultTemplatesDir(): string {
  return packagePath('templates');
}

export function renderTemplate(templatesDir: string, target: string, name: string, view: unknown): string {
  const file = join(templatesDir, target, `${name}.hbs`);
  let t = cache.get(file);
  if (!t) {
    t = hb.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true });
    cache.set(file, t);
  }
  return t(view);
}
