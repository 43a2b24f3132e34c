/**
 * Logs Insights: a test the filters write twice or more is named once, `fields if(E, 1, 0) as Name`
 * (src/targets/cwl/names.ts), and the evaluator reads if() in `fields` (src/proof/cwl). Every rewrite is
 * checked by reading both texts back with the evaluator on events where the fields are absent, empty or
 * hold values the tests match or miss: the named query decides every event the unnamed one decides, alike.
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../src/ast/types.js';
import { loadMappings } from '../src/mapping/load.js';
import { projectCwl } from '../src/mapping/project/cwl.js';
import { compileCwl } from '../src/proof/cwl/index.js';
import { and, or, printOut, text as t, type Out } from '../src/targets/common/out.js';
import { cwlNameRepeatedTests, cwlTestName } from '../src/targets/cwl/names.js';
import { refusal } from './support.js';

const mapper = loadMappings();
const SYN = { and: ' and ', or: ' or ', true: '1 = 1', false: '1 = 0', parenthesiseAll: true };
const print = (o: Out) => printOut(o, SYN);
const query = (filters: string[], fields?: string | null) => `fields @timestamp\n${fields ? `| ${fields}\n` : ''}${filters.map((f) => `| filter ${f}\n`).join('')}| limit 10`;

function decide(q: string, log: Json): string {
  try {
    return String(compileCwl(q).matches(projectCwl(log, 'AWS.CloudTrail', mapper)));
  } catch {
    return 'refused';
  }
}

/** Name the tests of `conds`; the named query decides each event the written one decides, alike. */
function named(conds: Out[], logs: Json[], reserved: string[] = []) {
  const r = cwlNameRepeatedTests(conds, reserved);
  const before = query(conds.map(print));
  const after = query(r.conds.map(print), r.fields);
  const seen = new Set<string>();
  for (const log of logs) {
    const d = decide(before, log);
    seen.add(d);
    if (d !== 'refused') expect(decide(after, log), `${JSON.stringify(log)}\n${before}\n${after}`).toBe(d);
  }
  expect([...seen].sort().join(), before).toMatch(/false.*true/);
  return { fields: r.fields, filters: r.conds.map(print), names: r.names, after };
}

const VALUES = ['', 'a', 'b', 'x', 'ab'];
const grid = (fields: string[]): Json[] => {
  let out: Record<string, string>[] = [{}];
  for (const f of fields) out = out.flatMap((o) => [o, ...VALUES.map((v) => ({ ...o, [f]: v }))]);
  return out;
};

