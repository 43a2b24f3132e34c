/**
 * Tables keyed by the value of a field (`sources.kql.tableValues`: Azure Monitor writes each Databricks
 * diagnostic category to its own table): the query leaves out a table whose value the condition
 * rejects (targets/common/routes.ts keyedTables), the projection puts a test log in the table of its
 * value (mapping/routes.ts keyedRowTables), and the evaluator judges a row of another table the same.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, RuleTest, Val } from '../src/ast/types.js';
import { evaluateRule } from '../src/ast/evaluate.js';
import { parseMappingFile } from '../src/mapping/file.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import { keyedRowTables } from '../src/mapping/routes.js';
import { projectKql } from '../src/mapping/project/kql.js';
import { proveOutput } from '../src/proof/index.js';
import { kqlProof } from '../src/proof/kql/index.js';
import { keyedTables } from '../src/targets/common/routes.js';
import { conditionNnf } from '../src/targets/common/nnf.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';
import { lit } from './support.js';

const mapper = loadMappings();
const ctx: RenderContext = { mapper, templatesDir: defaultTemplatesDir() };

const service: Val = { k: 'get', obj: { k: 'event' }, key: 'serviceName' };
const action: Val = { k: 'get', obj: { k: 'event' }, key: 'actionName' };
const eq = (v: Val, s: string): Pred => ({ k: 'cmp', op: 'eq', left: v, right: lit(s) });

function databricksRule(condition: Pred, tests: RuleTest[] = []): Rule {
  return {
    meta: { id: 'Test.Databricks', displayName: 'db', description: '', severity: 'Info', enabled: true, logTypes: ['Databricks.Audit'], tags: [], mitre: [], summaryAttributes: [], file: 'rules/t.yml', pyFile: 'rules/t.py' },
    condition,
    outputs: [],
    tests,
    reasons: [],
  };
}

const key = { field: ['serviceName'], values: { TA: 'a', TB: 'b' } };
const tables = ['TA', 'TB', 'TFree'];

describe('keyedTables: the tables a condition can select rows of', () => {
  it('a pinned value keeps its table and the tables without a value', () => {
    expect(keyedTables(tables, key, conditionNnf(eq(service, 'a')))).toEqual(['TA', 'TFree']);
    expect(keyedTables(tables, key, conditionNnf({ k: 'in', value: service, list: ['a', 'b'] }))).toEqual(tables);
  });
  it('a condition that admits a value no table is keyed by keeps every table', () => {
    expect(keyedTables(tables, key, conditionNnf({ k: 'or', args: [eq(service, 'a'), eq(service, 'zzz')] }))).toEqual(tables);
    expect(keyedTables(tables, key, conditionNnf({ k: 'not', arg: eq(service, 'a') }))).toEqual(tables);
    expect(keyedTables(tables, key, conditionNnf(eq(action, 'x')))).toEqual(tables);
  });
  it('a case-insensitive test decides nothing', () => {
    expect(keyedTables(tables, key, conditionNnf({ k: 'cmp', op: 'eq', left: service, right: lit('a'), ci: true, fold: 'lower' } as Pred))).toEqual(tables);
  });
  it('exclusive keys: a keyed table is left out wherever the condition rejects its value', () => {
    const ex = { ...key, exclusive: true };
    expect(keyedTables(tables, ex, conditionNnf({ k: 'or', args: [eq(service, 'a'), eq(service, 'zzz')] }))).toEqual(['TA', 'TFree']);
    expect(keyedTables(tables, ex, conditionNnf(eq(service, 'zzz')))).toEqual(['TFree']);
    expect(keyedTables(tables, ex, conditionNnf({ k: 'not', arg: eq(service, 'a') }))).toEqual(['TB', 'TFree']);
    expect(keyedTables(tables, ex, conditionNnf(eq(action, 'x')))).toEqual(tables);
  });
  it('without tableValues, every table', () => {
    expect(keyedTables(tables, undefined, conditionNnf(eq(service, 'a')))).toEqual(tables);
  });
});

describe('keyedRowTables: the tables a log is in', () => {
  it('the table of its value and those without one; any other value, every table', () => {
    expect(keyedRowTables(tables, key, { serviceName: 'b' })).toEqual(['TB', 'TFree']);
    expect(keyedRowTables(tables, key, { serviceName: 'zzz' })).toEqual(tables);
    expect(keyedRowTables(tables, key, {})).toEqual(tables);
    expect(keyedRowTables(tables, key, { serviceName: 3 })).toEqual(tables);
  });
  it('exclusive keys: a value no table is keyed by (or none) in the tables without a value', () => {
    const ex = { ...key, exclusive: true };
    expect(keyedRowTables(tables, ex, { serviceName: 'b' })).toEqual(['TB', 'TFree']);
    expect(keyedRowTables(tables, ex, { serviceName: 'zzz' })).toEqual(['TFree']);
    expect(keyedRowTables(tables, ex, {})).toEqual(['TFree']);
  });
});

describe('mapping: sources.kql.tableValues', () => {
  it('needs field and values, each table one of the log type\'s and each value once', () => {
    const base = 'logType: A.B\nsources:\n  kql:\n    tables: [TA, TB]\n    tableValues:\n';
    expect(parseMappingFile(`${base}      field: x\n      values: {TA: a}\n`, 'm.yaml')[0]!.sources.kql?.source.tableValues).toEqual({ field: ['x'], values: { TA: 'a' } });
    expect(parseMappingFile(`${base}      field: x\n      exclusive: true\n      values: {TA: a}\n`, 'm.yaml')[0]!.sources.kql?.source.tableValues).toEqual({ field: ['x'], values: { TA: 'a' }, exclusive: true });
    expect(() => parseMappingFile(`${base}      field: x\n      exclusive: yes please\n      values: {TA: a}\n`, 'm.yaml')).toThrow(/exclusive must be true or false/);
    expect(() => parseMappingFile(`${base}      field: x\n`, 'm.yaml')).toThrow(/needs field and values/);
    expect(() => parseMappingFile(`${base}      field: x\n      values: {TC: a}\n`, 'm.yaml')).toThrow(/TC is not one of the log type's tables/);
    expect(() => parseMappingFile(`${base}      field: x\n      values: {TA: a, TB: a}\n`, 'm.yaml')).toThrow(/both hold "a"/);
  });
});

describe('KQL: Databricks.Audit reads the tables of the service names its condition admits', () => {
  const cond: Pred = { k: 'and', args: [eq(service, 'secrets'), { k: 'in', value: action, list: ['deleteScope', 'deleteSecret'] }] };
  const tests: RuleTest[] = [
    { name: 'secrets', expected: true, log: { serviceName: 'secrets', actionName: 'deleteScope' } },
    { name: 'another service', expected: false, log: { serviceName: 'workspace', actionName: 'deleteScope' } },
    { name: 'an unkeyed service', expected: false, log: { serviceName: 'deltaSharingAccess', actionName: 'deleteScope' } },
    { name: 'another action', expected: false, log: { serviceName: 'secrets', actionName: 'listScopes' } },
  ];

  it('the projection puts a log in its category\'s table (and the tables without a category)', () => {
    const k = projectKql({ serviceName: 'workspace', actionName: 'x' } as Json, 'Databricks.Audit', mapper);
    expect(k.tables).toContain('DatabricksWorkspace');
    expect(k.tables).not.toContain('DatabricksSecrets');
    expect(k.tables).toContain('DatabricksTables');
    // the keys are exclusive (mappings/databricks_audit.yaml): a service no table is keyed by is in the tables without a category
    expect(projectKql({ serviceName: 'deltaSharingAccess' } as Json, 'Databricks.Audit', mapper).tables).toEqual(['DatabricksDatabricksSQL', 'DatabricksRemoteHistoryService', 'DatabricksTables']);
  });

  it('the query reads DatabricksSecrets and the tables without a category, and is exact and proven', () => {
    const r = databricksRule(cond, tests);
    for (const t of tests) expect(evaluateRule(r.condition, t.log as Json), t.name).toBe(t.expected);
    const o = renderRule(r, 'kql', ctx);
    expect(o.text).toContain('union isfuzzy=true DatabricksDatabricksSQL, DatabricksRemoteHistoryService, DatabricksSecrets, DatabricksTables\n');
    expect(o.text).not.toContain('DatabricksWorkspace');
    expect(checkKql(o.text, {}), o.text).toEqual([]);
    const proof = proveOutput(o, r, mapper)!;
    expect(proof.tests.failed).toBe(0);
    expect(proof.fidelity).toBe('exact');
  });

  it('the evaluator: a row of a table the query leaves out is not read, whatever its condition says', () => {
    const q = kqlProof.compile('union isfuzzy=true DatabricksSecrets\n| where ActionName == "deleteScope"', 'kql');
    const workspace = projectKql({ serviceName: 'workspace', actionName: 'deleteScope' } as Json, 'Databricks.Audit', mapper);
    const secrets = projectKql({ serviceName: 'secrets', actionName: 'deleteScope' } as Json, 'Databricks.Audit', mapper);
    expect(q.matches(workspace)).toBe(false);
    expect(q.matches(secrets)).toBe(true);
  });

  it('a condition that admits another service reads the tables without a category too, not the other keyed ones (exclusive keys)', () => {
    const tests2: RuleTest[] = [...tests, { name: 'sso', expected: true, log: { serviceName: 'ssoConfigBackend', actionName: 'x' } }];
    const r = databricksRule({ k: 'or', args: [cond, eq(service, 'ssoConfigBackend')] }, tests2);
    const o = renderRule(r, 'kql', ctx);
    expect(o.text).toContain('union isfuzzy=true DatabricksDatabricksSQL, DatabricksRemoteHistoryService, DatabricksSecrets, DatabricksTables\n');
    const proof = proveOutput(o, r, mapper)!;
    expect(proof.tests.failed).toBe(0);
    expect(proof.fidelity).toBe('exact');
    // a condition that does not fix the service reads every table
    expect(renderRule(databricksRule(eq(action, 'x')), 'kql', ctx).text).toContain('DatabricksWorkspace');
  });
});
