/**
 * isinstance(v, str) guards from simple detections: dropped where the target's string operator is
 * already false on non-strings, only when the guard conjoins the very test it guards on the same
 * value, and exactly (the rewrite is checked against Python's evaluation of the original).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalPred, PyError } from '../src/ast/evaluate.js';
import type { Json, Pred, PyType, Rule, Val } from '../src/ast/types.js';
import type { PathSeg } from '../src/ast/view.js';
import { checkKql } from '../src/mapping/kusto.js';
import type { FieldMapper, LogSource, MappedField, TargetName, Unmapped } from '../src/mapping/types.js';
import { dropStrGuards } from '../src/targets/common/guards.js';
import { atomValue, simplify, toNnf, type Nnf } from '../src/targets/common/nnf.js';
import { defaultTemplatesDir, renderRule, targetNames } from '../src/targets/registry.js';
import type { RenderContext, TargetOutput } from '../src/targets/types.js';
import { evalNnfBy, predTrees } from './support.js';

const ev: Val = { k: 'event' };
const lit = (v: Json): Val => ({ k: 'lit', v });
const get = (path: string): Val => path.split('.').reduce<Val>((obj, key) => ({ k: 'get', obj, key, deep: true }), ev);
const and = (...args: Pred[]): Pred => ({ k: 'and', args });
const or = (...args: Pred[]): Pred => ({ k: 'or', args });
const not = (arg: Pred): Pred => ({ k: 'not', arg });
const istype = (path: string, type: PyType = 'str'): Pred => ({ k: 'istype', value: get(path), type });
const ends = (path: string, pattern: string): Pred => ({ k: 'match', kind: 'endswith', value: get(path), pattern });
const starts = (path: string, pattern: string): Pred => ({ k: 'match', kind: 'startswith', value: get(path), pattern });
const contains = (path: string, pattern: string): Pred => ({ k: 'match', kind: 'contains', value: get(path), pattern });
const ieq = (path: string, v: string): Pred => ({ k: 'cmp', op: 'eq', left: get(path), right: lit(v), ci: true });
const eq = (path: string, v: Json): Pred => ({ k: 'cmp', op: 'eq', left: get(path), right: lit(v) });
/** What simple.ts builds outside a plain All: the guard and the test, in one conjunction. */
const guarded = (test: Pred): Pred => {
  const path = test.k === 'cmp' ? test.left : (test as { value: Val }).value;
  const p = JSON.stringify(path);
  const g: Pred = { k: 'istype', value: JSON.parse(p), type: 'str' };
  if (test.k === 'match' && test.kind === 'contains') return and(or(g, { k: 'istype', value: JSON.parse(p), type: 'list' }, { k: 'istype', value: JSON.parse(p), type: 'dict' }), test);
  return and(g, test);
};

/** What simple.ts builds for Contains: a substring of a string, or an element/key of a list/dict. */
const containsAny = (path: string, needle: string): Pred =>
  and(
    or(istype(path), istype(path, 'list'), istype(path, 'dict')),
    or(and(istype(path), contains(path, needle)), and(or(istype(path, 'list'), istype(path, 'dict')), { k: 'has', value: get(path), needle })),
  );

