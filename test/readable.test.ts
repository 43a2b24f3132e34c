/**
 * Issue 14, readable queries: no Sigma or YARA-L query writes the same test twice, and YARA-L queries
 * say no more than they need to. Each mechanism is checked on its own and read back by the target's
 * evaluator.
 */
import { describe, expect, it } from 'vitest';
import { layout, type SCond } from '../src/targets/sigma/printer.js';

const sel = (items: [string, string[]][], hint = items.map(([k]) => k.split('|')[0]).join('+')): SCond => ({ k: 'sel', sel: { kind: 'map', items: items.map(([key, values]) => ({ key, values })) }, hint });
const empty = (f: string): SCond => ({ k: 'sel', sel: { kind: 'list', maps: [[{ key: f, values: ['null'] }], [{ key: f, values: ["''"] }]] }, hint: `${f}_empty` });
const not = (arg: SCond): SCond => ({ k: 'not', arg });
const and = (...args: SCond[]): SCond => ({ k: 'and', args });
const or = (...args: SCond[]): SCond => ({ k: 'or', args });

/** Every item of every selection, as `key: values`. */
const items = (d: ReturnType<typeof layout>): string[] => d.blocks.flatMap((b) => b.lines.filter((l) => !/^\s*- (?![^:]+: )/.test(l) || /^- \S+: /.test(l)).map((l) => l.replace(/^- /, '').trim()));

describe('Sigma: every selection and every item written once', () => {
  it('the same selection in several places of the condition is one search identifier, named again', () => {
    const d = layout(and(sel([['a|cased', ['x']]]), or(and(empty('b'), sel([['c', ['1']]])), and(not(empty('b')), sel([['d', ['2']]])))));
    expect(d.blocks.map((b) => b.name)).toEqual(['selection_a', 'selection_b_empty', 'selection_c', 'selection_d']);
    expect(d.condition).toBe('selection_a and (selection_b_empty and selection_c or not selection_b_empty and selection_d)');
  });

  it('named once, a selection and its negation are complements: what the context decides is left out', () => {
    // not B or (C and B) is not B or C; E and (not F or F) is E
    expect(layout(and(sel([['a|cased', ['x']]]), or(not(empty('b')), and(sel([['c', ['1']]]), empty('b'))))).condition).toBe('selection_a and (not filter_b_empty or selection_c)');
    const d = layout(and(sel([['e', ['1']]]), or(not(empty('f')), empty('f'))));
    expect(d.condition).toBe('selection_e');
    expect(d.blocks.map((b) => b.name)).toEqual(['selection_e']);
    // a condition decided whole stays as written (Sigma has no `true`)
    expect(layout(or(not(empty('f')), empty('f'))).condition).toBe('not filter_f_empty or filter_f_empty');
  });

  it('an item two selections hold becomes its own selection, which each of them names', () => {
    // {endpoint, user} next to {endpoint}: endpoint is written once
    const ep: [string, string[]] = ['requestParams.endpoint|cased', ['p', 'r']];
    const d = layout(or(and(sel([ep]), not(sel([['a', ['1']]]))), and(sel([ep, ['requestParams.user|contains', ['admin']]]), sel([['b', ['2']]]))));
    expect(d.condition).toBe('selection_endpoint and not filter_a or selection_endpoint and selection_user_b');
    const all = items(d);
    expect(new Set(all).size).toBe(all.length);
  });

  it('a list selection holding a shared item: its maps read as an or', () => {
    // `x: null` is both the missing-guard of a test and half of the empty test of x
    const d = layout(and(or(sel([['x', ['null']]], 'x_missing'), sel([['x|contains|cased', ['a']]])), not(empty('x'))));
    // not [{x: null}, {x: ''}] reads `not x_missing and not x_blank`, and x_missing is then decided
    expect(d.condition).toBe('selection_x and not filter_x_missing and not filter_x_blank');
    expect(d.blocks.find((b) => b.name === 'filter_x_blank')?.lines).toEqual(["x: ''"]);
    const all = items(d);
    expect(new Set(all).size).toBe(all.length);
  });

  it('nothing shared: the layout is as before (merged maps, value lists)', () => {
    const d = layout(and(sel([['a|cased', ['x']]]), sel([['b|cased', ['y']]]), or(sel([['c|cased', ['1']]]), sel([['c|cased', ['2']]]))));
    expect(d.condition).toBe('selection_a_b_c');
    expect(d.blocks[0]!.lines).toEqual(['a|cased: x', 'b|cased: y', 'c|cased:', '  - 1', '  - 2']);
  });
});
