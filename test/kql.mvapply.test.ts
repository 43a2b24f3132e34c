/**
 * The quantifiers of a KQL query (src/targets/kql/mvapply.ts, printer.ts `quant`, common/outctx.ts):
 * - the mv-apply stages over one array are one mv-apply computing several counts (the index test once, in a
 *   `where`, for two counts or more);
 * - `any(L, A) or any(L, B)` and `all(L, A) and all(L, B)` are one quantifier;
 * - a quantity counted twice (the same test over the same array) is counted once;
 * - a count read only as a top-level `> 0` conjunct is a filtering mv-apply (`where array_length(A) > 0 |
 *   mv-apply __qN = A on (where X | take 1)`), that conjunct left out;
 * - `truthy(M)` beside `tostring(M) in~ (texts no falsy value prints)` and `truthy(A)` beside a count of A's
 *   elements above 0 are left out.
 * Each rewrite is checked by the KQL evaluator (src/proof/kql) on rows it builds: the query before and after
 * keep the same rows. The sample rules show them end to end (exact, proven on their tests, Kusto.Language clean).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json, Val } from '../src/ast/types.js';
import { customKqlTables } from '../src/mapping/custom.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import type { KqlEvent } from '../src/mapping/project/kql.js';
import { liftFile } from '../src/pipeline.js';
import { renderProven } from '../src/proof/index.js';
import { kqlProof } from '../src/proof/kql/index.js';
import type { Nnf } from '../src/targets/common/nnf.js';
import { and, or, printOut, text, type Out } from '../src/targets/common/out.js';
import { holdsOnlyWhere, KQL_LEX, kqlReading, KQL_READING, simplifyInContext, sortedJunctions, type Reading } from '../src/targets/common/outctx.js';
import { existsStages, joinQuantifiers, mergeStages, renderApply, type Apply } from '../src/targets/kql/mvapply.js';
import { TRUTHY_FN } from '../src/targets/kql/printer.js';
import { defaultTemplatesDir } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';

const mapper = loadMappings();
const ctx: RenderContext = { mapper, templatesDir: defaultTemplatesDir() };
const SYN = { and: ' and ', or: ' or ', true: 'true', false: 'false' };

/** One row of table T: a dynamic column d (and e). */
const rowOf = (d: Json, e: Json = null): KqlEvent => ({ tables: ['T'], columns: { d, e }, types: { d: 'dynamic', e: 'dynamic' }, tableColumns: {} });
/** Does the query `T | <stages> | where <pred>` keep the row? (with the query's `truthy` declaration, printer.ts) */
const keeps = (stages: string[], pred: string, ev: KqlEvent): boolean =>
  kqlProof.compile([TRUTHY_FN, 'T', ...stages.map((s) => `| ${s}`), `| where ${pred}`].join('\n'), 'kql').matches(ev);

const VALUES: Json[] = [
  null, [], [null], ['x'], ['admin'], ['Admin', 'x'], [''], [0], [false], [1], [true], [{}], [[]],
  [{ type: 'User', id: 'a' }], [{ type: 'App' }, { type: 'User', id: '' }], [{ type: 'App', id: 'b' }],
];

const apply = (v: string, arr: string, counts: [string, string][], inner: Apply[] = []): Apply => ({ v, arr, inner, counts: counts.map(([name, test]) => ({ name, test, or: / or /.test(test) })) });

