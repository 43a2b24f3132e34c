/**
 * YARA-L: computed values written as tests on the field itself through the common code Sigma and Logs
 * Insights use (common/split.ts, common/strip.ts, common/strval.ts), read back by the YARA-L evaluator on
 * the projected UDM events and run against Python's own evaluation. A missing field reads "" in UDM: where
 * Python's answer there differs from the regexes' answer on "", the difference is declared.
 */
import { describe, expect, it } from 'vitest';
import type { Json, Pred, Rule, Val } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { proveOutput } from '../src/proof/index.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { countOf, getField, lit, pieceOf, randomSplitTests, decidedOver, ruleWithTests, splitOf, testsByPython } from './support.js';

const mapper = loadMappings();
const ctx = { mapper, templatesDir: defaultTemplatesDir() };
const get = getField;
const split = splitOf;
const piece = pieceOf;
const count = countOf;
const fn = (name: string, ...args: Val[]): Val => ({ k: 'fn', fn: name, args });

/** Render for YARA-L, then read back on the logs Python decides; one field taking each value (undefined: missing). */
function agrees(cond: Pred, values: (Json | undefined)[], field = 'eventName', logType = 'AWS.CloudTrail') {
  const logs = values.map((v) => (v === undefined ? {} : { [field]: v }));
  const r: Rule = ruleWithTests('T.Yaral', cond, testsByPython(cond, logs));
  r.meta.logTypes = [logType];
  const out = renderRule(r, 'yaral', ctx);
  const report = proveOutput(out, r, mapper)!;
  return { out, report };
}

const codes = (out: { reasons: { code: string }[] }) => out.reasons.map((r) => r.code);

describe('YARA-L: pieces of a split as regexes on the field', () => {
  it('x.split("@")[-1] == "corp.com" is a regex comparison on the field, exact and proven', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: piece(get('eventName'), '@', -1), right: lit('corp.com') };
    const { out, report } = agrees(eq, ['a@corp.com', 'a@corp.com\n', 'corp.com', 'a@corp.comx', 'a@b@corp.com', 'x']);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('$e.metadata.product_event_type = /');
    expect(out.text).toContain('corp\\.com$');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    expect(report.tests.passed).toBeGreaterThan(4);
  });

  it('where Python reads a default the field does not hold, the difference on a missing field is declared', () => {
    // "x@corp.com".split("@")[-1] == "corp.com" on a missing field; UDM reads "" there (no match)
    const eq: Pred = { k: 'cmp', op: 'eq', left: piece(get('eventName', 'x@corp.com'), '@', -1), right: lit('corp.com') };
    const { out } = agrees(eq, ['a@corp.com', 'b']);
    expect(codes(out)).toContain('target-missing-vs-empty');
    // len(x.split("/")) == 1 on a missing field: Python raises (no alert), UDM's "" has one piece: nothing to declare
    const one: Pred = { k: 'cmp', op: 'eq', left: count(get('eventName'), '/'), right: lit(1) };
    expect(agrees(one, ['a', 'a/b']).out.reasons).toEqual([]);
  });

  it('an if/elif on the number of pieces writes each test once: a piece test implies the length guard beside it', () => {
    // (len >= 5 and parts[4] == "w") or (len >= 3 and parts[2] == "w" and not len >= 5)
    const src = get('eventName');
    const ge = (n: number): Pred => ({ k: 'cmp', op: 'ge', left: count(src, '/'), right: lit(n) });
    const at = (i: number): Pred => ({ k: 'cmp', op: 'eq', left: piece(src, '/', i), right: lit('w') });
    const cond: Pred = { k: 'or', args: [{ k: 'and', args: [ge(5), at(4)] }, { k: 'and', args: [ge(3), at(2), { k: 'not', arg: ge(5) }] }] };
    const { out, report } = agrees(cond, ['a/b/w/c/w', 'a/b/w', 'a/b/w/c/d', 'a/b/c/d/w/e', 'w', 'a/b/w/c', 'a/b/x/c/w']);
    expect(out.reasons).toEqual([]);
    const atoms = out.text.split(/ and | or |\n/).map((x) => x.replace(/^[\s(]*(not \()?/, '').replace(/[\s)]*$/, '')).filter((x) => x.startsWith('$e.metadata.product_event_type'));
    expect(new Set(atoms).size).toBe(atoms.length);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    expect(report.tests.passed).toBeGreaterThan(5);
  });

  it('a split of a field that is not a string UDM field is refused, with the reason', () => {
    // str(x) of a field the tests also hold as a number: its text is not the field's own
    const p: Pred = { k: 'cmp', op: 'eq', left: piece(fn('str', get('eventName')), '/', 0), right: lit('a') };
    const { out } = agrees(p, ['a/b', 5]);
    expect(out.fidelity).not.toBe('exact');
    expect(out.reasons.map((r) => r.message).join(' ')).toMatch(/str\(\)/);
  });

  it.each([
    ['pieces', { str: true }],
    ["stripped pieces (whitespace as RE2's spelling of Python's \\s)", { strip: true }],
    ['sliced pieces (`x.split(d)[i][k:]`)', { slice: true }],
  ] as const)('agrees with Python on random values, tests and %s', (_, extra) => {
    const { logs, conds } = randomSplitTests({ member: true, missing: undefined, dotless: true, field: 'eventName', ...extra });
    const decided = decidedOver(conds, logs, 200, (cond, values) => {
      const { out, report } = agrees(cond, values);
      // a test log disagreeing with Python is allowed only where the output declares why (a missing field)
      if (report.tests.failed > 0) expect(codes(out)).toContain('target-missing-vs-empty');
      if (out.fidelity === 'exact') expect(report.tests.failed).toBe(0);
      return report.tests.passed;
    });
    expect(decided).toBeGreaterThan(300);
  });
});

