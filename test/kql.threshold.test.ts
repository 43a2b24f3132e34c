/**
 * KQL and Sentinel thresholds in Panther's dedup window (src/targets/kql/threshold.ts): per dedup key, a
 * window opens at the first matching event and lasts DedupPeriodMinutes; `sort | extend
 * row_window_session(...) | summarize ... by keys, FirstSeen | where EventCount >= N` counts exactly those
 * windows. The evaluator (src/proof/kql/eval.ts) reads that form back and describes it; the proof
 * (src/proof/index.ts, kqlThresholdGap) keeps an artifact exact only when it counts Panther's window.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Json, Rule, TitlePart, Val } from '../src/ast/types.js';
import { customKqlTables, ruleMapper } from '../src/mapping/custom.js';
import { checkKql } from '../src/mapping/kusto.js';
import { loadMappings } from '../src/mapping/load.js';
import { liftFile } from '../src/pipeline.js';
import { kqlThresholdGap, proveOutput, renderProven } from '../src/proof/index.js';
import { artifactQuery, eventRows, kqlProof } from '../src/proof/kql/index.js';
import { compileQuery } from '../src/proof/kql/eval.js';
import { evaluateKeyCases } from '../src/ast/evaluate.js';
import { stringParts } from '../src/targets/common/dedup.js';
import type { KqlColumn } from '../src/targets/kql/index.js';
import { unionThreshold, type ThresholdPlan } from '../src/targets/kql/threshold.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import { validateAnalyticRule } from '../src/targets/sentinel/schema.js';
import type { RenderContext } from '../src/targets/types.js';
import { refusal } from './support.js';

const mapper = loadMappings();
const ctx: RenderContext = { mapper, templatesDir: defaultTemplatesDir() };
const ROOT = process.cwd();
const DENIED = path.join(ROOT, 'rules/aws_cloudtrail/aws_repeated_access_denied.yml');
const PUSH = path.join(ROOT, 'rules/simple/okta_mfa_push_denied_repeatedly.yml');

const ev: Val = { k: 'event' };
const lit = (v: Json): Val => ({ k: 'lit', v });
const get = (...keys: string[]): Val => keys.reduce<Val>((o, key) => ({ k: 'get', obj: o, key }), ev);
const str = (v: Val): Val => ({ k: 'fn', fn: 'str', args: [v] });
const concat = (...args: Val[]): Val => ({ k: 'fn', fn: 'concat', args });

/** The query lines after the last `where` of the condition (the threshold tail). */
const tail = (text: string): string[] => text.split('\n').filter((l) => /^\| (extend|sort|summarize)|^\| where EventCount/.test(l));


