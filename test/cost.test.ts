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
import { and, BudgetExceeded, withBudget } from '../src/ast/normalize.js';
import type { Pred } from '../src/ast/types.js';
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
  /** `if x == "v0": <arm(0)> elif x == "v1": <arm(1)> ...` after `x = event.get("f")`, then `tail`. */
  const chain = (n: number, arm: (i: number) => string, tail = '    return False\n', head = '    x = event.get("f")\n') =>
    head + Array.from({ length: n }, (_, i) => `    ${i ? 'elif' : 'if'} x == "v${i}":\n${arm(i)}`).join('') + tail;
  const anyOf = (ids: number[], field = 'f') => ids.map((i) => `${field} == "v${i}"`).join(' or ');
  const upTo = (n: number, keep: (i: number) => boolean) => Array.from({ length: n }, (_, i) => i).filter(keep);

  it('an elif chain of returns lifts to a flat disjunction', () => {
    const n = 60;
    const { r, report } = lifted(rule('elif60', chain(n, () => '        return True\n'), [{ name: 'hit', expected: true, log: { f: 'v59' } }, { name: 'miss', expected: false, log: { f: 'w' } }]));
    expect(r.condition.k === 'or' && r.condition.args.length).toBe(n);
    expect(report.fidelity).toBe('exact');
  });

  it('alternating returns: the tests exclude each other, so only the returning ones remain', () => {
    const n = 100;
    const body = chain(n, (i) => `        return ${i % 2 ? 'True' : 'False'}\n`);
    const { r, report } = lifted(rule('elifalt', body, [{ name: 'odd', expected: true, log: { f: 'v51' } }, { name: 'even', expected: false, log: { f: 'v50' } }]));
    expect(predText(r.condition)).toBe(anyOf(upTo(n, (i) => i % 2 === 1)));
    expect(report.tests).toEqual({ passed: 2, failed: 0, skipped: 0 });
  });

  // issue 10: a 1,000-branch chain lifts (it used to be reported unsupported-size); timings in `npm run bench -- chains`
  const n = 1000;
  const edge = (expected: (i: number) => boolean, miss = false) =>
    [0, 1, 2, 3, 500, 997, 998, 999].map((i) => ({ name: `v${i}`, expected: expected(i), log: { f: `v${i}` } })).concat({ name: 'miss', expected: miss, log: { f: 'w' } });

  it('1,000 branches that all return True', () => {
    const { r, report } = lifted(rule('elif1000', chain(n, () => '        return True\n'), edge(() => true)));
    expect(r.reasons).toEqual([]);
    expect(predText(r.condition)).toBe(anyOf(upTo(n, () => true)));
    expect(report.fidelity).toBe('exact');
    expect(report.tests).toEqual({ passed: 9, failed: 0, skipped: 0 });
  });

  it('1,000 branches each returning a different result (strings, numbers, booleans, None)', () => {
    // Python truthiness: "r0" and 7 are true; "", 0, False and None are false
    const results = ['"r{i}"', '""', '{i}', '0', 'False', 'None', 'True'];
    const value = (i: number) => (results[i % results.length] as string).replace('{i}', String(i + 1));
    const truthy = (i: number) => [0, 2, 6].includes(i % results.length);
    const { r, report } = lifted(rule('elifdiff', chain(n, (i) => `        return ${value(i)}\n`, '    return "fallthrough"\n'), edge(truthy, true)));
    expect(r.reasons).toEqual([]);
    // a value that matches none of the tests returns "fallthrough" (true): it is none of the false ones
    expect(predText(r.condition)).toBe(`${anyOf(upTo(n, truthy))} or (${upTo(n, (i) => !truthy(i)).map((i) => `f != "v${i}"`).join(' and ')})`);
    expect(report.tests).toEqual({ passed: 9, failed: 0, skipped: 0 });
  });

  it('1,000 branches assigning a variable, then one return', () => {
    const { r, report } = lifted(rule('elifassign', chain(n, (i) => `        r = ${i % 3 ? 'True' : 'False'}\n`, '    return r\n', '    x = event.get("f")\n    r = False\n'), edge((i) => i % 3 !== 0)));
    expect(r.reasons).toEqual([]);
    expect(predText(r.condition)).toBe(anyOf(upTo(n, (i) => i % 3 !== 0)));
    expect(report.tests).toEqual({ passed: 9, failed: 0, skipped: 0 });
  });

  it('1,000 branches holding a nested if', () => {
    const arm = (i: number) => `        if event.get("g") == "w${i}":\n            return True\n        return False\n`;
    const tests = [
      { name: 'both', expected: true, log: { f: 'v999', g: 'w999' } },
      { name: 'other g', expected: false, log: { f: 'v999', g: 'w998' } },
      { name: 'first', expected: true, log: { f: 'v0', g: 'w0' } },
    ];
    const { r, report } = lifted(rule('elifnested', chain(n, arm), tests));
    expect(r.reasons).toEqual([]);
    expect(predText(r.condition)).toBe(upTo(n, () => true).map((i) => `(f == "v${i}" and g == "w${i}")`).join(' or '));
    expect(report.tests).toEqual({ passed: 3, failed: 0, skipped: 0 });
  });

  it('1,000 branches testing different fields keep the order of the tests (a nested decision list)', () => {
    let body = '';
    for (let i = 0; i < n; i++) body += `    ${i ? 'elif' : 'if'} event.get("f${i}") == "v":\n        return ${i % 2 ? 'True' : 'False'}\n`;
    body += '    return False\n';
    const tests = [
      { name: 'first wins', expected: false, log: { f0: 'v', f1: 'v' } },
      { name: 'odd', expected: true, log: { f999: 'v' } },
      { name: 'even', expected: false, log: { f998: 'v' } },
      { name: 'odd before even', expected: true, log: { f3: 'v', f4: 'v' } },
    ];
    const { r, report } = lifted(rule('eliffields', body, tests));
    expect(r.reasons).toEqual([]);
    expect(predText(r.condition).startsWith('f0 != "v" and (f1 == "v" or (f2 != "v" and (f3 == "v" or')).toBe(true);
    expect(treeSize(r.condition)).toBe(2 * n - 1);
    expect(report.tests).toEqual({ passed: 4, failed: 0, skipped: 0 });
  });

  it('branches that return and branches that go on, then code after the chain (its value once per branch)', () => {
    const body =
      '    x = event.get("f")\n    if x == "a":\n        if event.get("g") == "no":\n            return False\n    elif x == "b":\n        pass\n' +
      '    elif x == "c":\n        return True\n    else:\n        return False\n    return event.get("h") == "yes"\n';
    const tests = [
      { name: 'a', expected: true, log: { f: 'a', g: 'ok', h: 'yes' } },
      { name: 'a no', expected: false, log: { f: 'a', g: 'no', h: 'yes' } },
      { name: 'b', expected: true, log: { f: 'b', h: 'yes' } },
      { name: 'b not h', expected: false, log: { f: 'b' } },
      { name: 'c', expected: true, log: { f: 'c' } },
      { name: 'd', expected: false, log: { f: 'd', h: 'yes' } },
    ];
    const { r, report } = lifted(rule('elifmixed', body, tests));
    expect(predText(r.condition)).toBe('(f == "a" and g != "no" and h == "yes") or (f == "b" and h == "yes") or f == "c"');
    expect(report.tests).toEqual({ passed: 6, failed: 0, skipped: 0 });
  });

  it('a chain inside loops: over constants (with break) and over an event list (a quantifier)', () => {
    const consts =
      '    for k in ["p", "q"]:\n        v = event.get(k)\n        if v == "1":\n            return True\n        elif v == "2":\n            break\n        elif v == "3":\n            return True\n    return False\n';
    const a = lifted(rule('elifloop', consts, [{ name: 'q3', expected: true, log: { q: '3' } }, { name: 'p2 stops', expected: false, log: { p: '2', q: '1' } }]));
    expect(predText(a.r.condition)).toBe('p == "1" or p == "3" or (p != "2" and (q == "1" or q == "3"))');
    expect(a.report.tests).toEqual({ passed: 2, failed: 0, skipped: 0 });
    const list = '    for it in event.get("items", []):\n        if it.get("k") == "1":\n            return True\n        elif it.get("k") == "2":\n            return True\n    return False\n';
    const b = lifted(rule('eliflist', list, [{ name: 'second', expected: true, log: { items: [{ k: '0' }, { k: '2' }] } }, { name: 'none', expected: false, log: { items: [{ k: '0' }] } }]));
    expect(b.r.condition.k).toBe('quant');
    expect(b.report.tests).toEqual({ passed: 2, failed: 0, skipped: 0 });
  });
});

describe('the simplification budget', () => {
  it('is exceeded with BudgetExceeded, which the pipeline reports as unsupported-size', () => {
    const atoms = Array.from({ length: 50 }, (_, i) => ({ k: 'truthy', value: { k: 'get', obj: { k: 'event' }, key: `f${i}` } }) as Pred);
    expect(() => withBudget(10, 10_000, () => and(...atoms))).toThrow(BudgetExceeded);
    expect(withBudget(1000, 10_000, () => and(...atoms)).k).toBe('and');
  });
});
