/**
 * The Sentinel analytic-rule target: every constraint of Azure-Sentinel's template schema
 * (detectionTemplateSchemaValidation) on parsed YAML, the embedded query analysed by Kusto.Language
 * and identical to the `kql` target's, entity mappings and custom details naming only columns the
 * query returns, schedules, refusals; and multi-table log sources (`union isfuzzy=true`).
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Aggregation, Json, OutputField, Pred, Rule, Val } from '../src/ast/types.js';
import type { PathSeg } from '../src/ast/view.js';
import { customKqlTables } from '../src/mapping/custom.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import type { FieldMapper, LogSource, MappedField, TargetName, Unmapped } from '../src/mapping/types.js';
import { uuidV5 } from '../src/targets/common/meta.js';
import { yamlBlock } from '../src/targets/common/yaml.js';
import { defaultTemplatesDir, renderRule, targetNames, targets } from '../src/targets/registry.js';
import { customDetailKey, timespan } from '../src/targets/sentinel/escape.js';
import { entityOf } from '../src/targets/sentinel/entities.js';
import { schedule, SENTINEL_TACTICS } from '../src/targets/sentinel/index.js';
import { ATTACK_TACTICS, parseTimespan, validateAnalyticRule } from '../src/targets/sentinel/schema.js';
import type { RenderContext, TargetOutput } from '../src/targets/types.js';

// ---------------------------------------------------------------------------------------------
// AST helpers

const ev: Val = { k: 'event' };
const lit = (v: Json): Val => ({ k: 'lit', v });
function get(path: string, def?: Json): Val {
  let v: Val = ev;
  const keys = path.split('.');
  keys.forEach((k, i) => {
    const last = i === keys.length - 1;
    v = { k: 'get', obj: v, key: k, ...(last ? (def !== undefined ? { default: lit(def) } : {}) : { default: lit({}) }) };
  });
  return v;
}
const and = (...args: Pred[]): Pred => ({ k: 'and', args });
const eq = (path: string, v: Json): Pred => ({ k: 'cmp', op: 'eq', left: get(path), right: lit(v) });
const out = (name: string, path = name): OutputField => ({ name, value: get(path), source: 'alert_context' });

const COND: Pred = and({ k: 'in', value: get('eventName'), list: ['DisableKey', 'ScheduleKeyDeletion'] }, { k: 'exists', value: get('sourceIPAddress') });

function rule(condition: Pred = COND, over: Partial<Rule> = {}, meta: Partial<Rule['meta']> = {}): Rule {
  return {
    meta: {
      id: 'Test.Sentinel.Rule',
      displayName: 'A test rule',
      description: 'Something happened.',
      severity: 'High',
      enabled: true,
      logTypes: ['Test.Log'],
      tags: [],
      mitre: [{ tactic: 'TA0040', technique: 'T1485' }],
      summaryAttributes: [],
      file: 'rules/test.yml',
      pyFile: 'rules/test.py',
      ...meta,
    },
    condition,
    outputs: [out('eventName'), out('sourceIPAddress'), out('userName', 'userIdentity.userName'), out('userAgent')],
    tests: [],
    reasons: [],
    notes: [],
    ...over,
  };
}

// ---------------------------------------------------------------------------------------------
// A mapper over the real AWSCloudTrail columns (so Kusto.Language knows them), with the log source varied

const COLUMNS: Record<string, { name: string; type: string }> = {
  eventName: { name: 'EventName', type: 'string' },
  eventSource: { name: 'EventSource', type: 'string' },
  sourceIPAddress: { name: 'SourceIpAddress', type: 'string' },
  userAgent: { name: 'UserAgent', type: 'string' },
  awsRegion: { name: 'AWSRegion', type: 'string' },
  'userIdentity.userName': { name: 'UserIdentityUserName', type: 'string' },
  'userIdentity.arn': { name: 'UserIdentityArn', type: 'string' },
  'userIdentity.principalId': { name: 'UserIdentityPrincipalid', type: 'string' },
  'userIdentity.accountId': { name: 'UserIdentityAccountId', type: 'string' },
  recipientAccountId: { name: 'RecipientAccountId', type: 'string' },
  readOnly: { name: 'ReadOnly', type: 'bool' },
  eventTime: { name: 'TimeGenerated', type: 'datetime' },
  'tlsDetails.clientProvidedHostHeader': { name: 'ClientProvidedHostHeader', type: 'string' },
  'userIdentity.sessionContext.sessionIssuer.userName': { name: 'SessionIssuerUserName', type: 'string' },
};

function mapper(source: LogSource | undefined): FieldMapper {
  const unmapped = (m: string): Unmapped => ({ unmapped: true, message: m });
  return {
    logTypes: () => ['Test.Log'],
    canonicalPath: (_l, p) => p,
    source: (lt: string, t: TargetName) => (lt === 'Test.Log' && t === 'kql' ? source : undefined),
    resolve(lt: string, t: TargetName, path: PathSeg[]): MappedField | Unmapped {
      if (lt !== 'Test.Log' || t !== 'kql') return unmapped('no mapping');
      const c = COLUMNS[path.join('.')];
      if (c) return { name: c.name, access: 'column', type: c.type };
      if (path[0] === 'requestParameters') return path.length > 1 ? { name: 'RequestParameters', sub: path.slice(1), access: 'json_string', type: 'dynamic' } : { name: 'RequestParameters', type: 'string' };
      return unmapped(`no column for ${path.join('.')}`);
    },
  };
}

const templatesDir = defaultTemplatesDir();
const SOURCE: LogSource = { table: 'AWSCloudTrail', connectors: [{ connectorId: 'AWS', dataTypes: ['AWSCloudTrail'] }, { connectorId: 'AwsS3', dataTypes: ['AWSCloudTrail'] }] };
const ctx = (source: LogSource | null = SOURCE): RenderContext => ({ mapper: mapper(source ?? undefined), templatesDir });

// ---------------------------------------------------------------------------------------------
// Checkers

/**
 * Is `column` part of the query's result? Kusto.Language says so when `| project column` analyses.
 * `tables`: a custom-log table the rule declares (mapping/custom.ts), beside the Sentinel schemas.
 */