describe('threshold rules with one and two dedup keys', () => {
  it('a dedup() f-string of two fields: grouped by both, counted in windows opening at the first event, exact', () => {
    const { rule } = liftFile(DENIED);
    // dedup() returning f"{userIdentity.arn}:{sourceIPAddress}"
    const two = { ...rule, aggregation: { threshold: 5, windowMinutes: 15, groupBy: [concat(str(get('userIdentity', 'arn')), lit(':'), str(get('sourceIPAddress')))] } };
    const { output, proof } = renderProven(two, 'kql', ctx);
    expect(tail(output.text)).toEqual([
      '| sort by UserIdentityArn asc, SourceIpAddress asc, TimeGenerated asc',
      '| extend FirstSeen = row_window_session(TimeGenerated, 15m, 15m, UserIdentityArn != prev(UserIdentityArn) or SourceIpAddress != prev(SourceIpAddress))',
      '| summarize EventCount = count(), LastSeen = max(TimeGenerated), arg_min(TimeGenerated, ErrorCode, EventName, EventSource) by UserIdentityArn, SourceIpAddress, FirstSeen',
      '| where EventCount >= 5',
    ]);
    expect(output.fidelity).toBe('exact');
    expect(output.reasons).toEqual([]);
    expect(proof?.aggregation).toBe('count >= 5 by UserIdentityArn, SourceIpAddress in 15m windows opening at the first event');
    expect(proof?.tests).toMatchObject({ passed: 6, failed: 0, notEvaluable: 0 });
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
  });

  it('the sample with one dedup() key, as committed', () => {
    const { rule } = liftFile(DENIED);
    const { output, proof } = renderProven(rule, 'kql', ctx);
    expect(tail(output.text).slice(0, 2)).toEqual([
      '| sort by UserIdentityArn asc, TimeGenerated asc',
      '| extend FirstSeen = row_window_session(TimeGenerated, 30m, 30m, UserIdentityArn != prev(UserIdentityArn))',
    ]);
    expect(output.fidelity).toBe('exact');
    expect(proof?.aggregation).toBe('count >= 10 by UserIdentityArn in 30m windows opening at the first event');
  });

  it('a simple detection with two GroupBy keys, in Sentinel: the same query, a valid rule, the schedule stated', () => {
    const { rule } = liftFile(PUSH);
    const { output, proof } = renderProven(rule, 'sentinel', ctx);
    const doc = parseYaml(output.text) as Record<string, unknown>;
    expect(validateAnalyticRule(doc)).toEqual([]);
    expect(tail(doc.query as string)).toEqual([
      '| sort by OriginalActorAlternateId asc, SrcIpAddr asc, TimeGenerated asc',
      '| extend FirstSeen = row_window_session(TimeGenerated, 10m, 10m, OriginalActorAlternateId != prev(OriginalActorAlternateId) or SrcIpAddr != prev(SrcIpAddr))',
      '| summarize EventCount = count(), LastSeen = max(TimeGenerated) by OriginalActorAlternateId, SrcIpAddr, FirstSeen',
      '| where EventCount >= 3',
    ]);
    expect(output.fidelity).toBe('exact');
    expect(proof?.aggregation).toBe('count >= 3 by OriginalActorAlternateId, SrcIpAddr in 10m windows opening at the first event');
    expect(doc.description).toContain("Threshold: 3 matching events with the same dedup key within 10 minutes of the first (Panther's dedup window). Each run (every 10m) reads the last 10m");
    expect([doc.queryFrequency, doc.queryPeriod]).toEqual(['10m', '10m']);
    expect(checkKql(doc.query as string, { tables: customKqlTables(mapper, rule) })).toEqual([]);
  });
});

describe('the outputs of a window: the first event\'s alert context, the summary attributes collected', () => {
  it('an alert_context output is the first row\'s value (arg_min), a summary attribute the set of the window\'s values', () => {
    const { rule } = liftFile(DENIED);
    const outputs: Rule['outputs'] = [
      { name: 'sourceIPAddress', value: get('sourceIPAddress'), source: 'alert_context' },
      { name: 'bucket', value: get('requestParameters', 'bucketName'), source: 'alert_context' },
      { name: 'eventName', value: get('eventName'), source: 'summary' },
    ];
    const mixed = { ...rule, outputs };
    const { output, proof } = renderProven(mixed, 'kql', ctx);
    expect(tail(output.text)[2]).toBe(
      '| summarize EventCount = count(), LastSeen = max(TimeGenerated), arg_min(TimeGenerated, SourceIpAddress, bucket = parse_json(RequestParameters).bucketName), EventName = make_set(EventName, 100) by UserIdentityArn, FirstSeen',
    );
    expect(output.fidelity).toBe('exact');
    expect(proof?.aggregation).toBe('count >= 10 by UserIdentityArn in 30m windows opening at the first event');
    // Kusto.Language names arg_min's columns as written: a query reading them after the summarize binds
    const text = `${output.text.trimEnd()}\n| project TimeGenerated, SourceIpAddress, bucket, EventName`;
    expect(checkKql(text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
    expect(checkKql(`${output.text.trimEnd()}\n| project nosuch`).map((d) => d.code)).toEqual(['KS142']);
    // the first event's address is a string column: Sentinel maps it as the alert's IP entity; the set is a custom detail only
    const doc = parseYaml(renderRule(mixed, 'sentinel', ctx).text) as Record<string, unknown>;
    expect(validateAnalyticRule(doc)).toEqual([]);
    expect(doc.entityMappings).toEqual([{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'SourceIpAddress' }] }]);
    expect(Object.values(doc.customDetails as Record<string, string>)).toEqual(['EventCount', 'SourceIpAddress', 'bucket', 'EventName']);
  });

  it('the sample without alert context: its summary attributes are collected over the window as sets, exact', () => {
    const { rule } = liftFile(path.join(ROOT, 'rules/simple/okta_many_account_lockouts.yml'));
    expect(rule.outputs.map((o) => o.source)).toEqual(['summary', 'summary']);
    const { output, proof } = renderProven(rule, 'kql', ctx);
    expect(tail(output.text)[2]).toBe(
      '| summarize EventCount = count(), LastSeen = max(TimeGenerated), OriginalActorAlternateId = make_set(OriginalActorAlternateId, 100), EventOriginalResultDetails = make_set(EventOriginalResultDetails, 100) by SrcIpAddr, FirstSeen',
    );
    expect(output.fidelity).toBe('exact');
    expect(proof?.tests).toMatchObject({ passed: 3, failed: 0, notEvaluable: 0 });
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
    // a set is no entity: the Sentinel rule maps only the key's address, and keeps the sets as custom details
    const doc = parseYaml(renderRule(rule, 'sentinel', ctx).text) as Record<string, unknown>;
    expect(validateAnalyticRule(doc)).toEqual([]);
    expect(doc.entityMappings).toEqual([{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'SrcIpAddr' }] }]);
    expect(Object.values(doc.customDetails as Record<string, string>)).toEqual(['EventCount', 'OriginalActorAlternateId', 'EventOriginalResultDetails']);
  });
});

