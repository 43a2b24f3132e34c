import { describe, expect, it } from 'vitest';
import { parseMappingFile } from '../src/mapping/file.js';
import { loadMappings, MappingSet } from '../src/mapping/load.js';
import { projectKql, toColumnType } from '../src/mapping/project/kql.js';
import type { FieldMapper } from '../src/mapping/types.js';
import { Refusal } from '../src/proof/types.js';

const mapper = loadMappings();

/** A mapping of a made-up log type onto AWSCloudTrail (whose column types the schemas know). */
const custom = new MappingSet(
  parseMappingFile(
    `logType: Test.Log
sources:
  kql: {table: AWSCloudTrail}
defaults:
  kql: none
fields:
  name: {kql: EventName}
  readOnly: {kql: ReadOnly}
  when: {kql: SessionCreationDate}
  count: {kql: EventVersion}
  enabled: {}
  nested.leaf: {kql: {name: RequestParameters, access: json_string, sub: fixed}}
prefixes:
  params: {kql: {name: ResponseElements, access: json_string}}
  extra: {kql: {name: AdditionalEventData, access: json_string}}
---
logType: Test.Dyn
sources:
  kql: {table: AWSEKSLogs_CL}
defaults:
  kql: {container: RawEvent}
fields:
  code: {kql: ResponseCode}
  enabled: {}
  spec.enabled: {}
`,
    'test-mapping.yaml',
  ),
);

describe('projectKql: typed columns', () => {
  it('string columns read "" when missing and never null; the table is the mapping source', () => {
    const e = projectKql({ eventName: 'ConsoleLogin' }, 'AWS.CloudTrail', mapper);
    expect(e.tables).toEqual(['AWSCloudTrail']);
    expect(e.columns['EventName']).toBe('ConsoleLogin');
    expect(e.columns['ErrorCode']).toBe('');
    expect(e.types['ErrorCode']).toBe('string');
    for (const [c, t] of Object.entries(e.types)) if (t === 'string') expect(e.columns[c]).not.toBeNull();
  });

  it('a JSON null in a string column reads ""', () => {
    const e = projectKql({ eventName: null }, 'AWS.CloudTrail', mapper);
    expect(e.columns['EventName']).toBe('');
  });

  it('bool, datetime and other non-string columns are null when missing', () => {
    const e = projectKql({ eventName: 'x' }, 'AWS.CloudTrail', mapper);
    expect(e.types['ReadOnly']).toBe('bool');
    expect(e.columns['ReadOnly']).toBeNull();
    expect(e.columns['TimeGenerated']).toBeNull();
    expect(e.columns['SessionMfaAuthenticated']).toBeNull();
  });

  it('typed values are converted: bool from true/"true", datetime to ISO text, p_event_time to TimeGenerated', () => {
    const e = projectKql({ readOnly: true, when: '2024-01-02T03:04:05Z', p_event_time: '2024-01-02 03:04:05.000' }, 'Test.Log', custom);
    expect(e.columns['ReadOnly']).toBe(true);
    expect(e.columns['SessionCreationDate']).toBe('2024-01-02T03:04:05.000Z');
    expect(projectKql({ readOnly: 'FALSE' }, 'Test.Log', custom).columns['ReadOnly']).toBe(false);
    expect(projectKql({ readOnly: 'maybe' }, 'Test.Log', custom).columns['ReadOnly']).toBeNull();
    const ct = projectKql({ eventName: 'x', eventTime: '2024-05-06T07:08:09Z', p_event_time: '2024-05-06 07:08:09.000' }, 'AWS.CloudTrail', mapper);
    expect(ct.columns['TimeGenerated']).toBe('2024-05-06T07:08:09.000Z');
  });

  it('a non-string JSON value in a string column lands as its JSON text', () => {
    const e = projectKql({ name: true, count: 12 }, 'Test.Log', custom);
    expect(e.columns['EventName']).toBe('true');
    expect(e.columns['EventVersion']).toBe('12');
    expect(projectKql({ name: { a: [1, 'b'] } }, 'Test.Log', custom).columns['EventName']).toBe('{"a":[1,"b"]}');
  });

  it('toColumnType: documented conversions', () => {
    expect(toColumnType(undefined, 'string')).toBe('');
    expect(toColumnType(false, 'string')).toBe('false');
    expect(toColumnType('17', 'long')).toBe(17);
    expect(toColumnType(1.5, 'long')).toBeNull();
    expect(toColumnType('1.5', 'real')).toBe(1.5);
    expect(toColumnType('abc', 'real')).toBeNull();
    expect(toColumnType('not a date', 'datetime')).toBeNull();
    expect(toColumnType(null, 'dynamic')).toBeNull();
  });
});