const columnExists = (query: string, column: string, tables?: Record<string, Record<string, string>>): boolean =>
  checkKql(`${query.trimEnd()}\n| project ${column}`, { tables }).length === 0;
const checkQuery = (query: string, tables?: Record<string, Record<string, string>>): string[] => checkKql(query, { tables }).map((d) => `${d.code} ${d.message}`);

/** Parse (YAML 1.2 and 1.1, as YamlDotNet reads it), validate against the template schema, return the rule. */
function sentinelDoc(text: string, tables?: Record<string, Record<string, string>>): Record<string, any> {
  const docs = parseAllDocuments(text);
  expect(docs, text).toHaveLength(1);
  expect(docs[0]!.errors, text).toEqual([]);
  const doc = docs[0]!.toJS() as Record<string, any>;
  const v11 = parseAllDocuments(text, { version: '1.1' })[0]!.toJS();
  expect(v11, 'YAML 1.1 reads the same document').toEqual(doc);
  expect(validateAnalyticRule(doc, { checkQuery: (q) => checkQuery(q, tables), columnExists: (q, c) => columnExists(q, c, tables) }), text).toEqual([]);
  return doc;
}

const render = (r: Rule, c: RenderContext = ctx()): TargetOutput => renderRule(r, 'sentinel', c);
/** The kql target's query without its comment header. */
const kqlBody = (r: Rule, c: RenderContext = ctx()): string =>
  renderRule(r, 'kql', c)
    .text.split('\n')
    .filter((l) => !l.startsWith('//'))
    .join('\n');
const isRefused = (text: string): boolean => text.split('\n').every((l) => l === '' || l.startsWith('#'));

// ---------------------------------------------------------------------------------------------

describe('registry', () => {
  it('knows sentinel, written as .yaml', () => {
    expect(targetNames).toContain('sentinel');
    expect(targets.sentinel!.ext).toBe('yaml');
    expect(render(rule()).ext).toBe('yaml');
  });
});

