/**
 * Computed string values in KQL (targets/kql/computed.ts): split/rsplit with a literal separator, its
 * pieces by index and its length, written with Python's semantics or declared as their superset.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, RuleTest, Val } from '../src/ast/types.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import { kqlProof } from '../src/proof/kql/index.js';
import type { KqlEvent } from '../src/mapping/project/kql.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import type { RenderContext, TargetOutput } from '../src/targets/types.js';
import { getPath, lit } from './support.js';

const ctx: RenderContext = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
/** `event.get(a, {}).get(b, d)` */
const get = getPath;
const fn = (f: 'split' | 'rsplit' | 'len' | 'str', ...args: Val[]): Val => ({ k: 'fn', fn: f, args });
const idx = (obj: Val, index: number): Val => ({ k: 'index', obj, index });
const eq = (left: Val, v: Json): Pred => ({ k: 'cmp', op: 'eq', left, right: lit(v) });
const not = (arg: Pred): Pred => ({ k: 'not', arg });
const and = (...args: Pred[]): Pred => ({ k: 'and', args });

const EVENT = { k: 'in', value: get('eventName'), list: ['AssumeRole'] } as const satisfies Pred;

function rule(condition: Pred, tests: RuleTest[] = []): Rule {
  return {
    meta: { id: 'Test.Computed', displayName: 'computed', description: '', severity: 'Info', enabled: true, logTypes: ['AWS.CloudTrail'], tags: [], mitre: [], summaryAttributes: [], file: 'rules/t.yml', pyFile: 'rules/t.py' },
    condition: and(EVENT, condition),
    outputs: [],
    tests,
    reasons: [],
  };
}

function kql(condition: Pred, tests: RuleTest[] = []): TargetOutput {
  const o = renderRule(rule(condition, tests), 'kql', ctx);
  expect(checkKql(o.text), o.text).toEqual([]);
  return o;
}
/**
 * The query without its comments, a list split more than once (named `<X>Parts` in an extend, names.ts
 * `nameRepeatedSplits`) written back where it is read, so that these tests read each computed value as it
 * is computed.
 */
