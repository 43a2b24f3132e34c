/**
 * Panther's deep_walk in KQL (common/walk.ts): over a path with no list on it, the field at that path
 * (deep_get's semantics); ending on a list that only top-level any()s and truthiness tests read, the list
 * itself (an empty list reads None, which any() raises on: no alert either way). Each query is read back
 * by the KQL evaluator and run against Python's own answers; the other reads stay declared supersets.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Val } from '../src/ast/types.js';
import { checkKql } from '../src/mapping/kusto.js';
import { anyRolesUpdate, AUTH_INFO_LOGS, authInfoWalk, lit, renderProved } from './support.js';

const walk = (keys: string[], d: Json = null): Val => ({ k: 'fn', fn: 'deep_walk', args: [{ k: 'event' }, lit(keys), lit(d), lit('all')] });
const codes = (out: { reasons: { code: string }[] }) => out.reasons.map((x) => x.code);

describe('deep_walk over a path with no list', () => {
  const logs: Json[] = [
    { protoPayload: { methodName: 'SetIamPolicy' } },
    { protoPayload: { methodName: 'GetIamPolicy' } },
    {},
    { protoPayload: 'SetIamPolicy' },
    { protoPayload: { methodName: null } },
  ];
  it.each(['kql', 'sentinel'])('%s: is the field (deep_walk(event, "protoPayload", "methodName") == "SetIamPolicy")', (target) => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: walk(['protoPayload', 'methodName']), right: lit('SetIamPolicy') };
    const { out, report } = renderProved(target, 'T.Walk', eq, logs, 'GCP.AuditLog');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('MethodName == "SetIamPolicy"');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
  });

  it('with a default, negated: the default where the path is missing (a dynamic column tells missing from empty)', () => {
    const kind = walk(['protoPayload', 'request', 'kind'], 'Role');
    const ne: Pred = { k: 'not', arg: { k: 'cmp', op: 'eq', left: kind, right: lit('Role') } };
    const kinds: Json[] = [{ protoPayload: { request: { kind: 'Role' } } }, { protoPayload: { request: { kind: 'ClusterRole' } } }, { protoPayload: { request: { kind: '' } } }, { protoPayload: {} }, { protoPayload: { request: { kind: null } } }];
    const { out, report } = renderProved('kql', 'T.Walk', ne, kinds, 'GCP.AuditLog');
    expect(out.reasons).toEqual([]);
    expect(checkKql(out.text)).toEqual([]);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
  });

  it('a list on the path (deep_walk collects over it): declared', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: walk(['protoPayload', 'methodName']), right: lit('SetIamPolicy') };
    const { out } = renderProved('kql', 'T.Walk', eq, [{ protoPayload: [{ methodName: 'SetIamPolicy' }] }, { protoPayload: { methodName: 'x' } }], 'GCP.AuditLog');
    expect(codes(out)).toContain('target-computed-value');
  });
});

describe('deep_walk ending on a list', () => {
  const list = authInfoWalk;
  const anyPerm = anyRolesUpdate;
  const logs = AUTH_INFO_LOGS;

  it.each(['kql', 'sentinel'])('%s: its truthiness and an any() over it, both top-level conjuncts, read the column', (target) => {
    const { out, report } = renderProved(target, 'T.Walk', { k: 'and', args: [{ k: 'truthy', value: list }, anyPerm] }, logs, 'GCP.AuditLog');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('mv-apply __q1 = AuthorizationInfo on (where tostring(__q1.permission) == "iam.roles.update" | take 1)');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('read anywhere else (negated: not any() is true on [] and raises on None), it stays declared', () => {
    const { out } = renderProved('kql', 'T.Walk', { k: 'not', arg: anyPerm }, logs, 'GCP.AuditLog');
    expect(out.fidelity).toBe('approximate');
    expect(out.text).not.toContain('AuthorizationInfo');
  });
});
