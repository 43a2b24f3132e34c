/**
 * Soundness beyond the tests (src/proof/mutants.ts): every artifact of rules/ that its target calls exact decides
 * as the lifted rule does on the rules' test logs with any one key taken away, emptied or its text in another case;
 * and the check finds an artifact
 * that reads a missing field otherwise (the KQL guard `isnotnull(argv) and` that a default `[]` makes wrong).
 */
import { describe, expect, it } from 'vitest';
import { collectRuleFiles } from '../src/cli/files.js';
import { prepare } from '../src/cli/work.js';
import { loadMappings } from '../src/mapping/load.js';
import type { Rule } from '../src/ast/types.js';
import { defaultTemplatesDir, targetNames } from '../src/targets/registry.js';
import { renderProven } from '../src/proof/index.js';
import { checkMutants, keyPaths, MUTANT_KINDS, withoutKey } from '../src/proof/mutants.js';

const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
const rules: [string, Rule][] = [];
for (const f of collectRuleFiles(['rules'], () => '')) {
  const p = prepare(f, {});
  if (p.rule && p.report?.fidelity === 'exact') rules.push([f.rel, p.rule]);
}
const byId = (id: string): Rule => rules.find(([, r]) => r.meta.id === id)![1];

describe('mutants of the test logs', () => {
  it('takes away one key at a time, nested keys too, never Panther’s own p_ keys', () => {
    const log = { a: 1, b: { c: [1, { d: 2 }], e: null }, p_log_type: 'X' };
    expect(keyPaths(log)).toEqual([['a'], ['b'], ['b', 'c'], ['b', 'e']]);
    expect(withoutKey(log, ['b', 'c'])).toEqual({ a: 1, b: { e: null }, p_log_type: 'X' });
    // the log itself is left as it was
    expect(log.b.c).toEqual([1, { d: 2 }]);
  });

  it('every exact artifact of rules/ agrees with the lifted rule on them: a key taken away, emptied, or its text in another case', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const [rel, rule] of rules) {
      for (const t of targetNames.filter((x) => x !== 'ast')) {
        const r = renderProven(rule, t, ctx);
        if (r.output.fidelity !== 'exact') continue;
        const m = checkMutants(r.output, rule, ctx.mapper, { kinds: MUTANT_KINDS });
        if (!m) continue;
        checked += m.decided;
        for (const d of m.disagreements) wrong.push(`${rel} ${d.target}: '${d.test}' ${d.kind} ${d.removed}: Python ${d.python}, artifact ${d.artifact}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(20000);
  });

  it('writes JSON null at a key: Python reads None there, not the default of a get()', () => {
    const rule = byId('Sample.Teleport.SudoCommand');
    const { output } = renderProven(rule, 'kql', ctx);
    const m = checkMutants(output, rule, ctx.mapper, { kinds: ['null'] })!;
    // `"-l" not in None` raises: those mutants are skipped, the others decided alike
    expect(m.skipped).toBeGreaterThan(0);
    expect(m.decided).toBeGreaterThan(0);
    expect(m.disagreements).toEqual([]);
    // not among the kinds run by default: Logs Insights reads a key spelled two ways assuming no JSON null beside
    // the other spelling (what the tests show), and a null mutant of that sample breaks the assumption
    expect(MUTANT_KINDS).not.toContain('null');
    const twice = byId('Sample.Okta.FactorResetAnyCasing');
    const cwl = renderProven(twice, 'cwl', ctx).output;
    expect(cwl.fidelity).toBe('exact');
    expect(checkMutants(cwl, twice, ctx.mapper, { kinds: ['null'] })!.disagreements.map((d) => [d.removed, d.python, d.artifact])).toEqual([['eventType', false, true]]);
  });

  it('finds an artifact that compares text otherwise than Python (case)', () => {
    const rule = byId('Sample.Teleport.SudoCommand');
    const { output } = renderProven(rule, 'kql', ctx);
    const ci = { ...output, text: output.text.replace('where program == "sudo"', 'where program =~ "sudo"') };
    expect(ci.text).not.toBe(output.text);
    const found = checkMutants(ci, rule, ctx.mapper, { kinds: ['case'] })!.disagreements;
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => d.kind === 'case' && d.removed === 'program' && !d.python && d.artifact)).toBe(true);
  });

  it('finds an artifact that reads a missing field otherwise than Python', () => {
    const rule = byId('Sample.Teleport.SudoCommand');
    const { output } = renderProven(rule, 'kql', ctx);
    expect(output.fidelity).toBe('exact');
    expect(checkMutants(output, rule, ctx.mapper)!.disagreements).toEqual([]);
    // the guard an earlier printer wrote: a missing argv (Python: the default [], no "-l" in it) drops the row
    const test = 'not(set_has_element(coalesce(argv, dynamic([])), "-l"))';
    expect(output.text).toContain(test);
    const guarded = { ...output, text: output.text.replace(test, `isnotnull(argv) and ${test}`) };
    expect(guarded.text).not.toBe(output.text);
    const found = checkMutants(guarded, rule, ctx.mapper)!.disagreements;
    expect(found.map((d) => [d.test, d.removed, d.python, d.artifact])).toEqual([
      ['sudo with a command', 'argv', true, false],
      ['sudo -l lists privileges', 'argv', true, false],
      // a log without argv already: taking any other key away leaves it without argv
      ['No argv recorded (the default applies)', 'login', true, false],
      ['An empty argv', 'argv', true, false],
    ]);
  });
});
