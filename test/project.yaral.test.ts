/**
 * The UDM projection of test logs (src/mapping/project/yaral.ts): base filter, mapped fields, repeated
 * fields as lists, the log's own key casing, values the projection cannot state.
 */
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import { isRepeatedUdm, parseUdmPath, projectUdm, udmPathText, UdmUnknown } from '../src/mapping/project/yaral.js';
import { Refusal } from '../src/proof/types.js';
import { udmAt } from './support.js';

const mapper = loadMappings();
const get = udmAt;

describe('projectUdm', () => {
  it('sets the base filter and the mapped fields of a CloudTrail event', () => {
    const ev = projectUdm({ eventName: 'DisableKey', sourceIPAddress: '1.2.3.4', errorCode: 'AccessDenied', userIdentity: { arn: 'arn:x', type: 'IAMUser' } }, 'AWS.CloudTrail', mapper);
    // the base filter is the parser's ingestion label (mappings/aws_cloudtrail.yaml)
    expect(get(ev.root, 'metadata', 'log_type')).toBe('AWS_CLOUDTRAIL');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('DisableKey');
    // principal.ip is repeated: a list
    expect(get(ev.root, 'principal', 'ip')).toEqual(['1.2.3.4']);
    // security_result is a repeated message: element 0
    expect(get(ev.root, 'security_result', 0, 'rule_id')).toBe('AccessDenied');
    expect(get(ev.root, 'principal', 'user', 'userid')).toBe('arn:x');
    expect(get(ev.root, 'principal', 'resource', 'type')).toBe('IAMUser');
    // metadata.id is always present (set by ingestion), value unknown
    expect(get(ev.root, 'metadata', 'id')).toBeInstanceOf(UdmUnknown);
  });

  it('puts unmapped CloudTrail keys in additional.fields by leaf (the declared fallback)', () => {
    const ev = projectUdm({ recipientAccountId: '123', requestParameters: { roleArn: 'arn:role' } }, 'AWS.CloudTrail', mapper);
    expect(get(ev.root, 'additional', 'fields', 'recipientAccountId')).toBe('123');
    expect(get(ev.root, 'additional', 'fields', 'roleArn')).toBe('arn:role');
    // the object itself lands there too: unknown value, never guessed
    expect(get(ev.root, 'additional', 'fields', 'requestParameters')).toBeInstanceOf(UdmUnknown);
  });

  it('keeps the log casing: a key spelled otherwise than the vendor lands nowhere', () => {
    const ev = projectUdm({ eventname: 'DisableKey' }, 'AWS.CloudTrail', mapper);
    expect(get(ev.root, 'metadata', 'product_event_type')).toBeUndefined();
    expect(ev.casingSkipped[0]).toContain('eventname');
  });

  it('a key the mapping does not know keeps its own casing in the fallback', () => {
    const ev = projectUdm({ requestParameters: { Enabled: 'x' } }, 'AWS.CloudTrail', mapper);
    expect(get(ev.root, 'additional', 'fields', 'Enabled')).toBe('x');
    expect(get(ev.root, 'additional', 'fields', 'enabled')).toBeUndefined();
  });

  it('lists of scalars fill repeated fields (EKS sourceIPs → principal.ip)', () => {
    const ev = projectUdm({ sourceIPs: ['1.1.1.1', '2.2.2.2'] }, 'Amazon.EKS.Audit', mapper);
    expect(get(ev.root, 'principal', 'ip')).toEqual(['1.1.1.1', '2.2.2.2']);
  });

  it('two log fields landing in one scalar UDM field with different values give an unknown value', () => {
    const ev = projectUdm({ requestParameters: { bucketName: 'a', name: 'b' } }, 'AWS.CloudTrail', mapper);
    expect(get(ev.root, 'target', 'resource', 'name')).toBeInstanceOf(UdmUnknown);
  });

  it('integer fields hold numbers; string fields hold the JSON spelling of numbers', () => {
    const ev = projectUdm({ data: { details: { response: { statusCode: '403' } }, type: 5 } }, 'Auth0.Events', mapper);
    expect(get(ev.root, 'network', 'http', 'response_code')).toBe(403);
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('5');
  });

  it('refuses a log that is not an object', () => {
    expect(() => projectUdm([1] as never, 'AWS.CloudTrail', mapper)).toThrow(Refusal);
  });

  it('reads a custom log type by the custom-parser convention: every scalar under additional.fields by its dotted path', () => {
    const ev = projectUdm({ event_type: 'x', n: 5, ok: true, none: null, actor: { email: 'a@b.c' }, tags: ['t1', 't2'], items: [{ name: 'i' }] }, 'Dropbox.TeamEvent', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('DROPBOX_TEAMEVENT');
    const f = (k: string) => get(ev.root, 'additional', 'fields', k);
    expect(f('event_type')).toBe('x');
    // numbers in their JSON spelling, booleans as true / false; a null is not kept
    expect(f('n')).toBe('5');
    expect(f('ok')).toBe('true');
    expect(f('none')).toBeUndefined();
    expect(f('actor.email')).toBe('a@b.c');
    // list elements by index; an object or a list itself is not kept: reading one is refused
    expect(f('tags[0]')).toBe('t1');
    expect(f('tags[1]')).toBe('t2');
    expect(f('items[0].name')).toBe('i');
    expect(f('tags')).toBeInstanceOf(UdmUnknown);
    expect(f('actor')).toBeInstanceOf(UdmUnknown);
  });
});

describe('UDM paths and schema facts', () => {
  it('parses and prints paths with map keys and indices', () => {
    const p = parseUdmPath('additional.fields["a \\"b\\""].x[0]');
    expect(p).toEqual([{ k: 'field', name: 'additional' }, { k: 'field', name: 'fields' }, { k: 'key', key: 'a "b"' }, { k: 'field', name: 'x' }, { k: 'index', i: 0 }]);
    expect(udmPathText(p)).toBe('additional.fields["a \\"b\\""].x[0]');
    expect(() => parseUdmPath('a..b')).toThrow(Refusal);
  });
  it('knows the repeated fields of the UDM field list', () => {
    expect(isRepeatedUdm(['principal', 'ip'])).toBe(true);
    expect(isRepeatedUdm(['about'])).toBe(true);
    expect(isRepeatedUdm(['target', 'user', 'email_addresses'])).toBe(true);
    expect(isRepeatedUdm(['security_result'])).toBe(true);
    expect(isRepeatedUdm(['principal', 'hostname'])).toBe(false);
    expect(isRepeatedUdm(['metadata', 'product_event_type'])).toBe(false);
  });
});