describe('Logs Insights: a repeated test named once with if()', () => {
  it('an if-then-else on one test: the test once, its uses `N = 1` and (guarded) `N = 0`; the guard goes', () => {
    // (E and A) or (not E and B), E = eventName in [...], the complement guarded as the printer writes it
    const e = 'eventName in ["a", "b"]';
    const c = or(and(t(e), t('userName = "a"')), and(or(t('not (ispresent(eventName))'), t(`not (${e})`)), t('userName = "b"')));
    const r = named([c], grid(['eventName', 'userName']));
    expect(r.fields).toBe('fields if(eventName in ["a", "b"], 1, 0) as EventNameInAB');
    expect(r.filters).toEqual(['(EventNameInAB = 1 and userName = "a") or (EventNameInAB = 0 and userName = "b")']);
  });

  it('a negated comparison where the field may be absent and nothing covers that stays as written', () => {
    const c = [or(t('eventName = "a"'), t('userName = "a"')), or(t('not (eventName = "a")'), t('userName = "b"'))];
    const r = cwlNameRepeatedTests(c, []);
    expect(r.fields).toBeNull();
    expect(r.conds).toBe(c);
  });

  it('covered by another filter (the field present, or not empty) or an `isempty(x)` in the same or', () => {
    const a = named([t('not (isempty(eventName))'), or(t('eventName = "a"'), t('userName = "a"')), or(t('not (eventName = "a")'), t('userName = "b"'))], grid(['eventName', 'userName']));
    expect(a.filters).toEqual(['not (isempty(eventName))', 'EventNameIsA = 1 or userName = "a"', 'EventNameIsA = 0 or userName = "b"']);
    const b = named([or(t('eventName = "a"'), t('userName = "a"')), or(t('isempty(eventName)'), t('eventName != "a"'), t('userName = "b"'))], grid(['eventName', 'userName']));
    // isempty(x) is a test of its own (x may be "" and present): it stays
    expect(b.filters).toEqual(['EventNameIsA = 1 or userName = "a"', 'isempty(eventName) or EventNameIsA = 0 or userName = "b"']);
  });

  it('a negated comparison whose absent case the whole query decides: named (another filter needs the field wherever the test matters)', () => {
    // where eventName = "a", filter 1 needs userName not empty; filter 3's negated test matters only there
    const g = grid(['eventName', 'userName', 'sourceIPAddress']);
    const a = named([or(t('not (isempty(userName))'), t('not (eventName = "a")')), or(and(t('eventName = "a"'), t('userName =~ /x/')), t('sourceIPAddress = "b"')), or(t('not (eventName = "a")'), t('not (userName =~ /x/)'))], g);
    expect(a.fields).toBe('fields if(userName =~ /x/, 1, 0) as UserNameMatches');
    expect(a.filters).toEqual(['not (isempty(userName)) or not (eventName = "a")', '(eventName = "a" and UserNameMatches = 1) or sourceIPAddress = "b"', 'not (eventName = "a") or UserNameMatches = 0']);
    // the values of one field are read together: eventName in ["a", "b"] fails only where eventName = "a" fails too
    const b = named([or(t('eventName = "a"'), t('not (isempty(userName))')), or(t('eventName in ["a", "b"]'), t('not (userName =~ /x/)')), or(t('userName =~ /x/'), t('sourceIPAddress = "b"'))], g);
    expect(b.filters).toEqual(['eventName = "a" or not (isempty(userName))', 'eventName in ["a", "b"] or UserNameMatches = 0', 'UserNameMatches = 1 or sourceIPAddress = "b"']);
  });

  it('the whole query decides it beside many tests of other fields (more assignments than a search visits)', () => {
    // as above, and a filter of 16 independent alternatives on fields the negated test does not read
    const core = [or(t('not (isempty(userName))'), t('not (eventName = "a")')), or(and(t('eventName = "a"'), t('userName =~ /x/')), t('sourceIPAddress = "b"')), or(t('not (eventName = "a")'), t('not (userName =~ /x/)'))];
    const wide = and(...Array.from({ length: 16 }, (_, i) => or(t(`g${i} =~ /p/`), t(`h${i} =~ /q/`))));
    // read back on events where the alternatives hold (by one field or the other) or one fails
    const alt = (i: number): Record<string, string> => ({ [`${i % 2 ? 'g' : 'h'}${i}`]: i % 2 ? 'p' : 'q' });
    const every = Object.assign({}, ...Array.from({ length: 16 }, (_, i) => alt(i)));
    const logs = grid(['eventName', 'userName', 'sourceIPAddress']).flatMap((l) => [{ ...l, ...every }, { ...l, ...every, h4: 'x' }]);
    const r = named([...core, wide], logs);
    expect(r.fields).toBe('fields if(userName =~ /x/, 1, 0) as UserNameMatches');
    expect(r.filters.slice(0, 3)).toEqual(['not (isempty(userName)) or not (eventName = "a")', '(eventName = "a" and UserNameMatches = 1) or sourceIPAddress = "b"', 'not (eventName = "a") or UserNameMatches = 0']);
    // where an event without userName is decided by the negated test (eventName = "a"), it stays as written
    const open = [or(t('eventName = "a"'), t('not (isempty(userName))')), or(t('eventName = "b"'), t('not (userName =~ /x/)')), or(t('userName =~ /x/'), t('sourceIPAddress = "b"')), wide];
    expect(cwlNameRepeatedTests(open, []).fields).toBeNull();
  });

  it('and stays as written where an event with the field absent would be decided by it', () => {
    // eventName = "a" keeps filter 1 without userName; filter 2 then rests on the negated test
    const c = [or(t('eventName = "a"'), t('not (isempty(userName))')), or(t('eventName = "b"'), t('not (userName =~ /x/)')), or(t('userName =~ /x/'), t('sourceIPAddress = "b"'))];
    const r = cwlNameRepeatedTests(c, []);
    expect(r.fields).toBeNull();
    expect(r.conds).toBe(c);
  });

  it('presence and emptiness: `isempty(x)` twice, or with its complement', () => {
    const r = named([or(t('isempty(userName)'), t('eventName = "a"')), or(t('not (isempty(userName))'), t('eventName = "b"'))], grid(['eventName', 'userName']));
    expect(r.fields).toBe('fields if(isempty(userName), 1, 0) as UserNameIsEmpty');
    expect(r.filters).toEqual(['UserNameIsEmpty = 1 or eventName = "a"', 'UserNameIsEmpty = 0 or eventName = "b"']);
  });

  it('`N = 1 or N = 0` is true: the filter goes, and with it a name no filter reads', () => {
    const c = [t('userName = "a"'), or(t('not (ispresent(eventName))'), t('eventName = "a"'), t('eventName != "a"'))];
    const r = named(c, grid(['eventName', 'userName']));
    expect(r.filters).toEqual(['userName = "a"']);
    expect(r.fields).toBeNull();
  });

  it('names: after the test, never a word of the query (in any casing), unique, independent of operand order', () => {
    expect(cwlTestName('protoPayload.authenticationInfo.principalEmail like "serviceaccount"')).toBe('PrincipalEmailLikeServiceaccount');
    expect(cwlTestName('isempty(`parameters.target_user`)')).toBe('TargetUserIsEmpty');
    expect(cwlTestName('actionName in ["a", "b", "c"]')).toBe('ActionNameInAAnd2More');
    expect(cwlTestName('usage.totalTokens > 3000')).toBe('TotalTokensAbove3000');
    const x = 'eventName = "a"';
    const y = 'userName = "b"';
    const c1 = [or(t(x), t(y)), or(and(t(x), t('z = "1"')), and(t(y), t('z = "2"')))];
    const c2 = [or(and(t(y), t('z = "2"')), and(t(x), t('z = "1"'))), or(t(y), t(x))];
    const r1 = cwlNameRepeatedTests(c1, ['fields eventnameisa']);
    const r2 = cwlNameRepeatedTests(c2, ['fields eventnameisa']);
    expect(r1.fields).toBe('fields if(eventName = "a", 1, 0) as EventNameIsA2, if(userName = "b", 1, 0) as UserNameIsB');
    expect(r2.fields).toBe(r1.fields);
  });
});