describe('the dedup key', () => {
  const base = liftFile(DENIED).rule;
  const withKey = (over: Partial<Rule>): Rule => ({ ...base, notes: [], ...over, aggregation: { threshold: 5, windowMinutes: 15, groupBy: [], ...over.aggregation } });
  const codes = (r: Rule): string[] => renderRule(r, 'kql', ctx).reasons.map((x) => x.code);

  it('the fields a key or title is printed from: field, str(field), f-strings; else null', () => {
    expect(stringParts(get('a'))).toEqual([get('a')]);
    expect(stringParts(concat(lit('p_'), str(get('a')), lit(':'), get('b')))).toEqual([get('a'), get('b')]);
    expect(stringParts(lit('const'))).toEqual([]);
    expect(stringParts({ k: 'fn', fn: 'lower', args: [get('a')] })).toBeNull();
    expect(stringParts(concat(get('a'), { k: 'fn', fn: 'len', args: [get('b')] }))).toBeNull();
  });

  it('without dedup(): the fields of the alert title', () => {
    const title: TitlePart[] = [{ text: 'user ' }, { value: get('userIdentity', 'arn') }, { text: ' in ' }, { value: str(get('awsRegion')) }];
    const r = withKey({ title });
    const text = renderRule(r, 'kql', ctx).text;
    expect(text).toContain('| sort by UserIdentityArn asc, AWSRegion asc, TimeGenerated asc\n');
    expect(codes(r)).toEqual([]);
  });

  it('a constant title or none: one window sequence for the rule', () => {
    for (const title of [undefined, [{ text: 'constant' }]]) {
      const r = withKey({ title });
      const text = renderRule(r, 'kql', ctx).text;
      expect(text).toContain('| sort by TimeGenerated asc\n| extend FirstSeen = row_window_session(TimeGenerated, 15m, 15m)\n');
      expect(text).toContain(' by FirstSeen\n| where EventCount >= 5');
      expect(codes(r)).toEqual([]);
    }
  });

  it('a dedup() or title that could not be lifted, or a computed title, loses the key: declared, wider', () => {
    const note = (code: string) => ({ code, message: 'x() could not be lifted', file: 'f', line: 1 });
    expect(codes(withKey({ notes: [note('output-dedup')] }))).toEqual(['target-threshold-key']);
    expect(codes(withKey({ notes: [note('output-title')] }))).toEqual(['target-threshold-key']);
    const computed = withKey({ title: [{ value: { k: 'fn', fn: 'lower', args: [get('userIdentity', 'arn')] } }] });
    const out = renderRule(computed, 'kql', ctx);
    expect(out.reasons.map((x) => [x.code, x.direction])).toEqual([['target-threshold-key', 'wider']]);
    expect(out.text).toContain('| sort by TimeGenerated asc\n');
  });

  it('a dynamic member key is made a string column first; a constant dedup string is no key', () => {
    const r = withKey({ aggregation: { threshold: 5, windowMinutes: 15, groupBy: [get('requestParameters', 'bucketName'), lit('same-for-all')] } });
    const t = tail(renderRule(r, 'kql', ctx).text);
    expect(t[0]).toBe('| extend key_requestParameters_bucketName = tostring(parse_json(RequestParameters).bucketName)');
    expect(t[1]).toBe('| sort by key_requestParameters_bucketName asc, TimeGenerated asc');
    expect(t[3]).toMatch(/ by key_requestParameters_bucketName, FirstSeen$/);
  });

  it('a dedup period that is not a whole number of minutes is declared', () => {
    const r = withKey({ aggregation: { threshold: 5, windowMinutes: 7.5, groupBy: [get('sourceIPAddress')] } });
    const out = renderRule(r, 'kql', ctx);
    expect(out.reasons.map((x) => x.code)).toEqual(['target-threshold-window']);
    expect(out.text).toContain('row_window_session(TimeGenerated, 8m, 8m, ');
  });
});

