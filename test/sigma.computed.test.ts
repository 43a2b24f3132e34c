/**
 * Sigma: computed values written as tests on the field itself, read back by the Sigma evaluator and run
 * against Python's own evaluation: pieces of a split and their number (common/split.ts, as `|re`), str()
 * of a field (common/strval.ts), float() of a number field, rstrip() (common/strip.ts), isinstance(x,
 * bool), deep_walk over a path with no list (common/walk.ts), `x == y` between two boolean or number fields
 * (|fieldref, the two-absent case decided by `x: null` selections), and a field whose keys the tests spell two ways (read at both spellings, the rule's first), the
 * other one also where a test spells only its leading keys so, or where the mapping renames the field.
 */
import fc from 'fast-check';
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

/** Render for Sigma, then read back on the logs Python decides (the logs as given). */
function proveLogs(cond: Pred, logs: Json[], logType = 'AWS.CloudTrail') {
  const r: Rule = ruleWithTests('T.Sigma', cond, testsByPython(cond, logs));
  r.meta.logTypes = [logType];
  const out = renderRule(r, 'sigma', ctx);
  const report = proveOutput(out, r, mapper)!;
  return { out, report };
}

/** The same, one field of the event taking each value (null: the field missing). */
function agrees(cond: Pred, values: (Json | undefined)[], field = 'userName', logType?: string) {
  return proveLogs(
    cond,
    values.map((v) => (v === undefined ? {} : { [field]: v })),
    logType,
  );
}

describe('Sigma: pieces of a split as |re regexes', () => {
  it('x.split("@")[-1] == "corp.com": the end of the value is (?![\\s\\S]), not $ (a piece may end in a line feed)', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: piece(get('userName'), '@', -1), right: lit('corp.com') };
    const { out, report } = agrees(eq, ['a@corp.com', 'a@corp.com\n', 'corp.com', 'a@corp.comx', 'a@b@corp.com', 'x']);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain("userName|re:");
    expect(out.text).toContain('corp\\.com(?![\\s\\S])');
    expect(out.text).not.toMatch(/corp\\\.com\$/);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('lower(x).split("\\\\")[-1] in [...]: |re|i with each letter spelled as Python folds it', () => {
    const p: Pred = { k: 'in', value: piece(get('userName'), '\\', -1, true), list: ['xmrig.exe', 'Nope.exe'] };
    const { out, report } = agrees(p, ['C:\\Tools\\XMRig.exe', 'xmrig.exe', 'C:\\xmrig.exe\\other', 'C:\\Tools\\nope.exe', 'C:\\Tools\\XMRİg.exe', 'C:\\K\\xmrıg.exe']);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('userName|re|i:');
    expect(out.text).not.toMatch(/nope/i);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('a negated test on the pieces of a field read with a default keeps Python’s answer where it is missing', () => {
    const ne: Pred = { k: 'not', arg: { k: 'cmp', op: 'eq', left: piece(get('userName', 'x@corp.com'), '@', -1), right: lit('corp.com') } };
    const { out, report } = agrees(ne, [undefined, 'a@corp.com', 'a@b.com', 'corp.com', '']);
    expect(out.text).toContain('userName: null');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('agrees with Python on random values, tests and pieces', () => {
    const { logs, conds } = randomSplitTests({ member: true, missing: undefined });
    // most logs are decided (the evaluator refuses a few: non-ASCII case folding is backend-defined)
    const decided = decidedOver(conds, logs, 300, (cond, values) => {
      const { report } = agrees(cond, values);
      expect(report.tests.failed).toBe(0);
      return report.tests.passed;
    });
    expect(decided).toBeGreaterThan(250);
  });

  it('x.split("_")[2][5:].lower() holding "admin": the piece after its first 5 characters, exact; random sliced pieces agree with Python', () => {
    const holds: Pred = { k: 'match', kind: 'contains', ci: true, value: fn('slice', piece(get('userName', ''), '_', 2), lit(5), lit(null)), pattern: 'admin' };
    const { out, report } = agrees(holds, ['role_assignment_role-ADMIN_x', 'role_assignment_admin', 'role_assignment_role-owner', 'a_b_adminXadmin', 'a_b_c_admin', 'a_b', undefined]);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain("'^(?:[^_]*_)(?:[^_]*_)[^_]{5}[^_]*adm");
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 }); // Python raises on the other two (no piece 2)
    // "" (which a piece of 5 characters or fewer also slices to) is declared
    const empty = agrees({ k: 'cmp', op: 'eq', left: fn('slice', piece(get('userName', ''), '_', 2), lit(5), lit(null)), right: lit('') }, ['a_b_c']);
    expect(empty.out.reasons.map((r) => r.message).join(' ')).toMatch(/a piece \(from its character 5\)/);
    const { logs, conds } = randomSplitTests({ member: true, missing: undefined, slice: true });
    const decided = decidedOver(conds, logs, 300, (cond, values) => {
      const { report } = agrees(cond, values);
      expect(report.tests.failed).toBe(0);
      return report.tests.passed;
    });
    expect(decided).toBeGreaterThan(250);
  });

  it('x.split("-")[1].strip() == "v", contains, and random stripped pieces: whitespace around the piece as Python\'s \\s class', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: fn('strip', piece(get('userName', 'NONE'), '-', 1)), right: lit('On to Off') };
    const { out, report } = agrees(eq, ['a- On to Off', 'a-On to Off-b', 'a-\u3000On to Off\n', 'a-On to Offx', 'On to Off', 'a--On to Off', undefined]);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('userName|re:');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    const { logs, conds } = randomSplitTests({ member: true, missing: undefined, strip: true });
    let decided = 0;
    fc.assert(
      fc.property(conds, logs, (cond, values) => {
        const r = agrees(cond, values);
        expect(r.report.tests.failed).toBe(0);
        decided += r.report.tests.passed;
      }),
      { numRuns: 300 },
    );
    expect(decided).toBeGreaterThan(250);
  });
});