describe('a rule with the KMS shape (real mappings)', () => {
  const real: RenderContext = { mapper: loadMappings(), templatesDir };
  const kms = rule(
    and(
      { k: 'not', arg: { k: 'or', args: [{ k: 'truthy', value: get('errorCode', '') }, { k: 'truthy', value: get('errorMessage', '') }] } },
      { k: 'in', value: get('eventName'), list: ['DisableKey', 'ScheduleKeyDeletion'] },
    ),
    { outputs: ['eventName', 'eventSource', 'awsRegion', 'recipientAccountId', 'sourceIPAddress', 'userAgent', 'userIdentity'].map((n) => out(n)) },
    { id: 'AWS.KMS.CustomerManagedKeyLoss', severity: 'Info', logTypes: ['AWS.CloudTrail'], displayName: 'KMS CMK Disabled or Deleted', dedupPeriodMinutes: 60 },
  );
  const o = render(kms, real);
  const doc = sentinelDoc(o.text);

  it('is exact, with every required field', () => {
    expect(o.fidelity).toBe('exact');
    expect(doc).toMatchObject({
      name: 'KMS CMK Disabled or Deleted',
      severity: 'Informational',
      queryFrequency: '1h',
      queryPeriod: '1h',
      triggerOperator: 'gt',
      triggerThreshold: 0,
      tactics: ['Impact'],
      relevantTechniques: ['T1485'],
      version: '1.0.0',
      kind: 'Scheduled',
    });
    expect(doc.requiredDataConnectors).toEqual([
      { connectorId: 'AWS', dataTypes: ['AWSCloudTrail'] },
      { connectorId: 'AwsS3', dataTypes: ['AWSCloudTrail'] },
    ]);
    expect(doc.description).toContain('Transpiled from Panther rule AWS.KMS.CustomerManagedKeyLoss');
    expect(doc.description).toContain('Fidelity: exact.');
  });

  it('embeds the kql target query, unchanged', () => {
    expect(doc.query).toBe(kqlBody(kms, real));
    expect(doc.query).toMatch(/^AWSCloudTrail\n\| where EventName in \("DisableKey", "ScheduleKeyDeletion"\)\n/);
    expect(o.text).toMatch(/\nquery: \|\n {2}AWSCloudTrail\n {2}\| where /);
  });

  it('maps the source address to an IP entity and the outputs to custom details', () => {
    expect(doc.entityMappings).toEqual([{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'SourceIpAddress' }] }]);
    expect(doc.customDetails).toEqual({
      eventName: 'EventName',
      eventSource: 'EventSource',
      awsRegion: 'AWSRegion',
      recipientAccountId: 'RecipientAccountId',
      sourceIPAddress: 'SourceIpAddress',
      userAgent: 'UserAgent',
    });
  });

  it('has a deterministic v5 id per RuleID', () => {
    expect(doc.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(doc.id).toBe(uuidV5('panther:rule:AWS.KMS.CustomerManagedKeyLoss:sentinel'));
    expect(render(kms, real).text).toBe(o.text);
    const other = sentinelDoc(render(rule(kms.condition, {}, { ...kms.meta, id: 'AWS.KMS.Other' }), real).text);
    expect(other.id).not.toBe(doc.id);
    // distinct from the Sigma rule's id
    expect(doc.id).not.toBe(uuidV5('panther:rule:AWS.KMS.CustomerManagedKeyLoss'));
  });
});

describe('severity', () => {
  const cases: [string, string][] = [['Info', 'Informational'], ['Low', 'Low'], ['Medium', 'Medium'], ['High', 'High'], ['Critical', 'High'], ['weird', 'Medium']];
  for (const [panther, sentinel] of cases) {
    it(`${panther} → ${sentinel}`, () => expect(sentinelDoc(render(rule(COND, {}, { severity: panther })).text).severity).toBe(sentinel));
  }
});

describe('tactics and techniques', () => {
  it('every ATT&CK enterprise tactic id has its Sentinel name', () => {
    for (const name of Object.values(SENTINEL_TACTICS)) expect(ATTACK_TACTICS).toContain(name);
    expect(Object.keys(SENTINEL_TACTICS)).toHaveLength(14);
    const mitre = Object.keys(SENTINEL_TACTICS).map((t, i) => ({ tactic: t, technique: `T${1000 + i}` }));
    const doc = sentinelDoc(render(rule(COND, {}, { mitre })).text);
    expect(doc.tactics).toEqual(Object.values(SENTINEL_TACTICS));
    expect(doc.relevantTechniques).toHaveLength(14);
  });
  it('tactic names, sub-techniques, duplicates; unknown tactics are left out with a warning', () => {
    const o = render(rule(COND, {}, { mitre: [{ tactic: 'Command and Control', technique: 't1071.001' }, { tactic: 'TA0011', technique: 'T1071.001' }, { tactic: 'TA0108' }, { tactic: 'Privilege-Escalation', technique: 'T1078' }] }));
    const doc = sentinelDoc(o.text);
    expect(doc.tactics).toEqual(['CommandAndControl', 'PrivilegeEscalation']);
    expect(doc.relevantTechniques).toEqual(['T1071.001', 'T1078']);
    expect(o.diagnostics.map((d) => d.code)).toContain('sentinel-unknown-tactic');
  });
  it('no MITRE report: empty lists', () => {
    const doc = sentinelDoc(render(rule(COND, {}, { mitre: [] })).text);
    expect(doc.tactics).toEqual([]);
    expect(doc.relevantTechniques).toEqual([]);
  });
});

