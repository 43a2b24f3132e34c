/**
 * A union branch's consecutive `where` conditions are one `where` of their conjunction when that stays one
 * line of the printer's width (src/targets/kql/index.ts joinWheres): `(T | where a | where b)` reads
 * `(T | where a and b)`; a condition over several lines or with a top-level `or` keeps its own `where`.
 * A branch that then fits one line of that width is written on one line: `(T | where a and b),`.
 */
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { proveOutput } from '../src/proof/index.js';
import { joinWheres } from '../src/targets/kql/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';

describe('joinWheres', () => {
  it('joins consecutive one-line conditions with and', () => {
    expect(joinWheres(['A == "x"', 'B in ("y", "z")', 'isempty(C)'])).toEqual(['A == "x" and B in ("y", "z") and isempty(C)']);
  });
  it('keeps a condition with a top-level or apart (and binds tighter), not one whose or is inside parentheses or a string', () => {
    expect(joinWheres(['A == "x"', 'B == 1 or C == 2', 'D == 3'])).toEqual(['A == "x"', 'B == 1 or C == 2', 'D == 3']);
    expect(joinWheres(['A == " or "', 'not(B == 1 or C == 2)'])).toEqual(['A == " or " and not(B == 1 or C == 2)']);
  });
  it('keeps a condition over several lines apart, and stops a line at the width (100)', () => {
    expect(joinWheres(['A == 1', 'B == 1\n    or C == 2', 'D == 3'])).toEqual(['A == 1', 'B == 1\n    or C == 2', 'D == 3']);
    const long = `X == "${'a'.repeat(80)}"`;
    expect(joinWheres(['A == 1', long, 'B == 2', 'C == 3'])).toEqual(['A == 1', long, 'B == 2 and C == 3']);
  });
  it('leaves one condition or none as it is', () => {
    expect(joinWheres([])).toEqual([]);
    expect(joinWheres(['A == 1'])).toEqual(['A == 1']);
  });
});

describe('sample Sample.Kubernetes.PodExec: the branches of the union', () => {
  const mapper = loadMappings();
  const ctx = { mapper, templatesDir: defaultTemplatesDir() };
  const { rule } = liftFile('rules/kubernetes/k8s_pod_exec.yml');
  for (const target of ['kql', 'sentinel']) {
    it(`${target}: a branch's consecutive tests read as one where, proven`, () => {
      const out = renderRule(rule, target, ctx);
      const text = target === 'kql' ? out.text : out.text.replace(/^ {2}/gm, '');
      expect(text).toMatch(/\n {4}\| where tostring\(RawEvent\.objectRef\.subresource\) == "exec" and Verb in \("create", "get"\)\),\n/);
      expect(text).toMatch(/\n {4}\| where Category in \("kube-audit", "kube-audit-admin"\) and tostring\(LogJson\.verb\) in \("create", "get"\)\n/);
      const report = proveOutput(out, rule, mapper)!;
      expect(out.fidelity).toBe('exact');
      expect(report.tests.failed).toBe(0);
      expect(report.tests.notEvaluable).toBe(0);
    });
  }
});

describe('sample Sample.Snowflake.GrantToPublic: short branches on one line', () => {
  const mapper = loadMappings();
  const ctx = { mapper, templatesDir: defaultTemplatesDir() };
  const { rule } = liftFile('rules/snowflake/snowflake_grant_to_public.yml');
  for (const target of ['kql', 'sentinel']) {
    it(`${target}: each branch one line of its table and its where, the test both branches share after the union, proven`, () => {
      const out = renderRule(rule, target, ctx);
      const text = target === 'kql' ? out.text : out.text.replace(/^ {2}/gm, '');
      // DELETED_ON is a string column of both custom-log tables (GrantsToUsers typed by its mapping)
      expect(text).toMatch(/\n {4}\(Snowflake_GrantsToRoles_CL \| where GRANTEE_NAME == "PUBLIC"\),\n/);
      expect(text).toMatch(/\n {4}\(Snowflake_GrantsToUsers_CL \| where tostring\(GRANTEE_NAME\) == "PUBLIC"\)\n\| where isempty\(DELETED_ON\)\n/);
      for (const line of text.split('\n')) if (line.startsWith('    (')) expect(line.length).toBeLessThanOrEqual(100);
      const report = proveOutput(out, rule, mapper)!;
      expect(report.tests.failed).toBe(0);
      expect(report.tests.notEvaluable).toBe(0);
    });
  }
});