describe('Sigma: a regex test on the last piece of a split on a text', () => {
  const last = (sep: string, d?: string): Val => piece(get('userName', d), sep, -1);
  const re = (v: Val, pattern: string, anchor?: 'match' | 'fullmatch'): Pred => ({ k: 'match', kind: 'regex', value: v, pattern, ...(anchor ? { anchor } : {}) });

  it('re.match(p, x.split("/objects/")[-1]): one |re, the cuts Python makes first, exact; an or of patterns is one alternation', () => {
    const p: Pred = { k: 'or', args: [re(last('/objects/', ''), '(?i)ransom.*\\.txt$', 'match'), re(last('/objects/', ''), 'decrypt', 'match')] };
    const values = ['b/objects/RANSOM.txt', 'b/objects/a/objects/ransom_note.txt', 'b/objects/objects/ransom.txt', 'b/objects/ransom.txt/objects/x', 'ransom.txt', 'b/objects/decrypt', 'b/objects/x-decrypt', 'b/objects/Ransom.txt\n', undefined];
    const { out, report } = agrees(p, values);
    expect(out.reasons).toEqual([]);
    expect(out.text.match(/\|re/g)).toHaveLength(1);
    expect(out.text).toContain("(?i:ransom.*\\.txt$)");
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: values.length });
  });

  it('a pattern anchored at the start of the piece is declared', () => {
    const { out } = agrees(re(last('/o/', ''), '^a'), ['x/o/a']);
    expect(out.reasons.map((r) => r.message).join(' ')).toMatch(/anchored at the start of the piece/);
  });

  it('agrees with Python on random values, separators that overlap themselves, patterns and anchors', () => {
    const value = fc.oneof(fc.constant(undefined), fc.array(fc.constantFrom('a', 'X', 'b', 'B', '\n'), { maxLength: 9 }).map((a) => a.join('')));
    const test = fc.record({
      sep: fc.constantFrom('aXa', 'X', 'XX', 'ab'),
      pattern: fc.constantFrom('b', 'a.*b$', '(?i)B', 'X', 'b$', '[ab]+', '(?s)a.b', 'a|b'),
      anchor: fc.constantFrom(undefined, 'match', 'fullmatch'),
      neg: fc.boolean(),
      dflt: fc.constantFrom(undefined, '', 'aXab'),
      two: fc.boolean(),
    });
    const cond = (t: typeof test extends fc.Arbitrary<infer T> ? T : never): Pred => {
      const one = re(last(t.sep, t.dflt), t.pattern, t.anchor);
      const p: Pred = t.two ? { k: 'or', args: [one, re(last(t.sep, t.dflt), 'bb', 'match')] } : one;
      return t.neg ? { k: 'not', arg: p } : p;
    };
    const decided = decidedOver(test.map(cond), fc.array(value, { minLength: 1, maxLength: 6 }), 300, (c, values) => {
      const { out, report } = agrees(c, values);
      expect(out.reasons).toEqual([]);
      expect(report.tests.failed).toBe(0);
      return report.tests.passed;
    });
    expect(decided).toBeGreaterThan(500);
  });
});