describe('mv-apply stages over one array: one mv-apply, several counts', () => {
  const a = apply('__q1', 'd', [['__q1_n', 'tostring(__q1.type) == "User"']]);
  const b = apply('__q2', 'd', [['__q2_n', 'tostring(__q2.type) == "App" and isnotempty(tostring(__q2.id))']]);
  const c = apply('__q3', 'e', [['__q3_n', 'truthy(__q3)']]);
  const sep = [a, b, c].map(renderApply);
  const recs = new Map([a, b, c].map((x) => [renderApply(x), x]));

  it('one stage per array; the index test once in a where before the summarize; the later element renamed', () => {
    const merged = mergeStages(sep, recs);
    expect(merged).toEqual([
      'mv-apply with_itemindex=__q1_i __q1 = array_concat(coalesce(d, dynamic([])), dynamic([null])) on (where __q1_i < array_length(d) | summarize __q1_n = countif(tostring(__q1.type) == "User"), __q2_n = countif(tostring(__q1.type) == "App" and isnotempty(tostring(__q1.id))))',
      sep[2],
    ]);
    // one count: the index test beside it (shorter)
    expect(sep[0]).toBe('mv-apply with_itemindex=__q1_i __q1 = array_concat(coalesce(d, dynamic([])), dynamic([null])) on (summarize __q1_n = countif(__q1_i < array_length(d) and tostring(__q1.type) == "User"))');
  });

  it('keeps the rows the separate stages keep (KQL evaluator)', () => {
    const merged = mergeStages(sep, recs);
    for (const pred of ['__q1_n > 0', '__q2_n == 0', '__q1_n > 0 and __q2_n > 0', '__q2_n > 0 or __q3_n > 0']) {
      for (const d of VALUES) {
        for (const e of [null, [], [''], ['x']] as Json[]) {
          expect(keeps(merged, pred, rowOf(d, e)), `${pred} on ${JSON.stringify(d)}, ${JSON.stringify(e)}`).toBe(keeps(sep, pred, rowOf(d, e)));
        }
      }
    }
  });

  it('not moved before an extend, nor before a stage whose count it reads', () => {
    const ext = 'extend d2 = d';
    expect(mergeStages([sep[0]!, ext, sep[1]!], recs)).toEqual([sep[0], ext, sep[1]]);
    const readsC = apply('__q4', 'd', [['__q4_n', '__q3_n > 0 and truthy(__q4)']]);
    const r = new Map([...recs, [renderApply(readsC), readsC]]);
    expect(mergeStages([sep[0]!, sep[2]!, renderApply(readsC)], r)).toEqual([sep[0], sep[2], renderApply(readsC)]);
  });

  it('inner stages over one array of the element merge too, the outer element renamed in them', () => {
    const i1 = apply('__q2', '__q1.m', [['__q2_n', 'tostring(__q2) == "x"']]);
    const o1 = apply('__q1', 'd', [['__q1_n', '__q2_n > 0']], [i1]);
    const i2 = apply('__q4', '__q3.m', [['__q4_n', 'tostring(__q4) == "y"']]);
    const o2 = apply('__q3', 'd', [['__q3_n', '__q4_n == 0']], [i2]);
    const st = [renderApply(o1), renderApply(o2)];
    const merged = mergeStages(st, new Map([o1, o2].map((x) => [renderApply(x), x])));
    expect(merged).toEqual([
      'mv-apply with_itemindex=__q1_i __q1 = array_concat(coalesce(d, dynamic([])), dynamic([null])) on (where __q1_i < array_length(d) | mv-apply with_itemindex=__q2_i __q2 = array_concat(coalesce(__q1.m, dynamic([])), dynamic([null])) on (where __q2_i < array_length(__q1.m) | summarize __q2_n = countif(tostring(__q2) == "x"), __q4_n = countif(tostring(__q2) == "y")) | summarize __q1_n = countif(__q2_n > 0), __q3_n = countif(__q4_n == 0))',
    ]);
    const rows: Json[] = [null, [], [{}], [{ m: ['x'] }], [{ m: ['y'] }], [{ m: ['x', 'y'] }, { m: [] }], [{ m: [null] }, { m: ['y'] }]];
    for (const pred of ['__q1_n > 0', '__q3_n > 0', '__q1_n > 0 and __q3_n == 0']) {
      for (const d of rows) expect(keeps(merged, pred, rowOf(d)), `${pred} on ${JSON.stringify(d)}`).toBe(keeps(st, pred, rowOf(d)));
    }
  });

  it('a string literal holding the element name is left as written', () => {
    const s = apply('__q2', 'd', [['__q2_n', 'tostring(__q2.k) == "__q2"']]);
    const m = mergeStages([renderApply(a), renderApply(s)], new Map([a, s].map((x) => [renderApply(x), x])));
    expect(m[0]).toContain('__q2_n = countif(tostring(__q1.k) == "__q2")');
  });
});

