/**
 * The tail of a KQL query for a Panther threshold rule (`Threshold: N`, `DedupPeriodMinutes: M`): count the
 * matching events per dedup key in Panther's dedup windows and keep the windows that reach N.
 *
 * Panther's window (panther-labs/panther internal/log_analysis/rules_engine/src/alert_merger.py, and
 * help.panther.com "Will specifying a dedup period delay a Panther alert": 10:07 opens a window, 11:06 is
 * attached to it, 11:07 opens the next): per dedup key, a window opens at the first matching event and
 * lasts M minutes; the first matching event after it closed opens the next one; an alert fires when the
 * window's count reaches N (knowledge-base "How deduplication and threshold work in Panther").
 *
 * KQL (learn.microsoft.com/kusto/query/row-window-session-function): over rows sorted by key, then time
 * (learn.microsoft.com/kusto/query/window-functions: `sort` serializes the rows, `extend` keeps them
 * serialized), `row_window_session(TimeGenerated, Mm, Mm, <key changed>)` gives each row the time of the
 * first row of its session; a row starts a new session when its time "equals or exceeds" the session's
 * start plus Mm (so the window is [first, first + M), as in Panther's example), when it is Mm or more after
 * the previous row (implied by the first condition: rows are in time order), or when `Restart` is true: a
 * key that differs from the previous row's (`k != prev(k)`; two null keys compare as null, which does not
 * restart, so the null keys of a typed column form one group, as `summarize by` groups them). `summarize
 * ... by <keys>, FirstSeen | where EventCount >= N` is then one row per window that reached the threshold
 * (the session's value, the time of its first row, is the window's FirstSeen).
 *
 * What the query cannot see (not a difference in the query; the Sentinel rule restates it): Panther
 * measures the window on the time its rule engine processes the event, the query on `TimeGenerated`;
 * and a query over a time range sees no window opened before it.
 *
 * The dedup key (panther_core rule.py, `Rule.run`): dedup()'s string when it is a non-empty string, else
 * the alert title, else a constant per rule. A dedup() or title that could not be lifted loses the key
 * (declared); an empty key is counted as one group, as Panther counts the events whose dedup() is empty
 * under the title (the same group when the title does not vary).
 */
import type { Aggregation, Rule } from '../../ast/types.js';
import { pathText, type PathSeg } from '../../ast/view.js';
import { dedupKeyValues } from '../common/dedup.js';
import type { ReasonSink } from '../common/fidelity.js';
import type { FieldResolver } from '../common/fields.js';
import type { RenderContext } from '../types.js';
import { kqlIdent } from './escape.js';
import type { KqlColumn } from './index.js';
import { kfield } from './printer.js';

/** An output the query carries as a column (see `buildKql`): a set per window in a threshold query. */
export interface OutputItem {
  name: string;
  expr: string;
  kind: KqlColumn['kind'];
  output: string;
  path: PathSeg[];
}

/** One grouping key: the column the query groups by, and the `extend` that defines it (a dynamic member as a string). */
interface Key {
  name: string;
  define?: string;
  /** The expression an output with the same value is written as (a plain column). */
  same?: string;
  col: KqlColumn;
}

/**
 * What a threshold query counts by and collects, per log type: what a union over several log types
 * (`unionThresholdTail`) puts together. `tail` is the query's own tail (one log type).
 */
export interface ThresholdPlan {
  tail: string[];
  /** The grouping keys in dedup order: the column's name and the expression it reads on this log type. */
  keys: { name: string; expr: string; string: boolean; col: KqlColumn }[];
  /** The outputs collected per window (`make_set`): the column's name, the expression, its kind. */
  sets: { name: string; expr: string; kind: KqlColumn['kind']; output: string; path: PathSeg[] }[];
  /** How many keys the dedup string is made of (a key without a mapping is left out of `keys`). */
  wanted: number;
  minutes: number;
  threshold: number;
}

/**
 * The operators after the per-event filters of a threshold rule's query, and the result columns (pushed
 * onto `columns`). Reasons for what the query cannot count as Panther does go to `sink`.
 */