describe('Sigma: str(), float(), rstrip() and isinstance(x, bool) of a field', () => {
  it('str(x) of a field the mapping types integer and the tests also hold as text: either value as itself', () => {
    const p: Pred = { k: 'in', value: fn('str', get('event_type_id')), list: ['11', '011'] };
    const { out, report } = agrees(p, [11, '11', '011', 110, '110', ' 11', undefined, 5, '5'], 'event_type_id', 'OneLogin.Events');
    expect(out.reasons).toEqual([]);
    expect(out.text).toMatch(/event_type_id\|cased:/);
    expect(out.text).toMatch(/event_type_id: 11/);
    expect(report.tests).toMatchObject({ failed: 0 });
    expect(report.tests.passed).toBeGreaterThan(5);
    const neg = agrees({ k: 'not', arg: p }, [11, '11', '011', 5, '5', undefined], 'event_type_id', 'OneLogin.Events');
    expect(neg.out.reasons).toEqual([]);
    expect(neg.report.tests).toMatchObject({ failed: 0 });
  });

  it('float(x) compared with a number, on a field the tests hold as numbers, with a default', () => {
    for (const op of ['lt', 'le', 'gt', 'ge'] as const) {
      for (const neg of [false, true]) {
        const c: Pred = { k: 'cmp', op, left: fn('float', get('severity', 0)), right: lit(7) };
        const { out, report } = agrees(neg ? { k: 'not', arg: c } : c, [8, 7, 6.5, 0, -1, 7.25, undefined], 'severity');
        expect(out.reasons, `${op} ${neg}`).toEqual([]);
        expect(report.tests, `${op} ${neg}`).toMatchObject({ failed: 0, notEvaluable: 0 });
      }
    }
    // a field the tests also hold as text stays computed (float("8") parses it)
    const c: Pred = { k: 'cmp', op: 'ge', left: fn('float', get('severity')), right: lit(7) };
    expect(agrees(c, [8, '9'], 'severity').out.reasons.map((r) => r.code)).toContain('target-computed-value');
  });

  it('x.rstrip(".") ends with, equals a text', () => {
    for (const neg of [false, true]) {
      for (const a of [
        { k: 'match', kind: 'endswith', value: fn('rstrip', get('host', ''), lit('.')), pattern: '.corp.example' },
        { k: 'cmp', op: 'eq', left: fn('rstrip', get('host'), lit('.')), right: lit('corp.example') },
      ] as Pred[]) {
        const cond: Pred = neg ? { k: 'not', arg: a } : a;
        const { out, report } = agrees(cond, ['a.corp.example', 'a.corp.example.', 'a.corp.example..', 'corp.example', 'corp.example.\n', 'x', undefined], 'host');
        expect(out.reasons).toEqual([]);
        expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
      }
    }
  });

  it('isinstance(x, bool), alone or negated; beside x == False only x: false is written', () => {
    const t: Pred = { k: 'istype', value: get('flag'), type: 'bool' };
    for (const cond of [t, { k: 'not', arg: t } as Pred]) {
      const { out, report } = agrees(cond, [true, false, 0, 1, 'x', undefined, null], 'flag');
      expect(out.reasons).toEqual([]);
      expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    }
    const isFalse: Pred = { k: 'and', args: [t, { k: 'cmp', op: 'eq', left: get('flag'), right: lit(false) }] };
    const { out, report } = agrees(isFalse, [true, false, 0, undefined], 'flag');
    expect(out.text).toContain('flag: false');
    expect(out.text).not.toContain('- true');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });
});