describe('schedule from DedupPeriodMinutes', () => {
  const cases: [number | undefined, string, string][] = [
    [undefined, '1h', '1h'],
    [1, '5m', '5m'],
    [5, '5m', '5m'],
    [15, '15m', '15m'],
    [90, '90m', '90m'],
    [180, '3h', '3h'],
    [1440, '1d', '1d'],
    [2880, '2d', '2d'],
    [30000, '14d', '14d'],
  ];
  for (const [dedup, f, p] of cases) {
    it(`${dedup ?? 'default'} → ${f}/${p}`, () => {
      const doc = sentinelDoc(render(rule(COND, {}, { dedupPeriodMinutes: dedup })).text);
      expect([doc.queryFrequency, doc.queryPeriod]).toEqual([f, p]);
    });
  }
  it('a threshold window longer than the dedup period widens the period, never below the frequency', () => {
    expect(schedule(30, 120)).toEqual({ frequency: 30, period: 120 });
    expect(schedule(120, 30)).toEqual({ frequency: 120, period: 120 });
    // a period of 2 days or more runs at most hourly
    expect(schedule(10, 4000)).toEqual({ frequency: 60, period: 4000 });
    expect(schedule(10, 99999)).toEqual({ frequency: 60, period: 20160 });
    for (const d of [0, -5, NaN, 3, 7.4, 59, 61, 1441, 20160, 1e9]) {
      for (const w of [undefined, 1, 60, 2880, 1e9]) {
        const s = schedule(d, w);
        const doc = { queryFrequency: timespan(s.frequency), queryPeriod: timespan(s.period) };
        expect(parseTimespan(doc.queryFrequency)).toBe(s.frequency);
        expect(s.frequency).toBeGreaterThanOrEqual(5);
        expect(s.period).toBeLessThanOrEqual(20160);
        expect(s.period).toBeGreaterThanOrEqual(s.frequency);
        if (s.period >= 2880) expect(s.frequency).toBeGreaterThanOrEqual(60);
      }
    }
  });
  it('timespans use the largest exact unit', () => {
    expect([timespan(5), timespan(60), timespan(90), timespan(1440), timespan(2160), timespan(20160)]).toEqual(['5m', '1h', '90m', '1d', '36h', '14d']);
  });
});

describe('thresholds', () => {
  const agg: Aggregation = { threshold: 5, windowMinutes: 120, groupBy: [get('userIdentity.userName')] };
  const r = rule(COND, { aggregation: agg }, { dedupPeriodMinutes: 30 });
  const o = render(r);
  const doc = sentinelDoc(o.text);
  it('the query counts; the rule alerts on any row', () => {
    expect(doc.query).toContain('| extend FirstSeen = row_window_session(TimeGenerated, 2h, 2h, UserIdentityUserName != prev(UserIdentityUserName))\n');
    expect(doc.query).toMatch(/\| summarize EventCount = count\(\), .* by UserIdentityUserName, FirstSeen\n\| where EventCount >= 5\n$/);
    expect(doc.triggerOperator).toBe('gt');
    expect(doc.triggerThreshold).toBe(0);
    expect(doc.eventGroupingSettings).toEqual({ aggregationKind: 'AlertPerResult' });
    expect([doc.queryFrequency, doc.queryPeriod]).toEqual(['30m', '2h']);
    // the query counts Panther's window; what a scheduled run leaves of it is said in the description
    expect(o.reasons.map((x) => x.code)).not.toContain('target-threshold-window');
    expect(doc.description).toContain("Threshold: 5 matching events with the same dedup key within 120 minutes of the first (Panther's dedup window). Each run (every 30m) reads the last 2h: a window that spans two runs is counted in two parts.");
  });
  it('entities on grouping keys and on the first event\'s alert context (arg_min), count in custom details', () => {
    expect(doc.query).toContain('arg_min(TimeGenerated, EventName, SourceIpAddress, UserAgent)');
    expect(doc.entityMappings).toEqual([
      { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'UserIdentityUserName' }] },
      { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'SourceIpAddress' }] },
    ]);
    expect(doc.customDetails).toEqual({ userName: 'UserIdentityUserName', EventCount: 'EventCount', eventName: 'EventName', sourceIPAddress: 'SourceIpAddress', userAgent: 'UserAgent' });
  });
  it('a summary attribute is collected over the window as a set: no entity, a custom detail', () => {
    const sum: OutputField = { name: 'sourceIPAddress', value: get('sourceIPAddress'), source: 'summary' };
    const d = sentinelDoc(render(rule(COND, { aggregation: agg, outputs: [sum] }, { dedupPeriodMinutes: 30 })).text);
    expect(d.query).toContain('SourceIpAddress = make_set(SourceIpAddress, 100) by UserIdentityUserName, FirstSeen');
    expect(d.entityMappings).toEqual([{ entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'UserIdentityUserName' }] }]);
    expect(d.customDetails).toEqual({ EventCount: 'EventCount', sourceIPAddress: 'SourceIpAddress' });
  });
});