// KQL: userAgent/eventName are string columns, requestParameters.* dynamic members
function mapper(): FieldMapper {
  const cols: Record<string, string> = { userAgent: 'UserAgent', eventName: 'EventName', eventSource: 'EventSource', sourceIPAddress: 'SourceIpAddress' };
  const udm: Record<string, string> = { userAgent: 'network.http.user_agent', eventName: 'metadata.product_event_type', eventSource: 'target.application', sourceIPAddress: 'principal.ip', 'requestParameters.policyArn': 'target.resource.name' };
  const unmapped = (m: string): Unmapped => ({ unmapped: true, message: m });
  return {
    logTypes: () => ['AWS.CloudTrail'],
    canonicalPath: (_l, p) => p,
    source(_lt: string, t: TargetName): LogSource {
      return t === 'kql' ? { table: 'AWSCloudTrail' } : t === 'sigma' ? { logsource: { product: 'aws', service: 'cloudtrail' } } : t === 'yaral' ? { baseFilter: [{ field: 'metadata.vendor_name', value: 'AMAZON' }] } : { native: true };
    },
    resolve(_lt: string, t: TargetName, path: PathSeg[]): MappedField | Unmapped {
      const d = path.join('.');
      if (t === 'sigma' || t === 'cwl') return { name: d };
      if (t === 'yaral') return udm[d] ? { name: udm[d]! } : unmapped('no udm');
      if (cols[d]) return { name: cols[d]!, access: 'column', type: 'string' };
      if (path[0] === 'requestParameters' && path.length > 1) return { name: 'RequestParameters', sub: path.slice(1), access: 'json_string', type: 'dynamic' };
      return unmapped('no column');
    },
  };
}
const ctx: RenderContext = { mapper: mapper(), templatesDir: defaultTemplatesDir() };

function rule(condition: Pred): Rule {
  return {
    meta: { id: 'T.Guards', severity: 'Low', enabled: true, logTypes: ['AWS.CloudTrail'], tags: [], mitre: [], summaryAttributes: [], file: 'rules/t.yml' },
    condition,
    outputs: [],
    tests: [],
    reasons: [],
    notes: [],
  };
}
function renderAll(p: Pred): Record<string, TargetOutput> {
  const out: Record<string, TargetOutput> = {};
  for (const t of targetNames) out[t] = renderRule(rule(p), t, ctx);
  expect(checkKql(out.kql!.text)).toEqual([]);
  return out;
}
const body = (o: TargetOutput, comment: string): string =>
  o.text
    .split('\n')
    .filter((l) => !l.startsWith(comment))
    .join('\n');
const codes = (o: TargetOutput): string[] => o.reasons.map((r) => r.code);


/**
 * Exact, except that Logs Insights declares the end anchor `$` of its regexes (its flavour is not
 * documented, and engines differ on a final line break): that reason alone is allowed there.
 */
function expectExact(t: string, out: { fidelity: string; reasons: { code: string }[] }): void {
  const own = t === 'cwl' ? out.reasons.filter((r) => r.code !== 'target-regex-end-anchor') : out.reasons;
  expect(own, `${t} ${JSON.stringify(out.reasons)}`).toEqual([]);
  if (own.length === out.reasons.length) expect(out.fidelity).toBe('exact');
}