describe('Sigma: the truthiness of a field holding ints', () => {
  it('truthy where neither missing, null nor 0; negated; a default or a test holding text is declared', () => {
    const t: Pred = { k: 'truthy', value: get('retries') };
    for (const cond of [t, { k: 'not', arg: t } as Pred]) {
      const { out, report } = agrees(cond, [0, 5, -1, 12, null, undefined], 'retries');
      expect(out.reasons, JSON.stringify(cond)).toEqual([]);
      expect(out.text).toContain('retries: 0');
      expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    }
    // the mapping types OneLogin's user_id integer
    const u = agrees({ k: 'truthy', value: get('user_id') }, [0, 7, undefined], 'user_id', 'OneLogin.Events');
    expect(u.out.reasons).toEqual([]);
    expect(u.report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    expect(agrees({ k: 'truthy', value: get('retries', 3) }, [0, 5, undefined], 'retries').out.fidelity).not.toBe('exact');
    expect(agrees(t, [0, '5'], 'retries').out.fidelity).not.toBe('exact');
    expect(agrees(t, [0, 1.5], 'retries').out.fidelity).not.toBe('exact');
  });
});

describe('Sigma: deep_walk over a path with no list is the field (common/walk.ts)', () => {
  const walk = (keys: string[], d: Json = null): Val => fn('deep_walk', { k: 'event' }, lit(keys), lit(d), lit('all'));
  const T = 'Gravitational.TeleportAudit';
  it('deep_walk(event, "server_labels", "env") == "prod" is server_labels.env|cased: prod', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: walk(['server_labels', 'env']), right: lit('prod') };
    const { out, report } = proveLogs(eq, [{ server_labels: { env: 'prod' } }, { server_labels: { env: 'dev' } }, {}, { server_labels: 'prod' }, { server_labels: { env: null } }], T);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('server_labels.env|cased: prod');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
  });

  it('negated, with a default: the default where the path is missing (a guard where Python differs)', () => {
    const ne: Pred = { k: 'not', arg: { k: 'cmp', op: 'eq', left: walk(['server_labels', 'env'], 'prod'), right: lit('prod') } };
    const { out, report } = proveLogs(ne, [{ server_labels: { env: 'prod' } }, { server_labels: { env: 'dev' } }, {}, { server_labels: {} }], T);
    expect(out.reasons).toEqual([]);
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 4 });
  });

  it('a list on the path (deep_walk collects over it) or no test reaching the end: declared', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: walk(['server_labels', 'env']), right: lit('prod') };
    const codes = (logs: Json[]) => proveLogs(eq, logs, T).out.reasons.map((x) => x.code);
    expect(codes([{ server_labels: [{ env: 'prod' }] }, { server_labels: { env: 'dev' } }])).toContain('target-computed-value');
    expect(codes([{ other: 1 }])).toContain('target-computed-value');
  });
});