describe('entity mappings', () => {
  it('recognises IP, account (name and full name) and host fields, never a user agent', () => {
    expect(entityOf('sourceIPAddress')).toEqual({ entityType: 'IP', identifier: 'Address' });
    expect(entityOf('client.ipAddress'.split('.').pop()!)).toEqual({ entityType: 'IP', identifier: 'Address' });
    expect(entityOf('ClientIP')).toEqual({ entityType: 'IP', identifier: 'Address' });
    expect(entityOf('src_ip')).toEqual({ entityType: 'IP', identifier: 'Address' });
    expect(entityOf('userName')).toEqual({ entityType: 'Account', identifier: 'Name' });
    expect(entityOf('actor')).toEqual({ entityType: 'Account', identifier: 'Name' });
    expect(entityOf('user')).toEqual({ entityType: 'Account', identifier: 'Name' });
    expect(entityOf('principalEmail')).toEqual({ entityType: 'Account', identifier: 'FullName' });
    expect(entityOf('userPrincipalName')).toEqual({ entityType: 'Account', identifier: 'FullName' });
    expect(entityOf('email')).toEqual({ entityType: 'Account', identifier: 'FullName' });
    expect(entityOf('hostname')).toEqual({ entityType: 'Host', identifier: 'HostName' });
    expect(entityOf('computerName')).toEqual({ entityType: 'Host', identifier: 'HostName' });
    for (const n of ['userAgent', 'userIdentity', 'userId', 'eventName', 'recipientAccountId', 'ship', 'zip', 'description', 'userType', 'hostHeader']) expect(entityOf(n), n).toBeNull();
  });

  it('1–5 entities of one field mapping each, only string columns the query returns', () => {
    const outputs = [
      out('ip', 'sourceIPAddress'),
      out('user', 'userIdentity.userName'),
      out('agent', 'userAgent'),
      out('readOnly'),
      out('bucket', 'requestParameters.bucketName'),
      out('host', 'tlsDetails.clientProvidedHostHeader'),
      out('requester', 'requestParameters.userName'),
      out('caller', 'userIdentity.principalId'),
      out('loginName', 'userIdentity.sessionContext.sessionIssuer.userName'),
      out('region', 'awsRegion'),
    ];
    const doc = sentinelDoc(render(rule(COND, { outputs: [...outputs, out('email', 'userIdentity.arn')] })).text);
    // ip, user, host (the host header), caller, the session issuer; the sixth (email) is over the limit
    expect(doc.entityMappings.map((e: any) => [e.entityType, e.fieldMappings[0].identifier, e.fieldMappings[0].columnName])).toEqual([
      ['IP', 'Address', 'SourceIpAddress'],
      ['Account', 'Name', 'UserIdentityUserName'],
      ['Host', 'HostName', 'ClientProvidedHostHeader'],
      ['Account', 'Name', 'UserIdentityPrincipalid'],
      ['Account', 'Name', 'SessionIssuerUserName'],
    ]);
    for (const e of doc.entityMappings) expect(e.fieldMappings).toHaveLength(1);
    // the dynamic member requester (requestParameters.userName) is not a string column
    expect(JSON.stringify(doc.entityMappings)).not.toContain('requester');
  });

  it('no obvious entity: no entityMappings key', () => {
    const doc = sentinelDoc(render(rule(COND, { outputs: [out('eventName'), out('region', 'awsRegion')] })).text);
    expect(doc.entityMappings).toBeUndefined();
  });
});

