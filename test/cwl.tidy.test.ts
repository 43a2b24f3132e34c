/**
 * Logs Insights: a test said once (src/targets/cwl/tidy.ts). Every rewrite is checked by reading both
 * texts back with the evaluator (src/proof/cwl) on events where the field is absent, empty, or holds
 * values each pattern matches or misses: the two decide alike (or both refuse).
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { projectCwl } from '../src/mapping/project/cwl.js';
import { compileCwl } from '../src/proof/cwl/index.js';
import { and, or, printOut, text as t, type Out } from '../src/targets/common/out.js';
import { joinBodies } from '../src/targets/common/rejoin.js';
import { cwlConjuncts, joinCwlRegexes, readCwlRe } from '../src/targets/cwl/tidy.js';

const mapper = loadMappings();
const SYN = { and: ' and ', or: ' or ', true: '1 = 1', false: '1 = 0', parenthesiseAll: true };
const query = (filters: string[]) => `fields @timestamp\n${filters.map((f) => `| filter ${f}\n`).join('')}| limit 10`;
const print = (o: Out) => printOut(o, SYN);

function decide(q: string, log: Json): string {
  try {
    return String(compileCwl(q).matches(projectCwl(log, 'AWS.CloudTrail', mapper)));
  } catch (e) {
    return `refused`;
  }
}

/** The tidied filters decide every event as the printed condition does. */
function same(o: Out, logs: Json[]): string[] {
  const before = query([print(o)]);
  const filters = cwlConjuncts(o).map(print);
  const after = query(filters);
  const seen = new Set<string>();
  for (const log of logs) {
    const d = decide(before, log);
    seen.add(d);
    expect(decide(after, log), `${JSON.stringify(log)}\n${before}\n${after}`).toBe(d);
  }
  // the events tell the texts apart: some are kept, some dropped
  expect([...seen].sort().join(), before).toMatch(/false.*true/);
  return filters;
}

const VALUES = ['', 'Describe', 'DescribeX', 'Get', 'xGet', 'GetList', 'ListBuckets', 'List', 'a/External/b', 'External/x', 'other', 'DESCRIBE'];
const logs = (field: string) => [{}, { other: 'x' }, ...VALUES.map((v) => ({ [field]: v }))];

describe('Logs Insights: regex and substring tests joined per field', () => {
  it('reads the printed tests', () => {
    expect(readCwlRe('eventName =~ /(?i)^Get/')).toEqual({ neg: false, field: 'eventName', flags: '(?i)', body: '^Get' });
    expect(readCwlRe('not (`a.b` like "x/y")')).toEqual({ neg: true, field: '`a.b`', flags: '', body: 'x\\x2fy' });
    expect(readCwlRe('eventName = "Get"')).toBeNull();
    expect(readCwlRe('not (eventName =~ /a/) or x =~ /b/')).toBeNull();
  });

  it('in an or: one alternation; prefixes share their anchor', () => {
    const o = or(t('eventName =~ /^Describe/'), t('eventName =~ /^Get/'), t('eventName =~ /^List/'));
    expect(same(o, logs('eventName'))).toEqual(['eventName =~ /^(?:Describe|Get|List)/']);
    const m = or(t('eventName like "External/"'), t('eventName =~ /^Get/'), t('other = "x"'));
    expect(same(m, [...logs('eventName'), { eventName: 'Get', other: 'x' }])).toEqual(['eventName =~ /External\\x2f|^Get/ or other = "x"']);
  });

  it('in an and: the negated tests as one negated alternation', () => {
    const o = and(t('not (eventName =~ /^Describe/)'), t('not (eventName like "Get")'), t('other = "x"'));
    const withOther = logs('eventName').map((l) => ({ ...l, other: 'x' }));
    expect(same(o, [...logs('eventName'), ...withOther])).toEqual(['not (eventName =~ /^Describe|Get/)', 'other = "x"']);
  });

  it('leaves apart what is not one junction of one polarity, field and flags', () => {
    // positive tests in an and, negated ones in an or, other fields, other flags
    const cases: Out[] = [
      and(t('eventName =~ /^Get/'), t('eventName =~ /List/')),
      or(t('not (eventName =~ /^Get/)'), t('not (eventName =~ /List/)')),
      or(t('eventName =~ /^Get/'), t('eventSource =~ /^Get/')),
      or(t('eventName =~ /(?i)^get/'), t('eventName =~ /^List/')),
    ];
    for (const o of cases) expect(print(joinCwlRegexes(o))).toBe(print(o));
  });

  it('a scoped flag group is left as it is, an unscoped one is fenced; the joined text still decides alike', () => {
    const o = or(t('eventName =~ /(?i)^adm(?-i:[Ii])n/'), t('eventName =~ /(?i)^root/'));
    expect(same(o, [...logs('eventName'), { eventName: 'ADMIN' }, { eventName: 'adMin' }, { eventName: 'Root' }])).toEqual(['eventName =~ /(?i)^(?:adm(?-i:[Ii])n|root)/']);
    // `(?i)` inside a body would reach into the next alternative (the evaluator's portable reading
    // refuses such a pattern, and the printer writes none: checked on the text only)
    expect(joinBodies(['a(?i)b', '^c'])).toBe('(?:a(?i)b)|^c');
    expect(joinBodies(['^a(?i)b', '^c'])).toBe('^(?:(?:a(?i)b)|c)');
    expect(joinBodies(['^a|b', '^c'])).toBe('^a|b|^c');
  });

  it('a group under a presence guard (the printer\'s negated literals) is joined inside it', () => {
    const g = (s: string) => or(t('not (ispresent(eventName))'), t(`not (eventName =~ /${s}/)`));
    const o = and(g('^Get'), g('^List'));
    expect(same(o, logs('eventName'))).toEqual(['not (ispresent(eventName)) or not (eventName =~ /^(?:Get|List)/)']);
  });
});