describe('Sigma: x == y between two fields holding booleans or numbers', () => {
  const T = 'Zscaler.ZIA.AdminAuditLog';
  /** `event.get(k, d)` or `event.deep_get("event", k, default=d)`. */
  const side = (key: string, how: 'get' | 'deep', d?: Json): Val =>
    how === 'deep'
      ? { k: 'get', obj: { k: 'get', obj: { k: 'event' }, key: 'event', deep: true }, key, deep: true, ...(d !== undefined ? { default: lit(d) } : {}) }
      : { k: 'get', obj: { k: 'event' }, key, ...(d !== undefined ? { default: lit(d) } : {}) };
  const wrap = (how: 'get' | 'deep', o: { [k: string]: Json | undefined }): Json => {
    const body = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Json;
    return how === 'deep' ? { event: body } : body;
  };

  it('agrees with Python wherever it claims exact (|fieldref without the case reason)', () => {
    const cfg = fc.record({
      how: fc.constantFrom<'get' | 'deep'>('get', 'deep'),
      da: fc.constantFrom<Json | undefined>(undefined, null, '', 'x'),
      db: fc.constantFrom<Json | undefined>(undefined, null, '', 'x'),
      op: fc.constantFrom<'eq' | 'ne'>('eq', 'ne'),
      neg: fc.boolean(),
      pool: fc.constantFrom<Json[]>([true, false], [0, 1, 5, 2.5]),
    });
    let claimed = 0;
    fc.assert(
      fc.property(cfg, fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 6 }), (c, picks) => {
        const val = (i: number): Json | undefined => (i === 0 ? undefined : i === 1 ? null : c.pool[(i - 2) % c.pool.length]);
        const logs = picks.map(([i, j]) => wrap(c.how, { pre: val(i), post: val(j) }));
        const cmp: Pred = { k: 'cmp', op: c.op, left: side('pre', c.how, c.da), right: side('post', c.how, c.db) };
        const { out, report } = proveLogs(c.neg ? { k: 'not', arg: cmp } : cmp, logs, T);
        if (out.reasons.some((r) => r.code === 'target-fieldref-case')) return;
        claimed++;
        expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
      }),
      { numRuns: 300 },
    );
    expect(claimed).toBeGreaterThan(50);
  });

  it('event.deep_get(.., default="") != event.deep_get(.., default="") on booleans: exact, both absent decided by x: null', () => {
    const ne: Pred = { k: 'cmp', op: 'ne', left: side('pre', 'deep', ''), right: side('post', 'deep', '') };
    const { out, report } = proveLogs(ne, [wrap('deep', { pre: true, post: false }), wrap('deep', { pre: true, post: true }), wrap('deep', {}), wrap('deep', { pre: false }), wrap('deep', { pre: null, post: null })], T);
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('event.pre|fieldref: event.post');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 5 });
  });

  it('texts, or two kinds: the case reason', () => {
    const codes = (p: Pred, logs: Json[]) => proveLogs(p, logs, T).out.reasons.map((r) => r.code);
    const eqOf = (l: Val, r: Val): Pred => ({ k: 'cmp', op: 'eq', left: l, right: r });
    expect(codes(eqOf(side('pre', 'get'), side('post', 'get')), [{ pre: 'a', post: 'A' }])).toContain('target-fieldref-case');
    expect(codes(eqOf(side('pre', 'get'), side('post', 'get')), [{ pre: true, post: 1 }])).toContain('target-fieldref-case');
  });

  it('a plain get with a text default (None where the field is null, the text where it is absent): each case apart with |exists', () => {
    const ne: Pred = { k: 'cmp', op: 'ne', left: side('pre', 'get', 'U'), right: side('post', 'get', 'U') };
    const logs: Json[] = [{ pre: 1, post: 1 }, { pre: 1, post: 2 }, {}, { pre: null, post: null }, { pre: null }, { post: null }, { pre: 3 }, { post: null, pre: 0 }];
    for (const p of [ne, { k: 'not', arg: ne } as Pred]) {
      const { out, report } = proveLogs(p, logs, T);
      expect(out.reasons).toEqual([]);
      expect(out.text).toContain('pre|exists: true');
      expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: logs.length });
    }
  });
});

