/**
 * KQL reads a quantifier element by the types the rule's tests show for the elements of its list (or a path
 * below them): an element held only as a str is tested as text (`isnotempty(tostring(e))`, `tostring(e)
 * contains_cs s`), not through the query's `truthy()`/`py_contains()` dispatch; a membership test on a field
 * the mapping types as a list is `set_has_element()`. Each query is read back by the KQL evaluator.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { lit, renderProved } from './support.js';

const get = (obj: Val, key: string, def?: Json): Val => ({ k: 'get', obj, key, ...(def !== undefined ? { default: lit(def) } : {}) });
const ev: Val = { k: 'event' };
const elem: Val = { k: 'elem', depth: 0 };

describe('a quantifier element the tests show as a str', () => {
  // any("gs-project-accounts" in m for m in event.get("members", []))
  const members: Pred = { k: 'quant', q: 'any', list: get(ev, 'members', []), pred: { k: 'match', kind: 'contains', value: elem, pattern: 'gs-project-accounts' } };

  it.each(['kql', 'sentinel'])('%s: a substring test of an element held as a str is tostring() contains_cs, proven', (target) => {
    const logs: Json[] = [
      { members: ['serviceAccount:service-1-gs-project-accounts.iam'] },
      { members: ['user:a@example.com', 'serviceAccount:x-gs-project-accounts.iam'] },
      { members: ['user:a@example.com'] },
      { members: [] },
      {},
    ];
    const { out, report } = renderProved(target, 'T.Elem', members, logs, 'Gravitational.TeleportAudit');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('contains_cs "gs-project-accounts"');
    expect(out.text).not.toContain('py_contains');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
  });

  it('an element the tests show as a str and as a list keeps the runtime dispatch', () => {
    const logs: Json[] = [{ members: ['x-gs-project-accounts'] }, { members: [['gs-project-accounts']] }, { members: ['y'] }];
    const { out, report } = renderProved('kql', 'T.Elem', members, logs, 'Gravitational.TeleportAudit');
    expect(out.text).toContain('py_contains(');
    expect(report.tests).toMatchObject({ failed: 0 });
  });

  // any(p.get("Name") == "ForwardTo" and p.get("Value") for p in event.get("params", []))
  const forward: Pred = {
    k: 'quant',
    q: 'any',
    list: get(ev, 'params', []),
    pred: { k: 'and', args: [{ k: 'cmp', op: 'eq', left: get(elem, 'Name'), right: lit('ForwardTo') }, { k: 'truthy', value: get(elem, 'Value') }] },
  };

  it.each(['kql', 'sentinel'])('%s: the truthiness of an element member held as a str is isnotempty(tostring()), proven', (target) => {
    const logs: Json[] = [
      { params: [{ Name: 'ForwardTo', Value: 'a@example.com' }] },
      { params: [{ Name: 'ForwardTo', Value: '' }] },
      { params: [{ Name: 'Other', Value: 'x' }, { Name: 'ForwardTo' }] },
      { params: [] },
    ];
    const { out, report } = renderProved(target, 'T.Elem', forward, logs, 'Gravitational.TeleportAudit');
    expect(out.reasons).toEqual([]);
    expect(out.text).toMatch(/isnotempty\(tostring\(__q1\.Value\)\)/);
    expect(out.text).not.toContain('truthy(');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
  });

  it('a member the tests show as a str and a bool keeps truthy()', () => {
    const logs: Json[] = [{ params: [{ Name: 'ForwardTo', Value: 'a' }] }, { params: [{ Name: 'ForwardTo', Value: false }] }];
    const { out, report } = renderProved('kql', 'T.Elem', forward, logs, 'Gravitational.TeleportAudit');
    expect(out.text).toContain('truthy(__q1.Value)');
    expect(report.tests).toMatchObject({ failed: 0 });
  });
});

describe('membership in a field the mapping types as a list', () => {
  // "10.0.0.1" in event.get("sourceIPs", [])
  const has: Pred = { k: 'match', kind: 'contains', value: get(ev, 'sourceIPs', []), pattern: '10.0.0.1' };

  it.each(['kql', 'sentinel'])('%s: set_has_element() over the list (a missing one the default []), proven', (target) => {
    const logs: Json[] = [{ sourceIPs: ['10.0.0.1'] }, { sourceIPs: ['10.0.0.10', '10.0.0.2'] }, { sourceIPs: [] }, {}];
    const { out, report } = renderProved(target, 'T.Has', has, logs, 'Amazon.EKS.Audit');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('set_has_element(coalesce(SourceIPs, dynamic([])), "10.0.0.1")');
    expect(out.text).not.toContain('py_contains');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
    const negated = renderProved(target, 'T.Has', { k: 'not', arg: has }, logs, 'Amazon.EKS.Audit');
    expect(negated.report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
  });

  it('a field only the tests show as a list keeps py_contains() (the vendor may send a str there)', () => {
    const p: Pred = { k: 'match', kind: 'contains', value: get(get(ev, 'debugContext'), 'behaviors'), pattern: 'New Device=POSITIVE' };
    const logs: Json[] = [{ debugContext: { behaviors: ['New Device=POSITIVE'] } }, { debugContext: { behaviors: ['New IP=POSITIVE'] } }];
    const { out } = renderProved('kql', 'T.Has', p, logs, 'Gravitational.TeleportAudit');
    expect(out.text).toContain('py_contains(');
  });
});
