/**
 * Sigma: a condition that folds to a constant is stated with one presence test `s` as `s or not s` (every
 * event of the logsource) or `s and not s` (none), exact and proven by the Sigma evaluator; a constant that
 * stands for a replaced piece keeps that piece's reason (a superset), never a placeholder, and is warned about
 * (matches-every-event), as every target warns about a query left matching every event of its log type.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { compileSigma } from '../src/proof/sigma/index.js';
import { renderProved } from './support.js';

const ev: Val = { k: 'event' };
const lit = (v: Json): Val => ({ k: 'lit', v });
const eventName: Val = { k: 'get', obj: ev, key: 'eventName' };
const codes = (out: { reasons: { code: string }[] }) => out.reasons.map((r) => r.code);
const detection = (text: string) => text.slice(text.indexOf('detection:'), text.indexOf('\nlevel:'));

const logs: Json[] = [{ eventName: 'A' }, { eventName: 'B', userIdentity: { type: 'Root' } }, {}, { eventName: ['A'] }, { eventName: null }];

describe('Sigma: a constant condition', () => {
  it('false: `s and not s`, exact, and no event matches', () => {
    const never: Pred = { k: 'and', args: [{ k: 'cmp', op: 'eq', left: eventName, right: lit('A') }, { k: 'cmp', op: 'eq', left: eventName, right: lit('B') }] };
    const { out, report, tests } = renderProved('sigma', 'T.Never', never, logs);
    expect(tests.every(([, py]) => py === false)).toBe(true);
    expect(out.fidelity).toBe('exact');
    expect(out.reasons).toEqual([]);
    expect(detection(out.text)).toMatch(/selection:\n\s+panther_rule_id\|exists: true\n\s+condition: 'selection and not selection'/);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: logs.length });
  });

  it('true: `s or not s`, exact, and every event matches', () => {
    const always: Pred = { k: 'or', args: [{ k: 'cmp', op: 'eq', left: eventName, right: lit('A') }, { k: 'not', arg: { k: 'cmp', op: 'eq', left: eventName, right: lit('A') } }] };
    const { out, report, tests } = renderProved('sigma', 'T.Always', always, logs);
    expect(tests.every(([, py]) => py === true)).toBe(true);
    expect(out.fidelity).toBe('exact');
    expect(out.reasons).toEqual([]);
    expect(detection(out.text)).toContain("condition: 'selection or not selection'");
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: logs.length });
  });

  it('a constant standing for a replaced piece is its superset with that reason, not a placeholder', () => {
    // len(eventName) of a field the tests hold as a list too: a computed value Sigma declares
    const opaque: Pred = { k: 'cmp', op: 'gt', left: { k: 'fn', fn: 'len', args: [eventName] }, right: lit(0) };
    const { out } = renderProved('sigma', 'T.Superset', opaque, [{ eventName: 'A' }, { eventName: ['A', 'B'] }, { eventName: [] }]);
    expect(codes(out)).toContain('target-computed-value');
    expect(codes(out)).not.toContain('unsupported-constant-condition');
    expect(out.fidelity).toBe('approximate');
    expect(detection(out.text)).toContain("condition: 'selection or not selection'");
    // said plainly, in the rule's description and as a warning the batch summarises
    expect(out.text).toContain('This rule matches every event of its log source');
    expect(out.diagnostics.map((d) => d.code)).toContain('matches-every-event');
  });

  it('an exact `true` (the rule\'s own condition) carries no such warning', () => {
    const always: Pred = { k: 'or', args: [{ k: 'cmp', op: 'eq', left: eventName, right: lit('A') }, { k: 'not', arg: { k: 'cmp', op: 'eq', left: eventName, right: lit('A') } }] };
    const { out } = renderProved('sigma', 'T.Always', always, logs);
    expect(out.diagnostics.map((d) => d.code)).not.toContain('matches-every-event');
    expect(out.text).not.toContain('matches every event of its log source');
  });

  it('the evaluator reads `s or not s` as true and `s and not s` as false on events with and without the field', () => {
    const rule = (cond: string) => `title: t\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    selection:\n        eventName|exists: true\n    condition: ${cond}\n`;
    const ev = (log: Json) => ({ logType: 'AWS.CloudTrail', log, fields: new Map(Object.entries(log as object).map(([k, v]) => [k, [{ path: [k], value: v as Json }]])) });
    for (const log of [{ eventName: 'A' }, { eventName: null }, {}]) {
      expect(compileSigma(rule('selection or not selection')).matches(ev(log))).toBe(true);
      expect(compileSigma(rule('selection and not selection')).matches(ev(log))).toBe(false);
    }
  });
});

describe('every target: a query that matches every event of its log type is warned about', () => {
  // a computed value no target writes (md5 of a field): its test is replaced by its superset, true
  const opaque: Pred = { k: 'cmp', op: 'eq', left: { k: 'fn', fn: 'md5', args: [eventName] }, right: lit('0cc175b9c0f1b6a831c399e269772661') };
  it.each(['sigma', 'kql', 'sentinel', 'yaral', 'cwl'])('%s: the warning matches-every-event, beside the superset reason', (target) => {
    const { out } = renderProved(target, 'T.Opaque', opaque, [{ eventName: 'a' }, { eventName: 'b' }]);
    expect(out.fidelity).not.toBe('exact');
    expect(out.diagnostics.map((d) => d.code)).toContain('matches-every-event');
  });
  it.each(['sigma', 'kql', 'sentinel', 'yaral', 'cwl'])('%s: not where the query still filters', (target) => {
    const p: Pred = { k: 'and', args: [opaque, { k: 'cmp', op: 'eq', left: eventName, right: lit('a') }] };
    const { out } = renderProved(target, 'T.Opaque', p, [{ eventName: 'a' }, { eventName: 'b' }]);
    expect(out.diagnostics.map((d) => d.code)).not.toContain('matches-every-event');
  });
});