describe('Sigma: a field whose keys are spelled two ways', () => {
  it('reads the rule’s spelling where the log holds it, else the other one (Panther’s lookup)', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: get('eventName'), right: lit('ConsoleLogin') };
    for (const cond of [eq, { k: 'not', arg: eq } as Pred]) {
      const logs: Json[] = [
        { eventName: 'ConsoleLogin' },
        { eventname: 'ConsoleLogin' },
        { eventname: 'Other' },
        { eventName: 'Other', eventname: 'ConsoleLogin' },
        { eventName: null, eventname: 'ConsoleLogin' },
        {},
      ];
      const { out, report } = proveLogs(cond, logs);
      expect(out.reasons).toEqual([]);
      expect(out.text).toContain('eventName|exists: true');
      expect(out.text).toContain('eventname|cased: ConsoleLogin');
      expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
    }
  });

  /** `event.deep_get(*path, default="")`. */
  const deep = (path: string): Val => path.split('.').reduce<Val>((obj, key, i, keys) => ({ k: 'get', obj, key, deep: true, ...(i === keys.length - 1 ? { default: lit('') } : {}) }), { k: 'event' });
  /** Rendered on the `shown` logs (the rule's tests), proven on those and the `more` logs Python decides. */
  function proveBeyond(cond: Pred, shown: Json[], more: Json[], logType: string) {
    const r: Rule = ruleWithTests('T.Sigma', cond, testsByPython(cond, shown));
    r.meta.logTypes = [logType];
    const out = renderRule(r, 'sigma', ctx);
    const all: Rule = { ...r, tests: testsByPython(cond, [...shown, ...more]).map(([log, expected], i) => ({ name: `t${i}`, expected, log })) };
    return { out, report: proveOutput(out, all, mapper)! };
  }

  it('a test holding only the leading key in another casing: Panther would read the rest there too', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: deep('protoPayload.serviceName'), right: lit('logging.googleapis.com') };
    const shown: Json[] = [{ protoPayload: { serviceName: 'logging.googleapis.com' } }, { protopayload: { metadata: { serviceName: 'x' } } }];
    const more: Json[] = [{ protopayload: { serviceName: 'logging.googleapis.com' } }, { protoPayload: { serviceName: 'x' }, protopayload: { serviceName: 'logging.googleapis.com' } }, { protoPayload: {} }, {}];
    const { out, report } = proveBeyond(eq, shown, more, 'GCP.AuditLog');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('protoPayload|exists: true');
    expect(out.text).toContain('protopayload.serviceName|cased: logging.googleapis.com');
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('a field the mapping renames: the presence test on its Sigma name, the other casing by its raw name', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: deep('parameters.NEW_VALUE'), right: lit('true') };
    const logs: Json[] = [{ parameters: { NEW_VALUE: 'true' } }, { parameters: { new_value: 'true' } }, { parameters: { NEW_VALUE: 'false', new_value: 'true' } }, { parameters: { new_value: 'no' } }, { parameters: {} }];
    const { out, report } = proveBeyond(eq, logs, [], 'GSuite.ActivityEvent');
    expect(out.reasons).toEqual([]);
    expect(out.text).toContain('new_value|exists: true');
    expect(out.text).toContain("parameters.new_value|cased: 'true'");
    expect(report.tests).toMatchObject({ failed: 0, notEvaluable: 0 });
  });

  it('three spellings stay declared', () => {
    const eq: Pred = { k: 'cmp', op: 'eq', left: get('eventName'), right: lit('ConsoleLogin') };
    const { out } = proveLogs(eq, [{ eventName: 'ConsoleLogin' }, { eventname: 'ConsoleLogin' }, { EVENTNAME: 'x' }]);
    expect(out.reasons.map((r) => r.code)).toContain('target-key-case');
  });
});
