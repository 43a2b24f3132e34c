/**
 * Sentinel for every log type: custom-log tables (`<Name>_CL`, columns declared from the rule's own
 * fields and tests), the mapping keys behind them (`custom`, `columns`, a '*' document's table pattern),
 * shared tables (`sources.kql.filter`), list indices in `sub`, and the sourced tables added for the
 * corpus' log types.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, RuleTest, Val } from '../src/ast/types.js';
import { main } from '../src/cli/main.js';
import { customKqlTables, customTableOf, rulePaths, ruleMapper } from '../src/mapping/custom.js';
import { parseMappingFile } from '../src/mapping/file.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings, MappingSet } from '../src/mapping/load.js';
import { projectKql } from '../src/mapping/project/kql.js';
import type { MappedField, Unmapped } from '../src/mapping/types.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';

const mapper = loadMappings();
const templatesDir = defaultTemplatesDir();

function mapped(r: MappedField | Unmapped): MappedField {
  if ('unmapped' in r) throw new Error(`expected a mapping, got Unmapped: ${r.message}`);
  return r;
}

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mapping-custom-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

// ---- a tiny AST builder
const ev: Val = { k: 'event' };
const get = (path: string): Val => path.split('.').reduce<Val>((obj, key) => ({ k: 'get', obj, key }), ev);
const lit = (v: Json): Val => ({ k: 'lit', v });
const eq = (path: string, v: Json): Pred => ({ k: 'cmp', op: 'eq', left: get(path), right: lit(v) });
const truthy = (path: string): Pred => ({ k: 'truthy', value: get(path) });
const and = (...args: Pred[]): Pred => ({ k: 'and', args });

function rule(logType: string, condition: Pred, tests: RuleTest[], outputs: Rule['outputs'] = []): Rule {
  return {
    meta: { id: `Test.${logType}`, severity: 'Medium', enabled: true, logTypes: [logType], tags: [], mitre: [], summaryAttributes: [], file: 'rules/test.yml' },
    condition,
    outputs,
    reasons: [],
    notes: [],
    tests,
  };
}
const test = (name: string, expected: boolean, log: Json): RuleTest => ({ name, expected, log });

describe('custom-log tables: the default for a log type without a Sentinel table', () => {
  it('names the table after the log type, marked custom; the top-level key is the column (inferred)', () => {
    expect(mapper.source('Asana.Audit', 'kql')).toEqual({ table: 'Asana_Audit_CL', custom: true });
    expect(mapper.source('Gravitational.TeleportAudit', 'kql')?.table).toBe('Gravitational_TeleportAudit_CL');
    expect(mapper.resolve('Asana.Audit', 'kql', ['event_type'])).toEqual({ name: 'event_type', access: 'column', inferred: true });
    expect(mapper.resolve('Asana.Audit', 'kql', ['details', 'new_value'])).toMatchObject({ name: 'details', sub: ['new_value'], access: 'dynamic' });
    // Panther's own fields keep the '*' entries (p_event_time → TimeGenerated) and refusals
    expect(mapper.resolve('Asana.Audit', 'kql', ['p_event_time'])).toMatchObject({ name: 'TimeGenerated', inferred: true });
    expect(mapper.resolve('Asana.Audit', 'kql', ['p_any_ip_addresses'])).toMatchObject({ unmapped: true });
  });

  it('refuses a key that cannot be a Log Analytics column, with the reason', () => {
    for (const key of ['@timestamp', 'user-agent', '_private', 'Type', 'TimeGenerated']) {
      const u = mapper.resolve('Asana.Audit', 'kql', [key]);
      expect(u, key).toMatchObject({ unmapped: true });
      expect((u as Unmapped).message, key).toMatch(/Asana_Audit_CL/);
    }
  });

  it('types the columns a rule reads from its tests (string, bool, long, real), dynamic for objects, lists, mixed or unseen values', () => {
    const r = rule('Asana.Audit', and(eq('event_type', 'x'), truthy('enabled'), eq('count', 3), eq('ratio', 0.5), eq('details.new_value', 'admin'), eq('tags', 'a'), eq('mixed', 'a'), eq('never', 'a')), [
      test('one', true, { event_type: 'x', enabled: true, count: 3, ratio: 0.5, details: { new_value: 'admin' }, tags: ['a'], mixed: 'a' }),
      test('two', false, { event_type: 'y', enabled: false, count: 4, ratio: 1, mixed: 2 }),
    ]);
    const c = customTableOf(mapper, r)!;
    expect(c.table).toBe('Asana_Audit_CL');
    expect(c.columns).toMatchObject({ event_type: 'string', enabled: 'bool', count: 'long', ratio: 'real', details: 'dynamic', tags: 'dynamic', mixed: 'dynamic', never: 'dynamic', TimeGenerated: 'datetime' });
    expect(customKqlTables(mapper, r)).toEqual({ Asana_Audit_CL: c.columns });
    // the rule's mapper carries the types; the projection declares every column (missing ones read empty)
    const rm = ruleMapper(mapper, r);
    expect(mapped(rm.resolve('Asana.Audit', 'kql', ['count'])).type).toBe('long');
    const e = projectKql({ event_type: 'x' }, 'Asana.Audit', rm);
    expect(e.types).toMatchObject({ count: 'long', enabled: 'bool', details: 'dynamic' });
    expect(e.columns).toMatchObject({ event_type: 'x', count: null, enabled: null, details: null });
    // a rule of a sourced table keeps the mapper itself
    const ct = rule('AWS.CloudTrail', eq('eventName', 'x'), []);
    expect(ruleMapper(mapper, ct)).toBe(mapper);
    expect(customKqlTables(mapper, ct)).toEqual({});
  });

  it('declares a custom-log table for each log type of the rule that has none, typed from that log type\'s tests', () => {
    const r = rule('Asana.Audit', eq('kind', 'x'), [test('a', true, { kind: 'x' }), { name: 'n', expected: false, log: { kind: 3, p_log_type: 'Notion.AuditLogs' } }]);
    r.meta.logTypes = ['Asana.Audit', 'Notion.AuditLogs', 'AWS.CloudTrail'];
    const tables = customKqlTables(mapper, r);
    expect(Object.keys(tables).sort()).toEqual(['Asana_Audit_CL', 'Notion_AuditLogs_CL']);
    expect(tables['Asana_Audit_CL']!['kind']).toBe('string');
    expect(tables['Notion_AuditLogs_CL']!['kind']).toBe('long');
    expect(mapped(ruleMapper(mapper, r).resolve('Notion.AuditLogs', 'kql', ['kind'])).type).toBe('long');
  });

  it('collects every field path the condition, outputs and grouping keys read', () => {
    const r = rule('Asana.Audit', eq('a.b', 'x'), [], [{ name: 'o', value: get('c'), source: 'alert_context' }]);
    expect(rulePaths(r).map((p) => p.join('.')).sort()).toEqual(['a', 'a.b', 'c']);
  });

  it('renders, warns (an error with --strict), analyses clean with the declared table and proves on the tests', () => {
    const r = rule('Asana.Audit', and(eq('event_type', 'role_changed'), eq('details.new_value', 'admin')), [
      test('granted', true, { event_type: 'role_changed', details: { new_value: 'admin' } }),
      test('other', false, { event_type: 'role_changed', details: { new_value: 'member' } }),
      test('missing', false, {}),
    ]);
    for (const t of ['kql', 'sentinel']) {
      const o = renderRule(r, t, { mapper, templatesDir });
      expect(o.fidelity, o.text).toBe('exact');
      expect(o.text).toContain('Asana_Audit_CL');
      expect(o.diagnostics.find((d) => d.code === 'kql-custom-table')?.severity).toBe('warning');
      expect(renderRule(r, t, { mapper, templatesDir, strict: true }).diagnostics.find((d) => d.code === 'kql-custom-table')?.severity).toBe('error');
      const proof = proveOutput(o, r, mapper)!;
      expect(proof.tests).toMatchObject({ passed: 3, failed: 0, notEvaluable: 0 });
    }
    const kql = renderRule(r, 'kql', { mapper, templatesDir }).text;
    expect(kql).toMatch(/^\/\/ Asana_Audit_CL is a custom-log table \(inferred/m);
    expect(kql).toContain('| where event_type == "role_changed"');
    expect(checkKql(kql, { tables: customKqlTables(mapper, r) })).toEqual([]);
    // without the declaration the table is unknown to Kusto.Language
    expect(checkKql(kql).map((d) => d.code)).toContain('KS204');
    expect(renderRule(r, 'sentinel', { mapper, templatesDir }).text).toContain('requiredDataConnectors: []');
  });
});

describe('KQL comparisons of a typed column with a string (Python: a bool or a number is never a str)', () => {
  it('a bool column whose raw values are booleans never equals a string (the tests show the type)', () => {
    const r = rule('Gravitational.TeleportAudit', and(eq('event', 'user.login'), eq('success', 'true')), [
      test('bool true', false, { event: 'user.login', success: true }),
      test('other', false, { event: 'x', success: false }),
    ]);
    const o = renderRule(r, 'kql', { mapper, templatesDir });
    expect(o.text).toContain('| where false');
    expect(proveOutput(o, r, mapper)!.tests).toMatchObject({ passed: 2, failed: 0 });
  });

  it('a bool column filled from a raw string (CloudTrail mfaAuthenticated) keeps the string comparison', () => {
    const r = rule('AWS.CloudTrail', eq('userIdentity.sessionContext.attributes.mfaAuthenticated', 'true'), [
      test('true', true, { userIdentity: { sessionContext: { attributes: { mfaAuthenticated: 'true' } } } }),
      test('false', false, { userIdentity: { sessionContext: { attributes: { mfaAuthenticated: 'false' } } } }),
    ]);
    const o = renderRule(r, 'kql', { mapper, templatesDir });
    expect(o.text).toContain('tostring(SessionMfaAuthenticated) == "true"');
    expect(proveOutput(o, r, mapper)!.tests).toMatchObject({ passed: 2, failed: 0 });
  });
});

describe('transpile list logtypes <rules>', () => {
  it('adds the log types the rules use, with their rule counts and tables, custom-log tables marked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapping-custom-list-'));
    const ruleYaml = (id: string, lt: string) => `AnalysisType: rule\nFilename: r.py\nRuleID: ${id}\nEnabled: true\nLogTypes: [${lt}]\nSeverity: Low\n`;
    writeFileSync(join(dir, 'r.py'), 'def rule(event):\n    return True\n');
    writeFileSync(join(dir, 'a.yml'), ruleYaml('T.A', 'Asana.Audit'));
    writeFileSync(join(dir, 'b.yml'), ruleYaml('T.B', 'AWS.VPCFlow'));
    let out = '';
    const code = await main(['list', 'logtypes', '--no-color', dir], { out: (s) => (out += s), err: () => {}, stdin: () => '', isTTY: false, env: {} });
    expect(code).toBe(0);
    expect(out).toMatch(/^Asana\.Audit +1 .* Asana_Audit_CL \*$/m);
    expect(out).toMatch(/^AWS\.VPCFlow +1 .* AWSVPCFlow$/m);
    expect(out).toMatch(/^AWS\.CloudTrail +0 /m);
    expect(out).toContain('2 rules: 1 read a Sentinel table a connector ships, 1 (1 log types) a custom-log table (inferred)');
    let json = '';
    await main(['list', 'logtypes', '--json', dir], { out: (s) => (json += s), err: () => {}, stdin: () => '', isTTY: false, env: {} });
    const rows = JSON.parse(json) as { logType: string; rules: number; kqlTable: { name: string; inferred: boolean } }[];
    expect(rows.find((r) => r.logType === 'Asana.Audit')).toMatchObject({ rules: 1, kqlTable: { name: 'Asana_Audit_CL', inferred: true } });
  });
});

describe('custom-log tables: overrides (--mapping)', () => {
  it('per log type: sources.kql.custom names the table; fields rename columns; the rest stays top-level keys', () => {
    const m = new MappingSet(
      parseMappingFile(
        `logType: Asana.Audit
sources:
  kql: {table: MyAsana_CL, custom: true}
fields:
  gid: {kql: EventId}
`,
        'asana.yaml',
      ),
    );
    expect(m.source('Asana.Audit', 'kql')).toEqual({ table: 'MyAsana_CL', custom: true });
    expect(m.resolve('Asana.Audit', 'kql', ['gid'])).toMatchObject({ name: 'EventId' });
    expect(m.resolve('Asana.Audit', 'kql', ['event_type'])).toMatchObject({ name: 'event_type', inferred: true });
    // Sigma and Logs Insights keep their raw-name defaults
    expect(m.source('Asana.Audit', 'sigma')).toEqual({ logsource: { product: 'asana', service: 'audit' } });
    expect(m.resolve('Asana.Audit', 'cwl', ['details', 'new_value'])).toMatchObject({ name: 'details.new_value' });
  });

  it("globally: a '*' document's custom table, {name} standing for the log type's name", () => {
    const file = tmpFile('all.yaml', `logType: '*'\nsources:\n  kql: {table: 'Panther_{name}_CL', custom: true}\n`);
    const m = loadMappings({ extraFiles: [file] });
    expect(m.source('Asana.Audit', 'kql')).toEqual({ table: 'Panther_Asana_Audit_CL', custom: true });
    // a log type with a Sentinel table keeps it
    expect(m.source('AWS.CloudTrail', 'kql')?.table).toBe('AWSCloudTrail');
    expect(m.source('AWS.VPCFlow', 'kql')?.table).toBe('AWSVPCFlow');
  });

  it('refuses what would invent columns or misplace the pattern, with file:line:col', () => {
    expect(() => parseMappingFile(`logType: '*'\nsources:\n  kql: {table: X_CL}\n`, 'a.yaml')).toThrow(/a\.yaml:3:\d+: .*custom: true/);
    expect(() => parseMappingFile(`logType: A.B\nsources:\n  kql: {table: 'X_{name}_CL', custom: true}\n`, 'b.yaml')).toThrow(/b\.yaml:\d+:\d+: .*only allowed in a '\*' document/);
    expect(() => parseMappingFile(`logType: A.B\nsources:\n  kql: {tables: [A_CL, B_CL], custom: true}\n`, 'c.yaml')).toThrow(/c\.yaml:\d+:\d+: .*one table/);
    expect(() => new MappingSet(parseMappingFile(`logType: A.B\nsources:\n  kql: {table: AWSCloudTrail}\ndefaults:\n  kql: {columns: true}\n`, 'd.yaml'))).toThrow(
      /d\.yaml:5:\d+: .*'columns'.*custom-log table/,
    );
    expect(() => parseMappingFile(`logType: A.B\ndefaults:\n  sigma: {columns: true}\n`, 'e.yaml')).toThrow(/e\.yaml:3:\d+: defaults\.sigma\.columns applies to kql only/);
  });

  it('a CLI run warns, and --strict makes the warning an error (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapping-custom-cli-'));
    writeFileSync(join(dir, 'r.py'), 'def rule(event):\n    return event.get("event_type") == "x"\n');
    writeFileSync(
      join(dir, 'r.yml'),
      'AnalysisType: rule\nFilename: r.py\nRuleID: T.Custom\nEnabled: true\nLogTypes: [Asana.Audit]\nSeverity: Low\nTests:\n  - Name: t\n    ExpectedResult: true\n    Log: {event_type: x}\n',
    );
    const run = async (...args: string[]) => {
      let out = '';
      let err = '';
      const code = await main([...args, '--no-color', '-t', 'kql', join(dir, 'r.yml')], { out: (s) => (out += s), err: (s) => (err += s), stdin: () => '', isTTY: false, env: {} });
      return { code, out, err };
    };
    const plain = await run('convert');
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('Asana_Audit_CL\n| where event_type == "x"');
    expect(plain.err).toMatch(/warning kql-custom-table: Asana_Audit_CL is a custom-log table/);
    expect((await run('convert', '--strict')).code).toBe(1);
    // transpile test --json counts the rules read from custom-log tables apart
    const t = await run('test', '--json');
    const doc = JSON.parse(t.out) as { summary: { targets: Record<string, { exact: number; inferredTable?: unknown }> }; rules: { targets: Record<string, { table?: unknown }> }[] };
    expect(doc.summary.targets['kql']).toMatchObject({ exact: 1, inferredTable: { exact: 1, proven: 1, rules: 1 } });
    expect(doc.rules[0]!.targets['kql']!.table).toEqual({ name: 'Asana_Audit_CL', inferred: true });
  });
});

describe('shared tables (sources.kql.filter) and list indices in sub', () => {
  it('reads a filter and checks its column against the table', () => {
    const ok = new MappingSet(parseMappingFile(`logType: A.B\nsources:\n  kql:\n    table: OfficeActivity\n    filter:\n      - {column: OfficeWorkload, values: [SharePoint, OneDrive]}\n`, 'f.yaml'));
    expect(ok.source('A.B', 'kql')?.filter).toEqual([{ column: 'OfficeWorkload', values: ['SharePoint', 'OneDrive'] }]);
    expect(() => new MappingSet(parseMappingFile(`logType: A.B\nsources:\n  kql:\n    table: OfficeActivity\n    filter:\n      - {column: Nope, value: x}\n`, 'g.yaml'))).toThrow(
      /g\.yaml:\d+:\d+: .*'Nope' is not in table OfficeActivity/,
    );
    expect(() => parseMappingFile(`logType: A.B\nsources:\n  kql:\n    table: T\n    filter:\n      - {column: C}\n`, 'h.yaml')).toThrow(/h\.yaml:\d+:\d+: .*needs column and value/);
  });

  it("puts the filter first in the query and the log's row carries the filtered value", () => {
    const r = rule('Duo.Administrator', eq('action', 'bypass_create'), [test('t', true, { action: 'bypass_create' }), test('f', false, { action: 'other' })]);
    const o = renderRule(r, 'kql', { mapper, templatesDir });
    expect(o.text).toContain('CiscoDuo_CL\n| where eventtype_s == "administrator"\n| where action_s == "bypass_create"');
    expect(checkKql(o.text)).toEqual([]);
    expect(projectKql({ action: 'x' }, 'Duo.Administrator', mapper).columns['eventtype_s']).toBe('administrator');
    expect(proveOutput(o, r, mapper)!.tests).toMatchObject({ passed: 2, failed: 0, notEvaluable: 0 });
    const sp = renderRule(rule('Microsoft365.Audit.SharePoint', eq('Operation', 'FileDeleted'), []), 'kql', { mapper, templatesDir }).text;
    expect(sp).toContain('OfficeActivity\n| where OfficeWorkload in ("SharePoint", "OneDrive")');
  });

  it('a sub path may hold list indices (AWSSecurityHubFindings.RawData holds the finding at findings[0])', () => {
    expect(parseMappingFile(`logType: A.B\nsources:\n  kql: {table: T}\nprefixes:\n  x: {kql: {name: RawData, sub: 'findings[0].Action'}}\n`, 'i.yaml')[0]!.prefixes[0]!.cells.kql!.sub).toEqual(['findings', 0, 'Action']);
    const f = mapped(mapper.resolve('AWS.SecurityFindingFormat', 'kql', ['Action', 'AwsApiCallAction', 'Api']));
    expect(f).toMatchObject({ name: 'RawData', sub: ['findings', 0, 'Action', 'AwsApiCallAction', 'Api'], access: 'dynamic' });
    const e = projectKql({ Action: { AwsApiCallAction: { Api: 'GetObject' } }, GeneratorId: 'g' }, 'AWS.SecurityFindingFormat', mapper);
    expect(e.columns['RawData']).toEqual({ findings: [{ Action: { AwsApiCallAction: { Api: 'GetObject' } } }] });
    expect(e.columns['AwsSecurityFindingGeneratorId']).toBe('g');
  });
});

describe('sourced tables for the corpus log types', () => {
  it('map to the connector tables with their real columns', () => {
    const k = (lt: string, ...p: (string | number)[]) => mapped(mapper.resolve(lt, 'kql', p));
    expect(k('AWS.VPCFlow', 'dstPort')).toMatchObject({ name: 'DstPort', type: 'int' });
    expect(k('AWS.VPCFlow', 'srcaddr').name).toBe('SrcAddr'); // casing normalised
    expect(k('AWS.WAFWebACL', 'httpRequest', 'clientIp').name).toBe('ClientIp');
    expect(k('AWS.WAFWebACL', 'httpRequest', 'headers', 0, 'name')).toMatchObject({ name: 'Headers', sub: [0, 'name'] });
    expect(k('AWS.GuardDuty', 'service', 'additionalInfo', 'sample')).toMatchObject({ name: 'ServiceDetails', inferred: true });
    expect(k('OpenAI.Audit', 'actor', 'session', 'user', 'email')).toMatchObject({ name: 'ActorSession', sub: ['user', 'email'] });
    expect(k('Duo.Authentication', 'access_device', 'ip').name).toBe('access_device_ip_s');
    expect(k('Zoom.Operation', 'category_type').name).toBe('CategoryType');
    expect(k('MicrosoftIntune.AuditLogs', 'properties', 'TargetObjectIds')).toMatchObject({ name: 'Properties', access: 'json_string' });
    expect(k('OnePassword.SignInAttempt', 'type').name).toBe('action_type');
  });

  it('refuse the fields whose values differ from what Panther reads (S3 writes "-" for an absent value)', () => {
    for (const f of ['requester', 'errorcode', 'key', 'ciphersuite', 'tlsVersion']) {
      const u = mapper.resolve('AWS.S3ServerAccess', 'kql', [f]);
      expect(u, f).toMatchObject({ unmapped: true });
      expect((u as Unmapped).message, f).toMatch(/"-"/);
    }
    expect(mapper.resolve('Microsoft365.Audit.Exchange', 'kql', ['RecordType'])).toMatchObject({ unmapped: true });
  });
});
