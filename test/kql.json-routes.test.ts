/**
 * json.loads() on KQL (targets/kql/json.ts), routed log types (sources.kql.routes, targets/common/routes.ts,
 * mapping/routes.ts), fields a route's records never hold (defaults.kql absent, targets/kql/absent.ts) and
 * the mapping's `nonEmpty: true`.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, RuleTest, Val } from '../src/ast/types.js';
import { evaluateRule } from '../src/ast/evaluate.js';
import { parseMappingFile } from '../src/mapping/file.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import { projectKql, type KqlEvent } from '../src/mapping/project/kql.js';
import { proveOutput } from '../src/proof/index.js';
import { kqlProof } from '../src/proof/kql/index.js';
import { specializeRoute } from '../src/targets/common/routes.js';
import { impliedValidity, validJson } from '../src/targets/kql/json.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';
import { customKqlTables } from '../src/mapping/custom.js';
import { deepGet, lit } from './support.js';

const mapper = loadMappings();
const ctx: RenderContext = { mapper, templatesDir: defaultTemplatesDir() };

const row = (s: string): KqlEvent => ({ tables: ['T'], columns: { s }, types: { s: 'string' }, tableColumns: {} });
const where = (pred: string, ev: KqlEvent): boolean => kqlProof.compile(`T\n| where ${pred}`, 'kql').matches(ev);

describe('KQL: the JSON validity test, read back by the evaluator (parse-json-function, gettype-function)', () => {
  const valid = (s: string): boolean => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  };
  it.each([['{"verb":"get"}'], ['[1,2]'], ['"a string"'], ['"{"'], ['null'], [' 12 '], ['true'], [''], ['   '], ['{'], ['verb: get'], ["{'a': 1}"], ['NaN'], ['"unterminated']])(
    '%j is valid JSON exactly when json.loads() accepts it',
    (s) => {
      expect(where(validJson('s', 'parse_json(s)'), row(s))).toBe(valid(s));
      expect(where(`not(${validJson('s', 'parse_json(s)')})`, row(s))).toBe(!valid(s));
    },
  );
  it.each([['{"a":1}'], ['{}'], ['[1]'], ['"x"'], ['12'], ['null'], [''], ['{'], ['not json']])(
    'beside "the document is a mapping", the validity test adds nothing on the string %j (impliedValidity)',
    (s) => {
      const dict = 'gettype(parse_json(s)) == "dictionary"';
      expect(where(`${validJson('s', 'parse_json(s)')} and ${dict}`, row(s))).toBe(where(dict, row(s)));
      expect(where(`not(${validJson('s', 'parse_json(s)')}) and ${dict}`, row(s))).toBe(false);
      expect(validJson('s', 'parse_json(s)', undefined, true)).toBe('true');
      expect(validJson('tostring(d)', 'parse_json(tostring(d))', 'd', true)).toBe('gettype(d) == "string"');
    },
  );
  it('parse_json of text that is not JSON is that text (a dynamic string)', () => {
    expect(where('gettype(parse_json(s)) == "string" and tostring(parse_json(s)) == s', row('not json'))).toBe(true);
    expect(where('isnull(parse_json(s))', row(''))).toBe(true);
  });
});

/** An Azure.MonitorActivity rule (the AKS branch of the corpus' Kubernetes rules, as the lift writes it). */
function azureRule(condition: Pred, tests: RuleTest[]): Rule {
  return {
    meta: { id: 'Test.Aks', displayName: 'aks', description: '', severity: 'Info', enabled: true, logTypes: ['Azure.MonitorActivity'], tags: [], mitre: [], summaryAttributes: [], file: 'rules/t.yml', pyFile: 'rules/t.py' },
    condition,
    outputs: [],
    tests,
    reasons: [],
  };
}

