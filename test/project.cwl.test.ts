/**
 * Projection of test logs into the fields CloudWatch Logs Insights discovers in a JSON event
 * (src/mapping/project/cwl.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { CWL_FIELD_LIMIT, projectCwl } from '../src/mapping/project/cwl.js';
import { Refusal } from '../src/proof/types.js';

const mapper = loadMappings();

// The example event of CWL_AnalyzeLogData-discoverable-fields ("Fields in JSON logs")
const docEvent: Json = {
  eventVersion: '1.0',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'EX_PRINCIPAL_ID',
    arn: 'arn: aws: iam: : 123456789012: user/Alice',
    accessKeyId: 'EXAMPLE_KEY_ID',
    accountId: '123456789012',
    userName: 'Alice',
  },
  eventTime: '2014-03-06T21: 22: 54Z',
  eventSource: 'ec2.amazonaws.com',
  eventName: 'StartInstances',
  awsRegion: 'us-east-2',
  sourceIPAddress: '205.251.233.176',
  userAgent: 'ec2-api-tools1.6.12.2',
  requestParameters: { instancesSet: { items: [{ instanceId: 'i-abcde123' }] } },
  responseElements: {
    instancesSet: {
      items: [{ instanceId: 'i-abcde123', currentState: { code: 0, name: 'pending' }, previousState: { code: 80, name: 'stopped' } }],
    },
  },
};

describe('projectCwl: documented flattening', () => {
  const ev = projectCwl(docEvent, 'AWS.CloudTrail', mapper);

  it('names nested fields with dots (userIdentity.type)', () => {
    expect(ev.fields.get('userIdentity.type')).toBe('IAMUser');
    expect(ev.fields.get('eventName')).toBe('StartInstances');
  });

  it('addresses arrays by index (requestParameters.instancesSet.items.0.instanceId)', () => {
    expect(ev.fields.get('requestParameters.instancesSet.items.0.instanceId')).toBe('i-abcde123');
    expect(ev.fields.get('responseElements.instancesSet.items.0.currentState.name')).toBe('pending');
  });

  it('keeps numbers as numbers', () => {
    expect(ev.fields.get('responseElements.instancesSet.items.0.currentState.code')).toBe(0);
    expect(ev.fields.get('responseElements.instancesSet.items.0.previousState.code')).toBe(80);
  });

  it('records containers, which are not fields', () => {
    expect(ev.fields.has('userIdentity')).toBe(false);
    expect(ev.containers.has('userIdentity')).toBe(true);
    expect(ev.containers.has('requestParameters.instancesSet.items')).toBe(true);
    expect(ev.containers.has('requestParameters.instancesSet.items.0')).toBe(true);
  });

  it('prefixes a discovered name starting with @ with one more @ (documented)', () => {
    const e = projectCwl({ '@example.com': 'x' }, 'AWS.CloudTrail', mapper);
    expect(e.fields.get('@@example.com')).toBe('x');
  });

  it('a JSON boolean is discovered as the number 1 (true) or 0 (false), as users observe (powertools-lambda-dotnet#667)', () => {
    const e = projectCwl({ readOnly: false, a: { ok: true }, l: [true] }, 'AWS.CloudTrail', mapper);
    expect(e.fields.get('readOnly')).toBe(0);
    expect(e.fields.get('a.ok')).toBe(1);
    expect(e.fields.get('l.0')).toBe(1);
    // @message keeps the log's text
    expect(e.message).toBe('{"readOnly":false,"a":{"ok":true},"l":[true]}');
  });
});

describe('projectCwl: casing', () => {
  it("keeps the log's casing even where the mapping knows another casing", () => {
    // the CloudTrail mapping records requestParameters.bucketName
    const e = projectCwl({ requestParameters: { BucketName: 'b' } }, 'AWS.CloudTrail', mapper);
    expect(e.fields.get('requestParameters.BucketName')).toBe('b');
    expect(e.fields.has('requestParameters.bucketName')).toBe(false);
  });

  it('a rule reading `enabled` does not see `Enabled`', () => {
    const e = projectCwl({ Enabled: true }, 'Zendesk.Audit', mapper);
    expect(e.fields.has('enabled')).toBe(false);
    expect(e.fields.get('Enabled')).toBe(1);
  });
});

describe('projectCwl: mappings', () => {
  it("drops Panther's p_* fields and maps p_event_time to @timestamp", () => {
    const e = projectCwl({ p_log_type: 'AWS.CloudTrail', p_event_time: '2024-01-01 00:00:00', eventName: 'x' }, 'AWS.CloudTrail', mapper);
    expect(e.fields.has('p_log_type')).toBe(false);
    expect(e.fields.get('@timestamp')).toBe('2024-01-01 00:00:00');
    expect(e.fields.get('eventName')).toBe('x');
  });

  it('uses raw names for a log type without a mapping file', () => {
    const e = projectCwl({ ticket: { id: 5, tags: ['a', 'b'] } }, 'Zendesk.Audit', mapper);
    expect(e.fields.get('ticket.id')).toBe(5);
    expect(e.fields.get('ticket.tags.1')).toBe('b');
  });
});

describe('projectCwl: undocumented values', () => {
  it('reads JSON null as absent by default, or opaque when asked', () => {
    expect(projectCwl({ errorCode: null }, 'AWS.CloudTrail', mapper).fields.has('errorCode')).toBe(false);
    const o = projectCwl({ errorCode: null }, 'AWS.CloudTrail', mapper, { nullAs: 'opaque' });
    expect(o.opaque.get('errorCode')).toMatch(/null/);
  });

  it('marks empty arrays and objects opaque', () => {
    const e = projectCwl({ a: [], b: {} }, 'AWS.CloudTrail', mapper);
    expect(e.opaque.get('a')).toMatch(/empty JSON array/);
    expect(e.opaque.get('b')).toMatch(/empty JSON object/);
  });

  it('marks a name two paths flatten to as opaque', () => {
    const e = projectCwl({ 'a.b': 1, a: { b: 2 } }, 'Zendesk.Audit', mapper);
    expect(e.fields.has('a.b')).toBe(false);
    expect(e.opaque.get('a.b')).toMatch(/two JSON paths/);
  });

  it('flags a log with more leaves than Logs Insights extracts', () => {
    const big: Record<string, Json> = {};
    for (let i = 0; i <= CWL_FIELD_LIMIT; i++) big[`f${i}`] = i;
    expect(projectCwl(big, 'AWS.CloudTrail', mapper).overLimit).toEqual({ count: CWL_FIELD_LIMIT + 1, limit: CWL_FIELD_LIMIT });
    expect(projectCwl({ a: 1 }, 'AWS.CloudTrail', mapper).overLimit).toBeUndefined();
  });

  it('refuses a log that is not a JSON object', () => {
    expect(() => projectCwl([1, 2] as Json, 'AWS.CloudTrail', mapper)).toThrow(Refusal);
    expect(() => projectCwl('text', 'AWS.CloudTrail', mapper)).toThrow(Refusal);
  });
});
