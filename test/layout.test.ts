/**
 * How queries read: the printed tree tidied (duplicates, absorption, common factors of the guards a
 * printer adds), long KQL conditions laid out over lines, reasons listed once with a count, the size
 * note of a query over the budget, typed truthiness in KQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Reason } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { headerLines, QUERY_BUDGET, reasonLines, sizeNote } from '../src/targets/common/meta.js';
import { and, or, printOut, text, type InfixSyntax } from '../src/targets/common/out.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';

const KQL: InfixSyntax = { and: ' and ', or: ' or ', true: 'true', false: 'false' };
const t = text;

describe('the printed tree is tidied', () => {
  it('the same text twice is kept once; absorption', () => {
    expect(printOut(and(t('a'), t('b'), t('a')), KQL)).toBe('a and b');
    expect(printOut(or(t('a'), and(t('a'), t('b'))), KQL)).toBe('a');
    expect(printOut(and(t('a'), or(t('a'), t('b'))), KQL)).toBe('a');
  });

  it("a guard shared by several tests is factored out (Logs Insights' presence guards)", () => {
    const g = t('not (ispresent(x))');
    expect(printOut(and(or(g, t('x != "a"')), or(g, t('x != "b"')), t('y = 1')), KQL)).toBe('(not (ispresent(x)) or x != "a" and x != "b") and y = 1');
    expect(printOut(or(and(t('ispresent(x)'), t('A')), and(t('ispresent(x)'), t('B'))), KQL)).toBe('ispresent(x) and (A or B)');
  });
});

describe('layout', () => {
  const WRAP: InfixSyntax = { ...KQL, wrap: { width: 40, indent: '    ', step: '    ' } };

  it('a short condition stays on one line', () => {
    expect(printOut(or(t('A == 1'), and(t('B == 2'), t('C == 3'))), WRAP)).toBe('A == 1 or B == 2 and C == 3');
  });

  it('a long one has an operand per line, nested terms indented inside their parentheses', () => {
    const long = (s: string) => t(`${s} == "${s.repeat(12)}"`);
    const out = printOut(and(long('A'), or(long('B'), long('C'))), WRAP);
    expect(out).toBe(['A == "AAAAAAAAAAAA"', '    and (', '        B == "BBBBBBBBBBBB"', '        or C == "CCCCCCCCCCCC"', '    )'].join('\n'));
  });
});

describe('header lines', () => {
  it('a reason found in several places is listed once, with the count', () => {
    const r = (code: string, message: string, line: number): Reason => ({ code, message, file: 'x.py', line });
    expect(reasonLines([r('opaque-call', 'hasattr() is not supported', 3), r('target-quantifier', 'q', 4), r('opaque-call', 'hasattr() is not supported', 9)])).toEqual([
      'opaque-call: hasattr() is not supported (2 places)',
      'target-quantifier: q',
    ]);
  });

  it('the description is left out where it only says the display name again', () => {
    const meta = { id: 'X.Y', file: 'x.yml', pyFile: 'x.py', displayName: 'MongoDB logging toggled', description: 'MongoDB logging toggled.', severity: 'Info', enabled: true, logTypes: [], tags: [], mitre: [] } as unknown as Parameters<typeof headerLines>[0];
    expect(headerLines(meta)).toEqual(['Panther rule X.Y (x.yml + x.py)', 'MongoDB logging toggled']);
    expect(headerLines({ ...meta, description: 'Logging was turned off for a project.' })).toEqual(['Panther rule X.Y (x.yml + x.py)', 'MongoDB logging toggled', 'Logging was turned off for a project.']);
    expect(headerLines({ ...meta, description: undefined })).toHaveLength(2);
  });

  it('a query over the budget says so, and how large', () => {
    expect(sizeNote('x'.repeat(QUERY_BUDGET))).toBeNull();
    expect(sizeNote('x'.repeat(12345))).toBe('query-size: the query is 12,345 characters after simplification, over the 8,000 a reviewer is expected to read');
  });
});

describe('rendered rules', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-layout-'));
  const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
  const write = (name: string, body: string, log: object): string => {
    fs.writeFileSync(path.join(dir, `${name}.py`), `def rule(event):\n${body}`);
    fs.writeFileSync(path.join(dir, `${name}.yml`), `AnalysisType: rule\nRuleID: T.${name}\nFilename: ${name}.py\nLogTypes: [AWS.CloudTrail]\nSeverity: Low\nTests:\n  - Name: t\n    ExpectedResult: true\n    Log: ${JSON.stringify(log)}\n`);
    return path.join(dir, `${name}.yml`);
  };

  it('every target states the size of a query over the budget, in its header and as a warning', () => {
    // pairs of tests on two fields: no target writes them shorter (Logs Insights and YARA-L join the
    // regexes of one field in an `or` into one, so 800 prefixes of one field would fit)
    const big = (n: number) => {
      const terms = Array.from({ length: n }, (_, i) => `(event.get("eventName", "").startswith("p${String(i).padStart(4, '0')}x") and event.get("eventSource", "").startswith("s${String(i).padStart(4, '0')}y"))`);
      return liftFile(write(`big${n}`, `    return ${terms.join(' or ')}\n`, { eventName: 'p0001xy', eventSource: 's0001yz' })).rule;
    };
    const rule = big(400);
    // Sentinel refuses a query over the 10,000 characters an analytic rule holds, Logs Insights one over the
    // 10,000 StartQuery runs (each reason says how large)
    for (const target of ['sentinel', 'cwl']) {
      const o = renderRule(rule, target, ctx);
      expect(o.reasons.find((r) => r.code === 'unsupported-query-too-long')?.message, target).toMatch(/the query is \d+ characters/);
      expect(o.fidelity, target).toBe('unsupported');
    }
    // 150 pairs: a Logs Insights query between the budget and the limit
    for (const [target, r] of [['kql', rule], ['sigma', rule], ['cwl', big(150)]] as const) {
      const o = renderRule(r, target, ctx);
      expect(o.text, target).toMatch(/query-size: the query is [\d,]+ characters after simplification/);
      expect(o.diagnostics.some((d) => d.code === 'query-size'), target).toBe(true);
      // not a fidelity reason: the query is no less exact
      expect(o.reasons.some((r) => r.code.includes('size')), target).toBe(false);
    }
  });

  it('Logs Insights: a query too long only for its long regexes is rendered once more with them replaced by their superset (declared)', () => {
    // Python's \\w and \\d are spelled out for Logs Insights (thousands of characters each)
    const body = `    return event.get("eventName") == "Run" and (${Array.from({ length: 4 }, (_, i) => `re.search(r"k${i}\\w+\\d+", event.get("userAgent", ""))`).join(' or ')})\n`;
    const yml = write('longre', body, { eventName: 'Run', userAgent: 'k1ab12' });
    fs.writeFileSync(path.join(dir, 'longre.py'), `import re\n\n\ndef rule(event):\n${body}`);
    const rule = liftFile(yml).rule;
    const o = renderRule(rule, 'cwl', ctx);
    expect(o.reasons.map((r) => r.code)).not.toContain('unsupported-query-too-long');
    expect(o.fidelity).toBe('approximate');
    expect(o.reasons.filter((r) => /its Logs Insights spelling, \d+ characters, takes the query past/.test(r.message)).length).toBe(4);
    expect(o.text).toContain('filter eventName = "Run"');
    // a query too long without any long regex stays refused (the test above: 400 pairs of prefixes)
  });

  it('KQL: the truthiness of a dynamic member of one type is one predicate; of an untyped one, a call of the one truthy() function the query declares', () => {
    const typed = liftFile(write('typed', '    return bool(event.deep_get("requestParameters", "policy"))\n', { requestParameters: { policy: { a: 1 } } })).rule;
    const q1 = renderRule(typed, 'kql', ctx).text;
    expect(q1).toContain('coalesce(array_length(bag_keys(parse_json(RequestParameters).policy)), 0) != 0');
    expect(q1).not.toContain('gettype(');
    const mixed = liftFile(
      write('mixed', '    p = event.deep_get("requestParameters", "policy")\n    return (p and event.get("eventName") == "A") or (not p and event.get("eventSource") == "B")\n', { requestParameters: { policy: 'x' }, eventName: 'A', x: [{ policy: 1 }] }),
    ).rule;
    mixed.tests.push({ name: 'n', expected: false, log: { requestParameters: { policy: 1 } } });
    const q2 = renderRule(mixed, 'kql', ctx).text;
    expect(q2.match(/gettype\(/g)).toHaveLength(1);
    expect(q2).toMatch(/^let truthy = \(v: dynamic\) \{\n    let t = gettype\(v\);\n    case\(t == "string"/m);
    // read twice (p and ..., not p and ...): called once, in an extend the condition reads (kql/names.ts)
    expect(q2).toContain('| extend PolicyTruthy = truthy(parse_json(RequestParameters).policy)\n');
    expect(q2).toContain('| where EventName == "A" and PolicyTruthy or EventSource == "B" and not(PolicyTruthy)\n');
  });

  it('KQL: an mv-apply element is read by the types the tests show for the list\'s elements (a str: isnotempty), else by the runtime dispatch, truthy()', () => {
    const src = '    return any(a for a in event.deep_get("requestParameters", "valuesToAdd", default=[]) if a)\n';
    const q = renderRule(liftFile(write('elem', src, { requestParameters: { valuesToAdd: ['1'] } })).rule, 'kql', ctx).text;
    expect(q).toContain('.valuesToAdd on (where isnotempty(tostring(__q1)) | take 1)');
    const mixed = renderRule(liftFile(write('elem2', src, { requestParameters: { valuesToAdd: ['1', 0] } })).rule, 'kql', ctx).text;
    expect(mixed).toContain('.valuesToAdd on (where truthy(__q1) | take 1)');
    expect(mixed).not.toContain('bag_keys(__q1)), 0)');
  });
});
