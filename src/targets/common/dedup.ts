/**
 * What Panther counts a threshold per (panther_core rule.py, `Rule.run`): the dedup string dedup() returns
 * when it is a non-empty string, else the alert title, else a constant per rule. Every target groups its
 * count by the fields that string is printed from (src/targets/kql/threshold.ts has the KQL window).
 */
import type { Pred, Rule, Val } from '../../ast/types.js';
import { fieldRef, pathText, spanlessKey, type PathSeg } from '../../ast/view.js';
import type { MappedField } from '../../mapping/types.js';
import type { ReasonSink } from './fidelity.js';
import type { FieldResolver } from './fields.js';

/**
 * The fields a dedup string (or title) is printed from, when it is a field, `str(field)` or a concatenation
 * of those and constant text (an f-string); null for anything else. Grouping by those fields splits the
 * events as the printed text does, unless two different values print the same text (a value holding
 * the separator of the text around it, a missing field and its default): not told apart here.
 */
export function stringParts(v: Val): Val[] | null {
  if (fieldRef(v)) return [v];
  if (v.k === 'lit') return typeof v.v === 'string' || typeof v.v === 'number' || typeof v.v === 'boolean' ? [] : null;
  if (v.k === 'fn' && v.fn === 'str' && v.args.length === 1) return fieldRef(v.args[0]!) || v.args[0]!.k === 'lit' ? stringParts(v.args[0]!) : null;
  if (v.k === 'fn' && v.fn === 'concat') {
    const out: Val[] = [];
    for (const a of v.args) {
      const p = stringParts(a);
      if (!p) return null;
      out.push(...p);
    }
    return out;
  }
  return null;
}

/**
 * The values a threshold rule's count is grouped by: each dedup key's fields, or, without dedup(), the
 * alert title's. What cannot be grouped as Panther does is declared on `sink` (target-threshold-key, wider:
 * the events are then counted together).
 */
export function dedupKeyValues(rule: Rule, sink: ReasonSink): Val[] {
  const agg = rule.aggregation;
  if (!agg) return [];
  if (agg.groupBy.length > 0) return agg.groupBy.flatMap((g) => stringParts(g) ?? [g]);
  if (agg.keyCases) {
    // a dedup string that depends on a condition is a function of the event fields its cases read: grouped by
    // those, two events with equal strings but other values of them are counted apart (KQL writes the string
    // itself: kql/index.ts keyCasesText). (A rule of one log type: the lift keeps no key cases for several.)
    sink.add('target-threshold-key', 'Panther counts per dedup string, which depends on a condition: events are counted per value of each field it reads, which splits events whose strings are equal', 'narrower');
    const out: Val[] = [];
    for (const c of agg.keyCases) {
      predReads(c.when, out);
      for (const p of c.parts) if ('value' in p) valReads(p.value, out);
    }
    // in the order of their paths: the same fields whichever order the branches are written in
    return out.map((v) => ({ v, at: pathText(fieldRef(v)!.path) })).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((x) => x.v);
  }
  const dedupLost = (rule.notes ?? []).some((n) => n.code === 'output-dedup');
  const titleLost = (rule.notes ?? []).some((n) => n.code === 'output-title');
  const titleParts = (rule.title ?? []).map((p) => ('value' in p ? stringParts(p.value) : []));
  if (dedupLost) sink.add('target-threshold-key', 'dedup() could not be lifted: events are counted together, not per dedup string', 'wider');
  else if (titleLost) sink.add('target-threshold-key', 'without dedup() Panther counts per alert title, which could not be lifted: events are counted together, not per title', 'wider');
  else if (titleParts.some((x) => x === null)) sink.add('target-threshold-key', 'without dedup() Panther counts per alert title, which reads a computed value: events are counted together, not per title', 'wider');
  else return titleParts.flatMap((x) => x ?? []);
  return [];
}

/** The event fields a value reads (each the field read, its default left out), pushed onto `out` once each. */
function valReads(v: Val, out: Val[]): void {
  const ref = fieldRef(v);
  if (ref?.root === 'event') {
    const bare: Val = v.k === 'get' && v.default ? (({ default: _, ...g }) => g)(v) : v;
    if (!out.some((x) => spanlessKey(x) === spanlessKey(bare))) out.push(bare);
    return;
  }
  if (v.k === 'get' || v.k === 'index') valReads(v.obj, out);
  else if (v.k === 'fn') for (const a of v.args) valReads(a, out);
}

function predReads(p: Pred, out: Val[]): void {
  switch (p.k) {
    case 'and':
    case 'or':
      for (const a of p.args) predReads(a, out);
      return;
    case 'not':
      return predReads(p.arg, out);
    case 'cmp':
      valReads(p.left, out);
      return valReads(p.right, out);
    case 'rel':
      valReads(p.value, out);
      return valReads(p.other, out);
    case 'quant':
      valReads(p.list, out);
      return predReads(p.pred, out);
    case 'const':
    case 'opaque':
      return;
    default:
      return valReads(p.value, out);
  }
}

/**
 * The fields a threshold rule's count is grouped by (dedupKeyValues), as a target writes them: `write` gives
 * the target's spelling of a mapped field, or null where the target cannot address it. Each spelling once,
 * in order; a value that is not an event field, or a field the target cannot write, is declared and left out
 * (the events are then counted without it).
 */
export function dedupKeyFields<K>(
  rule: Rule,
  sink: ReasonSink,
  res: FieldResolver,
  write: (m: MappedField, path: PathSeg[]) => K | null,
  /** Called for each value left out (the events are then counted without it). */
  lost?: () => void,
): K[] {
  const out: K[] = [];
  for (const g of dedupKeyValues(rule, sink)) {
    const ref = res.ref(g, 'grouping key');
    if (!ref || ref.root !== 'event') {
      lost?.();
      continue;
    }
    const m = res.mapper.resolve(res.logType, res.target, ref.path);
    const k = 'unmapped' in m ? null : write(m, ref.path);
    if (k === null) {
      sink.add('target-threshold-key', `threshold grouping key ${pathText(ref.path)} has no mapping; events are counted without it`, 'wider');
      lost?.();
      continue;
    }
    if (!out.includes(k)) out.push(k);
  }
  return out;
}
