/**
 * A threshold rule's dedup string that depends on a condition (Aggregation.keyCases): the lift keeps the
 * title()/dedup() branches as ordered cases, the AST evaluator reads them as Python prints the string
 * (evaluateKeyCases), and `+` of two fields read with str defaults is a concatenation in an output.
 * Expectations: python3 3.11 running each function on a dict with Panther's deep_get (the event model of
 * test/fixtures/lifter), printed with json.dumps; an exception is written `<raises TypeError>`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json, Rule } from '../src/ast/types.js';
import { evaluateKeyCases, evaluateValue } from '../src/ast/evaluate.js';
import { liftFile } from '../src/pipeline.js';

/** Lift a threshold rule (Threshold: 5) with this module in a fresh folder. */
function liftThreshold(src: string): Rule {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'key-cases-'));
  try {
    fs.mkdirSync(path.join(root, 'global_helpers'));
    fs.mkdirSync(path.join(root, 'rules'));
    fs.writeFileSync(path.join(root, 'rules', 'r.py'), src);
    fs.writeFileSync(path.join(root, 'rules', 'r.yml'), ['AnalysisType: rule', 'RuleID: Test.X', 'Filename: r.py', 'LogTypes: [AWS.CloudTrail]', 'Severity: Info', 'Threshold: 5', ''].join('\n'));
    return liftFile(path.join(root, 'rules', 'r.yml')).rule;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const RULE = 'def rule(event):\n    return True\n\n\n';

describe('a title or dedup() that depends on a condition: ordered key cases', () => {
  const title = [
    'def title(event):',
    '    principal = event.get("user") if event.get("kind") == "person" else event.get("service", "<UNKNOWN_SERVICE>")',
    '    if event.get("root"):',
    '        return f"root in [{event.get(\'account\')}]"',
    '    return f"[{principal}] denied {event.get(\'count\')} times"',
    '',
  ].join('\n');
  const events: Json[] = [
    { kind: 'person', user: 'ann', count: 3 },
    { kind: 'person', count: 3 },
    { kind: 'robot', service: 'ci', count: 4.5 },
    { kind: 'robot', user: 'ann' },
    { root: true, account: 1234, kind: 'person', user: 'ann' },
    { root: 0, kind: 'person', user: 'bob', count: true },
    { root: '', service: 'svc' },
  ];
  const python = ['[ann] denied 3 times', '[None] denied 3 times', '[ci] denied 4.5 times', '[<UNKNOWN_SERVICE>] denied None times', 'root in [1234]', '[bob] denied True times', '[svc] denied None times'];

  it('without dedup(): the title\'s branches, in order (if/return first, then the if-expression), each printed as Python prints it', () => {
    const rule = liftThreshold(RULE + title);
    const cases = rule.aggregation?.keyCases;
    expect(rule.aggregation?.groupBy).toEqual([]);
    expect(cases?.map((c) => c.parts.map((p) => ('text' in p ? p.text : '{}')).join(''))).toEqual(['root in [{}]', '[{}] denied {} times', '[{}] denied {} times']);
    // the last case holds wherever no earlier one does
    expect(cases?.[cases.length - 1]?.when).toEqual({ k: 'const', v: true });
    expect(events.map((e) => evaluateKeyCases(cases!, e))).toEqual(python);
    // the title output itself stays left out, as before (its note stands)
    expect(rule.title).toBeUndefined();
    expect(rule.notes.map((n) => n.code)).toContain('output-title');
  });

  it('dedup() depending on a condition is the key; a title alone is not used then', () => {
    const rule = liftThreshold(RULE + title + '\n\ndef dedup(event):\n    return event.get("a") if event.get("b") else "fixed"\n');
    const cases = rule.aggregation?.keyCases;
    expect(cases?.map((c) => c.parts)).toEqual([[{ value: { k: 'get', obj: { k: 'event' }, key: 'a' } }], [{ text: 'fixed' }]]);
  });

  it('a dedup() branch returning "" or None falls back to the title in Panther: no key cases', () => {
    for (const ret of ['""', 'None']) {
      const rule = liftThreshold(RULE + `def dedup(event):\n    return event.get("a", "x") if event.get("b") else ${ret}\n`);
      expect(rule.aggregation?.keyCases).toBeUndefined();
    }
  });

  it('a rule without a threshold has no key cases', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'key-cases-'));
    try {
      fs.mkdirSync(path.join(root, 'global_helpers'));
      fs.mkdirSync(path.join(root, 'rules'));
      fs.writeFileSync(path.join(root, 'rules', 'r.py'), RULE + title);
      fs.writeFileSync(path.join(root, 'rules', 'r.yml'), ['AnalysisType: rule', 'RuleID: Test.X', 'Filename: r.py', 'LogTypes: [AWS.CloudTrail]', 'Severity: Info', ''].join('\n'));
      expect(liftFile(path.join(root, 'rules', 'r.yml')).rule.aggregation).toBeUndefined();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('evaluateKeyCases: the first case that holds; an exception in a condition gives no string', () => {
    const ev = { k: 'event' } as const;
    const cases = [
      { when: { k: 'truthy', value: { k: 'get', obj: ev, key: 'x' } } as const, parts: [{ text: 'x=' }, { value: { k: 'get', obj: ev, key: 'x' } }] },
      { when: { k: 'const', v: true } as const, parts: [{ text: 'none' }] },
    ];
    expect(evaluateKeyCases(cases as never, { x: 1.5 })).toBe('x=1.5');
    // a list read from the event prints as Panther's wrapper does (pantherStr)
    expect(evaluateKeyCases(cases as never, { x: [1, 'a'] })).toBe("x=ImmutableList((1, 'a'))");
    expect(evaluateKeyCases(cases as never, { x: 0 })).toBe('none');
    const raising = [{ when: { k: 'cmp', op: 'lt', left: { k: 'get', obj: ev, key: 'x' }, right: { k: 'lit', v: 1 } }, parts: [{ text: 'a' }] }];
    expect(evaluateKeyCases(raising as never, { x: 'str' })).toBeUndefined();
  });
});

describe("'+' of two fields read with str defaults, in an output", () => {
  it('dedup() returning event.get("ip", d1) + event.get("client", d2): a concatenation; a non-str raises as in Python', () => {
    const rule = liftThreshold(RULE + 'def dedup(event):\n    return event.get("ip", "0.0.0.0") + event.get("client", "<none>")\n');
    expect(rule.notes.map((n) => n.code)).not.toContain('output-dedup');
    const key = rule.aggregation?.groupBy[0];
    expect(key?.k === 'fn' && key.fn).toBe('concat');
    const events: Json[] = [{ ip: '10.0.0.1', client: 'cli' }, { ip: '10.0.0.1' }, { client: 'web' }, {}, { ip: 5, client: 'x' }, { ip: '1', client: null }];
    const python = ['10.0.0.1cli', '10.0.0.1<none>', '0.0.0.0web', '0.0.0.0<none>', '<raises TypeError>', '<raises TypeError>'];
    expect(events.map((e) => evaluateValue(key!, e) ?? '<raises TypeError>')).toEqual(python);
  });

  it('in rule() the same `+` stays opaque (it may be arithmetic where both fields hold numbers)', () => {
    const rule = liftThreshold('def rule(event):\n    return event.get("a", "x") + event.get("b", "y") == "xy"\n');
    expect(rule.reasons.map((r) => r.code)).toContain('opaque-arith');
  });
});
