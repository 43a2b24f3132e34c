import { describe, expect, it } from 'vitest';
import { TestEvidence, truthKind } from '../src/targets/common/evidence.js';
import { printOut, text, type Out } from '../src/targets/common/out.js';
import type { RuleTest } from '../src/ast/types.js';

const tests = (...logs: unknown[]): RuleTest[] => logs.map((log, i) => ({ name: `t${i}`, expected: true, log: log as RuleTest['log'] }));

describe('TestEvidence', () => {
  it('collects the JSON types at a path, reading keys as Panther does (exact, then ignoring case)', () => {
    const ev = new TestEvidence(tests({ readOnly: false }, { ReadOnly: true }, { other: 1 }, { readOnly: null }));
    expect([...ev.types(['readOnly'])].sort()).toEqual(['boolean', 'null']);
    expect([...ev.types(['missing'])]).toEqual([]);
  });

  it('reads list elements by index and element-wise for key steps', () => {
    const ev = new TestEvidence(tests({ a: [{ b: 'x' }, { b: 2 }] }));
    expect([...ev.types(['a', 0, 'b'])]).toEqual(['string']);
    expect([...ev.types(['a', 'b'])].sort()).toEqual(['number', 'string']);
    expect([...ev.types(['a'])]).toEqual(['list']);
  });

  it('gives a key the one casing the tests hold when no test holds the rule spelling', () => {
    const ev = new TestEvidence(tests({ additionalEventData: { MFAUsed: 'No' } }, { additionalEventData: { MFAUsed: 'Yes' } }));
    expect(ev.casing(['additionalEventData', 'mfaUsed'])).toEqual(['additionalEventData', 'MFAUsed']);
    expect(ev.casing(['AdditionalEventData', 'mfaused'])).toEqual(['additionalEventData', 'MFAUsed']);
  });

  it('keeps the rule spelling when a test holds it exactly, or when the tests disagree on the casing', () => {
    expect(new TestEvidence(tests({ enabled: 1 }, { Enabled: 2 })).casing(['enabled'])).toEqual(['enabled']);
    expect(new TestEvidence(tests({ Enabled: 1 }, { ENABLED: 2 })).casing(['enabled'])).toEqual(['enabled']);
    expect(new TestEvidence(tests({})).casing(['enabled', 0, 'x'])).toEqual(['enabled', 0, 'x']);
  });
});

describe('truthKind', () => {
  it('prefers the mapped type, else what the tests show (null aside)', () => {
    expect(truthKind('string', new Set(['boolean']))).toBe('string');
    expect(truthKind('boolean', new Set())).toBe('boolean');
    expect(truthKind('number', new Set(['string']))).toBe('mixed');
    expect(truthKind(undefined, new Set(['string', 'null']))).toBe('string');
    expect(truthKind(undefined, new Set(['boolean']))).toBe('boolean');
    expect(truthKind(undefined, new Set(['number']))).toBe('mixed');
    expect(truthKind(undefined, new Set(['string', 'list']))).toBe('mixed');
    expect(truthKind(undefined, new Set(['null']))).toBe('unknown');
    expect(truthKind(undefined, new Set())).toBe('unknown');
  });
});

describe('printOut', () => {
  const syn = { and: ' and ', or: ' or ', true: 'T', false: 'F' };
  const mixed: Out = { k: 'or', args: [{ k: 'and', args: [text('a'), text('b')] }, { k: 'and', args: [text('c'), { k: 'or', args: [text('d'), text('e')] }] }] };
  it('parenthesises an or inside an and (documented precedence)', () => {
    expect(printOut(mixed, syn)).toBe('a and b or c and (d or e)');
  });
  it('parenthesises every nested connective where the precedence is not documented', () => {
    expect(printOut(mixed, { ...syn, parenthesiseAll: true })).toBe('(a and b) or (c and (d or e))');
    expect(printOut({ k: 'and', args: [text('a'), text('b')] }, { ...syn, parenthesiseAll: true })).toBe('a and b');
  });
});
