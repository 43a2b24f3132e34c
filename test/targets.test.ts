/**
 * Targets: the KMS seed rule on every target, then each construct's case, missing-field and
 * escaping semantics. Every KQL query is analysed by Kusto.Language, every Sigma document is
 * validated against the official JSON schemas.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Aggregation, Json, Pred, Reason, Rule, Val } from '../src/ast/types.js';
import type { PathSeg } from '../src/ast/view.js';
import { customKqlTables } from '../src/mapping/custom.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import type { FieldMapper, LogSource, MappedField, TargetName, Unmapped } from '../src/mapping/types.js';
import { sigmaUnescape } from '../src/targets/sigma/escape.js';
import { defaultTemplatesDir, renderRule, targetNames, targets } from '../src/targets/registry.js';
import { validateAnalyticRule } from '../src/targets/sentinel/schema.js';
import type { RenderContext, TargetOutput } from '../src/targets/types.js';
import { getPath, lit } from './support.js';

// ---------------------------------------------------------------------------------------------
// AST helpers

/** `event.get(a, {}).get(b, d)` */
const get = getPath;
const not = (arg: Pred): Pred => ({ k: 'not', arg });
const and = (...args: Pred[]): Pred => ({ k: 'and', args });
const or = (...args: Pred[]): Pred => ({ k: 'or', args });

const KMS_OUTPUTS = ['eventName', 'eventSource', 'awsRegion', 'recipientAccountId', 'sourceIPAddress', 'userAgent', 'userIdentity'];

function rule(condition: Pred, over: Partial<Rule> = {}, meta: Partial<Rule['meta']> = {}): Rule {
  return {
    meta: {
      id: 'AWS.KMS.CustomerManagedKeyLoss',
      displayName: 'KMS CMK Disabled or Deleted',
      description: 'A KMS Customer Managed Key was disabled or scheduled for deletion. This could potentially lead to permanent loss of encrypted data.',
      severity: 'Info',
      enabled: true,
      logTypes: ['AWS.CloudTrail'],
      tags: ['AWS', 'Identity & Access Management', 'Impact:Data Destruction'],
      mitre: [{ tactic: 'TA0040', technique: 'T1485' }],
      reference: 'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html',
      runbook: 'https://docs.runpanther.io/alert-runbooks/built-in-rules/aws-kms-cmk-loss',
      summaryAttributes: ['eventName', 'userAgent', 'sourceIpAddress', 'recipientAccountId', 'p_any_aws_arns'],
      file: 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml',
      pyFile: 'rules/aws_cloudtrail/aws_kms_cmk_loss.py',
      ...meta,
    },
    condition,
    outputs: KMS_OUTPUTS.map((name) => ({ name, value: get(name), source: 'alert_context' as const })),
    tests: [],
    reasons: [],
    ...over,
  };
}

/** The seed rule: not (errorCode or errorMessage) and eventName in [...]. */
const KMS_CONDITION: Pred = and(
  not(or({ k: 'truthy', value: get('errorCode', '') }, { k: 'truthy', value: get('errorMessage', '') })),
  { k: 'in', value: get('eventName'), list: ['DisableKey', 'ScheduleKeyDeletion'] },
);
const kms = rule(KMS_CONDITION);

// ---------------------------------------------------------------------------------------------
// A small in-memory mapper (stable for construct tests; the real one is used for the seed rule)

const KQL_COLUMNS: Record<string, { name: string; type: string }> = {
  eventName: { name: 'EventName', type: 'string' },
  eventSource: { name: 'EventSource', type: 'string' },
  errorCode: { name: 'ErrorCode', type: 'string' },
  errorMessage: { name: 'ErrorMessage', type: 'string' },
  awsRegion: { name: 'AWSRegion', type: 'string' },
  sourceIPAddress: { name: 'SourceIpAddress', type: 'string' },
  userAgent: { name: 'UserAgent', type: 'string' },
  recipientAccountId: { name: 'RecipientAccountId', type: 'string' },
  readOnly: { name: 'ReadOnly', type: 'bool' },
  'userIdentity.type': { name: 'UserIdentityType', type: 'string' },
  'userIdentity.arn': { name: 'UserIdentityArn', type: 'string' },
  'userIdentity.userName': { name: 'UserIdentityUserName', type: 'string' },
  'userIdentity.accountId': { name: 'UserIdentityAccountId', type: 'string' },
};
const JSON_COLUMNS: Record<string, string> = { requestParameters: 'RequestParameters', responseElements: 'ResponseElements', resources: 'Resources' };
const UDM: Record<string, MappedField> = {
  eventName: { name: 'metadata.product_event_type' },
  eventSource: { name: 'target.application' },
  errorCode: { name: 'security_result.rule_id' },
  errorMessage: { name: 'security_result.description' },
  sourceIPAddress: { name: 'principal.ip' },
  userAgent: { name: 'network.http.user_agent' },
  awsRegion: { name: 'principal.location.name' },
  'userIdentity.arn': { name: 'principal.user.userid' },
  'userIdentity.type': { name: 'principal.resource.type' },
  recipientAccountId: { name: 'additional.fields["recipientAccountId"]', fallback: true },
};

function fakeMapper(opts: { cwlNative?: boolean; noSources?: boolean } = {}): FieldMapper {
  const unmapped = (msg: string): Unmapped => ({ unmapped: true, message: msg });
  return {
    logTypes: () => ['AWS.CloudTrail'],
    canonicalPath: (_lt, p) => p,
    source(logType: string, target: TargetName): LogSource | undefined {
      if (opts.noSources || logType !== 'AWS.CloudTrail') return undefined;
      switch (target) {
        case 'kql':
          return { table: 'AWSCloudTrail' };
        case 'sigma':
          return { logsource: { product: 'aws', service: 'cloudtrail' } };
        case 'yaral':
          return { baseFilter: [{ field: 'metadata.vendor_name', value: 'AMAZON' }, { field: 'metadata.product_name', value: 'AWS CloudTrail' }] };
        case 'cwl':
          return { native: opts.cwlNative ?? true };
      }
    },
    resolve(logType: string, target: TargetName, path: PathSeg[]): MappedField | Unmapped {
      if (logType !== 'AWS.CloudTrail') return unmapped('no mapping file');
      const dotted = path.join('.');
      if (path[0] === 'p_any_aws_arns') return unmapped('Panther-only field');
      if (target === 'sigma' || target === 'cwl') return { name: dotted };
      if (target === 'kql') {
        const c = KQL_COLUMNS[dotted];
        if (c) return { name: c.name, access: 'column', type: c.type };
        const j = JSON_COLUMNS[String(path[0])];
        if (j) return path.length > 1 ? { name: j, sub: path.slice(1), access: 'json_string', type: 'dynamic' } : { name: j, access: 'json_string', type: 'string' };
        return unmapped(`no column for ${dotted}`);
      }
      return UDM[dotted] ?? unmapped(`no UDM field for ${dotted}`);
    },
  };
}

const templatesDir = defaultTemplatesDir();
const fake: RenderContext = { mapper: fakeMapper(), templatesDir };
const real: RenderContext = { mapper: loadMappings(), templatesDir };