describe('Logs Insights evaluator: if() in fields', () => {
  const ev = (log: Json) => projectCwl(log, 'AWS.CloudTrail', mapper);
  const run = (q: string, log: Json) => compileCwl(q).matches(ev(log));

  it('is trueValue where the condition is true, falseValue otherwise (an absent field included)', () => {
    const q = (f: string) => `fields @timestamp | fields if(eventName = "a", 1, 0) as N | filter ${f}`;
    expect(run(q('N = 1'), { eventName: 'a' })).toBe(true);
    expect(run(q('N = 1'), { eventName: 'b' })).toBe(false);
    expect(run(q('N = 0'), { eventName: 'b' })).toBe(true);
    // not (eventName = "a") is undecided on an absent field; N = 0 is decided
    expect(run(q('N = 0'), {})).toBe(true);
    expect(refusal(() => run('fields @timestamp | filter not (eventName = "a")', {}))).toMatch(/absent field/);
    expect(run('fields @timestamp | fields if(isempty(x), "yes", "no") as E | filter E = "yes"', {})).toBe(true);
  });

  it('refuses what it does not read', () => {
    const r = (q: string, log: Json = {}) => refusal(() => run(q, log));
    expect(r('fields @timestamp | filter a = "1" | fields if(a = "1", 1, 0) as N | filter N = 1')).toMatch(/after a filter/);
    expect(r('fields @timestamp | fields if(a = "1", 1, 0) as N, if(N = 1, 1, 0) as M | filter M = 1')).toMatch(/another if/);
    expect(r('fields @timestamp | fields if(a = "1", 1, 0) as N | filter N = 1', { N: 1 })).toMatch(/spelled like the name/);
    expect(r('fields @timestamp | fields if(a = "1", b, 0) as N | filter N = 1')).toMatch(/only string and number literals/);
    expect(r('fields @timestamp | fields if(a = "1", 1, 0) | filter a = 1')).toMatch(/without `as name`/);
  });
});
