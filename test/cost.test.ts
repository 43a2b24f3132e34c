/**
 * Cost on long boolean chains and elif chains (issue: hardening, item 1; issue: performance). These used to be
 * exponential (22 conjuncts 1.4 s, 26 take 48 s, 30 never finish) or rejected by the parser (500 terms). The
 * tests assert the result (no wall time): timings are in scripts/bench.mjs.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { liftFile, proveRule, treeSize } from '../src/pipeline.js';
import { predText } from '../src/ast/print.js';
import { parsePython, PySyntaxError } from '../src/python/parse.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cost-'));

/** Write a rule whose rule() body is `body` (indented already), with two tests. */
function rule(name: string, body: string, tests: { name: string; expected: boolean; log: object }[] = []): string {
  fs.writeFileSync(path.join(dir, `${name}.py`), `def rule(event):\n${body}`);
  const t = tests.map((x) => `  - Name: ${x.name}\n    ExpectedResult: ${x.expected}\n    Log: ${JSON.stringify(x.log)}\n`).join('');
  fs.writeFileSync(path.join(dir, `${name}.yml`), `AnalysisType: rule\nRuleID: T.${name}\nFilename: ${name}.py\nLogTypes: [AWS.CloudTrail]\nSeverity: Low\n${t ? `Tests:\n${t}` : ''}`);
  return path.join(dir, `${name}.yml`);
}

const terms = (n: number, op = '==') => Array.from({ length: n }, (_, i) => `event.get("f${i}") ${op} "${i}"`);
const allSet = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, String(i)]));
const flatAnd = (n: number, op = '==') => Array.from({ length: n }, (_, i) => `f${i} ${op} "${i}"`).join(' and ');

function lifted(file: string) {
  const { rule: r, loaded } = liftFile(file);
  return { r, report: proveRule(r, loaded) };
}

describe('a long `and` chain lifts to a flat conjunction', () => {
  for (const n of [22, 24, 26, 30, 500, 1000]) {
    it(`${n} conjuncts`, () => {
      const tests = [
        { name: 'all', expected: true, log: allSet(n) },
        { name: 'one off', expected: false, log: { ...allSet(n), [`f${n - 1}`]: 'x' } },
      ];
      const { r, report } = lifted(rule(`and${n}`, `    return ${terms(n).join(' and ')}\n`, tests));
      expect(r.condition.k).toBe('and');
      expect(r.condition.k === 'and' && r.condition.args.length).toBe(n);
      expect(predText(r.condition)).toBe(flatAnd(n));
      expect(report.fidelity).toBe('exact');
      expect(report.tests).toEqual({ passed: 2, failed: 0, skipped: 0 });
    });
  }

  it('the same inside an if, with !=, and under bool()', () => {
    const n = 40;
    const a = lifted(rule('ifchain', `    if ${terms(n).join(' and ')}:\n        return True\n    return False\n`)).r;
    expect(predText(a.condition)).toBe(flatAnd(n));
    const b = lifted(rule('nechain', `    return ${terms(n, '!=').join(' and ')}\n`)).r;
    expect(predText(b.condition)).toBe(flatAnd(n, '!='));
    const c = lifted(rule('boolchain', `    return bool(${terms(n).join(' and ')})\n`)).r;
    expect(predText(c.condition)).toBe(flatAnd(n));
  });

  it('a long `or` chain lifts to a flat disjunction', () => {
    const n = 300;
    const { r, report } = lifted(rule('orchain', `    return ${terms(n).join(' or ')}\n`, [{ name: 'last', expected: true, log: { [`f${n - 1}`]: String(n - 1) } }]));
    expect(r.condition.k === 'or' && r.condition.args.length).toBe(n);
    expect(report.tests.passed).toBe(1);
  });
});

describe('the parser accepts what CPython accepts', () => {
  it('a 500- and a 2,000-term chain parse (lezer used to force an error past about 220)', () => {
    for (const n of [500, 2000]) {
      const m = parsePython(`def rule(event):\n    return ${terms(n).join(' and ')}\n`, 'x.py');
      expect(m.body).toHaveLength(1);
    }
  });

  it('short chains keep Python\'s left association; a not binds to the first operand only', () => {
    const m = parsePython('x = not a and b and c\n', 'x.py');
    const v = (m.body[0] as unknown as { value: { t: string; left: { t: string; left: { t: string } } } }).value;
    expect(v.t).toBe('BoolOp');
    expect(v.left.t).toBe('BoolOp');
    expect(v.left.left.t).toBe('Not');
  });

  it('a chain too deep for lezer is a syntax error with a position, not a crash', () => {
    const src = `def rule(event):\n    return ${terms(4000).join(' and ')}\n`;
    expect(() => parsePython(src, 'x.py')).toThrow(PySyntaxError);
  });
});

describe('elif chains', () => {
  it('an elif chain of returns lifts to a flat disjunction', () => {
    const n = 60;
    let body = '    x = event.get("f")\n';
    for (let i = 0; i < n; i++) body += `    ${i ? 'elif' : 'if'} x == "v${i}":\n        return True\n`;
    body += '    return False\n';
    const { r, report } = lifted(rule('elif60', body, [{ name: 'hit', expected: true, log: { f: 'v59' } }, { name: 'miss', expected: false, log: { f: 'w' } }]));
    expect(r.condition.k === 'or' && r.condition.args.length).toBe(n);
    expect(report.fidelity).toBe('exact');
  });

  it('alternating returns complete (the path conditions are quadratic, the cost is not exponential)', () => {
    const n = 100;
    let body = '    x = event.get("f")\n';
    for (let i = 0; i < n; i++) body += `    ${i ? 'elif' : 'if'} x == "v${i}":\n        return ${i % 2 ? 'True' : 'False'}\n`;
    body += '    return False\n';
    const { r, report } = lifted(rule('elifalt', body, [{ name: 'odd', expected: true, log: { f: 'v51' } }, { name: 'even', expected: false, log: { f: 'v50' } }]));
    expect(treeSize(r.condition)).toBeLessThan(20000);
    expect(report.tests).toEqual({ passed: 2, failed: 0, skipped: 0 });
  });

  it('an elif chain over the simplification budget is reported as unsupported-size at rule(), not run on', () => {
    const n = 200;
    let body = '    x = event.get("f")\n';
    for (let i = 0; i < n; i++) body += `    ${i ? 'elif' : 'if'} x == "v${i}":\n        return True\n`;
    body += '    return False\n';
    const { r, report } = lifted(rule('elif200', body));
    const size = r.reasons.find((x) => x.code === 'unsupported-size');
    expect(size).toBeDefined();
    expect(size?.line).toBe(1);
    expect(size?.message).toMatch(/too large to translate/);
    expect(report.fidelity).toBe('unsupported');
  });
});