describe('reading the window back', () => {
  const q = (t: string): string => `T\n| where s == "x"\n${t}`;
  const OK = '| sort by K asc, L asc, TimeGenerated asc\n| extend W = row_window_session(TimeGenerated, 30m, 30m, K != prev(K) or L != prev(L))\n| summarize N = count(), F = min(TimeGenerated) by K, L, W\n| where N >= 10';

  it('describes Panther\'s window; the per-event part is what comes before the sort', () => {
    const art = kqlProof.compile(q(OK), 'kql');
    expect(art.aggregation).toBe('count >= 10 by K, L in 30m windows opening at the first event');
    const row = (s: string) => ({ tables: ['T'], columns: { s }, types: { s: 'string' }, tableColumns: {} });
    expect(art.matches(row('x'))).toBe(true);
    expect(art.matches(row('y'))).toBe(false);
    // any direction of the keys, a longer neighbour distance, restart keys in another order: the same windows
    const same = OK.replace('K asc, L asc', 'L desc, K').replace('30m, 30m', '30m, 1h').replace('K != prev(K) or L != prev(L)', 'L != prev(L) or K != prev(K)');
    expect(kqlProof.compile(q(same), 'kql').aggregation).toBe('count >= 10 by L, K in 30m windows opening at the first event');
    expect(kqlProof.compile(q('| sort by TimeGenerated asc\n| extend W = row_window_session(TimeGenerated, 1h, 1h)\n| summarize N = count() by W\n| where N > 2'), 'kql').aggregation).toBe(
      'count > 2 in 1h windows opening at the first event',
    );
  });

  it.each([
    ['time not ascending (sort defaults to desc)', OK.replace('TimeGenerated asc', 'TimeGenerated')],
    ['time sorted before a key', OK.replace('K asc, L asc, TimeGenerated asc', 'K asc, TimeGenerated asc, L asc')],
    ['a key the restart does not test', OK.replace(' or L != prev(L)', '')],
    ['no restart with keys', OK.replace(', K != prev(K) or L != prev(L)', '')],
    ['a restart on another key', OK.replace('L != prev(L)', 'L != prev(K)')],
    ['neighbours closer than the window', OK.replace('30m, 30m', '30m, 5m')],
    ['grouped by another set of keys', OK.replace('by K, L, W', 'by K, W')],
    ['grouped without the window', OK.replace('by K, L, W', 'by K, L')],
    ['no threshold on the count', OK.replace('| where N >= 10', '| where F > datetime(2024-01-01)')],
    ['an operator after the threshold', `${OK}\n| where N < 20`],
  ])('not Panther\'s window: %s', (_, t) => {
    const agg = kqlProof.compile(q(t), 'kql').aggregation!;
    expect(agg).not.toMatch(/windows opening at the first event/);
    expect(agg).toContain('summarize');
  });

  it('a sort anywhere else is refused (the rows after it would not be read per event)', () => {
    expect(refusal(() => kqlProof.compile('T | sort by a asc | where s == "x"', 'kql'))).toMatch(/sort outside a threshold/);
    expect(refusal(() => kqlProof.compile('T | sort by a asc | extend W = row_window_session(TimeGenerated, 1h, 1h) | where s == "x"', 'kql'))).toMatch(/sort outside/);
    expect(refusal(() => kqlProof.compile('T | extend W = row_window_session(TimeGenerated, 1h, 1h) | summarize count() by W', 'kql'))).toMatch(/row_window_session/);
  });
});

