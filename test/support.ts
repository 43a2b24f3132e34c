/**
 * Helpers several test files share (not a test file itself: vitest collects `*.test.ts`).
 */
import fc from 'fast-check';
import { evalPred, PyError } from '../src/ast/evaluate.js';
import type { Json, Pred, Rule, Val } from '../src/ast/types.js';
import type { UdmNode } from '../src/mapping/project/yaral.js';
import type { Nnf } from '../src/targets/common/nnf.js';
import { compileTargetRegex } from '../src/proof/regex.js';
import { Refusal } from '../src/proof/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';

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

// ---------------------------------------------------------------------------------------------
// Tests on the pieces of a split, shared by the Sigma, YARA-L and Logs Insights property tests

/** `event.get(key[, default])`. */
export const getField = (key: string, def?: Json): Val => ({ k: 'get', obj: { k: 'event' }, key, ...(def !== undefined ? { default: lit(def) } : {}) });
/** `v.split(sep)` (of `v.lower()` where `lower`). */
export const splitOf = (v: Val, sep: string, lower = false): Val => ({ k: 'fn', fn: 'split', args: [lower ? { k: 'fn', fn: 'lower', args: [v] } : v, lit(sep)] });
/** `v.split(sep)[index]`. */
export const pieceOf = (v: Val, sep: string, index: number, lower = false): Val => ({ k: 'index', obj: splitOf(v, sep, lower), index });
/** `len(v.split(sep))`. */
export const countOf = (v: Val, sep: string): Val => ({ k: 'fn', fn: 'len', args: [splitOf(v, sep)] });

/**
 * A random test on a piece of `event.get(field[, default]).split(sep)` (field `userName` unless given; with
 * `str`, sometimes of `str(...)` of it) (or their number, or, with
 * `member`, whether a piece is in the split) and random logs for it, for the property tests that read a
 * target's rendering back and compare it with Python. `missing` is what a log without the field holds.
 */
export function randomSplitTests(opts: { member: boolean; missing: null | undefined; dotless?: boolean; field?: string; str?: boolean; strip?: boolean; slice?: boolean }) {
  // with `strip`, pieces are sometimes stripped of whitespace (`.strip()`, `.lstrip()`, `.rstrip()`), and values and texts hold some
  const spaces = opts.strip ? [' ', '\t', '\u3000', '\u2028'] : [];
  const chars = ['a', 'B', '@', '/', 'b', '\n', ...(opts.dotless ? [] : ['İ']), ...spaces];
  const value = fc.oneof(fc.constant(opts.missing), fc.array(fc.constantFrom(...chars), { maxLength: 8 }).map((a) => a.join('')));
  const text = fc.array(fc.constantFrom('a', 'b', 'B', '@', ...spaces.slice(0, 2)), { maxLength: 3 }).map((a) => a.join(''));
  const kinds = ['eq', 'ne', 'in', 'contains', 'startswith', 'endswith', 'len', ...(opts.member ? ['member'] : [])] as const;
  const test = fc.record({
    sep: fc.constantFrom('@', '/'),
    index: fc.integer({ min: -1, max: 3 }),
    lower: fc.boolean(),
    kind: fc.constantFrom(...kinds),
    texts: fc.array(text, { minLength: 1, maxLength: 3 }),
    n: fc.integer({ min: 0, max: 4 }),
    op: fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge'),
    neg: fc.boolean(),
    dflt: fc.constantFrom(undefined, '', 'a@b'),
    str: opts.str ? fc.boolean() : fc.constant(false),
    strip: opts.strip ? fc.constantFrom(undefined, 'strip', 'lstrip', 'rstrip') : fc.constant(undefined),
  });
  // with `slice`, sometimes the piece without its first characters (`x.split(d)[i][k:]`)
  const from = opts.slice ? fc.integer({ min: 0, max: 3 }) : fc.constant(0);
  const cond = ([t, k]: [typeof test extends fc.Arbitrary<infer T> ? T : never, number]): Pred => {
    const read = getField(opts.field ?? 'userName', t.dflt);
    // with `str`, sometimes the split of str(x)
    const src: Val = t.str ? { k: 'fn', fn: 'str', args: [read] } : read;
    const piece = pieceOf(src, t.sep, t.index, t.lower);
    const cut: Val = k > 0 ? { k: 'fn', fn: 'slice', args: [piece, lit(k), lit(null)] } : piece;
    const pv: Val = t.strip ? { k: 'fn', fn: t.strip, args: [cut] } : cut;
    let atom: Pred;
    if (t.kind === 'len') atom = { k: 'cmp', op: t.op, left: countOf(src, t.sep), right: lit(t.n) };
    else if (t.kind === 'member') atom = { k: 'match', kind: 'contains', value: splitOf(src, t.sep), pattern: t.texts[0]! };
    else if (t.kind === 'eq' || t.kind === 'ne') atom = { k: 'cmp', op: t.kind, left: pv, right: lit(t.texts[0]!) };
    else if (t.kind === 'in') atom = { k: 'in', value: pv, list: t.texts };
    else atom = { k: 'match', kind: t.kind, value: pv, pattern: t.texts[0]! };
    return t.neg ? { k: 'not', arg: atom } : atom;
  };
  const conds = opts.slice ? fc.tuple(test, from).map(cond) : test.map((t) => cond([t, 0]));
  return { logs: fc.array(value, { minLength: 1, maxLength: 6 }), conds };
}

