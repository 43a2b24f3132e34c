/**
 * UDM mappings of log types read by Chronicle default parsers (issue 12): each log type's base filter and
 * the fields its parser copies as they are (mappings/*.yaml, yaral cells, sources in each file's header),
 * checked on the projection of raw Panther logs and end to end: a rule over the mapped field renders to
 * an exact YARA-L rule that the evaluator proves on the rule's own tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import { projectUdm, UdmUnknown } from '../src/mapping/project/yaral.js';
import { liftFile } from '../src/pipeline.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { udmAt } from './support.js';

const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };

const get = udmAt;

describe('projection of raw logs through the new yaral mappings', () => {
  it('Duo.Administrator (DUO_ADMIN): action, object; username and description keep the fallback', () => {
    const ev = projectUdm({ action: 'bypass_create', object: 'grp', username: 'Admin', description: '{"count": 1}' }, 'Duo.Administrator', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('DUO_ADMIN');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('bypass_create');
    expect(get(ev.root, 'target', 'group', 'group_display_name')).toBe('grp');
    expect(mapper.resolve('Duo.Administrator', 'yaral', ['username'])).toMatchObject({ fallback: true });
    expect(mapper.resolve('Duo.Administrator', 'yaral', ['description'])).toMatchObject({ fallback: true });
  });

  it('Duo.Authentication (DUO_AUTH): result, reason and event_type as they are', () => {
    const ev = projectUdm({ event_type: 'authentication', result: 'denied', reason: 'user_marked_fraud', user: { name: 'jdoe' } }, 'Duo.Authentication', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('DUO_AUTH');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('authentication');
    expect(get(ev.root, 'security_result', 0, 'action_details')).toBe('denied');
    expect(get(ev.root, 'security_result', 0, 'summary')).toBe('user_marked_fraud');
    expect(get(ev.root, 'target', 'user', 'userid')).toBe('jdoe');
    // IPv4 only in principal.ip: not mapped
    expect(mapper.resolve('Duo.Authentication', 'yaral', ['access_device', 'ip'])).toMatchObject({ fallback: true });
  });

  it('Zoom.Operation (ZOOM_OPERATION_LOGS): action, operation_detail, category_type; operator keeps the fallback', () => {
    const ev = projectUdm({ action: 'Update', category_type: 'User', operation_detail: 'x', operator: 'a@b.c' }, 'Zoom.Operation', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('ZOOM_OPERATION_LOGS');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('Update');
    expect(get(ev.root, 'metadata', 'description')).toBe('x');
    expect(get(ev.root, 'additional', 'fields', 'category_type')).toBe('User');
    expect(mapper.resolve('Zoom.Operation', 'yaral', ['operator'])).toMatchObject({ fallback: true });
  });

  it('Box.Event (BOX): event_type, created_by.*, ip_address; a numeric id holds its JSON spelling', () => {
    const ev = projectUdm({ event_type: 'DELETE', ip_address: '192.0.2.1', created_by: { id: 12345, login: 'a@b.c', name: 'A' } }, 'Box.Event', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('BOX');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('DELETE');
    expect(get(ev.root, 'principal', 'ip')).toEqual(['192.0.2.1']);
    expect(get(ev.root, 'principal', 'user', 'userid')).toBe('12345');
    expect(get(ev.root, 'principal', 'user', 'email_addresses')).toEqual(['a@b.c']);
  });

  it('Wiz.Audit (WIZ_IO), Anthropic.Activity (CLAUDE_COMPLIANCE_LOGS)', () => {
    const w = projectUdm({ action: 'DeleteUser', status: 'SUCCESS' }, 'Wiz.Audit', mapper);
    expect(get(w.root, 'metadata', 'log_type')).toBe('WIZ_IO');
    expect(get(w.root, 'metadata', 'product_event_type')).toBe('DeleteUser');
    expect(get(w.root, 'security_result', 0, 'summary')).toBe('SUCCESS');
    const a = projectUdm({ id: 'activity_1', type: 'sso_login_failed', actor: { email_address: 'a@b.c' } }, 'Anthropic.Activity', mapper);
    expect(get(a.root, 'metadata', 'log_type')).toBe('CLAUDE_COMPLIANCE_LOGS');
    expect(get(a.root, 'metadata', 'product_event_type')).toBe('sso_login_failed');
    expect(get(a.root, 'metadata', 'product_log_id')).toBe('activity_1');
    expect(get(a.root, 'additional', 'fields', 'actor.email_address')).toBe('a@b.c');
  });

  it('Zscaler.ZIA.AdminAuditLog (ZSCALER_INTERNET_ACCESS, product Admin Audit): category and result keep the fallback', () => {
    const ev = projectUdm({ sourcetype: 'zscalernss-audit', event: { action: 'UPDATE', category: 'ADMINISTRATOR_MANAGEMENT', result: 'SUCCESS', errorcode: 'None', clientip: '192.0.2.1' } }, 'Zscaler.ZIA.AdminAuditLog', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('ZSCALER_INTERNET_ACCESS');
    expect(get(ev.root, 'metadata', 'product_name')).toBe('Admin Audit');
    expect(get(ev.root, 'security_result', 0, 'action_details')).toBe('UPDATE');
    expect(get(ev.root, 'security_result', 0, 'summary')).toBe('None');
    expect(get(ev.root, 'principal', 'ip')).toEqual(['192.0.2.1']);
    expect(get(ev.root, 'additional', 'fields', 'sourcetype')).toBe('zscalernss-audit');
    expect(get(ev.root, 'additional', 'fields', 'event.category')).toBe('ADMINISTRATOR_MANAGEMENT');
    expect(get(ev.root, 'additional', 'fields', 'event.result')).toBe('SUCCESS');
  });

  it('AWS.GuardDuty and OneLogin.Events (vendor/product filters of the community rules); a numeric event type id is a string', () => {
    const g = projectUdm({ type: 'Recon:EC2/PortProbeUnprotectedPort', severity: 2 }, 'AWS.GuardDuty', mapper);
    expect(get(g.root, 'metadata', 'vendor_name')).toBe('AMAZON');
    expect(get(g.root, 'metadata', 'product_name')).toBe('AWS GuardDuty');
    expect(get(g.root, 'metadata', 'product_event_type')).toBe('Recon:EC2/PortProbeUnprotectedPort');
    expect(get(g.root, 'metadata', 'log_type')).toBeInstanceOf(UdmUnknown);
    const o = projectUdm({ event_type_id: 240 }, 'OneLogin.Events', mapper);
    expect(get(o.root, 'metadata', 'product_name')).toBe('ONELOGIN_SSO');
    expect(get(o.root, 'metadata', 'product_event_type')).toBe('240');
  });

  it('AWS.S3ServerAccess (AWS_S3_SERVER_ACCESS): operation, bucket, TLS fields, requester as the "Access Point ARN" label', () => {
    const ev = projectUdm({ operation: 'REST.GET.OBJECT', bucket: 'b', ciphersuite: 'ECDHE-RSA-AES128-GCM-SHA256', tlsVersion: 'TLSv1.2', requester: 'arn:aws:iam::1:user/x', errorcode: 'AccessDenied', remoteip: '192.0.2.1' }, 'AWS.S3ServerAccess', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('AWS_S3_SERVER_ACCESS');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('REST.GET.OBJECT');
    expect(get(ev.root, 'target', 'resource', 'name')).toBe('b');
    expect(get(ev.root, 'network', 'tls', 'cipher')).toBe('ECDHE-RSA-AES128-GCM-SHA256');
    expect(get(ev.root, 'network', 'tls', 'version')).toBe('TLSv1.2');
    expect(get(ev.root, 'target', 'resource', 'attribute', 'labels', 0, 'Access Point ARN')).toBe('arn:aws:iam::1:user/x');
    expect(get(ev.root, 'security_result', 0, 'action_details')).toBe('AccessDenied');
    expect(get(ev.root, 'principal', 'ip')).toEqual(['192.0.2.1']);
  });

  it('GitHub.Webhook (GITHUB): action, workflow_run.event as the "workflow_run_event" label; issue.* keeps the fallback', () => {
    const ev = projectUdm({ action: 'completed', workflow_run: { event: 'pull_request_target', name: 'CI' } }, 'GitHub.Webhook', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('GITHUB');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('completed');
    expect(get(ev.root, 'target', 'resource', 'attribute', 'labels', 0, 'workflow_run_event')).toBe('pull_request_target');
    expect(get(ev.root, 'target', 'resource', 'name')).toBe('CI');
    expect(mapper.resolve('GitHub.Webhook', 'yaral', ['issue', 'state'])).toMatchObject({ fallback: true });
  });

  it('Auth0.Events (AUTH_ZERO): details.request.channel as the "channel" detection field', () => {
    const ev = projectUdm({ data: { type: 'sapi', details: { request: { channel: 'https://manage.auth0.com/' } } } }, 'Auth0.Events', mapper);
    expect(get(ev.root, 'security_result', 0, 'detection_fields', 0, 'channel')).toBe('https://manage.auth0.com/');
  });

  it('AWS.WAFWebACL (AWS_WAF): direct fields; action and terminatingRuleId are refused (the parser rewrites them)', () => {
    const ev = projectUdm(
      { action: 'BLOCK', httpSourceName: 'ALB', httpSourceId: 'alb-1', webaclId: 'arn:acl', terminatingRuleType: 'REGULAR', responseCodeSent: 403, httpRequest: { clientIp: '192.0.2.7', uri: '/x', httpMethod: 'POST', requestId: 'r-1' } },
      'AWS.WAFWebACL',
      mapper,
    );
    expect(get(ev.root, 'metadata', 'log_type')).toBe('AWS_WAF');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('ALB');
    expect(get(ev.root, 'target', 'resource', 'name')).toBe('alb-1');
    expect(get(ev.root, 'target', 'url')).toBe('/x');
    expect(get(ev.root, 'network', 'http', 'method')).toBe('POST');
    expect(get(ev.root, 'network', 'session_id')).toBe('r-1');
    expect(get(ev.root, 'principal', 'ip')).toEqual(['192.0.2.7']);
    expect(mapper.resolve('AWS.WAFWebACL', 'yaral', ['action'])).toMatchObject({ unmapped: true });
    expect(mapper.resolve('AWS.WAFWebACL', 'yaral', ['terminatingRuleId'])).toMatchObject({ unmapped: true });
  });

  it('CiscoUmbrella.DNS (UMBRELLA_DNS): base filter; action and domain are refused (upper-cased, trailing dot stripped)', () => {
    expect(get(projectUdm({ action: 'Blocked', domain: 'a.b.' }, 'CiscoUmbrella.DNS', mapper).root, 'metadata', 'log_type')).toBe('UMBRELLA_DNS');
    expect(mapper.resolve('CiscoUmbrella.DNS', 'yaral', ['action'])).toMatchObject({ unmapped: true });
    expect(mapper.resolve('CiscoUmbrella.DNS', 'yaral', ['domain'])).toMatchObject({ unmapped: true });
  });

  it('Okta.SystemLog transaction.id is network.session_id; Azure.MonitorActivity resultType stays refused', () => {
    expect(get(projectUdm({ transaction: { id: 'tx-1' } }, 'Okta.SystemLog', mapper).root, 'network', 'session_id')).toBe('tx-1');
    expect(mapper.resolve('Azure.MonitorActivity', 'yaral', ['resultType'])).toMatchObject({ unmapped: true });
  });

  it('Gravitational.TeleportAudit (TELEPORT_ACCESS_PLANE): event, login; program keeps the fallback', () => {
    const ev = projectUdm({ event: 'session.start', login: 'root', program: 'bash' }, 'Gravitational.TeleportAudit', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('TELEPORT_ACCESS_PLANE');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('session.start');
    expect(get(ev.root, 'principal', 'user', 'user_display_name')).toBe('root');
    expect(mapper.resolve('Gravitational.TeleportAudit', 'yaral', ['program'])).toMatchObject({ fallback: true });
  });

  it('Snyk.GroupAudit (SNYK_SDLC): event, userId; Snyk.OrgAudit has no parser of its own (a custom log type)', () => {
    const ev = projectUdm({ event: 'group.user.remove', userId: 'u-1', content: { email: 'a@b.c' } }, 'Snyk.GroupAudit', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('SNYK_SDLC');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('group.user.remove');
    expect(get(ev.root, 'principal', 'user', 'userid')).toBe('u-1');
    expect(mapper.resolve('Snyk.GroupAudit', 'yaral', ['content', 'email'])).toMatchObject({ fallback: true });
    expect(mapper.source('Snyk.OrgAudit', 'yaral')).toMatchObject({ custom: true });
  });

  it('MicrosoftIntune.AuditLogs / .OperationalLogs (AZURE_MDM_INTUNE): the category in the base filter, operationName, resultType, properties.AlertType', () => {
    const a = projectUdm({ operationName: 'Delete DeviceCompliancePolicy', category: 'AuditLogs', resultType: 'Success' }, 'MicrosoftIntune.AuditLogs', mapper);
    expect(get(a.root, 'metadata', 'log_type')).toBe('AZURE_MDM_INTUNE');
    expect(get(a.root, 'metadata', 'product_event_type')).toBe('Delete DeviceCompliancePolicy');
    // the base filter and the category field both place it (a repeated field: any element matches)
    expect(get(a.root, 'security_result', 0, 'category_details')).toContain('AuditLogs');
    expect(get(a.root, 'security_result', 0, 'summary')).toBe('Success');
    const o = projectUdm({ operationName: 'Compliance', category: 'OperationalLogs', properties: { AlertType: 'x' } }, 'MicrosoftIntune.OperationalLogs', mapper);
    expect(get(o.root, 'security_result', 0, 'category_details')).toContain('OperationalLogs');
    // properties.AlertType is security_result.description (the AZURE_MDM_INTUNE change log, 2025-02-13), no fallback
    const alertType = mapper.resolve('MicrosoftIntune.OperationalLogs', 'yaral', ['properties', 'AlertType']);
    expect(alertType).toMatchObject({ name: 'security_result.description' });
    expect(alertType).not.toMatchObject({ fallback: true });
    expect(get(o.root, 'security_result', 0, 'description')).toBe('x');
    // the other properties keys keep the declared fallback
    expect(mapper.resolve('MicrosoftIntune.OperationalLogs', 'yaral', ['properties', 'DeviceHostName'])).toMatchObject({ fallback: true });
  });

  it('Cloudflare.Firewall (CLOUDFLARE_WAF): RuleID, Source, Action as they are; two keys in additional.fields; Datetime keeps the fallback', () => {
    const ev = projectUdm({ Action: 'block', RuleID: 'r-1', Source: 'firewallmanaged', Kind: 'firewall', ClientIP: '192.0.2.9', ClientASNDescription: 'NET', EdgeColoCode: 'SFO', Datetime: '2025-01-01 00:00:00' }, 'Cloudflare.Firewall', mapper);
    expect(get(ev.root, 'metadata', 'log_type')).toBe('CLOUDFLARE_WAF');
    expect(get(ev.root, 'security_result', 0, 'rule_id')).toBe('r-1');
    expect(get(ev.root, 'security_result', 0, 'rule_name')).toBe('firewallmanaged');
    expect(get(ev.root, 'security_result', 0, 'action_details')).toBe('block');
    expect(get(ev.root, 'metadata', 'product_event_type')).toBe('firewall');
    expect(get(ev.root, 'principal', 'ip')).toEqual(['192.0.2.9']);
    expect(get(ev.root, 'additional', 'fields', 'ClientASNDescription')).toBe('NET');
    expect(get(ev.root, 'additional', 'fields', 'EdgeColoCode')).toBe('SFO');
    expect(mapper.resolve('Cloudflare.Firewall', 'yaral', ['Datetime'])).toMatchObject({ fallback: true });
    expect(mapper.source('Cloudflare.Firewall', 'yaral')?.shared).toBeUndefined();
  });

  it('shared labels: Cloudflare.HttpRequest (CLOUDFLARE, product "Web Application Firewall"), ThinkstCanary.Alert, Netskope.Audit, Salesforce, Proofpoint', () => {
    const c = projectUdm({ ClientRequestMethod: 'DELETE', EdgeResponseStatus: 200, BotScore: 5 }, 'Cloudflare.HttpRequest', mapper);
    expect(get(c.root, 'metadata', 'log_type')).toBe('CLOUDFLARE');
    expect(get(c.root, 'metadata', 'product_name')).toBe('Web Application Firewall');
    expect(get(c.root, 'network', 'http', 'method')).toBe('DELETE');
    expect(mapper.resolve('Cloudflare.HttpRequest', 'yaral', ['BotScore'])).toMatchObject({ fallback: true });
    const t = projectUdm({ CanaryName: 'fs01', SourceIP: '192.0.2.3', AlertType: 'CanaryIncident' }, 'ThinkstCanary.Alert', mapper);
    expect(get(t.root, 'metadata', 'log_type')).toBe('THINKST_CANARY');
    expect(get(t.root, 'target', 'hostname')).toBe('fs01');
    expect(get(t.root, 'principal', 'ip')).toEqual(['192.0.2.3']);
    expect(mapper.resolve('ThinkstCanary.Alert', 'yaral', ['AlertType'])).toMatchObject({ fallback: true });
    const n = projectUdm({ type: 'admin_audit_logs', organization_unit: 'ou', user: 'a@b.c' }, 'Netskope.Audit', mapper);
    expect(get(n.root, 'metadata', 'log_type')).toBe('NETSKOPE_ALERT_V2');
    expect(get(n.root, 'metadata', 'product_event_type')).toBe('admin_audit_logs');
    expect(get(n.root, 'principal', 'administrative_domain')).toBe('ou');
    expect(mapper.resolve('Netskope.Audit', 'yaral', ['user'])).toMatchObject({ fallback: true });
    expect(get(projectUdm({ CLIENT_IP: '192.0.2.4' }, 'Salesforce.LoginAs', mapper).root, 'principal', 'ip')).toEqual(['192.0.2.4']);
    expect(mapper.resolve('Salesforce.RealtimeEvent', 'yaral', ['EVENT_TYPE'])).toMatchObject({ fallback: true });
    expect(get(projectUdm({ GUID: 'g-1' }, 'Proofpoint.Event', mapper).root, 'metadata', 'product_log_id')).toBe('g-1');
    for (const lt of ['Cloudflare.HttpRequest', 'ThinkstCanary.Alert', 'Netskope.Audit', 'Salesforce.LoginAs', 'Salesforce.RealtimeEvent', 'Proofpoint.Event', 'Zendesk.Audit', 'Atlassian.Audit', 'Snowflake.LoginHistory', 'Snowflake.QueryHistory', 'Snowflake.GrantsToUsers', 'Snowflake.GrantsToRoles', 'Snowflake.DataTransferHistory']) {
      expect(mapper.source(lt, 'yaral')?.shared, lt).toBeTruthy();
    }
  });

  it('base filter only: AWS.SecurityFindingFormat (AWS_SECURITY_HUB), Osquery.Differential (OSQUERY_EDR)', () => {
    expect(get(projectUdm({ GeneratorId: 'x' }, 'AWS.SecurityFindingFormat', mapper).root, 'metadata', 'log_type')).toBe('AWS_SECURITY_HUB');
    expect(get(projectUdm({ name: 'pack_x' }, 'Osquery.Differential', mapper).root, 'metadata', 'log_type')).toBe('OSQUERY_EDR');
    expect(mapper.resolve('Osquery.Differential', 'yaral', ['name'])).toMatchObject({ fallback: true });
  });
});

// ---------------------------------------------------------------------------------------------
// end to end: a rule on the mapped field is exact and proven on its own tests

const dir = mkdtempSync(join(tmpdir(), 'udm-logtypes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  logType: string;
  cond: string;
  hit: Record<string, unknown>;
  miss: Record<string, unknown>;
  expect: RegExp[];
}

const cases: Case[] = [
  { logType: 'Duo.Administrator', cond: 'event.get("action") == "bypass_create"', hit: { action: 'bypass_create' }, miss: { action: 'user_update' }, expect: [/\$e\.metadata\.log_type = "DUO_ADMIN"/, /\$e\.metadata\.product_event_type = "bypass_create"/] },
  {
    logType: 'Duo.Authentication',
    cond: 'event.get("result") == "denied" and event.get("reason") == "user_marked_fraud"',
    hit: { result: 'denied', reason: 'user_marked_fraud' },
    miss: { result: 'denied', reason: 'user_cancelled' },
    expect: [/\$e\.metadata\.log_type = "DUO_AUTH"/, /\$e\.security_result\.action_details = "denied"/, /\$e\.security_result\.summary = "user_marked_fraud"/],
  },
  {
    logType: 'Zoom.Operation',
    cond: 'event.get("category_type") == "User" and event.get("action") == "Delete"',
    hit: { category_type: 'User', action: 'Delete' },
    miss: { category_type: 'Account', action: 'Delete' },
    expect: [/\$e\.metadata\.log_type = "ZOOM_OPERATION_LOGS"/, /\$e\.additional\.fields\["category_type"\] = "User"/],
  },
  { logType: 'Box.Event', cond: 'event.get("event_type") == "SHIELD_ALERT"', hit: { event_type: 'SHIELD_ALERT' }, miss: { event_type: 'DOWNLOAD' }, expect: [/\$e\.metadata\.log_type = "BOX"/] },
  {
    logType: 'Wiz.Audit',
    cond: 'event.get("action") == "DeleteUser" and event.get("status") == "SUCCESS"',
    hit: { action: 'DeleteUser', status: 'SUCCESS' },
    miss: { action: 'DeleteUser', status: 'FAILED' },
    expect: [/\$e\.metadata\.log_type = "WIZ_IO"/, /\$e\.security_result\.summary = "SUCCESS"/],
  },
  { logType: 'Anthropic.Activity', cond: 'event.get("type") == "admin_api_key_created"', hit: { type: 'admin_api_key_created' }, miss: { type: 'org_user_deleted' }, expect: [/\$e\.metadata\.log_type = "CLAUDE_COMPLIANCE_LOGS"/] },
  {
    logType: 'AWS.S3ServerAccess',
    cond: 'event.get("operation") == "REST.GET.OBJECT" and not event.get("requester")',
    hit: { operation: 'REST.GET.OBJECT', bucket: 'b' },
    miss: { operation: 'REST.GET.OBJECT', bucket: 'b', requester: 'arn:aws:iam::1:user/x' },
    expect: [/\$e\.metadata\.log_type = "AWS_S3_SERVER_ACCESS"/, /\$e\.target\.resource\.attribute\.labels\["Access Point ARN"\] = ""/],
  },
  {
    logType: 'GitHub.Webhook',
    cond: 'event.deep_get("workflow_run", "event") == "pull_request_target" and event.get("action") == "completed"',
    hit: { action: 'completed', workflow_run: { event: 'pull_request_target' } },
    miss: { action: 'completed', workflow_run: { event: 'push' } },
    expect: [/\$e\.metadata\.log_type = "GITHUB"/, /\$e\.target\.resource\.attribute\.labels\["workflow_run_event"\] = "pull_request_target"/],
  },
  {
    logType: 'Auth0.Events',
    cond: 'event.deep_get("data", "details", "request", "channel") == "https://manage.auth0.com/"',
    hit: { data: { details: { request: { channel: 'https://manage.auth0.com/' } } } },
    miss: { data: { details: { request: { channel: 'api' } } } },
    expect: [/\$e\.security_result\.detection_fields\["channel"\] = "https:\/\/manage\.auth0\.com\/"/],
  },
  {
    logType: 'AWS.WAFWebACL',
    cond: 'event.get("httpSourceName") == "APIGW" and event.deep_get("httpRequest", "httpMethod") == "DELETE"',
    hit: { httpSourceName: 'APIGW', httpRequest: { httpMethod: 'DELETE' } },
    miss: { httpSourceName: 'APIGW', httpRequest: { httpMethod: 'GET' } },
    expect: [/\$e\.metadata\.log_type = "AWS_WAF"/, /\$e\.network\.http\.method = "DELETE"/],
  },
  {
    logType: 'Okta.SystemLog',
    cond: 'event.get("eventType") == "user.session.start" and event.deep_get("transaction", "id") == "tx-1"',
    hit: { eventType: 'user.session.start', transaction: { id: 'tx-1' } },
    miss: { eventType: 'user.session.start', transaction: { id: 'tx-2' } },
    expect: [/\$e\.network\.session_id = "tx-1"/],
  },
  {
    logType: 'Gravitational.TeleportAudit',
    cond: 'event.get("event") == "role.deleted" and event.get("login") == "root"',
    hit: { event: 'role.deleted', login: 'root' },
    miss: { event: 'role.deleted', login: 'bob' },
    expect: [/\$e\.metadata\.log_type = "TELEPORT_ACCESS_PLANE"/, /\$e\.principal\.user\.user_display_name = "root"/],
  },
  { logType: 'Snyk.GroupAudit', cond: 'event.get("event") == "group.sso.edit"', hit: { event: 'group.sso.edit' }, miss: { event: 'group.edit' }, expect: [/\$e\.metadata\.log_type = "SNYK_SDLC"/, /\$e\.metadata\.product_event_type = "group\.sso\.edit"/] },
  {
    logType: 'MicrosoftIntune.AuditLogs',
    cond: 'event.get("operationName") == "Delete DeviceCompliancePolicy" and event.get("resultType") == "Success"',
    hit: { operationName: 'Delete DeviceCompliancePolicy', category: 'AuditLogs', resultType: 'Success' },
    miss: { operationName: 'Delete DeviceCompliancePolicy', category: 'AuditLogs', resultType: 'Fail' },
    expect: [/\$e\.metadata\.log_type = "AZURE_MDM_INTUNE"/, /\$e\.security_result\.category_details = "AuditLogs"/, /\$e\.security_result\.summary = "Success"/],
  },
  {
    logType: 'Cloudflare.Firewall',
    cond: 'event.get("Source") == "firewallrules" and event.get("Action") == "block"',
    hit: { Source: 'firewallrules', Action: 'block', RuleID: 'r-1' },
    miss: { Source: 'firewallrules', Action: 'log', RuleID: 'r-1' },
    expect: [/\$e\.metadata\.log_type = "CLOUDFLARE_WAF"/, /\$e\.security_result\.rule_name = "firewallrules"/, /\$e\.security_result\.action_details = "block"/],
  },
];

describe('rules over the mapped fields are exact YARA-L (but for a shared label) and proven on their tests', () => {
  cases.forEach((c, i) => {
    it(`${c.logType}: ${c.cond}`, () => {
      const py = join(dir, `r${i}.py`);
      const yml = join(dir, `r${i}.yml`);
      writeFileSync(py, `def rule(event):\n    return ${c.cond}\n`);
      writeFileSync(
        yml,
        [
          'AnalysisType: rule',
          `Filename: r${i}.py`,
          `RuleID: "Test.Udm.${i}"`,
          'Enabled: true',
          'LogTypes:',
          `  - ${c.logType}`,
          'Severity: Medium',
          'Tests:',
          '  - Name: hit',
          '    ExpectedResult: true',
          `    Log: ${JSON.stringify(c.hit)}`,
          '  - Name: miss',
          '    ExpectedResult: false',
          `    Log: ${JSON.stringify(c.miss)}`,
          '',
        ].join('\n'),
      );
      const { rule } = liftFile(yml);
      const out = renderRule(rule, 'yaral', ctx);
      // a label other kinds of events share (GitHub's audit log and webhook payloads) leaves only its declaration
      if (mapper.source(c.logType, 'yaral')?.shared) {
        expect(out.fidelity).toBe('approximate');
        expect([...new Set(out.reasons.map((r) => r.code))]).toEqual(['target-shared-base-filter']);
      } else expect(out.fidelity).toBe('exact');
      for (const re of c.expect) expect(out.text).toMatch(re);
      const report = proveOutput(out, rule, mapper)!;
      expect(report.tests.failed).toBe(0);
      expect(report.tests.notEvaluable).toBe(0);
      expect(report.tests.passed).toBe(2);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// a label that also carries other kinds of events: every rule of the log type declares it

function ruleFiles(name: string, logTypes: string[], cond: string, hit: Record<string, unknown>, miss: Record<string, unknown>): string {
  const py = join(dir, `${name}.py`);
  const yml = join(dir, `${name}.yml`);
  writeFileSync(py, `def rule(event):\n    return ${cond}\n`);
  writeFileSync(
    yml,
    [
      'AnalysisType: rule',
      `Filename: ${name}.py`,
      `RuleID: "Test.Udm.${name}"`,
      'Enabled: true',
      'LogTypes:',
      ...logTypes.map((lt) => `  - ${lt}`),
      'Severity: Medium',
      'Tests:',
      '  - Name: hit',
      '    ExpectedResult: true',
      `    Log: ${JSON.stringify(hit)}`,
      '  - Name: miss',
      '    ExpectedResult: false',
      `    Log: ${JSON.stringify(miss)}`,
      '',
    ].join('\n'),
  );
  return yml;
}

describe('shared ingestion labels (sources.yaral.shared)', () => {
  it('a rule over documented fields only is approximate, wider, and names what else the base filter selects; its tests still pass', () => {
    const { rule } = liftFile(ruleFiles('shared1', ['ThinkstCanary.Alert'], 'event.get("CanaryName") == "fs01"', { CanaryName: 'fs01' }, { CanaryName: 'web02' }));
    const out = renderRule(rule, 'yaral', ctx);
    expect(out.fidelity).toBe('approximate');
    expect(out.text).toMatch(/\$e\.metadata\.log_type = "THINKST_CANARY"/);
    expect(out.text).toMatch(/\$e\.target\.hostname = "fs01"/);
    const r = out.reasons.find((x) => x.code === 'target-shared-base-filter')!;
    expect(r.direction).toBe('wider');
    expect(r.message).toContain('metadata.log_type = "THINKST_CANARY"');
    expect(r.message).toContain('audit records');
    expect(out.reasons.filter((x) => x.code !== 'target-shared-base-filter')).toEqual([]);
    const report = proveOutput(out, rule, mapper)!;
    expect(report.tests.failed).toBe(0);
    expect(report.tests.passed).toBe(2);
  });

  it('a log type with a label of its own does not declare it', () => {
    const { rule } = liftFile(ruleFiles('shared2', ['Cloudflare.Firewall'], 'event.get("RuleID") == "r-9"', { RuleID: 'r-9' }, { RuleID: 'r-1' }));
    const out = renderRule(rule, 'yaral', ctx);
    expect(out.fidelity).toBe('exact');
    expect(out.reasons.some((x) => x.code === 'target-shared-base-filter')).toBe(false);
  });

  it('a rule over several log types declares each shared label it reads', () => {
    const { rule } = liftFile(ruleFiles('shared3', ['Zendesk.Audit', 'Atlassian.Audit'], 'event.get("action") == "update"', { action: 'update' }, { action: 'create' }));
    const out = renderRule(rule, 'yaral', ctx);
    const shared = out.reasons.filter((x) => x.code === 'target-shared-base-filter').map((x) => x.message);
    expect(shared).toHaveLength(2);
    expect(shared.join('\n')).toContain('ZENDESK_CRM');
    expect(shared.join('\n')).toContain('ATLASSIAN_AUDIT');
    expect(out.text).toMatch(/\$e\.metadata\.log_type = "ZENDESK_CRM"/);
    expect(out.text).toMatch(/\$e\.metadata\.log_type = "ATLASSIAN_AUDIT"/);
  });
});