describe('custom details', () => {
  it('keys are schema-valid (letter first, ≤ 20, unique); at most 20, the rest reported', () => {
    const names = ['1st', 'a very long output name indeed', 'a very long output name too', '_x', 'émoji✓'];
    const outputs = [
      ...names.map((n, i) => out(n, ['eventName', 'eventSource', 'awsRegion', 'userAgent', 'recipientAccountId'][i]!)),
      ...Array.from({ length: 20 }, (_, i) => out(`o${i}`, `requestParameters.p${i}`)),
    ];
    const o = render(rule(COND, { outputs }));
    const doc = sentinelDoc(o.text);
    const keys = Object.keys(doc.customDetails);
    expect(keys).toHaveLength(20);
    for (const k of keys) expect(k).toMatch(/^[a-zA-Z][A-Za-z0-9_]{0,19}$/);
    expect(new Set(keys.map((k) => k.toLowerCase())).size).toBe(20);
    expect(keys.slice(0, 5)).toEqual(['st', 'a_very_long_output_n', 'a_very_long_output_2', 'x', 'moji']);
    expect(o.diagnostics.map((d) => d.code)).toContain('sentinel-custom-details');
  });
  it('customDetailKey', () => {
    expect(customDetailKey('user_name', new Set())).toBe('user_name');
    expect(customDetailKey('9', new Set())).toBe('Detail');
    expect(customDetailKey('Detail', new Set(['detail']))).toBe('Detail2');
    expect(customDetailKey('abcdefghijklmnopqrstuvwxyz', new Set(['abcdefghijklmnopqrst']))).toBe('abcdefghijklmnopqrs2');
  });
});

