/**
 * Canonical form: a rule's Python rewritten by semantics-preserving edits (scripts/rewrite-equivalent.mjs:
 * reordered and/or operands and if branches, renamed locals, `x != y` as `not x == y`) renders the same
 * query text on every target, metadata aside.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the scripts folder
import { queryText, rewritePython, rewriteTree } from '../scripts/rewrite-equivalent.mjs';
import { collectRuleFiles } from '../src/cli/files.js';
import { prepare } from '../src/cli/work.js';
import { loadMappings } from '../src/mapping/load.js';
import { defaultTemplatesDir, renderRule, targetNames } from '../src/targets/registry.js';

describe('the rewriter (on the lezer parse tree)', () => {
  it('reorders independent operands where only truth counts, renames locals, writes != as not ==', () => {
    const src = [
      'def rule(event):',
      '    name = event.get("eventName")',
      '    if name != "a" and event.get("x") == 1:',
      '        return True',
      '    return name == "b"',
      '',
    ].join('\n');
    const r = rewritePython(src) as { text: string; edits: Record<string, number> };
    expect(r.text).toBe(
      ['def rule(event_r):', '    name_r = event_r.get("eventName")', '    if event_r.get("x") == 1 and (not name_r == "a"):', '        return True', '    return name_r == "b"', ''].join('\n'),
    );
    expect(r.edits).toMatchObject({ reorder: 1, ne: 1 });
  });

  it('keeps a guard before what it guards, and a value context as it is', () => {
    const src = 'def rule(event):\n    x = event.get("a")\n    y = event.get("b") or event.get("c")\n    if x and x.get("k") == 1:\n        return y\n    return False\n';
    const out = (rewritePython(src) as { text: string }).text;
    expect(out).toContain('if x_r and x_r.get("k") == 1:');
    expect(out).toContain('y_r = event_r.get("b") or event_r.get("c")');
  });

  it('re-associates a chain with Python\'s precedence (lezer nests `a and not b or c` as `a and not (b or c)`)', () => {
    const out = (rewritePython('def f(e):\n    if e.get("a") == 1 and not e.get("b") == 2 or e.get("c") == 3:\n        return 1\n') as { text: string }).text;
    // (operands naming the same local `e` keep their order)
    expect(out).toContain('if (e.get("a") == 1 and (not e.get("b") == 2)) or e.get("c") == 3:');
  });

  it('reverses an elif chain over distinct constants, and swaps guard clauses with the same result', () => {
    const src = 'def rule(event):\n    x = event.get("a")\n    if x == "p":\n        return True\n    elif x == "q":\n        return False\n    if event.get("b"):\n        return False\n    if event.get("c"):\n        return False\n    return True\n';
    const out = (rewritePython(src) as { text: string }).text;
    expect(out).toContain('    if x_r == "q":\n        return False\n    elif x_r == "p":\n        return True\n');
    expect(out).toContain('    if event_r.get("c"):\n        return False\n    if event_r.get("b"):\n        return False\n');
  });
});

describe('every sample rule renders the same query text after the rewrite', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-rewrite-'));
  const { dir, stats } = rewriteTree('rules', tmp) as { dir: string; stats: { files: number; rewritten: number } };
  const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
  const render = (root: string): Map<string, Record<string, string>> => {
    const out = new Map<string, Record<string, string>>();
    for (const f of collectRuleFiles([root], () => '')) {
      if (f.path.includes('::')) continue;
      const p = prepare(f, {});
      if (!p.rule) continue;
      out.set(f.rel, Object.fromEntries(targetNames.map((t) => [t, queryText(t, renderRule(p.rule!, t, ctx).text) as string])));
    }
    return out;
  };
  const before = render('rules');
  const after = render(dir);

  it('rewrites every rule module', () => {
    expect(stats.rewritten).toBe(stats.files);
    expect(before.size).toBeGreaterThan(30);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  });

  it.each([...before.keys()])('%s', (rel) => {
    expect(after.get(rel)).toEqual(before.get(rel));
  });
});