const category: Val = { k: 'get', obj: { k: 'event' }, key: 'category', default: lit('') };
const log: Val = { k: 'get', obj: deepGet('properties'), key: 'log', deep: true, default: lit('') };
const doc: Val = { k: 'fn', fn: 'json', args: [log] };
const kube: Pred = { k: 'in', value: category, list: ['kube-audit', 'kube-audit-admin'] };
const record = (cat: string, text: string | undefined): Json => ({ category: cat, operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read', properties: text === undefined ? {} : { log: text } });
const audit = (verb: string, extra: Record<string, Json> = {}): string => JSON.stringify({ kind: 'Event', verb, objectRef: { resource: 'pods', subresource: 'exec' }, ...extra });

describe('KQL: Azure.MonitorActivity kube-audit records routed to AzureDiagnostics', () => {
  it('a test log is projected into the table of its route, by its category', () => {
    const k = projectKql(record('kube-audit-admin', audit('get')) as Json, 'Azure.MonitorActivity', mapper);
    expect(k.tables).toEqual(['AzureDiagnostics']);
    expect(k.columns['Category']).toBe('kube-audit-admin');
    expect(k.columns['log_s']).toBe(audit('get'));
    const a = projectKql({ category: 'Administrative', operationName: 'Microsoft.Resources/deployments/write' }, 'Azure.MonitorActivity', mapper);
    expect(a.tables).toEqual(['AzureActivity']);
    expect(a.columns['CategoryValue']).toBe('Administrative');
  });

  it('the route facts decide the tests of the routed field', () => {
    const eq = (v: string): Pred => ({ k: 'cmp', op: 'eq', left: category, right: lit(v) });
    const inside = [{ field: ['category'], values: ['kube-audit', 'kube-audit-admin'], inside: true }];
    const outside = [{ field: ['category'], values: ['kube-audit', 'kube-audit-admin'], inside: false }];
    expect(specializeRoute(kube, inside)).toEqual({ k: 'const', v: true });
    expect(specializeRoute(kube, outside)).toEqual({ k: 'const', v: false });
    expect(specializeRoute(eq('Administrative'), inside)).toEqual({ k: 'const', v: false });
    // one of the route's values: the route's rows hold either
    expect(specializeRoute(eq('kube-audit'), inside)).toEqual(eq('kube-audit'));
    expect(specializeRoute(eq('Administrative'), outside)).toEqual(eq('Administrative'));
    // a default that is one of the values: a missing field reads it outside the route
    const byDefault: Pred = { k: 'in', value: { ...category, default: lit('kube-audit') }, list: ['kube-audit'] };
    expect(specializeRoute(byDefault, outside)).toEqual(byDefault);
  });

  // the shape the lift gives `try: d = json.loads(...) except: return False` then `d.get("verb") == ...`
  const cond: Pred = {
    k: 'and',
    args: [
      kube,
      { k: 'truthy', value: log },
      { k: 'valid', value: log, format: 'json' },
      { k: 'cmp', op: 'eq', left: { k: 'get', obj: doc, key: 'verb' }, right: lit('create') },
      { k: 'not', arg: { k: 'cmp', op: 'eq', left: { k: 'get', obj: { k: 'get', obj: doc, key: 'user', safe: true }, key: 'username', safe: true }, right: lit('aksService') } },
      { k: 'quant', q: 'any', list: { k: 'get', obj: doc, key: 'sourceIPs', default: lit([]) }, pred: { k: 'cmp', op: 'eq', left: { k: 'elem', depth: 0 }, right: lit('203.0.113.7') } },
    ],
  };
  const tests: RuleTest[] = [
    { name: 'exec from the address', expected: true, log: record('kube-audit', audit('create', { sourceIPs: ['10.0.0.4', '203.0.113.7'] })) },
    { name: 'admin category', expected: true, log: record('kube-audit-admin', audit('create', { sourceIPs: ['203.0.113.7'] })) },
    { name: 'other address', expected: false, log: record('kube-audit', audit('create', { sourceIPs: ['10.0.0.4'] })) },
    { name: 'the AKS service', expected: false, log: record('kube-audit', audit('create', { sourceIPs: ['203.0.113.7'], user: { username: 'aksService' } })) },
    { name: 'a get', expected: false, log: record('kube-audit', audit('get', { sourceIPs: ['203.0.113.7'] })) },
    { name: 'not JSON', expected: false, log: record('kube-audit', 'verb=create sourceIPs=203.0.113.7') },
    { name: 'a JSON list', expected: false, log: record('kube-audit', JSON.stringify([{ verb: 'create', sourceIPs: ['203.0.113.7'] }])) },
    { name: 'no log', expected: false, log: record('kube-audit', undefined) },
    { name: 'an activity-log record', expected: false, log: record('Administrative', audit('create', { sourceIPs: ['203.0.113.7'] })) },
  ];

  it('the lifted tests hold in Python (the AST evaluator)', () => {
    const r = azureRule(cond, tests);
    for (const t of tests) expect(evaluateRule(r.condition, t.log as Json), t.name).toBe(t.expected);
  });

  it('the query reads AzureDiagnostics alone, parses log_s once, and is exact and proven on the tests', () => {
    const r = azureRule(cond, tests);
    const o = renderRule(r, 'kql', ctx);
    expect(checkKql(o.text, { tables: customKqlTables(mapper, r) }), o.text).toEqual([]);
    expect(o.text).toContain('AzureDiagnostics\n| extend LogJson = parse_json(log_s)');
    expect(o.text).toContain('| where Category in ("kube-audit", "kube-audit-admin")');
    expect(o.text).not.toContain('AzureActivity');
    // the mapping guard is implied by the member test beside it: LogJson.verb is not null only in a bag (outctx.ts)
    expect(o.text).toContain('| where tostring(LogJson.verb) == "create"');
    expect(o.text).not.toContain('gettype(LogJson) == "dictionary"');
    expect(o.fidelity).toBe('exact');
    const proof = proveOutput(o, r, mapper)!;
    expect(proof.tests.failed).toBe(0);
    expect(proof.tests.passed).toBe(tests.length);
    expect(proof.fidelity).toBe('exact');
  });

  it('a rule that does not ask for the category reads both tables; the fields kube-audit records never hold are missing there', () => {
    const op: Val = { k: 'get', obj: { k: 'event' }, key: 'operationName' };
    const resultType: Val = { k: 'get', obj: { k: 'event' }, key: 'resultType' };
    // operationName is in both; resultType only in the activity log: on the AKS rows `resultType == "Success"` is False
    const both = renderRule(azureRule({ k: 'match', kind: 'endswith', value: op, pattern: '/Read' }, []), 'kql', ctx);
    expect(both.text).toContain('(AzureActivity');
    expect(both.text).toContain('(AzureDiagnostics');
    expect(both.fidelity).toBe('exact');
    const success: Pred = { k: 'and', args: [{ k: 'match', kind: 'endswith', value: op, pattern: '/Read' }, { k: 'cmp', op: 'eq', left: resultType, right: lit('Success') }] };
    const one = renderRule(azureRule(success, []), 'kql', ctx);
    expect(one.text).not.toContain('AzureDiagnostics');
    expect(one.fidelity).toBe('exact');
    // `!=`: Python's None != "Success" holds on every AKS row whose operation matches
    const notSuccess: Pred = { k: 'and', args: [{ k: 'match', kind: 'endswith', value: op, pattern: '/Read' }, { k: 'not', arg: { k: 'cmp', op: 'eq', left: resultType, right: lit('Success') } }] };
    const two = renderRule(azureRule(notSuccess, []), 'kql', ctx);
    // (the branch's two tests one where: kql/index.ts joinWheres)
    expect(two.text).toMatch(/\(AzureDiagnostics\n {4}\| where Category in \("kube-audit", "kube-audit-admin"\) and OperationName endswith_cs "\/Read"\)?\n/);
  });
});

describe('mapping: routes, absent fields and nonEmpty', () => {
  it('a route needs field, values and logType; absent is a KQL default only', () => {
    expect(() => parseMappingFile('logType: A.B\nsources:\n  kql:\n    table: AzureActivity\n    routes:\n      - {field: category, values: [x]}\n', 'm.yaml')).toThrow(/needs field, values and to/);
    expect(() => parseMappingFile('logType: A.B\ndefaults:\n  sigma: {absent: true}\n', 'm.yaml')).toThrow(/applies to kql only/);
    expect(() => parseMappingFile('logType: A.B\nfields:\n  x: {nonEmpty: false}\n', 'm.yaml')).toThrow(/nonEmpty must be true/);
  });

  it('a CloudTrail errorCode (never "" where present) is tested for None by its emptiness, exactly', () => {
    const errorCode: Val = { k: 'get', obj: { k: 'event' }, key: 'errorCode' };
    const r: Rule = { ...azureRule({ k: 'not', arg: { k: 'exists', value: errorCode } }, [
      { name: 'success', expected: true, log: { eventName: 'StopLogging' } },
      { name: 'denied', expected: false, log: { eventName: 'StopLogging', errorCode: 'AccessDenied' } },
    ]), meta: { ...azureRule({ k: 'const', v: true }, []).meta, logTypes: ['AWS.CloudTrail'] } };
    const o = renderRule(r, 'kql', ctx);
    expect(o.text).toContain('| where isempty(ErrorCode)');
    expect(o.fidelity).toBe('exact');
    expect(proveOutput(o, r, mapper)!.fidelity).toBe('exact');
  });
});

describe('KQL: membership by runtime type, integer fields and number columns compared', () => {
  const ruleOf = (logType: string, condition: Pred, tests: RuleTest[]): Rule => ({ ...azureRule(condition, tests), meta: { ...azureRule(condition, tests).meta, logTypes: [logType] } });
  const proven = (r: Rule): { text: string; fidelity: string } => {
    const o = renderRule(r, 'kql', ctx);
    expect(checkKql(o.text, { tables: customKqlTables(mapper, r) }), o.text).toEqual([]);
    const p = proveOutput(o, r, mapper)!;
    expect(p.tests.failed, o.text).toBe(0);
    expect(p.tests.passed).toBe(r.tests.length);
    return { text: o.text, fidelity: p.fidelity };
  };

  it('"s" in a field the tests show holding a list is element membership, not a substring of its JSON text', () => {
    const roles: Val = { k: 'get', obj: { k: 'event' }, key: 'roles' };
    const r = ruleOf('Asana.Audit', { k: 'match', kind: 'contains', value: roles, pattern: 'owner' }, [
      { name: 'owner', expected: true, log: { roles: ['member', 'owner'] } },
      { name: 'a role whose name holds owner', expected: false, log: { roles: ['owner-lite'] } },
      { name: 'a text', expected: true, log: { roles: 'the owner' } },
    ]);
    const o = proven(r);
    expect(o.text).toContain('py_contains(roles, "owner")');
    expect(o.text).toContain('let py_contains = (v: dynamic, s: string) {');
    expect(o.fidelity).toBe('exact');
  });

  it('str() of a field the mapping types integer is its digits, also on a real column', () => {
    const id: Val = { k: 'get', obj: { k: 'event' }, key: 'event_type_id' };
    const r = ruleOf('OneLogin.Events', { k: 'cmp', op: 'eq', left: { k: 'fn', fn: 'str', args: [id] }, right: lit('5') }, [
      { name: 'login', expected: true, log: { event_type_id: 5 } },
      { name: 'other', expected: false, log: { event_type_id: 6 } },
    ]);
    const o = proven(r);
    expect(o.text).toContain('| where EventTypeId == 5');
    expect(o.text).not.toContain('target-number-text');
    expect(o.fidelity).toBe('exact');
  });

  it('two number columns compared with one str default: None equals None, never a number', () => {
    const field = (key: string): Val => ({ k: 'get', obj: { k: 'event' }, key, default: lit('UNKNOWN_USER') });
    const r = ruleOf('OneLogin.Events', { k: 'not', arg: { k: 'cmp', op: 'eq', left: field('actor_user_id'), right: field('user_id') } }, [
      { name: 'another user', expected: true, log: { actor_user_id: 1, user_id: 2 } },
      { name: 'oneself', expected: false, log: { actor_user_id: 1, user_id: 1 } },
      { name: 'no actor', expected: true, log: { user_id: 2 } },
      { name: 'neither', expected: false, log: {} },
    ]);
    const o = proven(r);
    expect(o.text).toContain('iff(isnull(ActorUserId) or isnull(UserId), not(isnull(ActorUserId) and isnull(UserId)), ActorUserId != UserId)');
    expect(o.fidelity).toBe('exact');
  });
});

describe('KQL: impliedValidity marks a validity literal beside its document mapping test', () => {
  const src: Val = deepGet('properties.body');
  const docOf: Val = { k: 'fn', fn: 'json', args: [src] };
  const validLit = { k: 'lit' as const, atom: { k: 'valid' as const, value: src, format: 'json' as const }, neg: false };
  const dictLit = { k: 'lit' as const, atom: { k: 'istype' as const, value: docOf, type: 'dict' as const }, neg: false };
  it('in one conjunction, positive both: marked', () => {
    const marked = impliedValidity({ k: 'and', args: [validLit, dictLit] });
    expect(marked.has(validLit)).toBe(true);
  });
  it('below that conjunction, in either polarity: marked', () => {
    const x = { k: 'lit' as const, atom: { k: 'exists' as const, value: deepGet('a') }, neg: false };
    const negValid = { ...validLit, neg: true };
    const marked = impliedValidity({ k: 'and', args: [dictLit, { k: 'or', args: [x, negValid] }] });
    expect(marked.has(negValid)).toBe(true);
  });
  it('in a disjunction, negated, or for another string: not marked', () => {
    expect(impliedValidity({ k: 'or', args: [validLit, dictLit] }).has(validLit)).toBe(false);
    expect(impliedValidity({ k: 'and', args: [validLit, { ...dictLit, neg: true }] }).has(validLit)).toBe(false);
    const other = { k: 'lit' as const, atom: { k: 'istype' as const, value: { k: 'fn' as const, fn: 'json', args: [deepGet('properties.other')] } as Val, type: 'dict' as const }, neg: false };
    expect(impliedValidity({ k: 'and', args: [validLit, other] }).has(validLit)).toBe(false);
  });
});

describe('KQL: impliedValidity keeps a positive validity test whole where a negated one is not decided', () => {
  it('a negation outside the mapping test leaves the positive one as printed', () => {
    const src: Val = deepGet('properties.body');
    const docOf: Val = { k: 'fn', fn: 'json', args: [src] };
    const validLit = { k: 'lit' as const, atom: { k: 'valid' as const, value: src, format: 'json' as const }, neg: false };
    const negValid = { ...validLit, neg: true };
    const dictLit = { k: 'lit' as const, atom: { k: 'istype' as const, value: docOf, type: 'dict' as const }, neg: false };
    const x = { k: 'lit' as const, atom: { k: 'exists' as const, value: deepGet('a') }, neg: false };
    const marked = impliedValidity({ k: 'and', args: [{ k: 'or', args: [x, { k: 'and', args: [validLit, dictLit] }] }, { k: 'or', args: [x, negValid] }] });
    expect(marked.has(validLit)).toBe(false);
    expect(marked.has(negValid)).toBe(false);
  });
});