/**
 * Runs `check` on `runs` random pairs of a condition and its logs (randomSplitTests) and gives the number of
 * tests the checks decided, added up (`check` asserts, and returns how many it decided).
 */
export function decidedOver<C, L>(conds: fc.Arbitrary<C>, logs: fc.Arbitrary<L>, runs: number, check: (cond: C, values: L) => number): number {
  let decided = 0;
  fc.assert(
    fc.property(conds, logs, (cond, values) => {
      decided += check(cond, values);
    }),
    { numRuns: runs },
  );
  return decided;
}

/** An NNF's value on an event, each literal read by `lit` (no quantifiers: the property tests' trees have none). */
export function evalNnfBy(n: Nnf, lit: (l: Extract<Nnf, { k: 'lit' }>) => boolean): boolean {
  switch (n.k) {
    case 'const':
      return n.v;
    case 'and':
      return n.args.every((a) => evalNnfBy(a, lit));
    case 'or':
      return n.args.some((a) => evalNnfBy(a, lit));
    case 'quant':
      throw new Error('no quantifiers here');
    case 'lit':
      return lit(n);
  }
}

/** Random and/or/not trees (2 or 3 operands, small depth) over the given leaves, for property tests. */
export function predTrees(leaves: fc.Arbitrary<Pred>): fc.Arbitrary<Pred> {
  return fc.letrec<{ p: Pred }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaves,
      fc.array(tie('p'), { minLength: 2, maxLength: 3 }).map((args): Pred => ({ k: 'and', args })),
      fc.array(tie('p'), { minLength: 2, maxLength: 3 }).map((args): Pred => ({ k: 'or', args })),
      tie('p').map((arg): Pred => ({ k: 'not', arg })),
    ),
  })).p;
}

let provingMapper: ReturnType<typeof loadMappings> | undefined;

/**
 * `cond` as a rule of one log type whose tests are `logs` (each with Python's answer as its expectation),
 * rendered for `target` with the built-in mappings and templates, and its proof report (read back by the
 * target's evaluator).
 */
export function renderProved(target: string, id: string, cond: Pred, logs: Json[], logType = 'AWS.CloudTrail') {
  const mapper = (provingMapper ??= loadMappings());
  const tests = testsByPython(cond, logs);
  const r: Rule = ruleWithTests(id, cond, tests);
  r.meta.logTypes = [logType];
  const out = renderRule(r, target, { mapper, templatesDir: defaultTemplatesDir() });
  const report = proveOutput(out, r, mapper)!;
  return { out, report, tests };
}

// ---------------------------------------------------------------------------------------------
// deep_walk ending on a list, shared by the Logs Insights and KQL tests

/** `deep_walk(event, "protoPayload", "authorizationInfo")` (default None). */
export const authInfoWalk: Val = { k: 'fn', fn: 'deep_walk', args: [{ k: 'event' }, lit(['protoPayload', 'authorizationInfo']), lit(null), lit('all')] };
/** `any(a.get("permission") == "iam.roles.update" for a in <authInfoWalk>)` */
export const anyRolesUpdate: Pred = { k: 'quant', q: 'any', list: authInfoWalk, pred: { k: 'cmp', op: 'eq', left: { k: 'get', obj: { k: 'elem', depth: 0 }, key: 'permission' }, right: lit('iam.roles.update') } };
/** GCP audit logs whose authorizationInfo holds the permission, another, none, an empty list, or no list. */
export const AUTH_INFO_LOGS: Json[] = [
  { protoPayload: { authorizationInfo: [{ permission: 'iam.roles.update' }] } },
  { protoPayload: { authorizationInfo: [{ permission: 'iam.roles.get' }, { permission: 'iam.roles.update' }] } },
  { protoPayload: { authorizationInfo: [{ permission: 'iam.roles.get' }] } },
  { protoPayload: { authorizationInfo: [] } },
  { protoPayload: {} },
];