describe('a guard conjoined with the test it guards', () => {
  it('positive: the plain operator on every target, exact', () => {
    const o = renderAll(and(eq('eventName', 'ConsoleLogin'), guarded(ends('userAgent', '[bot]'))));
    for (const t of targetNames) expectExact(t, o[t]!);
    expect(body(o.kql!, '//')).toContain('| where UserAgent endswith_cs "[bot]"');
    expect(body(o.kql!, '//')).not.toMatch(/isnotempty|gettype/);
    expect(o.sigma!.text).toContain("userAgent|endswith|cased: '[bot]'");
    expect(body(o.cwl!, '#')).toContain('| filter userAgent =~ /\\[bot\\]$/');
    expect(o.yaral!.text).toContain('$e.network.http.user_agent = /(?s)\\[bot\\]$/');
  });

  it('negated (None/DoesNot...): a missing field matches, as in Python', () => {
    const o = renderAll(and(eq('eventName', 'ConsoleLogin'), not(guarded(ends('userAgent', '[bot]')))));
    for (const t of targetNames) expectExact(t, o[t]!);
    expect(body(o.kql!, '//')).toContain('| where UserAgent !endswith_cs "[bot]"');
    expect(o.sigma!.text).toMatch(/condition: '?selection_eventName and not filter_userAgent'?/);
    // Logs Insights does not document a negated test on an absent field: the presence is explicit
    expect(body(o.cwl!, '#')).toContain('| filter not (ispresent(userAgent)) or not (userAgent =~ /\\[bot\\]$/)');
    expect(o.yaral!.text).toContain('not ($e.network.http.user_agent = /(?s)\\[bot\\]$/)');
  });

  it('case-insensitive equality and the str/list/dict guard of Contains', () => {
    const o = renderAll(and(guarded(ieq('eventSource', 'iam.amazonaws.com')), guarded(contains('userAgent', 'curl'))));
    for (const t of targetNames) expectExact(t, o[t]!);
    expect(body(o.kql!, '//')).toContain('| where EventSource =~ "iam.amazonaws.com"');
    expect(body(o.kql!, '//')).toContain('| where UserAgent contains_cs "curl"');
  });

  it('membership of the lowered value in strings (isinstance(user, str) and user.lower() in ACCOUNTS)', () => {
    const o = renderAll(guarded({ k: 'in', value: get('userAgent'), list: ['curl/8', 'wget'], ci: true }));
    for (const t of targetNames) expectExact(t, o[t]!);
    expect(body(o.kql!, '//')).toContain('| where UserAgent in~ ("curl/8", "wget")');
  });

  it('KQL keeps the guard on a dynamic member (tostring() would read numbers as text); the others drop it', () => {
    const o = renderAll(guarded(starts('requestParameters.policyArn', 'arn:aws:iam::aws:policy/')));
    expect(body(o.kql!, '//')).toContain('gettype(parse_json(RequestParameters).policyArn) == "string"');
    for (const t of targetNames) expectExact(t, o[t]!);
    expect(o.sigma!.text).toContain("requestParameters.policyArn|startswith|cased: 'arn:aws:iam::aws:policy/'");
  });

  it('an empty prefix matches "" but not a missing field: reported where the target cannot tell', () => {
    const o = renderAll(guarded(starts('userAgent', '')));
    expect(codes(o.kql!)).toContain('target-missing-vs-empty');
    expect(o.kql!.fidelity).toBe('approximate');
    // Sigma: |exists is false on a missing field, as the guard is
    expect(o.sigma!.fidelity).toBe('exact');
    expect(o.sigma!.text).toContain('userAgent|exists: true');
  });

  it('the outer str/list/dict guard of Contains is implied by its branches', () => {
    const o = renderAll(containsAny('userAgent', 'curl'));
    // a string column is never a list: the membership branch is false, the query exact
    expect(body(o.kql!, '//')).toBe(body(renderAll(contains('userAgent', 'curl')).kql!, '//'));
    expect(body(o.kql!, '//')).toContain('| where UserAgent contains_cs "curl"');
    expect(o.kql!.fidelity).toBe('exact');
    // untyped targets keep the membership branch (declared: list membership, isinstance(list))
    expect(o.sigma!.text).toContain("userAgent|contains|cased: curl");
  });
});

describe('guards that stay', () => {
  it('a guard on another field', () => {
    const o = renderAll(and(istype('eventSource'), ends('userAgent', '[bot]')));
    for (const t of ['sigma', 'cwl', 'yaral']) expect(codes(o[t]!), t).toContain('target-unsupported-construct');
    expect(body(o.kql!, '//')).toContain('isnotempty(EventSource)');
  });
  it('a guard whose test sits in a nested disjunction', () => {
    const o = renderAll(and(istype('userAgent'), or(ends('userAgent', '[bot]'), eq('eventName', 'x'))));
    for (const t of ['sigma', 'cwl', 'yaral']) expect(codes(o[t]!), t).toContain('target-unsupported-construct');
    expect(body(o.kql!, '//')).toContain('isnotempty(UserAgent)');
  });
  it('a guard with a non-string test (list guard, number comparison)', () => {
    // (not contradictions: `isinstance(x, str) and x == 5` and `isinstance(x, list) and x.endswith(...)` fold to false)
    const o = renderAll(and(istype('userAgent'), not(eq('userAgent', 5))));
    expect(codes(o.sigma!)).toContain('target-unsupported-construct');
    const l = renderAll(and(istype('userAgent', 'list'), contains('userAgent', 'x')));
    expect(codes(l.sigma!)).toContain('target-unsupported-construct');
  });
});

