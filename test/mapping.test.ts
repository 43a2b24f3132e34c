import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PathSeg } from '../src/ast/view.js';
import { main } from '../src/cli/main.js';
import { parseMappingFile } from '../src/mapping/file.js';
import { checkKql } from '../src/mapping/kusto.js';
import { listLogTypes } from '../src/mapping/list.js';
import { customYaralName, DEFAULT_MAPPINGS_DIR, loadMappings, type MappingSet } from '../src/mapping/load.js';
import { sentinelTables } from '../src/mapping/schemas.js';
import type { MappedField, TargetName, Unmapped } from '../src/mapping/types.js';

const TARGETS: TargetName[] = ['kql', 'sigma', 'yaral', 'cwl'];
/** The log types mapped for every target. */
const FULL_LOG_TYPES = [
  'AWS.CloudTrail',
  'Amazon.EKS.Audit',
  'Auth0.Events',
  'Azure.Audit',
  'Azure.MonitorActivity',
  'Databricks.Audit',
  'GCP.AuditLog',
  'GSuite.ActivityEvent',
  'GitHub.Audit',
  'Okta.SystemLog',
  'Slack.AuditLogs',
];
/** Log types mapped to a Sentinel table a Microsoft connector or solution ships, for KQL only. */
const KQL_LOG_TYPES = [
  'AWS.GuardDuty',
  'AWS.S3ServerAccess',
  'AWS.SecurityFindingFormat',
  'AWS.VPCDns',
  'AWS.VPCFlow',
  'AWS.WAFWebACL',
  'Box.Event',
  'CiscoUmbrella.DNS',
  'Duo.Administrator',
  'Duo.Authentication',
  'Microsoft365.Audit.AzureActiveDirectory',
  'Microsoft365.Audit.Exchange',
  'Microsoft365.Audit.SharePoint',
  'MicrosoftIntune.AuditLogs',
  'MicrosoftIntune.OperationalLogs',
  'Netskope.Audit',
  'OneLogin.Events',
  'OnePassword.ItemUsage',
  'OnePassword.SignInAttempt',
  'OpenAI.Audit',
  'SentinelOne.Activity',
  'Zoom.Operation',
];
/** Of the KQL_LOG_TYPES, those also read by a Chronicle default parser (a yaral base filter). */
const KQL_AND_YARAL_LOG_TYPES = new Set([
  'AWS.GuardDuty',
  'AWS.S3ServerAccess',
  'AWS.SecurityFindingFormat',
  'AWS.VPCDns',
  'AWS.VPCFlow',
  'AWS.WAFWebACL',
  'Box.Event',
  'CiscoUmbrella.DNS',
  'Duo.Administrator',
  'Duo.Authentication',
  'Microsoft365.Audit.AzureActiveDirectory',
  'Microsoft365.Audit.Exchange',
  'Microsoft365.Audit.SharePoint',
  'MicrosoftIntune.AuditLogs',
  'MicrosoftIntune.OperationalLogs',
  'Netskope.Audit',
  'OneLogin.Events',
  'SentinelOne.Activity',
  'Zoom.Operation',
]);
/** Log types mapped for YARA-L only (no Sentinel table: KQL reads their custom-log table). */
const YARAL_LOG_TYPES = [
  'Anthropic.Activity',
  'Atlassian.Audit',
  'Cloudflare.Firewall',
  'Cloudflare.HttpRequest',
  'Crowdstrike.DNSRequest',
  'Crowdstrike.EventStreams',
  'Crowdstrike.FDREvent',
  'GCP.HTTPLoadBalancer',
  'GitHub.Webhook',
  'GitLab.Audit',
  'GitLab.Production',
  'Gravitational.TeleportAudit',
  'Osquery.Differential',
  'Proofpoint.Event',
  'Salesforce.LoginAs',
  'Salesforce.RealtimeEvent',
  'Snowflake.DataTransferHistory',
  'Snowflake.GrantsToRoles',
  'Snowflake.GrantsToUsers',
  'Snowflake.LoginHistory',
  'Snowflake.QueryHistory',
  'Snyk.GroupAudit',
  'ThinkstCanary.Alert',
  'Wiz.Audit',
  'Zendesk.Audit',
  'Zscaler.ZIA.AdminAuditLog',
];
/** Mappings a log type's events are routed to on KQL (sources.kql.routes), by the field's value. */
const ROUTE_LOG_TYPES = ['Azure.MonitorActivity/kube-audit'];
const LOG_TYPES = [...FULL_LOG_TYPES, ...KQL_LOG_TYPES, ...YARAL_LOG_TYPES, ...ROUTE_LOG_TYPES].sort();
/** The log types read from a Sentinel table (the others read their custom-log table). */
const SENTINEL_LOG_TYPES = [...FULL_LOG_TYPES, ...KQL_LOG_TYPES].sort();

const mapper = loadMappings();

function mapped(r: MappedField | Unmapped): MappedField {
  if ('unmapped' in r) throw new Error(`expected a mapping, got Unmapped: ${r.message}`);
  return r;
}

function isUnmapped(r: MappedField | Unmapped): r is Unmapped {
  return 'unmapped' in r;
}

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mapping-test-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A KQL expression for a mapped field (what the KQL target would write). */
function kqlExpr(f: MappedField): string {
  const base = f.access === 'json_string' ? `parse_json(${f.name})` : f.name;
  const sub = (f.sub ?? []).map((s) => (typeof s === 'number' ? `[${s}]` : `[${JSON.stringify(s)}]`)).join('');
  return sub ? `tostring(${base}${sub})` : f.name;
}

