/**
 * A table of a log type's union that lacks a column one of the query's `where` conjuncts requires (a test
 * false on a missing value: a comparison with a non-empty string, a string operator with a non-empty
 * pattern, isnotempty/isnotnull) holds no row the query keeps, and is left out of the union
 * (src/targets/kql/index.ts tablesWithColumns).
 */
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { proveOutput } from '../src/proof/index.js';
import { columnRequired, tablesWithColumns } from '../src/targets/kql/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';

describe('columnRequired', () => {
  it('names the column of a test false on a missing value', () => {
    expect(columnRequired('RiskState in~ ("atrisk", "confirmedcompromised")')).toBe('RiskState');
    expect(columnRequired('Result == "success"')).toBe('Result');
    expect(columnRequired('UserAgent contains_cs "curl"')).toBe('UserAgent');
    expect(columnRequired('isnotempty(UserPrincipalName)')).toBe('UserPrincipalName');
    expect(columnRequired('isnotnull(Status)')).toBe('Status');
  });
  it('not a test a missing value can pass, nor one of several columns or of a member', () => {
    expect(columnRequired('RiskState !in~ ("dismissed")')).toBeNull();
    expect(columnRequired('Result != "success"')).toBeNull();
    expect(columnRequired('Result == ""')).toBeNull();
    expect(columnRequired('A in ("x", "")')).toBeNull();
    expect(columnRequired('isempty(A)')).toBeNull();
    expect(columnRequired('A == "x" or B == "y"')).toBeNull();
    expect(columnRequired('toreal(Status.errorCode) == 0')).toBeNull();
    expect(columnRequired('A matches regex "x*"')).toBeNull();
  });
});

describe('tablesWithColumns', () => {
  const cols: Record<string, Record<string, string>> = { S: { A: 'string', B: 'string' }, L: { A: 'string', R: 'string' } };
  const of = (t: string) => cols[t];
  it('leaves out a table without a required column', () => {
    expect(tablesWithColumns(['S', 'L'], ['A == "x"', 'B == "y"'], [], of)).toEqual(['S']);
    expect(tablesWithColumns(['S', 'L'], ['R == "y"'], [], of)).toEqual(['L']);
  });
  it('keeps every table when no conjunct requires a column, a stage names it, the schema is unknown, or none would be left', () => {
    expect(tablesWithColumns(['S', 'L'], ['A == "x"', 'B != "y"'], [], of)).toEqual(['S', 'L']);
    expect(tablesWithColumns(['S', 'L'], ['B == "y"'], ['extend B = tostring(A)'], of)).toEqual(['S', 'L']);
    expect(tablesWithColumns(['S', 'U'], ['B == "y"'], [], of)).toEqual(['S', 'U']);
    expect(tablesWithColumns(['S', 'L'], ['B == "y"', 'R == "z"'], [], of)).toEqual(['S', 'L']);
  });
});

describe('sample Sample.Standard.BreakGlassAccountSignIn: the Azure sign-in branch', () => {
  const mapper = loadMappings();
  const ctx = { mapper, templatesDir: defaultTemplatesDir() };
  const { rule } = liftFile('rules/standard/standard_break_glass_sign_in.yml');
  for (const target of ['kql', 'sentinel']) {
    it(`${target}: reads SigninLogs alone (AuditLogs has no UserPrincipalName column), proven`, () => {
      const out = renderRule(rule, target, ctx);
      expect(out.text).toMatch(/\(SigninLogs\n/);
      expect(out.text).not.toMatch(/union isfuzzy=true SigninLogs, AuditLogs/);
      const report = proveOutput(out, rule, mapper)!;
      expect(report.tests.failed).toBe(0);
      expect(report.tests.notEvaluable).toBe(0);
    });
  }
});