// ---------------------------------------------------------------------------------------------
// Independent checkers

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const loadSchema = (name: string) => {
  const s = JSON.parse(readFileSync(new URL(`../schemas/sigma/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
  delete s.$schema;
  return s;
};
const validateRule = ajv.compile(loadSchema('sigma-detection-rule-schema.json'));
const validateCorrelation = ajv.compile(loadSchema('sigma-correlation-rules-schema.json'));

/** Parse a Sigma artifact, validate every document against its schema, return the documents. */
function sigmaDocs(text: string): Record<string, any>[] {
  const docs = parseAllDocuments(text).map((d) => {
    expect(d.errors, `YAML errors in:\n${text}`).toEqual([]);
    return d.toJS() as Record<string, any>;
  });
  for (const d of docs) {
    const v = d.correlation ? validateCorrelation : validateRule;
    v(d);
    // an ungrouped threshold omits group-by: the specification requires one or more fields, an empty
    // list breaks pySigma's SQL backends, and pySigma reads its absence as one group (declared)
    const ungrouped = d.correlation && d.correlation['group-by'] === undefined;
    const errors = (v.errors ?? []).filter((e) => !(ungrouped && ((e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === 'group-by') || (e.keyword === 'if' && e.instancePath === '/correlation'))));
    expect(errors, `schema errors ${JSON.stringify(errors)} in:\n${text}`).toEqual([]);
    if (!d.correlation) {
      // every selection used by the condition exists, and every selection is used
      const names = Object.keys(d.detection).filter((k) => k !== 'condition');
      const used = String(d.detection.condition).match(/[A-Za-z_][A-Za-z0-9_]*/g)!.filter((w) => !['and', 'or', 'not', 'of', 'all', 'them'].includes(w));
      expect(new Set(used)).toEqual(new Set(names));
    }
  }
  return docs;
}

function expectKqlOk(text: string, tables?: Record<string, Record<string, string>>): void {
  const errs = checkKql(text, tables ? { tables } : undefined);
  expect(errs, `KQL errors in:\n${text}`).toEqual([]);
}

/** The non-comment body of a query. */
const body = (text: string, comment: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith(comment))
    .join('\n');

/** `kqlTables`: the custom-log tables the rule declares (customKqlTables), for the Kusto.Language checks. */
function renderAll(r: Rule, ctx: RenderContext = fake, kqlTables?: Record<string, Record<string, string>>): Record<string, TargetOutput> {
  const out: Record<string, TargetOutput> = {};
  for (const t of targetNames) {
    out[t] = renderRule(r, t, ctx);
    if (t === 'kql') expectKqlOk(out[t]!.text, kqlTables);
    if (t === 'sigma') sigmaDocs(out[t]!.text);
    if (t === 'yaral') expectYaralShape(out[t]!.text);
    if (t === 'sentinel') expectSentinelOk(out[t]!.text, kqlTables);
  }
  return out;
}

/** A Sentinel analytic rule valid against the template schema (with its query analysed), or a refusal. */
function expectSentinelOk(text: string, tables?: Record<string, Record<string, string>>): void {
  if (text.split('\n').every((l) => l === '' || l.startsWith('#'))) return;
  const docs = parseAllDocuments(text);
  expect(docs).toHaveLength(1);
  expect(docs[0]!.errors).toEqual([]);
  const errs = validateAnalyticRule(docs[0]!.toJS(), {
    checkQuery: (q) => checkKql(q, tables ? { tables } : undefined).map((d) => `${d.code} ${d.message}`),
    columnExists: (q, c) => checkKql(`${q.trimEnd()}\n| project ${c}`, tables ? { tables } : undefined).length === 0,
  });
  expect(errs, text).toEqual([]);
}

/** YARA-L structure: sections in grammar order, meta values quoted, balanced braces, valid name. */
function expectYaralShape(text: string): void {
  if (text.startsWith('//')) return; // refused artifact
  const m = /^rule ([A-Za-z_][A-Za-z0-9_]*) \{\n([\s\S]*)\n\}\n?$/.exec(text);
  expect(m, text).not.toBeNull();
  const sections = [...m![2]!.matchAll(/^ {2}(meta|events|match|outcome|condition|options):$/gm)].map((x) => x[1]);
  const order = ['meta', 'events', 'match', 'outcome', 'condition', 'options'];
  expect(sections).toEqual(order.filter((s) => sections.includes(s)));
  expect(sections).toEqual(expect.arrayContaining(['meta', 'events', 'condition']));
  const metaBlock = /  meta:\n([\s\S]*?)\n\n/.exec(text)![1]!;
  for (const line of metaBlock.split('\n')) expect(line).toMatch(/^ {4}[A-Za-z_][A-Za-z0-9_]* = "(?:[^"\\\n]|\\["\\nrt])*"$/);
}

// ---------------------------------------------------------------------------------------------

describe('registry', () => {
  it('knows the five targets', () => {
    expect(targetNames).toEqual(['sigma', 'kql', 'sentinel', 'yaral', 'cwl']);
    for (const n of targetNames) expect(targets[n]!.name).toBe(n);
    expect(() => renderRule(kms, 'splunk', fake)).toThrow(/unknown target/);
  });
});

describe('the KMS seed rule (real mappings)', () => {
  const out = renderAll(kms, real);

  it('is exact on every target', () => {
    for (const t of targetNames) expect(out[t]!.fidelity, `${t}: ${JSON.stringify(out[t]!.reasons)}`).toBe('exact');
  });

  it('KQL: case-sensitive in (...) on EventName and emptiness checks on ErrorCode/ErrorMessage', () => {
    const q = body(out.kql!.text, '//');
    expect(q).toMatch(/^AWSCloudTrail$/m);
    expect(q).toContain('| where EventName in ("DisableKey", "ScheduleKeyDeletion")');
    expect(q).toContain('| where isempty(ErrorCode)');
    expect(q).toContain('| where isempty(ErrorMessage)');
    expect(q).not.toMatch(/in~|=~| has |contains(?!_cs)/);
    expect(q).toMatch(/\| project TimeGenerated, EventName, EventSource, AWSRegion, RecipientAccountId, SourceIpAddress, UserAgent$/m);
    expect(out.kql!.text).toMatch(/^\/\/ Panther rule AWS\.KMS\.CustomerManagedKeyLoss \(rules\/aws_cloudtrail\/aws_kms_cmk_loss\.yml/);
    // userIdentity has no single column: reported, not silently dropped
    expect(out.kql!.diagnostics.map((d) => d.code)).toContain('output-unmapped');
  });

  it('Sigma: cased eventName list, null-or-empty error fields, metadata', () => {
    const [doc] = sigmaDocs(out.sigma!.text);
    const d = doc!.detection;
    const sel = Object.values(d).find((s: any) => s && typeof s === 'object' && 'eventName|cased' in s) as any;
    expect(sel['eventName|cased']).toEqual(['DisableKey', 'ScheduleKeyDeletion']);
    // no case-insensitive eventName anywhere
    expect(JSON.stringify(d)).not.toMatch(/"eventName"/);
    for (const f of ['errorCode', 'errorMessage']) {
      const empty = Object.entries(d).find(([, s]) => Array.isArray(s) && s.some((m: any) => f in m));
      expect(empty, f).toBeDefined();
      expect(empty![1]).toEqual([{ [f]: null }, { [f]: '' }]);
      expect(d.condition).toContain(empty![0]);
      expect(d.condition).not.toContain(`not ${empty![0]}`);
    }
    expect(doc!.logsource).toEqual({ product: 'aws', service: 'cloudtrail' });
    expect(doc!.level).toBe('informational');
    expect(doc!.tags).toEqual(['attack.impact', 'attack.t1485']);
    expect(doc!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(doc!.title).toBe('KMS CMK Disabled or Deleted');
    expect(doc!.references).toContain('https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html');
    expect(doc!.fields).toEqual(KMS_OUTPUTS);
    expect(doc!.panther).toMatchObject({ rule_id: 'AWS.KMS.CustomerManagedKeyLoss', fidelity: 'exact' });
    expect(doc!.description).toContain('Transpiled from Panther rule AWS.KMS.CustomerManagedKeyLoss');
  });

  it('YARA-L: base filter, equalities (no unanchored alternation), outcomes, $e', () => {
    const y = out.yaral!.text;
    expect(y).toMatch(/^rule AWS_KMS_CustomerManagedKeyLoss \{/);
    // the CloudTrail parser's ingestion label (mappings/aws_cloudtrail.yaml), not the vendor/product pair
    expect(y).toContain('$e.metadata.log_type = "AWS_CLOUDTRAIL"');
    expect(y).not.toContain('$e.metadata.vendor_name');
    // two exact values: one anchored regex, shorter than the two equalities (yaral/printer.ts)
    expect(y).toContain('$e.metadata.product_event_type = /(?s)^(?:DisableKey|ScheduleKeyDeletion)$/');
    expect(y).not.toMatch(/nocase/);
    expect(y).not.toMatch(/\/DisableKey\|/);
    expect(y).toContain('$e.security_result.rule_id = ""');
    expect(y).toContain('$risk_score = 10');
    // one event (no match section): a field that is not repeated is one value; a repeated one is aggregated
    expect(y).toContain('$eventName = $e.metadata.product_event_type');
    expect(y).toContain('$sourceIPAddress = array_distinct($e.principal.ip)');
    expect(y).toMatch(/ {2}condition:\n {4}\$e\n\}/);
    expect(y).toContain('panther_rule_id = "AWS.KMS.CustomerManagedKeyLoss"');
    expect(y).toContain('severity = "Informational"');
    expect(y).toContain('mitre_attack_technique = "T1485"');
  });

  it('Logs Insights: fields, in [...], isempty, sort, limit', () => {
    const q = body(out.cwl!.text, '#');
    expect(q.split('\n')[0]).toBe('fields @timestamp, eventName, eventSource, awsRegion, recipientAccountId, sourceIPAddress, userAgent, userIdentity');
    expect(q).toContain('| filter eventName in ["DisableKey", "ScheduleKeyDeletion"]');
    expect(q).toContain('| filter isempty(errorCode)');
    expect(q).toContain('| filter isempty(errorMessage)');
    expect(q).toMatch(/\| sort @timestamp desc\n\| limit 10000\n$/);
    expect(out.cwl!.text.split('\n')[0]).toMatch(/^# Panther rule AWS\.KMS\.CustomerManagedKeyLoss/);
  });

  it('is deterministic', () => {
    for (const t of targetNames) expect(renderRule(kms, t, real).text).toBe(out[t]!.text);
  });
});

describe('case sensitivity', () => {
  const cs = renderAll(rule({ k: 'cmp', op: 'eq', left: get('eventSource'), right: lit('kms.amazonaws.com') }));
  const ci = renderAll(rule({ k: 'cmp', op: 'eq', left: get('eventSource'), right: lit('kms.amazonaws.com'), ci: true }));

  it('KQL: == vs =~', () => {
    expect(cs.kql!.text).toContain('| where EventSource == "kms.amazonaws.com"');
    expect(ci.kql!.text).toContain('| where EventSource =~ "kms.amazonaws.com"');
  });
  it('Sigma: |cased vs plain', () => {
    expect(sigmaDocs(cs.sigma!.text)[0]!.detection.selection_eventSource).toEqual({ 'eventSource|cased': 'kms.amazonaws.com' });
    expect(sigmaDocs(ci.sigma!.text)[0]!.detection.selection_eventSource).toEqual({ eventSource: 'kms.amazonaws.com' });
  });
  it('YARA-L: = vs nocase', () => {
    expect(cs.yaral!.text).toContain('$e.target.application = "kms.amazonaws.com"\n');
    expect(ci.yaral!.text).toContain('$e.target.application = "kms.amazonaws.com" nocase\n');
  });
  it('Logs Insights: = vs (?i) anchored regex', () => {
    expect(cs.cwl!.text).toContain('| filter eventSource = "kms.amazonaws.com"');
    // k and s pinned to the characters lower() folds to them (engines also fold k with K, s with ſ)
    expect(ci.cwl!.text).toContain('| filter eventSource =~ /(?i)^(?-i:[Kk\u212a])m(?-i:[Ss])\\.amazonaw(?-i:[Ss])\\.com$/');
  });
  it('ci in-lists', () => {
    const o = renderAll(rule({ k: 'in', value: get('eventName'), list: ['disablekey', 'schedulekeydeletion'], ci: true }));
    expect(o.kql!.text).toContain('EventName in~ ("disablekey", "schedulekeydeletion")');
    expect(sigmaDocs(o.sigma!.text)[0]!.detection.selection_eventName).toEqual({ eventName: ['disablekey', 'schedulekeydeletion'] });
    // YARA-L: one regex of the values, read with the `nocase` the equalities would carry (yaral/printer.ts inList)
    expect(o.yaral!.text).toContain('$e.metadata.product_event_type = /(?s)^(?:disablekey|schedulekeydeletion)$/ nocase');
    expect(o.cwl!.text).toContain('eventName =~ /(?i)^(?:d(?-i:[Ii])(?-i:[Ss])able(?-i:[Kk\u212a])ey|(?-i:[Ss])chedule(?-i:[Kk\u212a])eydelet(?-i:[Ii])on)$/');
  });
});

describe('string matching', () => {
  const kinds = ['contains', 'startswith', 'endswith'] as const;
  for (const kind of kinds) {
    it(`${kind}: case-sensitive operators, never has`, () => {
      const o = renderAll(rule({ k: 'match', kind, value: get('userAgent'), pattern: 'aws-cli/' }));
      expect(o.kql!.text).toContain(`UserAgent ${kind}_cs "aws-cli/"`);
      expect(body(o.kql!.text, '//')).not.toMatch(/ has /);
      expect(sigmaDocs(o.sigma!.text)[0]!.detection.selection_userAgent).toEqual({ [`userAgent|${kind}|cased`]: 'aws-cli/' });
      const re = { contains: 'aws-cli/', startswith: '^aws-cli/', endswith: 'aws-cli/$' }[kind];
      // YARA-L regexes carry (?s): re.regex otherwise searches only the first line of a value; not a prefix,
      // which matches a value exactly when it matches its first line (yaral/tidy.ts); written as the regex
      // literal `= /re/`, its `/` escaped
      expect(o.yaral!.text).toContain(`$e.network.http.user_agent = /${kind === 'startswith' ? '' : '(?s)'}${re.replace('/', '\\/')}/`);
      if (kind === 'contains') expect(o.cwl!.text).toContain('| filter userAgent like "aws-cli/"');
      else expect(o.cwl!.text).toContain(`| filter userAgent =~ /${re.replace('/', '\\x2f')}/`);
      // Logs Insights: `$` also matches before a final line break in some engines; the values ending in one
      // are left out (the suffix ends in none), so every engine reads it alike (test/cwl.end-anchor.test.ts)
      if (kind === 'endswith') expect(o.cwl!.text).toContain('| filter not (userAgent =~ /[\\x0a-\\x0d\\x85\u2027-\u2030]$/)');
      for (const t of targetNames) expect(o[t]!.fidelity).toBe('exact');
    });
  }
  it('case-insensitive contains', () => {
    const o = renderAll(rule({ k: 'match', kind: 'contains', value: get('userAgent'), pattern: 'boto3', ci: true }));
    expect(o.kql!.text).toContain('UserAgent contains "boto3"');
    expect(sigmaDocs(o.sigma!.text)[0]!.detection.selection_userAgent).toEqual({ 'userAgent|contains': 'boto3' });
    expect(o.yaral!.text).toContain('$e.network.http.user_agent = /(?is)boto3/');
    expect(o.cwl!.text).toContain('userAgent =~ /(?i)boto3/');
  });
  it('negated contains keeps the field requirement Python has (no default: error, not a match)', () => {
    const o = renderAll(rule(not({ k: 'match', kind: 'contains', value: get('userAgent', ''), pattern: 'console' })));
    expect(o.kql!.text).toContain('UserAgent !contains_cs "console"');
    // with a default "" the missing field is "", which does not contain "console": the negation holds
    expect(o.cwl!.text).toContain('| filter not (ispresent(userAgent)) or not (userAgent like "console")\n');
    expect(sigmaDocs(o.sigma!.text)[0]!.detection.condition).toBe('not filter_userAgent');
  });
  it('Sigma wildcards in values are escaped, globs keep theirs', () => {
    const o = renderAll(rule(or(
      { k: 'cmp', op: 'eq', left: get('eventName'), right: lit('Get*?\\x') },
      { k: 'match', kind: 'glob', value: get('eventSource'), pattern: '*.amazonaws.com' },
    )));
    const d = sigmaDocs(o.sigma!.text)[0]!.detection;
    expect(d.selection_eventName['eventName|cased']).toBe('Get\\*\\?\\\\x');
    expect(sigmaUnescape(d.selection_eventName['eventName|cased'])).toBe('Get*?\\x');
    expect(d.selection_eventSource['eventSource|cased']).toBe('*.amazonaws.com');
    // a glob that only anchors a literal is the plain string test; one with a wildcard inside stays a regex
    expect(o.kql!.text).toContain('EventSource endswith_cs ".amazonaws.com"');
    const p = renderAll(rule({ k: 'match', kind: 'glob', value: get('eventSource'), pattern: '*.amazonaws.*.com' }));
    expect(p.kql!.text).toContain('EventSource matches regex "(?s)^.*\\\\.amazonaws\\\\..*\\\\.com$"');
    // YARA-L likewise (common/shape.ts): the suffix test, not the glob's \A(?:.*...)\z
    expect(o.yaral!.text).toContain('$e.target.application = /(?s)\\.amazonaws\\.com$/');
    // and the glob's \A(?:.*X)\z is the search X$ (yaral/tidy.ts globAnchors)
    expect(p.yaral!.text).toContain('$e.target.application = /(?s)\\.amazonaws\\..*\\.com$/');
    const q = renderAll(rule({ k: 'match', kind: 'regex', value: get('eventSource'), pattern: '^s3\\.amazonaws\\.com\\Z' }));
    expect(q.yaral!.text).toContain('$e.target.application = "s3.amazonaws.com"');
  });
});

describe('missing fields (Python semantics)', () => {
  it('x != "v" matches events without x', () => {
    const o = renderAll(rule({ k: 'cmp', op: 'ne', left: get('requestParameters.bucketName'), right: lit('logs') }));
    // tostring() of a missing dynamic member is "", which is != "logs": no guard needed
    expect(o.kql!.text).toContain('| where tostring(parse_json(RequestParameters).bucketName) != "logs"\n');
    expect(o.cwl!.text).toContain('| filter not (ispresent(requestParameters.bucketName)) or requestParameters.bucketName != "logs"');
    expect(sigmaDocs(o.sigma!.text)[0]!.detection.condition).toBe('not filter_bucketName');
    for (const t of ['kql', 'sigma', 'cwl']) expect(o[t]!.fidelity).toBe('exact');
  });
  it('a string column reads "" for a missing field: != needs no guard', () => {
    const o = renderAll(rule({ k: 'cmp', op: 'ne', left: get('eventSource'), right: lit('kms.amazonaws.com') }));
    expect(o.kql!.text).toContain('| where EventSource != "kms.amazonaws.com"\n');
    expect(o.kql!.fidelity).toBe('exact');
    expect(o.yaral!.text).toContain('$e.target.application != "kms.amazonaws.com"');
    expect(o.yaral!.fidelity).toBe('exact');
  });
  it('x == "" without a default: true only when present; string columns cannot tell (reported)', () => {
    const o = renderAll(rule({ k: 'cmp', op: 'eq', left: get('eventSource'), right: lit('') }));
    expect(o.kql!.fidelity).toBe('approximate');
    expect(o.kql!.reasons.find((r) => r.code === 'target-missing-vs-empty')?.direction).toBe('wider');
    expect(o.cwl!.text).toContain('| filter eventSource = ""');
    expect(o.cwl!.fidelity).toBe('exact');
  });
  it('get(x, "") == "" is true when x is missing', () => {
    const o = renderAll(rule({ k: 'cmp', op: 'eq', left: get('eventSource', ''), right: lit('') }));
    expect(o.kql!.text).toContain('| where EventSource == ""');
    expect(o.kql!.fidelity).toBe('exact');
    expect(o.cwl!.text).toContain('| filter not (ispresent(eventSource)) or eventSource = ""');
    const d = sigmaDocs(o.sigma!.text)[0]!.detection;
    expect(d.condition).toBe('selection_eventSource_missing or selection_eventSource');
    expect(d.selection_eventSource_missing).toEqual({ eventSource: null });
  });
  it('exists / not exists', () => {
    const o = renderAll(rule(and({ k: 'exists', value: get('requestParameters.policyArn') }, not({ k: 'exists', value: get('errorCode') }))));
    expect(o.kql!.text).toContain('| where isnotnull(parse_json(RequestParameters).policyArn)');
    expect(o.kql!.text).toContain('| where isempty(ErrorCode)');
    expect(o.cwl!.text).toContain('| filter ispresent(requestParameters.policyArn)');
    expect(o.cwl!.text).toContain('| filter not (ispresent(errorCode))');
    // `|exists` is true for a present null, Python's `is None` too: presence is written `field: null`
    const d = sigmaDocs(o.sigma!.text)[0]!.detection;
    expect(JSON.stringify(d)).not.toContain('|exists');
    expect(d.condition).toMatch(/not filter_policyArn/);
    expect(d.filter_policyArn).toEqual({ 'requestParameters.policyArn': null });
    expect(Object.values(d)).toContainEqual({ errorCode: null });
  });
  it('KQL: str(x) compared with texts only a str or an int can give is the typed test; other texts stay a superset', () => {
    const str = (v: Val): Val => ({ k: 'fn', fn: 'str', args: [v] });
    const cmp = (v: Val, s: string, op: 'eq' | 'ne' = 'eq'): Pred => ({ k: 'cmp', op, left: str(v), right: lit(s) });
    const dyn = renderAll(rule(cmp(get('requestParameters.code'), '7'))).kql!;
    expect(dyn.text).toContain('| where gettype(parse_json(RequestParameters).code) in ("string", "long", "int") and tostring(parse_json(RequestParameters).code) == "7"');
    expect(dyn.fidelity).toBe('exact');
    // on a string column: a non-numeric text is the column's equality (a missing value's str() is "None")
    const col = renderAll(rule(cmp(get('eventName'), 'DeleteKey', 'ne'))).kql!;
    expect(col.text).toContain('| where EventName != "DeleteKey"');
    const inList = renderAll(rule({ k: 'in', value: str(get('eventName')), list: ['A', 'B'] })).kql!;
    expect(inList.text).toContain('| where EventName in ("A", "B")');
    // str() of a float, a bool, None, a list: not a str or an int, the superset with its reason
    for (const s of ['1.5', 'True', 'None', '[1]', '', '007']) {
      const o = renderAll(rule(cmp(get('requestParameters.code'), s))).kql!;
      expect(o.reasons.map((r) => r.code), s).toContain('target-computed-value');
    }
    // with a default the missing value's str() is the default's: not this test
    const d = renderAll(rule(cmp(get('requestParameters.code', 'x'), '7'))).kql!;
    expect(d.reasons.map((r) => r.code)).toContain('target-computed-value');
  });

  it('truthy on typed and dynamic KQL values', () => {
    const o = renderAll(rule(and({ k: 'truthy', value: get('readOnly') }, { k: 'truthy', value: get('requestParameters.force') })));
    expect(o.kql!.text).toContain('| where (isnotnull(ReadOnly) and ReadOnly)');
    expect(o.kql!.text).toContain('truthy(parse_json(RequestParameters).force)');
    expect(o.kql!.text).toContain('let truthy = (v: dynamic) {');
  });
});

describe('regular expressions', () => {
  it('Python re.search → RE2 matches regex / |re / re.regex / =~', () => {
    const o = renderAll(rule({ k: 'match', kind: 'regex', value: get('userIdentity.arn'), pattern: '^arn:aws:iam::\\d{12}:root$' }));
    // Python's \d is Unicode-aware and its $ also matches before a final newline: both are spelled out
    expect(o.kql!.text).toContain('UserIdentityArn matches regex "^arn:aws:iam::\\\\p{Nd}{12}:root(?:$|\\\\n\\\\z)"');
    // Sigma (read by pySigma with Python's re, and PCRE): Nd spelled out, PCRE's $ is Python's
    const sig = sigmaDocs(o.sigma!.text)[0]!.detection.selection_arn['userIdentity.arn|re'] as string;
    expect(sig).toMatch(/^\^arn:aws:iam::\[0-9\u0660-\u0669[^\]]*\]\{12\}:root\$$/u);
    expect(o.yaral!.text).toContain('$e.principal.user.userid = /(?s)^arn:aws:iam::\\p{Nd}{12}:root\\n?$/');
    // Logs Insights: no \p{...} nor \z; Python's `$` read alike by every engine: the values ending in no
    // line-end character, or in "\n" after the pattern (test/cwl.end-anchor.test.ts)
    expect(o.cwl!.text).toMatch(/userIdentity\.arn =~ \/\^arn:aws:iam::\[0-9\u0660-\u0669[^\]]*\]\{12\}:root\\n\?\$\//u);
    expect(o.cwl!.text).toMatch(/userIdentity\.arn =~ \/\^arn:aws:iam::\[0-9\u0660-\u0669[^\]]*\]\{12\}:root\\n\$\//u);
    for (const t of targetNames) expect(o[t]!.fidelity).toBe('exact');
  });
  it('re.match and fullmatch are anchored; flags carried', () => {
    const o = renderAll(rule(or(
      { k: 'match', kind: 'regex', value: get('userAgent'), pattern: 'a|b', anchor: 'match' },
      { k: 'match', kind: 'regex', value: get('eventName'), pattern: 'get.*', anchor: 'fullmatch', flags: 'i' },
    )));
    expect(o.kql!.text).toContain('UserAgent matches regex "^(?:a|b)"');
    expect(o.kql!.text).toContain('EventName matches regex "(?i)^get.*$"');
    expect(sigmaDocs(o.sigma!.text)[0]!.detection.selection_eventName).toEqual({ 'eventName|re|i': '\\A(?:get.*)(?![\\s\\S])' });
  });
  it('lookaround is refused: superset constant, approximate wider, valid output', () => {
    const o = renderAll(rule(and(
      { k: 'in', value: get('eventName'), list: ['PutBucketPolicy'] },
      { k: 'match', kind: 'regex', value: get('userAgent'), pattern: '^(?!aws-internal)' },
    )));
    for (const t of targetNames) {
      expect(o[t]!.fidelity).toBe('approximate');
      expect(o[t]!.reasons.some((r) => r.code === 'target-unsupported-construct' && r.direction === 'wider')).toBe(true);
    }
    for (const [t, c] of [['kql', '//'], ['cwl', '#'], ['yaral', '    ']] as const) expect(body(o[t]!.text, c)).not.toContain('(?!');
    expect(JSON.stringify(sigmaDocs(o.sigma!.text)[0]!.detection)).not.toContain('(?!');
    expect(body(o.kql!.text, '//')).toContain('| where EventName == "PutBucketPolicy"\n| project');
  });
});

describe('IP ranges', () => {
  it('IPv4 and IPv6 ranges', () => {
    const o = renderAll(rule({ k: 'cidr', value: get('sourceIPAddress'), ranges: ['10.0.0.0/8', 'fd00::/8'] }));
    expect(o.kql!.text).toContain('(ipv4_is_in_any_range(SourceIpAddress, "10.0.0.0/8") or ipv6_is_in_any_range(SourceIpAddress, "fd00::/8"))');
    expect(sigmaDocs(o.sigma!.text)[0]!.detection.selection_sourceIPAddress).toEqual({ 'sourceIPAddress|cidr': ['10.0.0.0/8', 'fd00::/8'] });
    expect(o.yaral!.text).toContain('net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8") or net.ip_in_range_cidr($e.principal.ip, "fd00::/8")');
    expect(o.cwl!.text).toContain('isIpInSubnet(sourceIPAddress, "10.0.0.0/8") or isIpInSubnet(sourceIPAddress, "fd00::/8")');
  });
  it('not in range', () => {
    const o = renderAll(rule(not({ k: 'cidr', value: get('sourceIPAddress'), ranges: ['10.0.0.0/8'] })));
    // an IPv6 address is in no IPv4 network (Python) while ipv4_is_in_any_range gives null for it
    expect(o.kql!.text).toContain('not(coalesce(ipv4_is_in_any_range(SourceIpAddress, "10.0.0.0/8"), iff(ipv6_is_in_any_range(SourceIpAddress, "::/0"), false, bool(null))))');
    expect(o.cwl!.text).toContain('not (isIpInSubnet(sourceIPAddress, "10.0.0.0/8"))');
    expect(o.yaral!.text).toContain('not net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")');
  });
});

describe('other constructs', () => {
  it('numbers, booleans, field-to-field', () => {
    const o = renderAll(rule(and(
      { k: 'cmp', op: 'gt', left: get('requestParameters.pendingWindowInDays'), right: lit(7) },
      { k: 'cmp', op: 'eq', left: get('readOnly'), right: lit(false) },
      { k: 'cmp', op: 'ne', left: get('userIdentity.accountId'), right: get('recipientAccountId') },
    )));
    expect(o.kql!.text).toContain('toreal(parse_json(RequestParameters).pendingWindowInDays) > 7');
    expect(o.kql!.text).toContain('ReadOnly == false');
    expect(o.kql!.text).toContain('UserIdentityAccountId != RecipientAccountId');
    const d = sigmaDocs(o.sigma!.text)[0]!.detection;
    expect(JSON.stringify(d)).toContain('"requestParameters.pendingWindowInDays|gt":7');
    expect(JSON.stringify(d)).toContain('"userIdentity.accountId|fieldref":"recipientAccountId"');
    expect(o.cwl!.text).toContain('requestParameters.pendingWindowInDays > 7');
  });
  it('list membership (has) and isinstance', () => {
    const o = renderAll(rule(and(
      { k: 'has', value: get('requestParameters.attributeNames'), needle: 'userData' },
      { k: 'istype', value: get('requestParameters.policy'), type: 'dict' },
    )));
    expect(o.kql!.text).toContain('set_has_element(parse_json(RequestParameters).attributeNames, "userData")');
    expect(o.kql!.text).toContain('gettype(parse_json(RequestParameters).policy) == "dictionary"');
    expect(o.kql!.fidelity).toBe('exact');
  });
  it('quantifiers: superset where not expressible', () => {
    const q: Pred = { k: 'quant', q: 'any', list: get('resources'), pred: { k: 'cmp', op: 'eq', left: { k: 'get', obj: { k: 'elem', depth: 0 }, key: 'type' }, right: lit('AWS::KMS::Key') } };
    const o = renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, q)));
    for (const t of ['yaral', 'cwl']) {
      expect(o[t]!.fidelity).toBe('approximate');
      expect(o[t]!.reasons.find((r) => r.code === 'target-quantifier')?.direction).toBe('wider');
    }
    expect(JSON.stringify(sigmaDocs(o.sigma!.text)[0]!.detection)).toContain('"resources.type|cased":"AWS::KMS::Key"');
    // KQL: a count read only as a top-level `> 0` conjunct is a filtering mv-apply over the non-empty arrays
    expect(o.kql!.fidelity).toBe('exact');
    expect(o.kql!.text).toContain(
      '| where array_length(parse_json(Resources)) > 0\n| mv-apply __q1 = parse_json(Resources) on (where tostring(__q1.type) == "AWS::KMS::Key" | take 1)\n',
    );
    expect(o.kql!.text).not.toContain('__q1_n');
  });
  it('a quantifier nested in another is an mv-apply inside the enclosing subquery (KQL)', () => {
    // any(any(v in VERBS for v in r.verbs) for r in requestParameters.rules)
    const inner: Pred = { k: 'quant', q: 'any', list: { k: 'get', obj: { k: 'elem', depth: 0 }, key: 'verbs' }, pred: { k: 'in', value: { k: 'elem', depth: 1 }, list: ['create', 'delete'] } };
    const outer: Pred = { k: 'quant', q: 'all', list: get('requestParameters.rules', []), pred: or(inner, { k: 'cmp', op: 'eq', left: { k: 'get', obj: { k: 'elem', depth: 0 }, key: 'kind' }, right: lit('none') }) };
    const o = renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, outer)));
    expect(o.kql!.fidelity).toBe('exact');
    expect(o.kql!.reasons).toEqual([]);
    const rules = 'parse_json(RequestParameters).rules';
    expect(o.kql!.text).toContain(
      `| mv-apply with_itemindex=__q1_i __q1 = array_concat(coalesce(${rules}, dynamic([])), dynamic([null])) on (` +
        // the inner test holds only on an element that is not null: no index test; the outer's `not(...)` may hold on the sentinel
        'mv-apply __q2 = array_concat(coalesce(__q1.verbs, dynamic([])), dynamic([null])) on (summarize __q2_n = countif(tostring(__q2) in ("create", "delete")))' +
        ` | summarize __q1_n = countif(__q1_i < array_length(${rules}) and not(tostring(__q1["kind"]) == "none" or __q2_n > 0)))\n`,
    );
    expect(o.kql!.text).toContain('| where __q1_n == 0\n');
  });
  it('startswith/endswith between two values (KQL): both sides written as Python reads them', () => {
    const arn = get('userIdentity.arn', '');
    const user = get('userIdentity.userName', '');
    const piece = (src: Val, sep: string, index: number): Val => ({ k: 'index', obj: { k: 'fn', fn: 'split', args: [src, lit(sep) as Val] }, index });
    const rel = (r: 'startswith' | 'endswith', value: Val, other: Val, ci = false): Pred => ({ k: 'rel', rel: r, value, other, ...(ci ? { ci } : {}) });
    const only = (p: Pred) => renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, p))).kql!;
    // another column, which may be empty: Python's s.endswith("") is True
    let o = only(rel('endswith', arn, user));
    expect(o.fidelity).toBe('exact');
    expect(o.text).toContain('| where (isempty(UserIdentityUserName) or UserIdentityArn endswith_cs UserIdentityUserName)\n');
    // an f-string with a non-empty literal part is never empty; the piece of a split is a str
    o = only(not(rel('endswith', arn, { k: 'fn', fn: 'concat', args: [lit('user/') as Val, piece(user, '@', 0)] })));
    expect(o.fidelity).toBe('exact');
    expect(o.text).toContain('| where not(UserIdentityArn endswith_cs strcat("user/", tostring(split(UserIdentityUserName, "@")[0])))\n');
    // a dynamic member with a non-empty default reads the default where it is null
    o = only(rel('startswith', get('requestParameters.target', 'none'), piece(arn, ':', -1)));
    expect(o.fidelity).toBe('exact');
    expect(o.text).toContain('iff(isnull(parse_json(RequestParameters).target), "none", tostring(parse_json(RequestParameters).target)) startswith_cs');
    // str() of a field no mapping or test shows holding strings, a case-insensitive test, a string column
    // read with a non-empty default: the superset, declared
    for (const p of [
      rel('endswith', arn, { k: 'fn', fn: 'concat', args: [lit('/') as Val, { k: 'fn', fn: 'str', args: [get('requestParameters.userName', '')] }] }),
      rel('endswith', arn, user, true),
      rel('endswith', get('userIdentity.arn', 'x'), user),
    ]) {
      o = only(p);
      expect(o.fidelity).toBe('approximate');
      expect(o.reasons.map((r) => r.message)).toContain('kql: a string test between two fields cannot be expressed in KQL; replaced by its superset');
    }
  });
  it('a split of a string column read with a default: exact where "" and the default give the same piece (KQL)', () => {
    const piece = (index: number): Val => ({ k: 'index', obj: { k: 'fn', fn: 'split', args: [get('userIdentity.userName', '@'), lit('@') as Val] }, index });
    const only = (p: Pred) => renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, p))).kql!;
    // "@".split("@")[-1] and "".split("@")[-1] are both ""
    let o = only({ k: 'cmp', op: 'eq', left: piece(-1), right: lit('corp.example') });
    expect(o.fidelity).toBe('exact');
    expect(o.text).toContain('tostring(split(UserIdentityUserName, "@")[(-1)]) == "corp.example"');
    // "@".split("@")[1] is "", where "".split("@")[1] raises; the length differs (2 against 1)
    o = only({ k: 'cmp', op: 'eq', left: piece(1), right: lit('corp.example') });
    expect(o.fidelity).toBe('approximate');
    o = only({ k: 'cmp', op: 'eq', left: { k: 'fn', fn: 'len', args: [{ k: 'fn', fn: 'split', args: [get('userIdentity.userName', '@'), lit('@') as Val] }] }, right: lit(2) });
    expect(o.fidelity).toBe('approximate');
  });
  it('a piece of x.lower().split(sep) is the case-insensitive test of the piece of x.split(sep) (KQL)', () => {
    const lowered = (src: Val, sep: string): Val => ({ k: 'fn', fn: 'split', args: [{ k: 'fn', fn: 'lower', args: [src] }, lit(sep) as Val] });
    const last = (sep: string): Val => ({ k: 'index', obj: lowered(get('userIdentity.arn', ''), sep), index: -1 });
    const only = (p: Pred) => renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, p))).kql!;
    let o = only({ k: 'in', value: last('/'), list: ['admin', 'root'] });
    expect(o.fidelity).toBe('exact');
    expect(o.text).toContain('| where tostring(split(UserIdentityArn, "/")[(-1)]) in~ ("admin", "root")\n');
    o = only({ k: 'match', kind: 'endswith', value: last('/'), pattern: '-admin' });
    expect(o.text).toContain('tostring(split(UserIdentityArn, "/")[(-1)]) endswith "-admin"');
    // the length is the same with or without lower()
    o = only({ k: 'cmp', op: 'ge', left: { k: 'fn', fn: 'len', args: [lowered(get('userIdentity.arn', ''), '/')] }, right: lit(3) });
    expect(o.fidelity).toBe('exact');
    expect(o.text).toContain('array_length(split(UserIdentityArn, "/")) >= 3');
    // a literal lower() never gives, and a letter as the separator: not rewritten (the superset, declared)
    expect(only({ k: 'cmp', op: 'eq', left: last('/'), right: lit('Admin') }).fidelity).toBe('approximate');
    expect(only({ k: 'cmp', op: 'eq', left: last('x'), right: lit('admin') }).fidelity).toBe('approximate');
  });
  it('an f-string and str() of a field read with a string default are Python texts KQL writes (KQL)', () => {
    const uri: Val = { k: 'fn', fn: 'concat', args: [lit('/apis/') as Val, get('userIdentity.arn', '')] };
    const with_ = (p: Pred, tests: Rule['tests'] = []) => renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, p), { tests })).kql!;
    let o = with_({ k: 'match', kind: 'contains', value: uri, pattern: '/secrets' });
    expect(o.fidelity).toBe('exact');
    expect(o.text).toContain('| where strcat("/apis/", UserIdentityArn) contains_cs "/secrets"\n');
    // an f-string with a non-empty literal part is truthy
    o = with_(or({ k: 'truthy', value: uri }, { k: 'cmp', op: 'eq', left: get('awsRegion'), right: lit('x') }));
    expect(body(o.text, '//')).not.toContain('strcat');
    // str() of a dynamic member the tests show holding strings, read with the default ""
    const str: Val = { k: 'fn', fn: 'str', args: [get('requestParameters.keyId', '')] };
    const tests = [{ name: 't', expected: true, log: { eventName: 'DisableKey', requestParameters: { keyId: 'OAuthKey' } } }];
    o = with_({ k: 'match', kind: 'contains', value: str, pattern: 'oauth', ci: true }, tests);
    expect(o.fidelity).toBe('exact');
    expect(o.text).toContain('tostring(parse_json(RequestParameters).keyId) contains "oauth"');
    // without tests showing its type, str() of it may be Python's text of a number or a list: the superset
    expect(with_({ k: 'match', kind: 'contains', value: str, pattern: 'oauth', ci: true }).fidelity).toBe('approximate');
  });
  it('a piece of a split of a quantifier element is written on the mv-apply column (KQL)', () => {
    const domain: Val = { k: 'index', obj: { k: 'fn', fn: 'split', args: [{ k: 'get', obj: { k: 'elem', depth: 0 }, key: 'email', default: lit('@') }, lit('@') as Val] }, index: -1 };
    const q: Pred = { k: 'quant', q: 'any', list: get('requestParameters.members', []), pred: { k: 'cmp', op: 'eq', left: domain, right: lit('partner.example') } };
    const o = renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, q))).kql!;
    expect(o.fidelity).toBe('exact');
    expect(o.text).toContain('mv-apply __q1 = parse_json(RequestParameters).members on (where tostring(split(iff(isnull(__q1.email), "@", tostring(__q1.email)), "@")[(-1)]) == "partner.example" | take 1)');
    // str() of an element: no evidence speaks of the element's type
    const str: Pred = { ...q, pred: { k: 'cmp', op: 'eq', left: { ...domain, obj: { k: 'fn', fn: 'split', args: [{ k: 'fn', fn: 'str', args: [{ k: 'get', obj: { k: 'elem', depth: 0 }, key: 'email', default: lit('@') }] }, lit('@') as Val] } } as Val, right: lit('partner.example') } };
    expect(renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, str))).kql!.fidelity).toBe('approximate');
  });
  it('all() and quantifiers under negation (KQL)', () => {
    const body: Pred = { k: 'match', kind: 'startswith', value: { k: 'elem', depth: 0 }, pattern: 'arn:aws:iam::' };
    const o = renderAll(rule(or(
      { k: 'quant', q: 'all', list: get('requestParameters.policyArns', []), pred: body },
      not({ k: 'quant', q: 'any', list: get('requestParameters.roles', []), pred: { k: 'cmp', op: 'eq', left: { k: 'elem', depth: 0 }, right: get('userIdentity.arn') } }),
    )));
    expect(o.kql!.text).toContain('countif(__q1_i < array_length(parse_json(RequestParameters).policyArns) and tostring(__q1) !startswith_cs "arn:aws:iam::")');
    // not any(x == arn) is all(x != arn): violations are elements equal to the event's ARN (the negation of
    // the body written as its complement, lists.ts)
    expect(o.kql!.text).toContain('countif(__q2_i < array_length(parse_json(RequestParameters).roles) and tostring(__q2) == UserIdentityArn)');
    expect(o.kql!.text).toContain('| where __q1_n == 0 or __q2_n == 0\n');
  });
  it('opaque pieces render as the constant normalize chose', () => {
    const reasons: Reason[] = [{ code: 'opaque-call', message: 'helper', file: 'x.py', line: 3, direction: 'wider' }];
    const cond = and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, { k: 'opaque', reason: 'helper', code: 'opaque-call', span: { file: 'x.py', line: 3, col: 1 }, assume: true });
    const o = renderAll(rule(cond, { reasons }));
    for (const t of targetNames) {
      expect(o[t]!.fidelity).toBe('approximate');
      expect(o[t]!.reasons[0]).toEqual(reasons[0]);
    }
    expect(body(o.kql!.text, '//')).toContain('AWSCloudTrail\n| where EventName == "DisableKey"\n| project');
  });
  it('a rule-level unsupported reason makes every target unsupported', () => {
    const o = renderAll(rule(KMS_CONDITION, { reasons: [{ code: 'unsupported-loop', message: 'for loop', file: 'x.py', line: 9 }] }));
    for (const t of targetNames) expect(o[t]!.fidelity).toBe('unsupported');
    expect(sigmaDocs(o.sigma!.text)[0]!.status).toBe('unsupported');
  });
  it('computed values and unmapped fields', () => {
    const computed: Pred = { k: 'cmp', op: 'eq', left: { k: 'fn', fn: 'len', args: [get('eventName')] }, right: lit(3) };
    const o = renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, computed)));
    for (const t of targetNames) expect(o[t]!.reasons.find((r) => r.code === 'target-computed-value')?.direction).toBe('wider');
    const u = renderAll(rule(and({ k: 'in', value: get('eventName'), list: ['DisableKey'] }, { k: 'cmp', op: 'eq', left: get('vpcEndpointId'), right: lit('vpce-1') })));
    expect(u.kql!.fidelity).toBe('unsupported');
    expect(u.yaral!.fidelity).toBe('unsupported');
    expect(u.sigma!.fidelity).toBe('exact');
    expect(u.kql!.reasons.some((r) => r.code === 'unsupported-unmapped-field')).toBe(true);
  });
  it('fallback mappings are approximate', () => {
    const o = renderAll(rule({ k: 'cmp', op: 'eq', left: get('recipientAccountId'), right: lit('123456789012') }));
    expect(o.yaral!.text).toContain('$e.additional.fields["recipientAccountId"] = "123456789012"');
    expect(o.yaral!.fidelity).toBe('approximate');
  });
});

describe('thresholds', () => {
  const agg: Aggregation = { threshold: 5, windowMinutes: 60, groupBy: [get('userIdentity.arn')] };
  const o = renderAll(rule(KMS_CONDITION, { aggregation: agg }));

  it('KQL counts per key in windows opening at the first event (row_window_session), count >= N', () => {
    expect(o.kql!.text).toContain('| sort by UserIdentityArn asc, TimeGenerated asc\n| extend FirstSeen = row_window_session(TimeGenerated, 1h, 1h, UserIdentityArn != prev(UserIdentityArn))\n');
    expect(o.kql!.text).toMatch(/\| summarize EventCount = count\(\), LastSeen = max\(TimeGenerated\), .* by UserIdentityArn, FirstSeen\n\| where EventCount >= 5\n/);
  });
  it('Sigma event_count correlation', () => {
    const docs = sigmaDocs(o.sigma!.text);
    expect(docs).toHaveLength(2);
    expect(docs[1]!.correlation).toEqual({ type: 'event_count', rules: [docs[0]!.id], 'group-by': ['userIdentity.arn'], timespan: '60m', condition: { gte: 5 } });
  });
  it('YARA-L match over window and #e', () => {
    expect(o.yaral!.text).toContain('    $arn = $e.principal.user.userid\n');
    expect(o.yaral!.text).toContain('  match:\n    $arn over 60m');
    expect(o.yaral!.text).toContain('  condition:\n    #e >= 5');
  });
  it('YARA-L names a match variable after its key: the last name of its path, the path where that is taken, key_ where both are', () => {
    const named = (names: string[], groupBy = agg.groupBy) =>
      renderAll(rule(KMS_CONDITION, { aggregation: { ...agg, groupBy }, outputs: names.map((name, i) => ({ name, value: get(['sourceIPAddress', 'userAgent'][i]!), source: 'alert_context' as const })) })).yaral!.text;
    // an output named arn (another field): the whole path
    expect(named(['arn'])).toContain('    $userIdentity_arn = $e.principal.user.userid\n');
    // outputs named after the last name and the path: key_ and the path
    const both = named(['arn', 'userIdentity_arn']);
    expect(both).toContain('    $key_userIdentity_arn = $e.principal.user.userid\n');
    expect(both).toContain('    $arn = array_distinct($e.principal.ip)\n');
    expect(both).toContain('    $userIdentity_arn = array_distinct($e.network.http.user_agent)\n');
    // two keys ending with the same name: each its path
    const two = renderAll(rule(KMS_CONDITION, { aggregation: { ...agg, groupBy: [get('userIdentity.arn'), get('userIdentity.sessionContext.sessionIssuer.arn')] } }), real).yaral!.text;
    expect(two).toMatch(/\$userIdentity_arn, \$userIdentity_sessionContext_sessionIssuer_arn over 60m/);
    // the same key twice is one match variable
    expect(named([], [get('userIdentity.arn'), get('userIdentity.arn')])).toContain('  match:\n    $arn over 60m');
  });
  it('Logs Insights stats by bin', () => {
    expect(o.cwl!.text).toContain('| stats count(*) as eventCount, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen');
    expect(o.cwl!.text).toContain('by userIdentity.arn, bin(60m) as timeWindow\n| filter eventCount >= 5');
  });
  it('reported as an approximation of the dedup window, except by KQL and Sentinel, which count it', () => {
    for (const t of targetNames) expect(o[t]!.reasons.some((r) => r.code === 'target-threshold-window'), t).toBe(t !== 'kql' && t !== 'sentinel');
  });
  it('without dedup(): every target counts per the alert title\'s fields, as Panther does', () => {
    const titled = renderAll(rule(KMS_CONDITION, { aggregation: { threshold: 3, windowMinutes: 15, groupBy: [] }, title: [{ text: 'key disabled by ' }, { value: get('userIdentity.arn') }] }));
    expect(sigmaDocs(titled.sigma!.text)[1]!.correlation['group-by']).toEqual(['userIdentity.arn']);
    expect(titled.yaral!.text).toContain('    $arn = $e.principal.user.userid\n');
    expect(titled.cwl!.text).toContain('by userIdentity.arn, bin(15m) as timeWindow');
    expect(titled.kql!.text).toContain('| sort by UserIdentityArn asc, TimeGenerated asc\n');
    // a title read from a computed value cannot be grouped by: declared, counted together
    const computed = renderAll(rule(KMS_CONDITION, { aggregation: { threshold: 3, windowMinutes: 15, groupBy: [] }, title: [{ value: { k: 'fn', fn: 'lower', args: [get('userIdentity.arn')] } }] }));
    for (const t of targetNames) expect(computed[t]!.reasons.some((r) => r.code === 'target-threshold-key' && r.direction === 'wider'), t).toBe(true);
  });
  it('ungrouped thresholds', () => {
    const u = renderAll(rule(KMS_CONDITION, { aggregation: { threshold: 3, windowMinutes: 15, groupBy: [] } }));
    expect(u.yaral!.text).toContain('$log_type = $e.metadata.log_type');
    expect(sigmaDocs(u.sigma!.text)[1]!.correlation['group-by']).toBeUndefined();
    expect(u.sigma!.reasons.map((r) => r.message).join('\n')).toMatch(/no group-by/);
    expect(u.kql!.text).toContain('| sort by TimeGenerated asc\n| extend FirstSeen = row_window_session(TimeGenerated, 15m, 15m)\n');
    expect(u.kql!.text).toContain(' by FirstSeen\n| where EventCount >= 3');
  });
});

describe('escaping of hostile values', () => {
  const nasty = `a"b'c\\d\n| where true // x\`y*z?/%é\u2028`;
  const o = renderAll(rule(and(
    { k: 'cmp', op: 'eq', left: get('eventName'), right: lit(nasty) },
    { k: 'match', kind: 'contains', value: get('userAgent'), pattern: nasty },
  ), {}, { displayName: `Title "with" \n newline */ and \`ticks\``, description: 'multi\nline "desc"' }));

  it('KQL stays one analysable query', () => {
    expectKqlOk(o.kql!.text);
    expect(body(o.kql!.text, '//').split('\n').filter((l) => l.startsWith('| where'))).toHaveLength(2);
  });
  it('Sigma values round-trip', () => {
    const [doc] = sigmaDocs(o.sigma!.text);
    const d = doc!.detection;
    // one selection, named after both its fields
    expect(sigmaUnescape(d.selection_eventName_userAgent['eventName|cased'])).toBe(nasty);
    expect(sigmaUnescape(d.selection_eventName_userAgent['userAgent|contains|cased'])).toBe(nasty);
    expect(doc!.title).toBe(`Title "with" \n newline */ and \`ticks\``);
  });
  it('YARA-L: values that cannot be quoted become anchored regexes; meta on one line', () => {
    expect(o.yaral!.text).not.toContain('\u2028');
    expect(o.yaral!.text).toContain('$e.metadata.product_event_type = /(?s)^a"b\'c\\\\d\\x0a\\| where true \\/\\/ x\\x60y\\*z\\?\\/%é\\x{2028}$/');
  });
  it('Logs Insights: no quote can be written, so regexes; no raw delimiter', () => {
    const q = body(o.cwl!.text, '#');
    expect(q).toContain('| filter eventName =~ /^a"b\'c\\\\d\\x0a\\| where true \\x2f\\x2f x`y\\*z\\?\\x2f%é\\x{2028}$/');
    expect(q.split('\n').filter((l) => l.startsWith('| filter'))).toHaveLength(2);
  });
});

describe('log types without a mapping', () => {
  const o = renderAll(rule(KMS_CONDITION, {}, { logTypes: ['Custom.Thing'] }));
  it('refuse (KQL, YARA-L, CWL) or mark unsupported (Sigma)', () => {
    for (const t of targetNames) expect(o[t]!.fidelity).toBe('unsupported');
    expect(o.kql!.text).toMatch(/^\/\/ /);
    expect(o.kql!.text.split('\n').every((l) => l === '' || l.startsWith('//'))).toBe(true);
    expect(o.cwl!.text.split('\n').every((l) => l === '' || l.startsWith('#'))).toBe(true);
    expect(sigmaDocs(o.sigma!.text)[0]!.status).toBe('unsupported');
  });
  it('CWL warns when the log type is not native (error in strict mode)', () => {
    const w = renderRule(kms, 'cwl', { mapper: fakeMapper({ cwlNative: false }), templatesDir });
    expect(w.diagnostics.find((d) => d.code === 'cwl-not-native')?.severity).toBe('warning');
    const s = renderRule(kms, 'cwl', { mapper: fakeMapper({ cwlNative: false }), templatesDir, strict: true });
    expect(s.diagnostics.find((d) => d.code === 'cwl-not-native')?.severity).toBe('error');
  });
  it('YARA-L rule names are sanitised identifiers', () => {
    const y = renderRule(rule(KMS_CONDITION, {}, { id: '1Okta.Admin-Role rule' }), 'yaral', fake);
    expect(y.text).toMatch(/^rule r_1Okta_Admin_Role_rule \{/);
    const k = renderRule(rule(KMS_CONDITION, {}, { id: 'rule' }), 'yaral', fake);
    expect(k.text).toMatch(/^rule r_rule \{/);
  });
});

describe('every log type in the shipped mappings renders valid artifacts', () => {
  for (const lt of real.mapper.logTypes()) {
    it(lt, () => {
      const r = rule(and({ k: 'cmp', op: 'ne', left: get('eventName'), right: lit('x') }, not({ k: 'exists', value: get('errorCode') })), {}, { logTypes: [lt] });
      // a log type mapped for YARA-L only reads its custom-log table on KQL: the rule declares its columns
      renderAll(r, real, real.mapper.source(lt, 'kql')?.custom ? customKqlTables(real.mapper, r) : undefined);
    });
  }
});