describe('Logs Insights: a guarded complement read as the complement of its test', () => {
  const G = (f: string, test: string) => or(t(`not (ispresent(${f}))`), t(`not (${test})`));
  const ev = [{}, { eventName: '' }, { eventName: 'Get' }, { eventName: 'List' }, { eventName: 'x' }, { eventName: 'Get', errorCode: 'e' }, { errorCode: 'e' }, { errorCode: '' }, { eventName: 'List', errorCode: '' }];

  it('a test or its guarded complement is always true; a test and its guarded complement never', () => {
    const p = 'eventName in ["Get", "List"]';
    expect(cwlConjuncts(or(t(p), G('eventName', p)))).toEqual([]);
    expect(cwlConjuncts(and(t(p), G('eventName', p), t('errorCode = "e"'))).map(print)).toEqual(['1 = 0']);
    // `x != v` is the negated test the printer writes for `x = v`
    expect(cwlConjuncts(or(t('eventName = "Get"'), or(t('not (ispresent(eventName))'), t('eventName != "Get"'))))).toEqual([]);
  });

  it('decided inside the other branch of an if-then-else shape', () => {
    const p = 'eventName in ["Get", "List"]';
    // (P and A) or (not P and B), and inside B the test P again: decided false there
    const o = or(and(t(p), t('errorCode = "e"')), and(G('eventName', p), or(t(p), t('isempty(errorCode)'))));
    expect(same(o, ev)).toEqual(['(eventName in ["Get", "List"] and errorCode = "e") or ((not (ispresent(eventName)) or not (eventName in ["Get", "List"])) and isempty(errorCode))']);
  });

  it('a guard distributed over an and to reach the negated test, and factored out again', () => {
    const p = 'eventName = "Get"';
    const o = and(t(p), or(t('not (ispresent(eventName))'), and(t('not (eventName = "Get")'), t('errorCode = "e"'))));
    expect(cwlConjuncts(o).map(print)).toEqual(['1 = 0']);
    const q = or(t('errorCode = "e"'), or(t('not (ispresent(eventName))'), and(t('not (eventName = "Get")'), t('not (eventName = "List")'))));
    expect(same(q, ev)).toEqual(['errorCode = "e" or not (ispresent(eventName)) or (not (eventName = "Get") and not (eventName = "List"))']);
  });

  it('isempty(x) is a guard too: `not (P) or isempty(x)` is the complement of P or isempty(x)', () => {
    const u = { k: 'text' as const, s: 'eventName like "Get"' };
    // (not P or isempty) and (P or B): P is decided false in the second filter (P implies not isempty)
    const o = and(or(t('not (eventName like "Get")'), t('isempty(eventName)')), or(u, t('errorCode = "e"')));
    expect(same(o, ev)).toEqual(['not (ispresent(eventName)) or not (eventName like "Get")', 'errorCode = "e"']);
    // with a test that holds on "" (`x = ""`), isempty stays
    const e = and(or(t('not (eventName = "")'), t('isempty(eventName)')), or(t('eventName = ""'), t('errorCode = "e"')));
    expect(same(e, [...ev, { eventName: '', errorCode: 'x' }])).toEqual([print(or(t('not (eventName = "")'), t('isempty(eventName)'))), 'eventName = "" or errorCode = "e"']);
  });

  it('a negated test without its guard is no complement (its value on an absent field is undocumented)', () => {
    const p = 'eventName = "Get"';
    const o = or(t(p), t('not (eventName = "Get")'));
    expect(cwlConjuncts(o).map(print)).toEqual(['eventName = "Get" or not (eventName = "Get")']);
    // nor a guard on another field
    const q = or(t(p), or(t('not (ispresent(errorCode))'), t('not (eventName = "Get")')));
    expect(cwlConjuncts(q).map(print)).toEqual([print(q)]);
  });

  it('a test implies its field is present, and not empty for non-empty strings', () => {
    expect(same(and(t('eventName = "Get"'), t('ispresent(eventName)'), t('not (isempty(eventName))')), ev)).toEqual(['eventName = "Get"']);
    // an empty string in the list: the value may be empty
    expect(cwlConjuncts(and(t('eventName in ["", "Get"]'), t('not (isempty(eventName))'))).map(print)).toEqual(['eventName in ["", "Get"]', 'not (isempty(eventName))']);
  });
});
