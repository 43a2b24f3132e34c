/**
 * A rule over several log types: KQL and Sentinel query every one of them, a union of one query per
 * log type (each with the condition as it reads there, data models included), Sigma one detection rule per
 * log source (and, for a threshold, one event_count correlation counting all of them); each proven on the
 * tests of every log type; YARA-L one rule whose events are an `or` over the log types. Logs Insights:
 * test/cwl.logtypes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import type { TargetName } from '../src/mapping/types.js';
import { liftFile } from '../src/pipeline.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';

const RULE = 'rules/standard/standard_break_glass_sign_in.yml';
const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };

describe('rules with several log types', () => {
  const { rule } = liftFile(RULE);

  it('the sample has several log types and tests of each', () => {
    expect(rule.meta.logTypes).toEqual(['Okta.SystemLog', 'Azure.Audit']);
    const types = new Set(rule.tests.map((t) => (t.log as Record<string, unknown>)['p_log_type']));
    expect(types).toEqual(new Set(['Okta.SystemLog', 'Azure.Audit']));
  });

  for (const target of ['kql', 'sentinel']) {
    it(`${target}: one union branch per log type, each on its own table and condition, proven on every log type's tests`, () => {
      const out = renderRule(rule, target, ctx);
      expect(out.logTypes).toEqual(['Okta.SystemLog', 'Azure.Audit']);
      expect(out.reasons.map((r) => r.code)).not.toContain('target-first-log-type');
      expect(out.text).toMatch(/union isfuzzy=true\n\s+\(OktaV2_CL\n/);
      // Azure.Audit's SigninLogs alone: AuditLogs has no UserPrincipalName column (kql/index.ts tablesWithColumns)
      expect(out.text).toMatch(/\(SigninLogs\n/);
      // the Okta branch reads Okta's columns, the Entra ID branch Entra ID's
      expect(out.text).toMatch(/OktaV2_CL\n\s+\| where OriginalActorAlternateId in~/);
      expect(out.text).toMatch(/SigninLogs\n(\s+\|.*\n)*\s+\| where UserPrincipalName in~/);
      const report = proveOutput(out, rule, mapper)!;
      expect(report.tests.failed).toBe(0);
      expect(report.tests.notEvaluable).toBe(0);
      expect(report.outcomes.filter((o) => o.status === 'passed' || o.status === 'declared').length).toBe(rule.tests.filter((t) => !t.mocks?.length).length);
    });
  }

  it('sentinel requires the data connectors of every log type', () => {
    const out = renderRule(rule, 'sentinel', ctx);
    expect(out.text).toMatch(/connectorId: OktaSSOv2/);
    expect(out.text).toMatch(/connectorId: AzureActiveDirectory/);
  });

  it('sigma: one detection rule per log source, distinct ids, proven on every log type\'s tests', () => {
    const out = renderRule(rule, 'sigma', ctx);
    expect(out.logTypes).toEqual(['Okta.SystemLog', 'Azure.Audit']);
    expect(out.reasons.map((r) => r.code)).not.toContain('target-first-log-type');
    const docs = out.text.split(/^---$/m);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatch(/logsource:\n {4}product: okta\n/);
    expect(docs[1]).toMatch(/logsource:\n {4}product: azure\n/);
    const ids = docs.map((d) => /^id: (\S+)$/m.exec(d)?.[1]);
    expect(new Set(ids).size).toBe(2);
    // outputs are lifted on the first log type: only its rule lists fields
    expect(docs[0]).toMatch(/^fields:/m);
    expect(docs[1]).not.toMatch(/^fields:/m);
    const report = proveOutput(out, rule, mapper)!;
    expect(report.tests.failed).toBe(0);
    expect(report.tests.notEvaluable).toBe(0);
  });

  // a mapper whose Asana.Audit has no UDM base filter (no parser, and no custom log type: a '*' document
  // cannot say that, so the mechanism is tested on a mapper that answers so)
  const noAsana = Object.assign(Object.create(mapper) as typeof mapper, {
    source: (lt: string, t: TargetName) => (lt === 'Asana.Audit' && t === 'yaral' ? undefined : mapper.source(lt, t)),
  });
  const noAsanaCtx = { ...ctx, mapper: noAsana };

  it('YARA-L: a log type without a UDM base filter is left out, said so, and the others stay covered', () => {
    // the sample's two log types and one without a base filter, first
    const wider = { ...rule, meta: { ...rule.meta, logTypes: ['Asana.Audit', ...rule.meta.logTypes] } };
    const out = renderRule(wider, 'yaral', noAsanaCtx);
    expect(out.logTypes).toEqual(['Okta.SystemLog', 'Azure.Audit']);
    // the same reasons as without Asana.Audit, and the one saying it is left out
    const alone = renderRule(rule, 'yaral', ctx);
    expect(out.fidelity).toBe(alone.fidelity);
    expect(out.reasons.filter((r) => r.code !== 'target-log-type-left-out').map((r) => r.message)).toEqual(alone.reasons.map((r) => r.message));
    const codes = out.reasons.map((r) => r.code);
    expect(codes).not.toContain('target-first-log-type');
    expect(codes).not.toContain('unsupported-log-type');
    expect(out.reasons.find((r) => r.code === 'target-log-type-left-out')?.message).toMatch(/log type Asana\.Audit has no UDM base filter mapping: the rule covers Okta\.SystemLog, Azure\.Audit only/);
    expect(out.text).toMatch(/events:\n    \(\n        \(\$e\.metadata\.vendor_name = "Okta" and .*\)\n        or \(\$e\.metadata\.vendor_name = "Microsoft" and .*\)\n    \)\n/);
    const report = proveOutput(out, wider, noAsana)!;
    expect(report.tests.failed).toBe(0);
    expect(report.tests.notEvaluable).toBe(0);
  });

  it('YARA-L: where one log type alone has a base filter, the rule is that one\'s, read back on its tests', () => {
    const { rule: two } = liftFile('rules/standard/standard_login_failed_asana_okta.yml');
    expect(two.meta.logTypes).toEqual(['Asana.Audit', 'Okta.SystemLog']);
    const out = renderRule(two, 'yaral', noAsanaCtx);
    expect(out.logTypes).toEqual(['Okta.SystemLog']);
    expect(out.fidelity).toBe('approximate');
    expect(out.reasons.map((r) => r.code)).toEqual(['target-log-type-left-out']);
    expect(out.text).toContain('$e.metadata.product_event_type = "user.account.lock"');
    expect(out.text).not.toContain('user_login_failed');
    const report = proveOutput(out, two, noAsana)!;
    const okta = two.tests.filter((t) => (t.log as Record<string, unknown>)['p_log_type'] === 'Okta.SystemLog').length;
    expect(report.tests.passed).toBe(okta);
    expect(report.tests.notEvaluable).toBe(two.tests.length - okta);
  });

  it('YARA-L: log types read from one Chronicle label whose conditions read the same are one set of statements', () => {
    const { rule: m365 } = liftFile('rules/microsoft365/m365_guest_sharing_activity.yml');
    const out = renderRule(m365, 'yaral', ctx);
    expect(out.logTypes).toEqual(['Microsoft365.Audit.Exchange', 'Microsoft365.Audit.SharePoint']);
    expect(out.text.split('$e.metadata.log_type = "OFFICE_365"').length).toBe(2);
    expect(out.text).not.toMatch(/\n        or \(/);
    expect(out.reasons.map((r) => r.code)).toEqual(['target-shared-base-filter', 'target-shared-base-filter']);
    const report = proveOutput(out, m365, mapper)!;
    expect(report.tests.failed).toBe(0);
    expect(report.tests.passed).toBe(m365.tests.length);
  });

  it('YARA-L: a log type without a Chronicle parser is read from its custom log type, beside the others, read back on every test', () => {
    const { rule: two } = liftFile('rules/standard/standard_login_failed_asana_okta.yml');
    const out = renderRule(two, 'yaral', ctx);
    expect(out.logTypes).toEqual(['Asana.Audit', 'Okta.SystemLog']);
    expect(out.fidelity).toBe('exact');
    expect(out.text).toContain('($e.metadata.log_type = "ASANA_AUDIT" and $e.additional.fields["event_type"] = "user_login_failed")');
    expect(out.text).toContain('custom_log_type = "ASANA_AUDIT (Asana.Audit): custom log type');
    expect(out.diagnostics.map((d) => `${d.severity} ${d.code}`)).toContain('warning yaral-custom-log-type');
    expect(renderRule(two, 'yaral', { ...ctx, strict: true }).diagnostics.map((d) => `${d.severity} ${d.code}`)).toContain('error yaral-custom-log-type');
    const report = proveOutput(out, two, mapper)!;
    expect(report.tests.failed).toBe(0);
    expect(report.tests.notEvaluable).toBe(0);
    expect(report.tests.passed).toBe(two.tests.length);
  });

  it('YARA-L: one rule whose events are an `or` of each log type\'s base filter and condition, read back on every log type\'s tests', () => {
    const out = renderRule(rule, 'yaral', ctx);
    expect(out.logTypes).toEqual(['Okta.SystemLog', 'Azure.Audit']);
    expect(out.reasons.map((r) => r.code)).not.toContain('target-first-log-type');
    expect(out.text).toMatch(/events:\n    \(\n        \(\$e\.metadata\.vendor_name = "Okta" and .*\)\n        or \(\$e\.metadata\.vendor_name = "Microsoft" and .*\)\n    \)\n/);
    // Entra ID's errorCode is a number, its UDM field (security_result.action_details) a string: a
    // comparison Chronicle would reject is not written, but declared and replaced by its superset
    expect(out.text).not.toContain('action_details = 0');
    expect(out.reasons.map((r) => r.message)).toContainEqual(expect.stringContaining('a comparison of the string UDM field $e.security_result.action_details with a number'));
    const report = proveOutput(out, rule, mapper)!;
    expect(report.tests.failed).toBe(0);
    expect(report.tests.notEvaluable).toBe(0);
  });
});

describe('a threshold rule with several log types', () => {
  const { rule } = liftFile('rules/azure_activity/azure_failures_from_one_ip.yml');

  it('sigma: one detection rule per log source and one event_count correlation counting all of them, proven on every log type\'s tests', () => {
    const out = renderRule(rule, 'sigma', ctx);
    expect(out.reasons.map((r) => r.code)).not.toContain('target-first-log-type');
    const docs = out.text.split(/^---$/m);
    expect(docs).toHaveLength(3);
    const ids = docs.slice(0, 2).map((d) => /^id: (\S+)$/m.exec(d)![1]);
    expect(new Set(ids).size).toBe(2);
    // the correlation comes last, lists both rules and groups by the field both log types name alike
    expect(docs[2]).toContain(`correlation:\n    type: event_count\n    rules:\n        - ${ids[0]}\n        - ${ids[1]}\n    group-by:\n        - callerIpAddress\n`);
    expect(docs.slice(0, 2).every((d) => !/^correlation:/m.test(d))).toBe(true);
    const report = proveOutput(out, rule, mapper)!;
    expect(report.tests).toMatchObject({ passed: 6, failed: 0, notEvaluable: 0 });
    expect(report.aggregation).toBe('event_count gte 5 within 30m by callerIpAddress');
  });

  it('YARA-L: without grouping keys, counted per metadata.log_type: declared (Panther counts them together)', () => {
    // the sample's key has no UDM field on Entra ID: with a constant title and no dedup(), no key at all
    const keyless = { ...rule, title: [{ text: 'Failed Azure sign-ins and operations' }], aggregation: { ...rule.aggregation!, groupBy: [] } };
    const out = renderRule(keyless, 'yaral', ctx);
    expect(out.reasons.map((r) => r.code)).not.toContain('target-first-log-type');
    expect(out.reasons.find((r) => r.code === 'target-threshold-split')).toMatchObject({ direction: 'narrower' });
    expect(out.text).toContain('$log_type = $e.metadata.log_type');
    const report = proveOutput(out, keyless, mapper)!;
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('YARA-L: a grouping key one log type cannot write keeps the first log type alone, declared', () => {
    const out = renderRule(rule, 'yaral', ctx);
    expect(out.reasons.map((r) => r.code)).toContain('target-first-log-type');
  });
});