describe('a count read only as a top-level `> 0` conjunct: a filtering mv-apply', () => {
  const a = apply('__q1', 'd', [['__q1_n', 'tostring(__q1.type) == "User" or truthy(__q1) and tostring(__q1) == "x"']]);
  const n = apply('__q2', 'e', [['__q2_n', 'not(truthy(__q2))']]);
  const ia = apply('__q4', '__q3.m', [['__q4_n', 'tostring(__q4) == "x"']]);
  const nested = apply('__q3', 'd', [['__q3_n', '__q4_n > 0']], [ia]);
  const recs = new Map([a, n, nested].map((x) => [renderApply(x), x]));
  const run = (stages: string[], where: string[], ev: KqlEvent): boolean => keeps(stages, where.length ? where.map((w) => `(${w})`).join(' and ') : 'true', ev);

  it('writes the filter, leaves the conjunct out, and keeps the rows the count keeps (KQL evaluator)', () => {
    const rows: Json[] = [...VALUES, [{ m: ['x'] }], [{ m: [] }, { m: ['y', 'x'] }], [{ m: null }]];
    for (const x of [a, n, nested]) {
      const st = [renderApply(x)];
      const where = [`${x.counts[0]!.name} > 0`, 'isnotnull(d) or isnull(d)'];
      const out = existsStages(st, recs, where, []);
      expect(out.where).toEqual(['isnotnull(d) or isnull(d)']);
      expect(out.stages).toEqual([]);
      expect(out.filters[0]).toBe(`where array_length(${x.arr}) > 0`);
      expect(out.filters[1]).toMatch(new RegExp(`^mv-apply ${x.v} = \\S+ on \\(.*\\| take 1\\)$`));
      for (const d of rows) {
        for (const e of [null, [], [''], ['x'], [0, 1]] as Json[]) {
          expect(run(out.filters, out.where, rowOf(d, e)), `${x.v} on ${JSON.stringify(d)}, ${JSON.stringify(e)}`).toBe(run(st, where, rowOf(d, e)));
        }
      }
    }
    expect(existsStages([renderApply(a)], recs, ['__q1_n > 0'], []).filters[1]).toBe('mv-apply __q1 = d on (where tostring(__q1.type) == "User" or truthy(__q1) and tostring(__q1) == "x" | take 1)');
  });

  it('left as a count where anything else reads it, or it is not a top-level `> 0`', () => {
    const st = [renderApply(a)];
    for (const where of [['__q1_n == 0'], ['__q1_n > 0 or isnull(e)'], ['__q1_n > 0', '__q1_n > 0 or isnull(e)']]) {
      expect(existsStages(st, recs, where, [])).toEqual({ stages: st, filters: [], where });
    }
    // read by the tail (a projected column)
    expect(existsStages(st, recs, ['__q1_n > 0'], ['project TimeGenerated, __q1_n'])).toEqual({ stages: st, filters: [], where: ['__q1_n > 0'] });
    // two counts in one mv-apply
    const b = apply('__q2', 'd', [['__q2_n', 'tostring(__q2) == "y"']]);
    const two = mergeStages([renderApply(a), renderApply(b)], new Map([a, b].map((x) => [renderApply(x), x])));
    expect(existsStages([renderApply(a), renderApply(b)], new Map([a, b].map((x) => [renderApply(x), x])), ['__q1_n > 0'], [])).toEqual({ stages: two, filters: [], where: ['__q1_n > 0'] });
  });
});

