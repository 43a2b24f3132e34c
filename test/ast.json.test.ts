/**
 * Issue 11 (performance): the `ast` target writes a node the lift shares once (ast/json.ts sharedJson), as a JSON
 * Reference to the place it was first written, so the file grows with the nodes, not with the paths to them.
 */
import { describe, expect, it } from 'vitest';
import { MIN_SHARED, resolveShared, sharedJson } from '../src/ast/json.js';
import { collectRuleFiles } from '../src/cli/files.js';
import { astOutput, prepare } from '../src/cli/work.js';
import { splitExclusions } from '../src/ast/view.js';

/** A list of `n` distinct JSON values (the list itself counted): n - 1 numbers. */
const list = (n: number): number[] => Array.from({ length: n - 1 }, (_, i) => i);

describe('sharedJson', () => {
  it('writes a document without a shared value exactly as JSON.stringify does', () => {
    const doc = { a: [1, 'x', null, { b: true }], c: { d: { e: 'f' } }, skipped: undefined, n: 0 };
    expect(sharedJson(doc)).toBe(JSON.stringify(doc, null, 2));
    // the same value written twice as two objects is not shared (identity, not equality)
    const twice = { x: { v: list(MIN_SHARED) }, y: { v: list(MIN_SHARED) } };
    expect(sharedJson(twice)).toBe(JSON.stringify(twice, null, 2));
  });

  it('writes a large value reached twice once, and a JSON Reference to its first place at the other', () => {
    const big = { k: 'and', args: list(MIN_SHARED) };
    const doc = { condition: { k: 'or', args: [big, { k: 'not', arg: big }] }, detection: { condition: [big] } };
    const out = JSON.parse(sharedJson(doc));
    expect(out.condition.args[0]).toEqual(big);
    expect(out.condition.args[1]).toEqual({ k: 'not', arg: { $ref: '#/condition/args/0' } });
    expect(out.detection.condition).toEqual([{ $ref: '#/condition/args/0' }]);
    expect(resolveShared(out)).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('writes a small value reached twice where it occurs', () => {
    const small = { k: 'lit', v: list(MIN_SHARED - 4) }; // MIN_SHARED - 2 values
    const doc = { a: small, b: small };
    expect(sharedJson(doc)).toBe(JSON.stringify(doc, null, 2));
  });

  it('escapes keys in a reference as JSON Pointer does (~0, ~1)', () => {
    const big = list(MIN_SHARED);
    const doc = { 'a/b~c': { x: big }, y: big };
    const out = JSON.parse(sharedJson(doc));
    expect(out.y).toEqual({ $ref: '#/a~1b~0c/x' });
    expect(resolveShared(out)).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('keeps a graph linear: 40 levels each reading the one below twice', () => {
    let node: unknown = { k: 'lit', v: list(MIN_SHARED) };
    for (let i = 0; i < 40; i++) node = { k: 'and', args: [node, { k: 'not', arg: node }] };
    const text = sharedJson({ condition: node });
    // written as a tree it has 2^40 leaves; here each level once, and a reference (whose pointer grows with the depth)
    expect(text.length).toBeLessThan(100_000);
    const out = JSON.parse(text) as { condition: { args: [unknown, { arg: unknown }] } };
    expect(out.condition.args[1].arg).toEqual({ $ref: '#/condition/args/0' });
  });
});

describe('the ast target of the sample rules', () => {
  const files = collectRuleFiles(['rules'], () => '');
  it.each(files.map((f) => [f.rel, f] as const))('%s: read back with its references resolved, the rule as JSON.stringify writes it', (_, f) => {
    const p = prepare(f, {});
    if (!p.rule) return;
    const text = astOutput(p.rule, p.report).text;
    const { condition, exclusions } = splitExclusions(p.rule.condition);
    const plain = JSON.parse(JSON.stringify({ ...p.rule, fidelity: p.report?.fidelity, detection: { condition, exclusions } }));
    expect(resolveShared(JSON.parse(text))).toEqual(plain);
  });
});
