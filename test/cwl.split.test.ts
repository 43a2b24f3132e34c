/**
 * Logs Insights: tests on the pieces of `x.split(d)` (and their number) written as regexes on `x`
 * (src/targets/common/split.ts), read back by the evaluator and run against Python's own evaluation.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, Val } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { countOf, getField, lit, pieceOf, randomSplitTests, decidedOver, ruleWithTests, splitOf, testsByPython } from './support.js';

const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };
const rule = (condition: Pred, logs: [Json, boolean][]): Rule => ruleWithTests('T.Split', condition, logs);
const get = getField;
const split = splitOf;
const piece = pieceOf;
const count = countOf;

/** Render, then read back on the logs Python decides, expecting its answer: every test agrees or is not evaluable. */
function agrees(cond: Pred, values: (string | null)[], field = 'userName') {
  const logs = testsByPython(
    cond,
    values.map((v) => (v === null ? {} : { [field]: v })),
  );
  const r = rule(cond, logs);
  const out = renderRule(r, 'cwl', ctx);
  const report = proveOutput(out, r, mapper)!;
  return { out, report };
}

describe('pieces of a split as regexes', () => {
  it('"cl" in x.split(" "): a piece equal to the text (a word, not a substring); under lower(); negated; with the default', () => {
    const words = ['wevtutil cl Security', 'cl', 'x cl', 'clx cl2', 'xcl y', '', 'a  b', 'cl\n', 'a cl\nb'];
    const member = (v: Val, pattern: string): Pred => ({ k: 'match', kind: 'contains', value: v, pattern });
    for (const p of [member(split(get('userName', ''), ' '), 'cl'), member(split(get('userName'), ' ', true), 'cl'), member(split(get('userName', ''), ' '), '')]) {
      for (const neg of [false, true]) {
        const cond: Pred = neg ? { k: 'not', arg: p } : p;
        const { out, report } = agrees(cond, [...words, null]);
        expect(out.reasons, JSON.stringify(cond)).toEqual([]);
        expect(report.tests, JSON.stringify(cond)).toMatchObject({ failed: 0, notEvaluable: 0 });
      }
    }
    expect(agrees(member(split(get('userName'), ' '), 'cl'), words).out.text).toContain('userName =~ /(?:^| )cl /');
    // a text holding the separator is no piece: never a member
    expect(agrees(member(split(get('userName'), ' '), 'a b'), words).out.text).not.toContain('userName =~');
  });

  it('x.split("@")[1] == "corp.com", [-1] in [...] and the number of pieces', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: piece(get('userName'), '@', 1), right: lit('corp.com') };
    const { out, report } = agrees(eq, ['a@corp.com', 'a@corp.com@x', 'a@corp.comx', 'a@x@corp.com', 'corp.com', 'a@corp.com\n']);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('userName =~ /^(?:[^@]*@)corp\\.com@/ or');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });

    const last: Pred = { k: 'in', value: piece(get('userName', ''), '@', -1), list: ['corp.com', 'corp.io'] };
    const r2 = agrees(last, ['a@corp.com', 'corp.io', 'a@corp.io@x', 'a@b@corp.io', 'a@xcorp.io', null]);
    expect(r2.out.reasons).toEqual([]);
    expect(r2.report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });

    for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
      const n: Pred = { k: 'cmp', op, left: count(get('userName'), '/'), right: lit(3) };
      const r = agrees(n, ['a', 'a/b', 'a/b/c', '/b/', 'a/b/c/d', '//', '///x']);
      expect(r.out.reasons, op).toEqual([]);
      expect(r.report.tests, op).toMatchObject({ failed: 0, notEvaluable: 0 });
    }
  });

  it('lower(x).split("\\\\")[-1] in [...]: a case-insensitive test on the last piece; a literal that is not lower-case never matches', () => {
    const p: Pred = { k: 'in', value: piece(get('userName'), '\\', -1, true), list: ['xmrig.exe', 'Nope.exe'] };
    const r = agrees(p, ['C:\\Tools\\XMRig.exe', 'xmrig.exe', 'C:\\xmrig.exe\\other', 'C:\\Tools\\nope.exe', 'C:\\Tools\\XMRİg.exe']);
    expect(r.out.reasons).toEqual([]);
    expect(r.out.text).toContain('(?i)');
    expect(r.out.text).not.toMatch(/nope/i);
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('a negated test keeps Python’s answer on a missing field (the default\'s pieces)', () => {
    const ne: Pred = { k: 'not', arg: { k: 'cmp', op: 'eq', left: piece(get('userName', ''), '@', -1), right: lit('corp.com') } };
    const r = agrees(ne, [null, 'a@corp.com', 'a@b.com', 'corp.com', '']);
    expect(r.out.text).toContain('not (ispresent(userName))');
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('what is not a test on one field split on one character stays declared', () => {
    const msg = (p: Pred) =>
      renderRule(rule(p, []), 'cwl', ctx)
        .reasons.map((x) => x.message)
        .join('\n');
    // two fields compared, a letter or several characters as separator, a regex on a piece
    expect(msg({ k: 'cmp', op: 'eq', left: piece(get('a'), '@', 1), right: piece(get('b'), '@', 1) })).toMatch(/a piece of a split on "@"/);
    expect(msg({ k: 'cmp', op: 'eq', left: piece(get('a'), 'x', 1), right: lit('v') })).toMatch(/computed value/);
    expect(msg({ k: 'cmp', op: 'eq', left: piece(get('a'), '/o/', -1), right: lit('v') })).toMatch(/computed value/);
    expect(msg({ k: 'match', kind: 'regex', value: piece(get('a'), '/', 0), pattern: 'v' })).toMatch(/a piece of a split on "\/"/);
  });

  it('x.split("-")[0].strip() == "Text": whitespace around the piece; a contains test on it; no end-anchor reason (the whitespace run takes a final line break)', () => {
    const strip = (v: Val, fn = 'strip'): Val => ({ k: 'fn', fn, args: [v] });
    const values = ['Text', ' Text - x', 'Text\n', '\u3000Text\t-', 'Text x', 'xText', '- Text', 'a-Text', ' \u2028Text\u2028', 'Text\n\n', ''];
    const eq: Pred = { k: 'cmp', op: 'eq', left: strip(piece(get('userName', 'NONE'), '-', 0)), right: lit('Text') };
    const r = agrees(eq, [...values, null]);
    expect(r.out.reasons).toEqual([]);
    expect(r.out.text).toContain('*Text');
    expect(r.report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    for (const p of [
      { k: 'match', kind: 'contains', value: strip(piece(get('userName'), '-', 1)), pattern: 'to Off' },
      { k: 'cmp', op: 'eq', left: strip(piece(get('userName'), '-', -1), 'rstrip'), right: lit(' x') },
      { k: 'match', kind: 'startswith', value: strip(piece(get('userName'), '-', 1), 'lstrip'), pattern: 'On' },
    ] as Pred[]) {
      const q = agrees(p, ['a- On to Off', 'a-On to Off -b', 'On to Off', 'a - x ', 'a- x', 'a-\tOn', '']);
      expect(q.out.reasons, JSON.stringify(p)).toEqual([]);
      expect(q.report.tests, JSON.stringify(p)).toMatchObject({ failed: 0, notEvaluable: 0 });
    }
    // a whitespace separator (the trimmed run would reach the next piece), or a text with whitespace ends under contains: declared
    const msg = (p: Pred) => renderRule(rule(p, []), 'cwl', ctx).reasons.map((x) => x.message).join('\n');
    expect(msg({ k: 'cmp', op: 'eq', left: strip(piece(get('a'), ' ', 0)), right: lit('v') })).toMatch(/a stripped piece of a split on " "/);
    expect(msg({ k: 'match', kind: 'contains', value: strip(piece(get('a'), '-', 0)), pattern: 'v ' })).toMatch(/a stripped piece/);
  });

  it('agrees with Python on random values, tests and stripped pieces', () => {
    const { logs, conds } = randomSplitTests({ member: false, missing: null, strip: true });
    const decided = decidedOver(conds, logs, 300, (cond, values) => {
      const { report } = agrees(cond, values);
      expect(report.tests.failed).toBe(0);
      return report.tests.passed;
    });
    expect(decided).toBeGreaterThan(300);
  });

  it('agrees with Python on random values, tests and sliced pieces (`x.split(d)[i][k:]`)', () => {
    const { logs, conds } = randomSplitTests({ member: false, missing: null, slice: true });
    const decided = decidedOver(conds, logs, 300, (cond, values) => {
      const { report } = agrees(cond, values);
      expect(report.tests.failed).toBe(0);
      return report.tests.passed;
    });
    expect(decided).toBeGreaterThan(300);
  });

  it('agrees with Python on random values, tests and pieces', () => {
    const { logs, conds } = randomSplitTests({ member: false, missing: null });
    // most logs are decided (not refused by the evaluator)
    const decided = decidedOver(conds, logs, 300, (cond, values) => {
      const { report } = agrees(cond, values);
      expect(report.tests.failed).toBe(0);
      return report.tests.passed;
    });
    expect(decided).toBeGreaterThan(400);
  });
});
