/**
 * `len(x)` and `int(x)` of a field holding strings, written as regexes on `x` by Sigma and Logs Insights
 * (src/targets/common/textnum.ts), read back by each target's evaluator and run against Python's own
 * evaluation (src/python/semantics.ts `pyInt`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { intPattern } from '../src/targets/common/textnum.js';
import { pyInt, PyError } from '../src/python/semantics.js';
import { getField, lit, renderProved } from './support.js';

const fn = (name: string, ...args: Val[]): Val => ({ k: 'fn', fn: name, args });
const TARGETS = ['sigma', 'cwl'] as const;

/** Render on `target` for logs holding `userName` (undefined: missing), proven against Python. */
const prove = (target: string, cond: Pred, values: (string | undefined)[]) =>
  renderProved(
    target,
    'T.TextNum',
    cond,
    values.map((v): Json => (v === undefined ? {} : { userName: v })),
  );

describe('int(x) of a string field', () => {
  it('the pattern of the texts int() reads as n: sign, leading zeros, underscores, any script\'s digits, int()\'s whitespace', () => {
    // as JavaScript reads it: Python's \d is Unicode's Nd, its \Z the very end
    const re = (ns: number[] | null) => new RegExp(intPattern(ns).replace('\\Z', '(?![\\s\\S])').replace(/\\d/g, '\\p{Nd}'), 'u');
    const texts = ['0', '-0', '+0', '00', '0_0', '0__0', '_0', '0_', ' 0\n', '\u3000٠', '5', '05', '0_5', '+5', '-5', '5.0', '1_0', '10', '١٠', '1 0', '\x1c5', '', ' ', 'a'];
    for (const ns of [[0], [5], [-5], [10], [0, 5], null]) {
      for (const t of texts) {
        let want: boolean;
        try {
          const v = pyInt(t);
          want = ns === null || ns.includes(v);
        } catch (e) {
          if (!(e instanceof PyError)) throw e;
          want = false;
        }
        expect(re(ns).test(t), `${JSON.stringify(ns)} on ${JSON.stringify(t)}`).toBe(want);
      }
    }
  });

  it('int(x) == 0, != 0, in [1, 2] on each target: exact, read back, agreeing with Python', () => {
    const read = fn('int', getField('userName'));
    const values = ['0', '1', ' 2 ', '00', '-0', '1_0', 'x', '٠', '2\n', undefined];
    for (const target of TARGETS) {
      for (const cond of [
        { k: 'cmp', op: 'eq', left: read, right: lit(0) },
        { k: 'cmp', op: 'ne', left: read, right: lit(0) },
        { k: 'in', value: read, list: [1, 2] },
        { k: 'not', arg: { k: 'in', value: read, list: [1, 2] } },
        { k: 'cmp', op: 'eq', left: fn('int', getField('userName', '7')), right: lit(7) },
        // a default int() or len() reads (a number, a list): Python's value where the field is missing, guarded
        { k: 'not', arg: { k: 'cmp', op: 'eq', left: fn('int', getField('userName', 0)), right: lit(5) } },
        { k: 'cmp', op: 'lt', left: fn('len', getField('userName', [])), right: lit(2) },
      ] as Pred[]) {
        const { out, report } = prove(target, cond, values);
        expect(out.reasons, `${target} ${JSON.stringify(cond)}`).toEqual([]);
        expect(report.tests, `${target} ${JSON.stringify(cond)}`).toMatchObject({ failed: 0, notEvaluable: 0 });
      }
      // an ordering comparison, or a field the tests also hold as a number: declared
      expect(prove(target, { k: 'cmp', op: 'gt', left: read, right: lit(3) }, ['1', '5']).out.fidelity).not.toBe('exact');
      expect(renderProved(target, 'T.TextNum', { k: 'cmp', op: 'eq', left: read, right: lit(0) }, [{ userName: '0' }, { userName: 0 }]).out.fidelity).not.toBe('exact');
    }
  });
});

describe('len(x) of a string field', () => {
  it('every comparison with a number on each target, on random strings: exact, read back, agreeing with Python', () => {
    const chars = ['a', 'é', '\n', '😀', ' ', '\u2028'];
    const value = fc.oneof(fc.constant(undefined), fc.array(fc.constantFrom(...chars), { maxLength: 5 }).map((a) => a.join('')));
    const cond = fc
      .record({ op: fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge'), n: fc.integer({ min: 0, max: 4 }), neg: fc.boolean(), dflt: fc.constantFrom(undefined, '', 'abc') })
      .map(({ op, n, neg, dflt }): Pred => {
        const p: Pred = { k: 'cmp', op, left: fn('len', getField('userName', dflt)), right: lit(n) };
        return neg ? { k: 'not', arg: p } : p;
      });
    for (const target of TARGETS) {
      let decided = 0;
      fc.assert(
        fc.property(cond, fc.array(value, { minLength: 1, maxLength: 6 }), (c, values) => {
          // the field holds strings in the tests (a missing one reads the default)
          if (!values.some((v) => v !== undefined)) return;
          const { out, report } = prove(target, c, values);
          // (a test true on every string is a condition Sigma cannot state, declared as such)
          expect(out.reasons.filter((r) => r.code !== 'unsupported-constant-condition'), JSON.stringify(c)).toEqual([]);
          expect(report.tests.failed).toBe(0);
          decided += report.tests.passed;
        }),
        { numRuns: 150, seed: 1213 },
      );
      expect(decided, target).toBeGreaterThan(200);
    }
  });

  it('len() of a field the tests hold as a list stays declared', () => {
    const c: Pred = { k: 'cmp', op: 'gt', left: fn('len', getField('userName')), right: lit(1) };
    for (const target of TARGETS) expect(renderProved(target, 'T.TextNum', c, [{ userName: ['a', 'b'] }, { userName: [] }]).out.fidelity).not.toBe('exact');
  });
});
