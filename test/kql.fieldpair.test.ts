/**
 * == / != between two fields that are dynamic values holding strs where present (kql/printer.ts `dynStr`), and
 * between two booleans read with deep_get(..., default=b) (`dynBool`: coalesce(tobool(x), b)):
 * KQL compares their texts and their presence, so a missing field (None in Python) is not the empty string.
 * YARA-L, which reads a missing UDM field as "", declares `!=` narrower (and `==` wider) there.
 * The sample rule shows it end to end: exact, proven on its tests (among them a "" beside a missing field),
 * Kusto.Language clean; and the KQL evaluator agrees with Python's != on every pair of values.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../src/ast/types.js';
import { customKqlTables } from '../src/mapping/custom.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { renderProven } from '../src/proof/index.js';
import { kqlProof } from '../src/proof/kql/index.js';
import { defaultTemplatesDir } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';

const mapper = loadMappings();
const ctx: RenderContext = { mapper, templatesDir: defaultTemplatesDir() };
const SAMPLE = 'rules/github/github_pr_merged_by_other_user.yml';

describe('!= between two dynamic string fields', () => {
  const { rule } = liftFile(path.join(process.cwd(), SAMPLE));

  it.each(['kql', 'sentinel'] as const)('%s: texts and presence compared; exact, proven on its tests', (target) => {
    const { output, proof } = renderProven(rule, target, ctx);
    expect(output.text).toContain('tostring(pull_request.merged_by.login) != tostring(pull_request.user.login)');
    expect(output.text).toContain('or isnull(pull_request.merged_by.login) != isnull(pull_request.user.login)');
    expect(output.fidelity).toBe('exact');
    expect(output.reasons).toEqual([]);
    expect(proof?.tests).toMatchObject({ passed: 7, failed: 0, notEvaluable: 0 });
  });

  it('kql: valid (Kusto.Language)', () => {
    const { output } = renderProven(rule, 'kql', ctx);
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
  });

  it('the KQL test agrees with Python\'s != on every pair of a missing field, null, "" and two strings', () => {
    const q = (ne: boolean) =>
      kqlProof.compile(['T', `| where ${ne ? 'tostring(d.a) != tostring(d.b) or isnull(d.a) != isnull(d.b)' : 'tostring(d.a) == tostring(d.b) and isnull(d.a) == isnull(d.b)'}`].join('\n'), 'kql');
    const MISSING = Symbol('missing');
    const vals: (Json | typeof MISSING)[] = [MISSING, null, '', 'x', 'y'];
    for (const a of vals) {
      for (const b of vals) {
        const d: Record<string, Json> = {};
        if (a !== MISSING) d.a = a;
        if (b !== MISSING) d.b = b;
        const py = (a === MISSING ? null : a) !== (b === MISSING ? null : b);
        const ev = { tables: ['T'], columns: { d }, types: { d: 'dynamic' }, tableColumns: {} };
        expect(q(true).matches(ev), `${String(a)} != ${String(b)}`).toBe(py);
        expect(q(false).matches(ev), `${String(a)} == ${String(b)}`).toBe(!py);
      }
    }
  });

  it('yaral: a missing field read as "" makes != narrower, declared (approximate, its failing test declared)', () => {
    const { output, proof } = renderProven(rule, 'yaral', ctx);
    expect(output.fidelity).toBe('approximate');
    expect(output.reasons.find((r) => r.code === 'target-missing-vs-empty')?.direction).toBe('narrower');
    expect(proof?.tests.failed).toBe(0);
  });
});

describe('!= between two booleans read with deep_get(..., default=False)', () => {
  const { rule } = liftFile(path.join(process.cwd(), 'rules/aws_cloudtrail/aws_ebs_volume_encryption_differs.yml'));

  it.each(['kql', 'sentinel'] as const)('%s: each side is its default where missing or null; exact, proven on its tests', (target) => {
    const { output, proof } = renderProven(rule, target, ctx);
    expect(output.text).toContain('coalesce(tobool(parse_json(RequestParameters).encrypted), false) != coalesce(tobool(parse_json(ResponseElements).encrypted), false)');
    expect(output.fidelity).toBe('exact');
    expect(proof?.tests).toMatchObject({ passed: 7, failed: 0, notEvaluable: 0 });
  });

  it('yaral: both sides on one fallback key: the comparison replaced by its superset, saying so (approximate, no test disagreeing)', () => {
    const { output, proof } = renderProven(rule, 'yaral', ctx);
    expect(output.fidelity).toBe('approximate');
    expect(output.text).not.toContain('$e.additional.fields["encrypted"] != $e.additional.fields["encrypted"]');
    expect(output.reasons.some((r) => r.code === 'target-unsupported-construct' && r.message.includes('requestParameters.encrypted with responseElements.encrypted'))).toBe(true);
    expect(proof?.tests.failed).toBe(0);
  });
});
