/**
 * Issue 11 (performance): work shared between targets and renders gives the same artifacts as doing it afresh.
 * - the KQL query is built once for the kql and sentinel targets and for a render after a proof (which only
 *   adds reasons): each gets its own copy, its reasons under its own target's name.
 */
import { describe, expect, it } from 'vitest';
import { collectRuleFiles } from '../src/cli/files.js';
import { prepare } from '../src/cli/work.js';
import { loadMappings } from '../src/mapping/load.js';
import type { Rule } from '../src/ast/types.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { anchorRe, pyToRe2, type ReOptions } from '../src/targets/common/regex.js';

const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
const rules: [string, Rule][] = [];
for (const f of collectRuleFiles(['rules'], () => '')) {
  const p = prepare(f, {});
  if (p.rule) rules.push([f.rel, p.rule]);
}
// a copy of the rule with no object in common: nothing computed for the original is found for it
const fresh = (r: Rule): Rule => structuredClone(r);
const extra = { code: 'proof-test-disagrees', message: 'a test disagrees (added as a proof would)', file: 'x.py', line: 1 };

describe('the KQL query built once per rule', () => {
  it('covers the sample rules', () => {
    expect(rules.length).toBeGreaterThan(50);
  });

  it.each(rules)('%s: sentinel, then kql, then each again with a reason added, as each rendered afresh', (_, rule) => {
    const sentinel = renderRule(rule, 'sentinel', ctx);
    const kql = renderRule(rule, 'kql', ctx);
    // the outputs handed out are the callers' own: changing one changes no later render
    sentinel.reasons.push(extra);
    sentinel.diagnostics.push({ severity: 'warning', code: 'x', message: 'x' });
    expect(kql).toEqual(renderRule(fresh(rule), 'kql', ctx));
    expect(renderRule(rule, 'sentinel', ctx)).toEqual(renderRule(fresh(rule), 'sentinel', ctx));
    const more = { ...rule, reasons: [...rule.reasons, extra] };
    for (const t of ['kql', 'sentinel']) expect(renderRule(more, t, ctx)).toEqual(renderRule(fresh(more), t, ctx));
  });
});

describe('a pattern translated once per set of options', () => {
  const patterns = ['^a.b$', '(?i)admin', 'x\\d+', 'a|b$', '[', '(?x) a'];
  const options: (string | ReOptions)[] = ['', '/', { engine: 'pcre' }, { engine: 'portable' }, { ci: true }, { dotAll: true }, { delims: '"', engine: 're2', ci: true }];
  it('gives each set of options its own translation, the same on every call, and its anchored forms', () => {
    // first each alone (in reverse order), then all again: a translation never depends on what came before
    const alone = new Map<string, unknown>();
    for (const p of [...patterns].reverse())
      for (const o of [...options].reverse()) {
        const r = pyToRe2(p, '', o);
        const engine = typeof o === 'string' ? 're2' : (o.engine ?? 're2');
        alone.set(JSON.stringify([p, o]), { r, anchored: r.ok ? ['match', 'fullmatch'].map((a) => anchorRe(r.re, a as 'match', engine)) : null });
      }
    for (const p of patterns)
      for (const o of options) {
        const r = pyToRe2(p, '', o);
        const engine = typeof o === 'string' ? 're2' : (o.engine ?? 're2');
        expect({ r, anchored: r.ok ? ['match', 'fullmatch'].map((a) => anchorRe(r.re, a as 'match', engine)) : null }, JSON.stringify([p, o])).toEqual(alone.get(JSON.stringify([p, o])));
      }
    expect(pyToRe2('a', '', { ci: true })).not.toEqual(pyToRe2('(?i)a', '', {}));
    expect(pyToRe2('[', '').ok).toBe(false);
  });
});