describe('projectKql: json_string and dynamic columns', () => {
  it('a json_string column holds the JSON text of its container', () => {
    const e = projectKql({ eventName: 'PutObject', requestParameters: { bucketName: 'b', key: 'k' } }, 'AWS.CloudTrail', mapper);
    expect(typeof e.columns['RequestParameters']).toBe('string');
    expect(JSON.parse(e.columns['RequestParameters'] as string)).toEqual({ bucketName: 'b', key: 'k' });
    expect(e.columns['ResponseElements']).toBe('');
  });

  it('a fixed sub of a json_string cell nests the value under it', () => {
    const e = projectKql({ nested: { leaf: 'v' } }, 'Test.Log', custom);
    expect(JSON.parse(e.columns['RequestParameters'] as string)).toEqual({ fixed: 'v' });
  });

  it('a dynamic column holds the JSON value (lists included); the container default places every path', () => {
    const e = projectKql({ verb: 'create', code: 403, sourceIPs: ['1.2.3.4'], objectRef: { namespace: 'kube-system' } }, 'Test.Dyn', custom);
    expect(e.types['RawEvent']).toBe('dynamic');
    expect(e.columns['RawEvent']).toMatchObject({ verb: 'create', objectRef: { namespace: 'kube-system' }, sourceIPs: ['1.2.3.4'] });
    expect(e.types['ResponseCode']).toBe('int');
    expect(e.columns['ResponseCode']).toBe(403);
    const eks = projectKql({ verb: 'get', sourceIPs: ['10.0.0.1', '::1'] }, 'Amazon.EKS.Audit', mapper);
    expect(eks.columns['SourceIPs']).toEqual(['10.0.0.1', '::1']);
    expect(eks.columns['Verb']).toBe('get');
  });

  it('never changes the log: a column placed whole and then set inside is a copy where it differs', () => {
    const freeze = <T>(v: T): T => {
      if (v && typeof v === 'object') {
        Object.freeze(v);
        for (const x of Object.values(v)) freeze(x);
      }
      return v;
    };
    // RawEvent (the container default) takes every path but `code`'s, each below another again
    const log = freeze({ verb: 'create', spec: { enabled: true, list: [{ a: 1 }, { b: [2, 3] }] }, code: '403' });
    const e = projectKql(log, 'Test.Dyn', custom);
    expect(e.columns['RawEvent']).toEqual({ verb: 'create', spec: { enabled: true, list: [{ a: 1 }, { b: [2, 3] }] } });
    expect(e.columns['ResponseCode']).toBe(403);
    expect(log).toEqual({ verb: 'create', spec: { enabled: true, list: [{ a: 1 }, { b: [2, 3] }] }, code: '403' });
    // a fixed sub nests the value in a container the projection made (the log's value itself is not touched)
    const nested = freeze({ nested: { leaf: { deep: ['x'] } } });
    expect(JSON.parse(projectKql(nested, 'Test.Log', custom).columns['RequestParameters'] as string)).toEqual({ fixed: { deep: ['x'] } });
    expect(nested).toEqual({ nested: { leaf: { deep: ['x'] } } });
  });

  it('a missing dynamic column is null', () => {
    const eks = projectKql({ verb: 'get' }, 'Amazon.EKS.Audit', mapper);
    expect(eks.columns['SourceIPs']).toBeNull();
  });

  it('keys inside a column keep the casing the log has (the mapper knows `enabled`, the log says `Enabled`)', () => {
    const e = projectKql({ Enabled: true, spec: { Enabled: false } }, 'Test.Dyn', custom);
    expect(e.columns['RawEvent']).toEqual({ Enabled: true, spec: { Enabled: false } });
    const ct = projectKql({ requestParameters: { BucketName: 'x' } }, 'AWS.CloudTrail', mapper);
    expect(JSON.parse(ct.columns['RequestParameters'] as string)).toEqual({ BucketName: 'x' });
  });

  it('a key spelled as the vendor does fills its column, whatever another casing of it in the same log says', () => {
    for (const log of [
      { eventType: 'user.session.start', eventtype: 'user.mfa.factor.reset_all' },
      { eventtype: 'user.mfa.factor.reset_all', eventType: 'user.session.start' },
    ]) {
      expect(projectKql(log, 'Okta.SystemLog', mapper).columns['EventOriginalType']).toBe('user.session.start');
    }
    // another casing alone still fills it (the mapper normalises key casing to find the column)
    expect(projectKql({ eventtype: 'user.mfa.factor.reset_all' }, 'Okta.SystemLog', mapper).columns['EventOriginalType']).toBe('user.mfa.factor.reset_all');
  });
});

describe('projectKql: tables', () => {
  it('a log type read from several tables is in every listed table, with each table\'s columns', () => {
    const e = projectKql({ operationName: 'Sign-in activity', properties: {} }, 'Azure.Audit', mapper);
    expect(e.tables).toEqual(['SigninLogs', 'AuditLogs']);
    expect(e.tableColumns['SigninLogs']).toContain('IsInteractive');
    expect(e.tableColumns['AuditLogs']).toContain('InitiatedBy');
    expect(e.tableColumns['AuditLogs']).not.toContain('IsInteractive');
    expect(e.types['InitiatedBy']).toBe('dynamic');
  });

  it('reads a log type without a mapping file from its custom-log table, whose columns the mapper declares', () => {
    const e = projectKql({ a: 'x', b: { c: 1 } }, 'Zendesk.Audit', mapper);
    expect(e.tables).toEqual(['Zendesk_Audit_CL']);
    // without a rule's declaration (ruleMapper in mapping/custom.ts types them): string columns
    expect(e.columns['a']).toBe('x');
    expect(e.columns['b']).toBe('{"c":1}');
    expect(e.types['b']).toBe('string');
  });

  it('refuses a log type without a KQL source', () => {
    const none: FieldMapper = { logTypes: () => [], source: () => undefined, resolve: (lt, t, p) => mapper.resolve(lt, t, p), canonicalPath: (_lt, p) => p };
    expect(() => projectKql({}, 'Zendesk.Audit', none)).toThrow(Refusal);
  });

  it('the event is plain data (JSON round trip)', () => {
    const e = projectKql({ eventName: 'x', requestParameters: { a: 1 } }, 'AWS.CloudTrail', mapper);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