const where = (o: TargetOutput): string => {
  let q = o.text
    .split('\n')
    .filter((l) => !l.startsWith('//'))
    .join('\n');
  const line = /^\| extend ([A-Za-z_]\w*Parts = split\(.*)$/m.exec(q);
  if (!line) return q;
  q = q.replace(`${line[0]}\n`, '');
  // the extend's items, split at top-level commas (strings and brackets skipped)
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  const text = line[1]!;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (i === text.length || (c === ',' && depth === 0)) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  for (const it of items) {
    const [name, def] = [it.slice(0, it.indexOf(' = ')), it.slice(it.indexOf(' = ') + 3)];
    q = q.split(name).join(def);
  }
  return q;
};
const codes = (o: TargetOutput): string[] => o.reasons.map((r) => r.code);

const ARN = get('userIdentity.arn', '');
const SRC = get('eventSource', '');

describe('KQL: split pieces, their length and guards', () => {
  it('a piece by a non-negative index is tostring(split(..)[N]), guarded where Python raises IndexError', () => {
    const o = kql(eq(idx(fn('split', ARN, lit('/')), 2), 'x'));
    expect(o.fidelity).toBe('exact');
    // the piece equal to "x" is not null, so the split has three pieces or more: the guard is that test's
    // own consequence and is not written beside it (outctx.ts: an element that is not null); the negated
    // literal below keeps it
    expect(where(o)).not.toContain('array_length(split(UserIdentityArn, "/")) >= 3');
    expect(where(o)).toContain('tostring(split(UserIdentityArn, "/")[2]) == "x"');
  });
  it('the guard also holds the negated literal (Python raises in both polarities)', () => {
    const o = kql(not(eq(idx(fn('split', ARN, lit('/')), 2), 'x')));
    expect(o.fidelity).toBe('exact');
    expect(where(o)).toMatch(/array_length\(split\(UserIdentityArn, "\/"\)\) >= 3\s+and tostring\(split\(UserIdentityArn, "\/"\)\[2\]\) != "x"|array_length\(split\(UserIdentityArn, "\/"\)\) >= 3\n\| where tostring\(split\(UserIdentityArn, "\/"\)\[2\]\) != "x"/);
  });
  it('[0] and [-1] never raise (split gives at least one piece): no guard', () => {
    const o = kql(and(eq(idx(fn('split', SRC, lit('.')), 0), 'sts'), eq(idx(fn('rsplit', SRC, lit('.')), -1), 'com')));
    expect(o.fidelity).toBe('exact');
    expect(where(o)).not.toContain('array_length');
    expect(where(o)).toContain('tostring(split(EventSource, ".")[0]) == "sts"');
    expect(where(o)).toContain('tostring(split(EventSource, ".")[(-1)]) == "com"');
  });
  it('a negative index is the documented accessor a[(-N)] under array_length(a) >= N', () => {
    const o = kql(eq(idx(fn('split', ARN, lit('/')), -2), 'role'));
    expect(where(o)).toContain('array_length(split(UserIdentityArn, "/")) >= 2');
    expect(where(o)).toContain('tostring(split(UserIdentityArn, "/")[(-2)]) == "role"');
  });
  it('len() of a split is array_length; a piece of a piece carries both guards', () => {
    const o = kql(and({ k: 'cmp', op: 'ge', left: fn('len', fn('split', ARN, lit(':'))), right: lit(6) }, eq(idx(fn('split', idx(fn('split', ARN, lit(':')), 5), lit('/')), 1), 'admin')));
    expect(o.fidelity).toBe('exact');
    expect(where(o)).toContain('array_length(split(UserIdentityArn, ":")) >= 6');
    // the rule's own len() >= 6 is the guard of [5]: printed once
    expect(where(o).match(/array_length\(split\(UserIdentityArn, ":"\)\) >= 6/g)).toHaveLength(1);
    // the guard of [1] of the inner split is implied by the test of that piece (as above)
    expect(where(o)).not.toContain('array_length(split(tostring(split(UserIdentityArn, ":")[5]), "/")) >= 2');
    expect(where(o)).toContain('tostring(split(tostring(split(UserIdentityArn, ":")[5]), "/")[1]) == "admin"');
  });
  it('None, type and truthiness tests on a computed value are decided by its Python type', () => {
    const piece = idx(fn('split', ARN, lit('/')), 1);
    const list = fn('split', ARN, lit('/'));
    const o = kql(and({ k: 'exists', value: piece }, { k: 'istype', value: list, type: 'list' }, { k: 'truthy', value: list }, { k: 'truthy', value: piece }));
    expect(o.fidelity).toBe('exact');
    expect(where(o)).toContain('isnotempty(tostring(split(UserIdentityArn, "/")[1]))');
    expect(where(o)).not.toContain('gettype');
  });
  it('a field compared with a piece: equality written, ordering and a list declared', () => {
    const piece = idx(fn('split', ARN, lit(':')), 4);
    const o = kql({ k: 'cmp', op: 'eq', left: get('recipientAccountId'), right: piece });
    expect(where(o)).toContain('array_length(split(UserIdentityArn, ":")) >= 5');
    expect(where(o)).toContain('== tostring(split(UserIdentityArn, ":")[4])');
    expect(codes(kql({ k: 'cmp', op: 'lt', left: get('recipientAccountId'), right: piece }))).toContain('target-unsupported-construct');
    expect(codes(kql({ k: 'cmp', op: 'lt', left: piece, right: get('recipientAccountId') }))).toContain('target-unsupported-construct');
    expect(codes(kql({ k: 'cmp', op: 'eq', left: get('recipientAccountId'), right: fn('split', ARN, lit(':')) }))).toContain('target-unsupported-construct');
  });
  it('"x" in parts (a contains on the list) is element membership: set_has_element', () => {
    const o = kql({ k: 'match', kind: 'contains', value: fn('split', ARN, lit('/')), pattern: 'admin' });
    expect(o.fidelity).toBe('exact');
    expect(where(o)).toContain('set_has_element(split(UserIdentityArn, "/"), "admin")');
    expect(codes(kql({ k: 'match', kind: 'startswith', value: fn('split', ARN, lit('/')), pattern: 'admin' }))).toContain('target-unsupported-construct');
  });
  it('maxsplit: only the pieces it leaves as they are', () => {
    const ok = kql(and(eq(idx(fn('rsplit', SRC, lit('.'), lit(1)), -1), 'com'), eq(idx(fn('split', SRC, lit('.'), lit(2)), 1), 'amazonaws')));
    expect(ok.fidelity).toBe('exact');
    const bad = kql(eq(idx(fn('rsplit', SRC, lit('.'), lit(1)), 0), 'sts'));
    expect(bad.fidelity).toBe('approximate');
    expect(bad.reasons.find((r) => r.code === 'target-computed-value')?.message).toContain('maxsplit 1');
    expect(codes(kql({ k: 'cmp', op: 'eq', left: fn('len', fn('rsplit', SRC, lit('.'), lit(1))), right: lit(2) }))).toContain('target-computed-value');
  });
});

describe('KQL: the string a split reads', () => {
  it('str() of a field the mapping types as a string, with default "", is the column', () => {
    const o = kql(eq(idx(fn('split', fn('str', SRC), lit('.')), 0), 'sts'));
    expect(o.fidelity).toBe('exact');
    expect(where(o)).toContain('tostring(split(EventSource, ".")[0]) == "sts"');
  });
  it('str() of a field of unknown type, or without a default ("None"), is declared', () => {
    const unknown = kql(eq(idx(fn('split', fn('str', get('requestParameters.roleArn', '')), lit('/')), 1), 'x'));
    expect(unknown.reasons.find((r) => r.code === 'target-computed-value')?.message).toContain("the rule's tests do not show its type");
    const none = kql(eq(idx(fn('split', fn('str', get('eventSource')), lit('.')), 0), 'sts'));
    expect(none.reasons.find((r) => r.code === 'target-computed-value')?.message).toContain('"None"');
  });
  it("str() of a field the rule's tests hold only as strings", () => {
    const tests: RuleTest[] = [{ name: 't', expected: true, log: { eventName: 'AssumeRole', requestParameters: { roleArn: 'arn:aws:iam::1:role/x' } } }];
    const o = kql(eq(idx(fn('split', fn('str', get('requestParameters.roleArn', '')), lit('/')), 1), 'x'), tests);
    expect(o.fidelity).toBe('exact');
  });
  it('a non-empty default: iff(isnull(..)) on a dynamic member; declared on a string column', () => {
    const dyn = kql(eq(idx(fn('split', get('requestParameters.roleArn', '<none>'), lit('/')), 0), 'arn:aws:iam::1:role'));
    expect(dyn.fidelity).toBe('exact');
    expect(where(dyn)).toMatch(/split\(iff\(isnull\(.*roleArn\), "<none>", tostring\(.*roleArn\)\), "\/"\)/);
    const col = kql(eq(idx(fn('split', get('userIdentity.arn', 'x@y'), lit('@')), 0), 'x'));
    expect(col.reasons.find((r) => r.code === 'target-computed-value')?.message).toContain('reads "" for a missing field');
    // "" and the default give the same piece ("@".split("@")[0] and "".split("@")[0] are both ""): the column is exact
    expect(kql(eq(idx(fn('split', get('userIdentity.arn', '@'), lit('@')), 0), 'x')).fidelity).toBe('exact');
  });
  it('a split of lower(x) by a separator of no letters is the case-insensitive test of the split of x; other splits of a computed string stay declared', () => {
    const o = kql(eq(idx(fn('split', { k: 'fn', fn: 'lower', args: [ARN] }, lit('/')), 1), 'x'));
    expect(o.fidelity).toBe('exact');
    expect(where(o)).toContain('=~ "x"');
    for (const p of [
      eq(idx(fn('split', { k: 'fn', fn: 'lower', args: [ARN] }, lit('a')), 1), 'x'),
      eq(idx(fn('split', { k: 'fn', fn: 'upper', args: [ARN] }, lit('/')), 1), 'X'),
    ]) {
      const d = kql(p);
      expect(d.fidelity).toBe('approximate');
      expect(codes(d)).toContain('target-computed-value');
    }
  });
});

describe('KQL evaluator: array_slice (learn.microsoft.com/kusto/query/array-slice-function)', () => {
  const row: KqlEvent = { tables: ['T'], columns: { d: [1, 2, 3, 4, 5], s: 'a/b/' }, types: { d: 'dynamic', s: 'string' }, tableColumns: {} };
  const holds = (pred: string): boolean => kqlProof.compile(`T\n| where ${pred}`, 'kql').matches(row);
  it('the documented examples: inclusive bounds, negative ones from the end', () => {
    expect(holds('tostring(array_slice(dynamic([1,2,3]), 1, 2)) == "[2,3]"')).toBe(true);
    expect(holds('tostring(array_slice(d, 2, -1)) == "[3,4,5]"')).toBe(true);
    expect(holds('tostring(array_slice(d, -3, -2)) == "[3,4]"')).toBe(true);
  });
  it('out-of-bounds indices are ignored', () => {
    expect(holds('array_length(array_slice(d, -9, -9)) == 0')).toBe(true);
    expect(holds('tostring(array_slice(d, 3, 9)) == "[4,5]"')).toBe(true);
  });
  it('the last piece of a split, an empty one included (split-function: empty pieces are kept)', () => {
    expect(holds('tostring(array_slice(split(s, "/"), -1, -1)[0]) == ""')).toBe(true);
    expect(holds('tostring(array_slice(split(s, "/"), -2, -2)[0]) == "b"')).toBe(true);
    expect(holds('array_length(split(s, "/")) == 3')).toBe(true);
  });
});