describe('quantifiers over one list in one junction', () => {
  const list: Val = { k: 'get', path: ['items'] } as unknown as Val;
  const other: Val = { k: 'get', path: ['others'] } as unknown as Val;
  const lit = (name: string): Nnf => ({ k: 'lit', atom: { k: 'truthy', value: { k: 'get', path: [name] } }, neg: false }) as unknown as Nnf;
  const q = (kind: 'any' | 'all', l: Val, body: Nnf): Nnf => ({ k: 'quant', q: kind, list: l, body });
  const A = lit('a');
  const B = lit('b');
  const C = lit('c');

  it('any(L, A) or any(L, B) is any(L, A or B); all(L, A) and all(L, B) is all(L, A and B)', () => {
    expect(joinQuantifiers({ k: 'or', args: [q('any', list, A), C, q('any', list, B)] })).toEqual({ k: 'or', args: [q('any', list, { k: 'or', args: [A, B] }), C] });
    expect(joinQuantifiers({ k: 'and', args: [q('all', list, A), q('all', list, B)] })).toEqual({ k: 'and', args: [q('all', list, { k: 'and', args: [A, B] })] });
  });

  it('the literals stay the same objects', () => {
    const out = joinQuantifiers({ k: 'or', args: [q('any', list, A), q('any', list, B)] });
    const body = (out as { args: { body: { args: Nnf[] } }[] }).args[0]!.body.args;
    expect(body[0]).toBe(A);
    expect(body[1]).toBe(B);
  });

  it('not: any and any, all or all, other lists', () => {
    for (const n of [
      { k: 'and', args: [q('any', list, A), q('any', list, B)] },
      { k: 'or', args: [q('all', list, A), q('all', list, B)] },
      { k: 'or', args: [q('any', list, A), q('any', other, B)] },
    ] as Nnf[]) {
      expect(joinQuantifiers(n)).toBe(n);
    }
  });

  it('countif(X) > 0 or countif(Y) > 0 keeps the rows countif(X or Y) > 0 keeps (KQL evaluator)', () => {
    const X = 'tostring(__q1.type) == "User"';
    const Y = 'isempty(tostring(__q1.id))';
    const two = mergeStages(
      [renderApply(apply('__q1', 'd', [['__q1_n', X]])), renderApply(apply('__q2', 'd', [['__q2_n', Y.replace('__q1', '__q2')]]))],
      new Map([apply('__q1', 'd', [['__q1_n', X]]), apply('__q2', 'd', [['__q2_n', Y.replace('__q1', '__q2')]])].map((x) => [renderApply(x), x])),
    );
    const one = [renderApply(apply('__q1', 'd', [['__q1_n', `${X} or ${Y}`]]))];
    for (const d of VALUES) {
      expect(keeps(one, '__q1_n > 0', rowOf(d))).toBe(keeps(two, '__q1_n > 0 or __q2_n > 0', rowOf(d)));
      // all(): the counts of the elements that fail
      expect(keeps(one, '__q1_n == 0', rowOf(d))).toBe(keeps(two, '__q1_n == 0 and __q2_n == 0', rowOf(d)));
    }
  });
});

describe('truthiness a sibling implies', () => {
  const run = (o: Out, r: Reading = KQL_READING): string => printOut(simplifyInContext(o, r, { and, or }), SYN);
  const t = text;

  it.each([
    ['tostring(d) in~ ("admin", "all", "models:write")'],
    ['tostring(d) == "User"'],
    ['tostring(d.k) =~ "enabled"'],
  ])('%s and truthy(...): the membership alone', (m) => {
    const inner = m.slice('tostring('.length, m.indexOf(')'));
    expect(run(and(t(m), t(`truthy(${inner})`)))).toBe(m);
  });

  it.each([
    // texts a falsy value prints: "false", a zero, "" — and texts of hexadecimal digits only, or with a digit
    ['tostring(d) in~ ("admin", "FALSE")'],
    ['tostring(d) == "0"'],
    ['tostring(d) in ("admin", "")'],
    ['tostring(d) == "abc"'],
    ['tostring(d) == "v1"'],
    ['tostring(d) != "admin"'],
    ['tostring(d) contains "admin"'],
  ])('%s: truthy(d) kept', (m) => {
    expect(run(and(t(m), t('truthy(d)')))).toBe(`${m} and truthy(d)`);
  });

  it('the membership and the truthiness beside it keep the rows the membership keeps; not for "false" (KQL evaluator)', () => {
    const vs: Json[] = [null, '', 'admin', 'Admin', 'x', false, true, 0, 1, 0.0, [], ['admin'], {}, { a: 1 }, 'false', '0'];
    for (const d of vs) {
      for (const m of ['tostring(d) in~ ("admin", "true")', 'tostring(d) == "admin"']) expect(keeps([], `${m} and truthy(d)`, rowOf(d)), `${m} on ${JSON.stringify(d)}`).toBe(keeps([], m, rowOf(d)));
    }
    // why "false" is kept out: the text of false
    expect(keeps([], 'tostring(d) =~ "false"', rowOf(false))).toBe(true);
    expect(keeps([], 'tostring(d) =~ "false" and truthy(d)', rowOf(false))).toBe(false);
  });

  it('a count above 0 of an array\'s elements: truthy(A), its length and type tests left out', () => {
    const r = kqlReading(new Map(), { counts: new Map([['__q1_n', 'd']]) });
    expect(run(and(t('truthy(d)'), t('__q1_n > 0')), r)).toBe('__q1_n > 0');
    expect(run(and(t('coalesce(array_length(d), 0) != 0'), t('__q1_n > 0')), r)).toBe('__q1_n > 0');
    expect(run(and(t('gettype(d) == "array"'), t('__q1_n != 0')), r)).toBe('__q1_n != 0');
    // a count of 0 says nothing; nor does a count the reading does not know
    expect(run(and(t('truthy(d)'), t('__q1_n == 0')), r)).toBe('truthy(d) and __q1_n == 0');
    expect(run(and(t('truthy(d)'), t('__q2_n > 0')), r)).toBe('truthy(d) and __q2_n > 0');
    const st = [renderApply(apply('__q1', 'd', [['__q1_n', 'tostring(__q1) == "x"']]))];
    for (const d of VALUES) expect(keeps(st, 'truthy(d) and __q1_n > 0', rowOf(d))).toBe(keeps(st, '__q1_n > 0', rowOf(d)));
  });
});

