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
 * serialized), `row_window_session(TimeGenerated, Mm, Mm, <key changed>)` (M minutes, in the largest exact unit) gives each row the time of the
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
 * the alert title, else a constant per rule. A dedup string that depends on a condition is one column of
 * its text (index.ts keyCasesText: `case()` over the lift's ordered cases); a dedup() or title that could not
 * be lifted, or whose cases KQL cannot write, loses the key (declared); an empty key is counted as one group, as Panther counts the events whose dedup() is empty
 * under the title (the same group when the title does not vary).
 *
 * The outputs of a window: an alert's title and alert context are its first event's (panther-labs/panther
 * internal/log_analysis/rules_engine/src/output.py builds the alert from the first matching event,
 * `title=events[0].title`, and alert_merger.py `_update_get_conditional` writes `title` and `context` only
 * when it creates the alert; `_update_get`, which adds later events, updates the time, event count and log
 * types only), so an alert_context output is the window's first row's value:
 * `arg_min(TimeGenerated, A, b = <expr>)` (learn.microsoft.com/kusto/query/arg-min-aggregation-function:
 * the values of the row that minimizes TimeGenerated; rows of one time are a tie either side picks).
 * A summary attribute summarizes every event of the alert (docs.panther.com/writing-detections/alert-summaries:
 * the top values over the matching events): its values are collected, `make_set(x, 100)`.
 */
import type { Aggregation, OutputField, Rule } from '../../ast/types.js';
import { pathText, type PathSeg } from '../../ast/view.js';
import { dedupKeyFields } from '../common/dedup.js';
import type { ReasonSink } from '../common/fidelity.js';
import type { FieldResolver } from '../common/fields.js';
import type { MappedField } from '../../mapping/types.js';
import { kqlIdent, kqlTimespan } from './escape.js';
import type { KqlColumn } from './index.js';
import { kfield } from './printer.js';

/**
 * An output the query carries as a column (see `buildKql`); in a threshold query the first event's
 * value (an alert_context key) or the set of the window's values (a summary attribute).
 */
export interface OutputItem {
  name: string;
  expr: string;
  kind: KqlColumn['kind'];
  output: string;
  path: PathSeg[];
  /** Where the output comes from: a summary attribute is collected over the window, the rest is the first event's. */
  source: OutputField['source'];
}

/** One grouping key: the column the query groups by, and the expression that defines it (a dynamic member as a string). */
interface Key {
  name: string;
  /** What the column holds: the column itself, or `tostring(<dynamic member>)` under a name of its own. */
  expr: string;
  col: KqlColumn;
}

/**
 * What a threshold query counts by and collects, per log type: what a union over several log types
 * (`unionThreshold`) puts together. `tail` is the query's own tail (one log type).
 */
export interface ThresholdPlan {
  tail: string[];
  /** The grouping keys in dedup order: the column's name and the expression it reads on this log type. */
  keys: Key[];
  /** The outputs per window (the first event's, or collected with `make_set`): the column's name, the expression, its kind. */
  sets: OutputItem[];
  /** Whether a value the dedup string is made of has no key here (no field, or no mapping: declared). */
  lost: boolean;
  minutes: number;
  threshold: number;
}

/**
 * The operators after the per-event filters of a threshold rule's query, and the result columns (pushed
 * onto `columns`). Reasons for what the query cannot count as Panther does go to `sink`.
 */
export function thresholdTail(
  rule: Rule,
  res: FieldResolver,
  sink: ReasonSink,
  agg: Aggregation,
  items: OutputItem[],
  columns: KqlColumn[],
  /** The dedup string of Aggregation.keyCases as one KQL expression, null when it could not be written (index.ts keyCasesText). */
  caseKey?: string | null,
): ThresholdPlan {
  // the values the dedup string is made of: each grouping key's fields, or, without dedup(), the title's
  let lost = false;
  const keys: Key[] = [];
  const write = (m: MappedField, path: PathSeg[]): Key => {
    const f = kfield(m);
    if (f.kind !== 'dynamic') return { name: f.raw, expr: f.raw, col: { name: f.raw, kind: f.kind === 'string-column' ? 'string' : f.type === 'datetime' ? 'datetime' : 'typed', path } };
    const name = kqlIdent(`key_${pathText(path).replace(/[^A-Za-z0-9_]/g, '_')}`);
    return { name, expr: `tostring(${f.raw})`, col: { name, kind: 'string', path } };
  };
  if (typeof caseKey === 'string') {
    // a dedup string that depends on a condition: grouped by its text, one column
    keys.push({ name: 'DedupKey', expr: caseKey, col: { name: 'DedupKey', kind: 'string', path: [] } });
  } else if (caseKey === null) {
    sink.add('target-threshold-key', 'the dedup string depends on a condition whose cases KQL cannot all write: events are counted together, not per dedup string', 'wider');
    lost = true;
  } else {
    for (const key of dedupKeyFields(rule, sink, res, write, () => (lost = true))) {
      if (!keys.some((k) => k.name === key.name)) keys.push(key);
    }
  }

  const minutes = Math.max(1, Math.round(agg.windowMinutes));
  if (minutes !== agg.windowMinutes) {
    sink.add('target-threshold-window', `the dedup period of ${agg.windowMinutes} minutes is counted in windows of ${minutes}m`, minutes < agg.windowMinutes ? 'narrower' : 'wider');
  }
  const sets: OutputItem[] = [];
  for (const it of items) {
    // an output that is a key's column is the key (one value per window)
    const key = keys.find((k) => k.expr === k.name && k.expr === it.expr);
    if (key) key.col.output ??= it.output;
    else sets.push(it);
  }
  const defines = keys.filter((k) => k.expr !== k.name).map((k) => `${k.name} = ${k.expr}`);
  const { tail, columns: cols } = windowTail(
    keys.map((k) => k.col),
    sets,
    minutes,
    Math.trunc(agg.threshold),
  );
  columns.push(...cols);
  return {
    tail: [...(defines.length ? [`extend ${defines.join(', ')}`] : []), ...tail],
    keys,
    sets,
    lost,
    minutes,
    threshold: Math.trunc(agg.threshold),
  };
}

/**
 * Panther's windows over rows holding the key columns: rows sorted by key, then time; a session per key
 * opening at its first row (`row_window_session`, see the file comment); one row per window that
 * reached the threshold, with the first event's outputs (`arg_min`) and the summary attributes collected
 * as sets. The tail, and the result columns.
 */
function windowTail(keys: KqlColumn[], outs: OutputItem[], minutes: number, threshold: number): { tail: string[]; columns: KqlColumn[] } {
  const names = keys.map((k) => k.name);
  const restart = names.map((k) => `${k} != prev(${k})`).join(' or ');
  const firsts = outs.filter((s) => s.source !== 'summary');
  const sets = outs.filter((s) => s.source === 'summary');
  // the session's start is its first event's time: the window column is FirstSeen
  const aggs = [
    'EventCount = count()',
    'LastSeen = max(TimeGenerated)',
    ...(firsts.length ? [`arg_min(${['TimeGenerated', ...firsts.map((s) => (s.expr === s.name ? s.name : `${s.name} = ${s.expr}`))].join(', ')})`] : []),
    ...sets.map((s) => `${s.name} = make_set(${s.expr}, 100)`),
  ];
  return {
    tail: [
      `sort by ${[...names.map((k) => `${k} asc`), 'TimeGenerated asc'].join(', ')}`,
      `extend FirstSeen = row_window_session(TimeGenerated, ${kqlTimespan(minutes)}, ${kqlTimespan(minutes)}${restart ? `, ${restart}` : ''})`,
      `summarize ${aggs.join(', ')} by ${[...names, 'FirstSeen'].join(', ')}`,
      `where EventCount >= ${threshold}`,
    ],
    columns: [
      ...keys,
      { name: 'FirstSeen', kind: 'datetime' },
      { name: 'EventCount', kind: 'count' },
      { name: 'LastSeen', kind: 'datetime' },
      // arg_min's own column: the time of the row it picked (the window's first)
      ...(firsts.length ? [{ name: 'TimeGenerated', kind: 'datetime' } as KqlColumn] : []),
      ...outs.map((s): KqlColumn => ({ name: s.name, kind: s.source === 'summary' ? 'set' : s.kind, output: s.output, path: s.path })),
    ],
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
  if (plans.some((p) => p.lost || p.keys.length !== first.keys.length || p.minutes !== first.minutes || p.threshold !== first.threshold)) return null;
  const keyNames = first.keys.map((k) => k.name);
  const kinds = new Map<string, Set<string>>();
  for (const p of plans) for (const s of p.sets) kinds.set(s.name, (kinds.get(s.name) ?? new Set()).add(s.kind));
  const project = plans.map((p) => {
    const cols = p.keys.map((k, i) => {
      const expr = k.col.kind === 'string' ? k.expr : `tostring(${k.expr})`;
      return expr === keyNames[i] ? expr : `${keyNames[i]} = ${expr}`;
    });
    for (const s of p.sets) {
      const expr = kinds.get(s.name)!.size > 1 ? `tostring(${s.expr})` : s.expr;
      cols.push(expr === s.name ? s.name : `${s.name} = ${expr}`);
    }
    return `project ${['TimeGenerated', ...cols].join(', ')}`;
  });
  // every branch's outputs, each once, read from the column the branches project (text when their kinds differ)
  const sets: OutputItem[] = [];
  for (const p of plans) for (const s of p.sets) if (!sets.some((x) => x.name === s.name)) sets.push({ ...s, expr: s.name, kind: kinds.get(s.name)!.size > 1 ? 'string' : s.kind });
  const keys = first.keys.map((k): KqlColumn => ({ ...k.col, kind: 'string' }));
  return { project, ...windowTail(keys, sets, first.minutes, first.threshold) };
}