// ---------------------------------------------------------------------------------------------
// The rewrite is exact: Python's value of the original = the rewritten NNF read with the targets'
// semantics, where a marked literal is the atom on a string and false (negated: true) on anything else.
// Substring tests read the field as a string, as every target does (with or without a guard): their
// fields hold strings or nothing here; the other tests also see numbers, booleans, lists and dicts.

function evalNnf(n: Nnf, event: Json): boolean {
  const scope = { event, elems: [] };
  return evalNnfBy(n, (l) => {
    let v: boolean;
    if (l.strGuard) v = evalPred({ k: 'istype', value: atomValue(l.atom), type: 'str' }, scope) ? evalPred(l.atom, scope) : false;
    else v = evalPred(l.atom, scope); // an unmarked string test on a non-string raises: the property fails
    return l.neg ? !v : v;
  });
}

describe('dropStrGuards is an exact rewrite', () => {
  const field = fc.constantFrom('a', 'b');
  const leaves = (withContains: boolean): fc.Arbitrary<Pred> =>
    fc.oneof(
      field.map((f) => guarded(ends(f, 'x'))),
      field.map((f) => guarded(starts(f, ''))),
      field.map((f) => guarded(ieq(f, 'xy'))),
      field.map((f) => and(istype(f), ends(f, 'x'), starts(f, 'x'))),
      field.map((f) => containsAny(f, 'x')),
      field.map((f) => and(istype(f), { k: 'in', value: get(f), list: ['xy', ''], ci: true })),
      ...(withContains ? [field.map((f) => guarded(contains(f, 'y'))), field.map((f) => and(istype(f), guarded(contains(f, 'x'))))] : []),
      field.map((f) => istype(f)),
      field.map((f) => eq(f, 'xy')),
      field.map((f): Pred => ({ k: 'exists', value: get(f) })),
    );
  const tree = (withContains: boolean) => predTrees(leaves(withContains));
  const STRINGS: (Json | undefined)[] = [undefined, null, 'x', 'xy', 'yx', ''];
  const OTHERS: (Json | undefined)[] = [5, true, ['x'], { x: 1 }];
  const events = (values: (Json | undefined)[]) =>
    fc.record({ a: fc.constantFrom(...values), b: fc.constantFrom(...values) }).map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as Json);
  const check = (p: Pred, e: Json): void => {
    const after = dropStrGuards(simplify(toNnf(p)), () => true);
    let expected: boolean;
    try {
      expected = evalPred(p, { event: e, elems: [] });
    } catch (err) {
      if (err instanceof PyError) throw new Error('the original raised: every test is guarded');
      throw err;
    }
    expect(evalNnf(after, e)).toBe(expected);
  };

  it('any value, for the affix and case-insensitive equality tests', () => {
    fc.assert(fc.property(tree(false), events([...STRINGS, ...OTHERS]), check), { numRuns: 3000 });
  });
  it('strings or nothing, with substring tests too', () => {
    fc.assert(fc.property(tree(true), events(STRINGS), check), { numRuns: 3000 });
  });
  it('drops every guard paired with its test, and only those', () => {
    const n = dropStrGuards(simplify(toNnf(and(guarded(ends('a', 'x')), istype('b'), not(guarded(starts('b', 'y')))))), () => true);
    const lits: string[] = [];
    const walk = (x: Nnf): void => {
      if (x.k === 'lit') lits.push(`${x.neg ? '!' : ''}${x.atom.k}${x.strGuard ? '*' : ''}`);
      if (x.k === 'and' || x.k === 'or') x.args.forEach(walk);
    };
    walk(n);
    expect(lits).toEqual(['match*', 'istype', '!match*']);
    // impliesStr false: nothing changes
    const same = simplify(toNnf(guarded(ends('a', 'x'))));
    expect(dropStrGuards(same, () => false)).toEqual(same);
  });
});