describe('one count, whatever the order of its test\'s operands', () => {
  it('sortedJunctions: the same text for the same and/or operands in any order, inside parentheses too', () => {
    const a = 'tostring(e.a) != tostring(e.b) and truthy(e.b) and truthy(e.a)';
    const b = 'truthy(e.a) and tostring(e.a) != tostring(e.b) and truthy(e.b)';
    expect(sortedJunctions(a, KQL_LEX)).toBe(sortedJunctions(b, KQL_LEX));
    expect(sortedJunctions('x == "a" or (y == 1 and z == 2)', KQL_LEX)).toBe(sortedJunctions('(z == 2 and y == 1) or x == "a"', KQL_LEX));
    // strings are units: an ` and ` inside one is not an operator
    expect(sortedJunctions('x == "b and a"', KQL_LEX)).toBe('x == "b and a"');
    expect(sortedJunctions('x == 1 and y == 2 or z == 3', KQL_LEX)).not.toBe(sortedJunctions('x == 1 and (y == 2 or z == 3)', KQL_LEX));
  });

  it('a count is never negative: `__qN_n > 0` is the complement of `__qN_n == 0` (KQL evaluator)', () => {
    const run = (o: Out): string => printOut(simplifyInContext(o, KQL_READING, { and, or }), SYN);
    const o = or(and(text('tostring(e) == "x"'), text('__q1_n == 0')), text('__q1_n > 0'));
    expect(run(o)).toBe('tostring(e) == "x" or __q1_n > 0');
    const st = [renderApply(apply('__q1', 'd', [['__q1_n', 'tostring(__q1) == "x"']]))];
    for (const d of VALUES) {
      for (const e of [null, 'x', 'y'] as Json[]) expect(keeps(st, run(o), rowOf(d, e))).toBe(keeps(st, printOut(o, SYN), rowOf(d, e)));
    }
  });
});

describe('a count whose test holds only on an element that is not null: no index test', () => {
  const reading = kqlReading(new Map(), { counts: new Map([['__q2_n', '__q1.members']]), held: true });
  const real = (t: string): boolean => holdsOnlyWhere(t, reading, { key: 'isnull(__q1)', neg: true });
  const onlyReal = [
    'tostring(__q1.type) == "User"',
    'tostring(__q1) in ("ssh-keys", "sshKeys")',
    'tostring(__q1) in~ ("admin")',
    'gettype(__q1) in ("array", "dictionary")',
    'py_contains(__q1.ruleId, "Admin")',
    'truthy(__q1.id)',
    'isnotempty(tostring(__q1.id)) or tostring(__q1.type) endswith_cs "x"',
    'gettype(__q1) != "dictionary" and tostring(__q1) startswith_cs "a"',
    // an inner count above 0 over an array of the element: the element is a bag
    '__q2_n > 0',
  ];
  const maybeNull = [
    'tostring(__q1) !startswith_cs "127."',
    'tostring(__q1.type) == ""',
    'gettype(__q1) != "dictionary" or tostring(__q1.type) == "App"',
    'not(truthy(__q1))',
    'isempty(tostring(__q1.id))',
    'tostring(__q1) in ("", "a")',
  ];

  it('reads which tests hold only where the element is not null', () => {
    for (const t of onlyReal) expect(real(t), t).toBe(true);
    for (const t of maybeNull) expect(real(t), t).toBe(false);
  });

  it('the stage leaves the index out where every count is such a test, and keeps it where one is not', () => {
    const a = (tests: string[]): Apply => ({ v: '__q1', arr: 'd', inner: [], counts: tests.map((t, i) => ({ name: `__q${i + 1}_n`, test: t, or: / or /.test(t), ...(real(t) ? { real: true } : {}) })) });
    expect(renderApply(a(['tostring(__q1.type) == "User"']))).toBe('mv-apply __q1 = array_concat(coalesce(d, dynamic([])), dynamic([null])) on (summarize __q1_n = countif(tostring(__q1.type) == "User"))');
    expect(renderApply(a(['tostring(__q1.type) == "User"', 'truthy(__q1.id)']))).not.toContain('__q1_i');
    expect(renderApply(a(['tostring(__q1.type) == "User"', 'isempty(tostring(__q1.id))']))).toContain('where __q1_i < array_length(d) | summarize');
  });

  it('keeps the rows the guarded stage keeps (KQL evaluator)', () => {
    for (const t of onlyReal.filter((x) => !x.includes('__q2_n') && !x.includes('py_contains'))) {
      const guarded = [renderApply({ v: '__q1', arr: 'd', inner: [], counts: [{ name: '__q1_n', test: t, or: / or /.test(t) }] })];
      const bare = [renderApply({ v: '__q1', arr: 'd', inner: [], counts: [{ name: '__q1_n', test: t, or: / or /.test(t), real: true }] })];
      expect(bare[0]).not.toContain('__q1_i');
      for (const d of [...VALUES, [null, 'User'], [{ type: 'User' }, null]] as Json[]) {
        for (const pred of ['__q1_n > 0', '__q1_n == 0']) expect(keeps(bare, pred, rowOf(d)), `${t} ${pred} on ${JSON.stringify(d)}`).toBe(keeps(guarded, pred, rowOf(d)));
      }
    }
  });
});