describe('limits and refusals', () => {
  it('name ≤ 256 and description ≤ 5000, on one line / exactly, hostile text round-trips', () => {
    const nasty = `a"b'c\\d: #x\n- y\u2028\u0085\u0000é\ud83d\ude00`;
    const doc = sentinelDoc(render(rule(COND, {}, { displayName: 'n'.repeat(300), description: 'd'.repeat(6000) })).text);
    expect(doc.name).toHaveLength(256);
    expect(doc.description).toHaveLength(5000);
    const h = sentinelDoc(render(rule(COND, {}, { displayName: nasty, description: nasty })).text);
    expect(h.description.startsWith(nasty)).toBe(true);
    expect(h.name).not.toMatch(/[\n\u2028\u0085\u0000]/);
    expect(h.name).toContain('a"b\'c\\d: #x');
  });

  it('a query over 10,000 characters is refused: unsupported, comment-only artifact', () => {
    const many = Array.from({ length: 600 }, (_, i) => `EventName${i}-xxxxxxx`);
    const o = render(rule(and({ k: 'in', value: get('eventName'), list: many }, { k: 'exists', value: get('sourceIPAddress') })));
    expect(o.fidelity).toBe('unsupported');
    expect(o.reasons.map((r) => r.code)).toContain('unsupported-query-too-long');
    expect(isRefused(o.text)).toBe(true);
    expect(o.text).toMatch(/^# Panther rule Test\.Sentinel\.Rule/);
    // the kql target has no such limit
    expect(renderRule(rule(and({ k: 'in', value: get('eventName'), list: many })), 'kql', ctx()).fidelity).toBe('exact');
  });

  it('a log type without a Sentinel table is refused', () => {
    const o = render(rule(), ctx(null));
    expect(o.fidelity).toBe('unsupported');
    expect(o.reasons.map((r) => r.code)).toContain('unsupported-log-type');
    expect(isRefused(o.text)).toBe(true);
  });

  it('no connectors: an empty requiredDataConnectors list (the key is required)', () => {
    const doc = sentinelDoc(render(rule(), ctx({ table: 'AWSCloudTrail' })).text);
    expect(doc.requiredDataConnectors).toEqual([]);
  });

  it('the rule and the target reasons are in the description; fidelity follows the kql target', () => {
    const r = rule(and(COND, { k: 'opaque', reason: 'x', code: 'lift-unknown-call', span: { file: 'rules/test.py', line: 3, col: 1 }, assume: true }), { reasons: [{ code: 'lift-unknown-call', message: 'an unknown call', file: 'rules/test.py', line: 3, direction: 'wider' }] });
    const o = render(r);
    const doc = sentinelDoc(o.text);
    expect(o.fidelity).toBe('approximate');
    expect(o.fidelity).toBe(renderRule(r, 'kql', ctx()).fidelity);
    expect(doc.description).toContain('- lift-unknown-call: an unknown call');
    expect(o.text).toMatch(/^# fidelity: approximate$/m);
  });
});

describe('the validator itself rejects what the schema rejects', () => {
  const good = sentinelDoc(render(rule()).text);
  const bad = (patch: Record<string, unknown>): string[] => validateAnalyticRule({ ...good, ...patch }, { checkQuery, columnExists });
  it('each constraint', () => {
    expect(bad({ id: 'not-a-guid' })).not.toEqual([]);
    expect(bad({ kind: 'NRT' })).not.toEqual([]);
    expect(bad({ name: 'x'.repeat(257) })).not.toEqual([]);
    expect(bad({ description: 'x'.repeat(5001) })).not.toEqual([]);
    expect(bad({ severity: 'Critical' })).not.toEqual([]);
    expect(bad({ requiredDataConnectors: undefined })).not.toEqual([]);
    expect(bad({ queryFrequency: '1w' })).not.toEqual([]);
    expect(bad({ queryFrequency: '4m' })).not.toEqual([]);
    expect(bad({ queryPeriod: '15d' })).not.toEqual([]);
    expect(bad({ queryFrequency: '2h', queryPeriod: '1h' })).not.toEqual([]);
    expect(bad({ queryFrequency: '30m', queryPeriod: '2d' })).not.toEqual([]);
    expect(bad({ triggerOperator: '>' })).not.toEqual([]);
    expect(bad({ triggerThreshold: 10001 })).not.toEqual([]);
    expect(bad({ tactics: ['Command and Control'] })).not.toEqual([]);
    expect(bad({ relevantTechniques: ['1485'] })).not.toEqual([]);
    expect(bad({ query: 'x'.repeat(10001) })).not.toEqual([]);
    expect(bad({ query: 'AWSCloudTrail | where NoSuchColumn == 1' })).not.toEqual([]);
    expect(bad({ customDetails: { '1a': 'EventName' } })).not.toEqual([]);
    expect(bad({ customDetails: { a: 'NotProjected' } })).not.toEqual([]);
    expect(bad({ customDetails: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'EventName'])) })).not.toEqual([]);
    expect(bad({ entityMappings: [] })).not.toEqual([]);
    expect(bad({ entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Name', columnName: 'SourceIpAddress' }] }] })).not.toEqual([]);
    expect(bad({ entityMappings: [{ entityType: 'Account', fieldMappings: [{ identifier: 'NTDomain', columnName: 'EventName' }] }] })).not.toEqual([]);
    expect(bad({ entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'Missing' }] }] })).not.toEqual([]);
    expect(bad({ version: '1.0' })).not.toEqual([]);
    expect(bad({})).toEqual([]);
  });
});