describe('the proof compares the stated aggregation with the rule\'s threshold', () => {
  const r = (threshold: number | undefined, windowMinutes = 30): Rule =>
    ({ aggregation: threshold === undefined ? undefined : { threshold, windowMinutes, groupBy: [] } }) as unknown as Rule;
  it.each([
    [10, 30, 'count >= 10 by K in 30m windows opening at the first event', null],
    [10, 60, 'count > 9 in 1h windows opening at the first event', null],
    [10, 30, 'count >= 10 by K in 30m bins', 'the query counts count >= 10 by K in 30m bins; Panther alerts on 10 matching events per dedup key within 30 minutes of the first'],
    [10, 30, 'count >= 5 by K in 30m windows opening at the first event', /the query counts count >= 5/],
    [10, 30, 'count >= 10 by K in 15m windows opening at the first event', /the query counts/],
    [10, 30, undefined, /the query states no threshold/],
    [undefined, 30, 'count >= 2 in 1h windows opening at the first event', /the rule has no threshold/],
    [1, 30, undefined, null],
  ])('threshold %s in %s minutes, stated %s', (n, m, stated, gap) => {
    const got = kqlThresholdGap(stated, r(n, m));
    if (gap === null) expect(got).toBeNull();
    else if (typeof gap === 'string') expect(got).toBe(gap);
    else expect(got).toMatch(gap);
  });

  it('an artifact counting fixed bins (a user template) is approximate, with the reason', () => {
    const { rule } = liftFile(DENIED);
    const out = renderRule(rule, 'kql', ctx);
    const bins = { ...out, text: out.text.replace(/\| sort by [^\n]*\n\| extend FirstSeen = [^\n]*\n/, '').replace('by UserIdentityArn, FirstSeen', 'by UserIdentityArn, Window = bin(TimeGenerated, 30m)') };
    expect(bins.text).toContain('Window = bin(TimeGenerated, 30m)');
    const report = proveOutput(bins, rule, mapper)!;
    expect(report.aggregation).toBe('count >= 10 by UserIdentityArn in 30m bins');
    expect(report.reasons.map((x) => x.code)).toEqual(['target-threshold-window']);
    expect(report.fidelity).toBe('approximate');
    expect(report.tests.failed).toBe(0);
  });
});

/**
 * The two documented models agree: Panther's (alert_merger.py and the knowledge-base example: per key,
 * the first event opens a window of M; an event at M or later opens the next) and row_window_session's
 * over rows sorted by key then time, restarting when the key changes (null keys compare as null: no
 * restart), a row at the session start plus M or later starting a new session.
 */