describe('the sample rules', () => {
  const sample = (p: string, target: 'kql' | 'sentinel') => {
    const { rule } = liftFile(path.join(process.cwd(), p));
    const { output, proof } = renderProven(rule, target, ctx);
    return { rule, output, proof };
  };

  it('two any() over one list after its truthiness: one mv-apply, two counts, no truthiness test; exact, proven, valid', () => {
    const { rule, output, proof } = sample('rules/aws_waf/aws_waf_counted_rule_not_allowlisted.yml', 'kql');
    const q = output.text.split('\n').filter((l) => !l.startsWith('//')).join('\n');
    expect(q.match(/mv-apply/g)).toHaveLength(1);
    // each count's test holds only on an element that is a bag (a member of it compared with a constant): no index test
    expect(q).toContain('mv-apply __q1 = array_concat(coalesce(NonTerminatingMatchingRules, dynamic([])), dynamic([null])) on (summarize __q1_n = countif(');
    expect(q).not.toContain('__q1_i');
    expect(q).toContain('), __q2_n = countif(');
    expect(q).not.toMatch(/truthy|coalesce\(array_length\(NonTerminatingMatchingRules\), 0\)/);
    expect(output.fidelity).toBe('exact');
    expect(proof?.tests).toMatchObject({ passed: 5, failed: 0, notEvaluable: 0 });
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
  });

  it.each(['kql', 'sentinel'] as const)('%s: the same any() over two fields of one column counted once, its `if s` left out; exact, proven', (target) => {
    const { output, proof } = sample('rules/openai/openai_key_broad_scope.yml', target);
    expect(output.text.match(/mv-apply/g)).toHaveLength(1);
    expect(output.text).not.toContain('__q2');
    expect(output.text).not.toContain('truthy');
    expect(output.text).toContain('mv-apply __q1 = EventDetails.data.scopes on (where tostring(__q1) in~ ("admin", "all", "api_keys:write", "organization:write") | take 1)');
    expect(output.fidelity).toBe('exact');
    expect(proof?.tests).toMatchObject({ passed: 4, failed: 0, notEvaluable: 0 });
  });

  it('ids below the rule lists are strings by the mapping: substring tests, no index tests; exact, proven, valid', () => {
    const { rule, output, proof } = sample('rules/aws_waf/aws_waf_bot_control_group_matched.yml', 'kql');
    expect(output.text).toContain('countif(tostring(__q1.ruleId) contains_cs "AWSManagedRulesBotControlRuleSet")');
    expect(output.text).not.toMatch(/py_contains|with_itemindex|__q[0-9]_i/);
    expect(output.fidelity).toBe('exact');
    expect(proof?.tests).toMatchObject({ passed: 5, failed: 0, notEvaluable: 0 });
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
  });

  it('kql: the OpenAI query is valid (Kusto.Language)', () => {
    const { rule, output } = sample('rules/openai/openai_key_broad_scope.yml', 'kql');
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
  });
});