describe('YARA-L: str(), float() and rstrip() of a field', () => {
  it('str(x) of an int-typed field whose UDM field is a string: the test on the decimal text', () => {
    const p: Pred = { k: 'in', value: fn('str', get('event_type_id')), list: ['11', '011'] };
    const { out, report } = agrees(p, [11, '11', '011', 110, '110', ' 11', undefined, 5, '5'], 'event_type_id', 'OneLogin.Events');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('$e.metadata.product_event_type = /(?s)^(?:011|11)$/');
    expect(report.tests).toMatchObject({ failed: 0 });
    expect(report.tests.passed).toBeGreaterThan(5);
    const neg = agrees({ k: 'not', arg: p }, [11, '11', '011', 5, '5', undefined], 'event_type_id', 'OneLogin.Events');
    expect(neg.report.tests).toMatchObject({ failed: 0 });
  });

  it('x.rstrip(".") ends with, equals a text', () => {
    for (const neg of [false, true]) {
      for (const a of [
        { k: 'match', kind: 'endswith', value: fn('rstrip', get('eventName', ''), lit('.')), pattern: '.corp.example' },
        { k: 'cmp', op: 'eq', left: fn('rstrip', get('eventName'), lit('.')), right: lit('corp.example') },
      ] as Pred[]) {
        const cond: Pred = neg ? { k: 'not', arg: a } : a;
        const { out, report } = agrees(cond, ['a.corp.example', 'a.corp.example.', 'a.corp.example..', 'corp.example', 'corp.example.\n', 'x']);
        expect(out.reasons).toEqual([]);
        expect(out.text).toContain('/');
        expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
      }
    }
  });
});

describe('YARA-L: deep_walk over a path with no list is the field (common/walk.ts)', () => {
  const walk = (keys: string[], d: Json = null): Val => fn('deep_walk', { k: 'event' }, lit(keys), lit(d), lit('all'));
  function render(cond: Pred, logs: Record<string, Json>[], logType: string) {
    const r: Rule = ruleWithTests('T.YaralWalk', cond, testsByPython(cond, logs));
    r.meta.logTypes = [logType];
    const out = renderRule(r, 'yaral', ctx);
    return { out, report: proveOutput(out, r, mapper)! };
  }

  it('on a mapped log type: deep_walk(event, "requestParameters", "userName") == v reads the UDM field, exact and proven', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: walk(['requestParameters', 'userName']), right: lit('alice') };
    const logs = [{ requestParameters: { userName: 'alice' } }, { requestParameters: { userName: 'bob' } }, {}, { requestParameters: 'alice' }];
    const { out, report } = render(eq, logs, 'AWS.CloudTrail');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('$e.target.user.userid = "alice"');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
  });

  it('on a custom log type, negated: the additional.fields key of the dotted path', () => {
    const ne: Pred = { k: 'not', arg: { k: 'cmp', op: 'eq', left: walk(['event', 'type']), right: lit('user.login') } };
    const logs = [{ event: { type: 'user.login' } }, { event: { type: 'page.deleted' } }, {}];
    const { out, report } = render(ne, logs, 'Notion.AuditLogs');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('additional.fields["event.type"]');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 3 });
  });

  it('a list on the path (deep_walk collects over it) or no test reaching the end: declared', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: walk(['event', 'type']), right: lit('user.login') };
    expect(codes(render(eq, [{ event: [{ type: 'user.login' }] }, { event: { type: 'x' } }], 'Notion.AuditLogs').out)).toContain('target-computed-value');
    expect(codes(render(eq, [{ other: 1 }], 'Notion.AuditLogs').out)).toContain('target-computed-value');
  });
});
