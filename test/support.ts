/**
 * Helpers several test files share (not a test file itself: vitest collects `*.test.ts`).
 */
import { evalPred, PyError } from '../src/ast/evaluate.js';
import type { Json, Pred, Rule, Val } from '../src/ast/types.js';
import type { UdmNode } from '../src/mapping/project/yaral.js';
import { compileTargetRegex } from '../src/proof/regex.js';
import { Refusal } from '../src/proof/types.js';

/** What a reader refused (the `what` of its Refusal); fails when `f` does not refuse. */
export function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof Refusal) return e.what;
    throw e;
  }
  throw new Error('expected a Refusal');
}

/** The node of a projected UDM event at `keys` (field names and list indices), if any. */
export function udmAt(root: Map<string, UdmNode>, ...keys: (string | number)[]): UdmNode | undefined {
  let n: UdmNode | undefined = root;
  for (const k of keys) {
    if (n instanceof Map && typeof k === 'string') n = n.get(k);
    else if (Array.isArray(n) && typeof k === 'number') n = n[k];
    else return undefined;
  }
  return n;
}

/** A constant. */
export const lit = (v: Json): Val => ({ k: 'lit', v });

/** `event.get(a, {}).get(b, d)`: each step of the dotted path with the `{}` default, the last with `def`. */
export function getPath(path: string, def?: Json): Val {
  const keys = path.split('.');
  let v: Val = { k: 'event' };
  keys.forEach((k, i) => {
    const last = i === keys.length - 1;
    v = { k: 'get', obj: v, key: k, ...(last ? (def !== undefined ? { default: lit(def) } : {}) : { default: lit({}) }) };
  });
  return v;
}

/** Panther's `event.deep_get(...)` of a dotted path. */
export const deepGet = (path: string): Val => path.split('.').reduce<Val>((obj, key) => ({ k: 'get', obj, key, deep: true }), { k: 'event' });

/** A CloudTrail rule with `condition` and one test per `[log, expected]`. */
export function ruleWithTests(id: string, condition: Pred, logs: [Json, boolean][]): Rule {
  return {
    meta: { id, severity: 'Low', enabled: true, logTypes: ['AWS.CloudTrail'], tags: [], mitre: [], summaryAttributes: [], file: 'rules/t.yml' },
    condition,
    outputs: [],
    tests: logs.map(([log, expected], i) => ({ name: `t${i}`, expected, log })),
    reasons: [],
    notes: [],
  } as Rule;
}

/** A Logs Insights ('portable') regex on `s`: true, false, or undefined where the engines read it differently (refused). */
export function portableTest(re: string, s: string): boolean | undefined {
  try {
    return compileTargetRegex(re, 'portable').test(s);
  } catch (e) {
    if (e instanceof Refusal) return undefined;
    throw e;
  }
}

/** Python's answer on a log, or null where rule() raises (an error, not an alert: no Panther test holds such a log). */
export function pythonAnswer(cond: Pred, log: Json): boolean | null {
  try {
    return evalPred(cond, { event: log, elems: [] });
  } catch (e) {
    if (e instanceof PyError) return null;
    throw e;
  }
}

/** The logs as tests, each expecting Python's answer (the logs where rule() raises left out). */
export function testsByPython(cond: Pred, logs: Json[]): [Json, boolean][] {
  return logs.flatMap((log): [Json, boolean][] => {
    const py = pythonAnswer(cond, log);
    return py === null ? [] : [[log, py]];
  });
}