describe('multi-table log sources', () => {
  const src = (tables: string[]): LogSource => ({ table: tables[0], tables });
  it('renders union isfuzzy=true over the tables, analysable by Kusto.Language', () => {
    const r = rule({ k: 'not', arg: eq('eventName', 'DisableKey') }, { outputs: [out('eventName'), out('sourceIPAddress')] });
    const k = renderRule(r, 'kql', ctx(src(['AWSCloudTrail', 'AWSCloudWatch'])));
    const q = k.text.split('\n').filter((l) => !l.startsWith('//')).join('\n');
    expect(q).toMatch(/^union isfuzzy=true AWSCloudTrail, AWSCloudWatch\n\| where EventName != "DisableKey"\n/);
    expect(checkKql(k.text)).toEqual([]);
    const doc = sentinelDoc(render(r, ctx(src(['AWSCloudTrail', 'AWSCloudWatch']))).text);
    expect(doc.query).toBe(q);
  });
  it('SigninLogs and AuditLogs', () => {
    const m: FieldMapper = {
      logTypes: () => ['Azure.Audit'],
      canonicalPath: (_l, p) => p,
      source: (_lt, t) => (t === 'kql' ? { table: 'SigninLogs', tables: ['SigninLogs', 'AuditLogs'], connectors: [{ connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs', 'AuditLogs'] }] } : undefined),
      resolve: (_lt, _t, p) => (p.join('.') === 'operationName' ? { name: 'OperationName', type: 'string' } : p.join('.') === 'callerIpAddress' ? { name: 'IPAddress', type: 'string' } : { unmapped: true, message: 'no' }),
    };
    const r = rule(eq('operationName', 'Add member to role'), { outputs: [out('callerIpAddress')] }, { logTypes: ['Azure.Audit'] });
    const k = renderRule(r, 'kql', { mapper: m, templatesDir });
    expect(k.text).toContain('\nunion isfuzzy=true SigninLogs, AuditLogs\n| where OperationName == "Add member to role"\n| project TimeGenerated, IPAddress\n');
    expect(checkKql(k.text)).toEqual([]);
    const doc = sentinelDoc(renderRule(r, 'sentinel', { mapper: m, templatesDir }).text);
    expect(doc.requiredDataConnectors).toEqual([{ connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs', 'AuditLogs'] }]);
    expect(doc.entityMappings).toEqual([{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] }]);
  });
  it('one entry or duplicates: a plain table', () => {
    for (const tables of [['AWSCloudTrail'], ['AWSCloudTrail', 'AWSCloudTrail']]) {
      const k = renderRule(rule(eq('eventName', 'x')), 'kql', ctx(src(tables)));
      expect(k.text).toMatch(/\nAWSCloudTrail\n\| where/);
    }
    // tables without table
    const k = renderRule(rule({ k: 'not', arg: eq('eventName', 'x') }), 'kql', ctx({ tables: ['AWSCloudTrail', 'AWSCloudWatch'] }));
    expect(k.text).toContain('\nunion isfuzzy=true AWSCloudTrail, AWSCloudWatch\n');
  });
  it('a table without a column a where test requires (EventName == "x": false on a missing value) is left out', () => {
    const k = renderRule(rule(eq('eventName', 'DisableKey')), 'kql', ctx(src(['AWSCloudTrail', 'AWSCloudWatch'])));
    expect(k.text).toMatch(/\nAWSCloudTrail\n\| where EventName == "DisableKey"\n/);
    expect(k.text).not.toContain('AWSCloudWatch');
    expect(checkKql(k.text)).toEqual([]);
  });
});

describe('yamlBlock', () => {
  it('literal block for plain multi-line text, quoted otherwise; both read back exactly', () => {
    const cases = ['a\n| b\n', 'a\n\n| b\n', 'a\u0085b\n', ' lead\n', 'a\nb', 'a\n\n', 'x\r\ny\n', 'a\n  \nb\n', '#c\n- d: e\n', '"q" \'s\' \\ \n'];
    for (const s of cases) {
      const y = `k: ${yamlBlock(s)}\n`;
      const doc = parseAllDocuments(y)[0]!;
      expect(doc.errors, JSON.stringify(s)).toEqual([]);
      expect((doc.toJS() as { k: string }).k, JSON.stringify(s)).toBe(s);
    }
    expect(yamlBlock('a\n| b\n')).toBe('|\n  a\n  | b');
    expect(yamlBlock('a\nb').startsWith('|')).toBe(false);
  });
});

describe('every project rule (rules/) renders a valid analytic rule or a refusal', async () => {
  const { join, resolve } = await import('node:path');
  const { liftFile } = await import('../src/pipeline.js');
  const { collectRuleFiles } = await import('../src/cli/files.js');
  const ROOT = new URL('../', import.meta.url).pathname;
  const files = collectRuleFiles([join(ROOT, 'rules')], () => '').map((f) => resolve(f.path));
  const real: RenderContext = { mapper: loadMappings(), templatesDir };
  for (const file of files) {
    it(file.slice(ROOT.length), () => {
      let r;
      try {
        r = liftFile(file).rule;
      } catch {
        return;
      }
      const o = renderRule(r, 'sentinel', real);
      if (isRefused(o.text)) {
        expect(o.fidelity).toBe('unsupported');
        return;
      }
      const doc = sentinelDoc(o.text, customKqlTables(real.mapper, r));
      expect(doc.query).toBe(kqlBody(r, real));
      expect(o.fidelity).toBe(renderRule(r, 'kql', real).fidelity);
    });
  }
});