export function thresholdTail(rule: Rule, ctx: RenderContext, res: FieldResolver, sink: ReasonSink, logType: string, agg: Aggregation, items: OutputItem[], columns: KqlColumn[]): ThresholdPlan {
  const keys: Key[] = [];
  // the values the dedup string is made of: each grouping key's fields, or, without dedup(), the title's
  const keyVals = dedupKeyValues(rule, sink);
  for (const g of keyVals) {
    const ref = res.ref(g, 'grouping key');
    if (!ref || ref.root !== 'event') continue;
    const m = ctx.mapper.resolve(logType, 'kql', ref.path);
    if ('unmapped' in m) {
      sink.add('target-threshold-key', `threshold grouping key ${pathText(ref.path)} has no mapping; events are counted without it`, 'wider');
      continue;
    }
    const f = kfield(m);
    let key: Key;
    if (f.kind === 'dynamic') {
      const name = kqlIdent(`key_${pathText(ref.path).replace(/[^A-Za-z0-9_]/g, '_')}`);
      key = { name, define: `${name} = tostring(${f.raw})`, col: { name, kind: 'string', path: ref.path } };
    } else {
      key = { name: f.raw, same: f.raw, col: { name: f.raw, kind: f.kind === 'string-column' ? 'string' : f.type === 'datetime' ? 'datetime' : 'typed', path: ref.path } };
    }
    if (!keys.some((k) => k.name === key.name)) keys.push(key);
  }

  const minutes = Math.max(1, Math.round(agg.windowMinutes));
  if (minutes !== agg.windowMinutes) {
    sink.add('target-threshold-window', `the dedup period of ${agg.windowMinutes} minutes is counted in windows of ${minutes}m`, minutes < agg.windowMinutes ? 'narrower' : 'wider');
  }
  // the session's start is its first event's time: the window column is FirstSeen
  const aggs = ['EventCount = count()', 'LastSeen = max(TimeGenerated)'];
  const sets: KqlColumn[] = [];
  const collected: ThresholdPlan['sets'] = [];
  for (const it of items) {
    const key = keys.find((k) => k.same === it.expr);
    if (key) {
      key.col.output ??= it.output;
      continue;
    }
    aggs.push(`${it.name} = make_set(${it.expr}, 100)`);
    sets.push({ name: it.name, kind: 'set', output: it.output, path: it.path });
    collected.push({ name: it.name, expr: it.expr, kind: it.kind, output: it.output, path: it.path });
  }
  const tail: string[] = [];
  const defines = keys.flatMap((k) => (k.define ? [k.define] : []));
  if (defines.length) tail.push(`extend ${defines.join(', ')}`);
  tail.push(`sort by ${[...keys.map((k) => `${k.name} asc`), 'TimeGenerated asc'].join(', ')}`);
  const restart = keys.map((k) => `${k.name} != prev(${k.name})`).join(' or ');
  tail.push(`extend FirstSeen = row_window_session(TimeGenerated, ${minutes}m, ${minutes}m${restart ? `, ${restart}` : ''})`);
  tail.push(`summarize ${aggs.join(', ')} by ${[...keys.map((k) => k.name), 'FirstSeen'].join(', ')}`);
  tail.push(`where EventCount >= ${Math.trunc(agg.threshold)}`);
  columns.push(
    ...keys.map((k) => k.col),
    { name: 'FirstSeen', kind: 'datetime' },
    { name: 'EventCount', kind: 'count' },
    { name: 'LastSeen', kind: 'datetime' },
    ...sets,
  );
  return {
    tail,
    keys: keys.map((k) => ({ name: k.name, expr: k.define ? k.define.slice(k.name.length + 3) : k.name, string: k.col.kind === 'string', col: k.col })),
    sets: collected,
    wanted: keyVals.length,
    minutes,
    threshold: Math.trunc(agg.threshold),
  };
}

/**
 * A threshold over several log types: each branch of the union projects its keys and outputs under one
 * name (`project`), and the windows are counted over the union as over one table. Panther dedups per rule
 * on the dedup string, whichever log type the event came from, so one key column serves every branch:
 * each key is read as a string in every branch (`tostring()` of a typed or dynamic value; a column of
 * one name and several types would be split by the union), and an output whose kind differs between
 * branches is collected as text. Null when the branches cannot be put together (keys differ in number).
 */
export function unionThreshold(plans: ThresholdPlan[]): { project: string[]; tail: string[]; columns: KqlColumn[] } | null {
  const first = plans[0]!;
  if (plans.some((p) => p.keys.length !== first.keys.length || p.keys.length !== p.wanted || p.minutes !== first.minutes || p.threshold !== first.threshold)) return null;
  const keyNames = first.keys.map((k) => k.name);
  const kinds = new Map<string, Set<string>>();
  for (const p of plans) for (const s of p.sets) kinds.set(s.name, (kinds.get(s.name) ?? new Set()).add(s.kind));
  const project = plans.map((p) => {
    const cols = p.keys.map((k, i) => {
      const expr = k.string ? k.expr : `tostring(${k.expr})`;
      return expr === keyNames[i] ? expr : `${keyNames[i]} = ${expr}`;
    });
    for (const s of p.sets) {
      const expr = kinds.get(s.name)!.size > 1 ? `tostring(${s.expr})` : s.expr;
      cols.push(expr === s.name ? s.name : `${s.name} = ${expr}`);
    }
    return `project ${['TimeGenerated', ...cols].join(', ')}`;
  });
  const setNames: ThresholdPlan['sets'] = [];
  for (const p of plans) for (const s of p.sets) if (!setNames.some((x) => x.name === s.name)) setNames.push(s);
  const aggs = ['EventCount = count()', 'LastSeen = max(TimeGenerated)', ...setNames.map((s) => `${s.name} = make_set(${s.name}, 100)`)];
  const restart = keyNames.map((k) => `${k} != prev(${k})`).join(' or ');
  const tail = [
    `sort by ${[...keyNames.map((k) => `${k} asc`), 'TimeGenerated asc'].join(', ')}`,
    `extend FirstSeen = row_window_session(TimeGenerated, ${first.minutes}m, ${first.minutes}m${restart ? `, ${restart}` : ''})`,
    `summarize ${aggs.join(', ')} by ${[...keyNames, 'FirstSeen'].join(', ')}`,
    `where EventCount >= ${first.threshold}`,
  ];
  const columns: KqlColumn[] = [
    ...first.keys.map((k): KqlColumn => ({ ...k.col, kind: 'string' })),
    { name: 'FirstSeen', kind: 'datetime' },
    { name: 'EventCount', kind: 'count' },
    { name: 'LastSeen', kind: 'datetime' },
    ...setNames.map((s): KqlColumn => ({ name: s.name, kind: 'set', output: s.output, path: s.path })),
  ];
  return { project, tail, columns };
}
