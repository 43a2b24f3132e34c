/**
 * `isinstance(x, str) and test(x)` where the rule's tests show x as a list, number or boolean: Python is
 * false there, while a target's string operator alone may hold (Sigma backends match a list element-wise
 * or read a number as text; YARA-L reads a repeated field element-wise and a number as its text). The
 * guard may only be dropped where the target's operator is false on such a value; otherwise it stays
 * (rendered, or replaced by a declared superset). Each artifact is read back by its target's evaluator
 * and run on an event holding the non-string value with the other conjuncts true: it must not match,
 * or the artifact must declare itself wider. Both with the rule's test on that value deciding by the
 * guard (the proof sees it) and by another conjunct (the proof cannot: before common/guards.ts
 * `testsShowStr`, Sigma and YARA-L called such artifacts exact).
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, Val } from '../src/ast/types.js';
import { ruleMapper } from '../src/mapping/custom.js';
import { loadMappings } from '../src/mapping/load.js';
import { proofFor, renderProven } from '../src/proof/index.js';
import { Refusal } from '../src/proof/types.js';
import { defaultTemplatesDir, targetNames } from '../src/targets/registry.js';
import { lit, pythonAnswer, ruleWithTests, testsByPython } from './support.js';

const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };
const get = (path: string): Val => path.split('.').reduce<Val>((obj, key) => ({ k: 'get', obj, key, deep: true }), { k: 'event' });

/** A log holding `x` at a dotted path, and `sel` at another. */
function log(selPath: string, sel: string, xPath: string, x: Json): Json {
  const out: { [k: string]: Json } = {};
  for (const [p, v] of [[selPath, sel], [xPath, x]] as [string, Json][]) {
    const keys = p.split('.');
    let cur = out;
    keys.slice(0, -1).forEach((k) => (cur = (cur[k] ??= {}) as { [k: string]: Json }));
    cur[keys[keys.length - 1]!] = v;
  }
  return out;
}

// fields the mappings give no JSON type (a stated `string` type is known to hold strings): a custom-log
// field (Asana: a dynamic member in KQL, additional.fields in YARA-L), a string column of a Sentinel table
// (GitHub.Audit actor) and a member of a JSON-string column (CloudTrail requestParameters)
const FIELDS = [
  { logType: 'Asana.Audit', sel: 'event_type', x: 'details.new_value' },
  { logType: 'GitHub.Audit', sel: 'action', x: 'actor' },
  { logType: 'AWS.CloudTrail', sel: 'eventName', x: 'requestParameters.policyArn' },
];
// non-string values, each with the text a target reading it as text (or element-wise) would see
const VALUES: { v: Json; text: string }[] = [
  { v: ['ab'], text: 'ab' },
  { v: ['zz', 'ab'], text: 'ab' },
  { v: 12, text: '12' },
  { v: true, text: 'true' },
];
const TESTS: { name: string; test: (x: Val, t: string) => Pred }[] = [
  { name: 'startswith', test: (x, t) => ({ k: 'match', kind: 'startswith', value: x, pattern: t[0]! }) },
  { name: 'endswith', test: (x, t) => ({ k: 'match', kind: 'endswith', value: x, pattern: t[t.length - 1]! }) },
  { name: 'in', test: (x, t) => ({ k: 'match', kind: 'contains', value: x, pattern: t }) },
];


/**
 * The targets whose artifact of `r`, read back by their evaluator, matches `probe` (where Python says false)
 * without declaring a superset (a reason with direction 'wider'; an unproven artifact declares none).
 */
function wrongOn(r: Rule, logType: string, probe: Json): unknown[] {
  const wrong: unknown[] = [];
  for (const target of targetNames) {
    const proof = proofFor(target);
    if (!proof) continue;
    const { output } = renderProven(r, target, ctx);
    const wider = output.reasons.some((x) => x.direction === 'wider');
    let actual: boolean | string;
    try {
      actual = proof.compile(output.text, target).matches(proof.project(probe, logType, ruleMapper(mapper, r)));
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      actual = `refused: ${e.what}`;
    }
    if (actual !== false && !wider) wrong.push({ target, actual, fidelity: output.fidelity, text: output.text });
  }
  return wrong;
}

describe('an isinstance(x, str) guard stays where the tests show x as a non-string', () => {
  for (const f of FIELDS) {
    for (const { v, text } of VALUES) {
      for (const { name, test } of TESTS) {
        for (const decidedBy of ['guard', 'another conjunct']) {
          it(`${f.logType} ${f.x} ${JSON.stringify(v)} ${name}, the test on it decided by ${decidedBy}`, () => {
            const x = get(f.x);
            const cond: Pred = { k: 'and', args: [{ k: 'cmp', op: 'eq', left: get(f.sel), right: lit('s') }, { k: 'istype', value: x, type: 'str' }, test(x, text)] };
            const probe = log(f.sel, 's', f.x, v);
            expect(pythonAnswer(cond, probe)).toBe(false);
            const logs = [log(f.sel, decidedBy === 'guard' ? 's' : 'other', f.x, v), log(f.sel, 's', f.x, text), log(f.sel, 's', f.x, 'zzz')];
            const tests = testsByPython(cond, logs);
            expect(tests.map((t) => t[1])).toEqual([false, true, false]);
            const r: Rule = ruleWithTests('T.StrList', cond, tests);
            r.meta.logTypes = [f.logType];
            expect(wrongOn(r, f.logType, probe)).toEqual([]);
          });
        }
      }
    }
  }
});

describe('a truthiness test beside a string test stays where the tests show the field as a falsy non-string', () => {
  // `x and x.startswith("0")`: Python short-circuits on 0 and False (falsy), where a target reading the
  // number or boolean as its text ("0", "false") may match; Sigma drops the truthiness only where x holds strings
  const cases: { v: Json; pattern: string }[] = [
    { v: 0, pattern: '0' },
    { v: false, pattern: 'f' },
  ];
  for (const f of FIELDS) {
    for (const { v, pattern } of cases) {
      for (const decidedBy of ['truthiness', 'another conjunct']) {
        it(`${f.logType} ${f.x} ${JSON.stringify(v)}, the test on it decided by ${decidedBy}`, () => {
          const x = get(f.x);
          const cond: Pred = { k: 'and', args: [{ k: 'cmp', op: 'eq', left: get(f.sel), right: lit('s') }, { k: 'truthy', value: x }, { k: 'match', kind: 'startswith', value: x, pattern }] };
          const probe = log(f.sel, 's', f.x, v);
          expect(pythonAnswer(cond, probe)).toBe(false);
          const logs = [log(f.sel, decidedBy === 'truthiness' ? 's' : 'other', f.x, v), log(f.sel, 's', f.x, `${pattern}x`), log(f.sel, 's', f.x, 'zzz')];
          const tests = testsByPython(cond, logs);
          expect(tests.map((t) => t[1])).toEqual([false, true, false]);
          const r: Rule = ruleWithTests('T.StrFalsy', cond, tests);
          r.meta.logTypes = [f.logType];
          expect(wrongOn(r, f.logType, probe)).toEqual([]);
        });
      }
    }
  }
});