describe('mapping files', () => {
  it('every file in mappings/ loads; 11 log types are mapped for every target, the others for KQL and/or YARA-L', () => {
    expect(readdirSync(DEFAULT_MAPPINGS_DIR).filter((f) => f.endsWith('.yaml')).length).toBe(LOG_TYPES.length + 1);
    expect(mapper.logTypes()).toEqual(LOG_TYPES);
    for (const lt of FULL_LOG_TYPES) {
      for (const t of TARGETS) expect(mapper.source(lt, t), `${lt} ${t}`).toBeDefined();
    }
    for (const lt of KQL_LOG_TYPES) {
      const k = mapper.source(lt, 'kql');
      expect(k?.table, lt).toBeDefined();
      expect(k?.custom, lt).toBeUndefined();
      // a mapping that says nothing of Sigma or Logs Insights leaves them at their raw-name default
      expect(mapper.source(lt, 'sigma'), lt).toBeDefined();
      expect(mapper.source(lt, 'cwl'), lt).toEqual({ native: false });
      if (KQL_AND_YARAL_LOG_TYPES.has(lt)) expect(mapper.source(lt, 'yaral')?.baseFilter?.length, lt).toBeGreaterThan(0);
      // no Chronicle parser named: the log type's custom log type (mappings/README.md "Custom log types")
      else expect(mapper.source(lt, 'yaral'), lt).toEqual({ baseFilter: [{ field: 'metadata.log_type', value: customYaralName(lt) }], custom: true });
    }
    for (const lt of YARAL_LOG_TYPES) {
      expect(mapper.source(lt, 'yaral')?.baseFilter?.length, lt).toBeGreaterThan(0);
      // no Sentinel table: the log type's custom-log table
      expect(mapper.source(lt, 'kql'), lt).toMatchObject({ custom: true });
    }
    // a route: KQL only, named by the routed log type's own source
    expect(mapper.source('Azure.MonitorActivity', 'kql')?.routes).toEqual([{ field: ['category'], values: ['kube-audit', 'kube-audit-admin'], logType: 'Azure.MonitorActivity/kube-audit' }]);
    for (const lt of ROUTE_LOG_TYPES) {
      expect(mapper.source(lt, 'kql')?.table, lt).toBe('AzureDiagnostics');
      expect(mapper.source(lt, 'yaral'), lt).toBeUndefined();
    }
  });

  it('documents a format the parser accepts (mappings/README.md example)', () => {
    const readme = readFileSync(join(DEFAULT_MAPPINGS_DIR, 'README.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const [doc] = parseMappingFile(example, 'README.md');
    expect(doc!.logType).toBe('AWS.CloudTrail');
    expect(doc!.fields.map((e) => e.path)).toContainEqual(['annotations', 'authorization.k8s.io/decision']);
    expect(Object.keys(doc!.defaults).sort()).toEqual(['cwl', 'kql', 'sigma', 'yaral']);
  });

  it('refuses a duplicate key with its position, in a map of any size (checked in one pass)', () => {
    const big = ['logType: T.Big', 'fields:', ...Array.from({ length: 5000 }, (_, i) => `  f${i}.x: {sigma: s${i}}`), '  f17.x: {sigma: again}'].join('\n');
    expect(() => parseMappingFile(big, 'big.yaml')).toThrow(/^big\.yaml:5003:3: fields: duplicate key 'f17\.x'/);
    const [doc] = parseMappingFile(big.split('\n').slice(0, -1).join('\n'), 'big.yaml');
    expect(doc!.fields).toHaveLength(5000);
    expect(() => parseMappingFile('logType: A\nlogType: B\n', 'm.yaml')).toThrow(/m\.yaml:2:1: mapping file: duplicate key 'logType'/);
  });

  it('gives each target its log source', () => {
    expect(mapper.source('AWS.CloudTrail', 'kql')).toEqual({
      table: 'AWSCloudTrail',
      connectors: [
        { connectorId: 'AWS', dataTypes: ['AWSCloudTrail'] },
        { connectorId: 'AwsS3', dataTypes: ['AWSCloudTrail'] },
      ],
    });
    expect(mapper.source('AWS.CloudTrail', 'sigma')).toEqual({ logsource: { product: 'aws', service: 'cloudtrail' } });
    expect(mapper.source('AWS.CloudTrail', 'yaral')?.baseFilter).toEqual([{ field: 'metadata.log_type', value: 'AWS_CLOUDTRAIL' }]);
    expect(mapper.source('AWS.CloudTrail', 'cwl')).toEqual({ native: true });
    expect(mapper.source('GCP.AuditLog', 'cwl')).toEqual({ native: false });
    expect(mapper.source('Azure.Audit', 'kql')).toMatchObject({ table: 'SigninLogs', tables: ['SigninLogs', 'AuditLogs'] });
    // no mapping file: a custom-log table named after the log type
    expect(mapper.source('Nope.Log', 'kql')).toEqual({ table: 'Nope_Log_CL', custom: true });
  });
});

describe('resolve: AWS.CloudTrail', () => {
  const r = (t: TargetName, ...path: PathSeg[]) => mapper.resolve('AWS.CloudTrail', t, path);

  it('maps eventName on every target', () => {
    expect(r('kql', 'eventName')).toEqual({ name: 'EventName', access: 'column', type: 'string' });
    expect(r('yaral', 'eventName')).toEqual({ name: 'metadata.product_event_type' });
    expect(r('sigma', 'eventName')).toEqual({ name: 'eventName' });
    expect(r('cwl', 'eventName')).toEqual({ name: 'eventName' });
  });

  it('maps a key under a JSON-string column to the column plus a sub path', () => {
    expect(r('kql', 'requestParameters', 'bucketName')).toEqual({
      name: 'RequestParameters',
      access: 'json_string',
      sub: ['bucketName'],
      type: 'dynamic',
    });
    expect(r('kql', 'requestParameters')).toEqual({ name: 'RequestParameters', access: 'json_string', type: 'string' });
    expect(r('sigma', 'requestParameters', 'bucketName')).toEqual({ name: 'requestParameters.bucketName' });
    expect(r('cwl', 'requestParameters', 'bucketName')).toEqual({ name: 'requestParameters.bucketName' });
  });

  it('keeps list indices in sub', () => {
    expect(r('kql', 'resources', 0, 'ARN')).toEqual({ name: 'Resources', access: 'json_string', sub: [0, 'ARN'], type: 'dynamic' });
    expect(r('cwl', 'resources', 0, 'ARN')).toEqual({ name: 'resources', sub: [0, 'ARN'] });
  });

  it('types columns from the schema', () => {
    expect(mapped(r('kql', 'readOnly')).type).toBe('bool');
    expect(mapped(r('kql', 'userIdentity', 'sessionContext', 'attributes', 'creationDate')).type).toBe('datetime');
  });

  it('marks inferred cells and the declared UDM fallback', () => {
    expect(r('kql', 'userIdentity', 'onBehalfOf', 'userId')).toMatchObject({ name: 'UserIdentityUserId', inferred: true });
    expect(r('yaral', 'userIdentity', 'accountId')).toEqual({ name: 'additional.fields["accountId"]', fallback: true });
    expect(r('yaral', 'recipientAccountId')).toEqual({ name: 'additional.fields["recipientAccountId"]' });
  });

  it('refuses what a target lacks, with a message naming field, log type and target', () => {
    const u = r('kql', 'sourceIdentity');
    expect(isUnmapped(u)).toBe(true);
    expect((u as Unmapped).message).toMatch(/sourceIdentity/);
    expect((u as Unmapped).message).toMatch(/AWS\.CloudTrail/);
    expect((u as Unmapped).message).toMatch(/KQL/);
    const v = r('kql', 'someNewField');
    expect(v).toMatchObject({ unmapped: true });
    expect((v as Unmapped).message).toMatch(/'someNewField' of AWS\.CloudTrail has no KQL/);
    expect(r('kql', 'userIdentity', 'sessionContext', 'webIdFederationData')).toMatchObject({ unmapped: true });
    // a value translation the field mapping cannot express
    expect(r('yaral', 'responseElements', 'ConsoleLogin')).toMatchObject({ unmapped: true });
    expect(r('sigma', 'p_source_label')).toMatchObject({ unmapped: true });
    expect((r('cwl', 'p_enrichment', 'x') as Unmapped).message).toMatch(/Panther metadata/);
  });
});

describe('case normalisation', () => {
  it('finds the vendor casing of each key (Panther matches keys case-insensitively)', () => {
    expect(mapper.canonicalPath('AWS.CloudTrail', ['sourceIpAddress'])).toEqual(['sourceIPAddress']);
    expect(mapper.resolve('AWS.CloudTrail', 'sigma', ['sourceIpAddress'])).toEqual({ name: 'sourceIPAddress' });
    expect(mapper.resolve('AWS.CloudTrail', 'kql', ['SOURCEIPADDRESS'])).toMatchObject({ name: 'SourceIpAddress' });
    expect(mapper.canonicalPath('AWS.CloudTrail', ['useridentity', 'SessionContext', 'sessionissuer', 'username'])).toEqual([
      'userIdentity',
      'sessionContext',
      'sessionIssuer',
      'userName',
    ]);
    expect(mapper.canonicalPath('Okta.SystemLog', ['eventtype'])).toEqual(['eventType']);
    expect(mapper.canonicalPath('Okta.SystemLog', ['debugcontext', 'debugdata', 'behaviors'])).toEqual([
      'debugContext',
      'debugData',
      'behaviors',
    ]);
    expect(mapper.resolve('GCP.AuditLog', 'kql', ['protoPayload', 'requestMetadata', 'callerIP'])).toEqual({
      name: 'RequestMetadata',
      access: 'dynamic',
      sub: ['callerIp'],
      type: 'dynamic',
    });
  });

  it('passes list indices and unknown keys through', () => {
    expect(mapper.canonicalPath('Okta.SystemLog', ['TARGET', 0, 'displayname'])).toEqual(['target', 0, 'displayName']);
    expect(mapper.canonicalPath('AWS.CloudTrail', ['requestParameters', 'someKey', 'X'])).toEqual(['requestParameters', 'someKey', 'X']);
    expect(mapper.canonicalPath('Nope.Log', ['a', 'B'])).toEqual(['a', 'B']);
  });
});

describe('resolve: other log types', () => {
  it('maps with the container, PascalCase and sub rules', () => {
    expect(mapper.resolve('Amazon.EKS.Audit', 'kql', ['objectRef', 'namespace'])).toMatchObject({
      name: 'RawEvent',
      access: 'dynamic',
      sub: ['objectRef', 'namespace'],
    });
    expect(mapper.resolve('Amazon.EKS.Audit', 'kql', ['annotations', 'authorization.k8s.io/decision'])).toMatchObject({ name: 'AuthDecision' });
    expect(mapper.resolve('GitHub.Audit', 'kql', ['oauth_application_id'])).toEqual({
      name: 'OauthApplicationId',
      access: 'column',
      type: 'real',
      inferred: true,
    });
    expect(mapper.resolve('GitHub.Audit', 'kql', ['no_such_thing'])).toMatchObject({ unmapped: true });
    expect(mapper.resolve('Azure.MonitorActivity', 'kql', ['properties', 'requestbody'])).toMatchObject({
      name: 'Properties_d',
      sub: ['requestbody'],
    });
    expect(mapper.resolve('Azure.MonitorActivity', 'kql', ['properties', 'requestbody', 'x'])).toMatchObject({ unmapped: true });
    expect(mapper.resolve('Azure.MonitorActivity', 'kql', ['tenantId'])).toMatchObject({ unmapped: true });
    expect(mapper.resolve('Azure.Audit', 'kql', ['properties', 'status', 'errorCode'])).toMatchObject({ name: 'Status', sub: ['errorCode'] });
    // directory-audit fields are AuditLogs columns (the log type reads SigninLogs and AuditLogs)
    expect(mapper.resolve('Azure.Audit', 'kql', ['properties', 'initiatedBy', 'user', 'userPrincipalName'])).toMatchObject({
      name: 'InitiatedBy',
      access: 'dynamic',
      sub: ['user', 'userPrincipalName'],
    });
    expect(mapper.resolve('Azure.Audit', 'kql', ['properties', 'activityDisplayName'])).toEqual({ name: 'ActivityDisplayName', access: 'column', type: 'string' });
    expect(mapper.resolve('Azure.Audit', 'kql', ['properties', 'operationType'])).toMatchObject({ name: 'AADOperationType' });
    expect(mapper.resolve('Databricks.Audit', 'kql', ['userIdentity', 'email'])).toMatchObject({
      name: 'Identity',
      access: 'json_string',
      sub: ['email'],
    });
    expect(mapper.resolve('Auth0.Events', 'kql', ['data', 'details', 'request', 'auth', 'user', 'email'])).toMatchObject({
      name: 'Details',
      access: 'dynamic',
      sub: ['request', 'auth', 'user', 'email'],
    });
  });

  it('maps the fields the corpus coverage found most often unmapped (scripts/mapping-coverage.mjs)', () => {
    const r = (lt: string, t: TargetName, ...path: PathSeg[]) => mapper.resolve(lt, t, path);
    // Entra ID sign-ins: the resource's application id is SigninLogs.ResourceIdentity (not ResourceId)
    expect(r('Azure.Audit', 'kql', 'properties', 'resourceId')).toEqual({ name: 'ResourceIdentity', access: 'column', type: 'string' });
    // AuditLogs.Category is the audit category, not the diagnostic category: refused, with the reason
    expect((r('Azure.Audit', 'kql', 'category') as Unmapped).message).toMatch(/AuditLogs\.Category holds the audit category/);
    expect(r('Azure.Audit', 'yaral', 'properties', 'userAgent')).toEqual({ name: 'network.http.user_agent' });
    expect(r('Azure.Audit', 'yaral', 'properties', 'sessionId')).toEqual({ name: 'network.session_id' });
    expect((r('Azure.Audit', 'yaral', 'properties', 'isInteractive') as Unmapped).message).toMatch(/extensions\.auth\.mechanism/);
    // GCP: the label keys Chronicle's community rules compare
    expect(r('GCP.AuditLog', 'yaral', 'protoPayload', 'serviceData', 'policyDelta', 'bindingDeltas', 'role')).toEqual({
      name: 'target.resource.attribute.labels["ser_binding_deltas_role"]',
    });
    expect(r('GCP.AuditLog', 'yaral', 'protoPayload', 'request', 'cryptoKeyVersion', 'state')).toEqual({
      name: 'target.resource.attribute.labels["req_cryptokey_version_state"]',
    });
    // a list index between the list and the element key does not change the UDM field
    expect(mapper.canonicalPath('GCP.AuditLog', ['protopayload', 'servicedata', 'policydelta', 'bindingdeltas', 0, 'ACTION'])).toEqual([
      'protoPayload',
      'serviceData',
      'policyDelta',
      'bindingDeltas',
      0,
      'action',
    ]);
    expect(r('GSuite.ActivityEvent', 'yaral', 'parameters', 'owner')).toEqual({ name: 'target.resource.attribute.labels["owner"]' });
    expect(r('GSuite.ActivityEvent', 'yaral', 'parameters', 'APPLICATION_NAME')).toEqual({ name: 'target.application', inferred: true });
    expect(r('Okta.SystemLog', 'yaral', 'outcome', 'reason')).toEqual({ name: 'security_result.category_details', inferred: true });
    expect(r('Databricks.Audit', 'yaral', 'response', 'statusCode')).toEqual({ name: 'network.http.response_code', inferred: true });
    expect(r('Auth0.Events', 'yaral', 'data', 'details', 'response', 'statusCode')).toEqual({ name: 'network.http.response_code', inferred: true });
    // Panther's own fields stay unmapped
    for (const t of TARGETS) expect(r('Okta.SystemLog', t, 'p_any_ip_addresses'), t).toMatchObject({ unmapped: true });
  });

  it('maps what a Chronicle default parser stores unchanged and refuses what it stores transformed', () => {
    const r = (lt: string, ...path: PathSeg[]) => mapper.resolve(lt, 'yaral', path);
    // AWS_VPC_FLOW: dstport and action extracted as they are
    expect(mapper.source('AWS.VPCFlow', 'yaral')?.baseFilter).toEqual([{ field: 'metadata.log_type', value: 'AWS_VPC_FLOW' }]);
    expect(r('AWS.VPCFlow', 'dstPort')).toEqual({ name: 'target.port' });
    expect(r('AWS.VPCFlow', 'action')).toEqual({ name: 'security_result.action_details' });
    // flow_direction is stored as INBOUND/OUTBOUND: a rule comparing "ingress" must not read network.direction
    expect((r('AWS.VPCFlow', 'flowDirection') as Unmapped).message).toMatch(/transformed in network\.direction/);
    // a key the parser table does not name keeps the declared fallback
    expect(r('AWS.VPCFlow', 'sublocationId')).toEqual({ name: 'additional.fields["sublocationId"]', fallback: true });
    // Route 53: vendor and product the parser hardcodes
    expect(mapper.source('AWS.VPCDns', 'yaral')?.baseFilter).toEqual([
      { field: 'metadata.vendor_name', value: 'AMAZON' },
      { field: 'metadata.product_name', value: 'AWS Route 53' },
    ]);
    expect(r('AWS.VPCDns', 'query_name')).toEqual({ name: 'network.dns.questions.name' });
    expect(r('AWS.VPCDns', 'firewall_rule_action')).toMatchObject({ unmapped: true });
    // GCP_LOADBALANCING
    expect(r('GCP.HTTPLoadBalancer', 'resource', 'type')).toEqual({ name: 'target.resource.resource_subtype' });
    expect(r('GCP.HTTPLoadBalancer', 'jsonPayload', 'statusDetails')).toEqual({ name: 'security_result.summary' });
    expect(r('GCP.HTTPLoadBalancer', 'jsonPayload', 'enforcedSecurityPolicy', 'preconfiguredExprIds')).toMatchObject({ unmapped: true });
    // CrowdStrike: CS_EDR publishes no field table (base filter only), CS_STREAM maps eventType and transforms success
    expect(mapper.source('Crowdstrike.FDREvent', 'yaral')?.baseFilter).toEqual([{ field: 'metadata.log_type', value: 'CS_EDR' }]);
    expect(r('Crowdstrike.FDREvent', 'event', 'CommandLine')).toEqual({ name: 'additional.fields["event.CommandLine"]', fallback: true });
    expect(r('Crowdstrike.EventStreams', 'metadata', 'eventType')).toEqual({ name: 'metadata.product_event_type', inferred: true });
    expect((r('Crowdstrike.EventStreams', 'event', 'Success') as Unmapped).message).toMatch(/security_result\.action/);
    // FDR's DnsRequest records are CS_EDR events too (Chronicle parses them by default, so no custom log
    // type), told apart by nothing the page documents: the label is declared shared, the keys fall back
    expect(mapper.source('Crowdstrike.DNSRequest', 'yaral')).toMatchObject({ baseFilter: [{ field: 'metadata.log_type', value: 'CS_EDR' }], shared: expect.stringContaining('Falcon Data Replicator') });
    expect(mapper.source('Crowdstrike.DNSRequest', 'yaral')?.custom).toBeFalsy();
    expect(mapper.resolve('Crowdstrike.DNSRequest', 'yaral', ['DomainName'])).toEqual({ name: 'additional.fields["DomainName"]', fallback: true });
  });

  it('reads a log type without a mapping file from a custom log type for YARA-L, a custom-log table for KQL, raw names for Sigma and Logs Insights', () => {
    // YARA-L: the custom parser's convention, every scalar under additional.fields by its dotted path; inferred, no fallback
    expect(mapper.source('Nope.Log', 'yaral')).toEqual({ baseFilter: [{ field: 'metadata.log_type', value: 'NOPE_LOG' }], custom: true });
    expect(mapper.resolve('Nope.Log', 'yaral', ['a'])).toEqual({ name: 'additional.fields["a"]', inferred: true, convention: true });
    expect(mapper.resolve('Nope.Log', 'yaral', ['a', 0, 'b"c'])).toEqual({ name: 'additional.fields["a[0].b\\"c"]', inferred: true, convention: true });
    expect(mapper.resolve('Nope.Log', 'yaral', ['p_event_time'])).toEqual({ name: 'metadata.event_timestamp', inferred: true });
    expect(mapper.resolve('Nope.Log', 'yaral', ['p_enrichment'])).toMatchObject({ unmapped: true });
    // a mapping file without a yaral source: likewise (OpenAI.Audit names a Sentinel table only)
    expect(mapper.source('OpenAI.Audit', 'yaral')).toMatchObject({ custom: true });
    expect(mapper.resolve('OpenAI.Audit', 'yaral', ['actor', 'type'])).toEqual({ name: 'additional.fields["actor.type"]', inferred: true, convention: true });
    // KQL: the top-level key is the column, the rest of the path is inside it; inferred
    expect(mapper.resolve('Nope.Log', 'kql', ['a'])).toEqual({ name: 'a', access: 'column', inferred: true });
    expect(mapper.resolve('Nope.Log', 'kql', ['a', 'b', 0])).toEqual({ name: 'a', sub: ['b', 0], access: 'dynamic', type: 'dynamic', inferred: true });
    expect(mapper.resolve('Nope.Log', 'sigma', ['a', 'b'])).toMatchObject({ name: 'a.b', inferred: true });
    expect(mapper.resolve('Nope.Log', 'cwl', ['a', 0, 'b'])).toMatchObject({ name: 'a', sub: [0, 'b'] });
    expect(mapper.resolve('Nope.Log', 'sigma', ['p_any_ip_addresses'])).toMatchObject({ unmapped: true });
    expect(mapper.source('Zendesk.Audit', 'sigma')).toEqual({ logsource: { product: 'zendesk', service: 'audit' } });
    expect(mapper.source('Nope.Log', 'cwl')).toEqual({ native: false });
  });
});

describe('every KQL mapping is real', () => {
  /** Every (log type, path) the mapping files name, plus a few paths that reach the defaults. */
  function namedPaths(m: MappingSet, lt: string): PathSeg[][] {
    const mm = m.mapping(lt)!;
    const paths: PathSeg[][] = [];
    for (const e of mm.fields.values()) paths.push(e.path);
    for (const e of mm.prefixes.values()) paths.push(e.path, [...e.path, 'someKey'], [...e.path, 0, 'someKey']);
    paths.push(['someUnknownField'], ['some_unknown', 'nested']);
    return paths;
  }

  const tablesOf = (lt: string) => mapper.source(lt, 'kql')!.tables ?? [mapper.source(lt, 'kql')!.table!];

  it('names only columns that exist in the schema of its table(s), with one type across them', () => {
    const tables = sentinelTables();
    let checked = 0;
    for (const lt of SENTINEL_LOG_TYPES) {
      const names = tablesOf(lt);
      for (const t of names) expect(tables[t], `${lt}: table ${t} in schemas/sentinel-tables.json`).toBeDefined();
      for (const p of namedPaths(mapper, lt)) {
        const r = mapper.resolve(lt, 'kql', p);
        if (isUnmapped(r)) continue;
        const types = new Set(names.map((t) => tables[t]![r.name]).filter((x) => x !== undefined));
        expect(types.size, `${lt} ${p.join('.')} → ${names.join('|')}.${r.name}`).toBe(1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('compiles a query for every mapped field with Kusto.Language', () => {
    for (const lt of SENTINEL_LOG_TYPES) {
      const names = tablesOf(lt);
      const source = names.length === 1 ? names[0]! : `union isfuzzy=true ${names.join(', ')}`;
      const exprs = new Set<string>();
      for (const p of namedPaths(mapper, lt)) {
        const r = mapper.resolve(lt, 'kql', p);
        if (!isUnmapped(r)) exprs.add(kqlExpr(r));
      }
      const query = `${source}\n| where ${[...exprs].map((e) => `isnotempty(${e})`).join('\n    or ')}`;
      expect(checkKql(query), `${lt}:\n${query}`).toEqual([]);
    }
  });
});

describe('--mapping overrides', () => {
  it('overrides per field and target, and adds log types', () => {
    const file = tmpFile(
      'override.yaml',
      `logType: AWS.CloudTrail
fields:
  eventName: {kql: EventSource}
  sourceIdentity: {kql: {name: UserIdentityUserName, inferred: true}}
  requestParameters.bucketName: {kql: null}
---
logType: Custom.Log
sources:
  kql: {table: AWSCloudTrail}
  sigma: {logsource: {product: custom}}
defaults: {sigma: raw}
fields:
  Who: {kql: UserIdentityArn}
`,
    );
    const m = loadMappings({ extraFiles: [file] });
    expect(m.resolve('AWS.CloudTrail', 'kql', ['eventName'])).toMatchObject({ name: 'EventSource' });
    expect(m.resolve('AWS.CloudTrail', 'yaral', ['eventName'])).toEqual({ name: 'metadata.product_event_type' });
    expect(m.resolve('AWS.CloudTrail', 'kql', ['sourceIdentity'])).toMatchObject({ name: 'UserIdentityUserName', inferred: true });
    expect(m.resolve('AWS.CloudTrail', 'kql', ['requestParameters', 'bucketName'])).toMatchObject({ unmapped: true });
    expect(m.resolve('AWS.CloudTrail', 'kql', ['requestParameters', 'roleArn'])).toMatchObject({ name: 'RequestParameters' });
    expect(m.logTypes()).toContain('Custom.Log');
    expect(m.resolve('Custom.Log', 'kql', ['who'])).toMatchObject({ name: 'UserIdentityArn' });
    expect(m.resolve('Custom.Log', 'sigma', ['who', 'x'])).toEqual({ name: 'Who.x' });
    // no Chronicle parser named: a custom log type, the key in the casing the mapping knows
    expect(m.resolve('Custom.Log', 'yaral', ['who'])).toEqual({ name: 'additional.fields["Who"]', inferred: true, convention: true });
    expect(m.resolve('Custom.Log', 'kql', ['p_event_time'])).toMatchObject({ name: 'TimeGenerated' });
  });

  it('names custom log types per log type and for every log type without a parser (YARA-L)', () => {
    const file = tmpFile(
      'custom-yaral.yaml',
      `logType: '*'
sources:
  yaral:
    baseFilter: [{field: metadata.log_type, value: 'PANTHER_{name}'}]
    custom: true
---
logType: Asana.Audit
sources:
  yaral:
    baseFilter: [{field: metadata.log_type, value: ASANA_MINE}]
    custom: true
fields:
  actor.email: {yaral: principal.user.email_addresses}
`,
    );
    const m = loadMappings({ extraFiles: [file] });
    expect(m.source('Notion.AuditLogs', 'yaral')).toEqual({ baseFilter: [{ field: 'metadata.log_type', value: 'PANTHER_NOTION_AUDITLOGS' }], custom: true });
    expect(m.source('Asana.Audit', 'yaral')).toEqual({ baseFilter: [{ field: 'metadata.log_type', value: 'ASANA_MINE' }], custom: true });
    expect(m.resolve('Asana.Audit', 'yaral', ['actor', 'email'])).toEqual({ name: 'principal.user.email_addresses' });
    expect(m.resolve('Asana.Audit', 'yaral', ['actor', 'name'])).toEqual({ name: 'additional.fields["actor.name"]', inferred: true, convention: true });
    // a log type whose mapping names a parser is no custom log type
    expect(m.source('AWS.CloudTrail', 'yaral')?.custom).toBeUndefined();
    const bad = (text: string) => () => loadMappings({ extraFiles: [tmpFile('bad-yaral.yaml', text)] });
    expect(bad(`logType: '*'\nsources:\n  yaral: {baseFilter: [{field: metadata.log_type, value: X}]}\n`)).toThrow(/needs 'custom: true'/);
    expect(bad(`logType: A.B\nsources:\n  yaral: {baseFilter: [{field: metadata.log_type, value: 'X_{name}'}], custom: true}\n`)).toThrow(/only allowed in a '\*' document/);
  });

  it('reports errors with file:line:col and what to fix', () => {
    const bad = (text: string) => () => loadMappings({ extraFiles: [tmpFile('bad.yaml', text)] });
    expect(bad('logType: AWS.CloudTrail\nfields:\n  eventName: {kql: NoSuchColumn}\n')).toThrow(
      /bad\.yaml:3:\d+: .*'NoSuchColumn' is not in table AWSCloudTrail/,
    );
    expect(bad('logType: AWS.CloudTrail\nfileds: {}\n')).toThrow(/bad\.yaml:2:1: .*unknown key 'fileds'/);
    expect(bad('logType: AWS.CloudTrail\nfields:\n  eventName: {kql: [a}\n')).toThrow(/bad\.yaml:\d+:\d+: YAML error/);
    expect(bad('logType: AWS.CloudTrail\nprefixes:\n  eventName: {kql: EventName}\n')).toThrow(
      /bad\.yaml:3:\d+: .*needs a dynamic column or 'access: json_string'/,
    );
    expect(bad('logType: AWS.CloudTrail\nfields:\n  eventName: {sigma: {access: column, name: x}}\n')).toThrow(
      /bad\.yaml:3:\d+: .*access applies to kql only/,
    );
    expect(bad('logType: AWS.CloudTrail\ndefaults:\n  kql: raw\n')).toThrow(/bad\.yaml:3:\d+: .*never invent a column/);
    expect(bad('fields: {}\n')).toThrow(/bad\.yaml:1:1: missing 'logType:'/);
    expect(bad('logType: X\nfields:\n  a..b: {}\n')).toThrow(/bad\.yaml:3:3: .*bad path 'a\.\.b'/);
  });
});

describe('schemas and the KQL checker', () => {
  it('has the standard columns in every table', () => {
    const t = sentinelTables();
    expect(Object.keys(t).length).toBeGreaterThanOrEqual(88);
    expect(t['AWSCloudTrail']).toMatchObject({ EventName: 'string', ReadOnly: 'bool', TimeGenerated: 'datetime', _ResourceId: 'string' });
    expect(t['SlackAuditV2_CL']!['Actor']).toBe('dynamic');
  });

  it('accepts valid queries and flags unknown columns and tables', () => {
    expect(checkKql('AWSCloudTrail | where EventName == "x"')).toEqual([]);
    expect(checkKql('AWSCloudTrail | where tostring(parse_json(RequestParameters).bucketName) == "b"')).toEqual([]);
    expect(checkKql('union isfuzzy=true SigninLogs, AuditLogs | where tostring(InitiatedBy.user.userPrincipalName) == "a" or UserPrincipalName == "b"')).toEqual([]);
    expect(checkKql('AWSCloudTrail | where Nope == 1').map((d) => d.code)).toEqual(['KS142']);
    expect(checkKql('NoSuchTable | take 1').map((d) => d.code)).toEqual(['KS204']);
    const syntax = checkKql('AWSCloudTrail | where (');
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax[0]).toMatchObject({ severity: 'Error', start: expect.any(Number) });
  });
});

describe('list', () => {
  it('summarises each log type', () => {
    const list = listLogTypes(mapper);
    expect(list.map((l) => l.logType)).toEqual(LOG_TYPES);
    expect(list.find((l) => l.logType === 'AWS.VPCFlow')!.kqlTable).toEqual({ name: 'AWSVPCFlow', inferred: false });
    // log types the rules use without a mapping file: a custom-log table (inferred)
    const more = listLogTypes(mapper, ['Asana.Audit', 'AWS.CloudTrail']);
    expect(more.map((l) => l.logType)).toEqual([...LOG_TYPES, 'Asana.Audit'].sort());
    const asana = more.find((l) => l.logType === 'Asana.Audit')!;
    expect(asana.kqlTable).toEqual({ name: 'Asana_Audit_CL', inferred: true });
    expect(asana.targets.kql).toMatchObject({ source: 'Asana_Audit_CL', default: 'columns' });
    expect(asana.targets.sigma).toMatchObject({ source: 'asana/audit', default: 'raw' });
    // no Chronicle parser named: its custom log type, the other fields by the convention
    expect(asana.targets.yaral).toEqual({ source: 'metadata.log_type = "ASANA_AUDIT"', fields: 0, prefixes: 0, default: 'convention' });
    expect(asana.yaralLogType).toEqual({ name: 'ASANA_AUDIT', inferred: true });
    expect(list.find((l) => l.logType === 'AWS.CloudTrail')!.yaralLogType).toEqual({ name: 'AWS_CLOUDTRAIL', inferred: false });
    const ct = list.find((l) => l.logType === 'AWS.CloudTrail')!;
    expect(ct.targets.kql).toMatchObject({ source: 'AWSCloudTrail', default: 'none' });
    expect(ct.targets.kql!.fields).toBeGreaterThan(30);
    expect(ct.targets.sigma).toMatchObject({ source: 'aws/cloudtrail', default: 'raw' });
    expect(ct.targets.cwl!.source).toBe('native');
  });
});

describe('several Sentinel tables (sources.kql.tables)', () => {
  const doc = (kql: string, fields = '') => `logType: Test.Multi\nsources:\n  kql:\n${kql}\ndefaults: {kql: none}\nfields:\n${fields}`;
  const load = (text: string) => loadMappings({ extraFiles: [tmpFile('multi.yaml', text)] });

  it('reads a list of tables; the first is also `table`; one table stays a table', () => {
    const m = load(doc('    tables: [SigninLogs, AuditLogs]', '  a: {kql: UserPrincipalName}\n  b: {kql: ActivityDisplayName}\n  c: {kql: OperationName}\n  d: {kql: InitiatedBy}'));
    expect(m.source('Test.Multi', 'kql')).toEqual({ table: 'SigninLogs', tables: ['SigninLogs', 'AuditLogs'] });
    expect(m.resolve('Test.Multi', 'kql', ['a'])).toEqual({ name: 'UserPrincipalName', access: 'column', type: 'string' });
    expect(m.resolve('Test.Multi', 'kql', ['b'])).toEqual({ name: 'ActivityDisplayName', access: 'column', type: 'string' });
    expect(m.resolve('Test.Multi', 'kql', ['c'])).toEqual({ name: 'OperationName', access: 'column', type: 'string' });
    expect(m.resolve('Test.Multi', 'kql', ['d'])).toEqual({ name: 'InitiatedBy', access: 'dynamic', type: 'dynamic' });
    expect(load(doc('    tables: [SigninLogs]')).source('Test.Multi', 'kql')).toEqual({ table: 'SigninLogs' });
    const unmapped = m.resolve('Test.Multi', 'kql', ['zzz']) as Unmapped;
    expect(unmapped.message).toMatch(/no column of SigninLogs or AuditLogs/);
  });

  it('refuses a column none of the tables has, naming them', () => {
    expect(() => load(doc('    tables: [SigninLogs, AuditLogs]', '  a: {kql: NoSuchColumn}'))).toThrow(
      /multi\.yaml:\d+:\d+: Test\.Multi: fields\.a\.kql: KQL column 'NoSuchColumn' is not in any of the tables SigninLogs, AuditLogs/,
    );
  });

  it('refuses a column whose type differs between the tables (a union renames it)', () => {
    expect(() => load(doc('    tables: [DatabricksAccounts, DatabricksApps]', '  a: {kql: Identity}'))).toThrow(
      /KQL column 'Identity' has different types in DatabricksAccounts \(string\), DatabricksApps \(dynamic\)/,
    );
    // a column both have with one type is fine
    expect(load(doc('    tables: [DatabricksAccounts, DatabricksApps]', '  a: {kql: ActionName}')).resolve('Test.Multi', 'kql', ['a'])).toMatchObject({ name: 'ActionName', type: 'string' });
  });

  it('takes a column on trust when one of the tables is not in the schemas', () => {
    const m = load(doc('    tables: [SigninLogs, My_CL]', '  a: {kql: Whatever_s}'));
    expect(m.resolve('Test.Multi', 'kql', ['a'])).toEqual({ name: 'Whatever_s', access: 'column' });
  });

  it('rejects table and tables together, an empty list, duplicates and bad names', () => {
    expect(() => load(doc('    table: SigninLogs\n    tables: [AuditLogs]'))).toThrow(/give either 'table' \(one\) or 'tables' \(a list\), not both/);
    expect(() => load(doc('    tables: []'))).toThrow(/sources\.kql\.tables must name at least one table/);
    expect(() => load(doc('    tables: [SigninLogs, SigninLogs]'))).toThrow(/table SigninLogs is listed twice/);
    expect(() => load(doc('    tables: [SigninLogs, "Audit Logs"]'))).toThrow(/sources\.kql\.tables\[1\] must be one table name/);
    expect(() => load(doc('    table: "A, B"'))).toThrow(/several tables go in 'tables: \[A, B\]'/);
  });

  it('Azure.Audit and Databricks.Audit read every table of their log', () => {
    expect(mapper.source('Azure.Audit', 'kql')!.connectors).toEqual([{ connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs', 'AuditLogs'] }]);
    const dbx = mapper.source('Databricks.Audit', 'kql')!.tables!;
    expect(dbx).toContain('DatabricksAccounts');
    expect(dbx).toContain('DatabricksClusters');
    expect(dbx).not.toContain('DatabricksApps'); // dynamic Identity: a different column set
    const schemas = sentinelTables();
    for (const t of dbx) for (const c of ['Identity', 'RequestParams', 'Response', 'SourceIPAddress']) expect(schemas[t]![c], `${t}.${c}`).toBe('string');
  });
});

describe('transpile list', () => {
  async function list(what: string): Promise<string> {
    let out = '';
    const code = await main(['list', what, '--no-color'], { out: (s) => (out += s), err: () => {}, stdin: () => '', isTTY: false, env: {} });
    expect(code).toBe(0);
    return out;
  }

  it('targets: one column for the names, as wide as the longest', async () => {
    const lines = (await list('targets')).trimEnd().split('\n');
    const col = (l: string) => l.indexOf(' .');
    expect(lines.find((l) => l.startsWith('sentinel '))).toBeDefined();
    expect(new Set(lines.map(col)).size).toBe(1);
    expect(new Set(lines.map((l) => l.search(/\.\S+\s+\S/) + l.slice(l.search(/\.\S+/)).search(/\s\S/))).size).toBe(1);
  });

  it('logtypes: the sentinel column shows the KQL mapping', async () => {
    const lines = (await list('logtypes')).split('\n');
    const header = lines[1]!;
    const cell = (line: string, t: string) => line.slice(header.indexOf(t), header.indexOf(t) + 16).trim();
    const ct = lines.find((l) => l.startsWith('AWS.CloudTrail'))!;
    expect(cell(ct, 'sentinel')).toBe(cell(ct, 'kql'));
    expect(cell(ct, 'sentinel')).not.toBe('-');
  });

  it('logtypes --json names every table of a multi-table source', async () => {
    let out = '';
    await main(['list', 'logtypes', '--json'], { out: (s) => (out += s), err: () => {}, stdin: () => '', isTTY: false, env: {} });
    const rows = JSON.parse(out) as { logType: string; targets: { kql?: { source: string } } }[];
    expect(rows.find((r) => r.logType === 'Azure.Audit')!.targets.kql!.source).toBe('SigninLogs, AuditLogs');
    expect(rows.find((r) => r.logType === 'AWS.CloudTrail')!.targets.kql!.source).toBe('AWSCloudTrail');
  });

  it('logtypes --json marks a YARA-L base filter whose ingestion label other events share', async () => {
    let out = '';
    await main(['list', 'logtypes', '--json'], { out: (s) => (out += s), err: () => {}, stdin: () => '', isTTY: false, env: {} });
    const rows = JSON.parse(out) as { logType: string; targets: { yaral?: { source: string } } }[];
    expect(rows.find((r) => r.logType === 'Zendesk.Audit')!.targets.yaral!.source).toBe('metadata.log_type = "ZENDESK_CRM" (shared label)');
    expect(rows.find((r) => r.logType === 'Cloudflare.Firewall')!.targets.yaral!.source).toBe('metadata.log_type = "CLOUDFLARE_WAF"');
  });
});

describe('YARA-L base filters', () => {
  it('tell each log type apart from every other, or declare the events they also select (shared)', () => {
    // a base filter is a conjunction of field = value; two are disjoint when they give one field two values.
    // Otherwise an event can pass both, and a filter whose conditions are all among the other's (it is no
    // narrower) also selects the other log type's events: it must say so (`shared`, target-shared-base-filter)
    const filters = mapper
      .logTypes()
      .map((lt) => ({ lt, src: mapper.source(lt, 'yaral') }))
      .filter((x) => x.src?.baseFilter?.length)
      .map((x) => ({ lt: x.lt, shared: !!x.src?.shared, conds: new Map(x.src!.baseFilter!.map((c) => [c.field, c.value])) }));
    expect(filters.length).toBeGreaterThan(30);
    const undeclared: string[] = [];
    for (const a of filters)
      for (const b of filters) {
        if (a === b) continue;
        const disjoint = [...a.conds].some(([f, v]) => b.conds.has(f) && b.conds.get(f) !== v);
        const noNarrower = [...a.conds].every(([f, v]) => b.conds.get(f) === v);
        if (!disjoint && noNarrower && !a.shared) undeclared.push(`${a.lt} also selects ${b.lt}`);
      }
    expect(undeclared).toEqual([]);
  });
});
