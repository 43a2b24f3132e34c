/**
 * The Sigma projection: a Panther test log as the fields a Sigma rule names (src/mapping/project/sigma.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import { projectSigma } from '../src/mapping/project/sigma.js';

const mapper = loadMappings();
const values = (ev: ReturnType<typeof projectSigma>, name: string) => ev.fields.get(name)?.map((e) => e.value);

describe('projectSigma', () => {
  it('names every path of the log by its dotted raw name (log type without a mapping file)', () => {
    const ev = projectSigma({ a: { b: 'x', c: { d: 1 } }, e: true }, 'Custom.Thing', mapper);
    expect(values(ev, 'a.b')).toEqual(['x']);
    expect(values(ev, 'a.c.d')).toEqual([1]);
    expect(values(ev, 'a.c')).toEqual([{ d: 1 }]);
    expect(values(ev, 'a')).toEqual([{ b: 'x', c: { d: 1 } }]);
    expect(values(ev, 'e')).toEqual([true]);
    expect(ev.log).toEqual({ a: { b: 'x', c: { d: 1 } }, e: true });
  });

  it('uses the mapping of a known log type (raw default)', () => {
    const ev = projectSigma({ eventName: 'ConsoleLogin', userIdentity: { type: 'Root' } }, 'AWS.CloudTrail', mapper);
    expect(values(ev, 'eventName')).toEqual(['ConsoleLogin']);
    expect(values(ev, 'userIdentity.type')).toEqual(['Root']);
  });

  it('keeps the log casing: a key cased unlike the vendor is not found under the vendor casing', () => {
    const ev = projectSigma({ EventName: 'ConsoleLogin' }, 'AWS.CloudTrail', mapper);
    expect(values(ev, 'EventName')).toEqual(['ConsoleLogin']);
    expect(ev.fields.has('eventName')).toBe(false);
    const ev2 = projectSigma({ Enabled: false }, 'Custom.Thing', mapper);
    expect(ev2.fields.has('enabled')).toBe(false);
    expect(values(ev2, 'Enabled')).toEqual([false]);
  });

  it('applies a renaming cell (GSuite name → eventName) and drops the raw name', () => {
    const ev = projectSigma({ name: 'CREATE_ROLE', parameters: { SETTING_NAME: 'x' } }, 'GSuite.ActivityEvent', mapper);
    expect(values(ev, 'eventName')).toEqual(['CREATE_ROLE']);
    expect(ev.fields.has('name')).toBe(false);
    expect(values(ev, 'setting_name')).toEqual(['x']);
    expect(ev.fields.get('eventName')![0]!.renamed).toBe(true);
  });

  it('keeps a list under its own name and names nothing below a list index', () => {
    const ev = projectSigma({ sourceIPs: ['10.0.0.1', '1.2.3.4'], items: [{ id: 'a' }] }, 'Amazon.EKS.Audit', mapper);
    expect(values(ev, 'sourceIPs')).toEqual([['10.0.0.1', '1.2.3.4']]);
    expect(ev.fields.has('sourceIPs.0')).toBe(false);
    expect(ev.fields.has('items.id')).toBe(false);
    expect(values(ev, 'items')).toEqual([[{ id: 'a' }]]);
  });

  it('flags a key holding a dot', () => {
    const ev = projectSigma({ annotations: { 'authorization.k8s.io/decision': 'allow' } }, 'Amazon.EKS.Audit', mapper);
    const e = ev.fields.get('annotations.authorization.k8s.io/decision');
    expect(e?.[0]?.value).toBe('allow');
    expect(e?.[0]?.dottedKey).toBe(true);
  });

  it('keeps JSON null as a present field', () => {
    const ev = projectSigma({ a: null }, 'Custom.Thing', mapper);
    expect(ev.fields.get('a')).toEqual([{ path: ['a'], value: null }]);
  });

  it('leaves Panther p_ fields of mapped log types out', () => {
    const ev = projectSigma({ p_log_type: 'AWS.CloudTrail', eventName: 'x' }, 'AWS.CloudTrail', mapper);
    expect(ev.fields.has('p_log_type')).toBe(false);
  });
});