describe('Panther\'s windows and row_window_session over sorted rows give each event the same window', () => {
  type Ev = { key: string | null; t: number };
  const M = 10;
  function panther(events: Ev[]): Map<Ev, number> {
    const open = new Map<string, number>();
    const out = new Map<Ev, number>();
    for (const e of [...events].sort((a, b) => a.t - b.t)) {
      const k = JSON.stringify(e.key);
      const s = open.get(k);
      const start = s === undefined || e.t - s >= M ? e.t : s;
      open.set(k, start);
      out.set(e, start);
    }
    return out;
  }
  function kusto(events: Ev[]): Map<Ev, number> {
    // sort by key asc (nulls first), TimeGenerated asc
    const rows = [...events].sort((a, b) => (a.key === b.key ? a.t - b.t : a.key === null ? -1 : b.key === null ? 1 : a.key < b.key ? -1 : 1));
    const out = new Map<Ev, number>();
    let start: number | undefined;
    let prev: Ev | undefined;
    for (const r of rows) {
      // key != prev(key): null when both are null (no restart), true when one is null
      const restart = prev !== undefined && (r.key === null && prev.key === null ? null : r.key !== prev.key);
      const fresh = start === undefined || r.t >= start + M || (prev !== undefined && r.t >= prev.t + M) || restart === true;
      if (fresh) start = r.t;
      out.set(r, start!);
      prev = r;
    }
    return out;
  }
  it('on random event streams of a few keys (and null)', () => {
    const evs = fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', null), t: fc.integer({ min: 0, max: 60 }) }), { maxLength: 40 });
    fc.assert(
      fc.property(evs, (list) => {
        const p = panther(list);
        const k = kusto(list);
        for (const e of list) expect([e, k.get(e)]).toEqual([e, p.get(e)]);
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });
});

describe('a threshold over several log types: one window count over the union', () => {
  const SAMPLE = path.join(ROOT, 'rules/azure_activity/azure_failures_from_one_ip.yml');

  it('the sample: each branch projects its key and outputs under one name, the union is counted once, every test read back', () => {
    const { rule } = liftFile(SAMPLE);
    const { output, proof } = renderProven(rule, 'kql', ctx);
    expect(output.reasons.map((r) => r.code)).not.toContain('target-first-log-type');
    // SigninLogs/AuditLogs hold the address in IPAddress, AzureActivity in CallerIpAddress
    expect(output.text).toContain('    | project TimeGenerated, IPAddress, OperationName),');
    expect(output.text).toContain('    | project TimeGenerated, IPAddress = CallerIpAddress, OperationNameValue)');
    expect(tail(output.text)).toEqual([
      '| sort by IPAddress asc, TimeGenerated asc',
      '| extend FirstSeen = row_window_session(TimeGenerated, 30m, 30m, IPAddress != prev(IPAddress))',
      '| summarize EventCount = count(), LastSeen = max(TimeGenerated), arg_min(TimeGenerated, OperationName, OperationNameValue) by IPAddress, FirstSeen',
      '| where EventCount >= 5',
    ]);
    // the tests of both log types are read back by the evaluator (none left out as another log type's)
    expect(proof?.tests).toMatchObject({ passed: 6, failed: 0, notEvaluable: 0 });
    expect(proof?.aggregation).toBe('count >= 5 by IPAddress in 30m windows opening at the first event');
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
    const sentinel = renderRule(rule, 'sentinel', ctx);
    expect(validateAnalyticRule(parseYaml(sentinel.text))).toEqual([]);
  });

  it('keys read as text in every branch under the first branch\'s names; an output of two kinds collected as text', () => {
    const plan = (keys: ThresholdPlan['keys'], sets: ThresholdPlan['sets']): ThresholdPlan => ({ tail: [], keys, sets, lost: false, minutes: 60, threshold: 3 });
    const col = (name: string): KqlColumn => ({ name, kind: 'string' });
    const joined = unionThreshold([
      plan([{ name: 'UserPrincipalName', expr: 'UserPrincipalName', col: col('UserPrincipalName') }], [{ name: 'ip', expr: 'IPAddress', kind: 'string', output: 'ip', path: ['ip'], source: 'alert_context' }]),
      plan([{ name: 'key_actor', expr: 'tostring(RawEvent.actor)', col: col('key_actor') }], [{ name: 'ip', expr: 'RawEvent.ip', kind: 'dynamic', output: 'ip', path: ['ip'], source: 'alert_context' }]),
      plan([{ name: 'UserId', expr: 'UserId', col: { name: 'UserId', kind: 'typed' } }], []),
    ]);
    expect(joined?.project).toEqual([
      'project TimeGenerated, UserPrincipalName, ip = tostring(IPAddress)',
      'project TimeGenerated, UserPrincipalName = tostring(RawEvent.actor), ip = tostring(RawEvent.ip)',
      'project TimeGenerated, UserPrincipalName = tostring(UserId)',
    ]);
    expect(joined?.tail).toEqual([
      'sort by UserPrincipalName asc, TimeGenerated asc',
      'extend FirstSeen = row_window_session(TimeGenerated, 1h, 1h, UserPrincipalName != prev(UserPrincipalName))',
      'summarize EventCount = count(), LastSeen = max(TimeGenerated), arg_min(TimeGenerated, ip) by UserPrincipalName, FirstSeen',
      'where EventCount >= 3',
    ]);
    // the first event's ip, read as text in every branch: a string column of the result
    expect(joined?.columns.find((c) => c.name === 'ip')).toMatchObject({ kind: 'string', output: 'ip' });
  });

  it('branches whose keys cannot be matched (a key without a mapping on one log type) are not put together', () => {
    const p = (n: number, wanted: number): ThresholdPlan => ({
      tail: [],
      keys: Array.from({ length: n }, (_, i) => ({ name: `k${i}`, expr: `k${i}`, col: { name: `k${i}`, kind: 'string' as const } })),
      sets: [],
      lost: n < wanted,
      minutes: 15,
      threshold: 2,
    });
    expect(unionThreshold([p(1, 1), p(0, 1)])).toBeNull();
    expect(unionThreshold([p(1, 1), p(2, 2)])).toBeNull();
    expect(unionThreshold([p(0, 0), p(0, 0)])).not.toBeNull();
  });
});

describe('a dedup string that depends on a condition: one case() key column', () => {
  const SAMPLE = path.join(ROOT, 'rules/aws_cloudtrail/aws_secret_reads_denied.yml');
  /** The DedupKey column of the query's per-event part (before the sort), as the KQL evaluator reads it, for one log. */
  const keyOf = (text: string, rule: Rule, log: Json): Json | undefined => {
    const q = compileQuery(artifactQuery(text, 'kql'));
    const event = kqlProof.project(log, rule.meta.logTypes[0]!, mapper);
    const rows = q.run((tables) => eventRows(event, tables));
    return rows.length === 1 ? (rows[0]!.get('DedupKey')?.v as Json) : undefined;
  };

  it('the sample: case() over the title\'s branches, exact, every test read back; the key the evaluator reads is Panther\'s title', () => {
    const { rule } = liftFile(SAMPLE);
    const { output, proof } = renderProven(rule, 'kql', ctx);
    expect(output.fidelity).toBe('exact');
    expect(output.reasons).toEqual([]);
    // the text every branch ends with is written once, after the case() of what differs (sharedParts)
    expect(tail(output.text)[0]).toMatch(/^\| extend DedupKey = strcat\(case\(UserIdentityType == "Root", "The root user", .*\), " was repeatedly denied reading secrets in \[", /);
    expect(tail(output.text)[1]).toBe('| sort by DedupKey asc, TimeGenerated asc');
    expect(proof?.tests).toMatchObject({ passed: 6, failed: 0, notEvaluable: 0 });
    expect(proof?.aggregation).toBe('count >= 5 by DedupKey in 1h windows opening at the first event');
    expect(checkKql(output.text, { tables: customKqlTables(mapper, rule) })).toEqual([]);
    const sentinel = renderRule(rule, 'sentinel', ctx);
    expect(sentinel.fidelity).toBe('exact');
    expect(validateAnalyticRule(parseYaml(sentinel.text))).toEqual([]);
    const matching = rule.tests.filter((t) => t.expected);
    expect(matching.length).toBe(4);
    for (const t of matching) expect([t.name, keyOf(output.text, rule, t.log)]).toEqual([t.name, evaluateKeyCases(rule.aggregation!.keyCases!, t.log)]);
  });

  it('on random events: the key column splits the events as Panther\'s title does (string columns: up to a missing value and "")', () => {
    const { rule } = liftFile(SAMPLE);
    const text = renderRule(rule, 'kql', ctx).text;
    const str = fc.constantFrom('a', 'b', 'Root', 'IAMUser', '<UNKNOWN_PRINCIPAL>');
    const log = fc.record(
      {
        userIdentity: fc.record({ type: fc.constantFrom('Root', 'IAMUser', 'AssumedRole'), arn: str, userName: str }, { requiredKeys: ['type'] }),
        recipientAccountId: str,
      },
      { requiredKeys: ['userIdentity'] },
    );
    fc.assert(
      fc.property(log, log, (a, b) => {
        const ev = (x: Json): Json => ({ ...(x as object), eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', errorCode: 'AccessDenied' });
        const [ka, kb] = [keyOf(text, rule, ev(a)), keyOf(text, rule, ev(b))];
        const [pa, pb] = [evaluateKeyCases(rule.aggregation!.keyCases!, ev(a)), evaluateKeyCases(rule.aggregation!.keyCases!, ev(b))];
        expect(ka === kb).toBe(pa === pb);
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it('the other targets group by the fields the cases read: declared narrower (equal strings of other values are counted apart)', () => {
    const { rule } = liftFile(SAMPLE);
    for (const t of ['sigma', 'cwl']) {
      const out = renderRule(rule, t, ctx);
      expect(out.reasons.filter((x) => x.code === 'target-threshold-key').map((x) => x.direction), t).toEqual(['narrower']);
    }
    expect(renderRule(rule, 'sigma', ctx).text).toContain('    group-by:\n        - recipientAccountId\n        - userIdentity.arn\n        - userIdentity.type\n        - userIdentity.userName\n');
  });

  it('a case KQL cannot write exactly (a condition on a field without a column, replaced by its superset) is declared, the events counted together', () => {
    const { rule } = liftFile(SAMPLE);
    const when = { k: 'truthy', value: get('userIdentity', 'noSuchField') } as const;
    const agg = rule.aggregation!;
    const r = { ...rule, aggregation: { ...agg, keyCases: [{ ...agg.keyCases![0]!, when }, ...agg.keyCases!.slice(1)] } };
    const out = renderRule(r as Rule, 'kql', ctx);
    expect(out.reasons.map((x) => [x.code, x.direction])).toEqual([['target-threshold-key', 'wider']]);
    expect(out.text).toContain('| sort by TimeGenerated asc\n');
    expect(out.text).not.toContain('DedupKey');
  });
});

describe('the arms of a DedupKey case() read where the earlier arms are false', () => {
  // dedup() as `a or b or c`: the lift's second case holds where `a or b` is truthy, which case() reads only where
  // `a` is not: that disjunct goes; and a value whose arm holds it truthy is no None there (no "None" branch)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dedup-arms-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const logs: [Json, boolean][] = [
    [{ type: 'denied', actor: { email_address: 'a@example.com', api_key_id: 'k1' } }, true],
    [{ type: 'denied', actor: { api_key_id: 'k1' } }, true],
    [{ type: 'denied', actor: { email_address: '', api_key_id: 'k2', ip_address: '192.0.2.1' } }, true],
    [{ type: 'denied', actor: { ip_address: '192.0.2.1' } }, true],
    [{ type: 'denied', actor: {} }, true],
    [{ type: 'other', actor: {} }, false],
  ];
  fs.writeFileSync(
    path.join(dir, 'r.py'),
    'def rule(event):\n    return event.get("type") == "denied"\n\n\ndef dedup(event):\n    return (\n        event.deep_get("actor", "email_address")\n        or event.deep_get("actor", "api_key_id")\n        or event.deep_get("actor", "ip_address", default="<UNKNOWN_ACTOR>")\n    )\n',
  );
  fs.writeFileSync(
    path.join(dir, 'r.yml'),
    ['AnalysisType: rule', 'Filename: r.py', 'RuleID: T.DedupArms', 'Enabled: true', 'LogTypes:', '  - Anthropic.Activity', 'Severity: Low', 'Threshold: 3', 'DedupPeriodMinutes: 10', 'Tests:', ...logs.map(([log, e], i) => `  - Name: t${i}\n    ExpectedResult: ${e}\n    Log: ${JSON.stringify(log)}`)].join('\n') + '\n',
  );

  it('case(a, tostring(a), b, tostring(b), c-with-default), each test\'s key as Panther\'s dedup string, proven', () => {
    const { rule } = liftFile(path.join(dir, 'r.yml'));
    const { output, proof } = renderProven(rule, 'kql', ctx);
    expect(output.fidelity).toBe('exact');
    expect(output.text).toContain(
      '| extend DedupKey = case(isnotempty(tostring(actor.email_address)), tostring(actor.email_address), isnotempty(tostring(actor.api_key_id)), tostring(actor.api_key_id), iff(isnull(actor.ip_address), "<UNKNOWN_ACTOR>", tostring(actor.ip_address)))\n',
    );
    expect(proof?.tests).toMatchObject({ failed: 0, notEvaluable: 0, passed: 6 });
    for (const t of rule.tests.filter((x) => x.expected)) expect([t.name, keyOf(output.text, rule, t.log)]).toEqual([t.name, evaluateKeyCases(rule.aggregation!.keyCases!, t.log)]);
  });

  /** The DedupKey column the KQL evaluator reads for one log. */
  function keyOf(text: string, rule: Rule, log: Json): Json | undefined {
    const q = compileQuery(artifactQuery(text, 'kql'));
    const rows = q.run((tables) => eventRows(kqlProof.project(log, rule.meta.logTypes[0]!, ruleMapper(mapper, rule)), tables));
    return rows.length === 1 ? (rows[0]!.get('DedupKey')?.v as Json) : undefined;
  }
});
